"""/champions/: the titles on record, read from the champions page's selector (champion_record),
so the page and the API list the same rows."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from ..filters import ChampionsFilters
from ..selectors.champions import ChampionFilters, TitleRow, champion_record
from .common import (
    FIRST_YEAR,
    LAST_YEAR,
    LIST_RESPONSES,
    number,
    offered_series,
    read_filters,
    series_ref,
)
from .pagination import Mapped, Pages
from .schemas import ChampionOut

router = Router()


def _champion_item(champion: TitleRow) -> dict:
    driver = champion.driver
    return {
        "series": series_ref(champion.series),
        "year": champion.year,
        "class_name": champion.class_name,
        # As common.driver_ref, from the row's plain driver values.
        "driver": {"slug": driver.slug, "name": driver.name, "nationality": driver.nationality}
        if driver is not None
        else None,
        "driver_name": champion.driver_name,
        "nationality": champion.nationality,
        "team": champion.team,
        "teams_champion": champion.teams_champion,
        "kind": champion.kind,
        "points": number(champion.points) if champion.points is not None else None,
        "qualifier": champion.qualifier,
    }


def _newest_first(champion: TitleRow) -> tuple:
    return (-champion.year, champion.series.tier, champion.series.name, champion.class_name)


@router.get(
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
    # The champions page's form judges series, tier and class; the class is matched here without
    # regard to case, so any class name of the right shape is taken.
    by_slug = offered_series(request)
    filters = read_filters(
        ChampionsFilters, request, ("series", "tier", "class"), {"series": by_slug}
    )
    chosen = ChampionFilters(series=by_slug.get(filters.value("series") or ""), tier=tier)
    record = champion_record(chosen, list(by_slug.values()) or None)
    wanted = class_.casefold() if class_ else None
    rows = [
        row
        for history in record.histories
        for row in history.rows
        if (year is None or row.year == year)
        and (wanted is None or row.class_name.casefold() == wanted)
    ]
    return Mapped(sorted(rows, key=_newest_first), _champion_item)
