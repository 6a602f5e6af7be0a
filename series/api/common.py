"""What every API router shares: the error responses, the year bounds, lookups that answer 404 with
a reason, the checks of list filters, and the small references objects make to each other."""

import datetime as dt
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Path
from ninja.errors import HttpError

from ..filters import DriverFilters, QueryFilters
from ..models import Circuit, Driver, Round, Series, Session, Team, Tier
from ..models.season import FIRST_SEASON_YEAR, LAST_SEASON_YEAR
from ..selectors.citations import citations
from ..selectors.pyramid import SeriesKey, series_options
from ..selectors.seasons import SeasonChampion
from ..selectors.sessions import session_day, session_ends_at, session_state
from .schemas import ErrorOut

T = TypeVar("T")
F = TypeVar("F", bound=QueryFilters)

# The years a season may have (the Season model's constraint). Bounds in the schema turn an absurd
# year into a 400 instead of an overflow in the database driver.
FIRST_YEAR, LAST_YEAR = FIRST_SEASON_YEAR, LAST_SEASON_YEAR
YEAR_PATH = Path(..., ge=FIRST_YEAR, le=LAST_YEAR, description="the season's year")

LIST_RESPONSES = {400: ErrorOut}
DETAIL_RESPONSES: dict[int, type[ErrorOut]] = {400: ErrorOut, 404: ErrorOut}


def number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


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


# --- lookups and filters ---------------------------------------------------------------------


def not_found(what: str, *names: object) -> HttpError:
    return HttpError(404, f"No {what} {'/'.join(str(name) for name in names)!r}.")


def get_or_404(queryset: QuerySet, what: str, **lookup: Any) -> Any:
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise not_found(what, *lookup.values()) from None


def from_page_selector(load: Callable[[], T], what: str, *names: object) -> T:
    """A page selector's answer; its 404 (the page's get_object_or_404) becomes the API's 404 with
    the reason, in JSON like every other answer."""
    try:
        return load()
    except Http404:
        raise not_found(what, *names) from None


def read_filters(
    form: type[F],
    request: HttpRequest,
    names: tuple[str, ...],
    offered: dict[str, Collection[Any] | None] | None = None,
) -> F:
    """The parameters `names` read through the page's own form (series/filters.py), so the page
    and the endpoint judge a value the same way; a value the page would ignore with a notice is
    the API's 400 naming the parameter, in the form's words (as the CSV downloads answer)."""
    data = {name: request.GET[name] for name in names if name in request.GET}
    filters = form(data, offered)
    problems = {name: why for name, why in filters.problems.items() if name in data}
    if problems:
        raise HttpError(400, " ".join(f"{name}: {why}" for name, why in problems.items()))
    return filters


def offered_series(request: HttpRequest) -> dict[str, Series]:
    """The series the pages' filters offer, by slug; no query when the list is not filtered by
    series."""
    if "series" not in request.GET:
        return {}
    # query: the series, as the pages' filters offer them
    return {series.slug: series for series in series_options()}


def series_filter(request: HttpRequest) -> Series | None:
    """The `series` parameter of a list, judged by the drivers page's form (the series it
    offers): a series that does not exist is a mistake worth a 400, not an empty list."""
    by_slug = offered_series(request)
    filters = read_filters(DriverFilters, request, ("series",), {"series": by_slug})
    return by_slug.get(filters.value("series") or "")


def known_tier(tier: int | None) -> None:
    if tier is not None and tier not in Tier.values:
        tiers = ", ".join(str(value) for value in Tier.values)
        raise HttpError(400, f"tier must be one of {tiers}; got {tier}.")


# --- references ------------------------------------------------------------------------------


def cited(source: str) -> str:
    """A record's sources as the pages cite them: our own data files' names left out."""
    return "; ".join(citation.text for citation in citations(source))


def series_ref(series: Series | SeriesKey) -> dict:
    return {"slug": series.slug, "name": series.name, "tier": series.tier}


def driver_ref(driver: Driver) -> dict:
    return {"slug": driver.slug, "name": driver.name, "nationality": driver.nationality}


def team_ref(team: Team | None) -> dict | None:
    return {"slug": team.slug, "name": team.name} if team is not None else None


def circuit_ref(circuit: Circuit) -> dict:
    return {"slug": circuit.slug, "name": circuit.name, "country": circuit.country}


def round_ref(round_: Round | None) -> dict | None:
    if round_ is None:
        return None
    return {
        "series": round_.season.series.slug,
        "year": round_.season.year,
        "number": round_.number,
    }


def day_item(session: Session) -> dict:
    day = session_day(session)
    return {"date_exact": day.exact, "date_label": day.label}


def session_summary(session: Session) -> dict:
    """A session as a season's rounds and an event list it: its state and day worded by the same
    selectors as the pages."""
    return {
        "slug": session.slug,
        "name": session.name,
        "kind": session.kind,
        "date": session.date,
        "starts_at": session.starts_at,
        "ends_at": session_ends_at(session),
        "status": session.status,
        "state": session_state(session).key,
        **day_item(session),
    }


def champions_out(champions: list[SeasonChampion]) -> list[dict]:
    return [
        {
            "class": champion.class_name,
            "name": champion.name,
            "driver": champion.driver_slug,
            "published_points": number(champion.published_points)
            if champion.published_points is not None
            else None,
        }
        for champion in champions
    ]
