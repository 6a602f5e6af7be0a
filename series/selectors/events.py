"""The events directory and the event page: the rounds and sessions an event hosted, their
podiums, its watch links and the events supporting it. Each loaded in a fixed number of queries
(tests/test_pages_directory.py counts them)."""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.db.models.functions import ExtractYear
from django.utils.safestring import SafeString

from pcc.prepared import Prepared

from ..addresses import slug_address, slug_year_address
from ..dates import event_dates_label
from ..models import (
    SCORING_KINDS,
    DatePrecision,
    Event,
    MediaLink,
    Result,
    Round,
    Session,
    SessionStatus,
    Tier,
)
from ..models.pyramid import series_display_name
from .hosted import (
    EVENT_FIELDS,
    ROUND_FIELDS,
    HostedSeason,
    _rounds_with_series,
    hosted_seasons,
    round_span,
)
from .paging import Paged, page_of
from .watch import EVENT_LINKS, event_links


@dataclass(frozen=True)
class EventFacts:
    """What an event's JSON-LD says beyond the event's own fields: who hosted it and whether it
    was called off. The event and session pages' selectors load it, so the tag runs no query."""

    organisers: list[str]
    cancelled: bool


def event_facts(
    event: Event, series_organisers: Iterable[str], sessions: Sequence[Session]
) -> EventFacts:
    """The host a source names for the event (Event.organiser), else the organisers of the series
    whose rounds it hosts; cancelled when it had sessions and every one of them was cancelled."""
    if event.organiser:
        organisers = [event.organiser]
    else:
        organisers = sorted({name for name in series_organisers if name})
    cancelled = bool(sessions) and all(s.status == SessionStatus.CANCELLED for s in sessions)
    return EventFacts(organisers, cancelled)


def group_links_by_region(links: list[MediaLink]) -> list[tuple[str, list[MediaLink]]]:
    """Worldwide first, then the regions A–Z."""
    by_region: dict[str, list[MediaLink]] = defaultdict(list)
    for link in links:
        by_region[link.region or "Worldwide"].append(link)
    return sorted(by_region.items(), key=lambda item: (item[0] != "Worldwide", item[0]))


class _Year(ExtractYear):
    """A date's year; on SQLite read off the stored text ("2026-05-23"), where Django's
    extraction calls a Python function for every row (0.25 ms on the 226 events of the shipped
    record, the whole table at every size)."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS integer)", params


# query: the years events start in (compiled once: pcc/prepared.py)
_EVENT_YEARS = Prepared(
    lambda: (
        Event.objects.order_by()
        .annotate(year=_Year("start_date"))
        .values_list("year", flat=True)
        .distinct()
    )
)


def event_years() -> list[int]:
    return sorted(_EVENT_YEARS(), reverse=True)


@dataclass
class EventRow:
    event: Event
    hosted: list[HostedSeason]


EVENTS_PER_PAGE = 250  # a year of the record fits on one page (a synthetic 30-series year: 300)


def dates_html(start: dt.date, end: dt.date, precision: str, label: str | None = None) -> str:
    """An event's dates as the event_dates tag writes them (a <time> around the words of
    series/dates.py), without its per-call import and Django's lazy-aware escaping: 5 µs of the
    10 an event cost. tests/test_prepared_directory.py compares the two for every event."""
    # as conditional_escape(); `label`: event_dates_label()'s, when the caller has it already
    label = html.escape(label if label is not None else event_dates_label(start, end, precision))
    if precision == DatePrecision.MONTH:
        opening = f'<time datetime="{start:%Y-%m}" title="Only the month is known">'
    else:
        opening = f'<time datetime="{start.isoformat()}">'
    return SafeString(f"{opening}{label}</time>")  # mark_safe() without its lazy check


class HostedRow(NamedTuple):
    """One season's rounds at an event as the events directory prints it."""

    tier: int
    tier_label: str
    series_url: str
    display_name: str  # the series'
    season_url: str
    span: str  # "Rounds 3–4"


class EventListRow(NamedTuple):
    """An event as the events directory prints it: plain values in tuples, which the template
    unpacks into names in its loops (a lookup into a dataclass costs about 1 µs a field, 0.5 ms
    on a year of the shipped record)."""

    url: str
    name: str
    dates: str  # as the event_dates tag writes them, in a <time> (safe HTML)
    circuit_url: str
    circuit_name: str
    circuit_country: str
    hosted: list[HostedRow]


@dataclass
class EventList:
    rows: list[EventListRow]
    paged: Paged


class _ListingAddresses:
    """The four kinds of address an events listing prints, each reversed once a page, and what
    a line prints of each season hosted, worked out once a page (a season hosts a round at
    several of the year's events)."""

    def __init__(self) -> None:
        self.event = slug_address("series:event-detail")
        self.circuit = slug_address("series:circuit-detail")
        self.series = slug_address("series:series-detail")
        self.season = slug_year_address("series:season-detail")
        self.seasons: dict[tuple[str, int], tuple[int, str, str, str, str]] = {}

    def season_line(
        self, slug: str, year: int, name: str, short_name: str, tier: int
    ) -> tuple[int, str, str, str, str]:
        """A season's tier, tier label, series address, series name and season address."""
        line = self.seasons.get((slug, year))
        if line is None:
            line = self.seasons[slug, year] = (
                tier,
                _TIER_LABELS.get(tier) or str(Tier(tier).label),
                self.series(slug),
                series_display_name(name, short_name),
                self.season(slug, year),
            )
        return line


_TIER_LABELS = {tier.value: str(tier.label) for tier in Tier}
_new_row = tuple.__new__  # a NamedTuple without its Python-level __new__ (0.4 µs a row)


def listing_row(
    event: tuple[Any, ...], rounds: list[tuple[Any, ...]], addresses: _ListingAddresses
) -> EventListRow:
    """An event (EVENT_FIELDS row) and its rounds (ROUND_FIELDS rows, in the listing's order)
    as the events directory prints it, in tuples (a test compares it with tests/event_lines.py's
    reference)."""
    slug, name, start, end, precision, circuit_slug, circuit_name, country = event
    by_season: dict[int, list[tuple[Any, ...]]] = {}
    for row in rounds:
        by_season.setdefault(row[0], []).append(row)
    hosted = []
    for season_rows in by_season.values():
        _, _, year, series_slug, series_name, short_name, tier = season_rows[0]
        season = addresses.season_line(series_slug, year, series_name, short_name, tier)
        span = round_span([row[1] for row in season_rows])
        hosted.append((tier, series_name, year, _new_row(HostedRow, (*season, span))))
    if len(hosted) > 1:
        hosted.sort(key=lambda item: item[:3])  # top of the pyramid first, then A-Z (hosted.py)
    return _new_row(
        EventListRow,
        (
            addresses.event(slug),
            name,
            dates_html(start, end, precision),
            addresses.circuit(circuit_slug),
            circuit_name,
            country,
            [item[3] for item in hosted],
        ),
    )


# A year's events, each with its rounds (season and series) on rows of their own: the EVENT_FIELDS
# and then the ROUND_FIELDS (None for an event that hosted no round), in the listing's order.
_YEAR_ROUND_FIELDS = tuple(f"rounds__{name}" for name in ("season", *ROUND_FIELDS[1:]))


@functools.lru_cache(maxsize=64)
def _year_events(year: int) -> Prepared[QuerySet[Event, tuple[Any, ...]]]:
    """A year's events with their rounds, compiled once per process and year (pcc/prepared.py):
    the ORM writes the year as the range of its days (an index's range), so the year is the
    query's shape rather than an argument."""
    return Prepared(
        lambda: (
            Event.objects.filter(start_date__year=year)
            .order_by(
                "-start_date",
                "name",
                "pk",
                "rounds__season__series__tier",
                "rounds__number",
            )
            .values_list("pk", *EVENT_FIELDS, *_YEAR_ROUND_FIELDS)
        )
    )


def event_list(year: int | None, page: int | None = None) -> EventList:
    """One page of the events (of `year`), newest first, with the seasons each hosted, as plain
    lines. A year (at most a few hundred events) is one query of its events and their rounds,
    paged here; the whole record, three queries whatever the page."""
    if year is None:
        return _all_events(page)
    events: dict[int, tuple[tuple[Any, ...], list[tuple[Any, ...]]]] = {}
    width = len(EVENT_FIELDS) + 1
    for row in _year_events(year)():
        found = events.get(row[0])
        if found is None:
            found = events[row[0]] = (row[1:width], [])
        if row[width] is not None:
            found[1].append(row[width:])
    shown, paged = page_of(list(events.values()), page, EVENTS_PER_PAGE)
    addresses = _ListingAddresses()
    return EventList([listing_row(event, rounds, addresses) for event, rounds in shown], paged)


def _all_events(page: int | None) -> EventList:
    """Every event (no year: only when none is on record), a page of them."""
    events = Event.objects.all().order_by("-start_date", "name", "pk")
    # queries: how many events; the events of the page with their circuits
    shown, paged = page_of(events.values_list("pk", *EVENT_FIELDS), page, EVENTS_PER_PAGE)
    rounds: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    # query: their rounds with season and series
    for event_id, *round_ in (
        Round.objects.filter(event__in=[row[0] for row in shown])
        .order_by("season__series__tier", "number")
        .values_list("event_id", *ROUND_FIELDS)
    ):
        rounds[event_id].append(tuple(round_))
    addresses = _ListingAddresses()
    return EventList([listing_row(row[1:], rounds[row[0]], addresses) for row in shown], paged)


@dataclass
class SessionLine:
    session: Session
    podium: list[Result]


@dataclass
class HostedSeasonSessions:
    hosted: HostedSeason
    sessions: list[SessionLine]


@dataclass
class EventPage:
    event: Event
    hosted: list[HostedSeasonSessions]
    other_sessions: list[SessionLine]
    schedule: list[Session]
    watch: list[tuple[str, list[MediaLink]]]
    support_events: list[Event]
    facts: EventFacts

    @property
    def has_results(self) -> bool:
        lines = [line for h in self.hosted for line in h.sessions] + self.other_sessions
        return any(line.podium for line in lines)


def _share_rounds(sessions: list[Session], rounds: list[Round]) -> None:
    """Give each session its round from the event's rounds (loaded with season and series). A
    session's round is its event's; should the record say otherwise, those rounds are loaded in
    one more query rather than one each."""
    by_id = {round_.pk: round_ for round_ in rounds}
    elsewhere = {s.round_id for s in sessions if s.round_id is not None} - by_id.keys()
    if elsewhere:
        # query (only for a session whose round is at another event): those rounds
        by_id.update((r.pk, r) for r in _rounds_with_series().filter(pk__in=elsewhere))
    for session in sessions:
        if session.round_id is not None:
            session.round = by_id[session.round_id]


# The event page's queries, compiled once per process (pcc/prepared.py), each by the event's id.
# query: the rounds the event hosted, with season and series
_EVENT_ROUNDS = Prepared(lambda event_id: _rounds_with_series().filter(event_id=event_id))
# query: the sessions (their rounds are the ones just loaded: no join of their own)
_EVENT_SESSIONS = Prepared(
    lambda event_id: Session.objects.filter(event_id=event_id).order_by("date", "starts_at", "name")
)
# query: the podium of every race and sprint of the event that ran (whatever was entered for a
# cancelled race is no podium)
_EVENT_PODIUMS = Prepared(
    lambda event_id: (
        Result.objects.filter(
            session__event_id=event_id, session__kind__in=SCORING_KINDS, position__lte=3
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("entry__driver", "entry__team", "team")
        .order_by("session", "position")
    )
)
# query: the events that support this one (an F1 weekend's support races)
_SUPPORT_EVENTS = Prepared(
    lambda event_id: (
        Event.objects.filter(parent_id=event_id).select_related("circuit").order_by("start_date")
    )
)


def event_page(event: Event) -> EventPage:
    """Everything the event page shows. `event` comes with circuit and parent selected."""
    rounds = list(_EVENT_ROUNDS(event.pk))
    sessions = list(_EVENT_SESSIONS(event.pk))
    _share_rounds(sessions, rounds)
    podiums: dict[int, list[Result]] = defaultdict(list)
    for result in _EVENT_PODIUMS(event.pk):
        podiums[result.session_id].append(result)
    # the series' links for this year only
    links = event_links(list(EVENT_LINKS(event.pk)), event.start_date.year)
    support_events = list(_SUPPORT_EVENTS(event.pk))
    for support in support_events:
        support.parent = event  # as event.support_events gave them

    for session in sessions:
        # Each session's day is worded from its event's dates: share the loaded event.
        session.event = event
    hosted = hosted_seasons(rounds)
    lines_by_season: dict[int, list[SessionLine]] = defaultdict(list)
    other: list[SessionLine] = []
    for session in sessions:
        line = SessionLine(session, podiums.get(session.pk, []))
        if session.round is not None:
            lines_by_season[session.round.season_id].append(line)
        else:
            other.append(line)
    return EventPage(
        event=event,
        hosted=[HostedSeasonSessions(h, lines_by_season.get(h.season.pk, [])) for h in hosted],
        other_sessions=other,
        schedule=sessions,
        watch=group_links_by_region(links),
        support_events=support_events,
        # The rounds and sessions are loaded: the JSON-LD's host and status cost no query.
        facts=event_facts(event, (r.season.series.organiser for r in rounds), sessions),
    )
