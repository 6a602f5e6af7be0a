"""The read-only JSON API at /api/v1/ (django-ninja; the OpenAPI document is generated from this).

Every list is paginated by page number (series.api_schemas.Pages); every object is named by the slug
of its public page. Synthetic records (the load generator's) are never served. Caching headers and
CORS are added for all /api/ paths by series.api_middleware.
"""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.pagination import paginate
from pydantic import ConfigDict

from .api_schemas import (
    ChampionOut,
    CircuitDetailOut,
    CircuitOut,
    DriverDetailOut,
    DriverOut,
    DriverRef,
    ErrorOut,
    EventDetailOut,
    EventOut,
    Pages,
    SeasonChampionOut,
    SeasonDetailOut,
    SeasonOut,
    SeriesDetailOut,
    SeriesOut,
    SessionDetailOut,
    TeamDetailOut,
    TeamOut,
    TeamRef,
)
from .models import (
    Champion,
    Circuit,
    Driver,
    Entry,
    Event,
    Result,
    ResultStatus,
    Round,
    Season,
    Series,
    Session,
    Team,
    Tier,
)
from .models.people import search_text
from .models.season import FIRST_SEASON_YEAR, LAST_SEASON_YEAR
from .selectors.cache import site_version
from .selectors.careers import Career, SeasonLine
from .selectors.citations import citations
from .selectors.drivers import driver_page
from .selectors.seasons import (
    mark_state,
    season_record,
    season_records,
    seasons_with_state,
)
from .selectors.sessions import class_positions, session_day, session_ends_at, session_state
from .selectors.standings import TABLES, get_standings
from .selectors.teams import team_page

# The years a season may have (the Season model's constraint). Bounds in the schema turn an absurd
# year into a 400 instead of an overflow in the database driver.
FIRST_YEAR, LAST_YEAR = FIRST_SEASON_YEAR, LAST_SEASON_YEAR
YEAR_PATH = Path(..., ge=FIRST_YEAR, le=LAST_YEAR, description="the season's year")


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


api = NinjaAPI(
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


class RoundPointsOut(Schema):
    round: int
    points: float | None = Field(description="null: the result is unknown (never 0 for unknown)")
    dropped: bool


class StandingRowOut(Schema):
    position: int | None = Field(description="null: not ranked (guest, excluded, incomplete)")
    driver: DriverRef | None = None
    team: TeamRef | None = None
    complete: bool = Field(description="false: some round's result is unknown; not ranked")
    points: float | None = Field(description="null for an incomplete row: see points_known")
    points_known: float | None = Field(
        description="the points of the known rounds (no drops if incomplete); null when no "
        "round's points are known (no points scale on record)"
    )
    wins: int | None = Field(description="null for an incomplete row: see wins_known")
    wins_known: int
    podiums: int | None
    podiums_known: int
    published_points: float | None = Field(
        None, description="the organiser's published figure for this row, where held"
    )
    gap: float | None
    eligible: bool
    excluded: bool
    rounds: list[RoundPointsOut]


class StandingsOut(Schema):
    series: str
    year: int
    table: str
    class_: str | None = Field(None, alias="class")
    after_round: int | None
    last_round: int | None = Field(description="the last round with a result on record")
    state: str = Field(description="none, partial, provisional, running or final")
    in_progress: bool = Field(description="a round still to run or a result not yet final")
    basis: str = Field(description="what the figures are: computed from the results on record")
    complete: bool
    partial: bool
    champions: list[SeasonChampionOut] = Field(description="titles on record (finished seasons)")
    rows: list[StandingRowOut]

    model_config = ConfigDict(populate_by_name=True)


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _parse_after(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    if len(raw) > 5:
        # A round number has at most a few digits; a longer one would only grow the cache key.
        raise HttpError(400, f"after must be a round number; got {raw[:12]!r}...")
    try:
        value = int(raw)
    except ValueError:
        raise HttpError(400, f"after must be a round number; got {raw!r}.") from None
    if value < 1:
        raise HttpError(400, f"after must be a round number of 1 or more; got {value}.")
    return value


@api.get(
    "/series/{series}/{year}/standings/",
    response={200: StandingsOut, 400: ErrorOut, 404: ErrorOut},
    by_alias=True,
    summary="A season's standings",
    description="Drivers' or teams' table, overall or for one class, after any round.",
)
def season_standings(
    request: HttpRequest,
    series: str,
    year: int = YEAR_PATH,
    table: str = Query("drivers", description="drivers or teams"),
    class_: str | None = Query(None, alias="class", description="a class slug of the season"),
    after: str | None = Query(None, description="a round number: the table as it stood then"),
):
    if table not in TABLES:
        raise HttpError(400, f"table must be one of {', '.join(TABLES)}; got {table!r}.")
    if class_ and (len(class_) > 60 or not re.fullmatch(r"[-a-zA-Z0-9_]+", class_)):
        # A class slug is at most 60 letters, digits and dashes (SeasonClass.slug): anything else
        # names no class, and would only grow the cache key.
        raise HttpError(400, f"class must be a class slug of the season; got {class_[:20]!r}.")
    after_round = _parse_after(after)
    season = get_object_or_404(
        seasons_with_state().select_related("series", "scoring"),
        series__slug=series,
        year=year,
    )
    mark_state(season)
    version = site_version()
    try:
        standings = get_standings(season, table, class_ or None, after_round, version=version)
    except ValueError as error:
        raise HttpError(400, str(error)) from None
    record = season_record(season, version=version)
    published = (
        record.published if table == "drivers" and not class_ and after_round is None else {}
    )
    champions = record.champions if season.finished else []
    rows = []
    for row in standings.rows:
        out: dict[str, Any] = {
            "position": row.position,
            "complete": row.complete,
            "points": _number(row.points) if row.complete else None,
            "points_known": None if row.points_unknown else _number(row.points),
            "wins": row.wins if row.complete else None,
            "wins_known": row.wins,
            "podiums": row.podiums if row.complete else None,
            "podiums_known": row.podiums,
            "published_points": _number(points)
            if (points := published.get(row.key, published.get(row.name))) is not None
            else None,
            "gap": _number(row.gap) if row.gap is not None else None,
            "eligible": row.eligible,
            "excluded": row.excluded,
            "rounds": [
                {
                    "round": rp.round,
                    "points": _number(rp.points) if rp.points is not None else None,
                    "dropped": rp.dropped,
                }
                for rp in row.rounds
            ],
        }
        if table == "drivers":
            out["driver"] = {"slug": row.key, "name": row.name, "nationality": row.nationality}
        else:
            out["team"] = {"slug": row.key, "name": row.name}
        rows.append(out)
    return {
        "series": season.series.slug,
        "year": season.year,
        "table": table,
        "class_": class_ or None,
        "after_round": after_round,
        "last_round": standings.last_round,
        "state": season.state,
        "in_progress": season.in_progress,
        "basis": "computed from the results on record",
        "complete": standings.complete,
        "partial": season.results_partial,
        "champions": _champions_out(champions),
        "rows": rows,
    }


def _champions_out(champions) -> list[dict]:
    return [
        {
            "class": champion.class_name,
            "name": champion.name,
            "driver": champion.driver_slug,
            "published_points": _number(champion.published_points)
            if champion.published_points is not None
            else None,
        }
        for champion in champions
    ]


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


# --- helpers ---------------------------------------------------------------------------------

LIST_RESPONSES = {400: ErrorOut}
DETAIL_RESPONSES: dict[int, type[ErrorOut]] = {400: ErrorOut, 404: ErrorOut}
# Statuses of a car that never took the start: not counted as a start in a career.
NOT_STARTED = (ResultStatus.NOT_STARTED, ResultStatus.NOT_QUALIFIED)


class Mapped:
    """A queryset the paginator can count and slice, whose items come out as response dicts: the
    API says exactly what it serialises instead of leaning on attribute lookups that may query."""

    def __init__(self, queryset: QuerySet, to_item: Callable[[Any], dict]) -> None:
        self.queryset = queryset
        self.to_item = to_item

    def all(self) -> "Mapped":
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return [self.to_item(obj) for obj in self.queryset[window]]


def _series_ref(series: Series) -> dict:
    return {"slug": series.slug, "name": series.name, "tier": series.tier}


def _driver_ref(driver: Driver) -> dict:
    return {"slug": driver.slug, "name": driver.name, "nationality": driver.nationality}


def _team_ref(team: Team | None) -> dict | None:
    return {"slug": team.slug, "name": team.name} if team is not None else None


def _circuit_ref(circuit: Circuit) -> dict:
    return {"slug": circuit.slug, "name": circuit.name, "country": circuit.country}


def _round_ref(round_: Round | None) -> dict | None:
    if round_ is None:
        return None
    return {
        "series": round_.season.series.slug,
        "year": round_.season.year,
        "number": round_.number,
    }


def format_duration(value: dt.timedelta | None) -> str | None:
    """A race time or lap as timing sheets print it (and the results import reads it):
    1:38.765, 38:12.345, 1:02:03.456."""
    if value is None:
        return None
    millis = round(value.total_seconds() * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    seconds = millis / 1000
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:06.3f}"
    return f"{minutes}:{seconds:06.3f}"


def _known_series(slug: str | None) -> None:
    # A filter naming a series that does not exist is a mistake worth saying, not an empty list.
    if slug is not None and not Series.objects.all().filter(slug=slug).exists():
        raise HttpError(400, f"series: no series {slug!r}.")


def _known_tier(tier: int | None) -> None:
    if tier is not None and tier not in Tier.values:
        tiers = ", ".join(str(value) for value in Tier.values)
        raise HttpError(400, f"tier must be one of {tiers}; got {tier}.")


def _get(queryset: QuerySet, what: str, **lookup: Any):
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise HttpError(404, f"No {what} {'/'.join(str(v) for v in lookup.values())!r}.") from None


# --- series and seasons ----------------------------------------------------------------------


def _series_item(series: Series) -> dict:
    return {
        "slug": series.slug,
        "name": series.name,
        "short_name": series.short_name,
        "tier": series.tier,
        "tier_label": series.get_tier_display(),
        "country": series.country,
        "region": series.region,
        "first_year": series.first_year,
        "last_year": series.last_year,
        "feeds_into": series.feeds_into.slug if series.feeds_into else None,
        "url": series.get_absolute_url(),
    }


@api.get(
    "/series/",
    response={200: list[SeriesOut], **LIST_RESPONSES},
    summary="Series of the pyramid",
    description="Tier 1 Supercup, 2 national Carrera Cups, 3 Sprint Challenge / GT3 Cup "
    "Challenge / Trophy. `q` searches names and countries.",
    tags=["series"],
)
@paginate(Pages)
def series_list(
    request: HttpRequest,
    tier: int | None = Query(None, description="1, 2 or 3"),
    q: str | None = Query(None, description="words of the name or country"),
):
    _known_tier(tier)
    series = Series.objects.all().select_related("feeds_into")
    if tier is not None:
        series = series.filter(tier=tier)
    if q:
        series = series.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(country__icontains=q)
        )
    return Mapped(series, _series_item)


@api.get(
    "/series/{series}/",
    response={200: SeriesDetailOut, **DETAIL_RESPONSES},
    summary="A series, its seasons and its number of titles",
    tags=["series"],
)
def series_detail(request: HttpRequest, series: str):
    queryset = (
        Series.objects.all()
        .select_related("feeds_into")
        .annotate(champions_count=Count("champions"))
        .prefetch_related(
            Prefetch("feeders", Series.objects.all(), to_attr="real_feeders"),
            Prefetch("seasons", Season.objects.all().order_by("-year"), to_attr="real_seasons"),
        )
    )
    found = _get(queryset, "series", slug=series)
    return {
        **_series_item(found),
        "organiser": found.organiser,
        "sanctioning_body": found.sanctioning_body,
        "website": found.website,
        "description": found.description,
        "source": found.source,
        "feeders": [feeder.slug for feeder in found.real_feeders],
        "seasons": [
            {
                "year": season.year,
                "name": season.name,
                "car": season.car,
                "results_partial": season.results_partial,
            }
            for season in found.real_seasons
        ],
        "champions_count": found.champions_count,
    }


def _season_item(season: Season) -> dict:
    return {
        "series": _series_ref(season.series),
        "year": season.year,
        "name": season.name,
        "car": season.car,
        "car_generation": season.car_generation.slug if season.car_generation else None,
        "results_partial": season.results_partial,
        "url": season.get_absolute_url(),
    }


@api.get(
    "/seasons/",
    response={200: list[SeasonOut], **LIST_RESPONSES},
    summary="Seasons",
    description="Every series' seasons, by tier, series and year (newest first).",
    tags=["series"],
)
@paginate(Pages)
def season_list(
    request: HttpRequest,
    series: str | None = Query(None, description="a series slug"),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    tier: int | None = Query(None, description="1, 2 or 3"),
):
    _known_tier(tier)
    _known_series(series)
    seasons = Season.objects.all().select_related("series", "car_generation")
    if series is not None:
        seasons = seasons.filter(series__slug=series)
    if year is not None:
        seasons = seasons.filter(year=year)
    if tier is not None:
        seasons = seasons.filter(series__tier=tier)
    return Mapped(seasons, _season_item)


def _day_item(session: Session) -> dict:
    day = session_day(session)
    return {"date_exact": day.exact, "date_label": day.label}


def _session_summary(session: Session) -> dict:
    return {
        "slug": session.slug,
        "name": session.name,
        "kind": session.kind,
        "date": session.date,
        "starts_at": session.starts_at,
        "ends_at": session_ends_at(session),
        "status": session.status,
        "state": session_state(session).key,
        **_day_item(session),
    }


@api.get(
    "/series/{series}/{year}/",
    response={200: SeasonDetailOut, **DETAIL_RESPONSES},
    by_alias=True,
    summary="A season: rounds, classes, scoring rules and entries",
    tags=["series"],
)
def season_detail(request: HttpRequest, series: str, year: int = YEAR_PATH):
    queryset = (
        seasons_with_state()
        .select_related("series", "car_generation", "scoring")
        .prefetch_related(
            "classes",
            Prefetch(
                "rounds",
                Round.objects.select_related("event__circuit").prefetch_related("sessions"),
            ),
            Prefetch(
                "entries",
                Entry.objects.all()
                .select_related("driver", "team", "season_class")
                .order_by("car_number", "driver__sort_name"),
            ),
        )
    )
    season = _get(queryset, "season", series__slug=series, year=year)
    mark_state(season)
    scoring = getattr(season, "scoring", None)
    # Titles and published rows (two queries): a finished season names its champions.
    record = season_records([season])[season.pk]
    champions = record.champions if season.finished else []
    return {
        **_season_item(season),
        "state": season.state,
        "in_progress": season.in_progress,
        "champions": _champions_out(champions),
        "results_note": season.results_note,
        "notes": season.notes,
        "source": season.source,
        "classes": [
            {
                "slug": cls.slug,
                "name": cls.name,
                "order": cls.order,
                "drop_worst": cls.drop_worst,
                "undroppable_last": cls.undroppable_last,
            }
            for cls in season.classes.all()
        ],
        "scoring": {
            "race_points": scoring.race_points,
            "sprint_points": scoring.sprint_points or [],
            "pole_points": scoring.pole_points,
            "fastest_lap_points": scoring.fastest_lap_points,
            "fastest_lap_top": scoring.fastest_lap_top,
            "guests": scoring.guests,
            "drop_worst": scoring.drop_worst,
            "undroppable_last": scoring.undroppable_last,
            "team_cars": scoring.team_cars,
            "class_scoring": scoring.class_scoring,
            "countback_kinds": scoring.countback_kinds or [],
        }
        if scoring is not None
        else None,
        "rounds": [
            {
                "number": round_.number,
                "name": round_.name,
                "date": round_.date,
                "date_precision": round_.date_precision,
                "date_label": round_.date_label,
                "multiplier": float(round_.multiplier),
                "event": {"slug": round_.event.slug, "name": round_.event.name},
                "circuit": _circuit_ref(round_.event.circuit),
                "sessions": [_session_summary(session) for session in round_.sessions.all()],
            }
            for round_ in season.rounds.all()
        ],
        "entries": [
            {
                "driver": _driver_ref(entry.driver),
                "team": _team_ref(entry.team),
                "number": entry.car_number,
                "class": entry.season_class.slug if entry.season_class else None,
                "guest": entry.guest,
                "rookie": entry.rookie,
            }
            for entry in season.entries.all()
        ],
    }


# --- events and sessions ---------------------------------------------------------------------


def _real_rounds() -> Prefetch:
    return Prefetch(
        "rounds",
        Round.objects.all()
        .select_related("season__series")
        .order_by("season__series__tier", "season__series__name", "number"),
        to_attr="real_rounds",
    )


def _event_item(event: Event) -> dict:
    return {
        "slug": event.slug,
        "name": event.name,
        "kind": event.kind,
        "circuit": _circuit_ref(event.circuit),
        "start_date": event.start_date,
        "end_date": event.end_date,
        "date_precision": event.date_precision,
        "dates_label": event.dates_label,
        "supports": event.supports,
        "parent": event.parent.slug if event.parent else None,
        "rounds": [_round_ref(round_) for round_ in event.real_rounds],
        "url": event.get_absolute_url(),
    }


@api.get(
    "/events/",
    response={200: list[EventOut], **LIST_RESPONSES},
    summary="Events",
    description="Race weekends and festivals in date order, with the rounds each one hosts.",
    tags=["events"],
)
@paginate(Pages)
def event_list(
    request: HttpRequest,
    series: str | None = Query(None, description="only events hosting a round of this series"),
    year: int | None = Query(
        None, ge=FIRST_YEAR, le=LAST_YEAR, description="events starting in this year"
    ),
):
    _known_series(series)
    events = (
        Event.objects.all().select_related("circuit", "parent").prefetch_related(_real_rounds())
    )
    if series is not None:
        events = events.filter(rounds__season__series__slug=series).distinct()
    if year is not None:
        events = events.filter(start_date__year=year)
    return Mapped(events, _event_item)


@api.get(
    "/events/{event}/",
    response={200: EventDetailOut, **DETAIL_RESPONSES},
    summary="An event and its sessions",
    tags=["events"],
)
def event_detail(request: HttpRequest, event: str):
    queryset = (
        Event.objects.all()
        .select_related("circuit", "parent")
        .prefetch_related(
            _real_rounds(),
            Prefetch(
                "sessions",
                Session.objects.all().select_related("round__season__series"),
            ),
            Prefetch("support_events", Event.objects.all(), to_attr="real_support_events"),
        )
    )
    found = _get(queryset, "event", slug=event)
    return {
        **_event_item(found),
        "dates_note": found.dates_note,
        "description": found.description,
        "sources": [{"text": c.text, "urls": c.urls} for c in citations(found.source)],
        "support_events": [support.slug for support in found.real_support_events],
        "sessions": [
            {
                **_session_summary(session),
                "duration_minutes": session.duration_minutes,
                "round": _round_ref(session.round),
            }
            for session in found.sessions.all()
        ],
    }


@api.get(
    "/events/{event}/{session}/",
    response={200: SessionDetailOut, **DETAIL_RESPONSES},
    by_alias=True,
    summary="A session's classification",
    description="Classified cars in order, then the unclassified. A session is provisional until "
    "its status is final.",
    tags=["events"],
)
def session_detail(request: HttpRequest, event: str, session: str):
    queryset = Session.objects.all().select_related("event", "round__season__series")
    found = _get(queryset, "session", event__slug=event, slug=session)
    results = list(
        Result.objects.filter(session=found).select_related(
            "entry__driver", "entry__team", "entry__season_class", "team"
        )
    )
    by_class = class_positions(results)
    return {
        "event": {"slug": found.event.slug, "name": found.event.name},
        "slug": found.slug,
        "name": found.name,
        "kind": found.kind,
        "date": found.date,
        "starts_at": found.starts_at,
        "ends_at": session_ends_at(found),
        "duration_minutes": found.duration_minutes,
        "status": found.status,
        "state": session_state(found).key,
        **_day_item(found),
        "round": _round_ref(found.round),
        "url": found.get_absolute_url(),
        "results": [
            {
                "position": result.position,
                "class_position": by_class.get(result.pk),
                "status": result.status,
                "driver": _driver_ref(result.entry.driver),
                "team": _team_ref(result.team or result.entry.team),
                "number": result.car_number
                if result.car_number is not None
                else result.entry.car_number,
                "class": result.entry.season_class.slug if result.entry.season_class else None,
                "guest": result.entry.guest,
                "laps": result.laps,
                "time": format_duration(result.race_time),
                "gap": result.gap,
                "best_lap": format_duration(result.best_lap),
                "grid": result.grid,
                "pole": result.pole,
                "fastest_lap": result.fastest_lap,
                "penalty": result.penalty,
            }
            for result in results
        ],
    }


# --- drivers and teams -----------------------------------------------------------------------


def _in_seasons(queryset: QuerySet, series: str | None, year: int | None) -> QuerySet:
    """Drivers or teams with an entry in the seasons asked for; one filter() call so that series
    and year apply to the same entry."""
    if series is None and year is None:
        return queryset
    lookup: dict[str, Any] = {}
    if series is not None:
        lookup["entries__season__series__slug"] = series
    if year is not None:
        lookup["entries__season__year"] = year
    return queryset.filter(**lookup).distinct()


def _driver_item(driver: Driver) -> dict:
    return {**_driver_ref(driver), "url": driver.get_absolute_url()}


@api.get(
    "/drivers/",
    response={200: list[DriverOut], **LIST_RESPONSES},
    summary="Drivers",
    description="Sorted by family name. `series` and `year` keep the drivers entered there.",
    tags=["people"],
)
@paginate(Pages)
def driver_list(
    request: HttpRequest,
    series: str | None = Query(None, description="a series slug"),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    q: str | None = Query(None, description="words of the name (or other names), accents ignored"),
):
    _known_series(series)
    drivers = _in_seasons(Driver.objects.all(), series, year)
    if q:
        # The folded names the site's search uses: "muller" finds Müller, 笹原 Sasahara.
        drivers = drivers.filter(search_name__contains=search_text(q))
    return Mapped(drivers, _driver_item)


def _career_item(figures: Career) -> dict:
    known = figures.counted_seasons > 0
    return {
        "seasons": figures.seasons,
        "counted_seasons": figures.counted_seasons,
        "first_year": figures.first_year,
        "last_year": figures.last_year,
        "starts": figures.starts if known else None,
        "wins": figures.wins if known else None,
        "podiums": figures.podiums if known else None,
        "partial": figures.partial,
        "scope": figures.scope,
    }


def _counts_item(line: SeasonLine) -> dict:
    """A season's starts, wins and podiums as the driver and team pages show them (one selector):
    null where unknown, never 0."""
    known = line.counts_known
    return {
        "results": line.coverage,
        "starts": line.starts if known else None,
        "wins": line.wins if known else None,
        "podiums": line.podiums if known else None,
    }


@api.get(
    "/drivers/{driver}/",
    response={200: DriverDetailOut, **DETAIL_RESPONSES},
    by_alias=True,
    summary="A driver's career",
    description="Every season entered, with starts, wins and podiums in races and sprints (null "
    "where the results are not on record; a cancelled race counts for nothing), what the career "
    "figures cover, and the titles on record. The same figures as the driver's page.",
    tags=["people"],
)
def driver_detail(request: HttpRequest, driver: str):
    found = _get(Driver.objects.all(), "driver", slug=driver)
    page = driver_page(found)
    lines = sorted(
        page.seasons,
        key=lambda line: (line.season.year, line.series.tier, line.series.name),
    )
    return {
        **_driver_item(found),
        "name_original": found.name_original,
        "career": _career_item(page.career),
        "seasons": [
            {
                "series": _series_ref(line.series),
                "year": line.season.year,
                "team": _team_ref(line.entry.team),
                "class": line.entry.season_class.slug if line.entry.season_class else None,
                "number": line.entry.car_number,
                "guest": line.entry.guest,
                **_counts_item(line),
                "position": line.position if line.has_results else None,
            }
            for line in lines
        ],
        "titles": [
            {
                "series": _series_ref(title.series),
                "year": title.year,
                "class_name": title.title.class_name,
                "url": title.season_url,
            }
            for title in page.titles
        ],
    }


def _team_item(team: Team) -> dict:
    return {
        "slug": team.slug,
        "name": team.name,
        "country": team.country,
        "url": team.get_absolute_url(),
    }


@api.get(
    "/teams/",
    response={200: list[TeamOut], **LIST_RESPONSES},
    summary="Teams",
    tags=["people"],
)
@paginate(Pages)
def team_list(
    request: HttpRequest,
    series: str | None = Query(None, description="a series slug"),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    q: str | None = Query(None, description="words of the name (or other names), accents ignored"),
):
    _known_series(series)
    teams = _in_seasons(Team.objects.all(), series, year)
    if q:
        teams = teams.filter(search_name__contains=search_text(q))
    return Mapped(teams, _team_item)


@api.get(
    "/teams/{team}/",
    response={200: TeamDetailOut, **DETAIL_RESPONSES},
    summary="A team and its drivers, season by season",
    tags=["people"],
)
def team_detail(request: HttpRequest, team: str):
    found = _get(Team.objects.all(), "team", slug=team)
    page = team_page(found)
    return {
        **_team_item(found),
        "career": _career_item(page.career),
        "seasons": [
            {
                "series": _series_ref(line.series),
                "year": line.season.year,
                "drivers": [_driver_ref(entry.driver) for entry in line.entries],
                **_counts_item(line),
            }
            for line in page.seasons
        ],
    }


# --- circuits and champions ------------------------------------------------------------------


def _circuit_item(circuit: Circuit) -> dict:
    return {
        "slug": circuit.slug,
        "name": circuit.name,
        "place": circuit.place,
        "country": circuit.country,
        "time_zone": circuit.time_zone,
        "length_km": float(circuit.length_km) if circuit.length_km is not None else None,
        "turns": circuit.turns,
        "url": circuit.get_absolute_url(),
    }


def _real_circuits() -> QuerySet:
    return Circuit.objects.all()


@api.get(
    "/circuits/",
    response={200: list[CircuitOut], **LIST_RESPONSES},
    summary="Circuits",
    tags=["places"],
)
@paginate(Pages)
def circuit_list(
    request: HttpRequest,
    q: str | None = Query(None, description="words of the name, place or country"),
):
    circuits = _real_circuits()
    if q:
        circuits = circuits.filter(
            Q(name__icontains=q) | Q(place__icontains=q) | Q(country__icontains=q)
        )
    return Mapped(circuits, _circuit_item)


@api.get(
    "/circuits/{circuit}/",
    response={200: CircuitDetailOut, **DETAIL_RESPONSES},
    summary="A circuit and the events held there",
    tags=["places"],
)
def circuit_detail(request: HttpRequest, circuit: str):
    queryset = _real_circuits().prefetch_related(
        Prefetch("events", Event.objects.all(), to_attr="real_events")
    )
    found = _get(queryset, "circuit", slug=circuit)
    return {
        **_circuit_item(found),
        "events": [
            {
                "slug": event.slug,
                "name": event.name,
                "start_date": event.start_date,
                "end_date": event.end_date,
                "date_precision": event.date_precision,
                "dates_label": event.dates_label,
            }
            for event in found.real_events
        ],
    }


def _champion_item(champion: Champion) -> dict:
    driver = champion.driver
    return {
        "series": _series_ref(champion.series),
        "year": champion.year,
        "class_name": champion.class_name,
        "driver": _driver_ref(driver) if driver is not None else None,
        "driver_name": champion.driver_name,
        "nationality": champion.nationality,
        "team": champion.team,
        "teams_champion": champion.teams_champion,
        "kind": champion.kind,
        "points": _number(champion.points) if champion.points is not None else None,
        "qualifier": champion.qualifier,
    }


@api.get(
    "/champions/",
    response={200: list[ChampionOut], **LIST_RESPONSES},
    summary="Titles on record",
    description="Newest first. `class` matches the class name without regard to case "
    "(overall, Pro, Pro-Am...).",
    tags=["history"],
)
@paginate(Pages)
def champion_list(
    request: HttpRequest,
    series: str | None = Query(None, description="a series slug"),
    tier: int | None = Query(None, description="1, 2 or 3"),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    class_: str | None = Query(None, alias="class", description="overall, Pro, Pro-Am, Am..."),
):
    _known_tier(tier)
    _known_series(series)
    champions = Champion.objects.all().select_related("series", "driver")
    if series is not None:
        champions = champions.filter(series__slug=series)
    if tier is not None:
        champions = champions.filter(series__tier=tier)
    if year is not None:
        champions = champions.filter(year=year)
    if class_:
        champions = champions.filter(class_name__iexact=class_)
    return Mapped(champions, _champion_item)


__all__ = ["api", "format_duration", "class_positions"]


# revisions hook: a session's classification history (series/api_revisions.py); imported last
# because it uses the helpers above.
from .api_revisions import router as revisions_router  # noqa: E402

api.add_router("", revisions_router)
