"""The sitemap: an index (/sitemap.xml) of one sitemap per section (/sitemap-<section>.xml), each
paged at 2,000 addresses (the protocol allows 50,000; a long history's sessions or drivers in one
file took seconds to render and a megabyte to send)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Circuit, Driver, Event, Season, Series, Session, Team

# Addresses per file (the protocol's ceiling is 50,000); the index lists ?p=2, ?p=3 ... beyond it.
URLS_PER_SITEMAP = 2_000


class _Section(Sitemap):
    limit = URLS_PER_SITEMAP


class StaticPagesSitemap(_Section):
    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "home",
            "pyramid",
            "champions",
            "calendar",
            "watch",
            "driver-list",
            "team-list",
            "circuit-list",
            "event-list",
        ]

    def location(self, url_name: str) -> str:
        return reverse(f"series:{url_name}")


class SeriesSitemap(_Section):
    def items(self):
        return Series.objects.all().order_by("pk")


class SeasonSitemap(_Section):
    url_name = "season-detail"

    def items(self):
        return Season.objects.all().select_related("series").order_by("pk")

    def location(self, season: Season) -> str:
        return reverse(f"series:{self.url_name}", args=[season.series.slug, season.year])


class SeasonStandingsSitemap(SeasonSitemap):
    url_name = "season-standings"


class SeasonResultsSitemap(SeasonSitemap):
    url_name = "season-results"


class EventSitemap(_Section):
    def items(self):
        return Event.objects.all().order_by("pk")


class SessionSitemap(_Section):
    def items(self):
        return Session.objects.all().select_related("event").order_by("pk")


class DriverSitemap(_Section):
    def items(self):
        return Driver.objects.all().order_by("pk")


class TeamSitemap(_Section):
    def items(self):
        return Team.objects.all().order_by("pk")


class CircuitSitemap(_Section):
    def items(self):
        return Circuit.objects.all().order_by("pk")


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": StaticPagesSitemap,
    "series": SeriesSitemap,
    "seasons": SeasonSitemap,
    "standings": SeasonStandingsSitemap,
    "results": SeasonResultsSitemap,
    "events": EventSitemap,
    "sessions": SessionSitemap,
    "drivers": DriverSitemap,
    "teams": TeamSitemap,
    "circuits": CircuitSitemap,
}
