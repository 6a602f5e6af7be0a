"""Revisions of a published classification (the stewards' penalties that change it are worked out
in series/penalties.py, which records them here).

From a session's first publication (provisional or final) on, every change to its results is kept
as a ClassificationRevision: who, when, why (reason and source), the classification after the
change (a snapshot) and what changed since the previous revision (a diff).

The writers (the results import, the admin, the penalty tools) change the Result rows as they
always did and then call record_revision() in the same transaction. Changing a final session
requires a reason: without one record_revision raises ReasonRequired, and since the caller's
transaction rolls back, nothing is written. A final session whose classification changes becomes
"amended" (final, with amendments).

Snapshot: a list, in classification order, of one object per car:
    entry, number, driver, driver_slug, team_id, team_slug, position, status, laps,
    time (race time in microseconds), gap, best_lap (microseconds), grid, pole, fastest_lap,
    penalty (the published text), time_penalty (microseconds included in time), grid_penalty,
    points (as scored by this session under the season's rules, a decimal string; null for a
    session that scores no points).
Diff: {"status": [old, new]} when the status changed, "added" / "removed": [car, ...] and
"changed": [{"entry", "number", "driver", "fields": {name: [old, new]}}, ...].
"""

from __future__ import annotations

import contextvars
import datetime as dt
import enum
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from .models import (
    FINAL_STATUSES,
    PUBLISHED_STATUSES,
    ClassificationRevision,
    Entry,
    Result,
    ResultStatus,
    RevisionKind,
    ScoringRules,
    SeasonClass,
    Session,
    SessionStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    # Who makes a change: an editor's request.user, or None for a command.
    Editor = User | AnonymousUser | None

# One car of a snapshot, as stored in a revision's JSON (its keys are in the module's docstring),
# and a diff between two snapshots.
Car = dict[str, Any]
Diff = dict[str, object]

# Fields of a car compared between revisions (and shown in the diff), in the order a reader
# cares about them.
COMPARED = (
    "position",
    "status",
    "time",
    "gap",
    "laps",
    "penalty",
    "time_penalty",
    "grid",
    "grid_penalty",
    "best_lap",
    "pole",
    "fastest_lap",
    "points",
    # The team the car ran for, whether the result names it or leaves it to the entry (a file
    # that spells out the entry's team changes nothing a reader sees).
    "team_slug",
    "number",
)


class ReasonRequired(Exception):
    """A final session's classification may only change with a reason (the stewards' decision)."""

    def __init__(self, session: Session):
        self.session = session
        super().__init__(
            f"{session.name} is final: changing its results needs a reason "
            "(for example the stewards' decision and its number)."
        )


class RevertFailed(Exception):
    """The classification of an earlier revision cannot be restored (an entry no longer exists)."""


# --- who changes what, and why ------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeContext:
    editor: Editor = None  # a User, or None for a command
    # The one writer that calls record_revision without a kind is the results import.
    kind: str = RevisionKind.IMPORT
    reason: str = ""
    source: str = ""


_context: contextvars.ContextVar[ChangeContext | None] = contextvars.ContextVar(
    "classification_change", default=None
)


@contextmanager
def change_context(
    *, editor: Editor = None, kind: str = RevisionKind.IMPORT, reason: str = "", source: str = ""
) -> Iterator[ChangeContext]:
    """Says who makes the changes inside the block and why, for writers that call record_revision
    without those arguments (the results import, whose signature other code owns): the command
    line wraps its call in change_context(kind=IMPORT, reason=..., source=...)."""
    context = ChangeContext(editor=editor, kind=kind, reason=reason.strip(), source=source.strip())
    token = _context.set(context)
    try:
        yield context
    finally:
        _context.reset(token)


class _Unset(enum.Enum):
    UNSET = enum.auto()


_UNSET: Final = _Unset.UNSET  # an argument left out: record_revision takes it from the context


# --- snapshots ------------------------------------------------------------------------------------


def _micros(value: dt.timedelta | None) -> int | None:
    return None if value is None else value // dt.timedelta(microseconds=1)


def _duration(value: int | None) -> dt.timedelta | None:
    return None if value is None else dt.timedelta(microseconds=value)


def snapshot(session: Session) -> list[Car]:
    """The session's classification as stored now, in order (classified cars first), each car
    with the points it scores here. One query, and three more for a scoring session."""
    results = list(
        Result.objects.filter(session=session)
        .select_related("entry__driver", "entry__team", "entry__season_class", "team")
        .order_by("position", "car_number", "entry_id")
    )
    # Classified first in position order, then the others (databases disagree on where NULL goes).
    results.sort(key=lambda r: (r.position is None, r.position or 0))
    points = _points_as_scored(session, results)
    rows = []
    for result in results:
        team = result.team or result.entry.team
        rows.append(
            {
                "entry": result.entry_id,
                "number": result.car_number
                if result.car_number is not None
                else result.entry.car_number,
                "driver": result.entry.driver.name,
                "driver_slug": result.entry.driver.slug,
                "team_id": result.team_id,
                "team_slug": team.slug if team else None,
                "team": team.name if team else None,
                "position": result.position,
                "status": result.status,
                "laps": result.laps,
                "time": _micros(result.race_time),
                "gap": result.gap,
                "best_lap": _micros(result.best_lap),
                "grid": result.grid,
                "pole": result.pole,
                "fastest_lap": result.fastest_lap,
                "penalty": result.penalty,
                "time_penalty": _micros(result.time_penalty),
                "grid_penalty": result.grid_penalty,
                "points": None
                if points is None
                else _points_text(points.get(result.entry.driver.slug, Decimal(0))),
            }
        )
    return rows


def _points_text(points: Decimal) -> str:
    """25, 12.5: the points as tables print them (half points exist)."""
    return format(Decimal(points).normalize(), "f")


def _points_as_scored(session: Session, results: list[Result]) -> dict[str, Decimal] | None:
    """Driver slug -> the points this session pays in the drivers' table under the season's rules
    (round multiplier and bonuses included, adjustments not), computed by the standings engine
    itself so the figure is the one the tables use. None for a session that scores no points.
    Three queries: the round, the rules, the classes (the cars come with `results`)."""
    if not session.is_scoring:
        return None
    from . import standings as engine
    from .selectors.standings import _rules

    session_round = session.round if session.round_id is not None else None
    if session_round is None:
        return None
    rules_row = ScoringRules.objects.filter(season_id=session_round.season_id).first()
    classes = list(
        SeasonClass.objects.filter(season_id=session_round.season_id).order_by("order", "name")
    )
    competitors: dict[str, engine.Competitor] = {}
    rows = []
    for result in results:
        entry = result.entry
        key = entry.driver.slug
        competitors[key] = engine.Competitor(
            key=key,
            name=entry.driver.name,
            class_slug=entry.season_class.slug if entry.season_class else None,
            guest=entry.guest,
            team_key=entry.team.slug if entry.team else None,
        )
        rows.append(
            engine.ResultRow(
                round=session_round.number,
                session=session.slug,
                kind=session.kind,
                driver=key,
                position=result.position,
                status=result.status,
                team=result.team.slug if result.team else None,
                pole=result.pole,
                fastest_lap=result.fastest_lap,
            )
        )
    data = engine.SeasonData(
        rules=_rules(rules_row, classes),
        rounds=(
            engine.RoundInfo(
                number=session_round.number, multiplier=Decimal(session_round.multiplier)
            ),
        ),
        competitors=tuple(competitors.values()),
        results=tuple(rows),
        classes=tuple(cls.slug for cls in classes),
    )
    try:
        table = engine.compute_standings(data)
    except ValueError:
        return None
    return {row.key: row.points for row in table}


def _identity(row: Car) -> int:
    entry: int = row["entry"]
    return entry


def _car(row: Car) -> Car:
    return {"entry": row["entry"], "number": row["number"], "driver": row["driver"]}


def diff(before: list[Car], after: list[Car]) -> Diff:
    """What changed between two snapshots (see the module's docstring); {} when nothing did."""
    old = {_identity(row): row for row in before}
    new = {_identity(row): row for row in after}
    changes: Diff = {}
    added = [row for key, row in new.items() if key not in old]
    removed = [row for key, row in old.items() if key not in new]
    changed = []
    for row in after:
        previous = old.get(_identity(row))
        if previous is None:
            continue
        fields = {
            name: [previous.get(name), row.get(name)]
            for name in COMPARED
            if previous.get(name) != row.get(name)
        }
        if fields:
            changed.append({**_car(row), "fields": fields})
    if added:
        changes["added"] = added
    if removed:
        changes["removed"] = removed
    if changed:
        changes["changed"] = changed
    return changes


# --- recording ------------------------------------------------------------------------------------


def _last_revision(session: Session) -> ClassificationRevision | None:
    return ClassificationRevision.objects.filter(session=session).order_by("-number").first()


def ensure_baseline(session: Session) -> ClassificationRevision | None:
    """Keeps the state of a session published before revisions were kept, so that the next change
    has something to be compared with. Call it before writing; a no-op when the session has a
    revision already or is not published."""
    # Locks the session's row till the caller's transaction ends (PostgreSQL): two editors saving
    # one session at once take turns instead of both writing revision 1.
    fresh = (
        Session.objects.select_for_update()
        .filter(pk=session.pk)
        .values_list("status", flat=True)
        .first()
    )
    if fresh not in PUBLISHED_STATUSES:
        return None
    if ClassificationRevision.objects.filter(session=session).exists():
        return None
    return ClassificationRevision.objects.create(
        session=session,
        number=1,
        kind=RevisionKind.RECORDED,
        status=fresh,
        snapshot=snapshot(session),
        diff={},
    )


def record_revision(
    session: Session,
    *,
    editor: Editor | _Unset = _UNSET,
    kind: str | _Unset = _UNSET,
    reason: str | None | _Unset = _UNSET,
    source: str | None | _Unset = _UNSET,
    reverts_to: ClassificationRevision | None = None,
) -> ClassificationRevision | None:
    """Keeps the session's classification as it now stands as a new revision, with what changed
    since the last one. Returns None (and writes nothing) when nothing changed, or when the
    session has never been published. Arguments left out come from change_context().

    Raises ReasonRequired when the classification of a final (or amended) session changed and no
    reason is given: the caller's transaction then rolls back, so nothing is written. A final
    session whose classification changed becomes amended."""
    context = _context.get() or ChangeContext()
    editor = context.editor if editor is _UNSET else editor
    kind = context.kind if kind is _UNSET else kind
    reason = (context.reason if reason is _UNSET else reason or "").strip()
    source = (context.source if source is _UNSET else source or "").strip()
    with transaction.atomic():
        # Serialises revisions of one session (PostgreSQL; SQLite writes one at a time anyway).
        session = Session.objects.select_for_update().get(pk=session.pk)
        previous = _last_revision(session)
        rows = snapshot(session)
        if previous is None:
            if not session.is_published:
                return None  # history starts at the first publication
            changes = diff([], rows)
            changes["first"] = True
        else:
            changes = diff(previous.snapshot, rows)
            classification_changed = bool(changes)
            history = ClassificationRevision.objects.filter(session=session)
            # Ever final, not only final just now: marking a final session provisional, changing
            # it and marking it final again is no way round the reason.
            was_final = previous.status in FINAL_STATUSES or (
                classification_changed and history.filter(status__in=FINAL_STATUSES).exists()
            )
            if was_final and classification_changed:
                if not reason:
                    raise ReasonRequired(session)
                if session.status in (SessionStatus.FINAL, SessionStatus.PROVISIONAL):
                    # Final, with amendments (a provisional status set by the change itself is
                    # not a way back from final: the stewards' amended result is final too).
                    session.status = SessionStatus.AMENDED
                    session.save(update_fields=["status"])
            elif (
                session.status == SessionStatus.FINAL
                and history.filter(status=SessionStatus.AMENDED).exists()
            ):
                # Once amended, always amended: marking it final again (an import with --final,
                # the admin's action) keeps the mark that it changed after the race.
                session.status = SessionStatus.AMENDED
                session.save(update_fields=["status"])
            if previous.status != session.status:
                changes["status"] = [previous.status, session.status]
            if not changes:
                return None
        return ClassificationRevision.objects.create(
            session=session,
            number=(previous.number + 1) if previous else 1,
            editor=_stored_editor(editor),
            kind=kind,
            status=session.status,
            reason=reason[:300],
            source=source[:300],
            snapshot=rows,
            diff=changes,
            reverts_to=reverts_to,
        )


def _stored_editor(editor: Editor) -> User | None:
    """The user a revision names: none for a command or an anonymous request."""
    return editor if isinstance(editor, AbstractBaseUser) and editor.pk else None


def revert(
    session: Session,
    to_revision: ClassificationRevision,
    *,
    editor: Editor = None,
    reason: str = "",
    source: str = "",
) -> ClassificationRevision | None:
    """Restores the classification of an earlier revision, in one transaction; the restoration is
    itself a revision (kind revert). Reverting a final session needs a reason like any change."""
    if to_revision.session_id != session.pk:
        raise RevertFailed("That revision belongs to another session.")
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        ensure_baseline(session)
        entry_ids = {row["entry"] for row in to_revision.snapshot}
        known = set(Entry.objects.filter(pk__in=entry_ids).values_list("pk", flat=True))
        missing = entry_ids - known
        if missing:
            raise RevertFailed(
                f"Revision {to_revision.number} names entries that no longer exist: "
                f"{', '.join(str(pk) for pk in sorted(missing))}."
            )
        Result.objects.filter(session=session).delete()
        Result.objects.bulk_create(
            [
                Result(
                    session=session,
                    entry_id=row["entry"],
                    team_id=row.get("team_id"),
                    car_number=row.get("number"),
                    position=row.get("position"),
                    status=row.get("status") or ResultStatus.FINISHED,
                    laps=row.get("laps"),
                    race_time=_duration(row.get("time")),
                    gap=row.get("gap") or "",
                    best_lap=_duration(row.get("best_lap")),
                    grid=row.get("grid"),
                    pole=bool(row.get("pole")),
                    fastest_lap=bool(row.get("fastest_lap")),
                    penalty=row.get("penalty") or "",
                    time_penalty=_duration(row.get("time_penalty")),
                    grid_penalty=row.get("grid_penalty"),
                )
                for row in to_revision.snapshot
            ]
        )
        revision = record_revision(
            session,
            editor=editor,
            kind=RevisionKind.REVERT,
            reason=reason,
            source=source,
            reverts_to=to_revision,
        )
    from .signals import bump_site_version

    bump_site_version()  # bulk writes send no post_save
    return revision
