"""Series and season pages: series, season, standings, results matrix."""

import datetime as dt
from dataclasses import dataclass, replace

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from ..charts import progression_svg
from ..models import ClassificationRevision, Round
from ..models.season import FIRST_SEASON_YEAR, LAST_SEASON_YEAR
from ..selectors.cache import site_version
from ..selectors.results_matrix import results_matrix
from ..selectors.revisions import amended_rounds, standings_as_of
from ..selectors.seasons import get_season, season_page, season_record
from ..selectors.series_page import series_page
from ..selectors.standings import TABLES, StandingsTable, get_standings
from ..standings import StandingRow
from .coverage import season_not_on_record

# Season.year is constrained to this range; anything else cannot exist, and a huge number would
# overflow the database's integer before the lookup could say "not found".
YEARS = range(FIRST_SEASON_YEAR, LAST_SEASON_YEAR + 1)


def _check_year(year: int) -> None:
    if year not in YEARS:
        raise Http404("No such season.")


def render_page(
    request: HttpRequest, template: str, fragment: str, context: dict, status: int = 200
) -> HttpResponse:
    """The page, or only its fragment for an htmx swap. A history restore (the reader went Back
    and htmx had no copy) needs the whole page, since htmx swaps it in as the body."""
    htmx = request.htmx  # type: ignore[attr-defined]  # set by django-htmx's HtmxMiddleware
    if htmx and not htmx.history_restore_request:
        template += f"#{fragment}"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_safe
def series_detail(request: HttpRequest, series: str) -> HttpResponse:
    page = series_page(series, timezone.localdate())
    return render(request, "series/series_detail.html", {"page": page, "series": page.series})


@require_safe
def season_detail(request: HttpRequest, series: str, year: int) -> HttpResponse:
    _check_year(year)
    try:
        page = season_page(series, year, timezone.localdate())
    except Http404:
        # A year with a champion but no season entered still has a page saying what is held.
        return season_not_on_record(request, series, year)
    return render(
        request,
        "series/season_detail.html",
        {"page": page, "season": page.season, "amended_rounds": amended_rounds(page.season)},
    )


@dataclass
class StandingCell:
    points: object  # None: unknown (when `unknown`) or no such round for the row
    dropped: bool
    took_part: bool
    positions: tuple
    unknown: bool = False  # the result may exist but is not on record: "?", never 0


@dataclass
class StandingLine:
    row: StandingRow
    cells: list[StandingCell]
    class_name: str
    published: object = None  # the published table's points for this row, where held

    @property
    def guest(self) -> bool:
        return not self.row.eligible and not self.row.excluded


def _lines(table: StandingsTable, published: dict | None = None) -> list[StandingLine]:
    published = published or {}
    class_names = dict(table.classes)
    lines = []
    for row in table.rows:
        by_round = {item.round: item for item in row.rounds}
        cells = []
        for number in table.round_numbers:
            item = by_round.get(number)
            if item is None:
                cells.append(
                    StandingCell(points=None, dropped=False, took_part=False, positions=())
                )
            else:
                # A driver's status is set only where the row has a result; a team row has points
                # only, so a team "took part" in every round raced (0 is then its score).
                if table.table == "teams":
                    took_part = number in table.raced_rounds
                else:
                    took_part = any(item.statuses) or bool(item.points)
                cells.append(
                    StandingCell(
                        points=item.points,
                        dropped=item.dropped,
                        took_part=took_part or item.points is None,
                        positions=tuple(p for p in item.positions if p is not None),
                        unknown=item.points is None,
                    )
                )
        lines.append(
            StandingLine(
                row=row,
                cells=cells,
                class_name=class_names.get(row.class_slug or "", ""),
                published=published.get(row.key, published.get(row.name)),
            )
        )
    return lines


def _amendment(request: HttpRequest, season, problems: list[str]):
    """The revision named by ?before=, if it is a change to one of this season's sessions."""
    raw = request.GET.get("before") or ""
    if not raw:
        return None
    revision = None
    if raw.isdigit() and len(raw) < 12:
        revision = (
            ClassificationRevision.objects.filter(pk=int(raw), session__round__season=season)
            .select_related("session__event")
            .first()
        )
    if revision is None:
        problems.append(f"There is no change “{raw}” to this season's results; showing them now.")
    return revision


@require_safe
def season_standings(request: HttpRequest, series: str, year: int) -> HttpResponse:
    _check_year(year)
    season = get_season(series, year, with_state=True)  # 1: the season, its series, rules, state
    # 2: the rounds, named in the "after round" choice and above each column.
    rounds = list(Round.objects.filter(season=season).select_related("event").order_by("number"))
    version = site_version()  # 3: once, so every cached table below costs no query
    overall = get_standings(season, version=version)  # the standings loader, cached per change

    # A malformed filter is ignored and said so, with status 400 so the address is honest.
    problems: list[str] = []
    table_name = request.GET.get("table") or "drivers"
    if table_name not in TABLES:
        problems.append(f"There is no “{table_name}” table; showing the drivers’ standings.")
        table_name = "drivers"
    class_slug = request.GET.get("class") or None
    if class_slug is not None and class_slug not in dict(overall.classes):
        problems.append(f"This season has no class “{class_slug}”; showing every class.")
        class_slug = None
    after_round = None
    after_raw = request.GET.get("after") or ""
    if after_raw:
        if after_raw.isdigit() and int(after_raw) in overall.all_rounds:
            after_round = int(after_raw)
        else:
            problems.append(f"There is no round “{after_raw}” this season; showing every round.")
    try:
        table = get_standings(
            season, table_name, class_slug=class_slug, after_round=after_round, version=version
        )
    except ValueError as error:
        problems.append(f"{error} Showing the drivers’ standings.")
        table = overall

    # ?before=<revision>: the table as it stood just before an amendment (the change log links it).
    before = _amendment(request, season, problems)
    if before is not None:
        table = replace(
            table,
            rows=standings_as_of(
                season,
                before.created_at - dt.timedelta(microseconds=1),
                table=table.table,
                class_slug=table.class_slug,
                after_round=table.after_round,
            ),
        )

    # The chart: the ranked rows, then the incomplete eligible ones (drawn up to their first
    # unknown round); it stops at the last round raced, as rounds to come would draw flat lines.
    charted = [row for row in table.rows if row.position is not None] + [
        row for row in table.rows if not row.complete and row.eligible
    ]
    raced = table.last_round
    chart_rounds = [number for number in table.round_numbers if raced and number <= raced]
    round_names = {round_.number: round_ for round_ in rounds}
    title_bits = ["Teams’ standings" if table.table == "teams" else "Drivers’ standings"]
    if table.class_slug:
        title_bits.append(dict(table.classes).get(table.class_slug, table.class_slug) + " class")
    # The season's titles and published table (official beats computed), cached per change.
    record = season_record(season, version=version)
    champions = record.champions
    published = (
        record.published
        if table.table == "drivers" and table.class_slug is None and table.after_round is None
        else {}
    )
    context = {
        "season": season,
        "state": season.state,
        "champions": champions,
        "has_published": bool(published),
        "table": table,
        "lines": _lines(table, published),
        "rounds": rounds,
        "round_names": round_names,
        "problems": problems,
        # No chart where no points are known (no scale on record): a line at 0 would read as 0.
        "chart": progression_svg(charted, chart_rounds, title=f"{season.title}: points by round")
        if table.has_results and any(not row.points_unknown for row in charted)
        else "",
        "chart_rows": charted[:10],
        "heading": " · ".join(title_bits),
        "tables": [("drivers", "Drivers"), ("teams", "Teams")],
        "amended_rounds": amended_rounds(season),
        "before": before,
    }
    return render_page(
        request,
        "series/season_standings.html",
        "standings-table",
        context,
        status=400 if problems else 200,
    )


@require_safe
def season_results(request: HttpRequest, series: str, year: int) -> HttpResponse:
    _check_year(year)
    matrix = results_matrix(series, year)
    champions = season_record(matrix.season).champions
    return render(
        request,
        "series/season_results.html",
        {
            "matrix": matrix,
            "season": matrix.season,
            "state": matrix.season.state,
            "champions": champions,
            "amended_rounds": amended_rounds(matrix.season),
        },
    )
