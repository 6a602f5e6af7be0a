"""The sitemap: an index (/sitemap.xml) of one sitemap per section (/sitemap-<section>.xml), each
paged at 2,000 addresses (the protocol allows 50,000; a long history's sessions or drivers in one
file took seconds to render and a megabyte to send).

A section's items are the values its address is made of (a driver's slug; a session's event slug
and slug), read with values_list: no model instances. Each item's address is its page's address
reversed once with placeholders and filled in, and the file is written without a template: at
scale reverse() and a template per address were most of a 2,000-address file's 200-350 ms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Model, QuerySet
from django.urls import reverse

from .models import Circuit, Driver, Event, Season, Series, Session, Team

# Addresses per file (the protocol's ceiling is 50,000); the index lists ?p=2, ?p=3 ... beyond it.
URLS_PER_SITEMAP = 2_000

# Stand-ins for an address's slug and number arguments: they match the converters (<slug:>,
# <int:>) and cannot occur in the fixed parts of an address.
_SLUG_PLACEHOLDER = "pcc-sitemap-placeholder-{}"
_INT_PLACEHOLDER = "987654321{}"


def address_filler(url_name: str, kinds: Sequence[type]) -> str:
    """The address of `url_name` as a str.format() template, one field per argument (str for a
    slug, int for a number). Slugs and numbers need no quoting, so filling the template gives
    what reverse() gives."""
    placeholders = [
        int(_INT_PLACEHOLDER.format(n)) if kind is int else _SLUG_PLACEHOLDER.format(n)
        for n, kind in enumerate(kinds)
    ]
    template = reverse(url_name, args=placeholders).replace("{", "{{").replace("}", "}}")
    for n, placeholder in enumerate(placeholders):
        template = template.replace(str(placeholder), f"{{{n}}}", 1)
    return template


class _Section(Sitemap):
    limit = URLS_PER_SITEMAP

    def location(self, item: Any) -> str:
        return item.get_absolute_url()


class _ValuesSection(_Section):
    """A section of one model's pages: items are the values (`fields`) the page's address
    (`url_name`) takes, in the order of the model's keys."""

    model: type[Model]
    url_name: str
    fields: tuple[str, ...]
    kinds: tuple[type, ...]  # str (a slug) or int, per field

    def __init__(self) -> None:
        self._address = address_filler(f"series:{self.url_name}", self.kinds)

    def items(self) -> QuerySet[Any]:
        return self.model._default_manager.order_by("pk").values_list(*self.fields)

    def location(self, item: tuple[Any, ...]) -> str:
        return self._address.format(*item)


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
    model, url_name, fields, kinds = Series, "series-detail", ("slug",), (str,)


class SeasonSitemap(_ValuesSection):
    model, url_name, fields, kinds = Season, "season-detail", ("series__slug", "year"), (str, int)


class SeasonStandingsSitemap(SeasonSitemap):
    url_name = "season-standings"


class SeasonResultsSitemap(SeasonSitemap):
    url_name = "season-results"


class EventSitemap(_ValuesSection):
    model, url_name, fields, kinds = Event, "event-detail", ("slug",), (str,)


class SessionSitemap(_ValuesSection):
    model, url_name, fields, kinds = Session, "session-detail", ("event__slug", "slug"), (str, str)


class DriverSitemap(_ValuesSection):
    model, url_name, fields, kinds = Driver, "driver-detail", ("slug",), (str,)


class TeamSitemap(_ValuesSection):
    model, url_name, fields, kinds = Team, "team-detail", ("slug",), (str,)


class CircuitSitemap(_ValuesSection):
    model, url_name, fields, kinds = Circuit, "circuit-detail", ("slug",), (str,)


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
