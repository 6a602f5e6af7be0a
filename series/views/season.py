"""Series and season pages: series, season, standings, results matrix."""

import datetime as dt
from dataclasses import dataclass, field, replace

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from pcc.cache import page_cache
from pcc.prepared import Prepared

from ..charts import progression_svg
from ..filters import StandingsFilters
from ..models import ClassificationRevision, Round, Season
from ..models.season import FIRST_SEASON_YEAR, LAST_SEASON_YEAR
from ..selectors.cache import site_version
from ..selectors.results_matrix import results_matrix
from ..selectors.revisions import amended_rounds, standings_as_of
from ..selectors.seasons import get_season, season_page, season_record
from ..selectors.series_page import series_page
from ..selectors.standings import StandingsTable, get_standings
from ..standings import RoundPoints, StandingRow
from ..templatetags.pcc_tags import points
from .coverage import season_not_on_record
from .rendering import render_page

# Season.year is constrained to this range; anything else cannot exist, and a huge number would
# overflow the database's integer before the lookup could say "not found".
YEARS = range(FIRST_SEASON_YEAR, LAST_SEASON_YEAR + 1)


def _check_year(year: int) -> None:
    if year not in YEARS:
        raise Http404("No such season.")


@page_cache()
@require_safe
def series_detail(request: HttpRequest, series: str) -> HttpResponse:
    page = series_page(series, timezone.localdate())
    return render_page(request, "series/series_detail.html", {"page": page, "series": page.series})


@page_cache()
@require_safe
def season_detail(request: HttpRequest, series: str, year: int) -> HttpResponse:
    _check_year(year)
    try:
        page = season_page(series, year, timezone.localdate())
    except Http404:
        # A year with a champion but no season entered still has a page saying what is held.
        return season_not_on_record(request, series, year)
    context = {"page": page, "season": page.season, "amended_rounds": amended_rounds(page.season)}
    return render_page(request, "series/season_detail.html", context)


@dataclass
class StandingCell:
    """A round's cell of a standings row, as the table prints it: `kind` is "unknown" (the
    result may exist but is not on record: "?", never 0), "absent" (no such round for the row, or
    not taken part in), "dropped" or "scored"; `text` its points, formatted once here."""

    kind: str
    text: str = ""


UNKNOWN_CELL = StandingCell(kind="unknown")
ABSENT_CELL = StandingCell(kind="absent")


@dataclass
class StandingLine:
    row: StandingRow
    cells: list[StandingCell]
    class_name: str
    published: object = None  # the published table's points for this row, where held
    # The row's figures as printed (the `points` filter's format, applied once here).
    points_text: str = ""
    gap_text: str = ""
    published_text: str = ""
    # The cells as the template unpacks them: (kind, text), no attribute lookup per cell.
    cell_values: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cell_values = [(cell.kind, cell.text) for cell in self.cells]

    @property
    def values(self) -> tuple:
        """The line as the standings table unpacks it (no attribute lookups per row)."""
        row = self.row
        return (
            row.position,
            row.complete,
            row.key,
            row.name,
            row.nationality,
            row.excluded,
            self.guest,
            self.class_name,
            row.points_unknown,
            self.points_text,
            self.published,
            self.published_text,
            row.gap,
            self.gap_text,
            row.wins,
            row.podiums,
            self.cell_values,
        )

    @property
    def guest(self) -> bool:
        return not self.row.eligible and not self.row.excluded


def _cell(item: RoundPoints, took_part: bool) -> StandingCell:
    if item.points is None:
        return UNKNOWN_CELL
    if not took_part:
        return ABSENT_CELL
    return StandingCell(kind="dropped" if item.dropped else "scored", text=points(item.points))


def _lines(table: StandingsTable, published: dict | None = None) -> list[StandingLine]:
    published = published or {}
    class_names = dict(table.classes)
    teams = table.table == "teams"
    lines = []
    for row in table.rows:
        by_round = {item.round: item for item in row.rounds}
        cells = []
        for number in table.round_numbers:
            item = by_round.get(number)
            if item is None:
                cells.append(ABSENT_CELL)
            else:
                # A driver's status is set only where the row has a result; a team row has points
                # only, so a team "took part" in every round raced (0 is then its score).
                if teams:
                    took_part = number in table.raced_rounds
                else:
                    took_part = any(item.statuses) or bool(item.points)
                cells.append(_cell(item, took_part))
        figure = published.get(row.key, published.get(row.name))
        lines.append(
            StandingLine(
                row=row,
                cells=cells,
                class_name=class_names.get(row.class_slug or "", ""),
                published=figure,
                points_text=points(row.points),
                gap_text=points(row.gap) if row.gap is not None else "",
                published_text=points(figure) if figure is not None else "",
            )
        )
    return lines


def _amendment(season: Season, filters: StandingsFilters) -> ClassificationRevision | None:
    """The revision named by ?before=, if it is a change to one of this season's sessions."""
    number = filters.value("before")
    if number is None:
        return None
    revision = (
        ClassificationRevision.objects.filter(pk=number, session__round__season=season)
        .select_related("session__event")
        .first()
    )
    if revision is None:
        filters.reject(["before"], f"There is no change “{number}” to this season’s results")
    return revision


def _asked_table(season: Season, filters: StandingsFilters, version: int) -> StandingsTable:
    """The table the filters ask for, read once (the season's overall table gave their choices)."""
    table_name = filters.value("table") or "drivers"
    class_slug = filters.value("class")
    after_round = filters.value("after")
    try:
        return get_standings(
            season, table_name, class_slug=class_slug, after_round=after_round, version=version
        )
    except ValueError as error:
        # A combination the season cannot show (its stored tables say why).
        filters.reject(["table", "class", "after"], str(error).rstrip("."))
        return get_standings(season, version=version)


def _as_before(
    season: Season, table: StandingsTable, before: ClassificationRevision
) -> StandingsTable:
    """?before=<revision>: the table as it stood just before an amendment (the change log links
    it)."""
    return replace(
        table,
        rows=standings_as_of(
            season,
            before.created_at - dt.timedelta(microseconds=1),
            table=table.table,
            class_slug=table.class_slug,
            after_round=table.after_round,
        ),
    )


def _chart(season: Season, table: StandingsTable) -> tuple[str, list[StandingRow]]:
    """The progression chart: the ranked rows, then the incomplete eligible ones (drawn up to
    their first unknown round); it stops at the last round raced, as rounds to come would draw
    flat lines. No chart where no points are known (no scale on record): a line at 0 reads as 0."""
    charted = [row for row in table.rows if row.position is not None] + [
        row for row in table.rows if not row.complete and row.eligible
    ]
    raced = table.last_round
    chart_rounds = [number for number in table.round_numbers if raced and number <= raced]
    drawn = table.has_results and any(not row.points_unknown for row in charted)
    title = f"{season.title}: points by round"
    return (progression_svg(charted, chart_rounds, title=title) if drawn else ""), charted


def _heading(table: StandingsTable) -> str:
    title_bits = ["Teams’ standings" if table.table == "teams" else "Drivers’ standings"]
    if table.class_slug:
        title_bits.append(dict(table.classes).get(table.class_slug, table.class_slug) + " class")
    return " · ".join(title_bits)


# The rounds' numbers and event names, prepared (pcc/prepared.py).
_ROUND_NAMES = Prepared(
    lambda season_id: (
        Round.objects.filter(season_id=season_id)
        .order_by("number")
        .values_list("number", "event__name")
    )
)


@page_cache(StandingsFilters)
@require_safe
def season_standings(request: HttpRequest, series: str, year: int) -> HttpResponse:
    _check_year(year)
    season = get_season(series, year, with_state=True)  # 1: the season, its series, rules, state
    # 2: the rounds' event names, in the "after round" choice and above each column.
    rounds = list(_ROUND_NAMES(season.pk))
    version = site_version()  # 3: once, for every cached read below
    overall = get_standings(season, version=version)  # 4: the stored overall table
    filters = StandingsFilters(
        request.GET,
        {"class": [slug for slug, _ in overall.classes], "after": overall.all_rounds},
    )
    asked = filters.value("table") or filters.value("class") or filters.value("after")
    table = _asked_table(season, filters, version) if asked else overall
    before = _amendment(season, filters)
    if before is not None:
        table = _as_before(season, table, before)
    chart, charted = _chart(season, table)
    # The season's titles and published table (official beats computed), cached per change.
    record = season_record(season, version=version)
    shows_published = table.table == "drivers" and not (table.class_slug or table.after_round)
    published = record.published if shows_published else {}
    round_names = dict(rounds)
    context = {
        "season": season,
        "state": season.state,
        "champions": record.champions,
        "has_published": bool(published),
        "table": table,
        "line_values": [line.values for line in _lines(table, published)],
        "rounds": rounds,
        # (number, event name or None) above each column of the table
        "columns": [(number, round_names.get(number)) for number in table.round_numbers],
        "chart": chart,
        "chart_rows": charted[:10],
        "heading": _heading(table),
        "tables": [("drivers", "Drivers"), ("teams", "Teams")],
        "amended_rounds": amended_rounds(season),
        "before": before,
    }
    return render_page(
        request,
        "series/season_standings.html",
        context,
        fragment="standings-table",
        filters=filters,
    )


@page_cache()
@require_safe
def season_results(request: HttpRequest, series: str, year: int) -> HttpResponse:
    _check_year(year)
    matrix = results_matrix(series, year)
    champions = season_record(matrix.season).champions
    context = {
        "matrix": matrix,
        "season": matrix.season,
        "state": matrix.season.state,
        "champions": champions,
        "amended_rounds": amended_rounds(matrix.season),
    }
    return render_page(request, "series/season_results.html", context)
