"""Open CORS and conditional GET for the read-only API under /api/.

The API is open data: any origin may read it, so every /api/ response says
`Access-Control-Allow-Origin: *` and a preflight OPTIONS is answered here, before any view.
Successful GETs carry an ETag (a hash of the body) and a Last-Modified (when this body was first
served), and a client that already holds them gets a 304 without the body.
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from pcc.cache_backends import CACHE_ERRORS

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
            response = self.get_response(request)
            if request.method == "GET" and response.status_code == 200:
                response = self._conditional(request, response)
            if head:
                request.method = "HEAD"
                if not response.streaming:
                    response.content = b""
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
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
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )
