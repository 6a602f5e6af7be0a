"""Settings for pcc, read from the environment.

Every value comes from an environment variable through a small helper that refuses a bad value
with ImproperlyConfigured, so a typo fails at start-up rather than in production.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off (make run sets DEBUG=1 for local use)."
        )
    # Only for local development: a key that is obviously not a secret.
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else ["127.0.0.1", "localhost"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "csp",
    "axes",
    "series",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, which answers static files itself: they get these headers too (an SVG
    # opened directly is a document that could run script).
    "pcc.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what views answer (HTML, JSON, CSV, iCal; not the admin, see the class). Below
    # WhiteNoise, whose static files are pre-compressed; above everything else, so it compresses
    # their final bodies, and the 304s and cached pages pass through it.
    "pcc.middleware.CompressionMiddleware",
    # A view failing because the database is unreachable answers 503, not 500.
    "pcc.health.DatabaseDownMiddleware",
    # Whole public pages under the site version: below the security and CSP headers, so cached
    # answers carry them too, and below DatabaseDownMiddleware for the 503 (see pcc/cache.py).
    "pcc.cache.PageCacheMiddleware",
    "series.api.middleware.ApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, its storage made only when asked for (the admin's messages).
    "pcc.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so a locked-out login is answered before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pcc.urls"
WSGI_APPLICATION = "pcc.wsgi.application"

TEMPLATES = [
    # The public pages (templates_jinja2/): compiled templates with Django's lookups and filters,
    # see pcc/jinja2.py. The admin keeps Django's engine (templates/).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates_jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "pcc.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "series.context_processors.site",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csrf",
                "series.context_processors.site",
            ],
            # {% url %} with its answers remembered per process (pcc/reversing.py).
            "builtins": ["series.templatetags.cached_url"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'pcc.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two editors saving at once queue
    # behind each other instead of one failing with "database is locked".
    # A page cache of up to 64 MB per connection (SQLite's default is 2 MB): the shipped record
    # alone is a 2.2 MB file, and with the default, pages read by one request were gone by the
    # next, so every query read its pages from the file again (the champions' 310 rows 0.80 ms,
    # 0.44 with the file's pages kept). Memory is taken only as pages are read.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA cache_size = -65536",
        }
    )
    # Tests run on a file too, not in memory: threads share an in-memory test database through
    # SQLite's shared cache, which answers a second writer "table is locked" at once instead of
    # waiting, so concurrent saves (tests/test_concurrency.py) and backups could not be tested as
    # production runs them. One file per test process: several test runs may share this machine.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"pcc-test-{os.getpid()}.sqlite3")
    }
    # Django's backend, remembering its placeholder rewrite per statement (pcc/sqlite3/base.py).
    DATABASES["default"]["ENGINE"] = "pcc.sqlite3"

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query to machine code (JIT) once its estimated cost passes
    # jit_above_cost; the series page's season list is estimated high and spent 46 of its 71 ms
    # compiling (docs/benchmarks.md). The site's queries are short: JIT only ever costs here.
    #
    # A database that is unreachable or hung must cost a request a few seconds and the 503 page,
    # never a worker forever: libpq gives up connecting after DB_CONNECT_TIMEOUT seconds (a
    # closed port fails at once; a server that accepts and never answers takes this long), and
    # the server cancels any statement running longer than DB_STATEMENT_TIMEOUT_MS (a lock held
    # by a stuck transaction, a runaway query). 0 turns either off.
    #
    # The statement and answer limits are for the processes that serve requests (pcc/wsgi.py and
    # asgi.py set PCC_SERVING): management commands (migrate, imports) and bench/synthetic.py may
    # run long statements, and default to no limit.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 3))
    _serving = env_bool("PCC_SERVING", default=False)
    _statement_ms = env_int("DB_STATEMENT_TIMEOUT_MS", 5000 if _serving else 0)
    if _statement_ms < 0:
        raise ImproperlyConfigured(
            f"DB_STATEMENT_TIMEOUT_MS must be 0 or more; got {_statement_ms}"
        )
    # pg_trgm's word-similarity threshold (default 0.6) is what the search's trigram index
    # answers to (series/selectors/search.py): a query word 0.3 alike a word of a name is a
    # candidate, so "Voorde" finds "ten Voorde" and a typo finds its name.
    _db_options.setdefault(
        "options",
        f"-c jit=off -c statement_timeout={_statement_ms} -c pg_trgm.word_similarity_threshold=0.3",
    )
    # A server that stops answering on a connection already open (frozen, hung) cannot cancel
    # anything itself: the app stops waiting after DB_ANSWER_TIMEOUT_MS and answers 503
    # (pcc/postgresql/base.py: Django's backend with that limit on every wait).
    DATABASES["default"]["ENGINE"] = "pcc.postgresql"
    DB_ANSWER_TIMEOUT_MS = env_int(
        "DB_ANSWER_TIMEOUT_MS", _statement_ms + 2000 if _statement_ms else (8000 if _serving else 0)
    )

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, degrading to "no cache" while Redis is down or hung (a read is a
            # miss, a write is dropped) instead of failing the page: pcc/cache_backends.py.
            "BACKEND": "pcc.cache_backends.FaultTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pcc",
            "TIMEOUT": 60 * 60,
            "OPTIONS": {
                # Seconds a hung Redis may cost one attempt; the breaker then skips it a while.
                "socket_connect_timeout": env_int("REDIS_TIMEOUT_MS", 500) / 1000,
                "socket_timeout": env_int("REDIS_TIMEOUT_MS", 500) / 1000,
            },
        }
    }
else:
    CACHES = {
        "default": {
            # Django's LocMemCache, serving pages and API answers without unpickling their
            # bodies on each hit (pcc/cache_backends.py).
            "BACKEND": "pcc.cache_backends.LocalMemoryCache",
            "LOCATION": "pcc",
            "TIMEOUT": 60 * 60,
        }
    }
# Whole public pages, cached under the site version (pcc/cache.py); PAGE_CACHE=0 turns it off.
PAGE_CACHE = env_bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
# An English-only site. With translation off Django still formats numbers and dates the en-GB way
# (LANGUAGE_CODE's format module), but skips looking the active language up again for every value
# a template prints: about 3 µs a number and 7 a date, a few milliseconds of a cold results table.
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A session's admin page posts its whole classification: 13 fields per car plus the inline's
# management fields and the session's own. 80 cars were 1,082 fields, over Django's default of
# 1,000 (answered 400); 5,000 lets a 100-car field (about 1,400) and the largest grids save, and
# still bounds what one request may send.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5_000

# --- security -------------------------------------------------------------------------------
SECURE_HTTPS = env_bool("SECURE_HTTPS", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Editors' sessions (the public site has none): gone when the browser closes, and after 12 hours
# at most whatever the browser does, so a forgotten login on a shared machine does not last days.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The CSRF token is read from the page (hx-headers on <body>), never by script from the cookie.
CSRF_COOKIE_HTTPONLY = True
if SECURE_HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe the app port directly over plain HTTP; a redirect would read as down.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix pins the cookie to this host, over HTTPS, at path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    # Preload is a promise to every browser maker that is slow to take back (removal takes
    # months), so it is opt-in through SECURE_HSTS_PRELOAD, and check --deploy's reminder about it
    # (W021) is silenced rather than answered by default.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "manifest-src": ["'self'"],
    }
}

# django-axes: 5 failures for one username from one address within 15 minutes locks that pair.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "429.html"
# The client's address comes from django-ipware (axes' "ipware" extra; without it axes only ever
# sees REMOTE_ADDR, which behind a proxy is the proxy: one lock for everybody).
if BEHIND_PROXY:
    # AXES_PROXY_COUNT is how many proxies stand in front of the app (one nginx or load balancer:
    # 1). Each appends the address it saw to X-Forwarded-For and the last one is REMOTE_ADDR, so
    # the client is that many entries from the right; entries further left come from the client
    # and can be forged. ipware counts only the proxies listed in the header, hence the - 1.
    _proxies = env_int("AXES_PROXY_COUNT", 1)
    if _proxies < 1:
        raise ImproperlyConfigured(f"AXES_PROXY_COUNT must be 1 or more; got {_proxies}")
    AXES_IPWARE_PROXY_COUNT: int | None = _proxies - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = env_list(
        "AXES_IP_HEADERS", ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    )
    # Not strict: a header with forged entries prepended still yields the address our proxy saw,
    # instead of being thrown away in favour of REMOTE_ADDR (the proxy, shared by every client).
    IPWARE_STRICT = False
else:
    # Nothing in front of the app: only the socket's address can be trusted.
    AXES_IPWARE_PROXY_COUNT = None
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SITE_NAME = "pcc"
SITE_TAGLINE = "The Porsche one-make racing pyramid: Supercup, Carrera Cups, Sprint Challenge"
