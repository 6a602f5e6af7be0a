"""The drivers directory and the driver page: seasons, totals per series, titles and the ladder
of a career. The figures shared with the team page are in careers.py."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from ..models import (
    Champion,
    Driver,
    Entry,
    Result,
    Season,
    Series,
    Team,
    Tier,
)
from .careers import (
    Career,
    RaceCounts,
    SeasonLine,
    _fill_lines,
    career,
    counted_results,
    race_counts_by_season,
)
from .paging import Paged, page_of


@dataclass
class DriverRow:
    driver: Driver
    series: list[Series]


def _initial(name: str) -> str:
    """A–Z, accents folded (Évora under E); anything else (Ogawa's kanji sort name) under #."""
    folded = unicodedata.normalize("NFKD", name[:1]).upper()[:1]
    return folded if "A" <= folded <= "Z" else "#"


DRIVERS_PER_PAGE = 300  # the shipped record's drivers fit on one page


@dataclass
class DriverList:
    groups: list[tuple[str, list[DriverRow]]]
    paged: Paged


def driver_list(series: Series | None, page: int | None = None) -> DriverList:
    """One page of the drivers A–Z by family name (of those who raced in `series`), grouped by
    initial, each with the series they raced in. Four queries whatever the page."""
    drivers = Driver.objects.all()
    if series is not None:
        drivers = drivers.filter(
            Exists(Entry.objects.filter(driver=OuterRef("pk"), season__series=series))
        )
    # queries: how many drivers; the drivers of the page
    shown, paged = page_of(drivers.order_by("sort_name", "name", "pk"), page, DRIVERS_PER_PAGE)
    raced: dict[int, set[int]] = defaultdict(set)
    # query: which series each driver of the page raced in (ids only: no entry is built)
    for driver_id, series_id in (
        Entry.objects.filter(driver__in=[driver.pk for driver in shown])
        .values_list("driver_id", "season__series_id")
        .distinct()
    ):
        raced[driver_id].add(series_id)
    # query: those series
    by_id = Series.objects.in_bulk({pk for ids in raced.values() for pk in ids})
    groups: dict[str, list[DriverRow]] = {}
    for driver in shown:
        raced_in = sorted((by_id[pk] for pk in raced[driver.pk]), key=lambda s: (s.tier, s.name))
        initial = _initial(driver.sort_name or driver.name)
        groups.setdefault(initial, []).append(DriverRow(driver, raced_in))
    return DriverList(sorted(groups.items()), paged)


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
    # (two lists of team ids rather than an OR across joins, which read every result of every
    # team: 38 ms for a 36-season career at 768,000 results)
    teams = list(
        Team.objects.filter(
            Q(pk__in=Entry.objects.filter(driver=driver).values("team_id"))
            | Q(pk__in=Result.objects.filter(entry__driver=driver).values("team_id"))
        ).order_by("name")
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
