"""Queries for the directory pages: events, sessions, drivers, teams, circuits, champions, calendar,
search and watch.

Each loader fetches what its page shows in a fixed number of queries, whatever the amount of data
(the query-count tests in tests/test_pages_directory.py hold them to it), and hands the template
plain data: grouping and counting happen here in Python over rows already loaded.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, TypeVar

from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber

from ..models import (
    SCORING_KINDS,
    Champion,
    Circuit,
    DatePrecision,
    Driver,
    Entry,
    Event,
    MediaKind,
    MediaLink,
    Result,
    ResultStatus,
    Round,
    Season,
    Series,
    Session,
    SessionStatus,
    Team,
    Tier,
)
from .history import event_links
from .standings import final_places

# What the search looks through: both have a name and its folded search_name.
_Named = TypeVar("_Named", Driver, Team)

# A start is a car that took the start: these statuses mean it never did.
NON_STARTS = (ResultStatus.NOT_STARTED, ResultStatus.NOT_QUALIFIED)

SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 100
SEARCH_LIMIT = 25


# --- small shared pieces --------------------------------------------------------------------------


def round_span(numbers: list[int]) -> str:
    """'Round 4', 'Rounds 13–14', 'Rounds 1, 3, 5–6': how a fan reads which races ran."""
    numbers = sorted(set(numbers))
    if not numbers:
        return ""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    text = ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
    return f"Round {text}" if len(numbers) == 1 else f"Rounds {text}"


@dataclass
class HostedSeason:
    """The rounds one season ran at one event."""

    season: Season
    rounds: list[Round] = field(default_factory=list)

    @property
    def series(self) -> Series:
        return self.season.series

    @property
    def span(self) -> str:
        return round_span([r.number for r in self.rounds])


def hosted_seasons(rounds: list[Round]) -> list[HostedSeason]:
    """Group an event's rounds by season, top of the pyramid first (rounds carry season__series)."""
    by_season: dict[int, HostedSeason] = {}
    for round_ in rounds:
        by_season.setdefault(round_.season_id, HostedSeason(round_.season)).rounds.append(round_)
    return sorted(
        by_season.values(),
        key=lambda h: (h.series.tier, h.series.name, h.season.year),
    )


def _rounds_with_series() -> QuerySet[Round]:
    return Round.objects.select_related("season__series").order_by("season__series__tier", "number")


def media_subject(link: MediaLink) -> str:
    """What a link is for, in words: the series it belongs to, or the event (needs select_related
    series, season__series, event, session__event)."""
    if link.series is not None:
        return link.series.name
    if link.season is not None:
        return link.season.series.name
    if link.event is not None:
        return link.event.name
    if link.session is not None:
        return link.session.event.name
    return "Other"


def group_links_by_region(links: list[MediaLink]) -> list[tuple[str, list[MediaLink]]]:
    """Worldwide first, then the regions A–Z."""
    by_region: dict[str, list[MediaLink]] = defaultdict(list)
    for link in links:
        by_region[link.region or "Worldwide"].append(link)
    return sorted(by_region.items(), key=lambda item: (item[0] != "Worldwide", item[0]))


# --- sources -------------------------------------------------------------------------------------

# Our own data files (champions.csv, seed-....txt) are where a fact was compiled, not a source a fan
# can read: they are never shown.
_FILE_NAME = re.compile(
    r"(?<![/\w.-])[\w.-]+\.(?:csv|md|txt|json|toml|tsv|xlsx?|py)\b", re.IGNORECASE
)
_ADDRESS = re.compile(
    r"(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:/[^\s;,'\"()]*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CitationPart:
    text: str
    url: str | None = None


@dataclass(frozen=True)
class Citation:
    parts: tuple[CitationPart, ...]

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)

    @property
    def urls(self) -> list[str]:
        return [part.url for part in self.parts if part.url]


def _source_items(source: str) -> list[str]:
    """Split on ";" and line ends, but not inside parentheses: "(2.238 mi; montereyherald.com)"
    is one remark."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in source:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char == "\n" or (char == ";" and depth == 0):
            items.append("".join(current))
            current = []
            depth = 0 if char == "\n" else depth
        else:
            current.append(char)
    items.append("".join(current))
    return items


def citations(source: str) -> list[Citation]:
    """A `source` text as a list of citations: one per item (items are split on ";" and lines),
    addresses as links, our own file names left out (an item that named only a file, or a file and
    a remark about it, is dropped). The pages and the API show sources through this one function."""
    found: list[Citation] = []
    for raw in _source_items(source or ""):
        item = raw.strip()
        named_file = bool(_FILE_NAME.search(item))
        # "pccna_2023_calendar.csv: en.wikipedia.org/..." keeps what follows the file's name.
        item = re.sub(rf"^(?:{_FILE_NAME.pattern}[\s,+&]*)+:\s*", "", item, flags=re.IGNORECASE)
        addresses = [
            match
            for match in _ADDRESS.finditer(item)
            if not _FILE_NAME.fullmatch(match.group().rstrip("."))
        ]
        if named_file and not addresses:
            continue
        item = _FILE_NAME.sub("", item).strip(" ,:+&")
        if not item:
            continue
        parts: list[CitationPart] = []
        position = 0
        for match in _ADDRESS.finditer(item):
            address = match.group().rstrip(".")
            if _FILE_NAME.fullmatch(address):
                continue
            if match.start() > position:
                parts.append(CitationPart(item[position : match.start()]))
            url = address if re.match(r"https?://", address, re.I) else f"https://{address}"
            parts.append(CitationPart(address, url))
            position = match.start() + len(address)
        if position < len(item):
            parts.append(CitationPart(item[position:]))
        found.append(Citation(tuple(parts)))
    return found


# --- one session's facts --------------------------------------------------------------------------

# A session whose length is not published is taken to last an hour (calendars need an end).
DEFAULT_SESSION_DURATION = dt.timedelta(minutes=60)


def session_ends_at(session: Session) -> dt.datetime | None:
    """When a session ends (UTC): its start plus its published length, or an hour when the length
    is not published; None when the start time is not known. The one place the end is computed:
    iCal, the Atom feed and the pages' JSON-LD call it."""
    if session.starts_at is None:
        return None
    minutes = session.duration_minutes
    return session.starts_at + (
        dt.timedelta(minutes=minutes) if minutes else DEFAULT_SESSION_DURATION
    )


@dataclass(frozen=True)
class SessionDay:
    """A session's day as precisely as the record knows it. `first`..`last` (inclusive) is the
    span it fell in: one day when exact, the event's dates when only the weekend is known, the
    whole month when only the month is."""

    exact: bool
    label: str
    first: dt.date
    last: dt.date
    precision: str


def session_day(session: Session) -> SessionDay:
    """The one place that says on which day a session ran: pages, API and iCal call it. A
    published start time makes the day exact; otherwise the round's (or, for a month-only event,
    the event's) precision decides, and a placeholder day is never passed off as the day. Touches
    session.event and session.round (select_related them)."""
    import calendar as month_calendar

    from ..dates import round_date_label

    round_ = session.round
    if (
        not Session.event.is_cached(session)
        and round_ is not None
        and Round.event.is_cached(round_)
    ):
        # A round's event is its sessions' event: use the one already loaded.
        event = round_.event
    else:
        event = session.event
    precision: str = DatePrecision.DAY
    if round_ is not None:
        precision = round_.date_precision
    if event.date_precision == DatePrecision.MONTH:
        precision = DatePrecision.MONTH
    if session.starts_at is not None or precision == DatePrecision.DAY:
        day = session.date
        return SessionDay(True, f"{day:%a} {day.day} {day:%B %Y}", day, day, DatePrecision.DAY)
    if precision == DatePrecision.MONTH:
        first = session.date.replace(day=1)
        last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
        return SessionDay(False, f"{first:%B %Y}", first, last, precision)
    label = round_date_label(session.date, precision, event.start_date, event.end_date)
    return SessionDay(False, label, event.start_date, event.end_date, precision)


@dataclass(frozen=True)
class SessionState:
    """A session's state as a fan reads it: scheduled, no-results (held, nothing entered),
    provisional, final or cancelled."""

    key: str
    label: str
    explanation: str


def session_state(session: Session, today: dt.date | None = None) -> SessionState:
    """The one place a session's state is worded: the badge on every page, the API's `state` and
    the calendar files call it. A scheduled session whose day is over was held, but its results
    are not in the record: it is no longer 'scheduled'."""
    from django.utils import timezone

    status = session.status
    if status == SessionStatus.CANCELLED:
        return SessionState("cancelled", "Cancelled", "This session was cancelled.")
    if status == SessionStatus.FINAL:
        return SessionState("final", "Final", "The results are final.")
    if status == SessionStatus.AMENDED:
        return SessionState(
            "final",
            "Final, amended",
            "The results are final and were changed since by the stewards or on appeal.",
        )
    if status == SessionStatus.PROVISIONAL:
        return SessionState(
            "provisional",
            "Provisional",
            "The results are provisional until the stewards' decisions are final.",
        )
    if session.date < (today or timezone.now().date()):
        return SessionState(
            "no-results",
            "No results entered",
            "This session has been held; its results are not in the record.",
        )
    return SessionState("scheduled", "Scheduled", "This session has not been held yet.")


# --- events ---------------------------------------------------------------------------------------


def event_years() -> list[int]:
    # query: the years events start in
    return sorted({d.year for d in Event.objects.all().dates("start_date", "year")}, reverse=True)


@dataclass
class EventRow:
    event: Event
    hosted: list[HostedSeason]


def event_list(year: int | None) -> list[EventRow]:
    events = (
        Event.objects.all()
        .select_related("circuit")
        .prefetch_related(Prefetch("rounds", queryset=_rounds_with_series()))
        .order_by("-start_date", "name")
    )
    if year is not None:
        events = events.filter(start_date__year=year)
    # queries: the events with their circuits; their rounds with season and series
    return [EventRow(event, hosted_seasons(list(event.rounds.all()))) for event in events]


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

    @property
    def has_results(self) -> bool:
        lines = [line for h in self.hosted for line in h.sessions] + self.other_sessions
        return any(line.podium for line in lines)


def event_page(event: Event) -> EventPage:
    """Everything the event page shows. `event` comes with circuit and parent selected."""
    # query: the rounds the event hosted, with season and series
    rounds = list(_rounds_with_series().filter(event=event))
    # query: the sessions, with round, season and series (a session's round is this event's)
    sessions = list(
        Session.objects.filter(event=event)
        .select_related("round__season__series")
        .order_by("date", "starts_at", "name")
    )
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
        ).select_related("series", "season__series", "event", "session__event")
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
    )


@dataclass
class ClassifiedRow:
    result: Result
    class_position: int | None

    @property
    def entry(self) -> Entry:
        return self.result.entry

    @property
    def team(self) -> Team | None:
        return self.result.team or self.result.entry.team


@dataclass
class SessionPage:
    session: Session
    rows: list[ClassifiedRow]
    has_classes: bool
    pole: ClassifiedRow | None
    fastest_lap: ClassifiedRow | None
    siblings: list[Session]

    def _any(self, field_name: str) -> bool:
        return any(getattr(row.result, field_name) not in (None, "") for row in self.rows)

    # Columns the published sheet had: a partial table of top finishers may lack laps or times.
    @property
    def has_car_numbers(self) -> bool:
        return self._any("car_number")

    @property
    def has_laps(self) -> bool:
        return self._any("laps")

    @property
    def has_times(self) -> bool:
        return self._any("gap") or self._any("race_time")

    @property
    def has_best_laps(self) -> bool:
        return self._any("best_lap")


def class_positions(results: list[Result]) -> dict[int, int]:
    """Result pk -> position among the classified cars of its class, counted down the overall
    order (results must come in it), so it agrees with that order by construction. A car without
    a class has no class position. The session page and the API both call this."""
    seen: dict[int, int] = defaultdict(int)
    positions = {}
    for result in results:
        class_id = result.entry.season_class_id
        if result.position is None or class_id is None:
            continue
        seen[class_id] += 1
        positions[result.pk] = seen[class_id]
    return positions


def session_page(session: Session) -> SessionPage:
    """The classification; `session` comes with event__circuit and round__season__series."""
    # query: the results with entry, driver, class and teams, in the published order
    results = list(
        Result.objects.filter(session=session).select_related(
            "entry__driver", "entry__season_class", "entry__team", "team"
        )
    )
    by_class = class_positions(results)
    rows = [ClassifiedRow(result, by_class.get(result.pk)) for result in results]
    # query: the other sessions of the event, for moving between them
    siblings = list(
        Session.objects.filter(event_id=session.event_id).order_by("date", "starts_at", "name")
    )
    return SessionPage(
        session=session,
        rows=rows,
        has_classes=any(r.entry.season_class_id for r in rows),
        pole=next((r for r in rows if r.result.pole), None),
        fastest_lap=next((r for r in rows if r.result.fastest_lap), None),
        siblings=siblings,
    )


# --- drivers --------------------------------------------------------------------------------------


def series_options() -> list[Series]:
    # query: the real series, top of the pyramid first
    return list(Series.objects.all().order_by("tier", "name"))


@dataclass
class DriverRow:
    driver: Driver
    series: list[Series]


def _initial(name: str) -> str:
    """A–Z, accents folded (Évora under E); anything else (Ogawa's kanji sort name) under #."""
    folded = unicodedata.normalize("NFKD", name[:1]).upper()[:1]
    return folded if "A" <= folded <= "Z" else "#"


def driver_list(series: Series | None) -> list[tuple[str, list[DriverRow]]]:
    """Drivers A–Z by family name, grouped by initial."""
    drivers = Driver.objects.all().prefetch_related(
        Prefetch(
            "entries",
            queryset=Entry.objects.select_related("season__series").order_by("season__year"),
        )
    )
    if series is not None:
        drivers = drivers.filter(entries__season__series=series).distinct()
    groups: dict[str, list[DriverRow]] = {}
    # queries: the drivers; their entries with season and series
    for driver in drivers.order_by("sort_name", "name"):
        seen: dict[int, Series] = {}
        for entry in driver.entries.all():
            seen.setdefault(entry.season.series_id, entry.season.series)
        initial = _initial(driver.sort_name or driver.name)
        groups.setdefault(initial, []).append(
            DriverRow(driver, sorted(seen.values(), key=lambda s: (s.tier, s.name)))
        )
    return sorted(groups.items())


@dataclass
class SeasonLine:
    """One season a driver (or team) raced: the entry and what came of it.

    `has_results`: the season has results entered at all. `counts_known`: its starts, wins and
    podiums can be told (a partial season holds only some drivers' rows: a driver without a row
    there has unknown counts, not zero). `partial`: the counts are from a partial season, so they
    are what is on record, which may be less than what happened."""

    season: Season
    entries: list[Entry]
    starts: int = 0
    wins: int = 0
    podiums: int = 0
    position: int | None = None
    has_results: bool = True
    has_rows: bool = False
    titles: list[Champion] = field(default_factory=list)

    @property
    def series(self) -> Series:
        return self.season.series

    @property
    def entry(self) -> Entry:
        return self.entries[0]

    @property
    def partial(self) -> bool:
        return self.has_results and self.season.results_partial

    @property
    def counts_known(self) -> bool:
        return self.has_results and (self.has_rows or not self.season.results_partial)

    @property
    def coverage(self) -> str:
        """complete, partial or none: how much of this season's results the record holds."""
        if not self.has_results:
            return "none"
        return "partial" if self.season.results_partial else "complete"


@dataclass
class SeriesTotals:
    series: Series
    seasons: int = 0
    starts: int = 0
    wins: int = 0
    podiums: int = 0
    titles: int = 0
    has_results: bool = False
    partial: bool = False
    # Some season has results entered, though not this driver's rows (a partial season).
    rows_missing: bool = False


@dataclass
class LadderCell:
    series: Series
    position: int | None = None
    title: bool = False
    season: Season | None = None


@dataclass
class LadderRow:
    tier: int
    label: str
    cells: list[list[LadderCell]]


@dataclass(frozen=True)
class TitleLine:
    """A title on record, with the season page it links to where the season is on the site."""

    title: Champion
    season_url: str

    @property
    def series(self) -> Series:
        return self.title.series

    @property
    def year(self) -> int:
        return self.title.year


@dataclass(frozen=True)
class Career:
    """What a driver's (or team's) career figures cover: the seasons on record, and the starts,
    wins and podiums counted from those of them whose results are known. One place words it for
    the page and the API."""

    seasons: int
    counted_seasons: int
    first_year: int | None
    last_year: int | None
    starts: int
    wins: int
    podiums: int
    partial: bool
    # Seasons whose results are partly entered, without this driver's (or team's) rows.
    rows_missing: int = 0

    @property
    def years(self) -> str:
        if self.first_year is None:
            return ""
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    @property
    def scope(self) -> str:
        """ "in the 2 seasons on record (2022–2023)"; "" when no season's counts are known."""
        if not self.counted_seasons:
            return ""
        what = "season" if self.counted_seasons == 1 else f"{self.counted_seasons} seasons"
        known = "" if self.counted_seasons == self.seasons else " with results"
        return f"in the {what}{known} on record ({self.years})"


def career(lines: list[SeasonLine]) -> Career:
    counted = [line for line in lines if line.counts_known]
    years = [line.season.year for line in counted]
    return Career(
        seasons=len(lines),
        counted_seasons=len(counted),
        first_year=min(years) if years else None,
        last_year=max(years) if years else None,
        starts=sum(line.starts for line in counted),
        wins=sum(line.wins for line in counted),
        podiums=sum(line.podiums for line in counted),
        partial=any(line.partial for line in counted),
        rows_missing=sum(1 for line in lines if line.has_results and not line.counts_known),
    )


@dataclass
class DriverPage:
    driver: Driver
    seasons: list[SeasonLine]
    totals: list[SeriesTotals]
    titles: list[TitleLine]
    teams: list[Team]
    ladder_years: list[int]
    ladder: list[LadderRow]

    @property
    def has_results(self) -> bool:
        return any(line.counts_known for line in self.seasons)

    @property
    def career(self) -> Career:
        return career(self.seasons)

    @property
    def starts(self) -> int:
        return self.career.starts

    @property
    def wins(self) -> int:
        return self.career.wins

    @property
    def podiums(self) -> int:
        return self.career.podiums


@dataclass(frozen=True)
class RaceCounts:
    """Starts, wins and podiums in one season, counted by the database."""

    starts: int
    wins: int
    podiums: int


def counted_results() -> QuerySet[Result]:
    """The results a career counts: races and sprints of a championship round that ran. A
    cancelled session did not happen, so whatever was entered for it is neither a start nor a
    win; a car that did not start or did not qualify has a result but no start."""
    return Result.objects.filter(
        session__kind__in=SCORING_KINDS, session__round__isnull=False
    ).exclude(session__status=SessionStatus.CANCELLED)


def race_counts_by_season(results: QuerySet[Result]) -> dict[int, RaceCounts]:
    """Season pk -> the starts, wins and podiums among `results` (one query). The one place these
    three are counted: the driver and team pages and the API all call it."""
    return {
        row["entry__season_id"]: RaceCounts(row["starts"], row["wins"], row["podiums"])
        for row in results.values("entry__season_id").annotate(
            starts=Count("id", filter=~Q(status__in=NON_STARTS)),
            wins=Count("id", filter=Q(position=1)),
            podiums=Count("id", filter=Q(position__lte=3)),
        )
    }


@dataclass(frozen=True)
class SeasonStanding:
    position: int | None
    has_results: bool


def season_standings(seasons: list[Season], key: str, table: str) -> dict[int, SeasonStanding]:
    """Where a driver or team (by slug) finished each season, and whether the season has any
    results entered, from the seasons' stored final rows (series/standings_store.py)."""
    if not seasons:
        return {}
    # query: every season's final row of this driver or team and its snapshot, in one query
    return {
        season_pk: SeasonStanding(place.position, place.has_results)
        for season_pk, place in final_places(seasons, table, key).items()
    }


def _fill_lines(
    lines: dict[int, SeasonLine], counts: dict[int, RaceCounts], key: str, table: str
) -> None:
    standings = season_standings([line.season for line in lines.values()], key, table)
    for line in lines.values():
        row = counts.get(line.season.pk)
        if row is not None:
            line.starts, line.wins, line.podiums = row.starts, row.wins, row.podiums
        line.has_rows = row is not None
        standing = standings.get(line.season.pk)
        if standing is not None:
            line.position = standing.position
            line.has_results = standing.has_results or row is not None


def driver_race_counts(driver: Driver) -> dict[int, RaceCounts]:
    # query: starts, wins and podiums per season, counted by the database
    return race_counts_by_season(counted_results().filter(entry__driver=driver))


def _title_lines(titles: list[Champion]) -> list[TitleLine]:
    """Each title with the address of its season page, or of its series page when the season is
    not on the site (most titles before results were kept)."""
    from django.urls import reverse

    if not titles:
        return []
    # query: which of the titles' seasons are on the site
    on_site = set(
        Season.objects.all()
        .filter(series_id__in={t.series_id for t in titles}, year__in={t.year for t in titles})
        .values_list("series_id", "year")
    )
    lines = []
    for title in titles:
        if (title.series_id, title.year) in on_site:
            url = reverse("series:season-detail", args=[title.series.slug, title.year])
        else:
            url = title.series.get_absolute_url()
        lines.append(TitleLine(title, url))
    return lines


def driver_page(driver: Driver) -> DriverPage:
    # query: the driver's entries with season, series, team and class
    entries = list(
        Entry.objects.filter(driver=driver)
        .select_related("season__series", "team", "season_class")
        .order_by("season__year", "season__series__tier")
    )
    counts = driver_race_counts(driver)
    # query: the titles on record linked to this driver
    titles = list(Champion.objects.filter(driver=driver).select_related("series"))
    # query: every team the driver drove for, by entry or by a race's team
    teams = list(
        Team.objects.filter(Q(entries__driver=driver) | Q(results__entry__driver=driver))
        .distinct()
        .order_by("name")
    )

    lines: dict[int, SeasonLine] = {}
    for entry in entries:
        line = lines.setdefault(entry.season_id, SeasonLine(entry.season, []))
        line.entries.append(entry)
    # query: the stored final rows of the career's seasons (one query)
    _fill_lines(lines, counts, driver.slug, "drivers")
    titles_by_key = defaultdict(list)
    for title in titles:
        titles_by_key[(title.series_id, title.year)].append(title)
    for line in lines.values():
        line.titles = titles_by_key.get((line.season.series_id, line.season.year), [])

    totals: dict[int, SeriesTotals] = {}
    for line in lines.values():
        total = totals.setdefault(line.series.pk, SeriesTotals(line.series))
        total.seasons += 1
        if line.counts_known:
            total.starts += line.starts
            total.wins += line.wins
            total.podiums += line.podiums
            total.has_results = True
            total.partial = total.partial or line.partial
        elif line.has_results:
            total.rows_missing = True
    for title in titles:
        totals.setdefault(title.series_id, SeriesTotals(title.series)).titles += 1

    # The ladder: one row per tier (Supercup on top), one column per year with anything in it.
    cells: dict[tuple[int, int], list[LadderCell]] = defaultdict(list)
    for line in lines.values():
        cells[(line.series.tier, line.season.year)].append(
            LadderCell(line.series, line.position, bool(line.titles), line.season)
        )
    for title in titles:
        placed = cells[(title.series.tier, title.year)]
        if not any(c.series.pk == title.series_id for c in placed):
            placed.append(LadderCell(title.series, None, True, None))
    years = sorted({year for _, year in cells})
    tiers = sorted({tier for tier, _ in cells})
    ladder = [
        LadderRow(tier, Tier(tier).label, [cells.get((tier, year), []) for year in years])
        for tier in tiers
    ]
    seasons_sorted = sorted(
        lines.values(), key=lambda line: (-line.season.year, line.series.tier, line.series.name)
    )
    return DriverPage(
        driver=driver,
        seasons=seasons_sorted,
        totals=sorted(totals.values(), key=lambda t: (t.series.tier, t.series.name)),
        titles=_title_lines(sorted(titles, key=lambda t: (t.year, t.series.tier))),
        teams=teams,
        ladder_years=years,
        ladder=ladder,
    )


# --- teams ----------------------------------------------------------------------------------------


def team_list() -> list[Team]:
    """Teams A–Z with their seasons, drivers and years, counted over the same seats as the team's
    page: a seat entered for the team, or one the team ran in a race (a result's own team)."""
    # query: the teams
    teams = list(Team.objects.all().order_by("name"))
    seats: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
    # query: the seats entered for a team
    for team_id, season_id, year, driver_id in Entry.objects.filter(team__isnull=False).values_list(
        "team_id", "season_id", "season__year", "driver_id"
    ):
        seats[team_id].add((season_id, year, driver_id))
    # query: the seats a team ran in a race without having entered them
    for team_id, season_id, year, driver_id in (
        Result.objects.filter(
            team__isnull=False,
        )
        .values_list("team_id", "entry__season_id", "entry__season__year", "entry__driver_id")
        .distinct()
    ):
        seats[team_id].add((season_id, year, driver_id))
    for team in teams:
        held = seats.get(team.pk, set())
        years = [year for _, year, _ in held]
        team.season_count = len({season for season, _, _ in held})
        team.driver_count = len({driver for _, _, driver in held})
        team.first_year = min(years) if years else None
        team.last_year = max(years) if years else None
    return teams


@dataclass
class TeamPage:
    team: Team
    seasons: list[SeasonLine]

    @property
    def has_results(self) -> bool:
        return any(line.counts_known for line in self.seasons)

    @property
    def career(self) -> Career:
        return career(self.seasons)

    @property
    def starts(self) -> int:
        return self.career.starts

    @property
    def wins(self) -> int:
        return self.career.wins

    @property
    def podiums(self) -> int:
        return self.career.podiums

    @property
    def drivers(self) -> list[Driver]:
        seen: dict[int, Driver] = {}
        for line in self.seasons:
            for entry in line.entries:
                seen.setdefault(entry.driver_id, entry.driver)
        return sorted(seen.values(), key=lambda d: (d.sort_name, d.name))


def team_race_counts(team: Team, seats: list[int]) -> dict[int, RaceCounts]:
    """Starts, wins and podiums per season of the cars run by the team: a result's own team
    overrides the entry's, so a driver who changed team counts for the team of that race.
    `seats` are the ids of the team's own entries (they keep the query on the indexes)."""
    return race_counts_by_season(
        counted_results().filter(Q(team=team) | Q(team__isnull=True, entry_id__in=seats))
    )


def team_page(team: Team) -> TeamPage:
    # query: the team's seats, by entry or by a race run for it, with season, series and driver.
    # A subquery rather than a join through the results: no DISTINCT over every result, and each
    # side uses its index (a join-OR scanned all 768,000 results of the scale run).
    entries = list(
        Entry.objects.filter(
            Q(team=team) | Q(pk__in=Result.objects.filter(team=team).values("entry_id"))
        )
        .all()
        .select_related("season__series", "driver", "season_class")
        .order_by("-season__year", "season__series__tier", "car_number")
    )
    # query: wins and podiums per season of the cars run by the team (a result's own team
    # overrides the entry's: a driver who changed team counts for the team of that race). The
    # team's own seats are already loaded: their ids keep the query on the indexes.
    seats = [entry.pk for entry in entries if entry.team_id == team.pk]
    counts = team_race_counts(team, seats)
    lines: dict[int, SeasonLine] = {}
    for entry in entries:
        lines.setdefault(entry.season_id, SeasonLine(entry.season, [])).entries.append(entry)
    # query: the stored final rows of the team's seasons (one query)
    _fill_lines(lines, counts, team.slug, "teams")
    return TeamPage(team=team, seasons=list(lines.values()))


# --- circuits -------------------------------------------------------------------------------------


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
    # queries: the events held here; their rounds with season and series
    events = (
        circuit.events.prefetch_related(Prefetch("rounds", queryset=_rounds_with_series()))
        .order_by("-start_date")
        .all()
    )
    rows = [EventRow(event, hosted_seasons(list(event.rounds.all()))) for event in events]
    # query: the fastest best lap set here by each car (generation, or car name without one),
    # fastest first; the first of each label is its record. The database ranks the laps and only
    # the winners' rows are loaded, so a circuit with thousands of results stays quick
    # (generate_synthetic's scale run).
    fastest_first = [F("best_lap").asc(), F("session__date").asc()]
    fastest_per_car = (
        Result.objects.filter(session__event__circuit=circuit, best_lap__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("entry__season__car_generation"), F("entry__season__car")],
                order_by=fastest_first,
            )
        )
        .filter(rank=1)
        .values("pk")
    )
    records: dict[str, LapRecord] = {}
    for result in (
        # The circuit again, so the planner starts from this circuit's results.
        Result.objects.filter(session__event__circuit=circuit, pk__in=fastest_per_car)
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


# --- calendar -------------------------------------------------------------------------------------


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


# --- search ---------------------------------------------------------------------------------------


@dataclass
class SearchResults:
    query: str
    drivers: list[Driver] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    circuits: list[Circuit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(group)
            for group in (self.drivers, self.teams, self.series, self.events, self.circuits)
        )


def clean_query(raw: str) -> str:
    """NUL cannot be stored or compared by PostgreSQL; a very long query finds nothing more."""
    return " ".join(raw.replace("\x00", "").split())[:SEARCH_MAX_LENGTH]


# How many drivers (or teams) the typo-tolerant match may look at: a cheap database filter picks
# them, Python compares the words. Far more than the real record holds, so nothing real is missed.
SEARCH_CANDIDATES = 2000
# difflib's ratio above which a word is taken for a typo of a name's word ("vorde" for "voorde":
# 0.91; "muler" for "muller": 0.91). Words shorter than TYPO_MIN_LENGTH must match as typed.
TYPO_RATIO = 0.8
TYPO_MIN_LENGTH = 4


def _name_match(words: list[str], phrase: str, folded: str) -> float | None:
    """How well a folded name matches the folded query, or None. 3: the query as typed is in the
    name; 2: every word is in some word of the name; below: some words are typos of the name's
    words (same first two letters, close spelling). The same rule on every database."""
    if phrase in folded:
        return 3.0
    name_words = folded.replace("|", " ").split()
    score = 0.0
    for word in words:
        if any(word in name_word for name_word in name_words):
            score += 1
            continue
        if len(word) < TYPO_MIN_LENGTH:
            return None
        best = max(
            (
                SequenceMatcher(None, word, name_word).ratio()
                for name_word in name_words
                if name_word[:2] == word[:2]
            ),
            default=0.0,
        )
        if best < TYPO_RATIO:
            return None
        score += best
    return 1 + score / len(words)


def _candidates(queryset: QuerySet[_Named], words: list[str], phrase: str) -> QuerySet[_Named]:
    """A cheap filter that keeps every possible match (the rule above decides). PostgreSQL: the
    folded name holds the text, or pg_trgm finds a word close to a query word, or unaccent finds
    the text in the name as written. SQLite: the folded name holds the text or the first two
    letters of a query word (a typo's name word starts with them)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        from django.contrib.postgres.lookups import Unaccent
        from django.contrib.postgres.search import TrigramWordSimilarity
        from django.db.models.functions import Greatest, Lower

        # A Value: the word is text, not a column (the stubs only know a plain str).
        similarities = [
            TrigramWordSimilarity(Value(word), "search_name")  # type: ignore[arg-type]
            for word in words
        ]
        closest = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
        return (
            queryset.annotate(closest=closest, plain_name=Unaccent(Lower("name")))
            .filter(
                Q(search_name__contains=phrase)
                | Q(closest__gte=0.3)
                | Q(plain_name__contains=phrase)
            )
            .order_by("-closest", "pk")
        )
    wide = Q(search_name__contains=phrase)
    for word in words:
        wide |= Q(search_name__contains=word[:2])
    return queryset.filter(wide).order_by("pk")


def _fuzzy(queryset: QuerySet[_Named], query: str, order: Callable[[_Named], Any]) -> list[_Named]:
    from ..models.people import search_text

    phrase = search_text(query)
    words = phrase.split()
    if not words:
        return []
    # query: the candidates (a bounded list), compared word by word here
    scored = []
    for item in _candidates(queryset, words, phrase)[:SEARCH_CANDIDATES]:
        score = _name_match(words, phrase, item.search_name)
        if score is not None:
            scored.append((score, item))
    scored.sort(key=lambda pair: (-pair[0], order(pair[1])))
    return [item for _, item in scored[:SEARCH_LIMIT]]


def search(query: str) -> SearchResults:
    """Drivers and teams by name without regard to accents or case, tolerating a typo ("muller"
    finds Müller, "ten vorde" Larry ten Voorde), a driver by the name in its own script and a team
    by its other names too; series and circuits whose names contain the text, accents ignored;
    events whose names contain it as typed (case ignored)."""
    from ..models.people import search_text

    results = SearchResults(query)
    if len(query) < SEARCH_MIN_LENGTH:
        return results
    n = SEARCH_LIMIT
    # queries: drivers; teams; series, events, circuits whose names contain the text
    results.drivers = _fuzzy(
        Driver.objects.all(), query, lambda driver: (driver.sort_name, driver.name)
    )
    results.teams = _fuzzy(Team.objects.all(), query, lambda team: team.name)
    # The series and circuits are few: their names are folded here, so "nurburgring" finds the
    # Nürburgring on every database alike.
    phrase = search_text(query)
    results.series = [
        series
        for series in Series.objects.all().order_by("tier", "name")
        if phrase in search_text(series.name, series.short_name)
    ][:n]
    results.events = list(
        Event.objects.all()
        .filter(name__icontains=query)
        .select_related("circuit")
        .order_by("-start_date")[:n]
    )
    results.circuits = [
        circuit
        for circuit in Circuit.objects.all().order_by("name")
        if phrase in search_text(circuit.name, circuit.place)
    ][:n]
    return results


# --- watch ----------------------------------------------------------------------------------------


@dataclass
class WatchGroup:
    subject: str
    url: str | None
    links: list[MediaLink]


KIND_ORDER = {kind.value: i for i, kind in enumerate(MediaKind)}


def watch() -> list[tuple[str, list[WatchGroup]]]:
    """Media links by region (Worldwide first), then by series or event, live streams first."""
    # query: every link with the series, season, event or session it belongs to
    links = list(
        MediaLink.objects.select_related("series", "season__series", "event", "session__event")
    )
    regions = []
    for region, region_links in group_links_by_region(links):
        groups: dict[str, WatchGroup] = {}
        for link in region_links:
            subject = media_subject(link)
            owner = (
                link.series
                or (link.season and link.season.series)
                or link.event
                or (link.session and link.session.event)
            )
            group = groups.setdefault(
                subject, WatchGroup(subject, owner.get_absolute_url() if owner else None, [])
            )
            group.links.append(link)
        for group in groups.values():
            group.links.sort(key=lambda lk: (KIND_ORDER.get(lk.kind, 99), lk.provider))
        regions.append((region, sorted(groups.values(), key=lambda g: g.subject)))
    return regions
