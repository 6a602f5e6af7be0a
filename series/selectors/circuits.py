"""The circuits directory and the circuit page: the events held there and its lap records."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Max, Min, Window
from django.db.models.functions import RowNumber

from ..models import (
    Circuit,
    Result,
    Round,
)
from .events import EventRow
from .hosted import _rounds_with_series, hosted_seasons


def circuit_list() -> list[Circuit]:
    # query: the circuits with how many events they held, and when
    return list(
        Circuit.objects.all()
        .annotate(
            event_count=Count("events", distinct=True),
            first_date=Min("events__start_date"),
            last_date=Max("events__start_date"),
        )
        .order_by("name")
    )


@dataclass
class LapRecord:
    label: str
    result: Result


@dataclass
class CircuitPage:
    circuit: Circuit
    events: list[EventRow]
    lap_records: list[LapRecord]


def circuit_page(circuit: Circuit) -> CircuitPage:
    # query: the events held here (the fields the page and the API show: a busy circuit held 80)
    events = list(
        circuit.events.only(
            "name", "slug", "circuit_id", "start_date", "end_date", "date_precision"
        ).order_by("-start_date")
    )
    # query: their rounds with season and series, grouped here by event (a prefetch built a
    # related manager and a queryset per event)
    rounds_by_event: dict[int, list[Round]] = defaultdict(list)
    for round_ in (
        _rounds_with_series()
        .filter(event__circuit=circuit)
        .only(
            "number",
            "event_id",
            "season__year",
            "season__series__name",
            "season__series__short_name",
            "season__series__slug",
            "season__series__tier",
        )
    ):
        rounds_by_event[round_.event_id].append(round_)
    rows = [EventRow(event, hosted_seasons(rounds_by_event[event.pk])) for event in events]
    # query: the fastest best lap set here by each car (generation, or car name without one),
    # fastest first; the first of each label is its record. The database ranks the laps and only
    # the winners' rows are loaded, so a circuit with thousands of results stays quick
    # (the scale run of bench/synthetic.py).
    fastest_first = [F("best_lap").asc(), F("session__date").asc()]
    fastest_per_car = (
        Result.objects.filter(session__event__circuit=circuit, best_lap__isnull=False)
        # Not the results' default order: the ranking needs none, and the database sorted every
        # result at the circuit by it before ranking them.
        .order_by()
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("entry__season__car_generation"), F("entry__season__car")],
                order_by=fastest_first,
            )
        )
        .filter(rank=1)
        .values_list("pk", flat=True)
    )
    records: dict[str, LapRecord] = {}
    # query: those results with their drivers, seasons and events (by their ids: joined to the
    # ranking as a subquery, the planner built every result at the circuit first, 9,600 rows at a
    # busy synthetic circuit, to keep one or two)
    for result in (
        Result.objects.filter(pk__in=list(fastest_per_car))
        .select_related(
            "entry__driver",
            "entry__season__series",
            "entry__season__car_generation",
            "session__event",
        )
        .order_by(*fastest_first)
    ):
        season = result.entry.season
        if season.car_generation_id:
            label = str(season.car_generation)
        else:
            label = season.car or "Car not recorded"
        records.setdefault(label, LapRecord(label, result))
    return CircuitPage(circuit, rows, sorted(records.values(), key=lambda r: r.label))
