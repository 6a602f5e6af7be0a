"""The season file's format (TOML): the keys each table may have, the bounds a file must keep, the
line finder (tomllib gives values without positions) and the generic table and field checks the
season checker is built from."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from ..models import (
    SessionKind,
)

# A checked TOML table, as the writers read it (keys vary by table; values are checked types).
Plan = dict[str, Any]
# Reports a fault of the file at a line; a line's number for a key of the table being checked.
Fail = Callable[[int, str], None]
LineOf = Callable[[str], int]


SEASON_KEYS = {
    "series",
    "year",
    "name",
    "car",
    "car_generation",
    "classes",
    "results_partial",
    "results_note",
    "notes",
    "source",
    "description",
    "scoring",
    "rounds",
    "circuits",
    "events",
}
SCORING_KEYS = {
    "race",
    "sprint",
    "pole",
    "fastest_lap",
    "fastest_lap_top",
    "guests",
    "drop_worst",
    "undroppable_last",
    "team_cars",
    "class_scoring",
    "countback_kinds",
    "notes",
    "class",
}
CLASS_RULE_KEYS = {"drop_worst", "undroppable_last"}
ROUND_KEYS = {
    "number",
    "date",
    "date_precision",
    "event",
    "circuit",
    "multiplier",
    "name",
    "sessions",
    "description",
    "notes",
}
_CIRCUIT_KEYS = {"slug", "name", "place", "country", "time_zone", "length_km", "turns", "source"}
_EVENT_KEYS = {
    "slug",
    "name",
    "kind",
    "circuit",
    "start_date",
    "end_date",
    "date_precision",
    "dates_note",
    "supports",
    "description",
    "notes",
    "source",
}
# A season file is a few hundred lines; these bounds keep a hostile upload from costing more than
# a normal one (the admin reads the upload into memory before it gets here).
MAX_SEASON_FILE_CHARS = 1_000_000
MAX_TEXT_CHARS = 20_000  # a TextField's value (notes, sources): a long page, not a book
_MAX_TABLES = 500  # rounds, circuits or events in one file
SESSION_KEYS = {"kind", "starts_at", "duration_minutes", "name", "date"}
SESSION_NAMES = {
    SessionKind.PRACTICE: "Practice",
    SessionKind.QUALIFYING: "Qualifying",
    SessionKind.SPRINT: "Sprint",
    SessionKind.RACE: "Race",
    SessionKind.OTHER: "Session",
}


class TomlLines:
    """Finds the line of a key, since tomllib gives values without positions."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.headers = [
            number
            for number, line in enumerate(self.lines, start=1)
            if line.strip().startswith("[")
        ]
        self.round_starts = self.array_starts("rounds")
        self.circuit_starts = self.array_starts("circuits")
        self.event_starts = self.array_starts("events")
        self.scoring_start: int | None = next(
            (
                number
                for number, line in enumerate(self.lines, start=1)
                if line.strip().startswith("[scoring")
            ),
            None,
        )

    def array_starts(self, name: str) -> list[int]:
        return [
            number
            for number, line in enumerate(self.lines, start=1)
            if line.strip().startswith(f"[[{name}]]")
        ]

    def span(self, starts: list[int], index: int) -> tuple[int, int | None]:
        """The lines of the index-th [[name]] table: from its header to the next header."""
        if index < len(starts):
            start = starts[index]
            following = [n for n in self.headers if n > start]
            return start, min(following) if following else None
        return 1, None

    def of(self, key: str, after: int = 1, before: int | None = None) -> int:
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        end = before if before is not None else len(self.lines) + 1
        for number in range(after, end):
            if number - 1 < len(self.lines) and pattern.match(self.lines[number - 1]):
                return number
        return after

    def round_span(self, index: int) -> tuple[int, int | None]:
        return self.span(self.round_starts, index)

    def top(self, key: str) -> int:
        return self.of(key, 1, min(self.headers) if self.headers else None)


def check_type(value: object, kind: type, label: str, errors: list[str]) -> bool:
    names = {str: "a string", bool: "true or false", int: "a whole number", list: "a list"}
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        errors.append(f"{label} must be a whole number, got {value!r}")
        return False
    if kind is not int and not isinstance(value, kind):
        errors.append(f"{label} must be {names.get(kind, kind.__name__)}, got {value!r}")
        return False
    return True


def fail_at(fail: Fail, line: int) -> Callable[[str], None]:
    """`fail` for one line of the file."""
    return lambda message: fail(line, message)


def check_length(
    values: Plan, key: str, limit: int, label: str, fail: Callable[[str], None]
) -> None:
    """Blanks a string value longer than its column (and says so): the database would refuse it
    in the middle of the import, or PostgreSQL would truncate nothing and raise."""
    value = values.get(key)
    if isinstance(value, str) and len(value) > limit:
        fail(f"{label} is {len(value):,} characters long; at most {limit:,} are allowed")
        values[key] = ""


def check_table_list(
    tables: object, name: str, lines: TomlLines, fail: Fail
) -> list[dict[str, Any]] | None:
    if not isinstance(tables, list):
        fail(lines.top(name), f"{name} must be an array of [[{name}]] tables")
        return None
    if len(tables) > _MAX_TABLES:
        fail(lines.top(name), f"{name}: {len(tables)} tables; at most {_MAX_TABLES} are allowed")
        return None
    return tables


def check_fields(
    table: dict[str, Any],
    label: str,
    spec: dict[str, Any],
    line_of: LineOf,
    fail: Fail,
    required: tuple[str, ...] = (),
) -> Plan:
    """Checks a [[circuits]] or [[events]] table against spec (key -> (kind, max length or
    None)); returns the keys it gives, with valid values only."""
    values: Plan = {}
    for key in sorted(set(table) - set(spec)):
        fail(line_of(key), f"unknown key '{label}.{key}' (allowed: {', '.join(sorted(spec))})")
    for key in required:
        if key not in table:
            fail(line_of(key), f"{label}: missing key {key!r}")
    for key, (kind, limit) in spec.items():
        if key not in table:
            continue
        value = table[key]
        if kind is dt.date:
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                fail(line_of(key), f"{label}.{key} must be a date like 2023-03-16, got {value!r}")
                continue
        elif kind is Decimal:
            try:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise InvalidOperation
                value = Decimal(str(value)).quantize(Decimal("0.001"))
                if not 0 < value < 1000:
                    raise InvalidOperation
            except InvalidOperation:
                fail(line_of(key), f"{label}.{key} must be a length in km like 6.019")
                continue
        elif kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 1000:
                fail(line_of(key), f"{label}.{key} must be a whole number ≥ 1")
                continue
        elif not isinstance(value, str):
            fail(line_of(key), f"{label}.{key} must be a string, got {value!r}")
            continue
        elif limit is not None and len(value) > limit:
            fail(
                line_of(key),
                f"{label}.{key} is {len(value):,} characters long; at most {limit:,} are allowed",
            )
            continue
        values[key] = value
    return values


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


CIRCUIT_SPEC: dict[str, tuple[type, int | None]] = {
    "slug": (str, 80),
    "name": (str, 120),
    "place": (str, 120),
    "country": (str, 80),
    "time_zone": (str, 64),
    "length_km": (Decimal, None),
    "turns": (int, None),
    "source": (str, MAX_TEXT_CHARS),
}
EVENT_SPEC: dict[str, tuple[type, int | None]] = {
    "slug": (str, 100),
    "name": (str, 160),
    "kind": (str, 20),
    "circuit": (str, 80),
    "start_date": (dt.date, None),
    "end_date": (dt.date, None),
    "date_precision": (str, 10),
    "dates_note": (str, 200),
    "supports": (str, 200),
    "description": (str, MAX_TEXT_CHARS),
    "notes": (str, MAX_TEXT_CHARS),
    "source": (str, MAX_TEXT_CHARS),
}
