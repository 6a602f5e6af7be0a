"""The events directory and the event page: the rounds and sessions an event hosted, their
podiums, its watch links and the events supporting it. Each loaded in a fixed number of queries
(tests/test_pages_directory.py counts them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from ..addresses import Addresses
from ..models import (
    SCORING_KINDS,
    Event,
    MediaLink,
    Result,
    Round,
    Season,
    Session,
    SessionStatus,
)
from .hosted import (
    EVENT_FIELDS,
    ROUND_FIELDS,
    EventLine,
    HostedSeason,
    _rounds_with_series,
    event_line,
    hosted_seasons,
)
from .paging import Paged, page_of
from .watch import event_links


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


def event_years() -> list[int]:
    # query: the years events start in
    years = Event.objects.order_by().values_list("start_date__year", flat=True).distinct()
    return sorted(years, reverse=True)


@dataclass
class EventRow:
    event: Event
    hosted: list[HostedSeason]


EVENTS_PER_PAGE = 250  # a year of the record fits on one page (a synthetic 30-series year: 300)


@dataclass
class EventList:
    rows: list[EventLine]
    paged: Paged


def event_list(year: int | None, page: int | None = None) -> EventList:
    """One page of the events (of `year`), newest first, with the seasons each hosted, as plain
    lines. Three queries whatever the page."""
    events = Event.objects.all().order_by("-start_date", "name", "pk")
    if year is not None:
        events = events.filter(start_date__year=year)
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
    addresses = Addresses()
    return EventList([event_line(row[1:], rounds[row[0]], addresses) for row in shown], paged)


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


def event_page(event: Event) -> EventPage:
    """Everything the event page shows. `event` comes with circuit and parent selected."""
    # query: the rounds the event hosted, with season and series
    rounds = list(_rounds_with_series().filter(event=event))
    # query: the sessions (their rounds are the ones just loaded: no join of their own)
    sessions = list(Session.objects.filter(event=event).order_by("date", "starts_at", "name"))
    _share_rounds(sessions, rounds)
    # query: the podium of every race and sprint of the event that ran (whatever was entered for
    # a cancelled race is no podium)
    podiums: dict[int, list[Result]] = defaultdict(list)
    for result in (
        Result.objects.filter(
            session__event=event, session__kind__in=SCORING_KINDS, position__lte=3
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("entry__driver", "entry__team", "team")
        .order_by("session", "position")
    ):
        podiums[result.session_id].append(result)
    # query: the watch links of the sessions, the event, and the seasons and series it hosted
    season_ids = Round.objects.filter(event=event).values("season_id")
    series_ids = Season.objects.filter(rounds__event=event).values("series_id")
    links = list(
        MediaLink.objects.filter(
            Q(event=event)
            | Q(session__event=event)
            | Q(season_id__in=season_ids)
            | Q(series_id__in=series_ids)
        ).select_related("series", "season__series", "session")
    )
    links = event_links(links, event.start_date.year)  # the series' links for this year only
    # query: the events that support this one (an F1 weekend's support races)
    support_events = list(event.support_events.select_related("circuit").order_by("start_date"))

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
