from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from series.api import api
from series.views import downloads


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: the hashed name exists only once collectstatic has run.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


admin.site.site_header = "pcc editors"
admin.site.site_title = "pcc editors"
admin.site.index_title = "The record"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever a page links.
    path("favicon.ico", favicon),
    path("healthz", include("pcc.health")),
    # iCal, Atom, sitemap, robots.txt: no namespace, and before the pages so they win.
    path("", include("series.views.subscriptions")),
    path("api/v1/", api.urls),
    path(
        "series/<slug:series>/<int:year>/standings.csv",
        downloads.season_standings_csv,
        name="season-standings-csv",
    ),
    path(
        "events/<slug:event>/<slug:session>/results.csv",
        downloads.session_results_csv,
        name="session-results-csv",
    ),
    path("", include("series.urls")),
]

handler404 = "series.views.errors.not_found"
handler500 = "series.views.errors.server_error"
handler400 = "series.views.errors.bad_request"
