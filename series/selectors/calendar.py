"""The calendar page: events with their rounds, month by month, filtered by year, month, tier
and series."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from ..addresses import Addresses
from ..models import (
    Event,
    Round,
    Series,
)
from .hosted import EVENT_FIELDS, ROUND_FIELDS, EventLine, event_line


def _rounds() -> QuerySet[Round]:
    return Round.objects.all()


def calendar_years() -> list[int]:
    # query: the years with rounds (by the start of their event, as the calendar groups them):
    # the events holding a round (a semi-join, and the year extracted rather than truncated to a
    # date: at scale a third of the time of joining 20,000 rounds to their events)
    held = Event.objects.filter(Exists(Round.objects.filter(event=OuterRef("pk"))))
    years = held.order_by().values_list("start_date__year", flat=True).distinct()
    return sorted(years, reverse=True)


@dataclass
class CalendarMonth:
    month: dt.date
    events: list[EventLine]


def calendar(
    year: int | None, month: int | None, tier: int | None, series: Series | None
) -> list[CalendarMonth]:
    """Events with their rounds (those that pass the filters), month by month, as plain lines. A
    weekend that straddles two months (28 Sep to 1 Oct) belongs to the month it starts in, so it
    is listed once."""
    rounds = _rounds().order_by(
        "event__start_date", "event__name", "season__series__tier", "number"
    )
    if year is not None:
        rounds = rounds.filter(event__start_date__year=year)
    if month is not None:
        rounds = rounds.filter(event__start_date__month=month)
    if tier is not None:
        rounds = rounds.filter(season__series__tier=tier)
    if series is not None:
        rounds = rounds.filter(season__series=series)
    event_fields = tuple(f"event__{name}" for name in EVENT_FIELDS)
    events: dict[int, tuple[tuple[Any, ...], list[tuple[Any, ...]]]] = {}
    # query: the rounds that pass the filters, with season, series, event and circuit
    for row in rounds.values_list("event_id", *event_fields, *ROUND_FIELDS):
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
