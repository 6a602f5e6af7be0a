"""The champions' history: every title on record per series, the years not on record shown as
gaps, and the drivers with the most titles, counted from what the record holds and saying what it
does not hold.

One loader (`champion_record`) reads every Champion row once; the champions page, the series
pages and the coverage view take their titles and gaps from it, so a year is "not on record" in
one place only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from ..models import (
    SCORING_KINDS,
    Champion,
    Event,
    MediaKind,
    MediaLink,
    Result,
    Season,
    Series,
    Session,
    SessionStatus,
    Tier,
    TitleKind,
)


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
    rows: list[Champion] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    span: tuple[int, int] | None = None

    @property
    def titles(self) -> list[Champion]:
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
    def lines(self) -> list[Champion | Gap]:
        """Newest first: the rows, with each gap in its place."""
        items: list[tuple[int, int, Champion | Gap]] = [(row.year, 0, row) for row in self.rows]
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
    def titles(self) -> list[Champion]:
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


def champion_record(filters: ChampionFilters | None = None) -> ChampionRecord:
    """Each series with rows on record: its rows (filtered), and the years between its first year
    (or first title) and the record's last year (or the series' last) that hold no row at all.
    Cancelled and not-held years are rows, so they are not gaps, and they are never titles."""
    filters = filters or ChampionFilters()
    # query: every row with its series, driver and teams (a few hundred rows)
    rows = list(
        Champion.objects.all()
        .select_related("series", "driver", "team_record", "teams_champion_record")
        .order_by("series__tier", "series__name", "-year", "class_name", "pk")
    )
    if not rows:
        return ChampionRecord([], None, None)
    record_last = max(row.year for row in rows)
    by_series: dict[int, SeriesHistory] = {}
    years: dict[int, set[int]] = defaultdict(set)
    top_years: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        history = by_series.setdefault(row.series_id, SeriesHistory(row.series))
        years[row.series_id].add(row.year)
        if row.is_top_class:
            top_years[row.series_id].add(row.year)
        if _passes(row, filters):
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


def _passes(row: Champion, filters: ChampionFilters) -> bool:
    if filters.class_name is not None and row.class_name != filters.class_name:
        return False
    return filters.decade is None or filters.decade <= row.year < filters.decade + 10


def champion_class_names() -> list[str]:
    # query: the class names titles are recorded under (years without a title offer no class)
    names = Champion.objects.titles().values_list("class_name", flat=True).distinct()
    return sorted(set(names), key=lambda name: (name != "overall", name.lower()))


def champion_decades() -> list[int]:
    # query: the years with titles, folded into decades
    years = Champion.objects.values_list("year", flat=True).distinct()
    return sorted({year // 10 * 10 for year in years}, reverse=True)


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
    driver: object
    nationality: str
    titles: list[Champion]

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


def most_titles(titles: list[Champion], minimum: int = 2, limit: int = 20) -> list[TitleCount]:
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


# --- coverage: what the record holds per series and year ------------------------------------------

HELD, PARTIAL, MISSING, NONE_AWARDED, TO_COME = "held", "partial", "missing", "none", "to-come"
STATE_LABELS = {
    HELD: "held",
    PARTIAL: "partial",
    MISSING: "missing",
    NONE_AWARDED: "no title",
    TO_COME: "to come",
}


@dataclass
class Cell:
    state: str
    detail: str = ""

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class YearCoverage:
    year: int
    has_season: bool
    calendar: Cell
    winners: Cell
    results: Cell
    champion: Cell

    @property
    def cells(self) -> list[tuple[str, Cell]]:
        return [
            ("Calendar", self.calendar),
            ("Winners", self.winners),
            ("Full results", self.results),
            ("Champion", self.champion),
        ]

    @property
    def has_page(self) -> bool:
        """/series/<series>/<year>/ answers for a season, a title, or a year not held."""
        return self.has_season or self.champion.state != MISSING


@dataclass
class SeriesCoverage:
    series: Series
    years: list[YearCoverage]

    @property
    def summary(self) -> dict[str, tuple[int, int, int]]:
        """Years held, partial and missing for each part of the record."""

        def count(what: str, state: str) -> int:
            return sum(1 for year in self.years if getattr(year, what).state == state)

        return {
            what: (count(what, HELD), count(what, PARTIAL), count(what, MISSING))
            for what in ("calendar", "winners", "results", "champion")
        }

    @property
    def span(self) -> str:
        if not self.years:
            return ""
        return f"{self.years[-1].year}–{self.years[0].year}"


# One (series, year)'s numbers: the season row's values, then races, won and with_results.
_Counts = dict[str, Any]


def _season_counts(series_ids: list[int], today: dt.date) -> dict[tuple[int, int], _Counts]:
    """Per (series, year) with a Season row: its rounds, and its races run so far with a winner
    and with any result (the numbers every coverage cell is computed from)."""
    # query: the seasons with their round counts
    seasons = (
        Season.objects.all()
        .filter(series_id__in=series_ids)
        .annotate(round_count=Count("rounds", distinct=True), last_number=Max("rounds__number"))
        .values("pk", "series_id", "year", "round_count", "last_number", "results_partial")
    )
    counts: dict[tuple[int, int], _Counts] = {
        (s["series_id"], s["year"]): {**s, "races": 0, "won": 0, "with_results": 0} for s in seasons
    }
    by_pk = {s["pk"]: key for key, s in counts.items()}
    # query: every scoring race run by today, with whether it has a winner and any result
    races = (
        Session.objects.filter(
            kind__in=SCORING_KINDS,
            round__season_id__in=list(by_pk),
            date__lte=today,
        )
        .exclude(status=SessionStatus.CANCELLED)
        .annotate(
            won=Exists(Result.objects.filter(session=OuterRef("pk"), position=1)),
            any_result=Exists(Result.objects.filter(session=OuterRef("pk"))),
        )
        .values("round__season_id", "won", "any_result")
    )
    for race in races:
        entry = counts[by_pk[race["round__season_id"]]]
        entry["races"] += 1
        entry["won"] += bool(race["won"])
        entry["with_results"] += bool(race["any_result"])
    return counts


def _calendar_cell(counts: _Counts | None) -> Cell:
    if not counts or not counts["round_count"]:
        return Cell(MISSING)
    rounds, last = counts["round_count"], counts["last_number"] or 0
    if rounds < last:
        return Cell(PARTIAL, f"{rounds} of {last} rounds")
    return Cell(HELD, f"{rounds} round{'s' if rounds != 1 else ''}")


def _winners_cell(counts: _Counts | None, has_rounds: bool) -> Cell:
    if not counts or not counts["races"]:
        return Cell(TO_COME if has_rounds else MISSING)
    won, races = counts["won"], counts["races"]
    if won == 0:
        return Cell(MISSING, f"0 of {races} races")
    return Cell(HELD if won == races else PARTIAL, f"{won} of {races} races")


def _results_cell(counts: _Counts | None, has_rounds: bool) -> Cell:
    if not counts or not counts["races"]:
        return Cell(TO_COME if has_rounds else MISSING)
    with_results, races = counts["with_results"], counts["races"]
    if with_results == 0:
        return Cell(MISSING)
    if counts["results_partial"]:
        return Cell(PARTIAL, "only some drivers' rows")
    if with_results < races:
        return Cell(PARTIAL, f"{with_results} of {races} races")
    return Cell(HELD, f"{races} race{'s' if races != 1 else ''}")


def _champion_cell(rows: list[Champion], running: bool) -> Cell:
    titles = [row for row in rows if row.kind == TitleKind.TITLE]
    if any(t.is_top_class for t in titles):
        classes = len(titles) - 1
        return Cell(HELD, f"+{classes} class{'es' if classes != 1 else ''}" if classes else "")
    if titles:
        return Cell(PARTIAL, "classes only")
    if rows:
        return Cell(NONE_AWARDED, rows[0].get_kind_display().lower())
    return Cell(TO_COME if running else MISSING)


def coverage(today: dt.date, series: Series | None = None) -> list[SeriesCoverage]:
    """Per series and year, newest first: calendar, winners, full results and champion, each
    held, partial or missing, computed from the rows themselves. The years run from the series'
    first year (or its first season or title) to its latest season or title."""
    # query: the real series
    series_list = list(
        Series.objects.all().filter(pk=series.pk) if series else Series.objects.all()
    )
    ids = [s.pk for s in series_list]
    counts = _season_counts(ids, today)
    # query: the champion rows of those series
    champions: dict[tuple[int, int], list[Champion]] = defaultdict(list)
    for row in Champion.objects.filter(series_id__in=ids).order_by("class_name"):
        champions[(row.series_id, row.year)].append(row)
    result = []
    for item in series_list:
        years_held = {year for (sid, year) in counts if sid == item.pk}
        years_held |= {year for (sid, year) in champions if sid == item.pk}
        if not years_held:
            result.append(SeriesCoverage(item, []))
            continue
        first = min(years_held)
        if item.first_year and item.first_year < first:
            first = item.first_year
        last = max(years_held)
        years = []
        for year in range(last, first - 1, -1):
            season = counts.get((item.pk, year))
            has_rounds = bool(season and season["round_count"])
            running = year >= today.year
            years.append(
                YearCoverage(
                    year=year,
                    has_season=season is not None,
                    calendar=_calendar_cell(season),
                    winners=_winners_cell(season, has_rounds),
                    results=_results_cell(season, has_rounds),
                    champion=_champion_cell(champions.get((item.pk, year), []), running),
                )
            )
        result.append(SeriesCoverage(item, years))
    return result


def year_coverage(series: Series, year: int, today: dt.date) -> YearCoverage | None:
    """One year of one series, from the same computation as the coverage view."""
    for series_coverage in coverage(today, series):
        for item in series_coverage.years:
            if item.year == year:
                return item
    return None


# --- where to watch ----------------------------------------------------------------------------

KIND_ORDER = {kind.value: i for i, kind in enumerate(MediaKind)}


def _link_year(link: MediaLink) -> int | None:
    """The year a link describes: its own, or its season's (needs select_related season)."""
    if link.as_of_year:
        return link.as_of_year
    if link.season is not None:
        return link.season.year
    return None


def _sorted(links: list[MediaLink]) -> list[MediaLink]:
    return sorted(links, key=lambda lk: (KIND_ORDER.get(lk.kind, 99), lk.region, lk.provider))


@dataclass
class WatchInfo:
    """A series' links for one year: the links of that year, or of the latest earlier year the
    record knows (`as_of` says which, so "as of 2021" is never passed off as this year's), and
    its lasting links (an archive, the official site) that carry no year."""

    series: Series
    year: int | None
    as_of: int | None
    links: list[MediaLink]
    lasting: list[MediaLink]
    earlier: list[MediaLink] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.as_of is not None and self.as_of == self.year

    @property
    def empty(self) -> bool:
        return not self.links and not self.lasting


def links_for_year(series: Series, links: list[MediaLink], year: int | None) -> WatchInfo:
    """From one series' links (series- and season-owned), those for `year` (None: the latest)."""
    dated = [(link_year, link) for link in links if (link_year := _link_year(link)) is not None]
    lasting = _sorted([link for link in links if _link_year(link) is None])
    usable = sorted({y for y, _ in dated if year is None or y <= year}, reverse=True)
    as_of = usable[0] if usable else None
    chosen = _sorted([link for y, link in dated if y == as_of])
    earlier = [
        link
        for _, link in sorted(
            ((y, link) for y, link in dated if as_of is not None and y < as_of),
            key=lambda item: (-item[0], KIND_ORDER.get(item[1].kind, 99), item[1].provider),
        )
    ]
    return WatchInfo(series, year, as_of, chosen, lasting, earlier)


def _series_links() -> QuerySet[MediaLink]:
    return MediaLink.objects.filter(
        Q(series__isnull=False) | Q(season__isnull=False)
    ).select_related("series", "season__series")


def watch_links_for(series: Series, year: int) -> WatchInfo:
    """Where to watch `series` in `year`: what event and session pages show (one query)."""
    # query: the series' own links and its seasons' links
    links = list(_series_links().filter(Q(series=series) | Q(season__series=series)))
    return links_for_year(series, links, year)


@dataclass
class WatchPage:
    series: list[WatchInfo]
    events: list[tuple[object, list[MediaLink]]]

    @property
    def tiers(self) -> list[tuple[str, list[WatchInfo]]]:
        by_tier: dict[int, list[WatchInfo]] = defaultdict(list)
        for info in self.series:
            by_tier[info.series.tier].append(info)
        return [(Tier(tier).label, infos) for tier, infos in sorted(by_tier.items())]

    @property
    def with_nothing(self) -> list[Series]:
        return [info.series for info in self.series if info.empty]


def watch() -> WatchPage:
    """Every series with its latest known links and the year they are from, and the links that
    belong to one event or session."""
    # query: the real series, top of the pyramid first
    series_list = list(Series.objects.all().order_by("tier", "name"))
    # query: every link with the series, season, event or session it belongs to
    links = list(
        MediaLink.objects.select_related("series", "season__series", "event", "session__event")
    )
    by_series: dict[int, list[MediaLink]] = defaultdict(list)
    by_event: dict[int, list[MediaLink]] = defaultdict(list)
    events: dict[int, Event] = {}
    for link in links:
        if link.series_id:
            by_series[link.series_id].append(link)
        elif link.season is not None:
            by_series[link.season.series_id].append(link)
        else:
            event = link.event if link.event is not None else _owning_session(link).event
            events[event.pk] = event
            by_event[event.pk].append(link)
    return WatchPage(
        series=[links_for_year(s, by_series.get(s.pk, []), None) for s in series_list],
        events=[
            (events[pk], _sorted(event_links))
            for pk, event_links in sorted(by_event.items(), key=lambda i: events[i[0]].start_date)
        ],
    )


def _owning_session(link: MediaLink) -> Session:
    """The session a link belongs to when it belongs to no series, season or event (a link has
    exactly one owner: MediaLink.clean)."""
    assert link.session is not None
    return link.session


def event_links(links: list[MediaLink], year: int) -> list[MediaLink]:
    """An event's links: its own and its sessions', and of each series it hosts only those for
    the event's year (or the latest earlier ones) and the lasting ones, never every year's."""
    own = [link for link in links if link.event_id or link.session_id]
    by_series: dict[int, list[MediaLink]] = defaultdict(list)
    series: dict[int, Series] = {}
    for link in links:
        owner = link.series or (link.season.series if link.season is not None else None)
        if owner is not None:
            series[owner.pk] = owner
            by_series[owner.pk].append(link)
    for pk, series_links in by_series.items():
        info = links_for_year(series[pk], series_links, year)
        own += info.links + info.lasting
    return own
