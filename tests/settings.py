import os

# The suite runs with DEBUG off, as production does; it needs a key and plain HTTP.
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")  # noqa: S105
os.environ.setdefault("SECURE_HTTPS", "0")

from pcc.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "pcc.cache_backends.LocalMemoryCache", "LOCATION": "pcc-tests"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# The page cache would answer the query-count tests' second request itself; the suite measures the
# views, and tests/test_page_cache.py turns the cache on (override_settings(PAGE_CACHE=True)).
PAGE_CACHE = False
