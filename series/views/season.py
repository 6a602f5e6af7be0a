"""Series and season pages: series, season, standings, results matrix. (Being built.)"""

from django.http import Http404, HttpRequest, HttpResponse


def _not_yet(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("This page is being built.")


series_detail = season_detail = season_standings = season_results = _not_yet
