"""The calendar page: events with their rounds, month by month, filtered by year, month, tier
and series."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from ..models import (
    Event,
    Round,
    Series,
)
from .hosted import HostedSeason, hosted_seasons


def _rounds() -> QuerySet[Round]:
    return Round.objects.all()


def calendar_years() -> list[int]:
    # query: the years with rounds (by the start of their event, as the calendar groups them)
    return sorted({d.year for d in _rounds().dates("event__start_date", "year")}, reverse=True)


@dataclass
class CalendarEvent:
    event: Event
    rounds: list[Round]

    @property
    def hosted(self) -> list[HostedSeason]:
        return hosted_seasons(self.rounds)


@dataclass
class CalendarMonth:
    month: dt.date
    events: list[CalendarEvent]


def calendar(
    year: int | None, month: int | None, tier: int | None, series: Series | None
) -> list[CalendarMonth]:
    """Events with their rounds, month by month. A weekend that straddles two months (28 Sep to
    1 Oct) belongs to the month it starts in, so it is listed once."""
    rounds = (
        _rounds()
        .select_related("season__series", "event__circuit")
        .order_by("event__start_date", "event__name", "season__series__tier", "number")
    )
    if year is not None:
        rounds = rounds.filter(event__start_date__year=year)
    if month is not None:
        rounds = rounds.filter(event__start_date__month=month)
    if tier is not None:
        rounds = rounds.filter(season__series__tier=tier)
    if series is not None:
        rounds = rounds.filter(season__series=series)
    months: dict[dt.date, dict[int, CalendarEvent]] = {}
    # query: the rounds that pass the filters, with season, series, event and circuit
    for round_ in rounds:
        key = round_.event.start_date.replace(day=1)
        events = months.setdefault(key, {})
        events.setdefault(round_.event_id, CalendarEvent(round_.event, [])).rounds.append(round_)
    return [CalendarMonth(key, list(events.values())) for key, events in sorted(months.items())]
