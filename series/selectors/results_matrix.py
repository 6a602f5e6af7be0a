"""The results matrix of a season: one row per driver, one cell per race, coloured by what the
standings engine paid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F

from pcc.prepared import Prepared

from ..models import (
    SCORING_KINDS,
    Entry,
    Result,
    ResultStatus,
    Season,
    Session,
    SessionStatus,
)
from .seasons import get_season
from .standings import StandingsTable, get_standings


@dataclass(frozen=True)
class MatrixColumn:
    """One race of the season: what its header cell prints and links."""

    session_pk: int
    round_number: int
    event_slug: str
    event_name: str
    session_slug: str
    session_name: str
    provisional: bool
    label: str


@dataclass
class MatrixCell:
    code: str  # "1", "Ret", "DNS", ...: the text that makes the cell readable without colour
    css: str  # res-win, res-second, res-third, res-points, res-finish, res-ret, res-dns, res-dsq...
    title: str
    pole: bool = False
    fastest_lap: bool = False
    # What the template branches on, once: "plain", "marked" (pole or fastest lap) or "unknown".
    kind: str = "plain"

    def __post_init__(self) -> None:
        if self.css == "res-unknown":
            self.kind = "unknown"
        elif self.pole or self.fastest_lap:
            self.kind = "marked"

    @property
    def values(self) -> CellValues:
        return (self.kind, self.css, self.title, self.code, self.pole, self.fastest_lap)


# A cell as the template unpacks it (no attribute lookups in the page's largest loop): kind
# ("empty" where the driver took no part), css, title, code, pole, fastest lap.
CellValues = tuple[str, str, str, str, bool, bool]
EMPTY_CELL: CellValues = ("empty", "", "", "", False, False)


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
    cell_values: list[CellValues] = field(default_factory=list)  # the cells, as printed

    def __post_init__(self) -> None:
        self.cell_values = [EMPTY_CELL if cell is None else cell.values for cell in self.cells]


@dataclass
class ResultsMatrix:
    season: Season
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
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


# A result as the matrix reads it: entry id, position, status, pole, fastest lap.
ResultValues = tuple[int, int | None, str, bool, bool]


def _session_cells(
    results: list[ResultValues], place_points: dict[int, int]
) -> dict[int, MatrixCell]:
    """Cells of one session by entry id. A classified car is "points" green only when its place
    earned points in the standings engine (`place_points` by entry id, pass-down applied): the
    engine is the one judge, so a 19th place in a partial table is never green by accident."""
    cells = {}
    for entry_id, position, status, pole, fastest_lap in results:
        if position is not None:
            if position == 1:
                css, title = "res-win", "Winner"
            elif position == 2:
                css, title = "res-second", "Second"
            elif position == 3:
                css, title = "res-third", "Third"
            elif place_points.get(entry_id, 0) > 0:
                css, title = "res-points", f"{ordinal(position)}, points"
            else:
                css, title = "res-finish", f"{ordinal(position)}, no points"
            code = str(position)
            if status == ResultStatus.RETIRED:
                # The published tables' dagger: classified, though the car retired.
                code += "†"
                title += " (retired, classified)"
        else:
            code, css, title = STATUS_CELLS.get(status, ("NC", "res-finish", "Not classified"))
        cells[entry_id] = MatrixCell(
            code=code, css=css, title=title, pole=pole, fastest_lap=fastest_lap
        )
    return cells


# The matrix's queries, prepared (pcc/prepared.py): by the season's id.
_COLUMNS = Prepared(
    lambda season_id: (
        Session.objects.scoring()
        .filter(round__season_id=season_id)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("round__number", "date", "starts_at", "name")
        .values_list(
            "pk",
            "round__number",
            "round__event__slug",
            "round__event__name",
            "slug",
            "name",
            "status",
        )
    )
)
_ENTRIES = Prepared(
    lambda season_id: (
        Entry.objects.filter(season_id=season_id)
        # The entries' own order within one season (their default one joins season and series).
        .order_by("car_number", F("from_round").asc(nulls_first=True), "driver__sort_name")
        .values_list(
            "pk",
            "driver__slug",
            "driver__name",
            "driver__nationality",
            "driver__sort_name",
            "car_number",
            "season_class__name",
            "guest",
        )
    )
)
# The results of the columns' sessions (the season's scoring sessions not cancelled), by a join
# rather than a list of their ids, whose length would change the query.
_RESULTS = Prepared(
    lambda season_id: (
        Result.objects.filter(
            session__round__season_id=season_id,
            session__kind__in=SCORING_KINDS,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .order_by()
        .values_list("session_id", "entry_id", "position", "status", "pole", "fastest_lap")
    )
)


def _columns(season: Season) -> list[MatrixColumn]:
    """One query: the season's races and sprints not cancelled, by round, then day and start, with
    what their header needs of the round and event (plain values: no model instances)."""
    sessions = list(_COLUMNS(season.pk))
    per_round: dict[int, int] = defaultdict(int)
    for _pk, number, *_rest in sessions:
        per_round[number] += 1
    columns = []
    index = 0
    for position, (pk, number, event_slug, event_name, slug, name, status) in enumerate(sessions):
        several = per_round[number] > 1
        index = index + 1 if position and sessions[position - 1][1] == number else 1
        columns.append(
            MatrixColumn(
                session_pk=pk,
                round_number=number,
                event_slug=event_slug,
                event_name=event_name,
                session_slug=slug,
                session_name=name,
                provisional=status == SessionStatus.PROVISIONAL,
                label=f"R{number}" + (f".{index}" if several else ""),
            )
        )
    return columns


def results_matrix(series_slug: str, year: int) -> ResultsMatrix:
    season = get_season(series_slug, year, with_state=True)  # 1
    columns = _columns(season)  # 2: the races, with their round and event
    # 3: the entries, with what a row shows of the driver and class.
    entries = list(_ENTRIES(season.pk))
    # 4: every result of the season's races.
    by_session: dict[int, list[ResultValues]] = defaultdict(list)
    for session_id, *result in _RESULTS(season.pk) if columns else ():
        by_session[session_id].append(tuple(result))  # type: ignore[arg-type]
    has_results = any(by_session.values())
    table = get_standings(season) if has_results else None  # 5: the stored table
    # What each car's place earned, from the engine's table (one judge of "scored").
    earned: dict[tuple[str, int, str], int] = {}
    for standing in table.rows if table is not None else ():
        for item in standing.rounds:
            for slug, paid in zip(item.sessions, item.place_points, strict=False):
                earned[standing.key, item.round, slug] = paid
    slug_of = {entry[0]: entry[1] for entry in entries}
    cells_by_session = {
        column.session_pk: _session_cells(
            by_session[column.session_pk],
            {
                result[0]: earned.get(
                    (slug_of.get(result[0], ""), column.round_number, column.session_slug), 0
                )
                for result in by_session[column.session_pk]
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
    raced = {result[0] for results in by_session.values() for result in results}
    keyed_rows: list[tuple[tuple[int, str], MatrixRow]] = []
    for pk, slug, name, nationality, sort_name, car_number, class_name, guest in entries:
        if pk not in raced:
            continue
        index, position = order.get(slug, (len(order), None))
        unknown_rounds = unknown.get(slug, ())
        row = MatrixRow(
            position=position,
            driver_name=name,
            driver_slug=slug,
            nationality=nationality,
            car_number=car_number,
            class_name=class_name or "",
            guest=guest,
            points=points.get(slug),
            cells=[
                cells_by_session[column.session_pk].get(pk)
                or (UNKNOWN_CELL if column.round_number in unknown_rounds else None)
                for column in columns
            ],
            complete=not unknown_rounds,
        )
        keyed_rows.append(((index, sort_name), row))
    keyed_rows.sort(key=lambda keyed: keyed[0])
    rows = [row for _, row in keyed_rows]
    return ResultsMatrix(
        season=season,
        columns=columns,
        rows=rows,
        has_results=has_results,
        table=table,
    )
