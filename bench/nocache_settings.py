"""Settings of the benchmark's uncached server: production settings without the page cache, and a
cache that keeps nothing, so every request renders its page and recomputes its standings (as the
first request after an editor's save does)."""

from pcc.settings import *  # noqa: F403

PAGE_CACHE = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
