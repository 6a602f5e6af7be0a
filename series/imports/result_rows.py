"""Reading and checking a results CSV (or a timing-sheet paste turned into one): the header, each
row's cells, the session and class it names, and the clashes across a session's rows. Writes
nothing: drivers and teams not yet in the database come back as planned names (names.NewName)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.text import slugify

from ..models import (
    CLASSIFIABLE_STATUSES,
    Driver,
    Entry,
    Result,
    ResultStatus,
    Season,
    SeasonClass,
    Session,
    SessionKind,
    Team,
)
from .cars import EntryList, which_car
from .names import NameBook, NewName
from .report import RowError
from .values import parse_bool, parse_duration, parse_status, parse_whole

_T = TypeVar("_T")

RESULT_COLUMNS = (
    "round",
    "session",
    "position",
    "status",
    "number",
    "driver",
    "nationality",
    "team",
    "class",
    "guest",
    "laps",
    "time",
    "gap",
    "best_lap",
    "grid",
    "pole",
    "fastest_lap",
    # Beyond the published list: the entry's rookie flag and a steward's penalty, as printed.
    "rookie",
    "penalty",
)

# One import at most: a season of 16 rounds x 3 sessions x 60 cars is under 3,000 rows. Beyond it
# the file is refused whole, before any row is read (a hostile upload must not tie up a worker).
MAX_RESULT_ROWS = 5_000
MAX_RESULT_BYTES = 2 * 1024 * 1024


@dataclass
class ResultRow:
    line: int
    session: Session
    driver: Driver | NewName[Driver]
    team: Team | NewName[Team] | None
    season_class: SeasonClass | None
    number: int | None
    guest: bool | None
    rookie: bool | None
    position: int | None
    status: str
    values: dict[str, Any]
    # Matched by car number on the season's entry list: the entry is used as it is.
    entry: Entry | None = None


def _name_key(obj: Driver | Team | NewName[Driver] | NewName[Team]) -> tuple[str, int | None]:
    """Tells drivers (or teams) apart before the new ones have a primary key."""
    return ("new", id(obj)) if isinstance(obj, NewName) else ("pk", obj.pk)


def _split_rows(text: str, errors: list[RowError]) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each row after the header; a line the csv module cannot read (a
    field over its limit) or one holding a NUL byte is a row error, and reading goes on."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(RowError(reader.line_num, f"cannot read the line: {exc}"))
            continue
        if any("\x00" in cell for cell in raw):
            errors.append(RowError(reader.line_num, "a NUL byte: this is not text"))
            continue
        yield reader.line_num, raw


_MAX_LENGTHS = {
    "driver": Driver._meta.get_field("name").max_length,
    "team": Team._meta.get_field("name").max_length,
    "nationality": Driver._meta.get_field("nationality").max_length,
    "gap": Result._meta.get_field("gap").max_length,
    "penalty": Result._meta.get_field("penalty").max_length,
}


def read_result_rows(
    season: Season,
    csv_text: str,
    drivers: NameBook[Driver],
    teams: NameBook[Team],
    errors: list[RowError],
) -> tuple[list[ResultRow], list[tuple[Driver, str]]]:
    """The rows, checked, and the nationalities to fill in on drivers; writes nothing (drivers
    and teams not yet in the database come back as NewName, written by the import)."""
    lines = _split_rows(csv_text, errors)
    header_line, header = _read_result_header(lines, errors)
    if errors:
        return [], []
    body = list(lines)
    if len(body) > MAX_RESULT_ROWS:
        errors.append(
            RowError(
                0,
                f"{len(body):,} rows: the limit is {MAX_RESULT_ROWS:,} rows per import "
                "(split the file by rounds)",
            )
        )
        return [], []

    season_facts = _SeasonFacts(season, drivers, teams)
    rows: list[ResultRow] = []
    nationalities: list[tuple[Driver, str]] = []
    line = header_line
    for line, raw in body:
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            errors.append(RowError(line, f"{len(raw)} fields where the header has {len(header)}"))
            continue
        cells = _Cells({column: value.strip() for column, value in zip(header, raw, strict=True)})
        too_long = cells.too_long()
        if too_long:
            errors.extend(RowError(line, message) for message in too_long)
            continue
        row = _read_result_row(line, cells, season_facts)
        if cells.errors:
            errors.extend(RowError(line, message) for message in cells.errors)
            continue
        assert row is not None  # a row without errors is always read
        nationality = cells.get("nationality")
        driver = row.driver
        if nationality:
            if isinstance(driver, NewName):
                driver.extra.setdefault("nationality", nationality)
            elif not driver.nationality:
                nationalities.append((driver, nationality))
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(line, "no results in the file"))
    return rows, list({id(driver): (driver, nat) for driver, nat in nationalities}.values())


def _read_result_header(
    lines: Iterator[tuple[int, list[str]]], errors: list[RowError]
) -> tuple[int, list[str]]:
    """The header's line and its columns (lower case), every fault of it added to `errors`.
    Blank lines above the header stand for a pasted timing sheet's title: they are skipped."""
    first = next((item for item in lines if any(cell.strip() for cell in item[1])), None)
    if first is None:
        if not errors:
            errors.append(RowError(1, "the file is empty (the first line names the columns)"))
        return 1, []
    header_line, header_row = first
    header = [column.strip().lower() for column in header_row]
    unknown = [column for column in header if column not in RESULT_COLUMNS]
    if unknown:
        errors.append(
            RowError(
                header_line,
                f"unknown column(s) {', '.join(map(repr, unknown))} "
                f"(columns: {', '.join(RESULT_COLUMNS)})",
            )
        )
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if duplicated:
        errors.append(RowError(header_line, f"column(s) given twice: {', '.join(duplicated)}"))
    missing = [column for column in ("round",) if column not in header]
    if "driver" not in header and "number" not in header:
        missing.append("driver or number")
    if "position" not in header and "status" not in header:
        missing.append("position or status")
    if missing:
        errors.append(RowError(header_line, f"missing column(s): {', '.join(missing)}"))
    return header_line, header


class _Cells:
    """One row's cells by column, and the faults found while reading them."""

    def __init__(self, cells: dict[str, str]):
        self.cells = cells
        self.errors: list[str] = []

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def too_long(self) -> list[str]:
        return [
            f"{column}: {len(self.get(column))} characters, longer than the {limit} it may have"
            for column, limit in _MAX_LENGTHS.items()
            if limit is not None and len(self.get(column)) > limit
        ]

    def value_of(self, column: str, parse: Callable[[str], _T]) -> _T | None:
        """The parsed cell; a cell that does not parse is a fault of the row (and None)."""
        try:
            return parse(self.get(column))
        except ValueError as exc:
            self.errors.append(f"{column}: {exc}")
            return None


class _SeasonFacts:
    """What every row of a season's results is checked against, loaded once (a few queries)."""

    def __init__(self, season: Season, drivers: NameBook[Driver], teams: NameBook[Team]):
        self.rounds = {r.number: r for r in season.rounds.all()}
        self.sessions_by_round: dict[int, list[Session]] = defaultdict(list)
        for session in Session.objects.filter(round__season=season).select_related("round"):
            assert session.round is not None  # filtered by the round's season
            self.sessions_by_round[session.round.number].append(session)
        self.classes: dict[str, SeasonClass] = {}
        for season_class in season.classes.all():
            self.classes[season_class.slug] = season_class
            self.classes[season_class.name.lower()] = season_class
        self.entry_list = EntryList(season)
        self.drivers = drivers
        self.teams = teams


def _read_result_row(line: int, cells: _Cells, facts: _SeasonFacts) -> ResultRow | None:
    """One row, checked; None (with the faults in `cells.errors`) when it cannot be imported."""
    round_number = cells.value_of("round", lambda raw: parse_whole(raw, minimum=1))
    session = _row_session(round_number, cells, facts)
    position, status = _row_position_and_status(cells)
    number = cells.value_of("number", parse_whole)
    driver, entry = which_car(
        cells.get("driver"),
        number,
        round_number if session is not None else None,
        facts.entry_list,
        facts.drivers,
        cells.get("nationality"),
        cells.errors,
    )
    team_name = cells.get("team")
    team = facts.teams.resolve(team_name, cells.errors) if team_name else None
    season_class = _row_class(cells, number, entry, facts)
    values = {
        "laps": cells.value_of("laps", parse_whole),
        "race_time": cells.value_of("time", parse_duration),
        "gap": cells.get("gap"),
        "best_lap": cells.value_of("best_lap", parse_duration),
        "grid": cells.value_of("grid", lambda raw: parse_whole(raw, minimum=1)),
        "pole": bool(cells.value_of("pole", parse_bool)),
        "fastest_lap": bool(cells.value_of("fastest_lap", parse_bool)),
        "penalty": cells.get("penalty"),
    }
    guest = cells.value_of("guest", parse_bool)
    rookie = cells.value_of("rookie", parse_bool)
    if cells.errors or session is None or status is None or driver is None:
        return None
    return ResultRow(
        line=line,
        session=session,
        driver=driver,
        team=team,
        season_class=season_class,
        number=number if number is not None or entry is None else entry.car_number,
        guest=guest,
        rookie=rookie,
        position=position,
        status=status,
        values=values,
        entry=entry,
    )


def _row_session(round_number: int | None, cells: _Cells, facts: _SeasonFacts) -> Session | None:
    """The session a row's round (and session column) names."""
    if cells.get("round") == "":
        cells.errors.append("round: missing")
    elif round_number is not None and round_number not in facts.rounds:
        cells.errors.append(
            f"round: unknown round {round_number} "
            f"(this season has {_describe_numbers(sorted(facts.rounds))})"
        )
    elif round_number is not None:
        return _find_session(
            round_number, cells.get("session"), facts.sessions_by_round, cells.errors
        )
    return None


def _row_position_and_status(cells: _Cells) -> tuple[int | None, str | None]:
    """A row's classified position (a dagger marks a retired but classified car) and status."""
    retired_but_classified = cells.get("position").endswith("†")
    position = cells.value_of(
        "position", lambda raw: parse_whole(raw.rstrip("†").strip(), minimum=1)
    )
    status: str | None = cells.value_of("status", parse_status)
    if status is None and retired_but_classified:
        status = ResultStatus.RETIRED
    if status is None and position is None and not cells.errors:
        cells.errors.append("give a position or a status (Ret, DNS, DSQ...)")
    elif status is None:
        status = ResultStatus.FINISHED
    if position is not None and status not in CLASSIFIABLE_STATUSES:
        cells.errors.append(
            f"position {position} given with status {cells.cells.get('status')!r}: only a "
            "finished or retired car is classified"
        )
    if position is None and status == ResultStatus.FINISHED and cells.get("status"):
        cells.errors.append("a finished car needs its position")
    return position, status


def _row_class(
    cells: _Cells, number: int | None, entry: Entry | None, facts: _SeasonFacts
) -> SeasonClass | None:
    """The class a row names, checked against the car's entry."""
    class_name = cells.get("class")
    if not class_name:
        return None
    classes = facts.classes
    season_class = classes.get(class_name.lower()) or classes.get(slugify(class_name))
    if season_class is None:
        known = ", ".join(sorted({c.name for c in classes.values()})) or "none"
        cells.errors.append(f"class: unknown class {class_name!r} (classes: {known})")
    elif entry is not None and entry.season_class_id not in (None, season_class.pk):
        cells.errors.append(
            f"class: car {number} is {entry.season_class} on the entry list, not "
            f"{season_class.name}"
        )
    return season_class


def _describe_numbers(numbers: list[int]) -> str:
    if not numbers:
        return "no rounds yet: import the season first"
    return f"rounds {numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else f"round {numbers[0]}"


def _find_session(
    round_number: int,
    value: str,
    sessions_by_round: dict[int, list[Session]],
    row_errors: list[str],
) -> Session | None:
    sessions = sessions_by_round.get(round_number, [])
    wanted = value.strip().lower() or SessionKind.RACE
    if wanted in SessionKind.values:
        matching = [s for s in sessions if s.kind == wanted]
        if len(matching) == 1:
            return matching[0]
        if matching:
            slugs = ", ".join(s.slug for s in matching)
            row_errors.append(
                f"session: round {round_number} has several {wanted} sessions ({slugs})"
            )
            return None
    else:
        matching = [s for s in sessions if s.slug == wanted]
        if matching:
            return matching[0]
    have = ", ".join(f"{s.kind} ({s.slug})" for s in sessions) or "none"
    row_errors.append(
        f"session: unknown session {value or wanted!r} in round {round_number} (has: {have})"
    )
    return None


def session_label(session: Session) -> str:
    assert session.round is not None  # an imported result's session belongs to a round
    return f"Round {session.round.number} {session.kind}"


def check_sessions_results(season: Season, rows: list[ResultRow], errors: list[RowError]) -> None:
    """Clashes across rows of one session: a position, car number or driver twice, and gaps in
    the classified positions (allowed only when the season's results are known to be partial)."""
    by_session: dict[int, list[ResultRow]] = defaultdict(list)
    for row in rows:
        by_session[row.session.pk].append(row)
    for session_rows in by_session.values():
        label = session_label(session_rows[0].session)
        for attribute, what in (("position", "position"), ("number", "car number")):
            seen: dict[int, int] = {}
            for row in session_rows:
                value = getattr(row, attribute)
                if value is None:
                    continue
                if value in seen:
                    errors.append(
                        RowError(
                            row.line,
                            f"{what} {value} is given twice in {label} (also line {seen[value]})",
                        )
                    )
                else:
                    seen[value] = row.line
        drivers: dict[tuple[str, int | None], int] = {}
        for row in session_rows:
            key = _name_key(row.driver)
            if key in drivers:
                errors.append(
                    RowError(
                        row.line,
                        f"{row.driver.name} is given twice in {label} (also line {drivers[key]})",
                    )
                )
            else:
                drivers[key] = row.line
        if season.results_partial:
            continue
        classified = sorted(
            (row.position, row.line) for row in session_rows if row.position is not None
        )
        for expected, (position, line) in enumerate(classified, start=1):
            if position > expected:
                errors.append(
                    RowError(
                        line,
                        f"classified positions in {label} skip from {expected - 1} to "
                        f"{position} (position {expected} is missing; only a season marked "
                        "results_partial may have gaps)",
                    )
                )
                break
