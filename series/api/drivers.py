"""/drivers/ and /drivers/{driver}/: careers across the pyramid. The detail is the driver page's
selector (driver_page): the same seasons, starts, wins, podiums and titles."""

from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from ..models import Driver, Team
from ..models.people import search_text
from ..selectors.careers import Career, SeasonLine
from ..selectors.drivers import driver_page
from .common import (
    DETAIL_RESPONSES,
    FIRST_YEAR,
    LAST_YEAR,
    LIST_RESPONSES,
    driver_ref,
    get_or_404,
    series_filter,
    series_ref,
    team_ref,
)
from .pagination import Mapped, Pages
from .schemas import DriverDetailOut, DriverOut

router = Router()

# What the list endpoints filter: drivers or teams (both have entries and a folded search_name).
_People = TypeVar("_People", QuerySet[Driver], QuerySet[Team])


def people_in(queryset: _People, request: HttpRequest, year: int | None, q: str | None) -> _People:
    """Drivers or teams as both list endpoints filter them: `series` (judged by the drivers
    page's form), `year` (with `series`, of the same entry: one filter() call), and words of the
    name or other names, folded as the site's search folds them ("muller" finds Müller)."""
    # The page's form judges the series (one query: the series the pages offer).
    series = series_filter(request)
    if series is not None or year is not None:
        lookup: dict[str, Any] = {}
        if series is not None:
            lookup["entries__season__series"] = series
        if year is not None:
            lookup["entries__season__year"] = year
        queryset = queryset.filter(**lookup).distinct()
    if q:
        queryset = queryset.filter(search_name__contains=search_text(q))
    return queryset


def career_item(figures: Career) -> dict:
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


def counts_item(line: SeasonLine) -> dict:
    """A season's starts, wins and podiums as the driver and team pages show them (one selector):
    null where unknown, never 0."""
    known = line.counts_known
    return {
        "results": line.coverage,
        "starts": line.starts if known else None,
        "wins": line.wins if known else None,
        "podiums": line.podiums if known else None,
    }


def _driver_item(driver: Driver) -> dict:
    return {**driver_ref(driver), "url": driver.get_absolute_url()}


@router.get(
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
    # `series` is declared for the schema; people_in reads it through the drivers page's form.
    return Mapped(people_in(Driver.objects.all(), request, year, q), _driver_item)


def _season_line_item(line: SeasonLine) -> dict:
    return {
        "series": series_ref(line.series),
        "year": line.season.year,
        "team": team_ref(line.entry.team),
        "class": line.entry.season_class.slug if line.entry.season_class else None,
        "number": line.entry.car_number,
        "guest": line.entry.guest,
        **counts_item(line),
        "position": line.position if line.has_results else None,
    }


@router.get(
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
    found = get_or_404(Driver.objects.all(), "driver", slug=driver)
    page = driver_page(found)
    lines = sorted(
        page.seasons,
        key=lambda line: (line.season.year, line.series.tier, line.series.name),
    )
    return {
        **_driver_item(found),
        "name_original": found.name_original,
        "career": career_item(page.career),
        "seasons": [_season_line_item(line) for line in lines],
        "titles": [
            {
                "series": series_ref(title.series),
                "year": title.year,
                "class_name": title.title.class_name,
                "url": title.season_url,
            }
            for title in page.titles
        ],
    }
