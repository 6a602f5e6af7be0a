"""The sitemap: an index (/sitemap.xml) of one sitemap per section (/sitemap-<section>.xml), each
paged at 2,000 addresses (the protocol allows 50,000; a long history's sessions or drivers in one
file took seconds to render and a megabyte to send).

A section's items are the values its address is made of (a driver's slug; a session's event slug
and slug), read with values_list: no model instances. Their addresses come from series/addresses.py
(reverse() once per file), and the file is written without a template: at scale reverse() and a
template per address were most of a 2,000-address file's 200-350 ms.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import cached_property

from .addresses import Addresses
from .models import Circuit, Driver, Event, Season, Series, Session, Team

# Addresses per file (the protocol's ceiling is 50,000); the index lists ?p=2, ?p=3 ... beyond it.
URLS_PER_SITEMAP = 2_000


class _Section(Sitemap):
    limit = URLS_PER_SITEMAP

    def location(self, item: Any) -> str:
        return item.get_absolute_url()


class _TablePaginator(Paginator):
    """Counts a section's rows on its model's own table: the items' values may join another (a
    session's event slug, a season's series slug), which the count need not (every row has one)."""

    def __init__(self, items: QuerySet[Any], per_page: int, table: QuerySet[Any]) -> None:
        super().__init__(items, per_page)
        self._table = table

    @cached_property
    def count(self) -> int:
        return self._table.count()


class _ValuesSection(_Section):
    """A section of one model's pages: items are the values (`fields`) the page's address
    (`url_name`) takes, in the order of the model's keys."""

    model: type[Model]
    url_name: str
    fields: tuple[str, ...]

    def __init__(self) -> None:
        self._addresses = Addresses()

    def items(self) -> QuerySet[Any]:
        return self.model._default_manager.order_by("pk").values_list(*self.fields)

    @property
    def paginator(self) -> Paginator:
        return _TablePaginator(self.items(), self.limit, self.model._default_manager.all())

    def location(self, item: tuple[Any, ...]) -> str:
        return self._addresses(f"series:{self.url_name}", *item)


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


class SeriesSitemap(_ValuesSection):
    model, url_name, fields = Series, "series-detail", ("slug",)


class SeasonSitemap(_ValuesSection):
    model, url_name, fields = Season, "season-detail", ("series__slug", "year")


class SeasonStandingsSitemap(SeasonSitemap):
    url_name = "season-standings"


class SeasonResultsSitemap(SeasonSitemap):
    url_name = "season-results"


class EventSitemap(_ValuesSection):
    model, url_name, fields = Event, "event-detail", ("slug",)


class SessionSitemap(_ValuesSection):
    model, url_name, fields = Session, "session-detail", ("event__slug", "slug")


class DriverSitemap(_ValuesSection):
    model, url_name, fields = Driver, "driver-detail", ("slug",)


class TeamSitemap(_ValuesSection):
    model, url_name, fields = Team, "team-detail", ("slug",)


class CircuitSitemap(_ValuesSection):
    model, url_name, fields = Circuit, "circuit-detail", ("slug",)


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


def urlset_xml(urls: Iterable[dict[str, Any]]) -> str:
    """One sitemap file of Sitemap.get_urls() entries: what django.contrib.sitemaps' template
    writes for entries with a location and at most a change frequency (ours have no lastmod,
    priority or alternates), byte for byte, escaped as the template escapes."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    ]
    for url in urls:
        changefreq = url["changefreq"]
        parts.append(
            f"<url><loc>{escape(url['location'])}</loc>"
            + (f"<changefreq>{escape(changefreq)}</changefreq>" if changefreq else "")
            + "</url>"
        )
    parts.append("\n</urlset>\n")
    return "".join(parts)
