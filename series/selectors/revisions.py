"""What fans see of a classification's history: a session's change log, the rounds of a season
amended since first published, the feed's amendment entries, and the standings as they stood at a
moment (rebuilt from the revisions' snapshots).

One place words a revision ("Amended 3 Oct: car 7 +5 s, track limits (decision 12): 2nd → 5th"):
describe_revision(), which the session page, the feed and the API all call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.urls import reverse

from pcc.prepared import Prepared
from pcc.reversing import cached_reverse

from .. import standings as engine
from ..models import (
    FINAL_STATUSES,
    ClassificationRevision,
    ResultStatus,
    RevisionKind,
    Season,
    Series,
    Session,
    SessionStatus,
)
from ..penalties import ordinal

# A revision that changed the classification itself (not only its status).
CLASSIFICATION_CHANGED = (
    Q(diff__has_key="changed") | Q(diff__has_key="added") | Q(diff__has_key="removed")
)
# Amendments: classification changes after the first publication, the state on record excepted.
AMENDMENTS = CLASSIFICATION_CHANGED & Q(number__gt=1) & ~Q(kind=RevisionKind.RECORDED)

FEED_LENGTH = 50
FIELD_NAMES = {
    "time": "time",
    "time_penalty": "time penalty",
    "grid_penalty": "grid penalty",
    "best_lap": "best lap",
    "fastest_lap": "fastest lap",
    "team_slug": "team",
    "number": "car number",
}


@dataclass(frozen=True)
class ChangelogEntry:
    number: int
    at: dt.datetime  # UTC
    when: str  # at, in the circuit's time: "18:30" on the session's day, else "3 Oct"
    label: str  # Provisional, Final, Corrected, Amended, Reverted, Published
    summary: str  # "car 7: 2nd → 5th · car 3: 5th → 4th"
    reason: str
    source: str
    on_record: bool  # the state kept when history-keeping began: its time is not the publication's
    amendment: bool
    revision_id: int | None = None  # for "the standings before this change"
    # A first publication entered days after the session (history loaded later): its time says
    # when the site got the results, not when the stewards published them.
    entered_later: bool = False

    @property
    def anchor(self) -> str:
        return f"revision-{self.number}"


@dataclass(frozen=True)
class Changelog:
    entries: list[ChangelogEntry]
    time_zone: str

    @property
    def worth_showing(self) -> bool:
        """Not for a lone historical entry ("entered on this site in 2026" on a 2022 race)."""
        if not self.entries:
            return False
        return len(self.entries) > 1 or not (
            self.entries[0].entered_later or self.entries[0].on_record
        )

    @property
    def amended(self) -> bool:
        return any(entry.amendment for entry in self.entries)


def _place(position: int | None, status: str | None) -> str:
    if position is not None:
        return ordinal(position)
    if status in ResultStatus.values:
        return ResultStatus(status).label.lower()
    return "unclassified"


def _round_number(session: Session) -> int:
    """The round of a scoring session (Session.objects.scoring() has only those with a round)."""
    assert session.round is not None
    return session.round.number


def _car_label(car: dict[str, Any]) -> str:
    if car.get("number") is not None:
        return f"car {car['number']}"
    return str(car.get("driver", "a car"))


def _moves(diff: dict[str, Any]) -> list[str]:
    """'car 7: 2nd → 5th', 'car 3: disqualified', 'car 12 added' from a revision's diff."""
    moves = []
    for car in diff.get("changed", ()):
        fields = car["fields"]
        if "position" in fields or "status" in fields:
            old_position, new_position = fields.get("position", [None, None])
            old_status, new_status = fields.get("status", [None, None])
            if "position" not in fields:
                old_position = new_position = None
            before = _place(old_position, old_status)
            after = _place(new_position, new_status)
            if "position" in fields and "status" not in fields:
                before, after = _place(old_position, None), _place(new_position, None)
            moves.append(f"{_car_label(car)}: {before} → {after}")
        else:
            names = ", ".join(FIELD_NAMES.get(name, name) for name in fields)
            moves.append(f"{_car_label(car)}: {names} changed")
    for car in diff.get("added", ()):
        moves.append(f"{_car_label(car)} added ({_place(car.get('position'), car.get('status'))})")
    for car in diff.get("removed", ()):
        moves.append(f"{_car_label(car)} removed")
    return moves


def _label(revision: ClassificationRevision, was_final: bool) -> str:
    changed = any(key in revision.diff for key in ("changed", "added", "removed"))
    if revision.kind == RevisionKind.REVERT:
        return "Reverted"
    if revision.diff.get("first") or revision.kind == RevisionKind.RECORDED:
        return "Final" if revision.status in FINAL_STATUSES else "Provisional"
    if changed:
        return "Amended" if was_final else "Corrected"
    return SessionStatus(revision.status).label if revision.status in SessionStatus.values else ""


def _when(at: dt.datetime, time_zone: str, session_date: dt.date | None) -> str:
    local = at.astimezone(ZoneInfo(time_zone))
    if session_date is not None and local.date() == session_date:
        return local.strftime("%H:%M")
    when = f"{local.day} {local.strftime('%b')}"
    if session_date is not None and local.year != session_date.year:
        when += f" {local.year}"
    return when


def describe_revisions(
    revisions: list[ClassificationRevision],
    time_zone: str = "UTC",
    session_date: dt.date | None = None,
) -> list[ChangelogEntry]:
    """The change log entries of one session's revisions (in number order)."""
    entries = []
    was_final = False
    for revision in revisions:
        label = _label(revision, was_final)
        changed = any(key in revision.diff for key in ("changed", "added", "removed"))
        first = bool(revision.diff.get("first")) or revision.kind == RevisionKind.RECORDED
        entered_later = (
            first
            and session_date is not None
            and revision.created_at.astimezone(ZoneInfo(time_zone)).date()
            > session_date + dt.timedelta(days=2)
        )
        entries.append(
            ChangelogEntry(
                number=revision.number,
                at=revision.created_at,
                when=_when(revision.created_at, time_zone, session_date),
                label=f"Entered as {label.lower()}" if entered_later else label,
                summary="" if first else " · ".join(_moves(revision.diff)),
                reason=revision.reason,
                source=revision.source,
                on_record=revision.kind == RevisionKind.RECORDED,
                amendment=changed and was_final and not first,
                revision_id=revision.pk,
                entered_later=entered_later,
            )
        )
        was_final = was_final or revision.status in FINAL_STATUSES
    return entries


_REVISIONS = Prepared(
    lambda session_id: (
        ClassificationRevision.objects.filter(session_id=session_id)
        .defer("snapshot")
        .order_by("number")
    )
)


def session_changelog(session: Session) -> Changelog:
    """The session's change log, oldest first; `session` comes with event__circuit. One query,
    whatever the number of revisions (their snapshots are not loaded)."""
    # query: the session's revisions, without their snapshots
    revisions = list(_REVISIONS(session.pk))
    time_zone = session.event.circuit.time_zone
    return Changelog(
        entries=describe_revisions(revisions, time_zone, session.date), time_zone=time_zone
    )


def line(entry: ChangelogEntry) -> str:
    """'Amended 3 Oct: car 7 +5 s, track limits (decision 12): 2nd → 5th' as plain text (the feed
    and the API; the page lays the same parts out in HTML)."""
    text = f"{entry.label} {entry.when}"
    details = [part for part in (entry.reason, entry.source and f"({entry.source})") if part]
    if details:
        text += ": " + " ".join(details)
    if entry.summary:
        text += ": " + entry.summary
    return text


# --- seasons --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmendedRound:
    round_number: int
    session_name: str
    url: str
    amendments: int
    last_amended_at: dt.datetime


# Prepared (pcc/prepared.py): every page of a season asks it.
_AMENDED = Prepared(
    lambda season_id: (
        ClassificationRevision.objects.filter(AMENDMENTS, session__round__season_id=season_id)
        .values_list(
            "session__round__number",
            "session__name",
            "session__slug",
            "session__event__slug",
            "created_at",
        )
        .order_by("session__round__number", "session__date", "session__name", "number")
    )
)


def amended_rounds(season: Season) -> list[AmendedRound]:
    """The season's sessions whose classification changed after first publication, by round: one
    query. For the standings and season pages ("round 4 amended on 3 Oct")."""
    # query: the amendments of the season's sessions, with what their link needs
    by_session: dict[tuple[str, str], AmendedRound] = {}
    for number, name, slug, event_slug, at in _AMENDED(season.pk):
        key = (event_slug, slug)
        known = by_session.get(key)
        by_session[key] = AmendedRound(
            round_number=number,
            session_name=name,
            url=cached_reverse("series:session-detail", (event_slug, slug)),
            amendments=(known.amendments if known else 0) + 1,
            last_amended_at=at,
        )
    return list(by_session.values())


# --- feed -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmendmentEntry:
    """One feed entry per amendment of a real session's classification."""

    title: str
    description: str
    link: str
    at: dt.datetime
    guid: str
    category: str | None


def amendment_entries(
    series: Series | None = None, limit: int = FEED_LENGTH
) -> list[AmendmentEntry]:
    """The newest amendments (optionally of one series), newest first: one query."""
    # query: the amendments with session, event, circuit, round, season and series
    revisions = (
        ClassificationRevision.objects.filter(AMENDMENTS)
        .all()
        .select_related("session__event__circuit", "session__round__season__series")
        .defer("snapshot")
        .order_by("-created_at", "-pk")
    )
    if series is not None:
        revisions = revisions.filter(session__round__season__series=series)
    entries = []
    for revision in revisions[:limit]:
        session = revision.session
        [entry] = describe_revisions_single(revision, session.event.circuit.time_zone, session.date)
        if session.round is not None:
            season = session.round.season
            event_name = session.event.name.removesuffix(f" {season.year}")
            where = f"{season.series.display_name} {season.year} — {session.name}, {event_name}"
            category = season.series.display_name
        else:
            where = f"{session.event.name} — {session.name}"
            category = None
        link = reverse("series:session-detail", args=[session.event.slug, session.slug])
        entries.append(
            AmendmentEntry(
                title=f"{where}: amended",
                description=line(entry),
                link=f"{link}#{entry.anchor}",
                at=revision.created_at,
                guid=f"amendment-{session.pk}-{revision.number}",
                category=category,
            )
        )
    return entries


def describe_revisions_single(
    revision: ClassificationRevision, time_zone: str, session_date: dt.date
) -> list[ChangelogEntry]:
    """An amendment described on its own, without the revisions before it."""
    entries = describe_revisions([revision], time_zone, session_date)
    if revision.kind == RevisionKind.REVERT:
        label = "Reverted"
    else:
        label = "Amended" if revision.status in FINAL_STATUSES else "Corrected"
    return [dataclasses.replace(entries[0], label=label, amendment=True)]


# --- standings as they stood ----------------------------------------------------------------------


def season_data_as_of(season: Season, when: dt.datetime) -> engine.SeasonData:
    """The engine's input for `season` as the record stood at `when`: each scoring session with
    revisions takes the classification of its last revision made by then (none if it was not yet
    published); a session without revisions keeps what is stored now. Entries, rules and
    adjustments are today's. The season's loader plus one query."""
    from .standings import load_season

    data = load_season(season).data
    sessions = {
        session.pk: (_round_number(session), session.slug, session.kind)
        for session in Session.objects.scoring()
        .filter(round__season=season)
        .select_related("round")
    }
    # query: every revision of the season's scoring sessions up to `when`, oldest first
    latest: dict[int, ClassificationRevision] = {}
    with_history: set[int] = set(
        ClassificationRevision.objects.filter(session_id__in=list(sessions)).values_list(
            "session_id", flat=True
        )
    )
    for revision in ClassificationRevision.objects.filter(
        session_id__in=list(sessions), created_at__lte=when
    ).order_by("session_id", "number"):
        latest[revision.session_id] = revision
    replaced = {(sessions[pk][0], sessions[pk][1]) for pk in with_history}
    known_drivers = {competitor.key for competitor in data.competitors}
    results = [row for row in data.results if (row.round, row.session) not in replaced]
    for session_id, revision in latest.items():
        round_number, slug, kind = sessions[session_id]
        for car in revision.snapshot:
            if car["driver_slug"] not in known_drivers:
                continue  # an entry since removed from the season
            results.append(
                engine.ResultRow(
                    round=round_number,
                    session=slug,
                    kind=kind,
                    driver=car["driver_slug"],
                    position=car["position"],
                    status=car["status"],
                    team=car.get("team_slug") if car.get("team_id") else None,
                    pole=bool(car.get("pole")),
                    fastest_lap=bool(car.get("fastest_lap")),
                )
            )
    return dataclasses.replace(data, results=tuple(results))


def standings_as_of(
    season: Season,
    when: dt.datetime,
    *,
    table: str = "drivers",
    class_slug: str | None = None,
    after_round: int | None = None,
) -> list[engine.StandingRow]:
    """The table as it stood at `when` (before an amendment, say), from the same engine."""
    return engine.compute_standings(
        season_data_as_of(season, when),
        table=table,
        class_slug=class_slug,
        after_round=after_round,
    )
