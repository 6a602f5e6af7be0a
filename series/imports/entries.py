"""A season's entry list from a CSV file or a spreadsheet paste: one line per driver's seat, with
the car number, driver, team, class, guest and rookie flags, nationality, and optionally the round
the seat starts from (car 7 changes driver from round 5: two lines with number 7, the second with
from_round 5; the first then ends at round 4).

The file is the season's entry list: its lines are created or updated (by driver), and entries it
no longer names are removed unless they have results (those are kept, and the preview names them).
Like the results import, everything is read and checked first, every bad line reported at once,
and only then written, in one short transaction that raises the site version once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import transaction
from django.utils.text import slugify

from ..models import Driver, Entry, Season, SeasonClass, Team
from ..signals import bump_site_version
from ..standings_store import schedule as schedule_standings
from .names import NameBook, NewName, fold, real, written
from .report import ImportFailed, RowError
from .timing import _split
from .values import parse_bool, parse_whole

_T = TypeVar("_T")

ENTRY_COLUMNS = (
    "number",
    "driver",
    "team",
    "class",
    "guest",
    "rookie",
    "nationality",
    "from_round",
    "to_round",
)
_ENTRY_HEADER_WORDS = {
    "number": {"number", "no", "nr", "num", "#", "car", "car no", "car number"},
    "driver": {"driver", "name", "driver name", "drivers"},
    "team": {"team", "entrant", "team name"},
    "class": {"class", "cls", "cat", "category"},
    "guest": {"guest", "guest driver"},
    "rookie": {"rookie"},
    "nationality": {"nationality", "nat", "country", "nation"},
    "from_round": {"from round", "from_round", "from", "first round"},
    "to_round": {"to round", "to_round", "to", "last round", "until round"},
}
_ENTRY_COLUMN_OF = {word: column for column, words in _ENTRY_HEADER_WORDS.items() for word in words}
MAX_ENTRY_ROWS = 1_000
MAX_ENTRY_BYTES = 512 * 1024
_MAX_NAME = Driver._meta.get_field("name").max_length
_MAX_NATIONALITY = Driver._meta.get_field("nationality").max_length


@dataclass
class _EntryLine:
    line: int
    driver: Driver | NewName[Driver]
    team: Team | NewName[Team] | None
    season_class: SeasonClass | None
    number: int | None
    guest: bool
    rookie: bool
    nationality: str
    from_round: int | None
    to_round: int | None


@dataclass
class EntryPreviewRow:
    number: int | None
    driver: str
    team: str
    class_name: str
    guest: bool
    rookie: bool
    rounds: str
    change: str  # "new", "changes team, number" or ""


@dataclass
class EntriesReport:
    dry_run: bool
    rows: list[EntryPreviewRow] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # not in the file but with results
    new_names: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return len(self.rows) - self.created - self.updated

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.removed or self.new_names)

    def summary(self) -> str:
        lines = ["Dry run: nothing was written." if self.dry_run else "Imported."]
        lines.append(
            f"Entries: {self.created} created, {self.updated} updated, "
            f"{len(self.removed)} removed, {self.unchanged} unchanged."
        )
        lines += [f"  {name} created" for name in self.new_names]
        if self.removed:
            lines.append("  Removed (not in the file, no results): " + ", ".join(self.removed))
        if self.kept:
            lines.append("  Kept (not in the file, but with results): " + ", ".join(self.kept))
        return "\n".join(lines)


def _header(cells: list[str]) -> list[str | None]:
    columns = []
    for cell in cells:
        folded = " ".join(cell.replace(".", "").replace("_", " ").split()).casefold()
        columns.append(
            _ENTRY_COLUMN_OF.get(folded) or _ENTRY_COLUMN_OF.get(folded.replace(" ", "_"))
        )
    return columns


def import_entries(
    season: Season,
    text: str,
    *,
    dry_run: bool = False,
    create_missing: bool = False,
    choices: dict[str, str] | None = None,
) -> EntriesReport:
    """The season's entry list from text (CSV, tab-separated or column-aligned, with a header).
    Raises ImportFailed naming every bad line (and the near matches that need a choice)."""
    errors: list[RowError] = []
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_ENTRY_BYTES:
        raise ImportFailed([RowError(0, f"the text is {size // 1024} KB; the limit is 512 KB")])
    drivers = NameBook(Driver, create_missing=create_missing, choices=choices)
    teams = NameBook(Team, create_missing=create_missing, choices=choices)
    lines = _read(season, text.lstrip("\ufeff"), drivers, teams, errors)
    _check(season, lines, errors)
    if errors:
        raise ImportFailed(errors, [*drivers.near_matches.values(), *teams.near_matches.values()])
    report = EntriesReport(dry_run=dry_run)
    _plan(season, lines, report)
    report.new_names = [
        f"{book.kind.capitalize()} {planned.name}"
        for book in (drivers, teams)
        for planned in book.planned.values()
    ]
    if dry_run:
        return report  # the plan needs nothing written: a preview takes no write lock at all
    with transaction.atomic():
        for book in (drivers, teams):
            book.create_planned()
        _write(season, lines, report)
    if report.changed_anything:
        # Written in bulk, without signals: the version is raised once, here.
        bump_site_version()
        schedule_standings([season.pk])
    return report


def _read(
    season: Season,
    text: str,
    drivers: NameBook[Driver],
    teams: NameBook[Team],
    errors: list[RowError],
) -> list[_EntryLine]:
    """The lines, checked (every fault in `errors`); drivers and teams not yet in the database
    come back as NewName. Writes nothing."""
    rows = _split(text, errors, lambda word: bool(_header([word])[0]))
    header_index, columns = _read_header(rows, errors)
    if errors:
        return []
    body = [(i + 1, row) for i, row in enumerate(rows) if i > header_index and row]
    if len(body) > MAX_ENTRY_ROWS:
        errors.append(
            RowError(0, f"{len(body):,} lines: an entry list has {MAX_ENTRY_ROWS:,} at most")
        )
        return []
    facts = _SeasonFacts(season, drivers, teams)
    out = []
    line = header_index + 1
    for line, row in body:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            errors.append(RowError(line, f"{len(row)} fields where the header has {len(columns)}"))
            continue
        cells = {c: v.strip() for c, v in zip(columns, row, strict=False) if c}
        row_errors: list[str] = []
        entry = _read_entry(line, cells, facts, row_errors)
        if row_errors or entry is None:
            errors.extend(RowError(line, message) for message in row_errors)
            continue
        out.append(entry)
    if not out and not errors:
        errors.append(RowError(line, "no entries in the file"))
    return out


def _read_header(
    rows: list[list[str] | None], errors: list[RowError]
) -> tuple[int, list[str | None]]:
    """The header's index and its columns (None for a column not understood, an error)."""
    header_index = next((i for i, row in enumerate(rows) if row), None)
    if header_index is None:
        if not errors:
            errors.append(RowError(1, "the entry list is empty (the first line names the columns)"))
        return 0, []
    header = rows[header_index]
    assert header is not None  # the first row that is not blank
    columns = _header(header)
    line = header_index + 1
    unknown = [
        cell.strip() for cell, column in zip(header, columns, strict=False) if column is None
    ]
    if unknown:
        errors.append(
            RowError(
                line,
                f"unknown column(s) {', '.join(map(repr, unknown))} "
                f"(columns: {', '.join(ENTRY_COLUMNS)})",
            )
        )
    named = [c for c in columns if c]
    twice = sorted({c for c in named if named.count(c) > 1})
    if twice:
        errors.append(RowError(line, f"column(s) given twice: {', '.join(twice)}"))
    if "driver" not in named:
        errors.append(RowError(line, "missing column: driver"))
    return header_index, columns


class _SeasonFacts:
    """What each line is checked against, loaded once: the season's classes and rounds, and
    the drivers and teams of the database."""

    def __init__(self, season: Season, drivers: NameBook[Driver], teams: NameBook[Team]):
        self.classes: dict[str, SeasonClass] = {}
        for season_class in season.classes.all():
            self.classes[season_class.slug] = season_class
            self.classes[season_class.name.lower()] = season_class
        self.round_numbers = set(season.rounds.values_list("number", flat=True))
        self.drivers = drivers
        self.teams = teams


def _read_entry(
    line: int, cells: dict[str, str], facts: _SeasonFacts, row_errors: list[str]
) -> _EntryLine | None:
    """One line of the list; None, with its faults in `row_errors`, when it cannot be read."""

    def value_of(column: str, parse: Callable[[str], _T]) -> _T | None:
        try:
            return parse(cells.get(column, ""))
        except ValueError as exc:
            row_errors.append(f"{column}: {exc}")
            return None

    name, nationality = cells.get("driver", ""), cells.get("nationality", "")
    for column, limit in (
        ("driver", _MAX_NAME),
        ("team", _MAX_NAME),
        ("nationality", _MAX_NATIONALITY),
    ):
        if limit is not None and len(cells.get(column, "")) > limit:
            row_errors.append(f"{column}: {len(cells[column])} characters, longer than {limit}")
    if row_errors:
        return None
    driver = None
    if not name:
        row_errors.append("driver: missing")
    else:
        driver = facts.drivers.resolve(name, row_errors, nationality=nationality)
    team = facts.teams.resolve(cells["team"], row_errors) if cells.get("team") else None
    season_class = _entry_class(cells.get("class", ""), facts.classes, row_errors)
    from_round, to_round = (
        _entry_round(column, value_of, facts.round_numbers, row_errors)
        for column in ("from_round", "to_round")
    )
    if from_round is not None and to_round is not None and from_round > to_round:
        row_errors.append("from_round comes after to_round")
    number = value_of("number", lambda raw: parse_whole(raw, maximum=9999))
    guest = value_of("guest", parse_bool)
    rookie = value_of("rookie", parse_bool)
    if row_errors or driver is None:
        return None
    return _EntryLine(
        line=line,
        driver=driver,
        team=team,
        season_class=season_class,
        number=number,
        guest=bool(guest),
        rookie=bool(rookie),
        nationality=nationality,
        from_round=from_round,
        to_round=to_round,
    )


def _entry_class(
    name: str, classes: dict[str, SeasonClass], row_errors: list[str]
) -> SeasonClass | None:
    if not name:
        return None
    season_class = classes.get(name.lower()) or classes.get(slugify(name))
    if season_class is None:
        known = ", ".join(sorted({c.name for c in classes.values()})) or "none"
        row_errors.append(f"class: unknown class {name!r} (classes: {known})")
    return season_class


def _entry_round(
    column: str,
    value_of: Callable[[str, Callable[[str], int | None]], int | None],
    round_numbers: set[int],
    row_errors: list[str],
) -> int | None:
    """A from_round or to_round, which must be a round of the season (when it has rounds)."""
    number = value_of(column, lambda raw: parse_whole(raw, minimum=1))
    if number is not None and round_numbers and number not in round_numbers:
        row_errors.append(
            f"{column}: the season has no round {number} "
            f"(rounds {min(round_numbers)}–{max(round_numbers)})"
        )
    return number


def _key(obj: Driver | NewName[Driver]) -> tuple[str, int | None]:
    return ("new", id(obj)) if isinstance(obj, NewName) else ("pk", obj.pk)


def _check(season: Season, lines: list[_EntryLine], errors: list[RowError]) -> None:
    """A driver once; a car number held by one driver at a time. A car that changes driver ends
    the earlier seat the round before the later one starts (unless the file says when)."""
    seen: dict[tuple[str, int | None], int] = {}
    for entry in lines:
        key = _key(entry.driver)
        if key in seen:
            errors.append(
                RowError(
                    entry.line,
                    f"{entry.driver.name} is on the list twice (also line {seen[key]}): a driver "
                    "has one entry per season (the team of each race goes on the result)",
                )
            )
        else:
            seen[key] = entry.line
    by_number: dict[int, list[_EntryLine]] = defaultdict(list)
    for entry in lines:
        if entry.number is not None:
            by_number[entry.number].append(entry)
    for number, seats in by_number.items():
        seats.sort(key=lambda e: e.from_round or 0)
        for earlier, later in zip(seats, seats[1:], strict=False):
            if later.from_round is None:
                errors.append(
                    RowError(
                        later.line,
                        f"car {number} is also {earlier.driver.name}'s (line {earlier.line}): give "
                        "from_round, the round from which the car changes driver",
                    )
                )
                continue
            if earlier.to_round is None:
                earlier.to_round = later.from_round - 1
            if earlier.to_round >= later.from_round or earlier.to_round < (earlier.from_round or 1):
                errors.append(
                    RowError(
                        later.line,
                        f"car {number} is {earlier.driver.name}'s (line {earlier.line}) in round "
                        f"{later.from_round} too: the seats overlap",
                    )
                )


def _planned_values(line: _EntryLine) -> dict[str, object]:
    return {
        "team": real(line.team),
        "car_number": line.number,
        "season_class": line.season_class,
        "guest": line.guest,
        "rookie": line.rookie,
        "from_round": line.from_round,
        "to_round": line.to_round,
    }


_FIELD_LABELS = {
    "team": "team",
    "car_number": "number",
    "season_class": "class",
    "guest": "guest",
    "rookie": "rookie",
    "from_round": "first round",
    "to_round": "last round",
}


def _rounds_label(from_round: int | None, to_round: int | None) -> str:
    return Entry(from_round=from_round, to_round=to_round).rounds_label


def _plan(season: Season, lines: list[_EntryLine], report: EntriesReport) -> None:
    existing = {
        e.driver_id: e for e in season.entries.select_related("driver", "team", "season_class")
    }
    named: set[int] = set()
    for line in lines:
        entry = None if isinstance(line.driver, NewName) else existing.get(line.driver.pk)
        values = _planned_values(line)
        if entry is None:
            change = "new"
            report.created += 1
        else:
            named.add(entry.driver_id)
            changed = [
                _FIELD_LABELS[name]
                for name, value in values.items()
                if isinstance(value, NewName) or getattr(entry, name) != value
            ]
            change = "changes " + ", ".join(changed) if changed else ""
            report.updated += bool(changed)
        report.rows.append(
            EntryPreviewRow(
                number=line.number,
                driver=line.driver.name,
                team=line.team.name if line.team else "",
                class_name=line.season_class.name if line.season_class else "",
                guest=line.guest,
                rookie=line.rookie,
                rounds=_rounds_label(line.from_round, line.to_round),
                change=change,
            )
        )
    others = [e for pk, e in existing.items() if pk not in named]
    with_results = set(
        Entry.objects.filter(pk__in=[e.pk for e in others], results__isnull=False).values_list(
            "pk", flat=True
        )
    )
    report.removed = [e.driver.name for e in others if e.pk not in with_results]
    report.kept = [e.driver.name for e in others if e.pk in with_results]


def _write(season: Season, lines: list[_EntryLine], report: EntriesReport) -> None:
    existing = {e.driver_id: e for e in season.entries.select_for_update()}
    named: set[int] = set()
    new: list[Entry] = []
    changed: list[Entry] = []
    fields = ["team", "car_number", "season_class", "guest", "rookie", "from_round", "to_round"]
    for line in lines:
        driver = written(line.driver)
        named.add(driver.pk)
        values = _planned_values(line)
        if line.nationality and not driver.nationality:
            Driver.objects.filter(pk=driver.pk).update(nationality=line.nationality)
        entry = existing.get(driver.pk)
        if entry is None:
            new.append(Entry(season=season, driver=driver, **values))
        elif any(getattr(entry, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(entry, name, value)
            changed.append(entry)
    # Remove first, update second, create last: numbers move between seats without meeting
    # themselves (no constraint today, but the order is the safe one).
    Entry.objects.filter(season=season, results__isnull=True).exclude(driver_id__in=named).delete()
    if changed:
        Entry.objects.bulk_update(changed, fields)
    Entry.objects.bulk_create(new)


def copy_entries(source: Season, target: Season) -> list[Entry]:
    """The seats of `source` at its end, as a starting point for `target`: drivers, numbers, teams,
    classes of the same name, guest and rookie flags. Drivers who already have an entry in target
    are left alone; a seat given up before the last round (to_round) is not copied."""
    taken = set(target.entries.values_list("driver_id", flat=True))
    classes = {c.slug: c for c in target.classes.all()}
    copies = [
        Entry(
            season=target,
            driver_id=entry.driver_id,
            team_id=entry.team_id,
            car_number=entry.car_number,
            season_class=classes.get(entry.season_class.slug) if entry.season_class else None,
            guest=entry.guest,
            rookie=False,  # a rookie season is one season
        )
        for entry in source.entries.select_related("season_class")
        if entry.driver_id not in taken and entry.to_round is None
    ]
    with transaction.atomic():
        Entry.objects.bulk_create(copies)
    if copies:
        bump_site_version()
        schedule_standings([target.pk])
    return copies


def previous_season(season: Season) -> Season | None:
    return (
        Season.objects.filter(series_id=season.series_id, year__lt=season.year)
        .order_by("-year")
        .first()
    )


__all__ = ["ENTRY_COLUMNS", "import_entries", "copy_entries", "previous_season", "fold"]
