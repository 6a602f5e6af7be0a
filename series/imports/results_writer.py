"""Writing checked result rows: the season's entries (in bulk), each session's results replaced only
when they differ (so a repeated import changes nothing), the session's status, its revision, and
the preview of the classification as it will be published."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models

from .. import revisions
from ..models import (
    FINAL_STATUSES,
    Entry,
    Result,
    Season,
    Session,
    SessionStatus,
)
from .names import real, written
from .report import ImportReport
from .result_rows import ResultRow, session_label
from .writing import note_change


def _result_key(result_values: dict[str, Any]) -> tuple[object, ...]:
    return tuple(sorted((name, str(value)) for name, value in result_values.items()))


def write_results(
    season: Season,
    rows: list[ResultRow],
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
            note_change(report, "entries", "created", f"Entry {driver.name}", list(values))
            continue
        changed = [name for name, value in values.items() if getattr(entry, name) != value]
        if changed:
            for name in changed:
                setattr(entry, name, values[name])
            changed_entries.append(entry)
            changed_fields.update(changed)
            note_change(report, "entries", "updated", f"Entry {driver.name}", changed)
    Entry.objects.bulk_create(new_entries)
    if changed_entries:
        Entry.objects.bulk_update(changed_entries, sorted(changed_fields))

    by_session: dict[int, list[ResultRow]] = defaultdict(list)
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
        label = session_label(session)
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
        from .preview import preview_sessions

        sessions = [rows[0].session for rows in by_session.values()]
        report.sessions = preview_sessions(season, sessions, stored_before)
        report.sessions_not_shown = len(sessions) - len(report.sessions)
