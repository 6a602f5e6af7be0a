"""The public addresses (ARCHITECTURE.md): a contract, since outside links depend on them."""

from django.urls import path

from .views import coverage, directory, pages, season

app_name = "series"

urlpatterns = [
    path("", pages.home, name="home"),
    path("pyramid/", pages.pyramid, name="pyramid"),
    path("series/<slug:series>/", season.series_detail, name="series-detail"),
    path("series/<slug:series>/<int:year>/", season.season_detail, name="season-detail"),
    path(
        "series/<slug:series>/<int:year>/standings/",
        season.season_standings,
        name="season-standings",
    ),
    path("series/<slug:series>/<int:year>/results/", season.season_results, name="season-results"),
    path("events/", directory.event_list, name="event-list"),
    path("events/<slug:event>/", directory.event_detail, name="event-detail"),
    path("events/<slug:event>/<slug:session>/", directory.session_detail, name="session-detail"),
    path("drivers/", directory.driver_list, name="driver-list"),
    path("drivers/<slug:driver>/", directory.driver_detail, name="driver-detail"),
    path("teams/", directory.team_list, name="team-list"),
    path("teams/<slug:team>/", directory.team_detail, name="team-detail"),
    path("circuits/", directory.circuit_list, name="circuit-list"),
    path("circuits/<slug:circuit>/", directory.circuit_detail, name="circuit-detail"),
    path("champions/", directory.champions, name="champions"),
    path("calendar/", directory.calendar, name="calendar"),
    path("search/", directory.search, name="search"),
    path("watch/", directory.watch, name="watch"),
    path("coverage/", coverage.coverage_all, name="coverage"),
    path("coverage/<slug:series>/", coverage.coverage_series, name="coverage-series"),
]
