"""What the record holds: per series and year, the calendar, the winners, the full results and the
champion, each held, partial or missing (one selector: series.selectors.coverage.coverage)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from pcc.cache import page_cache

from ..models import Champion, Series
from ..selectors.coverage import coverage, year_coverage
from .rendering import render_page


@page_cache()
@require_safe
def coverage_all(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "series/coverage.html",
        {"rows": coverage(timezone.localdate()), "series": None},
    )


@page_cache()
@require_safe
def coverage_series(request: HttpRequest, series: str) -> HttpResponse:
    found = get_object_or_404(Series.objects.all(), slug=series)
    rows = coverage(timezone.localdate(), found)
    return render_page(request, "series/coverage.html", {"rows": rows, "series": found})


def season_not_on_record(request: HttpRequest, series: str, year: int) -> HttpResponse:
    """/series/<series>/<year>/ for a year with a champion (or a year not held) but no season
    entered: what is and isn't on record. Any other year is a 404."""
    found = get_object_or_404(Series.objects.all(), slug=series)
    # query: the year's titles (or its reason for none)
    titles = list(
        Champion.objects.filter(series=found, year=year).select_related(
            "driver", "team_record", "teams_champion_record"
        )
    )
    if not titles:
        raise Http404("No such season.")
    context = {
        "series": found,
        "year": year,
        "titles": titles,
        "coverage": year_coverage(found, year, timezone.localdate()),
    }
    return render_page(request, "series/season_not_on_record.html", context)
