"""Whole public pages cached under the site version, so a page is never served after a save.

Every save to the record raises SiteVersion (series/signals.py) and the version is part of every
key: after an editor's save, the next request in any process reads the new version (one query)
and misses every older copy. The browser is told `Cache-Control: no-cache` with an ETag (a hash
of the body), so it asks each time and gets a 304 while the page is unchanged: a browser never
shows a stale result either, where `max-age` would let it for that long after a save.

What is never cached: anything but GET/HEAD; /admin/, /api/ (it has its own ETag logic),
/healthz and /static/; a request carrying a session cookie (an editor: the public pages do not
vary by user, but a logged-in reader must never be handed, or hand others, a page of theirs);
and a response that is not a plain 200, sets a cookie, says private/no-store/no-cache, or varies
on a header the key does not hold.

CSRF: the public site has no form that posts, so its pages carry no CSRF token (base.html puts
the token in `hx-headers` only for a logged-in user, who is never served from here). A page that
did use the token would set the CSRF cookie, and a response setting a cookie is not stored, so a
token can never be handed to another reader even if a template starts using one.

The key holds the scheme, host, path and query string (pages print their own absolute address),
the method and the two htmx headers, so a fragment and a full page never mix, and the hash of the
static files' manifest, so a deploy never serves pages linking stylesheets it replaced. Entries
also expire after PAGE_CACHE_SECONDS (60 by default): pages that depend on the clock (the next
event, a round marked "next") change at most that long after the moment passes, with no save.

It sits below the security, CSP and WhiteNoise middleware, so those headers are added to every
answer, cached or not; everything below it (sessions, CSRF, auth, messages, htmx) is skipped on a
hit, its headers (X-Frame-Options, Vary) stored with the page.
"""

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_vary_headers,
    set_response_etag,
)

from series.models import SiteVersion

log = logging.getLogger(__name__)

EXCLUDED_PREFIXES = ("/admin/", "/api/", "/healthz", "/static/")
# Only the public HTML pages (series/urls.py). The calendar files, feeds, sitemap and CSV
# downloads set their own Cache-Control and ETag from the site version, and stay as they are.
PAGE_NAMESPACE = "series"
CACHEABLE_METHODS = ("GET", "HEAD")
# Request headers that change the answer of a public page; each is part of the key.
VARIANT_HEADERS = ("HX-Request", "HX-History-Restore-Request")
# A stored page may vary on these only: the htmx headers are in the key, and Cookie (the session
# middleware adds it when a template asks for the user) does not matter because requests with a
# session cookie never reach the cache.
KEYED_VARY = {"hx-request", "hx-history-restore-request", "cookie"}
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
DEFAULT_SECONDS = 60


def _is_cacheable_request(request: HttpRequest) -> bool:
    # Every public page's address ends with "/" (series/urls.py); the calendar files, feeds,
    # sitemap and downloads do not. Whether the view really was a public page is checked before
    # storing (_is_page), so this cheap test only spares those a lookup.
    if request.method not in CACHEABLE_METHODS or not request.path.endswith("/"):
        return False
    if request.path.startswith(EXCLUDED_PREFIXES):
        return False
    return not (
        settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers
    )


def _is_page(request: HttpRequest) -> bool:
    """Answered by a view of series/urls.py (Django notes the match on the request)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.namespace == PAGE_NAMESPACE


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


def page_key(request: HttpRequest, version: int, release: str = "") -> str:
    variant = "|".join(request.headers.get(name, "") for name in VARIANT_HEADERS)
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:v{version}:{release}:{request.method}:{variant}:{address}"


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
        quote = connection.ops.quote_name
        meta = SiteVersion._meta
        self.version_sql = (
            f"SELECT {quote(meta.get_field('version').column)} FROM {quote(meta.db_table)} "  # noqa: S608
            f"WHERE {quote(meta.pk.column)} = %s"
        )

    def site_version(self) -> int:
        """The one query of a page served from the cache: the same as
        series.selectors.cache.site_version(), in plain SQL because on this path compiling the
        queryset costs more than running the query."""
        with connection.cursor() as cursor:
            cursor.execute(self.version_sql, [1])
            row = cursor.fetchone()
        return row[0] if row else 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_cacheable_request(request):
            return self.get_response(request)
        try:
            version = self.site_version()
        except DatabaseError:
            # The view will fail the same way and DatabaseDownMiddleware answers 503 for it.
            return self.get_response(request)
        key = page_key(request, version, self.release)
        stored = self._get(key)
        if stored is not None:
            response = self._rebuild(stored)
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not (_is_page(request) and _is_storable(response)):
                return response
            self._prepare(response)
            self._set(key, response)
            response["X-Page-Cache"] = "miss"
        return get_conditional_response(request, etag=response["ETag"], response=response)

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
            return self.cache.get(key)
        except Exception:
            log.exception("page cache: read failed")
            return None

    def _set(self, key: str, response: HttpResponse) -> None:
        stored = {
            "status": response.status_code,
            "headers": dict(response.items()),
            "content": response.content,
        }
        try:
            self.cache.set(key, stored, self.timeout)
        except Exception:
            log.exception("page cache: write failed")

    @staticmethod
    def _rebuild(stored: dict) -> HttpResponse:
        return HttpResponse(stored["content"], status=stored["status"], headers=stored["headers"])
