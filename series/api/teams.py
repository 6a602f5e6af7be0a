"""/teams/ and /teams/{team}/: the detail is the team page's selector (team_page)."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from ..models import Team
from ..selectors.teams import team_page
from .common import (
    DETAIL_RESPONSES,
    FIRST_YEAR,
    LAST_YEAR,
    LIST_RESPONSES,
    driver_ref,
    get_or_404,
    series_ref,
)
from .drivers import career_item, counts_item, people_in
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
    # `series` is declared for the schema; people_in reads it through the drivers page's form.
    return Mapped(people_in(Team.objects.all(), request, year, q), _team_item)


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
