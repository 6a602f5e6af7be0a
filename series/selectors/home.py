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
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone

from pcc.prepared import Prepared
from pcc.reversing import page_addresses, page_reverse

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
from ..models.pyramid import Tier, series_display_name
from ..standings import StandingRow
from ..templatetags.pcc_tags import points as points_text
from .cache import site_version
from .seasons import _state_query, in_progress
from .standings import StandingsTable, get_standings
from .watch import EVENT_LINKS, event_links

RESULT_STATUSES = PUBLISHED_STATUSES
# The home page shows the leaders of at most this many running seasons: each costs a standings
# computation the first time after a change, so the page's cost stays bounded as series are added.
HOME_LEADER_SEASONS = 8
HOME_PODIUMS = 8


@dataclass(slots=True)
class SeriesLink:
    """A series as the page prints it: its name and address (plain values: the page prints
    sixty of them, and each field of a model instance went through the templates' lookup)."""

    pk: int
    slug: str
    tier: int
    display_name: str
    address: str


class Podium(NamedTuple):
    """A latest-results card with every text worked out here, for the template to print as it
    is. `places`: (position, driver's address, driver's name, guest, team's name or None).
    A tuple: the template unpacks it in its loop instead of looking each field up."""

    series_name: str
    results_address: str
    name: str
    event_name: str
    event_address: str
    iso_date: str
    shown_date: str
    provisional: bool
    partial: bool
    classification_address: str
    places: list[tuple[int, str, str, bool, str | None]]


@dataclass
class Leaders:
    season: Season
    series: SeriesLink
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


class OverallTitle(NamedTuple):
    """The champion a series' row names: the overall one, or the Pro champion where no overall
    row is on record (then `class_name` says so). `team`: the team's record's name, else the
    team as entered, None where none is entered."""

    driver_name: str
    driver_address: str | None
    class_name: str | None
    team: str | None
    qualifier: str


class LatestTitles(NamedTuple):
    """A series' latest year with titles on record, as its row of the latest champions' table
    prints it: the overall champion, its published points (printed; None where not on record),
    then the other classes as (class, the name shown, qualifier, "; " or "" after it). Tuples:
    the template unpacks them in its loops instead of looking each field up."""

    series_address: str
    series_name: str
    season_address: str
    year: int
    overall: OverallTitle | None
    points: str | None
    classes: list[tuple[str, str, str, str]]


@dataclass(slots=True)
class TierBand:
    """A tier of the pyramid at a glance, its series as (address, name)."""

    tier: int
    label: str
    series: list[tuple[str, str]]


@dataclass
class RecordEdge:
    """Where the record stops: the latest race with results, the latest calendar date and the
    latest year with a champion."""

    last_result: Podium | None
    last_calendar_date: dt.date | None
    last_title_year: int | None


class PageAddresses:
    """The page's addresses for its template and selector, `page.address(name, *args)`: the same
    as `url()`, each remembered for the pages (pcc/reversing.py's page_reverse, its scope checked
    once here): 0.3 µs an address, where an Addresses cost 2-4 µs and 24 µs a kind on a new
    instance (the page works out about 90, of 7 kinds). Told not to be called without its
    arguments where a lookup finds it (Django's rule, pcc/jinja2.py)."""

    do_not_call_in_templates = True

    def __init__(self) -> None:
        page_addresses()

    def __call__(self, url_name: str, *args: Any) -> str:
        return page_reverse(url_name, args)


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
    tiers: list[TierBand]
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


# What the podium cards show of a session, its event and season, and of its podium's results.
_PODIUM_SESSION_FIELDS = (
    "pk",
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
    "team__name",
    "entry__team__name",
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
    watch_links = event_links(list(EVENT_LINKS(next_event.pk)), next_event.start_date.year)
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


def _latest_title_year() -> QuerySet[Champion, Any]:
    """The series' latest year with titles."""
    return (
        Champion.objects.titles().filter(series=OuterRef("pk")).order_by("-year").values("year")[:1]
    )


def _last_calendar_date() -> QuerySet[Event, Any]:
    """The last day the calendars reach: the latest end of an event hosting a round (end dates
    are never empty, so this is the MAX() of them)."""
    return (
        Event.objects.filter(Exists(Round.objects.filter(event_id=OuterRef("pk"))))
        .order_by("-end_date")
        .values("end_date")[:1]
    )


# 5: every real series, with its latest scored session, its latest season with results and its
# latest year with titles; and, the same on every row, the last day the calendars reach (a
# subquery the database answers once, instead of a query of its own).
# Only what the page shows of a series (its name, address and tier): the podiums, titles and
# leaders below take their series from this list instead of joining it again.
_SERIES = Prepared(
    lambda: (
        Series.objects
        # An alias, not a column: the latest session's subquery holds it, and selecting it too
        # made the database work it out twice a series.
        .alias(latest_scoring_season_id=Subquery(_latest_scoring_season()))
        .annotate(
            latest_session_id=Subquery(_latest_scoring_session()),
            latest_season_id=Subquery(_latest_season_with_results()),
            latest_title_year=Subquery(_latest_title_year()),
            last_calendar_date=Subquery(_last_calendar_date()),
        )
        .order_by("tier", "name")
        .values_list(
            "pk",
            "name",
            "short_name",
            "slug",
            "tier",
            "latest_session_id",
            "latest_season_id",
            "latest_title_year",
            "last_calendar_date",
        )
    )
)
# 6: the latest few of those sessions (one per series), by their ids (one compiled query per
# number of series): latest day first, timed before untimed, latest start first, then as sessions
# sort (event, name): the order the page sorted every series' session in before it kept the first
# few, so the same ones are read.
_SESSIONS = Prepared(
    lambda *session_ids: (
        Session.objects.filter(pk__in=session_ids)
        .order_by("-date", F("starts_at").desc(nulls_last=True), "event", "name", "pk")
        .values_list(*_PODIUM_SESSION_FIELDS)[:HOME_PODIUMS]
    )
)
# 7: the podiums of the sessions shown.
_PODIUMS = Prepared(
    lambda *session_ids: (
        Result.objects.filter(session_id__in=session_ids, position__lte=3)
        .order_by("session", "position")
        .values_list(*_PODIUM_RESULT_FIELDS)
    )
)


def _titles(*series_years: int) -> QuerySet[Champion, tuple[Any, ...]]:
    """The titles of the series' latest years (series id, year, series id, year...), with their
    drivers and teams. The years come from the series' query: 29 lookups of a series' latest
    year, where comparing each title with its series' latest year cost ten times the rows."""
    pairs = zip(series_years[::2], series_years[1::2], strict=True)
    return (
        Champion.objects.titles()
        .filter(functools.reduce(operator.or_, (Q(series_id=s, year=y) for s, y in pairs)))
        .order_by("series__tier", "series__name", "class_name")
        .values_list(*_TITLE_FIELDS)
    )


# 8: the titles of each series' latest year with titles (one compiled query per number of series).
_TITLES = Prepared(_titles)


@functools.lru_cache(maxsize=2)
def _seasons_query(today: dt.date) -> Prepared[QuerySet[Season, Season]]:
    """9: seasons by their ids with their state (seasons.in_progress decides who has leaders).
    (Not their scoring rules: the standings loader reads those itself. Joined here, they cost
    the database a scan of every season's rules at scale.) Only the fields the leaders' rows
    print; the standings are read by the season's id."""
    return Prepared(
        lambda *season_ids: (
            _state_query(today)
            .filter(pk__in=season_ids)
            .only("series_id", "year", "results_partial")
            .order_by("series__tier", "series__name")
        )
    )


def _podiums(
    series_by_id: dict[int, SeriesLink], session_ids: list[int], address: PageAddresses
) -> list[Podium]:
    """6: the latest few of the series' latest sessions; 7: their podiums. As cards."""
    sessions = sorted(
        _SESSIONS(*session_ids),
        key=lambda session: (session[3], session[4] is not None, session[4]),
        reverse=True,
    )[:HOME_PODIUMS]
    places: dict[int, list[tuple[int, str, str, bool, str | None]]] = defaultdict(list)
    for (
        session_id,
        position,
        guest,
        driver_name,
        driver_slug,
        team_name,
        entry_team_name,
    ) in _PODIUMS(*[session[0] for session in sessions]):
        # The result's own team, else the entry's (a name is None only where there is no team).
        team = team_name if team_name is not None else entry_team_name
        driver_address = address("series:driver-detail", driver_slug)
        places[session_id].append((position, driver_address, driver_name, guest, team))
    podiums = []
    for (
        pk,
        name,
        slug,
        date,
        _starts_at,
        status,
        event_name,
        event_slug,
        year,
        series_id,
        partial,
    ) in sessions:
        series = series_by_id[series_id]  # always a round's: a scored session
        podiums.append(
            Podium(
                series_name=series.display_name,
                results_address=address("series:season-results", series.slug, year),
                name=name,
                event_name=event_name,
                event_address=address("series:event-detail", event_slug),
                iso_date=date.isoformat(),
                shown_date=formats.date_format(date, "j M Y"),
                provisional=status == SessionStatus.PROVISIONAL,
                partial=partial,
                classification_address=address("series:session-detail", event_slug, slug),
                places=places[pk],
            )
        )
    return podiums


def _latest_titles_rows(
    series_by_id: dict[int, SeriesLink], series_years: list[int], address: PageAddresses
) -> list[LatestTitles]:
    """8: each series' latest year with titles, as the rows of the latest champions' table."""
    by_series: dict[int, list[tuple[Any, ...]]] = {}
    for title in _TITLES(*series_years) if series_years else ():
        by_series.setdefault(title[0], []).append(title)
    rows = []
    for series_id, titles in by_series.items():
        series = series_by_id[series_id]
        # The overall champion, or the Pro champion where no overall row is on record.
        top = next((t for t in titles if is_overall_class(t[2])), None) or next(
            (t for t in titles if is_top_class(t[2])), None
        )
        overall = points = None
        if top is not None:
            # A linked driver's or team's field is None only where there is no link.
            (_, _, class_name, driver_name, team, _, top_points, qualifier, driver_slug,
             team_record_name) = top  # fmt: skip
            overall = OverallTitle(
                driver_name=driver_name,
                driver_address=(
                    address("series:driver-detail", driver_slug)
                    if driver_slug is not None
                    else None
                ),
                class_name=None if is_overall_class(class_name) else class_name,
                team=(team_record_name if team_record_name is not None else team) if team else None,
                qualifier=qualifier,
            )
            points = points_text(top_points) if top_points is not None else None
        classes = []
        for title in titles:
            if title is not top:
                class_name, driver_name, teams_champion, qualifier = (
                    title[2], title[3], title[5], title[7]
                )  # fmt: skip
                # The teams' title names the team (as printed), else the driver entered.
                if class_name == "Teams":
                    driver_name = teams_champion or driver_name
                classes.append((class_name, driver_name, qualifier, "; "))
        if classes:  # nothing after the last
            classes[-1] = (*classes[-1][:3], "")
        year = titles[0][1]
        rows.append(
            LatestTitles(
                series_address=series.address,
                series_name=series.display_name,
                year=year,
                season_address=address("series:season-detail", series.slug, year),
                overall=overall,
                points=points,
                classes=classes,
            )
        )
    return rows


def home_page(now: dt.datetime) -> HomePage:
    today = now.date()
    next_event, next_rounds, next_sessions, countdown_to, watch_links = _next_event(now)

    # 5: every series, with its latest scored session and its latest season with results.
    address = PageAddresses()
    series_by_id: dict[int, SeriesLink] = {}
    session_ids = []
    season_ids = []
    series_years: list[int] = []  # series id, its latest year with titles, ...
    last_calendar_date = None
    for (
        pk,
        name,
        short_name,
        slug,
        tier,
        session_id,
        season_id,
        title_year,
        calendar_date,
    ) in _SERIES():
        last_calendar_date = calendar_date  # the same on every row
        series_by_id[pk] = SeriesLink(
            pk=pk,
            slug=slug,
            tier=tier,
            display_name=series_display_name(name, short_name),
            address=address("series:series-detail", slug),
        )
        if session_id:
            session_ids.append(session_id)
        if season_id:
            season_ids.append(season_id)
        if title_year is not None:
            series_years += (pk, title_year)
    # 6, 7: the latest few of those sessions, with their podiums.
    podiums = _podiums(series_by_id, session_ids, address) if session_ids else []
    # 8: each series' latest year with titles, those titles with their drivers and teams.
    latest_titles = _latest_titles_rows(series_by_id, series_years, address)

    leaders: list[Leaders] = []
    if season_ids:
        # 9: those seasons with their state (seasons.in_progress decides who has leaders);
        # 10: the site version once, so each cached table costs nothing.
        seasons = list(_seasons_query(timezone.localdate())(*season_ids))
        running = [s for s in seasons if in_progress(s)][:HOME_LEADER_SEASONS]
        if running:
            version = site_version()
            for season in running:
                # Uncached, each costs the standings loader's queries once per change.
                table = get_standings(season, version=version)
                if any(row.position is not None for row in table.rows):
                    leaders.append(Leaders(season, series_by_id[season.series_id], table))

    edge = RecordEdge(
        last_result=podiums[0] if podiums else None,
        last_calendar_date=last_calendar_date,
        last_title_year=max((t.year for t in latest_titles), default=None),
    )
    tiers = [TierBand(tier=value, label=label, series=[]) for value, label in Tier.choices]
    by_tier = {band.tier: band for band in tiers}
    for series in series_by_id.values():
        if series.tier in by_tier:
            by_tier[series.tier].series.append((series.address, series.display_name))
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
        tiers=tiers,
        today=today,
        address=address,
    )
