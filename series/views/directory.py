"""Events, sessions, drivers, teams, circuits, champions, calendar, search, watch. (Being built.)"""

from django.http import Http404, HttpRequest, HttpResponse


def _not_yet(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("This page is being built.")


event_list = event_detail = session_detail = driver_list = driver_detail = _not_yet
team_list = team_detail = circuit_list = circuit_detail = champions = calendar = _not_yet
search = watch = _not_yet
