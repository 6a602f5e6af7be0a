"""The home page: the next event, the latest results on record, each series' latest champions,
the leaders of the seasons still running, and a plain statement of where the record stops.

The official record beats a computation: a season whose champion is on record, or whose last
round is over, shows no computed "leader"; its champion is shown with the published points where
we hold them. Loaded in a fixed number of queries whatever the number of seasons
(tests/test_pages_home.py counts them).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from pcc.prepared import Prepared

from ..addresses import Addresses
from ..models import (
    PUBLISHED_STATUSES,
    Champion,
    Event,
    MediaLink,
    Result,
    Round,
    Season,
    Series,
    Session,
    SessionStatus,
)
from ..models.history import is_overall_class, is_top_class
from ..standings import StandingRow
from .cache import site_version
from .pyramid import TierGroup, _tiers, mark_addresses
from .seasons import _state_query, in_progress
from .standings import StandingsTable, get_standings
from .watch import event_links

RESULT_STATUSES = PUBLISHED_STATUSES
# The home page shows the leaders of at most this many running seasons: each costs a standings
# computation the first time after a change, so the page's cost stays bounded as series are added.
HOME_LEADER_SEASONS = 8
HOME_PODIUMS = 8


@dataclass
class Podium:
    session: Session
    results: list[Result]


@dataclass
class Leaders:
    season: Season
    table: StandingsTable

    @property
    def top(self) -> list[StandingRow]:
        return [row for row in self.table.rows if row.position is not None][:3]


def _scored_sessions() -> QuerySet[Session, Any]:
    """Races and sprints of a round that ran (or were stopped) and hold results."""
    return (
        Session.objects.scoring()
        .filter(status__in=RESULT_STATUSES)
        .filter(Exists(Result.objects.filter(session=OuterRef("pk"))))
    )


def _latest_scoring_season() -> QuerySet[Season, Any]:
    """The series' latest season holding a scored session: its seasons newest first, stopping at
    the first that holds one."""
    return (
        Season.objects.filter(series=OuterRef("pk"))
        .filter(Exists(_scored_sessions().filter(round__season=OuterRef("pk"))))
        .order_by("-year")
        .values("pk")[:1]
    )


def _latest_scoring_session() -> QuerySet[Session, Any]:
    """The series' latest scored session, looked for in its latest season holding one (a round
    is dated in its season's year, so no earlier season holds a later one). Sorting every session
    of the series instead took 140 ms for the home page at 1,200 seasons."""
    return (
        _scored_sessions()
        .filter(round__season=OuterRef("latest_scoring_season_id"))
        # Nulls last: PostgreSQL puts a missing start time first in a descending sort.
        .order_by("-date", F("starts_at").desc(nulls_last=True), "-pk")
        .values("pk")[:1]
    )


@dataclass(slots=True)
class LinkedRecord:
    """A driver or team a title links to, as the page shows it."""

    slug: str
    name: str


@dataclass(slots=True)
class Title:
    """A title as the latest champions' table reads it: the Champion row's fields, plain (a model
    instance with its driver's and team's was most of the page's cost in instances)."""

    series_id: int
    year: int
    class_name: str
    driver_name: str
    team: str
    teams_champion: str
    points: Decimal | None
    qualifier: str
    driver: LinkedRecord | None
    team_record: LinkedRecord | None
    series: Series | None = None

    @property
    def is_overall(self) -> bool:
        return is_overall_class(self.class_name)

    @property
    def is_top_class(self) -> bool:
        return is_top_class(self.class_name)


@dataclass
class LatestTitles:
    """A series' latest year with titles on record: the overall champion first, then classes."""

    series: Series
    year: int
    titles: list[Title]

    @property
    def overall(self) -> Title | None:
        """The overall champion, or the Pro champion where no overall row is on record."""
        return next((t for t in self.titles if t.is_overall), None) or next(
            (t for t in self.titles if t.is_top_class), None
        )

    @property
    def classes(self) -> list[Title]:
        top = self.overall
        return [t for t in self.titles if t is not top]


@dataclass
class RecordEdge:
    """Where the record stops: the latest race with results, the latest calendar date and the
    latest year with a champion."""

    last_result: Session | None
    last_calendar_date: dt.date | None
    last_title_year: int | None


class PageAddresses(Addresses):
    """The page's addresses for its template, `page.address(name, *args)`: the same as `url()`,
    each kind reversed once a page instead of once a link. Told not to be called without its
    arguments where a lookup finds it (Django's rule, pcc/jinja2.py)."""

    do_not_call_in_templates = True


@dataclass
class HomePage:
    next_event: Event | None
    next_rounds: list[Round]
    next_sessions: list[Session]
    countdown_to: dt.datetime | None
    watch_links: list[MediaLink]
    podiums: list[Podium]
    leaders: list[Leaders]
    latest_titles: list[LatestTitles]
    edge: RecordEdge
    tiers: list[TierGroup]
    today: dt.date
    address: PageAddresses = field(default_factory=PageAddresses)

    @property
    def off_season(self) -> bool:
        """No season is running: the next event (if any) opens a new season."""
        return not self.leaders


def _latest_season_with_results() -> QuerySet[Season, Any]:
    return (
        Season.objects.filter(series=OuterRef("pk"))
        .filter(Exists(Result.objects.filter(session__round__season=OuterRef("pk"))))
        .order_by("-year")
        .values("pk")[:1]
    )


# What the podium cards show of a session, its event, season and results.
_PODIUM_SESSION_FIELDS = (
    "name",
    "slug",
    "date",
    "starts_at",
    "status",
    "event__name",
    "event__slug",
    "round__season__year",
    "round__season__series_id",
    "round__season__results_partial",
)
_PODIUM_RESULT_FIELDS = (
    "session_id",
    "position",
    "entry__guest",
    "entry__driver__name",
    "entry__driver__slug",
    "entry__team__name",
    "team__name",
)
# What the latest champions' table shows of a title, its driver and team (Title's fields).
_TITLE_FIELDS = (
    "series_id",
    "year",
    "class_name",
    "driver_name",
    "team",
    "teams_champion",
    "points",
    "qualifier",
    "driver_id",
    "driver__slug",
    "driver__name",
    "team_record_id",
    "team_record__slug",
    "team_record__name",
)

_NextEvent = tuple[Event | None, list[Round], list[Session], dt.datetime | None, list[MediaLink]]


# The page's queries, compiled once per process (pcc/prepared.py); those with `today` baked in
# once per day.
@functools.lru_cache(maxsize=2)
def _next_event_query(today: dt.date) -> Prepared[QuerySet[Event, Event]]:
    # The next event still to finish (it may be under way today): upcoming() sorts by start date,
    # so this is upcoming().first().
    return Prepared(lambda: Event.objects.all().upcoming(today).select_related("circuit")[:1])


_NEXT_ROUNDS = Prepared(
    lambda event_id: (
        Round.objects.filter(event_id=event_id)
        .select_related("season__series")
        .order_by("season__series__tier", "season__series__name", "number")
    )
)
_NEXT_SESSIONS = Prepared(
    lambda event_id: (
        Session.objects.filter(event_id=event_id)
        .select_related("round__season__series")
        .order_by("date", "starts_at", "name")
    )
)
# Links of the event, its sessions, and the seasons and series it hosts (the seasons and series of
# the event's rounds, as subqueries: the same rows as the ids of the rounds read above).
_NEXT_LINKS = Prepared(
    lambda event_id: (
        MediaLink.objects.filter(
            Q(event_id=event_id)
            | Q(session__event_id=event_id)
            | Q(season_id__in=Round.objects.filter(event_id=event_id).values("season_id"))
            | Q(series_id__in=Round.objects.filter(event_id=event_id).values("season__series_id"))
        )
        .select_related("series", "season__series", "session")
        .order_by("region", "kind", "provider")
    )
)


def _next_event(now: dt.datetime) -> _NextEvent:
    today = now.date()
    # 1: the next event still to finish (it may be under way today).
    next_event = next(iter(_next_event_query(today)()), None)
    if next_event is None:
        return None, [], [], None, []
    # 2: the rounds it hosts, with their series.
    next_rounds = list(_NEXT_ROUNDS(next_event.pk))
    # 3: its sessions, with the series of each scoring one.
    next_sessions = list(_NEXT_SESSIONS(next_event.pk))
    for session in next_sessions:
        session.event = next_event  # as next_event.sessions gave them
    # 4: where to watch: links of the event, its sessions, and the seasons and series it hosts.
    watch_links = event_links(list(_NEXT_LINKS(next_event.pk)), next_event.start_date.year)
    countdown_to = None
    upcoming = [
        session.starts_at
        for session in next_sessions
        if session.starts_at is not None
        and session.starts_at >= now
        and session.status != SessionStatus.CANCELLED
    ]
    if upcoming:
        countdown_to = min(upcoming)
    elif next_event.start_date > today:
        # No start times yet: count down to the first morning at the circuit.
        countdown_to = dt.datetime.combine(
            next_event.start_date, dt.time(0, 0), tzinfo=next_event.circuit.tz
        )
    return next_event, next_rounds, next_sessions, countdown_to, watch_links


# 5: every real series, with its latest scored session and its latest season with results.
# Only what the page shows of a series (its name, address and tier): the podiums, titles and
# leaders below take their series from this list instead of joining it again.
_SERIES = Prepared(
    lambda: (
        Series.objects.only("name", "short_name", "slug", "tier")
        # An alias, not a column: the latest session's subquery holds it, and selecting it too
        # made the database work it out twice a series.
        .alias(latest_scoring_season_id=Subquery(_latest_scoring_season()))
        .annotate(
            latest_session_id=Subquery(_latest_scoring_session()),
            latest_season_id=Subquery(_latest_season_with_results()),
        )
        .order_by("tier", "name")
    )
)
# 6: the latest few of those sessions (one per series), by their ids (one compiled query per
# number of series): latest day first, timed before untimed, latest start first, then as sessions
# sort (event, name): the order the page sorted every series' session in before it kept the first
# few, so the same ones are read.
_SESSIONS = Prepared(
    lambda *session_ids: (
        Session.objects.filter(pk__in=session_ids)
        .select_related("event", "round__season")
        .only(*_PODIUM_SESSION_FIELDS)
        .order_by("-date", F("starts_at").desc(nulls_last=True), "event", "name", "pk")[
            :HOME_PODIUMS
        ]
    )
)
# 7: the podiums of the sessions shown.
_PODIUMS = Prepared(
    lambda *session_ids: (
        Result.objects.filter(session_id__in=session_ids, position__lte=3)
        .select_related("entry__driver", "entry__team", "team")
        .only(*_PODIUM_RESULT_FIELDS)
        .order_by("session", "position")
    )
)


def _latest_titles() -> QuerySet[Champion, tuple[Any, ...]]:
    """Each series' latest year with titles, those titles with their drivers and teams."""
    latest_year = (
        Champion.objects.titles()
        .filter(series=OuterRef("series"))
        .order_by("-year")
        .values("year")[:1]
    )
    return (
        Champion.objects.titles()
        .filter(year=Subquery(latest_year))
        .order_by("series__tier", "series__name", "class_name")
        .values_list(*_TITLE_FIELDS)
    )


# 8: each series' latest year with titles.
_TITLES = Prepared(_latest_titles)


@functools.lru_cache(maxsize=2)
def _seasons_query(today: dt.date) -> Prepared[QuerySet[Season, Season]]:
    """9: seasons by their ids with their state (seasons.in_progress decides who has leaders).
    (Not their scoring rules: the standings loader reads those itself. Joined here, they cost
    the database a scan of every season's rules at scale.)"""
    return Prepared(
        lambda *season_ids: (
            _state_query(today).filter(pk__in=season_ids).order_by("series__tier", "series__name")
        )
    )


# 11: the last day the calendars reach: the latest end of an event hosting a round (end dates
# are never empty, so this is the MAX() of them).
_LAST_CALENDAR_DATE = Prepared(
    lambda: (
        Event.objects.filter(Exists(Round.objects.filter(event_id=OuterRef("pk"))))
        .order_by("-end_date")
        .values_list("end_date", flat=True)[:1]
    )
)


def home_page(now: dt.datetime) -> HomePage:
    today = now.date()
    next_event, next_rounds, next_sessions, countdown_to, watch_links = _next_event(now)

    series_list = list(_SERIES())  # 5
    address = PageAddresses()
    mark_addresses(series_list, address)
    series_by_id = {series.pk: series for series in series_list}
    session_ids = [s.latest_session_id for s in series_list if s.latest_session_id]
    podiums: list[Podium] = []
    if session_ids:
        # 6: those sessions (one per series); the latest few are shown. 7: their podiums.
        sessions = sorted(
            _SESSIONS(*session_ids),
            key=lambda session: (session.date, session.starts_at is not None, session.starts_at),
            reverse=True,
        )[:HOME_PODIUMS]
        for session in sessions:
            if session.round is not None:  # always: a scored session is a round's
                session.round.season.series = series_by_id[session.round.season.series_id]
        podium_results = defaultdict(list)
        for result in _PODIUMS(*[session.pk for session in sessions]):
            podium_results[result.session_id].append(result)
        podiums = [Podium(session=s, results=podium_results[s.pk]) for s in sessions]

    # 8: each series' latest year with titles, those titles with their drivers and teams.
    by_series: dict[int, LatestTitles] = {}
    for (
        series_id,
        year,
        class_name,
        driver_name,
        team,
        teams_champion,
        points,
        qualifier,
        driver_id,
        driver_slug,
        driver_full_name,
        team_record_id,
        team_slug,
        team_name,
    ) in _TITLES():
        series = series_by_id[series_id]
        title = Title(
            series_id=series_id,
            year=year,
            class_name=class_name,
            driver_name=driver_name,
            team=team,
            teams_champion=teams_champion,
            points=points,
            qualifier=qualifier,
            driver=LinkedRecord(driver_slug, driver_full_name) if driver_id is not None else None,
            team_record=LinkedRecord(team_slug, team_name) if team_record_id is not None else None,
            series=series,
        )
        by_series.setdefault(series.pk, LatestTitles(series, year, [])).titles.append(title)
    latest_titles = list(by_series.values())

    season_ids = [s.latest_season_id for s in series_list if s.latest_season_id]
    leaders: list[Leaders] = []
    if season_ids:
        # 9: those seasons with their state (seasons.in_progress decides who has leaders);
        # 10: the site version once, so each cached table costs nothing.
        seasons = list(_seasons_query(timezone.localdate())(*season_ids))
        for season in seasons:
            season.series = series_by_id[season.series_id]
        running = [s for s in seasons if in_progress(s)][:HOME_LEADER_SEASONS]
        if running:
            version = site_version()
            for season in running:
                # Uncached, each costs the standings loader's queries once per change.
                table = get_standings(season, version=version)
                if any(row.position is not None for row in table.rows):
                    leaders.append(Leaders(season=season, table=table))

    # 11: the last day the calendars reach.
    last_calendar_date = next(iter(_LAST_CALENDAR_DATE()), None)
    edge = RecordEdge(
        last_result=podiums[0].session if podiums else None,
        last_calendar_date=last_calendar_date,
        last_title_year=max((t.year for t in latest_titles), default=None),
    )
    return HomePage(
        next_event=next_event,
        next_rounds=next_rounds,
        next_sessions=next_sessions,
        countdown_to=countdown_to,
        watch_links=watch_links,
        podiums=podiums,
        leaders=leaders,
        latest_titles=latest_titles,
        edge=edge,
        tiers=_tiers(series_list),
        today=today,
        address=address,
    )
