"""What machines subscribe to or crawl: iCalendar files, Atom feeds, the sitemap, robots.txt.

The routes are at the bottom (`urlpatterns`), included from pcc/urls.py without a namespace and
before series.urls, so /series/<series>/calendar.ics is matched here first.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from pcc.cache import never_page_cached, page_cache

from .. import ical
from ..feeds_revisions import ResultsWithAmendmentsFeed, SeriesResultsWithAmendmentsFeed
from ..models import Driver, Series
from ..selectors.cache import site_version
from ..sitemaps import SITEMAPS, urlset_xml

# Calendar apps and crawlers poll; a short shared cache spares the database without leaving a
# changed start time out of date for long.
MAX_AGE = 15 * 60


def _record_etag(request: HttpRequest, **kwargs) -> str:
    # Any save to the record raises the site version (series/signals.py), so an unchanged version
    # means an unchanged file. Weak: DTSTAMP and the like differ byte for byte between renders.
    return f'W/"record-{site_version()}"'


def _cacheable(view):
    return require_safe(
        cache_control(public=True, max_age=MAX_AGE)(condition(etag_func=_record_etag)(view))
    )


def _calendar_file(view):
    """A calendar file: rebuilt from every session it lists it costs 60 ms, and calendar apps poll
    it, so it is also a page of the page cache (pcc/cache.py), under its series' or driver's
    versions. It reads no query parameter."""
    return page_cache()(_cacheable(view))


def _ics_response(request: HttpRequest, sessions, *, name: str, uid: str) -> HttpResponse:
    body = ical.build_calendar(
        sessions, name=name, uid=uid, absolute_url=request.build_absolute_uri
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # Inline, so a browser hands it to the calendar app; the name is for "save as".
    response["Content-Disposition"] = f'inline; filename="{uid.split("@")[0]}.ics"'
    return response


@_calendar_file
def calendar_ics(request: HttpRequest) -> HttpResponse:
    return _ics_response(
        request, ical.all_sessions(), name="Porsche one-make racing (pcc)", uid="pcc-calendar@pcc"
    )


@_calendar_file
def series_calendar_ics(request: HttpRequest, series: str) -> HttpResponse:
    series_obj = get_object_or_404(Series.objects.all(), slug=series)
    return _ics_response(
        request,
        ical.series_sessions(series_obj),
        name=f"{series_obj.name} (pcc)",
        uid=f"series-{series_obj.slug}@pcc",
    )


@_calendar_file
def driver_calendar_ics(request: HttpRequest, driver: str) -> HttpResponse:
    driver_obj = get_object_or_404(Driver.objects.all(), slug=driver)
    return _ics_response(
        request,
        ical.driver_sessions(driver_obj),
        name=f"{driver_obj.name}'s races (pcc)",
        uid=f"driver-{driver_obj.slug}@pcc",
    )


@never_page_cached  # a day of shared caching, and no version of the record
@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "robots.txt",
        {"sitemap_url": request.build_absolute_uri("/sitemap.xml")},
        content_type="text/plain; charset=utf-8",
    )


@sitemap_views.x_robots_tag
def _sitemap_file(request: HttpRequest, section: str) -> HttpResponse:
    """One page of a section's sitemap: django.contrib.sitemaps' view (its paging, its 404s, its
    X-Robots-Tag), the file written by urlset_xml instead of a template."""
    if section not in SITEMAPS:
        raise Http404(f"No sitemap available for section: {section!r}")
    try:
        urls = SITEMAPS[section]().get_urls(
            page=request.GET.get("p", 1), site=get_current_site(request), protocol=request.scheme
        )
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from error
    return HttpResponse(urlset_xml(urls), content_type="application/xml")


# revisions hook: the results feeds with one entry per amendment (series/feeds_revisions.py)
# The feeds and the sitemap answer 304s of their own from the site version (_record_etag).
results_feed = never_page_cached(_cacheable(ResultsWithAmendmentsFeed()))
series_results_feed = never_page_cached(_cacheable(SeriesResultsWithAmendmentsFeed()))
sitemap_index = never_page_cached(_cacheable(sitemap_views.index))
sitemap_section = never_page_cached(_cacheable(_sitemap_file))

urlpatterns = [
    path("calendar.ics", calendar_ics, name="calendar-ics"),
    path("series/<slug:series>/calendar.ics", series_calendar_ics, name="series-calendar-ics"),
    path("drivers/<slug:driver>/calendar.ics", driver_calendar_ics, name="driver-calendar-ics"),
    path("feeds/results.atom", results_feed, name="results-feed"),
    path("series/<slug:series>/results.atom", series_results_feed, name="series-results-feed"),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_section,
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots-txt"),
]
