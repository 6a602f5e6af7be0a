"""The champions' history: every title on record per series, the years not on record shown as
gaps, and the drivers with the most titles, counted from what the record holds and saying what it
does not hold.

One loader (`champion_record`) reads every Champion row once; the champions page, the series
pages and the coverage view take their titles and gaps from it, so a year is "not on record" in
one place only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from pcc.prepared import Prepared

from ..models import (
    Champion,
    Series,
    TitleKind,
)
from ..models.history import is_overall_class, is_top_class
from .paging import Paged, page_of
from .pyramid import series_options

# The champions page lists whole series' histories a few at a time (a class or a decade across
# every series ran to 210 KB of HTML on the shipped record); its index of series, one row each,
# fits one page until the record holds far more series than the pyramid has.
CHAMPIONS_SERIES_PER_PAGE = 4
CHAMPIONS_INDEX_PER_PAGE = 50


@dataclass
class ChampionFilters:
    series: Series | None = None
    tier: int | None = None
    class_name: str | None = None
    decade: int | None = None

    @property
    def lists_titles(self) -> bool:
        """The full list is paged: it is shown for one series, one class or one decade; with no
        such filter the page shows the index of series (each under ~100 KB of HTML)."""
        return any((self.series, self.class_name, self.decade))


@dataclass(frozen=True, slots=True)
class TitleDriver:
    """The driver record a title row is linked to: what the page and the API show of it."""

    slug: str
    name: str
    nationality: str
    name_original: str


@dataclass(frozen=True, slots=True)
class TitleRow:
    """A Champion row as the champions page and the API read it: plain values (a few hundred rows;
    building Champion, Driver and Team instances for them cost most of the page), the series
    shared by all its rows, the linked records by the slugs their links need."""

    series: Series
    year: int
    kind: str
    class_name: str
    driver_name: str
    nationality: str
    team: str
    teams_champion: str
    points: Decimal | None
    qualifier: str
    source: str
    driver_id: int | None
    driver: TitleDriver | None
    team_slug: str | None  # the team record's, where the printed team is matched to one
    teams_champion_slug: str | None

    @property
    def is_overall(self) -> bool:
        return is_overall_class(self.class_name)

    @property
    def is_top_class(self) -> bool:
        return is_top_class(self.class_name)

    @property
    def is_title(self) -> bool:
        return self.kind == TitleKind.TITLE

    @property
    def kind_label(self) -> str:
        return str(TitleKind(self.kind).label)


@dataclass
class Gap:
    """Years of a series whose main title is not on record (neither its champion nor a reason
    for none); class titles of those years may be."""

    first: int
    last: int

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"

    @property
    def years(self) -> range:
        return range(self.first, self.last + 1)


@dataclass
class SeriesHistory:
    series: Series
    rows: list[TitleRow] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    span: tuple[int, int] | None = None

    @property
    def titles(self) -> list[TitleRow]:
        return [row for row in self.rows if row.kind == TitleKind.TITLE]

    @property
    def title_count(self) -> int:
        return len(self.titles)

    @property
    def missing_count(self) -> int:
        return sum(len(gap.years) for gap in self.gaps)

    @property
    def missing_label(self) -> str:
        return ", ".join(gap.label for gap in self.gaps)

    @property
    def lines(self) -> list[TitleRow | Gap]:
        """Newest first: the rows, with each gap in its place."""
        items: list[tuple[int, int, TitleRow | Gap]] = [(row.year, 0, row) for row in self.rows]
        items += [(gap.last, 1, gap) for gap in self.gaps]
        items.sort(key=lambda item: (-item[0], item[1]))
        return [item[2] for item in items]


@dataclass
class ChampionRecord:
    """Every series' history, the years the record covers and what is missing."""

    histories: list[SeriesHistory]
    first_year: int | None
    last_year: int | None

    @property
    def titles(self) -> list[TitleRow]:
        return [title for history in self.histories for title in history.titles]

    @property
    def incomplete(self) -> list[SeriesHistory]:
        return [history for history in self.histories if history.gaps]

    def for_series(self, series: Series) -> SeriesHistory | None:
        return next((h for h in self.histories if h.series.pk == series.pk), None)


def _gaps(years_on_record: set[int], first: int, last: int) -> list[Gap]:
    gaps: list[Gap] = []
    for year in range(first, last + 1):
        if year in years_on_record:
            continue
        if gaps and gaps[-1].last == year - 1:
            gaps[-1].last = year
        else:
            gaps.append(Gap(year, year))
    return gaps


_TITLE_COLUMNS = (
    "series_id",
    "year",
    "kind",
    "class_name",
    "driver_name",
    "nationality",
    "team",
    "teams_champion",
    "points",
    "qualifier",
    "source",
    "driver_id",
    "driver__slug",
    "driver__name",
    "driver__nationality",
    "driver__name_original",
    "team_record__slug",
    "teams_champion_record__slug",
)


# Compiled once per process (pcc/prepared.py).
_TITLE_ROWS = Prepared(
    lambda: (
        Champion.objects.all()
        .order_by("series__tier", "series__name", "-year", "class_name", "pk")
        .values_list(*_TITLE_COLUMNS)
    )
)


def title_rows(series_list: Iterable[Series] | None = None) -> list[TitleRow]:
    """Every Champion row, as the page, its filters and the API read them. `series_list`: every
    series, where the caller has loaded them already (the page's filter offers them); else they
    are one more query."""
    if series_list is None:
        series_list = series_options()
    series_by_id = {series.pk: series for series in series_list}
    # query: every row with the slugs and names of its driver and teams (a few hundred rows)
    rows = _TITLE_ROWS()
    return [
        TitleRow(
            series_by_id[series_id],
            year,
            kind,
            class_name,
            driver_name,
            nationality,
            team,
            teams_champion,
            points,
            qualifier,
            source,
            driver_id,
            TitleDriver(d_slug, d_name, d_nationality, d_original) if driver_id else None,
            team_slug,
            teams_champion_slug,
        )
        for (
            series_id,
            year,
            kind,
            class_name,
            driver_name,
            nationality,
            team,
            teams_champion,
            points,
            qualifier,
            source,
            driver_id,
            d_slug,
            d_name,
            d_nationality,
            d_original,
            team_slug,
            teams_champion_slug,
        ) in rows
    ]


def champion_record(
    filters: ChampionFilters | None = None,
    series_list: Iterable[Series] | None = None,
    rows: list[TitleRow] | None = None,
) -> ChampionRecord:
    """Each series with rows on record: its rows (filtered), and the years between its first year
    (or first title) and the record's last year (or the series' last) that hold no row at all.
    Cancelled and not-held years are rows, so they are not gaps, and they are never titles.

    `rows`: title_rows(), where the caller has read them already (the page's filters offer their
    classes and decades); else read here (with `series_list`, see title_rows)."""
    filters = filters or ChampionFilters()
    if rows is None:
        rows = title_rows(series_list)
    if not rows:
        return ChampionRecord([], None, None)
    record_last = max(row.year for row in rows)
    by_series: dict[int, SeriesHistory] = {}
    years: dict[int, set[int]] = defaultdict(set)
    top_years: dict[int, set[int]] = defaultdict(set)
    # The rule of a top class asked once per class name, not per row; no filter, every row.
    top_class: dict[str, bool] = {}
    every_row = filters.class_name is None and filters.decade is None
    for row in rows:
        series_id = row.series.id
        history = by_series.get(series_id)
        if history is None:
            history = by_series[series_id] = SeriesHistory(row.series)
        years[series_id].add(row.year)
        top = top_class.get(row.class_name)
        if top is None:
            top = top_class[row.class_name] = row.is_top_class
        if top:
            top_years[series_id].add(row.year)
        if every_row or _passes(row, filters):
            history.rows.append(row)
    histories = []
    for series_id, history in by_series.items():
        series = history.series
        first = min(years[series_id])
        if series.first_year and series.first_year < first:
            first = series.first_year
        last = min(record_last, series.last_year) if series.last_year else record_last
        history.span = (first, last)
        # A year is on record when its main title (overall, or Pro) is, or the reason there was
        # none; a series that never had a main title counts any of its titles.
        gaps = _gaps(top_years[series_id] or years[series_id], first, last)
        if filters.decade is not None:
            gaps = [
                Gap(max(g.first, filters.decade), min(g.last, filters.decade + 9))
                for g in gaps
                if g.last >= filters.decade and g.first <= filters.decade + 9
            ]
        # A class's list shows its titles only: a year without that class is no gap.
        history.gaps = [] if filters.class_name else gaps
        if filters.series is not None and series.pk != filters.series.pk:
            continue
        if filters.tier is not None and series.tier != filters.tier:
            continue
        if history.rows or history.gaps:
            histories.append(history)
    spans = [history.span for history in histories if history.span]
    return ChampionRecord(
        histories,
        min((span[0] for span in spans), default=None),
        max((span[1] for span in spans), default=None),
    )


def champions_page_of(
    record: ChampionRecord, filters: ChampionFilters, number: int | None
) -> tuple[list[SeriesHistory], Paged]:
    """The series shown on page `number` of the champions page, whole series at a time (a
    series' titles are never split over two pages): a few series' lists of titles, or up to
    CHAMPIONS_INDEX_PER_PAGE rows of the index. A number past the last shows the first."""
    per_page = CHAMPIONS_SERIES_PER_PAGE if filters.lists_titles else CHAMPIONS_INDEX_PER_PAGE
    return page_of(record.histories, number, per_page)


def _passes(row: TitleRow, filters: ChampionFilters) -> bool:
    if filters.class_name is not None and row.class_name != filters.class_name:
        return False
    return filters.decade is None or filters.decade <= row.year < filters.decade + 10


def champion_class_names(rows: list[TitleRow]) -> list[str]:
    """The class names titles are recorded under (years without a title offer no class), read
    from the rows the page loads anyway."""
    names = {row.class_name for row in rows if row.is_title}
    return sorted(names, key=lambda name: (name != "overall", name.lower()))


def champion_decades(rows: list[TitleRow]) -> list[int]:
    """The decades of the years on record (with a title or the reason for none), newest first."""
    return sorted({row.year // 10 * 10 for row in rows}, reverse=True)


def year_span(years: list[int]) -> str:
    """'2013–2016', '2001, 2003, 2005–2006': runs of years as a fan reads them."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


@dataclass
class TitleCount:
    name: str
    driver: TitleDriver | None
    nationality: str
    titles: list[TitleRow]

    @property
    def count(self) -> int:
        return len(self.titles)

    @property
    def summary(self) -> str:
        """'Supercup 2013–2016', 'Carrera Cup France 2001, 2003': titles per series and class."""
        years_by_series: dict[str, list[int]] = defaultdict(list)
        for title in self.titles:
            label = title.series.display_name
            if not title.is_overall:
                label += f" ({title.class_name})"
            years_by_series[label].append(title.year)
        parts = []
        for label, years in years_by_series.items():
            parts.append(f"{label} {year_span(years)}")
        return "; ".join(parts)


def most_titles(titles: list[TitleRow], minimum: int = 2, limit: int = 20) -> list[TitleCount]:
    """Drivers with the most titles, counted from the title rows (linked driver, or the name as
    printed when the row is not linked). Teams' titles and years without a title do not count."""
    counts: dict[object, TitleCount] = {}
    for title in titles:
        if title.kind != TitleKind.TITLE or title.class_name == "Teams":
            continue
        key = ("driver", title.driver_id) if title.driver_id else ("name", title.driver_name)
        holder = counts.setdefault(
            key, TitleCount(title.driver_name, title.driver, title.nationality, [])
        )
        holder.titles.append(title)
    ranked = sorted(
        (c for c in counts.values() if c.count >= minimum),
        key=lambda c: (-c.count, min(t.year for t in c.titles), c.name),
    )
    for holder in ranked:
        holder.titles.sort(key=lambda t: (t.series.tier, t.series.name, t.year))
    return ranked[:limit]
