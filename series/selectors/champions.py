"""The champions' history: every title on record per series, the years not on record shown as
gaps, and the drivers with the most titles, counted from what the record holds and saying what it
does not hold.

One loader (`champion_record`) reads every Champion row once; the champions page, the series
pages and the coverage view take their titles and gaps from it, so a year is "not on record" in
one place only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet

from pcc.prepared import Prepared

from ..models import (
    Champion,
    Series,
    Tier,
    TitleKind,
)
from ..models.history import is_overall_class, is_top_class
from .paging import Paged, page_of
from .pyramid import SeriesKey, series_options

# The champions page lists whole series' histories a few at a time (a class or a decade across
# every series ran to 210 KB of HTML on the shipped record); its index of series, one row each,
# fits one page until the record holds far more series than the pyramid has.
CHAMPIONS_SERIES_PER_PAGE = 4
CHAMPIONS_INDEX_PER_PAGE = 50

# A series as a record reads it: the model, or the champions page's plain values.
SeriesOf = Series | SeriesKey

# A row's kind as read (a str): compared a few hundred times a page, cheaper than the enum member.
_TITLE = TitleKind.TITLE.value


@dataclass
class ChampionFilters:
    series: SeriesOf | None = None
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


@dataclass(slots=True)
class TitleKey:
    """What the record's counts read of a Champion row: its series, year, class and kind (the
    gaps, the titles, the classes and decades offered) and its holder (most titles). The index of
    series reads no more than this: a row's team, points and sources show only in a list of
    titles (TitleRow). Not frozen: a frozen dataclass sets each field through
    object.__setattr__, a third of the cost of reading the rows."""

    series: SeriesOf
    year: int
    kind: str
    class_name: str
    driver_name: str
    nationality: str
    driver_id: int | None
    driver_slug: str | None

    @property
    def is_overall(self) -> bool:
        return is_overall_class(self.class_name)

    @property
    def is_top_class(self) -> bool:
        return is_top_class(self.class_name)

    @property
    def is_title(self) -> bool:
        return self.kind == _TITLE

    @property
    def kind_label(self) -> str:
        return str(TitleKind(self.kind).label)


@dataclass(slots=True)
class TitleRow(TitleKey):
    """A Champion row as the champions page's list of titles and the API read it: plain values
    (a few hundred rows; building Champion, Driver and Team instances for them cost most of the
    page), the series shared by all its rows, the linked records by the slugs their links need."""

    team: str
    teams_champion: str
    points: Decimal | None
    qualifier: str
    source: str
    driver: TitleDriver | None
    team_slug: str | None  # the team record's, where the printed team is matched to one
    teams_champion_slug: str | None


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


# The rows a record holds: TitleKey for the index of series, TitleRow for the lists of titles and
# the API.
R = TypeVar("R", bound=TitleKey)


@dataclass
class SeriesHistory(Generic[R]):
    series: SeriesOf
    rows: list[R] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    span: tuple[int, int] | None = None

    @property
    def titles(self) -> list[R]:
        return [row for row in self.rows if row.kind == _TITLE]

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
    def lines(self) -> list[R | Gap]:
        """Newest first: the rows, with each gap in its place."""
        items: list[tuple[int, int, R | Gap]] = [(row.year, 0, row) for row in self.rows]
        items += [(gap.last, 1, gap) for gap in self.gaps]
        items.sort(key=lambda item: (-item[0], item[1]))
        return [item[2] for item in items]


@dataclass
class ChampionRecord(Generic[R]):
    """Every series' history, the years the record covers and what is missing."""

    histories: list[SeriesHistory[R]]
    first_year: int | None
    last_year: int | None

    @property
    def titles(self) -> list[R]:
        return [title for history in self.histories for title in history.titles]

    @property
    def incomplete(self) -> list[SeriesHistory[R]]:
        return [history for history in self.histories if history.gaps]

    def for_series(self, series: SeriesOf) -> SeriesHistory[R] | None:
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


# The columns of TitleKey, then TitleRow's own.
_KEY_COLUMNS = (
    "series_id",
    "year",
    "kind",
    "class_name",
    "driver_name",
    "nationality",
    "driver_id",
    "driver__slug",
)
_TITLE_COLUMNS = (
    *_KEY_COLUMNS,
    "team",
    "teams_champion",
    "points",
    "qualifier",
    "source",
    "driver__name",
    "driver__nationality",
    "driver__name_original",
    "team_record__slug",
    "teams_champion_record__slug",
)


def _rows_of(columns: tuple[str, ...]) -> Prepared[QuerySet[Champion, tuple[Any, ...]]]:
    """Every Champion row's `columns` and its id last, in no order (see _in_page_order). Compiled
    once per process (pcc/prepared.py)."""
    return Prepared(lambda: Champion.objects.order_by().values_list(*columns, "pk"))


_TITLE_KEYS = _rows_of(_KEY_COLUMNS)
_TITLE_ROWS = _rows_of(_TITLE_COLUMNS)


def _series_by_id(series_list: Iterable[SeriesOf] | None) -> dict[int, SeriesOf]:
    if series_list is None:
        series_list = series_options()
    return {series.pk: series for series in series_list}


def _in_page_order(
    rows: Iterable[tuple[Any, ...]], series_by_id: dict[int, SeriesOf]
) -> list[tuple[Any, ...]]:
    """The rows series by series (top of the pyramid first, then by name), newest first, then
    by class and id: the order of the page's lists and of its most titles' ties. Sorted here
    rather than by the database, which joined every row to its series to sort by the series'
    tier and name (a third of the query's time on the shipped record)."""
    rank = {
        series.pk: n
        for n, series in enumerate(sorted(series_by_id.values(), key=lambda s: (s.tier, s.name)))
    }
    # row[0] the series id, row[1] the year, row[3] the class name, row[-1] the id.
    return sorted(rows, key=lambda row: (rank[row[0]], -row[1], row[3], row[-1]))


def title_keys(series_list: Iterable[SeriesOf] | None = None) -> list[TitleKey]:
    """Every Champion row, as the index of series and its most titles read them (see TitleKey);
    `series_list` as for title_rows."""
    series_by_id = _series_by_id(series_list)
    # query: every row's series, year, class and holder (a few hundred rows)
    return [
        TitleKey(series_by_id[row[0]], *row[1:-1])
        for row in _in_page_order(_TITLE_KEYS(), series_by_id)
    ]


def title_rows(series_list: Iterable[SeriesOf] | None = None) -> list[TitleRow]:
    """Every Champion row, as the lists of titles and the API read them. `series_list`: every
    series, where the caller has loaded them already (the page's filter offers them); else they
    are one more query."""
    series_by_id = _series_by_id(series_list)
    # query: every row with the slugs and names of its driver and teams (a few hundred rows)
    return [
        TitleRow(
            series_by_id[series_id],
            year,
            kind,
            class_name,
            driver_name,
            nationality,
            driver_id,
            d_slug,
            team,
            teams_champion,
            points,
            qualifier,
            source,
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
            driver_id,
            d_slug,
            team,
            teams_champion,
            points,
            qualifier,
            source,
            d_name,
            d_nationality,
            d_original,
            team_slug,
            teams_champion_slug,
            _id,
        ) in _in_page_order(_TITLE_ROWS(), series_by_id)
    ]


def champion_record(
    filters: ChampionFilters | None = None, series_list: Iterable[SeriesOf] | None = None
) -> ChampionRecord[TitleRow]:
    """The record of every row (title_rows(series_list)), filtered: see record_of."""
    return record_of(title_rows(series_list), filters)


def record_of(rows: Sequence[R], filters: ChampionFilters | None = None) -> ChampionRecord[R]:
    """Each series with rows on record: its rows (filtered), and the years between its first year
    (or first title) and the record's last year (or the series' last) that hold no row at all.
    Cancelled and not-held years are rows, so they are not gaps, and they are never titles.

    `rows`: title_keys() or title_rows(), read once by the page (its filters offer their classes
    and decades)."""
    filters = filters or ChampionFilters()
    if not rows:
        return ChampionRecord([], None, None)
    record_last = max(row.year for row in rows)
    by_series: dict[int, SeriesHistory[R]] = {}
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
    record: ChampionRecord[R], filters: ChampionFilters, number: int | None
) -> tuple[list[SeriesHistory[R]], Paged]:
    """The series shown on page `number` of the champions page, whole series at a time (a
    series' titles are never split over two pages): a few series' lists of titles, or up to
    CHAMPIONS_INDEX_PER_PAGE rows of the index. A number past the last shows the first."""
    per_page = CHAMPIONS_SERIES_PER_PAGE if filters.lists_titles else CHAMPIONS_INDEX_PER_PAGE
    return page_of(record.histories, number, per_page)


def _passes(row: TitleKey, filters: ChampionFilters) -> bool:
    if filters.class_name is not None and row.class_name != filters.class_name:
        return False
    return filters.decade is None or filters.decade <= row.year < filters.decade + 10


def champion_class_names(rows: Sequence[TitleKey]) -> list[str]:
    """The class names titles are recorded under (years without a title offer no class), read
    from the rows the page loads anyway."""
    names = {row.class_name for row in rows if row.is_title}
    return sorted(names, key=lambda name: (name != "overall", name.lower()))


def champion_decades(rows: Sequence[TitleKey]) -> list[int]:
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
    driver_slug: str | None  # the linked driver's
    nationality: str
    titles: list[TitleKey]

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


def most_titles(titles: Sequence[TitleKey], minimum: int = 2, limit: int = 20) -> list[TitleCount]:
    """Drivers with the most titles, counted from the title rows (linked driver, or the name as
    printed when the row is not linked). Teams' titles and years without a title do not count."""
    # A linked driver by id, another holder by the name printed (an int never equals a str).
    held: dict[int | str, list[TitleKey]] = {}
    for title in titles:
        if title.kind != _TITLE or title.class_name == "Teams":
            continue
        key = title.driver_id or title.driver_name
        rows = held.get(key)
        if rows is None:
            held[key] = [title]
        else:
            rows.append(title)
    # Only the few holders of `minimum` titles or more are ranked and described.
    ranked = [rows for rows in held.values() if len(rows) >= minimum]
    ranked.sort(key=lambda rows: (-len(rows), min(t.year for t in rows), rows[0].driver_name))
    return [
        TitleCount(
            rows[0].driver_name,
            rows[0].driver_slug,
            rows[0].nationality,
            sorted(rows, key=lambda t: (t.series.tier, t.series.name, t.year)),
        )
        for rows in ranked[:limit]
    ]


# --- the page's lines: plain dicts, each value looked up once by the template -------------------

# A tier's label as Series.get_tier_display() gives it, without its lookup of the field's choices.
_TIER_LABELS = {tier.value: str(tier.label) for tier in Tier}


def series_line(series: SeriesOf) -> dict[str, object]:
    return {
        "slug": series.slug,
        "name": series.name,
        "display_name": series.display_name,
        "tier": series.tier,
        "tier_label": _TIER_LABELS.get(series.tier, series.tier),
    }


def index_lines(histories: Iterable[SeriesHistory[Any]]) -> list[dict[str, object]]:
    """The index of series, a line a series: its titles, years and the years not on record."""
    return [
        {
            "series": series_line(history.series),
            "title_count": history.title_count,
            "span": history.span,
            "missing_label": history.missing_label,
        }
        for history in histories
    ]


def missing_lines(histories: Iterable[SeriesHistory[Any]]) -> list[dict[str, object]]:
    """The series with years not on record, and which years."""
    return [
        {"series": series_line(history.series), "missing_label": history.missing_label}
        for history in histories
        if history.gaps
    ]


def most_titles_lines(holders: Iterable[TitleCount]) -> list[dict[str, object]]:
    return [
        {
            "driver_slug": holder.driver_slug,
            "name": holder.name,
            "nationality": holder.nationality,
            "count": holder.count,
            "summary": holder.summary,
        }
        for holder in holders
    ]
