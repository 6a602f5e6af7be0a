"""The home page: the next event, the latest results on record, each series' latest champions,
the leaders of the seasons still running, and a plain statement of where the record stops.

The official record beats a computation: a season whose champion is on record, or whose last
round is over, shows no computed "leader"; its champion is shown with the published points where
we hold them. Loaded in a fixed number of queries whatever the number of seasons
(tests/test_pages_home.py counts them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery

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
from ..standings import StandingRow
from .cache import site_version
from .pyramid import TierGroup, _tiers
from .seasons import in_progress, seasons_with_state
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


@dataclass
class LatestTitles:
    """A series' latest year with titles on record: the overall champion first, then classes."""

    series: Series
    year: int
    titles: list[Champion]

    @property
    def overall(self) -> Champion | None:
        """The overall champion, or the Pro champion where no overall row is on record."""
        return next((t for t in self.titles if t.is_overall), None) or next(
            (t for t in self.titles if t.is_top_class), None
        )

    @property
    def classes(self) -> list[Champion]:
        top = self.overall
        return [t for t in self.titles if t is not top]


@dataclass
class RecordEdge:
    """Where the record stops: the latest race with results, the latest calendar date and the
    latest year with a champion."""

    last_result: Session | None
    last_calendar_date: dt.date | None
    last_title_year: int | None


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
# What the latest champions' table shows of a title, its driver and team.
_TITLE_FIELDS = (
    "series_id",
    "year",
    "class_name",
    "driver_name",
    "team",
    "teams_champion",
    "points",
    "qualifier",
    "driver__slug",
    "team_record__name",
)

_NextEvent = tuple[Event | None, list[Round], list[Session], dt.datetime | None, list[MediaLink]]


def _next_event(now: dt.datetime) -> _NextEvent:
    today = now.date()
    # 1: the next event still to finish (it may be under way today).
    next_event = Event.objects.all().upcoming(today).select_related("circuit").first()
    if next_event is None:
        return None, [], [], None, []
    # 2: the rounds it hosts, with their series.
    next_rounds = list(
        Round.objects.filter(event=next_event)
        .select_related("season__series")
        .order_by("season__series__tier", "season__series__name", "number")
    )
    # 3: its sessions, with the series of each scoring one.
    next_sessions = list(
        next_event.sessions.select_related("round__season__series").order_by(
            "date", "starts_at", "name"
        )
    )
    # 4: where to watch: links of the event, its sessions, and the seasons and series it hosts.
    season_ids = {round_.season_id for round_ in next_rounds}
    series_ids = {round_.season.series_id for round_ in next_rounds}
    watch_links = event_links(
        list(
            MediaLink.objects.filter(
                Q(event=next_event)
                | Q(session__event=next_event)
                | Q(season_id__in=season_ids)
                | Q(series_id__in=series_ids)
            )
            .select_related("series", "season__series", "session")
            .order_by("region", "kind", "provider")
        ),
        next_event.start_date.year,
    )
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


def home_page(now: dt.datetime) -> HomePage:
    today = now.date()
    next_event, next_rounds, next_sessions, countdown_to, watch_links = _next_event(now)

    # 5: every real series, with its latest scored session and its latest season with results.
    # Only what the page shows of a series (its name, address and tier): the podiums, titles and
    # leaders below take their series from this list instead of joining it again.
    series_list = list(
        Series.objects.only("name", "short_name", "slug", "tier")
        .annotate(latest_scoring_season_id=Subquery(_latest_scoring_season()))
        .annotate(
            latest_session_id=Subquery(_latest_scoring_session()),
            latest_season_id=Subquery(_latest_season_with_results()),
        )
        .order_by("tier", "name")
    )
    series_by_id = {series.pk: series for series in series_list}
    session_ids = [s.latest_session_id for s in series_list if s.latest_session_id]
    podiums: list[Podium] = []
    if session_ids:
        # 6: those sessions (one per series); the latest few are shown. 7: their podiums.
        sessions = sorted(
            Session.objects.filter(pk__in=session_ids)
            .select_related("event", "round__season")
            .only(*_PODIUM_SESSION_FIELDS),
            key=lambda session: (session.date, session.starts_at is not None, session.starts_at),
            reverse=True,
        )[:HOME_PODIUMS]
        for session in sessions:
            if session.round is not None:  # always: a scored session is a round's
                session.round.season.series = series_by_id[session.round.season.series_id]
        podium_results = defaultdict(list)
        for result in (
            Result.objects.filter(session__in=sessions, position__lte=3)
            .select_related("entry__driver", "entry__team", "team")
            .only(*_PODIUM_RESULT_FIELDS)
            .order_by("session", "position")
        ):
            podium_results[result.session_id].append(result)
        podiums = [Podium(session=s, results=podium_results[s.pk]) for s in sessions]

    # 8: each series' latest year with titles, those titles with their drivers and teams.
    latest_year = (
        Champion.objects.titles()
        .filter(series=OuterRef("series"))
        .order_by("-year")
        .values("year")[:1]
    )
    by_series: dict[int, LatestTitles] = {}
    for title in (
        Champion.objects.titles()
        .filter(year=Subquery(latest_year))
        .select_related("driver", "team_record")
        .only(*_TITLE_FIELDS)
        .order_by("series__tier", "series__name", "class_name")
    ):
        series = series_by_id[title.series_id]
        title.series = series
        by_series.setdefault(series.pk, LatestTitles(series, title.year, [])).titles.append(title)
    latest_titles = list(by_series.values())

    season_ids = [s.latest_season_id for s in series_list if s.latest_season_id]
    leaders: list[Leaders] = []
    if season_ids:
        # 9: those seasons with their state (seasons.in_progress decides who has leaders);
        # 10: the site version once, so each cached table costs nothing.

        # (Not their scoring rules: the standings loader reads those itself. Joined here, they
        # cost the database a scan of every season's rules at scale.)
        seasons = list(
            seasons_with_state().filter(pk__in=season_ids).order_by("series__tier", "series__name")
        )
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
    last_calendar_date = Round.objects.all().aggregate(last=Max(F("event__end_date"))).get("last")
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
    )
