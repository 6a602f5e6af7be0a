"""/teams/ and /teams/{team}/: the detail is the team page's selector (team_page)."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from ..models import Team
from ..models.people import search_text
from ..selectors.teams import team_page
from .common import (
    DETAIL_RESPONSES,
    FIRST_YEAR,
    LAST_YEAR,
    LIST_RESPONSES,
    driver_ref,
    get_or_404,
    series_filter,
    series_ref,
)
from .drivers import career_item, counts_item, in_seasons
from .pagination import Mapped, Pages
from .schemas import TeamDetailOut, TeamOut

router = Router()


def _team_item(team: Team) -> dict:
    return {
        "slug": team.slug,
        "name": team.name,
        "country": team.country,
        "url": team.get_absolute_url(),
    }


@router.get(
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
    # The page's form judges the series (one query: the series the pages offer).
    chosen = series_filter(request)
    series = chosen.slug if chosen is not None else None
    teams = in_seasons(Team.objects.all(), series, year)
    if q:
        teams = teams.filter(search_name__contains=search_text(q))
    return Mapped(teams, _team_item)


@router.get(
    "/teams/{team}/",
    response={200: TeamDetailOut, **DETAIL_RESPONSES},
    summary="A team and its drivers, season by season",
    tags=["people"],
)
def team_detail(request: HttpRequest, team: str):
    found = get_or_404(Team.objects.all(), "team", slug=team)
    page = team_page(found)
    return {
        **_team_item(found),
        "career": career_item(page.career),
        "seasons": [
            {
                "series": series_ref(line.series),
                "year": line.season.year,
                "drivers": [driver_ref(entry.driver) for entry in line.entries],
                **counts_item(line),
            }
            for line in page.seasons
        ],
    }
