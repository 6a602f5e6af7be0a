"""The rounds a season ran at one event, grouped for the event, circuit and calendar pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from ..addresses import Addresses
from ..dates import event_dates_label
from ..models import (
    Round,
    Season,
    Series,
    Tier,
)
from ..models.pyramid import series_display_name


def round_span(numbers: list[int]) -> str:
    """'Round 4', 'Rounds 13–14', 'Rounds 1, 3, 5–6': how a fan reads which races ran."""
    numbers = sorted(set(numbers))
    if not numbers:
        return ""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    text = ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
    return f"Round {text}" if len(numbers) == 1 else f"Rounds {text}"


@dataclass
class HostedSeason:
    """The rounds one season ran at one event."""

    season: Season
    rounds: list[Round] = field(default_factory=list)

    @property
    def series(self) -> Series:
        return self.season.series

    @property
    def span(self) -> str:
        return round_span([r.number for r in self.rounds])


def hosted_seasons(rounds: list[Round]) -> list[HostedSeason]:
    """Group an event's rounds by season, top of the pyramid first (rounds carry season__series)."""
    by_season: dict[int, HostedSeason] = {}
    for round_ in rounds:
        by_season.setdefault(round_.season_id, HostedSeason(round_.season)).rounds.append(round_)
    return sorted(
        by_season.values(),
        key=lambda h: _pyramid_order(h.series.tier, h.series.name, h.season.year),
    )


def _pyramid_order(tier: int, series_name: str, year: int) -> tuple[int, str, int]:
    """The order an event's seasons are listed in: top of the pyramid first, then A-Z."""
    return (tier, series_name, year)


def _rounds_with_series() -> QuerySet[Round]:
    return Round.objects.select_related("season__series").order_by("season__series__tier", "number")


# --- the listings' plain lines -----------------------------------------------------------------
# The events directory and the calendar print hundreds of events, each with the seasons it hosted:
# they read plain values from one query of rows (no model instances; an event's and its circuit's
# address from the page's Addresses), the seasons hosted written out by each listing's loop.


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


# Event fields a listing reads, then the fields of one of its rounds (values_list order).
EVENT_FIELDS = (
    "slug",
    "name",
    "start_date",
    "end_date",
    "date_precision",
    "circuit__slug",
    "circuit__name",
    "circuit__country",
)
ROUND_FIELDS = (
    "season_id",
    "number",
    "season__year",
    "season__series__slug",
    "season__series__name",
    "season__series__short_name",
    "season__series__tier",
)


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


def _tier_label(tier: int) -> str:
    return str(Tier(tier).label)


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
