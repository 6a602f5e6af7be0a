"""The read-only JSON API at /api/v1/ (django-ninja; the OpenAPI document is generated from it).

One router per resource, each calling the selectors of the resource's page, so the page and the API
show the same figures:

    series.py     /series/, /series/{series}/                  (series_page)
    seasons.py    /seasons/, /series/{series}/{year}/          (season_page)
    standings.py  /series/{series}/{year}/standings/           (get_season, get_standings)
    events.py     /events/, /events/{event}/, .../{session}/   (event_page, session_page)
    revisions.py  /events/{event}/{session}/revisions/         (describe_revisions)
    drivers.py    /drivers/, /drivers/{driver}/                (driver_page)
    teams.py      /teams/, /teams/{team}/                      (team_page)
    circuits.py   /circuits/, /circuits/{circuit}/             (circuit_page)
    champions.py  /champions/                                  (champion_record)

schemas.py holds the response shapes, pagination.py the page-number pagination of every list,
common.py the references, lookups and filter checks the routers share, middleware.py the caching
headers, CORS and the refusal of hostile input for every /api/ path.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.openapi.docs import DocsBase
from ninja.operation import Operation

from . import champions, circuits, drivers, events, revisions, seasons, standings, teams
from . import series as series_routes
from .common import format_duration


class ApiDocs(DocsBase):
    """Swagger UI from the copy django-ninja ships, started by our own static script: the site's
    content security policy allows no CDN and no inline script, which ninja's own page needs."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        operations = [
            {
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "parameters": [
                    parameter["name"]
                    for parameter in operation.get("parameters", ())
                    if parameter.get("in") == "query"
                ],
            }
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()
        ]
        context = {
            "api": api,
            "openapi_url": self.get_openapi_url(api, kwargs),
            "operations": operations,
        }
        return render(request, "api_docs.html", context)


class PccApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The ids the operations had while the API was one module (series/api.py): clients
        # generated from the OpenAPI document keep their method names.
        return f"series_api_{operation.view_func.__name__}"


api = PccApi(
    title="pcc API",
    version="1",
    description="Read-only open data of the Porsche one-make racing pyramid. Identifiers are the "
    "stable slugs of the public site. Every list is paginated by page number (django-ninja's "
    "PageNumberPagination): `?page=` (from 1) "
    "and `?page_size=` (default 50, at most 200); the body carries `count`, `page`, `page_size`, "
    "`next`, `previous` and `items`. Responses carry `ETag` and `Last-Modified` and answer 304 to "
    "a matching `If-None-Match` or `If-Modified-Since`. Any origin may read (CORS). Bad parameters "
    'get a 400 and an unknown slug a 404, both with `{"detail": "..."}`.',
    urls_namespace="api",
    docs=ApiDocs(),
)


@api.exception_handler(ValidationError)
def _bad_parameters(request: HttpRequest, exc: ValidationError):
    # Bad parameters are the caller's mistake: a 400 with a message, not pydantic's 422.
    messages = []
    for error in exc.errors:
        where = ".".join(
            str(part) for part in error.get("loc", ()) if part not in ("query", "path")
        )
        messages.append(
            f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", "")
        )
    return api.create_response(request, {"detail": "; ".join(messages)}, status=400)


class IndexOut(Schema):
    title: str
    version: str
    docs: str
    openapi: str
    endpoints: dict[str, str]


@api.get(
    "/",
    response=IndexOut,
    summary="Where everything is",
    description="Links to the documentation, the OpenAPI document and every list.",
    tags=["index"],
)
def index(request: HttpRequest):
    root = request.path
    return {
        "title": api.title,
        "version": api.version,
        "docs": f"{root}docs",
        "openapi": f"{root}openapi.json",
        "endpoints": {
            name: f"{root}{name}/"
            for name in (
                "series",
                "seasons",
                "events",
                "drivers",
                "teams",
                "circuits",
                "champions",
            )
        },
    }


for routes in (standings, series_routes, seasons, events, drivers, teams, circuits, champions):
    api.add_router("", routes.router)
api.add_router("", revisions.router)

__all__ = ["api", "format_duration"]
