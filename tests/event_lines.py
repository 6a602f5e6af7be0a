"""The reference the calendar's and the events listing's rows are compared with: an event and the
seasons it hosted written plainly, one dataclass a line, with an Addresses for every address
(tests/test_prepared_directory.py, tests/test_champions_calendar_queries.py). The listings write
the same values as tuples, their addresses reversed once a page (series/selectors/calendar.py,
events.py); this is the slow, obvious version they must agree with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from series.addresses import Addresses
from series.dates import event_dates_label
from series.models import Tier
from series.models.pyramid import series_display_name
from series.selectors.hosted import _pyramid_order, _tier_label, round_span


@dataclass(frozen=True)
class HostedSeries:
    """A series as the series_name macro (templates_jinja2/series/_dir_macros.html) reads it."""

    slug: str
    tier: int
    display_name: str

    def get_tier_display(self) -> str:
        return Tier(self.tier).label


@dataclass(frozen=True)
class HostedYear:
    year: int


@dataclass(frozen=True)
class HostedLine:
    """One season's rounds at an event, read by the listings' loops under the names they read of
    a HostedSeason: series (.slug, .tier, .display_name, .get_tier_display),
    season.year and span; the listings' own loops read the addresses and tier label filled in
    once here (series_url, season_url, tier_label)."""

    series: HostedSeries
    season: HostedYear
    span: str
    series_url: str = ""
    season_url: str = ""
    tier_label: str = ""


@dataclass(frozen=True)
class EventLine:
    """An event as a listing prints it: its dates (the event_dates tag reads start_date,
    date_precision and dates_label, as of an Event), circuit and the seasons it hosted."""

    url: str
    name: str
    start_date: dt.date
    date_precision: str
    dates_label: str
    circuit_url: str
    circuit_name: str
    circuit_country: str
    hosted: list[HostedLine]


def hosted_lines(
    rounds: Iterable[tuple[Any, ...]], addresses: Addresses | None = None
) -> list[HostedLine]:
    """An event's rounds (ROUND_FIELDS rows) grouped by season, top of the pyramid first, with
    their series' and seasons' addresses from the listing's Addresses."""
    addresses = addresses or Addresses()
    by_season: dict[int, list[tuple[Any, ...]]] = {}
    for row in rounds:
        by_season.setdefault(row[0], []).append(row)
    lines = []
    for rows in by_season.values():
        _, _, year, slug, name, short_name, tier = rows[0]
        series = HostedSeries(slug, tier, series_display_name(name, short_name))
        line = HostedLine(
            series,
            HostedYear(year),
            round_span([row[1] for row in rows]),
            series_url=addresses("series:series-detail", slug),
            season_url=addresses("series:season-detail", slug, year),
            tier_label=_tier_label(tier),
        )
        lines.append((_pyramid_order(tier, name, year), line))
    lines.sort(key=lambda pair: pair[0])
    return [line for _, line in lines]


def event_line(
    event: tuple[Any, ...], rounds: Iterable[tuple[Any, ...]], addresses: Addresses
) -> EventLine:
    """An event (EVENT_FIELDS row) and its rounds (ROUND_FIELDS rows) as a listing prints it,
    with the listing's Addresses (series/addresses.py)."""
    slug, name, start, end, precision, circuit_slug, circuit_name, country = event
    return EventLine(
        url=addresses("series:event-detail", slug),
        name=name,
        start_date=start,
        date_precision=precision,
        dates_label=event_dates_label(start, end, precision),  # Event.dates_label
        circuit_url=addresses("series:circuit-detail", circuit_slug),
        circuit_name=circuit_name,
        circuit_country=country,
        hosted=hosted_lines(rounds, addresses),
    )
