"""The coverage view: what the record holds per series and year (calendar, winners, full
results, champion), each held, partial or missing, computed from the rows themselves."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef

from ..models import (
    SCORING_KINDS,
    Champion,
    Result,
    Season,
    Series,
    Session,
    SessionStatus,
    TitleKind,
)

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

    @cached_property
    def summary(self) -> dict[str, tuple[int, int, int]]:
        """Years held, partial and missing for each part of the record (counted once: the
        summary table reads it nine times a row)."""
        counted = {what: Counter[str]() for what in ("calendar", "winners", "results", "champion")}
        for year in self.years:
            counted["calendar"][year.calendar.state] += 1
            counted["winners"][year.winners.state] += 1
            counted["results"][year.results.state] += 1
            counted["champion"][year.champion.state] += 1
        return {
            what: (states[HELD], states[PARTIAL], states[MISSING])
            for what, states in counted.items()
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
    for row in (
        Champion.objects.filter(series_id__in=ids)
        .only("series_id", "year", "kind", "class_name")
        .order_by("class_name")
    ):
        champions[(row.series_id, row.year)].append(row)
    years_on_record: dict[int, set[int]] = defaultdict(set)
    for series_id, year in [*counts, *champions]:
        years_on_record[series_id].add(year)
    result = []
    for item in series_list:
        years_held = years_on_record[item.pk]
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
