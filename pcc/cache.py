"""Whole public pages cached under the versions of what they show: never served after a save to
that, and left cached by saves to anything else.

Every save to the record stamps the parts it touched (a season, its series, an event, a driver...;
series/versions.py) and each page's key carries the highest version among the parts it shows: a
season's pages their season, a driver's page the driver and the seasons of their career, home and
the lists the listings. After an editor's save, the next request in any process reads its page's
version (one query) and misses the older copy if, and only if, the save touched what the page
shows: a Supercup result leaves the Carrera Cup GB pages cached. The browser is told
`Cache-Control: no-cache` with an ETag (a hash of the body), so it asks each time and gets a 304
while the page is unchanged: a browser never shows a stale result either, where `max-age` would
let it for that long after a save.

Which views are cached is said by each view: `@page_cache(filters=SomeFilters)` (below) declares
it a public page and names the form (series/filters.py) whose fields are the query parameters it
reads. A view without the decorator is never cached (the feeds, sitemap and CSV downloads set their
own Cache-Control and ETag); tests/test_page_cache.py checks that every address of series/urls.py
and the calendar files is declared one way or the other (`never_page_cached`).

What is never cached: anything but GET/HEAD; /admin/, /api/ (it has its own cache,
series/api/middleware.py), /healthz and /static/; a request with a valid session of a logged-in user
(an editor: the public pages do not vary by user, but a logged-in reader must never be handed, or
hand others, a page of theirs); and a response that is not a plain 200, sets a cookie, says
private/no-store/no-cache, or varies on a header the key does not hold.

CSRF: the public site has no form that posts, so its pages carry no CSRF token (base.html puts
the token in `hx-headers` only for a logged-in user, who is never served from here). A page that
did use the token would set the CSRF cookie, and a response setting a cookie is not stored, so a
token can never be handed to another reader even if a template starts using one.

The key holds the scheme, host and path, the page's own query parameters (its form's fields, each
value as the form field cleans it), the method and the two htmx headers, so a fragment and a full
page never mix, and the hash of the static files' manifest, so a deploy never serves pages linking
stylesheets it replaced. Entries also expire after PAGE_CACHE_SECONDS (60 by default): pages that
depend on the clock (the next event, a round marked "next") change at most that long after the
moment passes, with no save.

Known parameters only: a parameter a page does not read (`utm_*`, `fbclid`, anything else) makes
no variant. The view is handed the request without it, so the page computed is exactly the page of
the clean address and every reader of a campaign link shares one copy. A bad filter is answered 200
with a notice, the filter ignored (series/views/rendering.py), and is cached like any page: a value
of the wrong shape for its form field (NUL, overlong, not a number...) is keyed as one INVALID
value per parameter, whatever it was, since the notice names none; a value of the right shape that
the data does not offer (a class the season does not have) is keyed by its value, bounded by its
shape. Each view's reads are watched on a miss: a view asking for a parameter its form does not
declare is not stored (and logged as an error), so a page that grows a filter can cost speed until
it is declared, never correctness.

Session cookies: only a valid session of a logged-in user passes by the cache. A bogus cookie (not
the shape of a session key) costs nothing; a well-formed one costs one query to look the session up;
a stale or anonymous one is served from the cache like any reader.

It sits below the security, CSP and WhiteNoise middleware, so those headers are added to every
answer, cached or not; everything below it (sessions, CSRF, auth, messages, htmx) is skipped on a
hit, its headers (X-Frame-Options, Vary) stored with the page.
"""

import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY as SESSION_USER_KEY
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

from pcc.cache_backends import get_lasting, set_lasting
from series import versions
from series.filters import QueryFilters

log = logging.getLogger(__name__)

# GZipMiddleware's own test of Accept-Encoding.
re_accepts_gzip = _lazy_re_compile(r"\bgzip\b")

EXCLUDED_PREFIXES = ("/admin/", "/api/", "/healthz", "/static/")
CACHEABLE_METHODS = ("GET", "HEAD")
# Request headers that change the answer of a public page; each is part of the key.
VARIANT_HEADERS = ("HX-Request", "HX-History-Restore-Request")
# A stored page may vary on these only: the htmx headers are in the key, and Cookie (the session
# middleware adds it when a template asks for the user) does not matter because a logged-in user's
# request never reaches the cache, and every other reader gets the same page.
KEYED_VARY = {"hx-request", "hx-history-restore-request", "cookie"}
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
DEFAULT_SECONDS = 60


# --- which views are cached, and the parameters each reads --------------------------------------

# The key's stand-in for a value of the wrong shape: every such value of a parameter is one
# variant (the page ignores it with a notice that does not repeat it; series/filters.py).
INVALID = "\x00invalid"


@dataclass(frozen=True)
class CachedPage:
    """What @page_cache declares on a view: it may be cached, and it reads the parameters of
    `filters` (a series.filters form) and no other."""

    filters: type[QueryFilters] | None = None

    @property
    def parameters(self) -> tuple[str, ...]:
        return self.filters.parameters() if self.filters is not None else ()

    def key_parameters(self, query: QueryDict) -> list[tuple[str, str]]:
        """The page's own parameters in the request, as the page will read them (the last value
        of a repeated one, cleaned by its form field), sorted; a value of the wrong shape is
        INVALID. Anything else in the query string makes no variant."""
        found = []
        for name in self.parameters:
            raw = query.get(name)
            if raw is None or self.filters is None:
                continue
            shaped = self.filters.shape(name, raw)
            if shaped != "":
                found.append((name, INVALID if shaped is None else shaped))
        return sorted(found)


V = TypeVar("V", bound=Callable[..., HttpResponse])


def page_cache(filters: type[QueryFilters] | None = None) -> Callable[[V], V]:
    """Declare a view a cacheable public page that reads the query parameters of `filters` (its
    form) and no other: they, validated by that form, are its key's parameters. Outermost, above
    @require_safe and the like."""

    def declare(view: V) -> V:
        view.page_cache = CachedPage(filters)  # type: ignore[attr-defined]
        return view

    return declare


def never_page_cached(view: V) -> V:
    """Declare a public view that the page cache must pass by (say why where it is used)."""
    view.page_cache = None  # type: ignore[attr-defined]
    return view


def declaration(view: Callable) -> CachedPage | None:
    """The view's @page_cache declaration; None for a view not declared cacheable."""
    found = getattr(view, "page_cache", None)
    return found if isinstance(found, CachedPage) else None


# The shape of Django's session keys (32 characters of [a-z0-9]); anything else is no session.
SESSION_KEY = re.compile(r"[a-z0-9]{32}")


class _WatchedQueryDict(QueryDict):
    """request.GET that notes every parameter a view asks for, present or not; listing them all
    (items(), iteration, copying) counts as asking for every one."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.asked: set[str] = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        self.asked.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)

    def _asks_all(self) -> None:
        self.asked.add("*")

    def __iter__(self):
        self._asks_all()
        return super().__iter__()

    def items(self):
        self._asks_all()
        return super().items()

    def lists(self):
        self._asks_all()
        return super().lists()

    def values(self):
        self._asks_all()
        return super().values()

    def keys(self):
        self._asks_all()
        return super().keys()

    def dict(self):
        self._asks_all()
        return super().dict()

    def copy(self):
        self._asks_all()
        return super().copy()

    def urlencode(self, safe=None):
        self._asks_all()
        return super().urlencode(safe)


def _hand_clean(
    request: HttpRequest, page: CachedPage, params: list[tuple[str, str]]
) -> _WatchedQueryDict:
    """The view sees only the page's own parameters: the page it computes is the clean address's
    (a value of the wrong shape goes through, as the page ignores it, naming no value)."""
    watched = _WatchedQueryDict(mutable=True)
    for name in page.parameters:
        raw = request.GET.get(name)
        if raw is not None:
            watched[name] = raw
    watched._mutable = False
    # A QueryDict that records what the view reads; the stubs type request.GET as immutable.
    request.GET = watched  # type: ignore[assignment]
    request.META["QUERY_STRING"] = urlencode(
        [(name, value) for name, value in params if value != INVALID]
    )
    return watched


def _logged_in(request: HttpRequest) -> bool:
    """A valid session of a logged-in user (one query, and only for a well-formed key)."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key or not SESSION_KEY.fullmatch(key):
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    try:
        return bool(store.get(SESSION_USER_KEY))
    except DatabaseError:
        # The page will fail the same way and DatabaseDownMiddleware answers 503 for it.
        return True


def _is_cacheable_request(request: HttpRequest) -> bool:
    # The admin, the API (its own cache, series/api/middleware.py), the health check and static
    # files are never pages: spared the URL lookup.
    if request.method not in CACHEABLE_METHODS or request.path.startswith(EXCLUDED_PREFIXES):
        return False
    return "Authorization" not in request.headers


def _is_page(request: HttpRequest, page: CachedPage) -> bool:
    """Answered by the view declared (Django notes the match on the request)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and declaration(match.func) is page


def _is_storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES):
        return False
    vary = {
        header.strip().lower() for header in response.get("Vary", "").split(",") if header.strip()
    }
    return vary <= KEYED_VARY


def page_key(
    request: HttpRequest,
    version: int,
    release: str = "",
    params: Sequence[tuple[str, str]] = (),
) -> str:
    variant = "|".join(request.headers.get(name, "") for name in VARIANT_HEADERS)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(params)}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:v{version}:{release}:{request.method}:{variant}:{digest}"


def _release() -> str:
    """The hash of the static files' manifest: pages link the hashed file names, so a deploy that
    changes a stylesheet must not serve pages (from a shared Redis) that link the old one."""
    return getattr(staticfiles_storage, "manifest_hash", "") or ""


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        # PAGE_CACHE=0 turns it off: the benchmark's uncached server, and the test suite, whose
        # query-count tests measure the views themselves (tests/test_page_cache.py turns it on).
        if not getattr(settings, "PAGE_CACHE", True):
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.cache = caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_SECONDS)
        self.release = _release()
        self.token_sql = versions.token_sql()

    def page_version(self, url_name: str, kwargs: dict) -> int:
        """The one query of a page served from the cache: the highest version among the parts of
        the record the page shows (series/versions.py), in plain SQL because on this path
        compiling a queryset costs more than running the query."""
        family = versions.PAGE_FAMILIES[url_name]
        versions.forget_stamps()
        with connection.cursor() as cursor:
            cursor.execute(self.token_sql[family], versions.token_args(family, kwargs))
            row = cursor.fetchone()
        return (row[0] if row else None) or 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_cacheable_request(request):
            return self.get_response(request)
        found = self._match(request)
        if found is None:
            return self.get_response(request)
        match, page = found
        params = page.key_parameters(request.GET)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and _logged_in(request):
            return self.get_response(request)
        try:
            version = self.page_version(match.url_name or "", match.kwargs)
        except DatabaseError:
            # The view will fail the same way and DatabaseDownMiddleware answers 503 for it.
            return self.get_response(request)
        key = page_key(request, version, self.release, params)
        stored = self._get(key)
        if stored is not None:
            response = self._rebuild(stored, request)
            response["X-Page-Cache"] = "hit"
        else:
            watched = _hand_clean(request, page, params)
            response = self.get_response(request)
            if not (_is_page(request, page) and _is_storable(response)):
                return response
            undeclared = watched.asked - set(page.parameters)
            if undeclared:
                log.error(
                    "page cache: %s reads %s, not declared by its @page_cache form; not stored",
                    match.url_name,
                    ", ".join(sorted(undeclared)),
                )
                return response
            self._prepare(response)
            self._set(key, response)
            response["X-Page-Cache"] = "miss"
        conditional = get_conditional_response(request, etag=response["ETag"], response=response)
        assert conditional is not None  # given a response, it answers one
        return conditional

    @staticmethod
    def _match(request: HttpRequest) -> tuple[ResolverMatch, CachedPage] | None:
        """The URL match and the view's declaration when the view is declared cacheable
        (@page_cache) and its URL name has a family of versions; None for anything else."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        page = declaration(match.func)
        if page is None or match.url_name not in versions.PAGE_FAMILIES:
            return None
        return match, page

    @staticmethod
    def _prepare(response: HttpResponse) -> None:
        """Headers every cached page carries: the browser must ask again each time (no-cache),
        and an ETag lets it do so for a 304 instead of the body."""
        if not response.has_header("ETag"):
            set_response_etag(response)
        response.headers.setdefault("Cache-Control", "no-cache")
        if not has_vary_header(response, "HX-Request"):
            patch_vary_headers(response, ("HX-Request",))

    # A cache that stops answering (Redis restarting) costs speed, never the page itself.

    def _get(self, key: str) -> dict | None:
        try:
            return get_lasting(self.cache, key)
        except Exception:
            log.exception("page cache: read failed")
            return None

    def _set(self, key: str, response: HttpResponse) -> None:
        stored = {
            "status": response.status_code,
            "headers": dict(response.items()),
            "content": response.content,
            # Compressed once here rather than by CompressionMiddleware on every hit.
            "gzip": _compressed(response.content),
        }
        try:
            set_lasting(self.cache, key, stored, self.timeout)
        except Exception:
            log.exception("page cache: write failed")

    @staticmethod
    def _rebuild(stored: dict, request: HttpRequest) -> HttpResponse:
        compressed = stored.get("gzip")
        if compressed is None or not re_accepts_gzip.search(
            request.headers.get("Accept-Encoding", "")
        ):
            return HttpResponse(
                stored["content"], status=stored["status"], headers=stored["headers"]
            )
        response = HttpResponse(compressed, status=stored["status"], headers=stored["headers"])
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(compressed))
        patch_vary_headers(response, ("Accept-Encoding",))
        # As GZipMiddleware does: the bytes differ from the uncompressed page's.
        if response["ETag"].startswith('"'):
            response["ETag"] = "W/" + response["ETag"]
        return response


def _compressed(content: bytes) -> bytes | None:
    """The gzip body, when compression pays (GZipMiddleware's own rules)."""
    if len(content) < 200:
        return None
    compressed = compress_string(content)
    return compressed if len(compressed) < len(content) else None
