"""What the home, pyramid, series and season pages show, each loaded in a fixed number of queries
whatever the number of seasons (tests/test_pages_*.py count them)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import (
    PUBLISHED_STATUSES,
    SCORING_KINDS,
    Champion,
    Entry,
    MediaLink,
    PublishedStanding,
    Result,
    ResultStatus,
    Round,
    Season,
    Series,
    Session,
    SessionStatus,
    Tier,
)
from ..standings import StandingRow
from .cache import cached, site_version, versioned_key
from .standings import StandingsTable, get_standings

RESULT_STATUSES = PUBLISHED_STATUSES
# The home page shows the leaders of at most this many running seasons: each costs a standings
# computation the first time after a change, so the page's cost stays bounded as series are added.
HOME_LEADER_SEASONS = 8
HOME_PODIUMS = 8


# --- the pyramid ------------------------------------------------------------------------------


@dataclass
class TierGroup:
    tier: int
    label: str
    series: list[Series]


def _tiers(series_list: Sequence[Series]) -> list[TierGroup]:
    groups = [TierGroup(tier=value, label=label, series=[]) for value, label in Tier.choices]
    by_tier = {group.tier: group for group in groups}
    for series in series_list:
        if series.tier in by_tier:
            by_tier[series.tier].series.append(series)
    return groups


def _ladders(series_list: Sequence[Series]) -> list[list[Series]]:
    """The paths a driver climbs, read from feeds_into: one ladder per series at the foot of a path
    (a series nothing feeds into), followed upwards until the top (or a loop in bad data)."""
    real = {series.pk: series for series in series_list}
    fed = {series.feeds_into_id for series in series_list if series.feeds_into_id}
    ladders = []
    for series in series_list:
        if series.pk in fed or not series.feeds_into_id:
            continue
        ladder = [series]
        seen = {series.pk}
        step = series
        while step.feeds_into_id and step.feeds_into_id in real and step.feeds_into_id not in seen:
            step = real[step.feeds_into_id]
            ladder.append(step)
            seen.add(step.pk)
        if len(ladder) > 1:
            ladders.append(ladder)
    ladders.sort(key=lambda ladder: (-len(ladder), [step.tier for step in ladder], ladder[0].name))
    return ladders


@dataclass
class ClimbStep:
    series: Series
    feeders: list[Series]


@dataclass
class Climb:
    """The series feeding one top series, each with the series feeding it in turn."""

    top: Series
    steps: list[ClimbStep]


def _climbs(series_list: Sequence[Series]) -> list[Climb]:
    feeders = defaultdict(list)
    for series in series_list:
        if series.feeds_into_id:
            feeders[series.feeds_into_id].append(series)
    climbs = []
    for top in series_list:
        if top.feeds_into_id or not feeders[top.pk]:
            continue
        steps = [
            ClimbStep(series=step, feeders=feeders[step.pk])
            for step in sorted(feeders[top.pk], key=lambda s: (not feeders[s.pk], s.tier, s.name))
        ]
        climbs.append(Climb(top=top, steps=steps))
    return climbs


@dataclass
class PyramidPage:
    tiers: list[TierGroup]
    ladders: list[list[Series]]
    climbs: list[Climb]
    unlinked: list[Series]
    series_count: int


def pyramid_page() -> PyramidPage:
    # 1: every real series with what it feeds into, how many seasons it has and their years.
    series_list = list(
        Series.objects.all()
        .select_related("feeds_into")
        .annotate(
            season_count=Count("seasons"),
            first_season=Min("seasons__year"),
            last_season=Max("seasons__year"),
        )
        .order_by("tier", "name")
    )
    linked = {s.feeds_into_id for s in series_list} | {s.pk for s in series_list if s.feeds_into_id}
    ladders = _ladders(series_list)
    longest = max((len(ladder) for ladder in ladders), default=0)
    return PyramidPage(
        tiers=_tiers(series_list),
        ladders=[ladder for ladder in ladders if len(ladder) == longest],
        climbs=_climbs(series_list),
        unlinked=[s for s in series_list if s.pk not in linked],
        series_count=len(series_list),
    )


# --- home -------------------------------------------------------------------------------------


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


def _latest_scoring_session() -> QuerySet[Session, Any]:
    return (
        Session.objects.scoring()
        .filter(
            round__season__series=OuterRef("pk"),
            status__in=RESULT_STATUSES,
        )
        .filter(Exists(Result.objects.filter(session=OuterRef("pk"))))
        # Nulls last: PostgreSQL puts a missing start time first in a descending sort.
        .order_by("-date", F("starts_at").desc(nulls_last=True), "-pk")
        .values("pk")[:1]
    )


# --- series -----------------------------------------------------------------------------------


def results_state(season: Season) -> str:
    """none, partial, provisional, running (races still to come) or final, from the annotations
    of _seasons_with_state()."""
    if not season.has_results:
        return "none"
    if season.results_partial:
        return "partial"
    if season.has_provisional:
        return "provisional"
    if season.has_to_run:
        return "running"
    return "final"


def in_progress(season: Season) -> bool:
    """A race still to run (today or later) or a result not yet final, and no champion on record:
    the only time a table has "leaders". A past race whose results were never entered does not
    keep a season running. Reads the annotations of _seasons_with_state(); the home page, the
    season pages and the API all ask this one function."""
    return not season.has_champion and bool(season.has_to_run or season.has_provisional)


def finished(season: Season) -> bool:
    """Results on record and nothing left to run or to confirm (annotations of
    _seasons_with_state())."""
    return bool(season.has_results) and not in_progress(season)


def mark_state(season: Season) -> None:
    """The one place a season's state is worked out for the pages (overview, standings, results,
    series) and the API: `state` (results_state), `in_progress`, `finished`, `provisional`."""
    season.state = results_state(season)
    season.in_progress = in_progress(season)
    season.finished = finished(season)
    # Shown on its own even when the partial notice wins the badge: both are true.
    season.provisional = bool(season.has_provisional)


@dataclass(frozen=True)
class SeasonChampion:
    """A title of the season on record, with the published points where we hold them."""

    class_name: str  # "overall" or the class as published
    name: str
    driver_slug: str | None
    team: str
    published_points: Decimal | None
    runner_up_points: Decimal | None  # the published second place's, for the margin

    @property
    def is_overall(self) -> bool:
        return self.class_name.lower().startswith("overall")

    @property
    def label(self) -> str:
        return "Champion" if self.is_overall else f"{self.class_name} champion"

    @property
    def margin(self) -> Decimal | None:
        """Points ahead of the published runner-up (both published figures), or None."""
        if self.published_points is None or self.runner_up_points is None:
            return None
        return self.published_points - self.runner_up_points


def _class_key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum()) or "overall"


@dataclass(frozen=True)
class SeasonRecord:
    """What the record holds about a season's outcome besides its results: its titles (overall
    first) and the published overall table's points by driver slug (or name, if not linked)."""

    champions: list[SeasonChampion]
    published: dict[str, Decimal]


def season_records(seasons: list[Season]) -> dict[int, SeasonRecord]:
    """The titles and published points of each season, two queries for any number of seasons:
    titles, published rows. A "(season cancelled)" line names no champion."""
    records = {season.pk: SeasonRecord(champions=[], published={}) for season in seasons}
    if not seasons:
        return records
    by_pair = {(season.series_id, season.year): season.pk for season in seasons}
    query = Q()
    for series_id, year in by_pair:
        query |= Q(series_id=series_id, year=year)
    titles = list(Champion.objects.filter(query).select_related("driver").order_by("pk"))
    published: dict[int, dict[str, list[PublishedStanding]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in PublishedStanding.objects.filter(season_id__in=list(records)).select_related(
        "driver"
    ):
        published[row.season_id][_class_key(row.class_name)].append(row)
        if row.points is not None and _class_key(row.class_name) == "overall":
            # By driver slug where the row is linked, else by the name as printed.
            key = row.driver.slug if row.driver is not None else row.driver_name
            records[row.season_id].published[key] = row.points
    for title in titles:
        if title.driver_id is None and title.driver_name.startswith("("):
            continue
        season_id = by_pair[(title.series_id, title.year)]
        rows = published[season_id].get(_class_key(title.class_name), [])
        mine = next(
            (
                row
                for row in rows
                if (title.driver_id and row.driver_id == title.driver_id)
                or row.driver_name == title.driver_name
            ),
            None,
        )
        second = next((row for row in rows if row.position == 2), None)
        records[season_id].champions.append(
            SeasonChampion(
                class_name=title.class_name,
                name=title.driver.name if title.driver else title.driver_name,
                driver_slug=title.driver.slug if title.driver else None,
                team=title.team,
                published_points=mine.points if mine else None,
                runner_up_points=second.points if second and mine else None,
            )
        )
    for record in records.values():
        record.champions.sort(key=lambda line: (not line.is_overall, line.class_name))
    return records


def season_record(season: Season, *, version: int | None = None) -> SeasonRecord:
    """One season's titles and published points, cached per change of the record (uncached: the
    two queries of season_records)."""
    key = versioned_key("season-record", season.pk, version=version)
    return cached(key, lambda: season_records([season])[season.pk])


def seasons_with_state() -> QuerySet[Season]:
    """Seasons annotated for mark_state (and results_state): the one source of a season's state."""
    return _seasons_with_state()


def _seasons_with_state() -> QuerySet[Season]:
    # The annotations' names are declared on Season (it documents what they mean); the stubs'
    # plugin refuses an annotation named like a declared attribute.
    return Season.objects.annotate(  # type: ignore[no-redef]
        has_results=Exists(Result.objects.filter(session__round__season=OuterRef("pk"))),
        has_provisional=Exists(
            Session.objects.scoring().filter(
                round__season=OuterRef("pk"), status=SessionStatus.PROVISIONAL
            )
        ),
        has_to_run=Exists(
            Session.objects.scoring().filter(
                round__season=OuterRef("pk"),
                status=SessionStatus.SCHEDULED,
                date__gte=timezone.localdate(),
            )
        ),
        has_champion=Exists(
            Champion.objects.titles().filter(
                series=OuterRef("series"), year=OuterRef("year"), class_name="overall"
            )
        ),
        round_count=Count("rounds", distinct=True),
    )


@dataclass
class ChampionYear:
    year: int
    titles: list[Champion]


@dataclass
class SeriesPage:
    series: Series
    feeders: list[Series]
    seasons: list[Season]
    champion_years: list[ChampionYear]
    current: Season | None
    current_rounds: list[Round]
    current_table: StandingsTable | None
    links: list[MediaLink]
    today: dt.date
    current_champions: list[SeasonChampion] = field(default_factory=list)


def series_page(slug: str, today: dt.date) -> SeriesPage:
    # 1: the series and what it feeds into.
    series = get_object_or_404(Series.objects.select_related("feeds_into"), slug=slug)
    # 2: the series that feed into it.
    feeders = list(series.feeders.all().order_by("tier", "name"))
    # 3: its seasons, with whether results are entered, provisional, and how many rounds.
    seasons = list(
        _seasons_with_state()
        .filter(series=series)
        .select_related("car_generation", "scoring")
        .order_by("-year")
    )
    for season in seasons:
        season.series = series  # saves a query per season in get_absolute_url and title
        mark_state(season)
    # 4: the titles, with the driver where the record links one.
    champion_years: list[ChampionYear] = []
    for champion in (
        Champion.objects.filter(series=series).select_related("driver").order_by("-year", "pk")
    ):
        if not champion_years or champion_years[-1].year != champion.year:
            champion_years.append(ChampionYear(year=champion.year, titles=[]))
        champion_years[-1].titles.append(champion)
    for year in champion_years:
        year.titles.sort(key=lambda title: (not title.is_overall, title.class_name))
    # 5: links of the series and of each of its seasons.
    links = list(
        MediaLink.objects.filter(Q(series=series) | Q(season__series=series))
        .select_related("season")
        .order_by("-season__year", "kind", "region", "provider")
    )
    current = seasons[0] if seasons else None
    current_rounds: list[Round] = []
    current_table = None
    current_champions: list[SeasonChampion] = []
    if current is not None:
        # 6: the current season's calendar.
        current_rounds = list(
            Round.objects.filter(season=current).select_related("event__circuit").order_by("number")
        )
        mark_round_states(current_rounds, today)
        mark_round_places(current_rounds)
        version = site_version()  # once for both cached reads below
        if current.has_results:
            # The standings loader (cached per change of the record).
            current_table = get_standings(current, version=version)
        if current.finished:
            # Its titles, which a finished season's summary names (cached per change).
            current_champions = season_record(current, version=version).champions
    return SeriesPage(
        series=series,
        feeders=feeders,
        seasons=seasons,
        champion_years=champion_years,
        current=current,
        current_rounds=current_rounds,
        current_table=current_table,
        links=links,
        today=today,
        current_champions=current_champions,
    )


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def mark_round_places(rounds: Sequence[Round]) -> None:
    """`round.place_bits`: the circuit and the round's own name where they add something to the
    event's name ("Silverstone 2023 · Silverstone · Silverstone" says the place three times).
    Needs event__circuit loaded."""
    for round_ in rounds:
        shown = _fold(round_.event.name)
        bits = []
        for bit in (round_.event.circuit.name, round_.name):
            folded = _fold(bit)
            if folded and folded not in shown:
                bits.append(bit)
                shown += folded
        round_.place_bits = bits


def mark_round_states(rounds: Sequence[Round], today: dt.date) -> None:
    """done (raced), next (the first still to come) or to-come, relative to today."""
    next_marked = False
    for round_ in rounds:
        if round_.date < today:
            round_.state = "done"
        elif not next_marked:
            round_.state = "next"
            next_marked = True
        else:
            round_.state = "to-come"


# --- season -----------------------------------------------------------------------------------


def get_season(series_slug: str, year: int, *, with_state: bool = False) -> Season:
    """One query: the season with its series and scoring rules, or 404."""
    queryset = _seasons_with_state() if with_state else Season.objects.all()
    season = get_object_or_404(
        queryset.select_related("series", "scoring", "car_generation"),
        series__slug=series_slug,
        year=year,
    )
    if with_state:
        mark_state(season)
    return season


@dataclass
class ClassEntries:
    name: str
    entries: list[Entry]


@dataclass
class SeasonPage:
    season: Season
    rounds: Sequence[Round]
    next_round: Round | None
    classes: list[ClassEntries]
    entry_count: int
    links: list[MediaLink]
    table: StandingsTable | None
    champions: list[SeasonChampion] = field(default_factory=list)


def season_page(series_slug: str, year: int, today: dt.date) -> SeasonPage:
    season = get_season(series_slug, year, with_state=True)  # 1
    winners = Prefetch(
        "results",
        queryset=Result.objects.filter(position=1).select_related("entry__driver"),
        to_attr="winners",
    )
    scoring_sessions = Prefetch(
        "sessions",
        queryset=Session.objects.filter(kind__in=SCORING_KINDS)
        .order_by("date", "starts_at", "name")
        .prefetch_related(winners),
        to_attr="scoring_sessions",
    )
    # 2: rounds with event and circuit; 3: their scoring sessions; 4: each session's winner.
    rounds = list(
        Round.objects.filter(season=season)
        .select_related("event__circuit")
        .prefetch_related(scoring_sessions)
        .order_by("number")
    )
    mark_round_states(rounds, today)
    mark_round_places(rounds)
    next_round = next((round_ for round_ in rounds if round_.state == "next"), None)
    # 5: the entry list, by class.
    entries = list(
        Entry.objects.filter(season=season)
        .select_related("driver", "team", "season_class")
        .order_by("season_class__order", "season_class__name", "car_number", "driver__sort_name")
    )
    classes: list[ClassEntries] = []
    for entry in entries:
        name = entry.season_class.name if entry.season_class else "Entries"
        if not classes or classes[-1].name != name:
            classes.append(ClassEntries(name=name, entries=[]))
        classes[-1].entries.append(entry)
    # 6: where to watch the season.
    links = list(season.media_links.order_by("kind", "region", "provider"))
    version = site_version()  # 7: once for both cached reads below
    # The standings loader, cached per change of the record.
    table = get_standings(season, version=version) if season.has_results else None
    # The titles of the season and the published table's rows (cached per change of the record).
    champions = season_record(season, version=version).champions
    return SeasonPage(
        season=season,
        rounds=rounds,
        next_round=next_round,
        classes=classes,
        entry_count=len(entries),
        links=links,
        table=table,
        champions=champions,
    )


# --- results matrix ---------------------------------------------------------------------------


@dataclass
class MatrixColumn:
    round: Round
    session: Session
    label: str


@dataclass
class MatrixCell:
    code: str  # "1", "Ret", "DNS", ...: the text that makes the cell readable without colour
    css: str  # res-win, res-second, res-third, res-points, res-finish, res-ret, res-dns, res-dsq...
    title: str
    pole: bool = False
    fastest_lap: bool = False


@dataclass
class MatrixRow:
    position: int | None
    driver_name: str
    driver_slug: str
    nationality: str
    car_number: int | None
    class_name: str
    guest: bool
    points: object
    cells: list[MatrixCell | None] = field(default_factory=list)
    complete: bool = True  # False: some result unknown (the standings' row is incomplete)


@dataclass
class ResultsMatrix:
    season: Season
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    rounds: Sequence[Round]
    has_results: bool
    table: StandingsTable | None


STATUS_CELLS: dict[str, tuple[str, str, str]] = {
    ResultStatus.RETIRED: ("Ret", "res-ret", "Retired"),
    ResultStatus.NOT_STARTED: ("DNS", "res-dns", "Did not start"),
    ResultStatus.DISQUALIFIED: ("DSQ", "res-dsq", "Disqualified"),
    ResultStatus.NOT_CLASSIFIED: ("NC", "res-finish", "Not classified"),
    ResultStatus.NOT_QUALIFIED: ("DNQ", "res-dnq", "Did not qualify"),
    ResultStatus.EXCLUDED: ("EX", "res-dsq", "Excluded"),
    ResultStatus.FINISHED: ("NC", "res-finish", "Not classified"),
}


# A result that may exist but is not on record (a partial season's row read in part): "?", as in
# the standings, never the "·" of a race the driver did not take part in.
UNKNOWN_CELL = MatrixCell(code="?", css="res-unknown", title="Result not on record")


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _session_cells(results: list[Result], place_points: dict[int, int]) -> dict[int, MatrixCell]:
    """Cells of one session by entry id. A classified car is "points" green only when its place
    earned points in the standings engine (`place_points` by entry id, pass-down applied): the
    engine is the one judge, so a 19th place in a partial table is never green by accident."""
    cells = {}
    for result in results:
        if result.position is not None:
            if result.position == 1:
                css, title = "res-win", "Winner"
            elif result.position == 2:
                css, title = "res-second", "Second"
            elif result.position == 3:
                css, title = "res-third", "Third"
            elif place_points.get(result.entry_id, 0) > 0:
                css, title = "res-points", f"{ordinal(result.position)}, points"
            else:
                css, title = "res-finish", f"{ordinal(result.position)}, no points"
            code = str(result.position)
            if result.status == ResultStatus.RETIRED:
                # The published tables' dagger: classified, though the car retired.
                code += "†"
                title += " (retired, classified)"
        else:
            code, css, title = STATUS_CELLS.get(
                result.status, ("NC", "res-finish", "Not classified")
            )
        cells[result.entry_id] = MatrixCell(
            code=code, css=css, title=title, pole=result.pole, fastest_lap=result.fastest_lap
        )
    return cells


def results_matrix(series_slug: str, year: int) -> ResultsMatrix:
    season = get_season(series_slug, year, with_state=True)  # 1
    scoring_sessions = Prefetch(
        "sessions",
        queryset=Session.objects.scoring()
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("date", "starts_at", "name"),
        to_attr="scoring_sessions",
    )
    # 2: rounds with their event; 3: their scoring sessions.
    rounds = list(
        Round.objects.filter(season=season)
        .select_related("event")
        .prefetch_related(scoring_sessions)
        .order_by("number")
    )
    columns = []
    for round_ in rounds:
        several = len(round_.scoring_sessions) > 1
        for index, session in enumerate(round_.scoring_sessions, start=1):
            label = f"R{round_.number}" + (f".{index}" if several else "")
            columns.append(MatrixColumn(round=round_, session=session, label=label))
    # 4: the entries, with driver and class.
    entries = list(
        Entry.objects.filter(season=season).select_related("driver", "season_class", "team")
    )
    # 5: every result of the season's scoring sessions.
    by_session = defaultdict(list)
    for result in Result.objects.filter(session__in=[column.session for column in columns]):
        by_session[result.session_id].append(result)
    has_results = any(by_session.values())
    table = get_standings(season) if has_results else None  # the standings loader, cached
    # What each car's place earned, from the engine's table (one judge of "scored").
    earned: dict[tuple[str, int, str], int] = {}
    for standing in table.rows if table is not None else ():
        for item in standing.rounds:
            for slug, paid in zip(item.sessions, item.place_points, strict=False):
                earned[standing.key, item.round, slug] = paid
    slug_of = {entry.pk: entry.driver.slug for entry in entries}
    cells_by_session = {
        column.session.pk: _session_cells(
            by_session[column.session.pk],
            {
                result.entry_id: earned.get(
                    (slug_of.get(result.entry_id, ""), column.round.number, column.session.slug), 0
                )
                for result in by_session[column.session.pk]
            },
        )
        for column in columns
    }
    order = {}
    points = {}
    unknown: dict[str, set[int]] = {}
    if table is not None:
        for index, standing_row in enumerate(table.rows):
            order[standing_row.key] = (index, standing_row.position)
            points[standing_row.key] = standing_row.points
            unknown[standing_row.key] = set(standing_row.unknown_rounds)
    raced = {result.entry_id for results in by_session.values() for result in results}
    keyed_rows: list[tuple[tuple[int, str], MatrixRow]] = []
    for entry in entries:
        if entry.pk not in raced:
            continue
        index, position = order.get(entry.driver.slug, (len(order), None))
        row = MatrixRow(
            position=position,
            driver_name=entry.driver.name,
            driver_slug=entry.driver.slug,
            nationality=entry.driver.nationality,
            car_number=entry.car_number,
            class_name=entry.season_class.name if entry.season_class else "",
            guest=entry.guest,
            points=points.get(entry.driver.slug),
            cells=[
                cells_by_session[column.session.pk].get(entry.pk)
                or (
                    UNKNOWN_CELL
                    if column.round.number in unknown.get(entry.driver.slug, ())
                    else None
                )
                for column in columns
            ],
            complete=not unknown.get(entry.driver.slug),
        )
        keyed_rows.append(((index, entry.driver.sort_name), row))
    keyed_rows.sort(key=lambda keyed: keyed[0])
    rows = [row for _, row in keyed_rows]
    return ResultsMatrix(
        season=season,
        columns=columns,
        rows=rows,
        rounds=rounds,
        has_results=has_results,
        table=table,
    )
