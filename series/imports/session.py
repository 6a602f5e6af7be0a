"""A session page's import: the results CSV (or a pasted timing sheet) limited to that session's
rows. The round and session columns are filled in for the session, and a row naming another round
or session is an error of its line; then the season's import_results runs on what is left."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..models import Session
from .api import import_results
from .names import NearMatch
from .report import ImportFailed, ImportReport, RowError
from .timing import to_results_csv

# --- a session's page: only that session's rows ------------------------------------------------


def _csv_lines(text: str, errors: list[RowError]) -> Iterator[tuple[int, int, list[str] | None]]:
    """(line, lines consumed, cells) of a CSV; a line the csv module cannot read (a field over its
    limit) is a row error, and reading goes on."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            consumed, line = reader.line_num - line, reader.line_num
            errors.append(RowError(line, f"cannot read the line: {exc}"))
            yield line, consumed, None
            continue
        consumed, line = reader.line_num - line, reader.line_num
        yield line, consumed, row


_NO_ROUND = (
    "the session belongs to no round of a season, so it has no entries: give it a round first"
)


def limit_to_session(csv_text: str, session: Session) -> tuple[str, list[RowError]]:
    """The CSV with its round and session columns filled in for this session (added if missing,
    blanks filled), and an error for every row that names another round or session. Lines keep
    their numbers, so the importer's errors still name the editor's lines."""
    if session.round is None:
        return csv_text, [RowError(0, _NO_ROUND)]
    round_number = session.round.number
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    errors: list[RowError] = []
    label = f"round {round_number} {session.kind} ({session.slug})"
    header = None
    for line, consumed, row in _csv_lines(csv_text, errors):
        if row is None or not any(cell.strip() for cell in row):
            # The importer skips a blank row; keep it to keep line numbers.
            output.write("\n" * consumed)
            continue
        if header is None:
            header = row
            columns = [column.strip().lower() for column in header]
            added = [column for column in ("round", "session") if column not in columns]
            writer.writerow([*header, *added])
            columns += added
            continue
        if len(row) != len(header):
            # Named here, against the editor's own header: the importer would count the columns
            # added above. The blank lines left in its place are skipped by the importer.
            errors.append(RowError(line, f"{len(row)} fields where the header has {len(header)}"))
            output.write("\n" * consumed)
            continue
        cells = dict(zip(columns, [*row, *([""] * len(added))], strict=True))
        given_round = cells["round"].strip()
        given_session = cells["session"].strip().lower()
        # A round that is not a number is left to the importer, which names it.
        if given_round.isdigit() and int(given_round) != round_number:
            errors.append(
                RowError(
                    line,
                    f"round {given_round}: this page imports {label} only "
                    "(import other rounds on the season's page)",
                )
            )
        elif given_session and given_session not in {session.slug, session.kind}:
            errors.append(
                RowError(
                    line,
                    f"session {cells['session'].strip()!r}: this page imports {label} only "
                    "(import other sessions on the season's page)",
                )
            )
        cells["round"] = given_round or str(round_number)
        # The slug, not the kind: a round with two races would make "race" ambiguous.
        if not given_session or given_session == session.kind:
            cells["session"] = session.slug
        writer.writerow([cells[column] for column in columns])
    if header is None:
        return csv_text, errors
    return output.getvalue(), errors


def import_session_results(
    session: Session,
    text: str,
    *,
    dry_run: bool,
    create_missing: bool = False,
    mark_final: bool = False,
    choices: dict[str, str] | None = None,
    preview: bool = False,
) -> ImportReport:
    """import_results limited to one session, from the results CSV or a pasted timing sheet;
    raises ImportFailed naming every bad row, the rows of other sessions among them, and writes
    nothing then."""
    if session.round is None:
        raise ImportFailed([RowError(0, _NO_ROUND)])
    season = session.round.season
    csv_text, errors = to_results_csv(text)
    if errors:
        raise ImportFailed(errors)
    limited_text, errors = limit_to_session(csv_text, session)

    def run(dry_run: bool, preview: bool = False) -> ImportReport:
        return import_results(
            season,
            limited_text,
            dry_run=dry_run,
            create_missing=create_missing,
            mark_final=mark_final,
            choices=choices,
            preview=preview,
        )

    if errors:
        # Report the file's other faults too, so the editor fixes everything at once.
        near_matches: list[NearMatch] = []
        try:
            run(dry_run=True)
        except ImportFailed as failure:
            errors += failure.errors
            near_matches = failure.near_matches
        raise ImportFailed(errors, near_matches)
    return run(dry_run=dry_run, preview=preview)
