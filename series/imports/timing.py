"""Classifications as timing sheets and spreadsheets give them, turned into the results importer's
CSV (result_rows.py, RESULT_COLUMNS) line for line, so every error still names the editor's
own line.

Accepted: the importer's own CSV (passed through untouched); comma- or tab-separated text (a
spreadsheet's copy); column-aligned text (a PDF classification's copy), read by the header's column
starts. The header names the columns in any of their common spellings (Pos, No, Driver, Nat, Team,
Class, Laps, Time/Gap, Best lap ...); "DNF", "DNS", "DSQ", "NC" may stand in the position column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from .report import RowError
from .result_rows import RESULT_COLUMNS
from .values import parse_duration

# The csv module's own default; a longer field is a row error, never a crash.
CSV_FIELD_LIMIT = 131_072

# Header spellings, folded (lower case, no dots), to the importer's columns.
_HEADER_WORDS = {
    "position": {"pos", "position", "p", "pl", "place", "rank", "classification", "fin"},
    "number": {"no", "nr", "num", "number", "#", "car", "car no", "car number", "start no", "n"},
    "driver": {"driver", "drivers", "name", "driver name", "pilot", "fahrer", "pilote"},
    "nationality": {"nat", "nationality", "country", "nation"},
    "team": {"team", "entrant", "team name", "équipe", "equipe"},
    "class": {"class", "cls", "cat", "category", "klasse", "catégorie"},
    "laps": {"laps", "lap", "rounds", "runden", "tours"},
    "time": {"time", "total time", "race time", "total", "totaltime"},
    "gap": {"gap", "diff", "difference", "behind", "gap to first", "gap to leader"},
    "time_or_gap": {"time/gap", "gap/time", "time/retired", "time / gap", "time/diff", "result"},
    "best_lap": {"best lap", "best", "bestlap", "best time", "fastest lap time", "best lap time"},
    "status": {"status", "state"},
    "grid": {"grid", "start", "start pos", "grid pos"},
    "guest": {"guest"},
    "rookie": {"rookie"},
    "penalty": {"penalty", "penalties", "pen"},
    "round": {"round", "rd", "race no"},
    "session": {"session"},
    "pole": {"pole"},
    "fastest_lap": {"fastest_lap", "fastest lap", "fl"},
}
# Printed on timing sheets, not part of the record (points are computed from the season's rules).
_IGNORED_WORDS = {
    "pts",
    "points",
    "kph",
    "km/h",
    "mph",
    "avg",
    "avg speed",
    "in lap",
    "on lap",
    "lap no",
    "interval",
    "int",
    "gap to previous",
    "tyres",
    "car model",
    "vehicle",
}
_COLUMN_OF = {word: column for column, words in _HEADER_WORDS.items() for word in words}
_STATUS_IN_POSITION = {"dnf", "dns", "dsq", "dq", "nc", "ret", "dnq", "ex", "exc", "retired"}


def _fold(word: str) -> str:
    return re.sub(r"\s+", " ", word.replace(".", "").replace("_", " ")).strip().casefold()


def _column(word: str) -> str | None:
    folded = _fold(word)
    if folded in _COLUMN_OF:
        return _COLUMN_OF[folded]
    underscored = folded.replace(" ", "_")
    return underscored if underscored in RESULT_COLUMNS else None


def is_results_csv(first_line: str) -> bool:
    """The importer's own CSV: comma-separated, every column one of RESULT_COLUMNS."""
    cells = [cell.strip().lower() for cell in first_line.split(",")]
    return len(cells) > 1 and all(cell in RESULT_COLUMNS for cell in cells)


def _split_csv(lines: list[str], delimiter: str, errors: list[RowError]) -> list[list[str] | None]:
    """Each line's cells; None where the line is blank or has a fault (reported in errors)."""
    out: list[list[str] | None] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            out.append(None)
            continue
        if "\x00" in line:
            errors.append(RowError(number, "a NUL byte: this is not text"))
            out.append(None)
            continue
        try:
            cells = next(csv.reader([line], delimiter=delimiter))
        except csv.Error as exc:
            errors.append(RowError(number, f"cannot read the line: {exc}"))
            out.append(None)
            continue
        if any(len(cell) > CSV_FIELD_LIMIT for cell in cells):
            errors.append(RowError(number, f"a field is longer than {CSV_FIELD_LIMIT} characters"))
            out.append(None)
            continue
        out.append(cells)
    return out


_TOKEN = re.compile(r"\S+(?: \S+)*")  # words joined by single spaces: two or more spaces part cells


def _split_aligned(lines: list[str], errors: list[RowError]) -> list[list[str] | None]:
    """Cells by the header's column starts: each run of text (words joined by single spaces) goes
    to the column whose start is at or left of it, so an empty cell (a DNS car's time) leaves its
    column blank instead of shifting the rest."""
    header = lines[0]
    starts = [match.start() for match in _TOKEN.finditer(header)]
    out: list[list[str] | None] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            out.append(None)
            continue
        if "\x00" in line:
            errors.append(RowError(number, "a NUL byte: this is not text"))
            out.append(None)
            continue
        line = line.replace("\t", " ")
        cells = [""] * len(starts)
        for match in _TOKEN.finditer(line):
            # A cell may start a little left of its heading (right-aligned numbers): allow 2.
            index = max(
                (i for i, start in enumerate(starts) if start <= match.start() + 2), default=0
            )
            cells[index] = f"{cells[index]} {match.group()}".strip()
        out.append(cells)
    return out


def _is_results_header(word: str) -> bool:
    return bool(_column(word)) or _fold(word) in _IGNORED_WORDS


def _split(
    text: str,
    errors: list[RowError],
    is_header: Callable[[str], bool] = _is_results_header,
) -> list[list[str] | None]:
    """Every line's cells (None for a blank line or a line before the header), line numbers kept.
    The header is the first line, among the first twenty, naming at least two known columns: a
    PDF's copy often starts with a title ("Provisional classification - Race 2")."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    lead = next((i for i, line in enumerate(lines) if line.strip()), 0)
    for i, line in enumerate(lines[:20]):
        words = re.split(r"\t|,|\s{2,}", line.strip())
        if sum(1 for word in words if word and is_header(word)) >= 2:
            lead = i
            break
    first = lines[lead] if lines else ""
    body = lines[lead:]
    if "\t" in first:
        rows = _split_csv(body, "\t", errors)
    elif len(next(csv.reader([first]), [])) > 1 and "," in first:
        rows = _split_csv(body, ",", errors)
    else:
        rows = _split_aligned(body, errors)
    if lead:
        for error in errors:
            error.row += lead
    return [None] * lead + rows


def _time_or_gap(value: str) -> tuple[str, str]:
    """A Time/Gap cell: the winner's race time, the others' gap ("+1.234", "+1 lap")."""
    value = value.strip()
    if not value or value.startswith("+") or "lap" in value.lower():
        return "", value
    try:
        parse_duration(value)
    except ValueError:
        return "", value
    return value, ""


def to_results_csv(text: str) -> tuple[str, list[RowError]]:
    """The importer's CSV for a pasted or uploaded classification, one output line per input line
    (blank lines stay blank), and the faults found while reading it. The importer's own CSV is
    returned as it is."""
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first or is_results_csv(first):
        return text, []
    errors: list[RowError] = []
    rows = _split(text, errors)
    header_index = next((i for i, row in enumerate(rows) if row), None)
    if header_index is None:
        return text, errors
    header = rows[header_index]
    assert header is not None  # the first row that is not blank
    columns: list[str | None] = []
    unknown = []
    for word in header:
        column = _column(word)
        if column is None and _fold(word) not in _IGNORED_WORDS and word.strip():
            unknown.append(word.strip())
        columns.append(column)
    line = header_index + 1
    if unknown:
        known = "Pos, No, Driver, Nat, Team, Class, Laps, Time, Gap, Time/Gap, Best lap, Grid"
        errors.append(
            RowError(line, f"unknown column(s) {', '.join(map(repr, unknown))} (columns: {known})")
        )
    named = [column for column in columns if column]
    twice = sorted({column for column in named if named.count(column) > 1})
    if twice:
        errors.append(RowError(line, f"column(s) given twice: {', '.join(twice)}"))
    if "position" not in named and "status" not in named:
        errors.append(RowError(line, "missing column: Pos (the position or DNF, DNS, DSQ, NC)"))
    if "driver" not in named and "number" not in named:
        errors.append(RowError(line, "missing column: No or Driver (which car this is)"))
    if errors and any(error.row == line for error in errors):
        return "", errors

    out_columns = [
        c for c in RESULT_COLUMNS if c in named or (c == "status" and "position" in named)
    ]
    if "time_or_gap" in named or "time" in named:
        out_columns += [c for c in ("time", "gap") if c not in out_columns]
    out_columns = [c for c in out_columns if c != "time_or_gap"]
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    for index, row in enumerate(rows):
        if index < header_index or row is None:
            output.write("\n")
            continue
        if index == header_index:
            writer.writerow(out_columns)
            continue
        values: dict[str, str] = {}
        for column, cell in zip(columns, row, strict=False):
            if column is None:
                continue
            if column in ("time", "time_or_gap"):
                time, gap = _time_or_gap(cell)
                values["time"], values["gap"] = values.get("time") or time, values.get("gap") or gap
            else:
                values[column] = cell.strip()
        if len(row) > len(columns) and any(cell.strip() for cell in row[len(columns) :]):
            errors.append(
                RowError(index + 1, f"{len(row)} fields where the header has {len(columns)}")
            )
        position = values.get("position", "").rstrip(".").strip()
        if position.lower().replace(".", "") in _STATUS_IN_POSITION:
            values.setdefault("status", "")
            values["status"] = values["status"] or position
            position = ""
        values["position"] = position
        writer.writerow([values.get(column, "") for column in out_columns])
    return output.getvalue(), errors
