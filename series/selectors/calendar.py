"""The calendar page: events with their rounds, month by month, filtered by year, month, tier
and series."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.dates import MONTHS

from pcc.prepared import Prepared

from ..addresses import Addresses
from ..models import (
    Event,
    Round,
    Series,
)
from ..templatetags.directory_tags import event_dates
from .hosted import EVENT_FIELDS, ROUND_FIELDS, EventLine, event_line


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


@dataclass
class CalendarMonth:
    month: dt.date
    events: list[EventLine]

    @property
    def anchor(self) -> str:
        """The month as `|date("Y-m")` writes it: the heading's id."""
        return f"{self.month.year:04d}-{self.month.month:02d}"

    @property
    def title(self) -> str:
        """The month as `|date("F Y")` writes it (Django's month names, in the active language)."""
        return f"{MONTHS[self.month.month]} {self.month.year:04d}"

    @property
    def entries(self) -> list[dict[str, Any]]:
        """The month's events as the calendar's loop prints them: plain values (each looked up
        once), the <time> of their dates written here rather than by a call from the template,
        and the seasons hosted as (tier, tier label, series address, series name, season
        address, rounds) tuples that the loop unpacks (a hosted season's fields were looked up
        one by one, two levels deep: a quarter of the page's time)."""
        return [
            {
                "url": line.url,
                "name": line.name,
                "dates": event_dates(line),
                "circuit_url": line.circuit_url,
                "circuit_name": line.circuit_name,
                "circuit_country": line.circuit_country,
                "hosted": [
                    (
                        season.series.tier,
                        season.tier_label,
                        season.series_url,
                        season.series.display_name,
                        season.season_url,
                        season.span,
                    )
                    for season in line.hosted
                ],
            }
            for line in self.events
        ]


def calendar(
    year: int | None, month: int | None, tier: int | None, series: Series | None
) -> list[CalendarMonth]:
    """Events with their rounds (those that pass the filters), month by month, as plain lines. A
    weekend that straddles two months (28 Sep to 1 Oct) belongs to the month it starts in, so it
    is listed once."""
    asked = [int(value) for value in (month, series.pk if series else None) if value is not None]
    rounds = _calendar_rounds(
        year, month is not None, None if tier is None else int(tier), series is not None
    )
    event_fields = _EVENT_COLUMNS
    events: dict[int, tuple[tuple[Any, ...], list[tuple[Any, ...]]]] = {}
    # query: the rounds that pass the filters, with season, series, event and circuit
    for row in rounds(*asked):
        event_id, event, round_ = (
            row[0],
            row[1 : len(event_fields) + 1],
            row[len(event_fields) + 1 :],
        )
        events.setdefault(event_id, (event, []))[1].append(round_)
    months: dict[dt.date, list[EventLine]] = {}
    addresses = Addresses()
    for event, event_rounds in events.values():
        line = event_line(event, event_rounds, addresses)
        months.setdefault(line.start_date.replace(day=1), []).append(line)
    return [CalendarMonth(key, lines) for key, lines in sorted(months.items())]
