"""Open CORS and conditional GET for the read-only API under /api/.

The API is open data: any origin may read it, so every /api/ response says
`Access-Control-Allow-Origin: *` and a preflight OPTIONS is answered here, before any view.
Successful GETs carry an ETag (a hash of the body) and a Last-Modified (when this body was first
served), and a client that already holds them gets a 304 without the body. Every read of the record
is kept in the cache under the version of what it shows (CACHED_OPERATIONS: a season's answers
under the season's version, a driver's under the driver's and their seasons', the lists under the
listings'): computed once per change of that part, not on every request.
"""

import datetime as dt
import functools
import hashlib
import logging
import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from pcc.cache_backends import CACHE_ERRORS, get_lasting, set_lasting

from .. import versions
from ..filters import QueryFilters, StandingsFilters

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# Headers a browser script may send on a cross-origin read: the conditional ones, and Accept.
ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type, If-Modified-Since, If-None-Match"
EXPOSED_HEADERS = "ETag, Last-Modified"
PREFLIGHT_MAX_AGE = 60 * 60 * 24
# How long the first-served time of a body is remembered; once forgotten the body simply gets a
# newer Last-Modified, which costs a client one full answer, never a stale one.
FIRST_SEEN_TIMEOUT = 60 * 60 * 24 * 30


def first_served(etag: str) -> int:
    """The time (seconds since the epoch) this exact body was first served. Kept in the shared
    cache, not in the process, so every app server gives the same Last-Modified; no database query
    (the API's query budgets stay as they are)."""
    key = f"api-first-served:{etag}"
    now = int(dt.datetime.now(tz=dt.UTC).timestamp())
    try:
        seen = cache.get_or_set(key, now, FIRST_SEEN_TIMEOUT)
    except CACHE_ERRORS as error:
        # The cache is down: the answer still goes out, with a Last-Modified of now (a client
        # fetches the body once more, never a stale one).
        log.warning("api: cache unavailable for Last-Modified: %s", error)
        return now
    return seen if seen is not None else now


Shape = Callable[[str], str | None]


def _form(form: type[QueryFilters], name: str) -> Shape:
    """A parameter the page's form reads: its shape, and its value as the form reads it."""
    return lambda raw: form.shape(name, raw)


def _matching(pattern: str) -> Shape:
    return lambda raw: raw if re.fullmatch(pattern, raw) else None


SLUG = r"[a-z0-9][a-z0-9_-]{0,99}"
YEAR = r"[0-9]{4}"
PAGES: dict[str, Shape] = {
    "page": _matching(r"[1-9][0-9]{0,5}"),
    "page_size": _matching(r"[1-9][0-9]{0,2}"),
}
LIST_FILTERS: dict[str, Shape] = {
    **PAGES,
    "series": _matching(SLUG),
    "year": _matching(YEAR),
    "tier": _matching(r"[0-9]"),
    "class": _matching(r"[\w .'&()/+-]{1,60}"),
    # Free text makes a variant per query; bounded, so a long one is answered without the cache.
    "q": _matching(r"[^\x00]{1,60}"),
}

# Operations answered from the cache: path pattern (its groups are the version query's arguments),
# the family of versions the answer shows (series/versions.py: the same families as the pages),
# and the query parameters it reads with their shapes. Any other parameter (utm_*, fbclid...)
# makes no variant and is removed before the endpoint runs; a value of the wrong shape is answered
# without the cache (the endpoint says why, with a 400); a value keys the cache as it is read (the
# standings' through the page's form).
CACHED_OPERATIONS: list[tuple[re.Pattern[str], str, dict[str, Shape]]] = [
    (
        re.compile(rf"/api/v1/series/(?P<series>{SLUG})/(?P<year>{YEAR})/standings/"),
        "season",
        {name: _form(StandingsFilters, name) for name in ("table", "class", "after")},
    ),
    (re.compile(rf"/api/v1/series/(?P<series>{SLUG})/(?P<year>{YEAR})/"), "season", {}),
    (re.compile(rf"/api/v1/series/(?P<series>{SLUG})/"), "series", {}),
    (re.compile(rf"/api/v1/events/(?P<event>{SLUG})/"), "event", {}),
    # A session's results and revisions stamp its event.
    (re.compile(rf"/api/v1/events/(?P<event>{SLUG})/{SLUG}/"), "event", {}),
    (re.compile(rf"/api/v1/events/(?P<event>{SLUG})/{SLUG}/revisions/"), "event", PAGES),
    (re.compile(rf"/api/v1/drivers/(?P<driver>{SLUG})/"), "driver", {}),
    (re.compile(rf"/api/v1/teams/(?P<team>{SLUG})/"), "team", {}),
    (re.compile(rf"/api/v1/circuits/(?P<circuit>{SLUG})/"), "circuit", {}),
    (
        re.compile(r"/api/v1/(?:series|seasons|events|drivers|teams|circuits|champions)/"),
        "listings",
        LIST_FILTERS,
    ),
]
# The version is in the key; the timeout only bounds what an abandoned version occupies.
CACHED_SECONDS = 60 * 60


def _cached_operation(request: HttpRequest) -> tuple[str, list, list] | None:
    if request.method != "GET":
        return None
    for pattern, family, shapes in CACHED_OPERATIONS:
        match = pattern.fullmatch(request.path)
        if match is None:
            continue
        params = []
        for name, values in request.GET.lists():
            shape = shapes.get(name)
            if shape is None:
                continue
            shaped = shape(values[0]) if len(values) == 1 else None
            if shaped is None:
                return None
            params.append((name, shaped))
        kwargs = match.groupdict()
        return family, versions.token_args(family, kwargs), params
    return None


def _version(family: str, args: list) -> int:
    versions.forget_stamps()
    with connection.cursor() as cursor:
        cursor.execute(_token_sql()[family], args)
        row = cursor.fetchone()
    return (row[0] if row else None) or 0


@functools.cache
def _token_sql() -> dict[str, str]:
    return versions.token_sql()


def _has_nul(text: str) -> bool:
    return "\x00" in text


def _refuse_hostile(request: HttpRequest) -> HttpResponse | None:
    """A NUL byte in the address or a parameter is never a real slug, name or number, and
    PostgreSQL refuses it in any text value (psycopg raises DataError, which would be a 500):
    answer 400 with the reason before any view or query sees it."""
    if _has_nul(request.path):
        return _error(400, "The address contains a NUL byte (%00); slugs never do.")
    for name, values in request.GET.lists():
        if _has_nul(name) or any(_has_nul(value) for value in values):
            shown = name.replace("\x00", "\\x00")
            return _error(400, f"Parameter {shown!r} contains a NUL byte (%00).")
    return None


def _error(status: int, detail: str) -> HttpResponse:
    return JsonResponse({"detail": detail}, status=status)


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        refused = _refuse_hostile(request)
        if refused is not None:
            response = refused
        elif request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
            response["Allow"] = ALLOWED_METHODS
        else:
            head = request.method == "HEAD"
            if head:
                # The operations are declared for GET only; HEAD is the same answer without a
                # body (its Content-Length and ETag still those of the GET).
                request.method = "GET"
            response = self._cached(request)
            if request.method == "GET" and response.status_code == 200:
                response = self._conditional(request, response)
            if head:
                request.method = "HEAD"
                if not response.streaming:
                    response.content = b""
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response

    def _cached(self, request: HttpRequest) -> HttpResponse:
        """The answer, from the cache for the operations of CACHED_OPERATIONS: stored under the
        version of the season it shows (series/versions.py), so it is rebuilt once per change
        of that season, whatever else editors save."""
        found = _cached_operation(request)
        if found is None:
            return self.get_response(request)
        family, args, params = found
        # The endpoint reads the known parameters only, in the order asked, as they key the cache
        # (in any order): its links to other pages of a list carry no stranger's parameters.
        request.GET = QueryDict(urlencode(params))
        try:
            version = _version(family, args)
        except DatabaseError:
            return self.get_response(request)  # answered 503 by DatabaseDownMiddleware
        digest = hashlib.sha256(f"{request.path}?{urlencode(sorted(params))}".encode()).hexdigest()
        key = f"api:v{version}:{digest}"
        try:
            stored = get_lasting(cache, key)
        except CACHE_ERRORS as error:
            log.warning("api: cache unavailable: %s", error)
            return self.get_response(request)
        if stored is not None:
            response = HttpResponse(stored["content"], headers=stored["headers"])
            response["X-Api-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        set_response_etag(response)
        # Stored with its Last-Modified, so a hit needs no second cache read for it.
        response["Last-Modified"] = http_date(first_served(response["ETag"]))
        stored = {"content": response.content, "headers": dict(response.items())}
        try:
            set_lasting(cache, key, stored, CACHED_SECONDS)
        except CACHE_ERRORS as error:
            log.warning("api: cache unavailable: %s", error)
        response["X-Api-Cache"] = "miss"
        return response

    def _conditional(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.streaming:
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(first_served(response["ETag"]))
        # Readers must revalidate: the record changes whenever an editor saves.
        response.headers.setdefault("Cache-Control", "public, max-age=0, must-revalidate")
        conditional = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )
        assert conditional is not None  # given a response, it answers one
        return conditional
