"""Health check for the load balancer, and a friendly answer while the database is down."""

import logging
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

# How long a browser or crawler should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        log.exception("healthz: the database did not answer")
        return False


def _cache_round_trips() -> bool:
    # A random key and value per call: several app servers share one Redis, and a value left by
    # another process must not pass for this one's write.
    key = f"healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    round_trip = getattr(cache, "round_trip", None)
    try:
        # The fault-tolerant Redis backend hides outages from pages (a miss, a dropped write): ask
        # the server itself first, whatever its breaker says.
        if round_trip is not None and not round_trip():
            return False
        cache.set(key, value, timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception:
        # Each cache backend raises its own errors (redis.ConnectionError, OSError...).
        log.exception("healthz: the cache did not answer")
        return False
    return answered == value


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers, else 503; the body names the state of each part.

    A cache that does not answer is "degraded", not a failure: pages are then computed without it
    (pcc/cache_backends.py), slower but right, and a load balancer must not take every app server
    out of service because the one Redis they share is restarting. Answers HEAD too, which is
    what load balancers' checks send. Touches neither the session nor the user, so it sets no
    cookie and costs no session query."""
    checks = {
        "database": "ok" if _database_answers() else "failed",
        "cache": "ok" if _cache_round_trips() else "degraded",
    }
    return JsonResponse(checks, status=200 if checks["database"] == "ok" else 503)


def database_down_response() -> HttpResponse:
    # Rendered without the request: no context processor may run (the auth one would reach for
    # the session, which lives in the database).
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseDownMiddleware:
    """A view that fails because the database is unreachable answers 503 with Retry-After and a
    page saying so, instead of the 500 page: the outage is ours and temporary, and crawlers
    treat a 503 as "come back later" rather than as a broken page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # OperationalError: the server is gone or refuses connections; InterfaceError: the
        # connection broke under us. Other database errors (IntegrityError...) are bugs: 500.
        if isinstance(exception, OperationalError | InterfaceError):
            log.error("database unavailable on %s: %s", request.path, exception)
            return database_down_response()
        return None


# Included from pcc/urls.py, so the project's URL list gains one line and no import.
urlpatterns = [path("", healthz, name="healthz")]
