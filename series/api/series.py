"""/series/ and /series/{series}/: the series of the pyramid; the detail is the series page's
selector (series_page), so the page and the API list the same seasons, feeders and titles."""

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from ..models import Series
from ..selectors.series_page import series_page
from .common import DETAIL_RESPONSES, LIST_RESPONSES, cited, from_page_selector, known_tier
from .pagination import Mapped, Pages
from .schemas import SeriesDetailOut, SeriesOut

router = Router()


def series_item(series: Series) -> dict:
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


@router.get(
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
    known_tier(tier)
    series = Series.objects.all().select_related("feeds_into")
    if tier is not None:
        series = series.filter(tier=tier)
    if q:
        series = series.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(country__icontains=q)
        )
    return Mapped(series, series_item)


@router.get(
    "/series/{series}/",
    response={200: SeriesDetailOut, **DETAIL_RESPONSES},
    summary="A series, its seasons and its number of titles",
    tags=["series"],
)
def series_detail(request: HttpRequest, series: str):
    page = from_page_selector(lambda: series_page(series, timezone.localdate()), "series", series)
    found = page.series
    return {
        **series_item(found),
        "organiser": found.organiser,
        "sanctioning_body": found.sanctioning_body,
        "website": found.website,
        "description": found.description,
        "source": cited(found.source),
        "feeders": [feeder.slug for feeder in page.feeders],
        "seasons": [
            {
                "year": season.year,
                "name": season.name,
                "car": season.car,
                "results_partial": season.results_partial,
            }
            for season in page.seasons
        ],
        # Every row of the series' record, as the series page lists them year by year.
        "champions_count": sum(len(year.titles) for year in page.champion_years),
    }
