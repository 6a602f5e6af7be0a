"""The stewards' penalties applied to a published classification: time penalties (and
drive-throughs converted to time) added to the race times, the cars re-ordered, shown to the editor
as a proposal (apply_time_penalties, which writes nothing) and written as a penalty revision once
confirmed (confirm_penalties). The revisions themselves (snapshot, diff, record, revert) are in
series/revisions.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from .models import (
    ClassificationRevision,
    Penalty,
    PenaltyKind,
    Result,
    ResultStatus,
    RevisionKind,
    Session,
)
from .revisions import _last_revision, _micros, ensure_baseline, record_revision

if TYPE_CHECKING:
    from .revisions import Editor

_GAP = re.compile(r"^\+?\s*(?:(\d+):)?(\d+(?:\.\d+)?)\s*s?$")


def _parse_gap(gap: str) -> dt.timedelta | None:
    """'+1.234', '+1:02.345' as published; None for '+1 lap' and anything else."""
    match = _GAP.match(gap.strip())
    if not match:
        return None
    minutes, seconds = match.groups()
    return dt.timedelta(minutes=int(minutes or 0), seconds=float(Decimal(seconds)))


def _format_gap(delta: dt.timedelta) -> str:
    millis = round(delta.total_seconds() * 1000)
    minutes, millis = divmod(millis, 60_000)
    if minutes:
        return f"+{minutes}:{millis / 1000:06.3f}"
    return f"+{millis / 1000:.3f}"


@dataclass
class ProposedCar:
    """One car before and after the session's penalties are applied."""

    result: Result
    number: int | None
    driver: str
    old_position: int | None
    new_position: int | None
    old_status: str
    new_status: str
    old_time: dt.timedelta | None
    new_time: dt.timedelta | None
    old_gap: str
    new_gap: str
    penalty_text: str
    time_penalty: dt.timedelta | None
    grid_penalty: int | None
    labels: list[str]

    @property
    def changed(self) -> bool:
        result = self.result
        return (
            self.old_position != self.new_position
            or self.old_status != self.new_status
            or result.race_time != self.new_time
            or self.old_gap != self.new_gap
            or result.penalty != self.penalty_text
            or result.time_penalty != self.time_penalty
            or result.grid_penalty != self.grid_penalty
        )

    @property
    def moved(self) -> str:
        """'2nd → 5th', 'P1 → disqualified', or '' when the car keeps its place."""
        if self.old_position == self.new_position and self.old_status == self.new_status:
            return ""
        return f"{_place(self.old_position, self.old_status)} → " + _place(
            self.new_position, self.new_status
        )


def _place(position: int | None, status: str) -> str:
    if position is not None:
        return ordinal(position)
    return ResultStatus(status).label.lower() if status in ResultStatus.values else status


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass
class PenaltyProposal:
    session: Session
    cars: list[ProposedCar]
    fingerprint: str
    reason: str  # the decisions' own reasons, used when the editor gives none
    source: str

    @property
    def changed(self) -> bool:
        return any(car.changed for car in self.cars)

    @property
    def changes(self) -> list[ProposedCar]:
        return [car for car in self.cars if car.changed]


def _penalised_time(
    result: Result, leader_time: dt.timedelta | None, added: dt.timedelta | None
) -> dt.timedelta | None:
    """The car's race time with its penalties: the race time (or the leader's time plus the
    published gap), minus the penalty time it already includes, plus the time now added."""
    classified_time = result.race_time
    if classified_time is None and leader_time is not None and result.position is not None:
        gap = _parse_gap(result.gap)
        if gap is not None and result.position != 1:
            classified_time = leader_time + gap
    if classified_time is None:
        return None
    return classified_time - (result.time_penalty or dt.timedelta(0)) + (added or dt.timedelta(0))


def apply_time_penalties(session: Session) -> PenaltyProposal:
    """The classification the session's penalties give, for the editor to confirm: writes nothing.

    Time penalties (and drive-throughs converted to time) are added to the race time, minus what
    the stored time already includes (Result.time_penalty), so applying twice never adds twice.
    Classified cars whose time is known (the race time, or the leader's time plus a published gap)
    are re-ordered by laps covered, then time, among the places they held: a lapped car stays
    behind by laps, and a car whose time is unknown keeps its place. A disqualified car loses its
    position and the cars behind it move up. A grid penalty is recorded on the result's grid (the
    published grid already includes it). Rescinded penalties are not applied."""
    results = list(Result.objects.filter(session=session).select_related("entry__driver"))
    results.sort(key=lambda r: (r.position is None, r.position or 0, r.car_number or 0))
    by_entry: dict[int, list[Penalty]] = {}
    for penalty in Penalty.objects.filter(session=session).order_by("decided_at", "pk"):
        by_entry.setdefault(penalty.entry_id, []).append(penalty)

    leader = next((r for r in results if r.position == 1), None)
    leader_time = leader.race_time if leader else None
    any_laps = any(r.laps is not None for r in results if r.position is not None)

    cars: list[ProposedCar] = []
    new_times: dict[int, dt.timedelta | None] = {}
    dsq: set[int] = set()
    reasons: list[str] = []
    sources: list[str] = []
    for result in results:
        penalties = by_entry.get(result.entry_id, [])
        active = [p for p in penalties if not p.rescinded]
        seconds = sum(
            (
                p.seconds or Decimal(0)
                for p in active
                if p.kind in (PenaltyKind.TIME, PenaltyKind.DRIVE_THROUGH)
            ),
            Decimal(0),
        )
        added = dt.timedelta(seconds=float(seconds)) if seconds else None
        grid_places = sum(p.grid_places or 0 for p in active if p.kind == PenaltyKind.GRID)
        new_time = _penalised_time(result, leader_time, added)
        new_times[result.pk] = new_time
        if any(p.kind == PenaltyKind.DISQUALIFICATION for p in active):
            dsq.add(result.pk)
        number = result.car_number if result.car_number is not None else result.entry.car_number
        for p in active:
            who = f"Car {number}" if number is not None else result.entry.driver.name
            reasons.append(f"{who} {p.label}: {p.reason}")
            if p.source:
                sources.append(p.source)
        cars.append(
            ProposedCar(
                result=result,
                number=number,
                driver=result.entry.driver.name,
                old_position=result.position,
                new_position=result.position,
                old_status=result.status,
                new_status=ResultStatus.DISQUALIFIED if result.pk in dsq else result.status,
                old_time=result.race_time,
                new_time=result.race_time if result.race_time is None else new_time,
                old_gap=result.gap,
                new_gap=result.gap,
                penalty_text="; ".join(f"{p.label} ({p.reason})" for p in active)
                if penalties
                else result.penalty,
                time_penalty=added if penalties else result.time_penalty,
                grid_penalty=(grid_places or None) if penalties else result.grid_penalty,
                labels=[p.label for p in active],
            )
        )

    # Disqualified cars leave the classification; the cars behind move up into their places.
    places = {car.result.pk: car.old_position for car in cars if car.old_position is not None}
    classified = [car for car in cars if car.result.pk in places]
    dsq_positions = sorted(places[car.result.pk] for car in classified if car.result.pk in dsq)
    remaining = [car for car in classified if car.result.pk not in dsq]
    for car in cars:
        if car.result.pk in dsq:
            car.new_position = None
    slots = {
        pk: place - sum(1 for p in dsq_positions if p < place)
        for pk, place in places.items()
        if pk not in dsq
    }

    def movable(car: ProposedCar) -> bool:
        if new_times[car.result.pk] is None:
            return False
        if any_laps:
            return car.result.laps is not None
        return "lap" not in car.old_gap.lower()

    moving = [car for car in remaining if movable(car)]
    free_slots = sorted(slots[car.result.pk] for car in moving)
    moving.sort(
        key=lambda car: (-(car.result.laps or 0), new_times[car.result.pk], slots[car.result.pk])
    )
    for car, slot in zip(moving, free_slots, strict=True):
        car.new_position = slot
    for car in remaining:
        if car not in moving:
            car.new_position = slots[car.result.pk]

    # Gaps to the new leader, for the cars on its lap whose time is known.
    new_leader = next((car for car in moving if car.new_position == 1), None)
    reordered = any(
        car.new_position != car.old_position or new_times[car.result.pk] != car.old_time
        for car in moving
    )
    leader_new_time = new_times[new_leader.result.pk] if new_leader is not None else None
    if new_leader is not None and leader_new_time is not None and reordered:
        for car in moving:
            car_time = new_times[car.result.pk]
            if car is new_leader:
                car.new_gap = ""  # the leader shows its time, not a gap
            elif car.result.laps == new_leader.result.laps and car_time is not None:
                car.new_gap = _format_gap(car_time - leader_new_time)

    cars.sort(key=lambda car: (car.new_position is None, car.new_position or 0))
    fingerprint = _fingerprint(session, cars)
    return PenaltyProposal(
        session=session,
        cars=cars,
        fingerprint=fingerprint,
        reason="; ".join(dict.fromkeys(reasons)),
        source="; ".join(dict.fromkeys(sources)),
    )


def _fingerprint(session: Session, cars: list[ProposedCar]) -> str:
    import hashlib
    import json

    last = _last_revision(session)
    state = [
        [
            car.result.pk,
            car.old_position,
            car.new_position,
            car.new_status,
            _micros(car.new_time),
            car.new_gap,
            car.penalty_text,
        ]
        for car in cars
    ]
    payload = json.dumps([last.number if last else 0, state], default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def confirm_penalties(
    session: Session, *, expected: str, editor: Editor = None, reason: str = "", source: str = ""
) -> ClassificationRevision | None:
    """Writes the classification apply_time_penalties proposed, provided it is still the one the
    editor previewed (`expected` is the preview's fingerprint), and keeps it as a penalty
    revision. Without a reason of their own, the decisions' reasons are the revision's reason.
    Raises ValueError when the proposal changed since the preview."""
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=session.pk)
        proposal = apply_time_penalties(session)
        if proposal.fingerprint != expected:
            raise ValueError(
                "The classification or its penalties changed since the preview: check the new "
                "proposal and confirm again."
            )
        ensure_baseline(session)
        changes = proposal.changes
        # Free the positions that change first: the unique position per session must never meet
        # a car's old place half-way through the re-ordering.
        Result.objects.filter(
            pk__in=[car.result.pk for car in changes if car.old_position is not None]
        ).update(position=None)
        for car in changes:
            result = car.result
            result.position = car.new_position
            result.status = car.new_status
            result.race_time = car.new_time
            result.gap = car.new_gap
            result.penalty = car.penalty_text[:200]
            result.time_penalty = car.time_penalty
            result.grid_penalty = car.grid_penalty
            result.save(
                update_fields=[
                    "position",
                    "status",
                    "race_time",
                    "gap",
                    "penalty",
                    "time_penalty",
                    "grid_penalty",
                ]
            )
        return record_revision(
            session,
            editor=editor,
            kind=RevisionKind.PENALTY,
            reason=(reason or proposal.reason)[:300],
            source=(source or proposal.source)[:300],
        )
