"""The command-facing API of the imports: import_season (a season file, TOML) and import_results
(a results CSV or a timing-sheet paste), used by the import_season / import_results commands, by
load_pyramid and by the admin's upload page. Both are atomic and repeatable: every bad row is
reported at once (ImportFailed, each error naming its line) and nothing is written; a dry run does
all the work, reports it, and rolls back. Each reads and checks everything before its one short
transaction opens. The file formats are described in README.md, "Importing seasons and results"."""

from __future__ import annotations

import re
import tomllib

from ..models import (
    Driver,
    Season,
    Team,
)
from ..signals import bump_site_version
from ..standings_store import schedule as schedule_standings
from ..versions import stamp_season_record
from .names import NameBook
from .report import ImportFailed, ImportReport, RowError
from .result_rows import MAX_RESULT_BYTES, check_sessions_results, read_result_rows
from .results_writer import write_results
from .season_check import check_season
from .season_format import MAX_SEASON_FILE_CHARS, TomlLines
from .season_writer import write_season
from .timing import to_results_csv
from .writing import run_atomically


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
    lines = TomlLines(toml_text)
    errors: list[RowError] = []
    plan = check_season(data, lines, errors)
    if errors:
        raise ImportFailed(errors)

    def work() -> Season | None:
        season = write_season(plan, lines, report, errors)
        if errors:
            raise ImportFailed(errors)
        return season

    season = run_atomically(work, dry_run)
    if not dry_run and report.changed_anything:
        bump_site_version()
        if season is not None:
            schedule_standings([season.pk])  # written in bulk: its stored standings, after commit
    return (None if dry_run else season), report


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
    rows, nationalities = read_result_rows(season, csv_text, drivers, teams, errors)
    check_sessions_results(season, rows, errors)
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
        write_results(season, rows, report, mark_final, preview)

    run_atomically(work, dry_run)
    if not dry_run and report.changed_anything:
        # Results are written in bulk, which sends no post_save: stamp what they touched once
        # here (the season, its events, its drivers and teams), so other series stay cached.
        if report.created.get("drivers") or report.created.get("teams"):
            bump_site_version()  # new names reach the lists and search
        else:
            stamp_season_record(season)
        schedule_standings([season.pk])  # written in bulk: its stored standings, after commit
    return report
