"""What a driver's or team's career is made of, shared by the driver and team pages and the API:
the season lines, the starts, wins and podiums counted by the database, and the final places
read from the stored standings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Q, QuerySet

from ..models import (
    SCORING_KINDS,
    Champion,
    Entry,
    Result,
    ResultStatus,
    Season,
    Series,
    SessionStatus,
)
from .standings import final_places

# A start is a car that took the start: these statuses mean it never did.
NON_STARTS = (ResultStatus.NOT_STARTED, ResultStatus.NOT_QUALIFIED)


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


def year_span(first: int, last: int) -> str:
    """How a career's (or a team's) years are written: "2019–2023", or "2023" for one year."""
    return str(first) if first == last else f"{first}–{last}"


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
        if self.first_year is None or self.last_year is None:
            return ""
        return year_span(self.first_year, self.last_year)

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


class CareerFigures:
    """The career figures of a page made of season lines, the same for a driver and a team: the
    driver and team pages' selectors (DriverPage, TeamPage) mix it in."""

    seasons: list[SeasonLine]

    @property
    def has_results(self) -> bool:
        return any(line.counts_known for line in self.seasons)

    @cached_property
    def career(self) -> Career:
        # Once per page: the template and the API read it and its starts, wins and podiums.
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


def counts_per_entry(results: QuerySet[Result]) -> QuerySet[Result, tuple[int, int, int, int]]:
    """(entry id, starts, wins, podiums) of `results`, counted by the database: the query of
    race_counts_by_season(), for a page that prepares it (pcc/prepared.py)."""
    return (
        results.order_by()
        .values("entry_id")
        .annotate(
            starts=Count("id", filter=~Q(status__in=NON_STARTS)),
            wins=Count("id", filter=Q(position=1)),
            podiums=Count("id", filter=Q(position__lte=3)),
        )
        .values_list("entry_id", "starts", "wins", "podiums")
    )


def race_counts_by_season(
    results: QuerySet[Result], season_of: dict[int, int]
) -> dict[int, RaceCounts]:
    """Season pk -> the starts, wins and podiums among `results` (one query). The one place these
    three are counted: the driver and team pages and the API all call it.

    The database counts per entry and the seasons are added up here: `season_of` maps the ids of
    the entries the results can belong to onto their seasons (the page has loaded them), so the
    query joins no entry (at scale a join read all 48,000: 14 -> 6 ms for the busiest team). A
    result of an entry not in it (saved after the page read its entries) counts next time."""
    return counts_by_season(counts_per_entry(results), season_of)


def counts_by_season(
    rows: Iterable[tuple[int, int, int, int]], season_of: dict[int, int]
) -> dict[int, RaceCounts]:
    """The rows of counts_per_entry() added up per season (see race_counts_by_season)."""
    totals: dict[int, list[int]] = {}
    for entry_id, starts, wins, podiums in rows:
        season = season_of.get(entry_id)
        if season is None:
            continue
        total = totals.setdefault(season, [0, 0, 0])
        total[0] += starts
        total[1] += wins
        total[2] += podiums
    return {season: RaceCounts(*total) for season, total in totals.items()}


@dataclass(frozen=True)
class SeasonStanding:
    position: int | None
    has_results: bool


def season_standings(seasons: list[Season], key: str, table: str) -> dict[int, SeasonStanding]:
    """Where a driver or team (by slug) finished each season, and whether the season has any
    results entered: standings.final_places(), one prepared query of the seasons' stored final
    rows (series/standings_store.py)."""
    if not seasons:
        return {}
    return {
        pk: SeasonStanding(place.position, place.has_results)
        for pk, place in final_places(seasons, table, key).items()
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
