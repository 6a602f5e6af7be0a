"""The results matrix of a season: one row per driver, one cell per race, coloured by what the
standings engine paid."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch

from ..models import (
    Entry,
    Result,
    ResultStatus,
    Round,
    Season,
    Session,
    SessionStatus,
)
from .seasons import get_season
from .standings import StandingsTable, get_standings


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
