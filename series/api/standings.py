"""/series/{series}/{year}/standings/: the table the standings page shows, from the same selectors
(get_season, get_standings, season_record). Kept in the cache per season version by
series.api.middleware."""

from collections.abc import Collection
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from ..filters import StandingsFilters
from ..selectors.cache import site_version
from ..selectors.seasons import get_season, season_record
from ..selectors.standings import StandingsTable
from ..selectors.standings import get_standings as standings_table
from .common import YEAR_PATH, champions_out, from_page_selector, number, read_filters
from .schemas import ErrorOut, StandingsOut

router = Router()


def _row_out(row: Any, table: str, published: dict) -> dict:
    out: dict[str, Any] = {
        "position": row.position,
        "complete": row.complete,
        "points": number(row.points) if row.complete else None,
        "points_known": None if row.points_unknown else number(row.points),
        "wins": row.wins if row.complete else None,
        "wins_known": row.wins,
        "podiums": row.podiums if row.complete else None,
        "podiums_known": row.podiums,
        "published_points": number(points)
        if (points := published.get(row.key, published.get(row.name))) is not None
        else None,
        "gap": number(row.gap) if row.gap is not None else None,
        "eligible": row.eligible,
        "excluded": row.excluded,
        "rounds": [
            {
                "round": rp.round,
                "points": number(rp.points) if rp.points is not None else None,
                "dropped": rp.dropped,
            }
            for rp in row.rounds
        ],
    }
    if table == "drivers":
        out["driver"] = {"slug": row.key, "name": row.name, "nationality": row.nationality}
    else:
        out["team"] = {"slug": row.key, "name": row.name}
    return out


@router.get(
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
    # table, class and after are declared above for the OpenAPI document, and read below through
    # the standings page's form. The page's lookup: the season with its series, rules and state.
    season = from_page_selector(
        lambda: get_season(series, year, with_state=True), "season", series, year
    )
    version = site_version()
    # The page's form, offered the classes and rounds the stored overall table names (as the
    # page and the CSV download are); a value the page ignores is a 400 here.
    overall = standings_table(season, version=version)
    offered: dict[str, Collection[Any] | None] = {
        "class": [slug for slug, _ in overall.classes],
        "after": overall.all_rounds,
    }
    filters = read_filters(StandingsFilters, request, ("table", "class", "after"), offered)
    table = filters.value("table") or "drivers"
    class_slug, after_round = filters.value("class"), filters.value("after")
    standings: StandingsTable = overall
    if table != "drivers" or class_slug is not None or after_round is not None:
        # Another table than the overall one read above (which the plain address shows as is).
        try:
            standings = standings_table(season, table, class_slug, after_round, version=version)
        except ValueError as error:
            raise HttpError(400, str(error)) from None
    record = season_record(season, version=version)
    published = (
        record.published if table == "drivers" and not class_slug and after_round is None else {}
    )
    return {
        "series": season.series.slug,
        "year": season.year,
        "table": table,
        "class_": class_slug,
        "after_round": after_round,
        "last_round": standings.last_round,
        "state": season.state,
        "in_progress": season.in_progress,
        "basis": "computed from the results on record",
        "complete": standings.complete,
        "partial": season.results_partial,
        "champions": champions_out(record.champions if season.finished else []),
        "rows": [_row_out(row, table, published) for row in standings.rows],
    }
