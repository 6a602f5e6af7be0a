"""The circuits directory and the circuit page: the events held there and its lap records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Max, Min

from pcc.prepared import Prepared

from ..models import (
    Circuit,
    Event,
    Result,
    Round,
)
from .events import EventRow
from .hosted import _rounds_with_series, hosted_seasons
from .paging import Paged, page_of


def length_label(length_km: Decimal | None) -> str:
    """A circuit's length as the pages print it, in km to the metre ("4.909"), or ""."""
    return f"{length_km:.3f}" if length_km else ""


@dataclass(frozen=True, slots=True)
class CircuitRow:
    """A circuit as the directory prints it: plain values, formatted once here (64 circuits
    shipped, 184 at scale, each with a length and a span of years)."""

    slug: str
    name: str
    place: str
    country: str
    length: str
    event_count: int
    years: str


def _years_label(first: dt.date | None, last: dt.date | None) -> str:
    if first is None or last is None:
        return ""
    return str(first.year) if first.year == last.year else f"{first.year}–{last.year}"


# query: the circuits with how many events they held, and when (compiled once: pcc/prepared.py)
_CIRCUITS = Prepared(
    lambda: (
        Circuit.objects.all()
        .annotate(
            event_count=Count("events", distinct=True),
            first_date=Min("events__start_date"),
            last_date=Max("events__start_date"),
        )
        .order_by("name")
        .values_list(
            "slug",
            "name",
            "place",
            "country",
            "length_km",
            "event_count",
            "first_date",
            "last_date",
        )
    )
)


def circuit_list() -> list[CircuitRow]:
    circuits = _CIRCUITS()
    return [
        CircuitRow(
            slug, name, place, country, length_label(length), count, _years_label(first, last)
        )
        for slug, name, place, country, length, count, first, last in circuits
    ]


@dataclass
class LapRecord:
    label: str
    result: Result


# A circuit's events a page at a time: the busiest shipped circuit held 12, a synthetic one 240,
# whose rows (each with its seasons) cost more than the rest of the page at scale.
CIRCUIT_EVENTS_PER_PAGE = 50


@dataclass
class CircuitPage:
    circuit: Circuit
    events: list[EventRow]  # the page of them shown (all of them when not paged)
    lap_records: list[LapRecord]
    paged: Paged

    @property
    def length(self) -> str:
        return length_label(self.circuit.length_km)


# The circuit page's queries, compiled once per process (pcc/prepared.py), by the circuit's id.
# query: the events held here (the fields the page and the API show: a busy circuit held 80)
_CIRCUIT_EVENTS = Prepared(
    lambda circuit_id: (
        Event.objects.filter(circuit_id=circuit_id)
        .only("name", "slug", "circuit_id", "start_date", "end_date", "date_precision")
        .order_by("-start_date", "pk")
    )
)
# query: their rounds with season and series, grouped here by event (a prefetch built a related
# manager and a queryset per event)
_ROUND_FIELDS = (
    "number",
    "event_id",
    "season__year",
    "season__series__name",
    "season__series__short_name",
    "season__series__slug",
    "season__series__tier",
)
_CIRCUIT_ROUNDS = Prepared(
    lambda circuit_id: (
        _rounds_with_series().filter(event__circuit_id=circuit_id).only(*_ROUND_FIELDS)
    )
)


def _rounds_of_events(event_ids: list[int]) -> list[Round]:
    return list(_rounds_with_series().filter(event_id__in=event_ids).only(*_ROUND_FIELDS))


# query: the fastest best lap set here by each car (generation, or car name without one), in the
# sessions of championship rounds (practice, qualifying and races, as the page says), the car
# being the round's season's.
# Grouped, not ranked: ranking every result at a busy synthetic circuit (16,000 rows of 200
# seasons) sorted them all, 60-130 ms at scale; the minimum per car is one pass. The car is read
# through the session's round, not the result's entry: joining 12,800 results to their entries
# made PostgreSQL hash the whole entry table (45-120 ms at scale against 17 through the rounds).
_FASTEST_LAPS = Prepared(
    lambda circuit_id: (
        Result.objects.filter(
            session__event__circuit_id=circuit_id,
            session__round__isnull=False,
            best_lap__isnull=False,
        )
        .order_by()
        .values_list("session__round__season__car_generation", "session__round__season__car")
        .annotate(lap=Min("best_lap"))
    )
)


# query: the first page of them and one more (is there a second page?), as _CIRCUIT_EVENTS
_CIRCUIT_EVENTS_FIRST = Prepared(
    lambda circuit_id: _CIRCUIT_EVENTS.build(circuit_id)[: CIRCUIT_EVENTS_PER_PAGE + 1]
)
# query: the ids of every event held here, in the listing's order (its count and pages)
_CIRCUIT_EVENT_IDS = Prepared(
    lambda circuit_id: (
        Event.objects.filter(circuit_id=circuit_id)
        .order_by("-start_date", "pk")
        .values_list("pk", flat=True)
    )
)


def _events_page(
    circuit_id: int, page: int | None, per_page: int | None
) -> tuple[list[Event], Paged, bool]:
    """The events of page `page`, its Paged, and whether they are every event held here. Most
    circuits hold one page of events: one query. A busy one (a synthetic circuit held 240) reads
    its first page and one more, then every id (the count and the pages; a later page then reads
    its own events), instead of 240 events to show 50. Newest first, the id breaking a tie, so
    two pages never show one event twice."""
    if per_page is None:  # every event (the API)
        every_event = list(_CIRCUIT_EVENTS(circuit_id))
        events, paged = page_of(every_event, 1, max(len(every_event), 1))
        return events, paged, True
    first: list[Event] | None = None
    if per_page == CIRCUIT_EVENTS_PER_PAGE and (page or 1) == 1:
        first = list(_CIRCUIT_EVENTS_FIRST(circuit_id))
        if len(first) <= per_page:
            events, paged = page_of(first, page, per_page)
            return events, paged, True
    ids = list(_CIRCUIT_EVENT_IDS(circuit_id))
    page_ids, paged = page_of(ids, page, per_page)
    if first is not None and paged.number == 1:
        return first[:per_page], paged, False  # the first page, read already
    if len(page_ids) == len(ids):
        return list(_CIRCUIT_EVENTS(circuit_id)), paged, True
    # query: the page's events (a list of ids: built by the ORM), in the ids' order
    found = {
        event.pk: event
        for event in _CIRCUIT_EVENTS.build(circuit_id).filter(pk__in=page_ids).order_by()
    }
    return [found[pk] for pk in page_ids if pk in found], paged, False


def circuit_page(
    circuit: Circuit, page: int | None = None, *, per_page: int | None = CIRCUIT_EVENTS_PER_PAGE
) -> CircuitPage:
    """The circuit, page `page` of the events held there (newest first; every event when
    `per_page` is None, as the API lists them) and its lap records."""
    events, paged, every = _events_page(circuit.pk, page, per_page)
    for event in events:
        event.circuit = circuit  # as circuit.events gave them
    rounds_by_event: dict[int, list[Round]] = defaultdict(list)
    rounds: Iterable[Round]
    if every:
        rounds = _CIRCUIT_ROUNDS(circuit.pk)
    else:
        # query: the rounds of the events shown only (a list of ids: built by the ORM)
        rounds = _rounds_of_events([event.pk for event in events])
    for round_ in rounds:
        rounds_by_event[round_.event_id].append(round_)
    rows = [EventRow(event, hosted_seasons(rounds_by_event[event.pk])) for event in events]
    fastest_laps = {(generation, car): lap for generation, car, lap in _FASTEST_LAPS(circuit.pk)}
    # query: the results here with one of those laps, fastest and then earliest first: the first
    # of each car with its own fastest lap is its record (synthetic laps tie by the hundred, so
    # only their ids are read). Filtered on the laps alone, then on the car here: an OR of each
    # car's lap made PostgreSQL join every result here to its entry and season (3-19 ms at scale).
    fastest_first = [F("best_lap").asc(), F("session__date").asc()]
    record_ids: dict[tuple[int | None, str], int] = {}
    if fastest_laps:
        for pk, generation, car, lap in (
            Result.objects.filter(
                session__event__circuit=circuit,
                session__round__isnull=False,
                best_lap__in=sorted(set(fastest_laps.values())),
            )
            .order_by(*fastest_first)
            .values_list(
                "pk",
                "session__round__season__car_generation",
                "session__round__season__car",
                "best_lap",
            )
        ):
            if fastest_laps.get((generation, car)) == lap:
                record_ids.setdefault((generation, car), pk)
    records: dict[str, LapRecord] = {}
    if not record_ids:
        # No lap on record here (most circuits): building the query below cost more than the
        # rest of the page's queries together (1.4 ms), for no rows.
        return CircuitPage(circuit, rows, [], paged)
    # query: those results with their drivers, seasons and events
    for result in (
        Result.objects.filter(pk__in=list(record_ids.values()))
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
    return CircuitPage(circuit, rows, sorted(records.values(), key=lambda r: r.label), paged)
