"""Import of season tables (TOML) and session results (CSV).

Used by the import_season / import_results commands, by load_pyramid and by the admin's upload page.
Both importers are atomic and repeatable: every bad row is reported at once (ImportFailed, each
error naming its line) and nothing is written; a dry run does all the work, reports it, and rolls
back.
The file formats are described in README.md, "Importing seasons and results".
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import tomllib
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from . import revisions
from .imports.names import NameBook, NearMatch, NewName, fold, real, written
from .models import (
    CLASSIFIABLE_STATUSES,
    FINAL_STATUSES,
    CarGeneration,
    Circuit,
    ClassScoring,
    DatePrecision,
    Driver,
    Entry,
    Event,
    EventKind,
    GuestRule,
    Result,
    ResultStatus,
    Round,
    ScoringRules,
    Season,
    SeasonClass,
    Series,
    Session,
    SessionKind,
    SessionStatus,
    Team,
)
from .models.season import COUNTBACK_KINDS, FIRST_SEASON_YEAR, LAST_SEASON_YEAR
from .signals import bump_site_version
from .standings_store import schedule as schedule_standings
from .versions import stamp_season_record

if TYPE_CHECKING:
    from .imports.preview import SessionPreview

_T = TypeVar("_T")
_M = TypeVar("_M", bound=models.Model)
# A checked TOML table, as the writers read it (keys vary by table; values are checked types).
_Plan = dict[str, Any]
# Reports a fault of the file at a line; a line's number for a key of the table being checked.
_Fail = Callable[[int, str], None]
_LineOf = Callable[[str], int]


@dataclass
class RowError:
    row: int  # line number in the file, the header (or first line) being 1; 0 when no line applies
    message: str

    def __str__(self) -> str:
        return f"line {self.row}: {self.message}" if self.row else self.message


class ImportFailed(Exception):
    """The file has errors; nothing was written. `errors` lists every one, in line order."""

    def __init__(self, errors: list[RowError], near_matches: list[NearMatch] | None = None):
        self.errors = sorted(errors, key=lambda error: error.row)
        # New names close to existing ones (imports.names.NearMatch): the editor chooses.
        self.near_matches = near_matches or []
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


@dataclass
class ImportReport:
    dry_run: bool = False
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    # The classification of each imported session as it would be published (imports.preview).
    sessions: list[SessionPreview] = field(default_factory=list)
    sessions_not_shown: int = 0

    def count(self, bucket: str, label: str, n: int = 1) -> None:
        if n:
            counts = getattr(self, bucket)
            counts[label] = counts.get(label, 0) + n

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        lines = ["Dry run: nothing was written." if self.dry_run else "Imported."]
        for bucket in ("created", "updated", "deleted"):
            counts = getattr(self, bucket)
            if counts:
                parts = ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))
                lines.append(f"{bucket.capitalize()}: {parts}")
        if not self.changed_anything:
            lines.append("Nothing changed.")
        lines.extend(f"  {change}" for change in self.changes)
        return "\n".join(lines)


class _RollBack(Exception):
    """Raised inside the transaction of a dry run so that everything done is undone."""


def _run_atomically(work: Callable[[], _T], dry_run: bool) -> _T | None:
    """Runs work() in one transaction; a dry run rolls it back and still returns the result."""
    outcome: _T | None = None
    try:
        with transaction.atomic():
            outcome = work()
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    except IntegrityError as exc:
        # Validation should have caught every clash; if the database still refuses, say so as an
        # import error rather than a crash (nothing was written: the transaction rolled back).
        raise ImportFailed([RowError(0, f"the database refused the import: {exc}")]) from exc
    return outcome


def _upsert(
    model: type[_M],
    lookup: dict[str, Any],
    values: dict[str, Any],
    existing: _M | None = None,
) -> tuple[_M, str, list[str]]:
    """Creates or updates one row; saves only when a value differs, so a repeated import changes
    nothing (and raises no site version). Returns (object, "created" | "updated" | "unchanged",
    names of the fields that changed)."""
    obj = existing
    if obj is None:
        obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj, "created", list(values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        return obj, "updated", changed
    return obj, "unchanged", []


def unique_slug(model: type[models.Model], text: str, taken: set[str] | None = None) -> str:
    """A slug from a name, made unique with -2, -3... Parenthesised scripts and editorial asides
    ("Ryo Ogawa (小河 諒)", "Hoshino (星野) — given name not stated") don't belong in an address."""
    base = slugify(re.sub(r"\s+—.*?(?=\)|$)", "", text)) or slugify(text) or "item"
    slug_field = model._meta.get_field("slug")
    assert isinstance(slug_field, models.SlugField) and slug_field.max_length is not None
    max_length = slug_field.max_length
    base = base[:max_length].strip("-")
    if taken is None:
        taken = set(
            model._default_manager.filter(slug__startswith=base).values_list("slug", flat=True)
        )
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    taken.add(slug)
    return slug


# --- values -------------------------------------------------------------------------------------

_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n"}


def parse_bool(raw: str) -> bool | None:
    """yes/no, true/false, 1/0, y/n (any case); empty means "not given" (None)."""
    value = raw.strip().lower()
    if value == "":
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{raw!r} is not yes/no, true/false, 1/0 or y/n")


_DURATION = re.compile(r"^(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d+)?)$")


def parse_duration(raw: str) -> dt.timedelta | None:
    """38:12.345, 1:38.765, 1:02:03.4 or 58.9 (seconds) -> timedelta; empty -> None."""
    value = raw.strip()
    if value == "":
        return None
    match = _DURATION.match(value)
    if not match:
        raise ValueError(f"{raw!r} is not a time like 1:38.765 or 38:12.345")
    hours, minutes, seconds = match.groups()
    if minutes is not None and float(seconds) >= 60:
        raise ValueError(f"{raw!r} has 60 seconds or more")
    if hours is not None and int(minutes) >= 60:
        raise ValueError(f"{raw!r} has 60 minutes or more")
    return dt.timedelta(
        hours=int(hours or 0), minutes=int(minutes or 0), seconds=float(Decimal(seconds))
    )


def parse_whole(raw: str, *, minimum: int = 0, maximum: int = 32767) -> int | None:
    value = raw.strip()
    if value == "":
        return None
    if not value.isdigit():
        raise ValueError(f"{raw!r} is not a whole number")
    number = int(value)
    if not minimum <= number <= maximum:
        raise ValueError(f"{number} is outside {minimum}..{maximum}")
    return number


_STATUS_WORDS = {
    ResultStatus.FINISHED: {"fin", "finished", "classified", "cl", "running", "ok"},
    ResultStatus.RETIRED: {"ret", "dnf", "retired", "did not finish", "r"},
    ResultStatus.NOT_STARTED: {"dns", "did not start", "not started"},
    ResultStatus.DISQUALIFIED: {"dsq", "dq", "disqualified"},
    ResultStatus.NOT_CLASSIFIED: {"nc", "not classified", "unclassified"},
    ResultStatus.NOT_QUALIFIED: {"dnq", "did not qualify", "not qualified"},
    ResultStatus.EXCLUDED: {"ex", "exc", "excluded"},
}
_STATUS_BY_WORD = {word: status for status, words in _STATUS_WORDS.items() for word in words}


def parse_status(raw: str) -> ResultStatus | None:
    value = raw.strip().lower().replace(".", "")
    if value == "":
        return None
    try:
        return _STATUS_BY_WORD[value]
    except KeyError:
        raise ValueError(
            f"unknown status {raw!r} (use Ret, DNF, DNS, DSQ, DQ, NC, DNQ, EX or Finished)"
        ) from None


def _suggest(value: str, choices: dict[str, str]) -> str:
    """' — did you mean X?' from names and slugs (choices: candidate -> name to show)."""
    matches = difflib.get_close_matches(value.strip().lower(), list(choices), n=3, cutoff=0.6)
    names = list(dict.fromkeys(choices[match] for match in matches))
    if not names:
        return ""
    return " — did you mean " + " or ".join(names) + "?"


# --- seasons (TOML) -----------------------------------------------------------------------------

_SEASON_KEYS = {
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
_SCORING_KEYS = {
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
_CLASS_RULE_KEYS = {"drop_worst", "undroppable_last"}
_ROUND_KEYS = {
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
_MAX_TEXT_CHARS = 20_000  # a TextField's value (notes, sources): a long page, not a book
_MAX_TABLES = 500  # rounds, circuits or events in one file
_SESSION_KEYS = {"kind", "starts_at", "duration_minutes", "name", "date"}
_SESSION_NAMES = {
    SessionKind.PRACTICE: "Practice",
    SessionKind.QUALIFYING: "Qualifying",
    SessionKind.SPRINT: "Sprint",
    SessionKind.RACE: "Race",
    SessionKind.OTHER: "Session",
}


class _TomlLines:
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


def _check_type(value: object, kind: type, label: str, errors: list[str]) -> bool:
    names = {str: "a string", bool: "true or false", int: "a whole number", list: "a list"}
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        errors.append(f"{label} must be a whole number, got {value!r}")
        return False
    if kind is not int and not isinstance(value, kind):
        errors.append(f"{label} must be {names.get(kind, kind.__name__)}, got {value!r}")
        return False
    return True


def import_season(toml_text: str, *, dry_run: bool = False) -> tuple[Season | None, ImportReport]:
    """Creates or updates a season from its TOML table: the season, its scoring rules, classes,
    rounds and one session per round and kind. Returns (season, report); season is None on a dry
    run (it was rolled back). The file may define the circuits and events its rounds use
    ([[circuits]], [[events]], created or updated by slug)."""
    report = ImportReport(dry_run=dry_run)
    if len(toml_text) > MAX_SEASON_FILE_CHARS:
        raise ImportFailed(
            [
                RowError(
                    0,
                    f"the file has {len(toml_text):,} characters; a season file may have "
                    f"{MAX_SEASON_FILE_CHARS:,} at most",
                )
            ]
        )
    if "\x00" in toml_text:
        line = toml_text[: toml_text.index("\x00")].count("\n") + 1
        raise ImportFailed([RowError(line, "the file contains a NUL byte: is it a text file?")])
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ImportFailed([RowError(int(match.group(1)) if match else 1, str(exc))]) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively: thousands of "[" exhaust
        # the stack. No season file nests more than three deep.
        raise ImportFailed([RowError(0, "the file nests tables or lists too deeply")]) from None
    lines = _TomlLines(toml_text)
    errors: list[RowError] = []
    plan = _check_season(data, lines, errors)
    if errors:
        raise ImportFailed(errors)

    def work() -> Season | None:
        season = _write_season(plan, lines, report, errors)
        if errors:
            raise ImportFailed(errors)
        return season

    season = _run_atomically(work, dry_run)
    if not dry_run and report.changed_anything:
        bump_site_version()
        if season is not None:
            schedule_standings([season.pk])  # written in bulk: its stored standings, after commit
    return (None if dry_run else season), report


def _check_season(data: dict[str, Any], lines: _TomlLines, errors: list[RowError]) -> _Plan:
    """Checks keys and value types; returns the plan with defaults filled in."""

    def fail(line: int, message: str) -> None:
        errors.append(RowError(line, message))

    for key in sorted(set(data) - _SEASON_KEYS):
        fail(lines.top(key), f"unknown key {key!r} (allowed: {', '.join(sorted(_SEASON_KEYS))})")
    for key in ("series", "year"):
        if key not in data:
            fail(1, f"missing key {key!r}")
    plan: _Plan = {
        "series": data.get("series", ""),
        "year": data.get("year", 0),
        "name": data.get("name", ""),
        "car": data.get("car", ""),
        "car_generation": data.get("car_generation", ""),
        "classes": data.get("classes", []),
        "results_partial": data.get("results_partial", False),
        "results_note": data.get("results_note", ""),
        "notes": data.get("notes", ""),
        "source": data.get("source", ""),
        "description": data.get("description", ""),
    }
    messages: list[str] = []
    for key, kind in (
        ("series", str),
        ("year", int),
        ("name", str),
        ("car", str),
        ("car_generation", str),
        ("classes", list),
        ("results_partial", bool),
        ("results_note", str),
        ("notes", str),
        ("source", str),
        ("description", str),
    ):
        if key in data and not _check_type(data[key], kind, key, messages):
            fail(lines.top(key), messages.pop())
            plan[key] = "" if kind is str else plan[key]
    if isinstance(plan["year"], int) and not FIRST_SEASON_YEAR <= plan["year"] <= LAST_SEASON_YEAR:
        fail(
            lines.top("year"),
            f"year must be between {FIRST_SEASON_YEAR} and {LAST_SEASON_YEAR}, got {plan['year']}",
        )
    if isinstance(plan["classes"], list):
        slugs: dict[str, str] = {}
        for name in plan["classes"]:
            if not isinstance(name, str) or not slugify(name):
                fail(lines.top("classes"), f"classes: {name!r} is not a class name")
            elif slugify(name) in slugs:
                fail(lines.top("classes"), f"classes: {name!r} is given twice")
            else:
                slugs[slugify(name)] = name
        plan["classes"] = list(slugs.values())
    else:
        plan["classes"] = []
    for key, limit in (("name", 160), ("car", 120), ("car_generation", 40), ("series", 80)):
        _check_length(plan, key, limit, key, _fail_at(fail, lines.top(key)))
    for key in ("results_note", "notes", "source", "description"):
        _check_length(plan, key, _MAX_TEXT_CHARS, key, _fail_at(fail, lines.top(key)))
    plan["scoring"] = _check_scoring(data.get("scoring"), plan["classes"], lines, fail)
    plan["circuits"] = _check_circuits(data.get("circuits", []), lines, fail)
    plan["events"] = _check_events(data.get("events", []), lines, fail)
    plan["rounds"] = _check_rounds(data.get("rounds", []), lines, fail)
    return plan


def _fail_at(fail: _Fail, line: int) -> Callable[[str], None]:
    """`fail` for one line of the file."""
    return lambda message: fail(line, message)


def _check_length(
    values: _Plan, key: str, limit: int, label: str, fail: Callable[[str], None]
) -> None:
    """Blanks a string value longer than its column (and says so): the database would refuse it
    in the middle of the import, or PostgreSQL would truncate nothing and raise."""
    value = values.get(key)
    if isinstance(value, str) and len(value) > limit:
        fail(f"{label} is {len(value):,} characters long; at most {limit:,} are allowed")
        values[key] = ""


def _check_table_list(
    tables: object, name: str, lines: _TomlLines, fail: _Fail
) -> list[dict[str, Any]] | None:
    if not isinstance(tables, list):
        fail(lines.top(name), f"{name} must be an array of [[{name}]] tables")
        return None
    if len(tables) > _MAX_TABLES:
        fail(lines.top(name), f"{name}: {len(tables)} tables; at most {_MAX_TABLES} are allowed")
        return None
    return tables


def _check_fields(
    table: dict[str, Any],
    label: str,
    spec: dict[str, Any],
    line_of: _LineOf,
    fail: _Fail,
    required: tuple[str, ...] = (),
) -> _Plan:
    """Checks a [[circuits]] or [[events]] table against spec (key -> (kind, max length or
    None)); returns the keys it gives, with valid values only."""
    values: _Plan = {}
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


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


_CIRCUIT_SPEC: dict[str, tuple[type, int | None]] = {
    "slug": (str, 80),
    "name": (str, 120),
    "place": (str, 120),
    "country": (str, 80),
    "time_zone": (str, 64),
    "length_km": (Decimal, None),
    "turns": (int, None),
    "source": (str, _MAX_TEXT_CHARS),
}
_EVENT_SPEC: dict[str, tuple[type, int | None]] = {
    "slug": (str, 100),
    "name": (str, 160),
    "kind": (str, 20),
    "circuit": (str, 80),
    "start_date": (dt.date, None),
    "end_date": (dt.date, None),
    "date_precision": (str, 10),
    "dates_note": (str, 200),
    "supports": (str, 200),
    "description": (str, _MAX_TEXT_CHARS),
    "notes": (str, _MAX_TEXT_CHARS),
    "source": (str, _MAX_TEXT_CHARS),
}


def _check_slugged_tables(
    tables: object,
    kind: str,
    spec: dict[str, tuple[type, int | None]],
    starts: list[int],
    lines: _TomlLines,
    fail: _Fail,
) -> Iterator[tuple[int, Callable[[str], int], dict[str, Any], str]]:
    """The [[circuits]] or [[events]] tables of a file, each checked against its spec and keyed by
    a well-formed slug defined once: yields (first line, line_of, values, label)."""
    checked = _check_table_list(tables, f"{kind}s", lines, fail)
    if checked is None:
        return
    seen: dict[str, int] = {}
    for index, table in enumerate(checked):
        start, end = lines.span(starts, index)

        def line_of(key: str, start: int = start, end: int | None = end) -> int:
            return lines.of(key, start, end)

        label = f"{kind}s[{index + 1}]"
        if not isinstance(table, dict):
            fail(start, f"{label} must be a table")
            continue
        values = _check_fields(table, label, spec, line_of, fail, required=("slug",))
        slug = values.get("slug")
        if slug is None:
            continue
        label = f"{kind} {slug}"
        if not _SLUG.match(slug):
            fail(line_of("slug"), f"{label}: a slug is lower-case letters, digits and hyphens")
            continue
        if slug in seen:
            fail(start, f"{label} is defined twice (also line {seen[slug]})")
            continue
        seen[slug] = start
        yield start, line_of, values, label


def _check_circuits(circuits: object, lines: _TomlLines, fail: _Fail) -> list[_Plan]:
    plans: list[_Plan] = []
    for start, line_of, values, label in _check_slugged_tables(
        circuits, "circuit", _CIRCUIT_SPEC, lines.circuit_starts, lines, fail
    ):
        if "time_zone" in values:
            try:
                zoneinfo.ZoneInfo(values["time_zone"])
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                fail(
                    line_of("time_zone"),
                    f"{label}.time_zone: {values['time_zone']!r} is not an IANA time zone "
                    "(for example America/New_York)",
                )
                del values["time_zone"]
        plans.append({"line": start, "values": values, "lines": line_of})
    return plans


def _check_events(events: object, lines: _TomlLines, fail: _Fail) -> list[_Plan]:
    plans: list[_Plan] = []
    for start, line_of, values, label in _check_slugged_tables(
        events, "event", _EVENT_SPEC, lines.event_starts, lines, fail
    ):
        for key, choices in (("kind", EventKind), ("date_precision", DatePrecision)):
            if key in values and values[key] not in choices.values:
                fail(
                    line_of(key),
                    f"{label}.{key} must be one of {', '.join(choices.values)}, "
                    f"got {values[key]!r}",
                )
                del values[key]
        if (
            "start_date" in values
            and "end_date" in values
            and values["end_date"] < values["start_date"]
        ):
            fail(line_of("end_date"), f"{label}: end_date is before start_date")
            del values["end_date"]
        plans.append({"line": start, "values": values, "lines": line_of})
    return plans


def _check_scoring(scoring: object, classes: list[str], lines: _TomlLines, fail: _Fail) -> _Plan:
    start = lines.scoring_start or 1
    if scoring is None:
        fail(1, "missing table [scoring] (at least `race`, the points scale)")
        return {}
    if not isinstance(scoring, dict):
        fail(lines.top("scoring"), "scoring must be a table")
        return {}
    for key in sorted(set(scoring) - _SCORING_KEYS):
        fail(
            lines.of(key, start),
            f"unknown key 'scoring.{key}' (allowed: {', '.join(sorted(_SCORING_KEYS))})",
        )
    if "race" not in scoring:
        fail(start, "missing key 'scoring.race' (the points scale, 1st first)")
    rules = {
        "race_points": scoring.get("race", []),
        "sprint_points": scoring.get("sprint", []),
        "pole_points": scoring.get("pole", 0),
        "fastest_lap_points": scoring.get("fastest_lap", 0),
        "fastest_lap_top": scoring.get("fastest_lap_top", 0),
        "guests": scoring.get("guests", GuestRule.PASS_DOWN),
        "drop_worst": scoring.get("drop_worst", 0),
        "undroppable_last": scoring.get("undroppable_last", 0),
        "team_cars": scoring.get("team_cars", 0),
        "class_scoring": scoring.get("class_scoring", ClassScoring.CLASS_POSITION),
        "countback_kinds": scoring.get("countback_kinds", []),
        "notes": scoring.get("notes", ""),
    }
    countback_kinds = rules["countback_kinds"]
    if (
        not isinstance(countback_kinds, list)
        or not all(kind in COUNTBACK_KINDS for kind in countback_kinds)
        or len(set(countback_kinds)) != len(countback_kinds)
    ):
        fail(
            lines.of("countback_kinds", start),
            "scoring.countback_kinds must be a list of distinct session kinds "
            f"({', '.join(COUNTBACK_KINDS)}) whose places count as wins and in the countback, "
            f'e.g. ["race"]; empty for every kind; got {countback_kinds!r}',
        )
    for key in ("race", "sprint"):
        scale = scoring.get(key, [])
        if not isinstance(scale, list) or not all(
            isinstance(points, int) and not isinstance(points, bool) and points >= 0
            for points in scale
        ):
            fail(
                lines.of(key, start),
                f"scoring.{key} must be a list of whole numbers of zero or more, 1st first; "
                f"got {scale!r}",
            )
    for key in (
        "pole",
        "fastest_lap",
        "fastest_lap_top",
        "drop_worst",
        "undroppable_last",
        "team_cars",
    ):
        value = scoring.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 32767:
            fail(lines.of(key, start), f"scoring.{key} must be a whole number ≥ 0, got {value!r}")
    for key, choices in (("guests", GuestRule), ("class_scoring", ClassScoring)):
        value = scoring.get(key, choices.values[0])
        if value not in choices.values:
            fail(
                lines.of(key, start),
                f"scoring.{key} must be one of {', '.join(choices.values)}, got {value!r}",
            )
    if not isinstance(rules["notes"], str):
        fail(lines.of("notes", start), "scoring.notes must be a string")
    class_rules: dict[str, _Plan] = {}
    overrides = scoring.get("class", {})
    if not isinstance(overrides, dict):
        fail(start, "scoring.class must be a table of [scoring.class.<class-slug>] tables")
        overrides = {}
    known = {slugify(name) for name in classes if isinstance(name, str)}
    for slug, override in overrides.items():
        header = next(
            (
                n
                for n, line in enumerate(lines.lines, start=1)
                if line.strip() == f"[scoring.class.{slug}]"
            ),
            start,
        )
        if slug not in known:
            fail(header, f"scoring.class.{slug}: no class with slug {slug!r} in `classes`")
            continue
        if not isinstance(override, dict):
            fail(header, f"scoring.class.{slug} must be a table")
            continue
        for key in sorted(set(override) - _CLASS_RULE_KEYS):
            fail(lines.of(key, header), f"unknown key 'scoring.class.{slug}.{key}'")
        for key in _CLASS_RULE_KEYS & set(override):
            value = override[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                fail(
                    lines.of(key, header),
                    f"scoring.class.{slug}.{key} must be a whole number ≥ 0, got {value!r}",
                )
        class_rules[slug] = {key: override.get(key) for key in _CLASS_RULE_KEYS}
    rules["class_rules"] = class_rules
    return rules


def _check_rounds(rounds: object, lines: _TomlLines, fail: _Fail) -> list[_Plan]:
    rounds = _check_table_list(rounds, "rounds", lines, fail)
    if rounds is None:
        return []
    plans: list[_Plan] = []
    seen: dict[int, int] = {}
    for index, round_data in enumerate(rounds):
        start, end = lines.round_span(index)

        def line_of(key: str, start: int = start, end: int | None = end) -> int:
            return lines.of(key, start, end)

        label = f"rounds[{index + 1}]"
        if not isinstance(round_data, dict):
            fail(start, f"{label} must be a table")
            continue
        for key in sorted(set(round_data) - _ROUND_KEYS):
            fail(
                line_of(key),
                f"unknown key '{label}.{key}' (allowed: {', '.join(sorted(_ROUND_KEYS))})",
            )
        for key in ("number", "date", "event"):
            if key not in round_data:
                fail(start, f"{label}: missing key {key!r}")
        number = round_data.get("number")
        if "number" in round_data:
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                fail(line_of("number"), f"{label}.number must be a whole number ≥ 1")
            elif number in seen:
                fail(line_of("number"), f"round {number} is given twice (also line {seen[number]})")
            else:
                seen[number] = line_of("number")
            label = f"round {number}"
        date = round_data.get("date")
        if "date" in round_data and (
            not isinstance(date, dt.date) or isinstance(date, dt.datetime)
        ):
            fail(line_of("date"), f"{label}.date must be a date like 2023-05-28, got {date!r}")
        texts = {}
        for key, limit in (
            ("event", 100),
            ("circuit", 80),
            ("name", 120),
            ("description", _MAX_TEXT_CHARS),
            ("notes", _MAX_TEXT_CHARS),
        ):
            if key in round_data and not isinstance(round_data[key], str):
                fail(line_of(key), f"{label}.{key} must be a string")
            else:
                texts[key] = round_data.get(key, "")
                _check_length(
                    texts,
                    key,
                    limit,
                    f"{label}.{key}",
                    _fail_at(fail, line_of(key)),
                )
        precision = round_data.get("date_precision", DatePrecision.DAY)
        if precision not in DatePrecision.values:
            fail(
                line_of("date_precision"),
                f"{label}.date_precision must be one of {', '.join(DatePrecision.values)}, "
                f"got {precision!r}",
            )
            precision = DatePrecision.DAY
        multiplier = round_data.get("multiplier", 1)
        try:
            multiplier = Decimal(str(multiplier))
            if isinstance(round_data.get("multiplier"), bool) or not (0 <= multiplier < 100):
                raise InvalidOperation
        except InvalidOperation:
            fail(
                line_of("multiplier"),
                f"{label}.multiplier must be a number ≥ 0 (1, 0.5, 2), "
                f"got {round_data.get('multiplier')!r}",
            )
            multiplier = Decimal("1")
        sessions = _check_sessions(round_data.get("sessions", ["race"]), label, line_of, fail)
        for session in sessions:
            if (
                session["local_time"] is not None
                and session["date"] is None
                and precision != DatePrecision.DAY
            ):
                fail(
                    line_of("sessions"),
                    f"{label}.sessions: a local start time needs its day: give the session's "
                    '`date`, or the round\'s date with date_precision = "day"',
                )
        plans.append(
            {
                "line": start,
                "number": number,
                "date": date,
                "date_precision": precision,
                "event": texts.get("event", ""),
                "circuit": texts.get("circuit", ""),
                "name": texts.get("name", ""),
                "description": texts.get("description", ""),
                "notes": texts.get("notes", ""),
                "multiplier": multiplier,
                "sessions": sessions,
            }
        )
    return plans


_LOCAL_TIME = re.compile(r"^\d{1,2}:\d{2}$")


def _check_sessions(sessions: object, label: str, line_of: _LineOf, fail: _Fail) -> list[_Plan]:
    if not isinstance(sessions, list) or not sessions:
        fail(line_of("sessions"), f"{label}.sessions must be a non-empty list of session kinds")
        return []
    plans: list[_Plan] = []
    kinds_seen: set[str] = set()
    for item in sessions:
        session = {"kind": item} if isinstance(item, str) else item
        if not isinstance(session, dict):
            fail(line_of("sessions"), f"{label}.sessions: {item!r} is not a kind or a table")
            continue
        for key in sorted(set(session) - _SESSION_KEYS):
            fail(line_of("sessions"), f"unknown key '{label}.sessions.{key}'")
        kind = session.get("kind")
        if kind not in SessionKind.values:
            fail(
                line_of("sessions"),
                f"{label}.sessions: unknown kind {kind!r} (use {', '.join(SessionKind.values)})",
            )
            continue
        if kind in kinds_seen:
            fail(line_of("sessions"), f"{label}.sessions: {kind} is given twice")
            continue
        kinds_seen.add(kind)
        starts_at = session.get("starts_at")
        local_time = None
        if isinstance(starts_at, str) and _LOCAL_TIME.match(starts_at.strip()):
            hours, minutes = map(int, starts_at.strip().split(":"))
            if hours < 24 and minutes < 60:
                local_time = dt.time(hours, minutes)
            starts_at = None
        elif isinstance(starts_at, dt.time):
            local_time, starts_at = starts_at.replace(tzinfo=None), None
        if starts_at is None and local_time is None and "starts_at" in session:
            starts_at = session["starts_at"]
        if starts_at is not None and (
            not isinstance(starts_at, dt.datetime) or starts_at.tzinfo is None
        ):
            # A date and time without an offset is ambiguous across the circuit's zone and UTC;
            # a bare time ("14:05") is the circuit's own, on the session's day.
            fail(
                line_of("sessions"),
                f'{label}.sessions.starts_at must be a local time at the circuit like "14:05", '
                f"or a time with its offset like 2023-03-16T14:05:00-04:00; got {starts_at!r}",
            )
            starts_at = None
        session_date = session.get("date")
        if session_date is not None and (
            not isinstance(session_date, dt.date) or isinstance(session_date, dt.datetime)
        ):
            fail(line_of("sessions"), f"{label}.sessions.date must be a date like 2023-05-28")
            session_date = None
        if not isinstance(session.get("name", ""), str):
            fail(line_of("sessions"), f"{label}.sessions.name must be a string")
            session = {**session, "name": ""}
        elif len(session.get("name", "")) > 120:
            fail(line_of("sessions"), f"{label}.sessions.name is longer than 120 characters")
            session = {**session, "name": ""}
        duration = session.get("duration_minutes")
        if duration is not None and (
            isinstance(duration, bool) or not isinstance(duration, int) or duration < 1
        ):
            fail(line_of("sessions"), f"{label}.sessions.duration_minutes must be minutes ≥ 1")
            duration = None
        plans.append(
            {
                "kind": kind,
                "starts_at": starts_at.astimezone(dt.UTC) if starts_at else None,
                "local_time": local_time,
                "duration_minutes": duration,
                "name": str(session.get("name", "")),
                "date": session_date,
            }
        )
    return plans


_MAX_SUGGESTIONS = (
    30  # near-match searches per file: enough for an editor, bounded for a hostile file
)


def _write_season(
    plan: dict[str, Any], lines: _TomlLines, report: ImportReport, errors: list[RowError]
) -> Season | None:
    """Checks every reference of the plan against the database (all errors in one pass), then
    writes circuits, events, the season, its rules, classes, rounds and sessions."""
    check = _SeasonReferences(plan, lines, errors)
    series = check.series()
    car_generation = check.car_generation()
    file_circuits, db_circuits = check.circuits()
    file_events, db_events = check.events(file_circuits, db_circuits)
    if errors or series is None:
        return None
    events = _write_circuits_and_events(file_circuits, db_circuits, file_events, db_events, report)
    season = _write_season_row(plan, series, car_generation, report)
    _write_classes(plan, season, lines, report, errors)
    _write_rounds(plan, series, season, events, report)
    return season


class _SeasonReferences:
    """The checks of a season file's references (series, car, circuits, events, rounds) against
    the database; every fault is added to `errors`, with a bounded number of near-match hints."""

    def __init__(self, plan: dict[str, Any], lines: _TomlLines, errors: list[RowError]):
        self.plan = plan
        self.lines = lines
        self.errors = errors
        self._suggestions = iter(range(_MAX_SUGGESTIONS))

    def suggest(self, value: str, choices: Callable[[], dict[str, str]]) -> str:
        return _suggest(value, choices()) if next(self._suggestions, None) is not None else ""

    def series(self) -> Series | None:
        plan, lines, errors, suggest = self.plan, self.lines, self.errors, self.suggest
        series = Series.objects.filter(slug=plan["series"]).first()
        if series is None and plan["series"]:
            hint = suggest(
                plan["series"],
                lambda: {
                    key: s.slug
                    for s in Series.objects.all()
                    for key in (s.slug, s.name.lower(), s.short_name.lower())
                },
            )
            errors.append(
                RowError(
                    lines.top("series"),
                    f"series: unknown series {plan['series']!r}{hint} A season file does not "
                    "create its series: add it first (Series › Add in the admin, or a row in "
                    "series/data/series.csv and `manage.py load_pyramid`), then import again.",
                )
            )
        return series

    def car_generation(self) -> CarGeneration | None:
        plan, lines, errors = self.plan, self.lines, self.errors
        car_generation = None
        if plan["car_generation"]:
            car_generation = CarGeneration.objects.filter(
                models.Q(slug=plan["car_generation"]) | models.Q(generation=plan["car_generation"])
            ).first()
            if car_generation is None:
                errors.append(
                    RowError(
                        lines.top("car_generation"),
                        f"car_generation: unknown car generation {plan['car_generation']!r}",
                    )
                )
        return car_generation

    def circuits(self) -> tuple[dict[str, dict[str, Any]], dict[str, Circuit]]:
        """The file's circuits (by slug) and those of the database its circuits and events name."""
        plan, errors = self.plan, self.errors
        # Circuits: the file's, over those in the database.
        file_circuits = {c["values"]["slug"]: c for c in plan["circuits"]}
        db_circuits = {
            c.slug: c
            for c in Circuit.objects.filter(
                slug__in=[*file_circuits, *(e["values"].get("circuit", "") for e in plan["events"])]
            )
        }
        names: dict[str, str] = {}
        for slug, circuit_plan in file_circuits.items():
            values, line_of = circuit_plan["values"], circuit_plan["lines"]
            if slug not in db_circuits:
                for key in ("name", "time_zone"):
                    if key not in values:
                        errors.append(
                            RowError(
                                circuit_plan["line"],
                                f"circuit {slug}: missing key {key!r} (required for a new circuit)",
                            )
                        )
            if "name" in values:
                name = values["name"]
                clash = Circuit.objects.filter(name=name).exclude(slug=slug).first()
                if clash is not None or name in names:
                    other = clash.slug if clash is not None else names[name]
                    errors.append(
                        RowError(
                            line_of("name"),
                            f"circuit {slug}.name: {name!r} is already the name of circuit {other}",
                        )
                    )
                names[name] = slug
        return file_circuits, db_circuits

    def events(
        self, file_circuits: dict[str, dict[str, Any]], db_circuits: dict[str, Circuit]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, Event]]:
        """The file's events and the database's ones it names; the rounds are checked against
        the events' merged facts (circuit and dates)."""
        plan, errors, suggest = self.plan, self.errors, self.suggest

        def circuit_known(slug: str) -> bool:
            return slug in file_circuits or slug in db_circuits

        def circuit_choices() -> dict[str, str]:
            choices = {c.slug: c.slug for c in Circuit.objects.only("slug", "name")}
            choices.update({c.name.lower(): c.slug for c in Circuit.objects.only("slug", "name")})
            choices.update({slug: slug for slug in file_circuits})
            return choices

        # Events: the file's, over those in the database; facts[slug] is what the rounds check.
        file_events = {e["values"]["slug"]: e for e in plan["events"]}
        db_events = {
            e.slug: e
            for e in Event.objects.select_related("circuit").filter(
                slug__in=[*file_events, *(r["event"] for r in plan["rounds"])]
            )
        }
        facts: dict[str, _Plan] = {
            slug: {
                "circuit": event.circuit.slug,
                "start_date": event.start_date,
                "end_date": event.end_date,
            }
            for slug, event in db_events.items()
        }
        for slug, event_plan in file_events.items():
            values, line_of = event_plan["values"], event_plan["lines"]
            merged = {**facts.get(slug, {}), **values}
            if slug not in db_events:
                for key in ("name", "circuit", "start_date", "end_date"):
                    if key not in values:
                        errors.append(
                            RowError(
                                event_plan["line"],
                                f"event {slug}: missing key {key!r} (required for a new event)",
                            )
                        )
            circuit = values.get("circuit")
            if circuit is not None and not circuit_known(circuit):
                errors.append(
                    RowError(
                        line_of("circuit"),
                        f"event {slug}.circuit: unknown circuit {circuit!r}"
                        f"{suggest(circuit, circuit_choices)} (define it in a [[circuits]] table "
                        "or add it in the admin)",
                    )
                )
            if (
                "start_date" in merged
                and "end_date" in merged
                and merged["end_date"] < merged["start_date"]
            ):
                errors.append(
                    RowError(
                        line_of("end_date"),
                        f"event {slug}: it would end ({merged['end_date']}) before it starts "
                        f"({merged['start_date']})",
                    )
                )
            facts[slug] = merged

        def event_choices() -> dict[str, str]:
            choices = {slug: slug for slug in Event.objects.values_list("slug", flat=True)}
            choices.update({slug: slug for slug in file_events})
            return choices

        self.rounds(facts, file_events)
        return file_events, db_events

    def rounds(self, facts: dict[str, dict[str, Any]], file_events: dict[str, Any]) -> None:
        plan, errors, suggest = self.plan, self.errors, self.suggest

        def event_choices() -> dict[str, str]:
            choices = {slug: slug for slug in Event.objects.values_list("slug", flat=True)}
            choices.update({slug: slug for slug in file_events})
            return choices

        for round_plan in plan["rounds"]:
            label = f"round {round_plan['number']}"
            event = facts.get(round_plan["event"])
            if event is None:
                errors.append(
                    RowError(
                        round_plan["line"],
                        f"{label}.event: unknown event {round_plan['event']!r}"
                        f"{suggest(round_plan['event'], event_choices)} (define it in an "
                        "[[events]] table of this file, or add it in the admin)",
                    )
                )
                continue
            if "start_date" not in event or "end_date" not in event or "circuit" not in event:
                continue  # a new event missing its dates or circuit: already reported
            if round_plan["circuit"] and round_plan["circuit"] != event["circuit"]:
                errors.append(
                    RowError(
                        round_plan["line"],
                        f"{label}.circuit: event {round_plan['event']} is at {event['circuit']}, "
                        f"not {round_plan['circuit']!r}",
                    )
                )
            if not event["start_date"] <= round_plan["date"] <= event["end_date"]:
                errors.append(
                    RowError(
                        round_plan["line"],
                        f"{label}.date: {round_plan['date']} is outside event "
                        f"{round_plan['event']} ({event['start_date']} to {event['end_date']})",
                    )
                )
            for session in round_plan["sessions"]:
                if (
                    session["date"]
                    and not event["start_date"] <= session["date"] <= event["end_date"]
                ):
                    errors.append(
                        RowError(
                            round_plan["line"],
                            f"{label}.sessions.date: {session['date']} is outside event "
                            f"{round_plan['event']}",
                        )
                    )


def _write_circuits_and_events(
    file_circuits: dict[str, dict[str, Any]],
    db_circuits: dict[str, Circuit],
    file_events: dict[str, dict[str, Any]],
    db_events: dict[str, Event],
    report: ImportReport,
) -> dict[str, Event]:
    """Writes the file's circuits and events; every event the rounds may name, by slug."""
    circuits = dict(db_circuits)
    for slug, circuit_plan in file_circuits.items():
        values = {key: value for key, value in circuit_plan["values"].items() if key != "slug"}
        circuit, state, changed = _upsert(
            Circuit, {"slug": slug}, values, existing=db_circuits.get(slug)
        )
        circuits[slug] = circuit
        _note(report, "circuits", state, f"Circuit {slug}", changed)
    events = dict(db_events)
    for slug, event_plan in file_events.items():
        values = {key: value for key, value in event_plan["values"].items() if key != "slug"}
        if "circuit" in values:
            values["circuit"] = circuits.get(values["circuit"]) or Circuit.objects.get(
                slug=values["circuit"]
            )
        event, state, changed = _upsert(Event, {"slug": slug}, values, existing=db_events.get(slug))
        events[slug] = event
        _note(report, "events", state, f"Event {slug}", changed)
    return events


def _write_season_row(
    plan: dict[str, Any],
    series: Series,
    car_generation: CarGeneration | None,
    report: ImportReport,
) -> Season:
    values = {
        "name": plan["name"],
        "car": plan["car"],
        "car_generation": car_generation,
        "results_partial": plan["results_partial"],
        "results_note": plan["results_note"],
        "description": plan["description"],
        "notes": plan["notes"],
        "source": plan["source"],
    }
    if not plan["car"] and not plan["car_generation"]:
        # A file that names no car leaves the season's car as it is (load_pyramid's season_cars
        # step or an editor may have set it from the series' facts).
        del values["car"], values["car_generation"]
    season, state, changed = _upsert(Season, {"series": series, "year": plan["year"]}, values)
    _note(report, "seasons", state, f"Season {season}", changed)

    return season


def _write_classes(
    plan: dict[str, Any],
    season: Season,
    lines: _TomlLines,
    report: ImportReport,
    errors: list[RowError],
) -> None:
    """Writes the season's scoring rules and classes; a class no longer listed is removed unless
    entries use it (an error)."""
    scoring = {key: value for key, value in plan["scoring"].items() if key != "class_rules"}
    _, state, changed = _upsert(ScoringRules, {"season": season}, scoring)
    _note(report, "scoring rules", state, "Scoring rules", changed)

    wanted_classes = {slugify(name): name for name in plan["classes"]}
    for order, (slug, name) in enumerate(wanted_classes.items(), start=1):
        overrides = plan["scoring"]["class_rules"].get(slug, {})
        _, state, changed = _upsert(
            SeasonClass,
            {"season": season, "slug": slug},
            {
                "name": name,
                "order": order,
                "drop_worst": overrides.get("drop_worst"),
                "undroppable_last": overrides.get("undroppable_last"),
            },
        )
        _note(report, "classes", state, f"Class {name}", changed)
    for season_class in season.classes.exclude(slug__in=wanted_classes):
        if season_class.entries.exists():
            errors.append(
                RowError(
                    lines.top("classes"),
                    f"classes: {season_class.name} is no longer listed but entries use it; "
                    "move those entries to another class first",
                )
            )
            continue
        season_class.delete()
        report.count("deleted", "classes")
        report.changes.append(f"Class {season_class.name} removed")


def _write_rounds(
    plan: dict[str, Any],
    series: Series,
    season: Season,
    events: dict[str, Event],
    report: ImportReport,
) -> None:
    """Writes the rounds and their sessions; a round no longer listed is removed."""
    rounds = {r.number: r for r in season.rounds.all()}
    # One query for every round's sessions rather than one per round.
    sessions_by_round: dict[int, dict[str, Session]] = defaultdict(dict)
    for session in Session.objects.filter(round__season=season, round__isnull=False):
        assert session.round_id is not None
        sessions_by_round[session.round_id][session.kind] = session
    for round_plan in plan["rounds"]:
        event = events[round_plan["event"]]
        round_obj, state, changed = _upsert(
            Round,
            {"season": season, "number": round_plan["number"]},
            {
                "event": event,
                "name": round_plan["name"],
                "date": round_plan["date"],
                "date_precision": round_plan["date_precision"],
                "multiplier": round_plan["multiplier"],
                "description": round_plan["description"],
                "notes": round_plan["notes"],
            },
            existing=rounds.get(round_plan["number"]),
        )
        _note(
            report,
            "rounds",
            state,
            f"Round {round_obj.number} ({event.slug}, {round_obj.date})",
            changed,
        )
        _write_sessions(
            series, round_obj, round_plan["sessions"], report, sessions_by_round[round_obj.pk]
        )
    wanted_numbers = {r["number"] for r in plan["rounds"]}
    for number, round_obj in sorted(rounds.items()):
        if number not in wanted_numbers:
            results = Result.objects.filter(session__round=round_obj).count()
            round_obj.delete()
            report.count("deleted", "rounds")
            report.changes.append(
                f"Round {number} removed (with its sessions and {results} results)"
            )


def _write_sessions(
    series: Series,
    round_obj: Round,
    sessions: list[_Plan],
    report: ImportReport,
    existing: dict[str, Session] | None = None,
) -> None:
    if existing is None:
        existing = {s.kind: s for s in round_obj.sessions.all()}
    for session_plan in sessions:
        kind = session_plan["kind"]
        day: dt.date = session_plan["date"] or round_obj.date
        values: dict[str, Any] = {
            "event": round_obj.event,
            "slug": f"{series.slug}-r{round_obj.number}-{kind}",
            "name": session_plan["name"] or f"{_SESSION_NAMES[kind]} {round_obj.number}",
            "date": day,
        }
        # A start time or duration an editor entered is kept when the file does not give one.
        if session_plan["starts_at"] is not None:
            values["starts_at"] = session_plan["starts_at"]
        elif session_plan["local_time"] is not None:
            # As printed on the timetable: the circuit's wall clock on the session's day (the
            # zone's offset that day, summer time included), stored in UTC.
            local = dt.datetime.combine(
                day, session_plan["local_time"], tzinfo=round_obj.event.circuit.tz
            )
            values["starts_at"] = local.astimezone(dt.UTC)
        if session_plan["duration_minutes"] is not None:
            values["duration_minutes"] = session_plan["duration_minutes"]
        session, state, changed = _upsert(
            Session, {"round": round_obj, "kind": kind}, values, existing=existing.get(kind)
        )
        _note(report, "sessions", state, f"Session {session.slug}", changed)
    wanted = {s["kind"] for s in sessions}
    for kind, session in existing.items():
        if kind not in wanted and session.slug == f"{series.slug}-r{round_obj.number}-{kind}":
            results = session.results.count()
            session.delete()
            report.count("deleted", "sessions")
            report.changes.append(f"Session {session.slug} removed (with {results} results)")


def _note(report: ImportReport, label: str, state: str, what: str, changed: list[str]) -> None:
    if state == "created":
        report.count("created", label)
        report.changes.append(f"{what} created")
    elif state == "updated":
        report.count("updated", label)
        report.changes.append(f"{what} updated ({', '.join(changed)})")


# --- results (CSV) ------------------------------------------------------------------------------

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
class _ResultRow:
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


def _abbreviation_matches(given: str, full: str) -> bool:
    """'L. ten Voorde', 'L ten Voorde' or 'ten Voorde L.' for Larry ten Voorde; 'TEN VOORDE' too."""
    given_words, full_words = fold(given).split(), fold(full).split()
    if not given_words or not full_words:
        return False
    if given_words == full_words:
        return True
    initials = [w for w in given_words if len(w) == 1]
    rest = [w for w in given_words if len(w) > 1]
    if not rest or len(initials) > 1:
        return rest == full_words[-len(rest) :] if rest and not initials else False
    if full_words[-len(rest) :] != rest:
        return False
    if not initials:
        return len(rest) < len(full_words)  # a family name alone
    return full_words[0].startswith(initials[0])


class _EntryList:
    """The season's entries by car number, each valid for its rounds (from_round..to_round)."""

    def __init__(self, season: Season):
        self.entries = list(season.entries.select_related("driver", "team", "season_class"))
        self.by_number: dict[int, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            if entry.car_number is not None:
                self.by_number[entry.car_number].append(entry)

    def car(self, number: int, round_number: int) -> list[Entry]:
        return [e for e in self.by_number.get(number, []) if e.runs_in_round(round_number)]

    def of_driver(self, driver: Driver) -> Entry | None:
        return next((e for e in self.entries if e.driver_id == driver.pk), None)

    def by_abbreviation(self, name: str) -> list[Entry]:
        return [e for e in self.entries if _abbreviation_matches(name, e.driver.name)]


def import_results(
    season: Season,
    csv_text: str,
    *,
    dry_run: bool = False,
    create_missing: bool = False,
    mark_final: bool = False,
    choices: dict[str, str] | None = None,
    preview: bool = False,
) -> ImportReport:
    """Replaces the results of every session the text names, and creates or updates the season's
    entries. The text is the results CSV or a classification pasted from a timing sheet or a
    spreadsheet (series/imports/timing.py). With create_missing, unknown drivers and teams are
    created, except those close to an existing name, which need a choice ("driver:<name>" ->
    "create" or the existing one's slug). mark_final marks the imported sessions final (otherwise
    a scheduled session becomes provisional). preview adds the classification as it would be
    published, points included, to the report (report.sessions).

    Everything is read and checked before the transaction opens; the transaction only writes (and
    a dry run rolls it back), so a preview never holds the write lock for long."""
    from .imports.timing import to_results_csv

    report = ImportReport(dry_run=dry_run)
    errors: list[RowError] = []
    size = len(csv_text.encode("utf-8", "surrogatepass"))
    if size > MAX_RESULT_BYTES:
        raise ImportFailed(
            [RowError(0, f"the text is {size / 1024 / 1024:.1f} MB; the limit is 2 MB: split it")]
        )
    csv_text, errors = to_results_csv(csv_text)
    drivers = NameBook(Driver, create_missing=create_missing, choices=choices)
    teams = NameBook(Team, create_missing=create_missing, choices=choices)
    rows, nationalities = _read_result_rows(season, csv_text, drivers, teams, errors)
    _check_sessions_results(season, rows, errors)
    if errors:
        raise ImportFailed(errors, [*drivers.near_matches.values(), *teams.near_matches.values()])

    def work() -> None:
        for book in (drivers, teams):
            for obj in book.create_planned():
                report.count("created", f"{book.kind}s")
                report.changes.append(f"{book.kind.capitalize()} {obj.name} created ({obj.slug})")
        for driver, nationality in nationalities:
            if not driver.nationality:
                driver.nationality = nationality
                Driver.objects.filter(pk=driver.pk).update(nationality=nationality)
                report.count("updated", "drivers")
                report.changes.append(f"Driver {driver.name}: nationality {nationality}")
        _write_results(season, rows, report, mark_final, preview)

    _run_atomically(work, dry_run)
    if not dry_run and report.changed_anything:
        # Results are written in bulk, which sends no post_save: stamp what they touched once
        # here (the season, its events, its drivers and teams), so other series stay cached.
        if report.created.get("drivers") or report.created.get("teams"):
            bump_site_version()  # new names reach the lists and search
        else:
            stamp_season_record(season)
        schedule_standings([season.pk])  # written in bulk: its stored standings, after commit
    return report


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


def _read_result_rows(
    season: Season,
    csv_text: str,
    drivers: NameBook[Driver],
    teams: NameBook[Team],
    errors: list[RowError],
) -> tuple[list[_ResultRow], list[tuple[Driver, str]]]:
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
    rows: list[_ResultRow] = []
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
        self.entry_list = _EntryList(season)
        self.drivers = drivers
        self.teams = teams


def _read_result_row(line: int, cells: _Cells, facts: _SeasonFacts) -> _ResultRow | None:
    """One row, checked; None (with the faults in `cells.errors`) when it cannot be imported."""
    round_number = cells.value_of("round", lambda raw: parse_whole(raw, minimum=1))
    session = _row_session(round_number, cells, facts)
    position, status = _row_position_and_status(cells)
    number = cells.value_of("number", parse_whole)
    driver, entry = _which_car(
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
    return _ResultRow(
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


def _which_car(
    driver_name: str,
    number: int | None,
    round_number: int | None,
    entry_list: _EntryList,
    drivers: NameBook[Driver],
    nationality: str,
    row_errors: list[str],
) -> tuple[Driver | NewName[Driver] | None, Entry | None]:
    """The driver of a row and, when the car is found by its number on the entry list, its entry.
    The number wins when the entry list has it for the round: a timing sheet's driver column is
    often abbreviated ("L. ten Voorde") or missing; a name that contradicts the entry list is an
    error. Without a number on the entry list the name must identify the driver."""
    if number is not None and round_number is not None:
        cars = entry_list.car(number, round_number)
        if len(cars) > 1:
            names = " and ".join(entry.driver.name for entry in cars)
            row_errors.append(
                f"number: car {number} in round {round_number} is both {names} on the entry list "
                "(give one of them a from_round/to_round)"
            )
            return None, None
        if cars:
            entry = cars[0]
            if driver_name and not (
                drivers.find(driver_name) == entry.driver
                or _abbreviation_matches(driver_name, entry.driver.name)
            ):
                row_errors.append(
                    f"car {number} in round {round_number} is {entry.driver.name} on the entry "
                    f"list, not {driver_name!r}"
                )
                return None, None
            return entry.driver, entry
    if driver_name:
        found = drivers.find(driver_name)
        abbreviated = entry_list.by_abbreviation(driver_name) if found is None else []
        if found is None and len(abbreviated) == 1:
            found = abbreviated[0].driver
        if found is not None:
            seat = entry_list.of_driver(found)
            # The driver is on the entry list with another car: a typo in the number, or a
            # change the entry list should say (from_round) before results use it.
            if (
                number is not None
                and round_number is not None
                and seat is not None
                and seat.car_number is not None
                and seat.runs_in_round(round_number)
            ):
                row_errors.append(
                    _not_on_entry_list(number, round_number, entry_list)
                    + f" ({found.name} is car {seat.car_number})"
                )
                return None, None
            return found, None
        if number is not None and round_number is not None and _looks_abbreviated(driver_name):
            row_errors.append(_not_on_entry_list(number, round_number, entry_list))
            return None, None
        return drivers.resolve(driver_name, row_errors, nationality=nationality), None
    if number is None:
        row_errors.append("driver: missing (give the driver or the car number)")
    elif round_number is not None:
        row_errors.append(_not_on_entry_list(number, round_number, entry_list))
    return None, None


def _looks_abbreviated(name: str) -> bool:
    """ "L. ten Voorde": a given name cut to its initial. A middle initial ("Mikkel O. Pedersen")
    is a full name."""
    words = fold(name).replace(".", " ").split()
    return bool(words) and len(words[0]) == 1


def _not_on_entry_list(number: int, round_number: int, entry_list: _EntryList) -> str:
    numbers = sorted(n for n in entry_list.by_number if entry_list.car(n, round_number))
    if not numbers:
        return (
            f"number: car {number} is not on the entry list (the season has no entry list yet: "
            "import it first, or give each driver's full name)"
        )
    return f"number: car {number} is not on the entry list of round {round_number}"


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


def _session_label(session: Session) -> str:
    assert session.round is not None  # an imported result's session belongs to a round
    return f"Round {session.round.number} {session.kind}"


def _check_sessions_results(season: Season, rows: list[_ResultRow], errors: list[RowError]) -> None:
    """Clashes across rows of one session: a position, car number or driver twice, and gaps in
    the classified positions (allowed only when the season's results are known to be partial)."""
    by_session: dict[int, list[_ResultRow]] = defaultdict(list)
    for row in rows:
        by_session[row.session.pk].append(row)
    for session_rows in by_session.values():
        label = _session_label(session_rows[0].session)
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


def _result_key(result_values: dict[str, Any]) -> tuple[object, ...]:
    return tuple(sorted((name, str(value)) for name, value in result_values.items()))


def _write_results(
    season: Season,
    rows: list[_ResultRow],
    report: ImportReport,
    mark_final: bool,
    preview: bool = False,
) -> None:
    entries = {entry.driver_id: entry for entry in season.entries.all()}
    # An entry takes the last team, number, class, guest and rookie flag the file gives for its
    # driver (rows are in round order), and keeps what the file leaves blank. A car found by its
    # number on the entry list keeps its entry as it is: the team of the day goes on the result.
    wanted: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in rows:
        if row.entry is not None:
            continue
        for name, value in (
            ("team", real(row.team)),
            ("car_number", row.number),
            ("season_class", row.season_class),
            ("guest", row.guest),
            ("rookie", row.rookie),
        ):
            if value is not None:
                wanted[written(row.driver).pk][name] = value
    # Written in bulk, without signals: the import raises the site version once, at its end.
    drivers = {written(row.driver).pk: written(row.driver) for row in rows}
    new_entries, changed_entries, changed_fields = [], [], set()
    for driver_pk, driver in drivers.items():
        values = wanted.get(driver_pk, {})
        entry = entries.get(driver_pk)
        if entry is None:
            entry = Entry(season=season, driver=driver, **values)
            entries[driver_pk] = entry
            new_entries.append(entry)
            _note(report, "entries", "created", f"Entry {driver.name}", list(values))
            continue
        changed = [name for name, value in values.items() if getattr(entry, name) != value]
        if changed:
            for name in changed:
                setattr(entry, name, values[name])
            changed_entries.append(entry)
            changed_fields.update(changed)
            _note(report, "entries", "updated", f"Entry {driver.name}", changed)
    Entry.objects.bulk_create(new_entries)
    if changed_entries:
        Entry.objects.bulk_update(changed_entries, sorted(changed_fields))

    by_session: dict[int, list[_ResultRow]] = defaultdict(list)
    for row in rows:
        by_session[row.session.pk].append(row)
    stored_before: dict[int, dict[int, dict[str, Any]]] = {}
    for session_rows in by_session.values():
        session = session_rows[0].session
        revisions.ensure_baseline(session)  # revisions hook: the state before this import
        new_results = [
            Result(
                session=session,
                entry=entries[written(row.driver).pk],
                team=real(row.team),
                car_number=row.number,
                position=row.position,
                status=row.status,
                **row.values,
            )
            for row in session_rows
        ]
        # Unchanged results are left alone, so loading the same file twice changes nothing.
        columns = [f.attname for f in Result._meta.concrete_fields if f.attname != "id"]
        old_values = list(session.results.values(*columns))
        if preview:
            stored_before[session.pk] = {values["entry_id"]: values for values in old_values}
        old_keys = sorted(_result_key(values) for values in old_values)
        new_keys = sorted(
            _result_key({column: getattr(result, column) for column in columns})
            for result in new_results
        )
        label = _session_label(session)
        if old_keys != new_keys:
            old_count = len(old_keys)
            session.results.all().delete()
            Result.objects.bulk_create(new_results)
            report.count("deleted", "results", old_count)
            report.count("created", "results", len(new_results))
            if old_count:
                report.changes.append(f"{label}: {len(new_results)} results replace {old_count}")
            else:
                report.changes.append(f"{label}: {len(new_results)} results")
        new_status = SessionStatus.FINAL if mark_final else SessionStatus.PROVISIONAL
        if session.status == SessionStatus.SCHEDULED or (
            mark_final and session.status not in FINAL_STATUSES
        ):
            # As Session.save() would: a new status raises the iCal revision.
            Session.objects.filter(pk=session.pk).update(
                status=new_status, revision=models.F("revision") + 1
            )
            session.status = new_status
            report.count("updated", "sessions")
            report.changes.append(f"{label}: marked {new_status}")
        # revisions hook: keep the change (refused, and all rolled back, for a final session
        # changed without a reason; see series/revisions.py)
        revisions.record_revision(session)
    if preview:
        from .imports.preview import preview_sessions

        sessions = [rows[0].session for rows in by_session.values()]
        report.sessions = preview_sessions(season, sessions, stored_before)
        report.sessions_not_shown = len(sessions) - len(report.sessions)
