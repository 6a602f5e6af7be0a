"""The calendar page: events with their rounds, month by month, filtered by year, month, tier
and series."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.dates import MONTHS

from pcc.prepared import Prepared

from ..addresses import slug_address, slug_year_address
from ..dates import event_dates_label
from ..models import (
    Event,
    Round,
    Series,
)
from ..models.pyramid import series_display_name
from .drivers import SeriesChoice
from .events import dates_html

# The order of an event's seasons and a tier's label, as the circuit and event pages write them.
from .hosted import EVENT_FIELDS, ROUND_FIELDS, _pyramid_order, _tier_label, round_span


def _rounds() -> QuerySet[Round]:
    return Round.objects.all()


class _YearOfDate(ExtractYear):
    """A date's year. On SQLite the ORM's `__year` calls django_date_extract(), a Python function,
    on every event (three quarters of the years' query on the shipped record); a date is stored
    there as 'YYYY-MM-DD', so its first four characters are its year. Elsewhere, EXTRACT."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS integer)", params


# query: the years with rounds (by the start of their event, as the calendar groups them): the
# events holding a round (a semi-join, and the year extracted rather than truncated to a date: at
# scale a third of the time of joining 20,000 rounds to their events). Compiled once
# (pcc/prepared.py).
_YEARS = Prepared(
    lambda: (
        Event.objects.filter(Exists(Round.objects.filter(event=OuterRef("pk"))))
        .order_by()
        .annotate(year=_YearOfDate("start_date"))
        .values_list("year", flat=True)
        .distinct()
    )
)


def calendar_years() -> list[int]:
    return sorted(_YEARS(), reverse=True)


_EVENT_COLUMNS = tuple(f"event__{name}" for name in EVENT_FIELDS)


@functools.lru_cache(maxsize=128)
def _calendar_rounds(
    year: int | None, by_month: bool, tier: int | None, by_series: bool
) -> Prepared[QuerySet[Round, tuple[Any, ...]]]:
    """The calendar's query for one year, tier and set of filters, compiled once per process
    (pcc/prepared.py), run with the month and series id asked for (those filtered on, in that
    order). The year and tier are the query's shape, not arguments: the ORM writes a year as the
    range of its days (an index's range), where an argument must stay a parameter as given, and
    on PostgreSQL it refuses a stand-in beyond a small integer column's range (the tier's)."""

    def build(*args: int) -> QuerySet[Round, tuple[Any, ...]]:
        rounds = _rounds().order_by(
            "event__start_date", "event__name", "season__series__tier", "number"
        )
        values = iter(args)
        if year is not None:
            rounds = rounds.filter(event__start_date__year=year)
        if by_month:
            rounds = rounds.filter(event__start_date__month=next(values))
        if tier is not None:
            rounds = rounds.filter(season__series__tier=tier)
        if by_series:
            rounds = rounds.filter(season__series_id=next(values))
        return rounds.values_list("event_id", *_EVENT_COLUMNS, *ROUND_FIELDS)

    return Prepared(build)


# A season hosted, as the calendar's loop unpacks it: its tier, the tier's label, the series'
# address and name, the season's address and which rounds ran.
HostedSeason = tuple[int, str, str, str, str, str]


class CalendarEvent(NamedTuple):
    """An event as the calendar prints it (the template unpacks it): its dates' <time> written
    once, its seasons as tuples (frozen dataclasses, three for each season hosted, each field set
    through object.__setattr__, were a third of the page's time). A test compares it with the
    plain reference of tests/event_lines.py."""

    url: str
    name: str
    dates: str  # the <time>, as the event_dates tag writes it (events.dates_html)
    circuit_url: str
    circuit_name: str
    circuit_country: str
    hosted: list[HostedSeason]
    start_date: dt.date
    date_precision: str
    dates_label: str


class _CalendarPage:
    """What the calendar's events share on one page: the four kinds of address, each reversed
    once (series/addresses.py), and each season's line but for its rounds (a season is hosted by
    a dozen events of the page: its addresses, name and tier label are worked out once)."""

    def __init__(self) -> None:
        self.event = slug_address("series:event-detail")
        self.circuit = slug_address("series:circuit-detail")
        self._series = slug_address("series:series-detail")
        self._season = slug_year_address("series:season-detail")
        self._seasons: dict[int, tuple[tuple[int, str, int], tuple[int, str, str, str, str]]] = {}

    def season(
        self, row: tuple[Any, ...]
    ) -> tuple[tuple[int, str, int], tuple[int, str, str, str, str]]:
        """A season's place in an event's list and its line's values (a ROUND_FIELDS row)."""
        known = self._seasons.get(row[0])
        if known is None:
            _, _, year, series_slug, series_name, short_name, tier = row
            known = self._seasons[row[0]] = (
                _pyramid_order(tier, series_name, year),
                (
                    tier,
                    _tier_label(tier),
                    self._series(series_slug),
                    series_display_name(series_name, short_name),
                    self._season(series_slug, year),
                ),
            )
        return known


def calendar_event(
    event: tuple[Any, ...],
    rounds: Iterable[tuple[Any, ...]],
    page: _CalendarPage | None = None,
) -> CalendarEvent:
    """An event (EVENT_FIELDS row) and its rounds (ROUND_FIELDS rows), the seasons grouped, top
    of the pyramid first (a test compares it with tests/event_lines.py's reference)."""
    page = page or _CalendarPage()
    slug, name, start, end, precision, circuit_slug, circuit_name, country = event
    by_season: dict[int, list[tuple[Any, ...]]] = {}
    for row in rounds:
        by_season.setdefault(row[0], []).append(row)
    hosted: list[tuple[tuple[int, str, int], HostedSeason]] = []
    for season_rows in by_season.values():
        order, line = page.season(season_rows[0])
        hosted.append((order, (*line, round_span([row[1] for row in season_rows]))))
    hosted.sort(key=lambda pair: pair[0])
    label = event_dates_label(start, end, precision)  # Event.dates_label
    return CalendarEvent(
        page.event(slug),
        name,
        dates_html(start, end, precision, label),
        page.circuit(circuit_slug),
        circuit_name,
        country,
        [line for _, line in hosted],
        start,
        precision,
        label,
    )


@dataclass
class CalendarMonth:
    month: dt.date
    events: list[CalendarEvent]

    @property
    def anchor(self) -> str:
        """The month as `|date("Y-m")` writes it: the heading's id."""
        return f"{self.month.year:04d}-{self.month.month:02d}"

    @property
    def title(self) -> str:
        """The month as `|date("F Y")` writes it (Django's month names, in the active language)."""
        return f"{MONTHS[self.month.month]} {self.month.year:04d}"


def calendar(
    year: int | None, month: int | None, tier: int | None, series: Series | SeriesChoice | None
) -> list[CalendarMonth]:
    """Events with their rounds (those that pass the filters), month by month, as plain lines. A
    weekend that straddles two months (28 Sep to 1 Oct) belongs to the month it starts in, so it
    is listed once."""
    asked = [int(value) for value in (month, series.pk if series else None) if value is not None]
    rounds = _calendar_rounds(
        year, month is not None, None if tier is None else int(tier), series is not None
    )
    split = len(_EVENT_COLUMNS) + 1
    events: dict[int, tuple[tuple[Any, ...], list[tuple[Any, ...]]]] = {}
    # query: the rounds that pass the filters, with season, series, event and circuit
    for row in rounds(*asked):
        found = events.get(row[0])
        if found is None:
            found = events[row[0]] = (row[1:split], [])
        found[1].append(row[split:])
    months: dict[dt.date, list[CalendarEvent]] = {}
    page = _CalendarPage()
    for event, event_rounds in events.values():
        line = calendar_event(event, event_rounds, page)
        months.setdefault(line.start_date.replace(day=1), []).append(line)
    return [CalendarMonth(key, lines) for key, lines in sorted(months.items())]
