"""The classification of an imported session as it will be published: position, number, driver,
team, class, class position and the points the session scores under the season's rules, with what
differs from what is stored. Built inside the import's transaction (a dry run rolls it back), so
the season's standings selector and engine see the new results; the points are theirs, not a
second computation."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import standings as engine
from ..models import Result, Season, Session
from ..selectors.standings import load_season


@dataclass
class PreviewRow:
    position: int | None
    status: str  # display label
    number: int | None
    driver: str
    team: str
    class_name: str
    class_position: int | None
    points: Decimal | None  # None: the session scores no points (practice, qualifying)
    change: str  # "", "new", "was 3rd", "was Retired"...
    guest: bool = False


@dataclass
class SessionPreview:
    session: Session
    label: str
    rows: list[PreviewRow] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # stored cars the import drops
    scores: bool = False


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _points_of(
    data: engine.SeasonData, session: Session, round_number: int
) -> tuple[dict[str, Decimal | None], dict[str, int | None]]:
    """Points and class positions of one session alone: the season's data with only this
    session's results, no drops and no adjustments (they belong to the season's table)."""
    rules = dataclasses.replace(data.rules, drop_worst=0, undroppable_last=0, class_drop={})
    alone = dataclasses.replace(
        data,
        rules=rules,
        adjustments=(),
        results=tuple(
            r for r in data.results if r.round == round_number and r.session == session.slug
        ),
    )
    points: dict[str, Decimal | None] = {
        row.key: row.points for row in engine.compute_standings(alone, table="drivers")
    }
    class_positions: dict[str, int | None] = {}
    for class_slug in data.classes:
        for row in engine.compute_standings(alone, table="drivers", class_slug=class_slug):
            for cell in row.rounds:
                if cell.round == round_number and session.slug in cell.sessions:
                    class_positions[row.key] = cell.positions[cell.sessions.index(session.slug)]
            if data.rules.class_scoring == "class-position":
                points[row.key] = row.points
    return points, class_positions


# The results' own order without its first key (the session).
_RESULT_ORDER = list(Result._meta.ordering or [])[1:]

# Sessions shown in full in one preview: a whole season's file (40 sessions, 2,000 rows) would make
# a page nobody reads and take seconds to draw; the counts and changes still cover every session.
PREVIEW_SESSIONS = 4


def preview_sessions(
    season: Season,
    sessions: list[Session],
    stored_before: dict[int, dict[int, dict[str, Any]]],
) -> list[SessionPreview]:
    loaded = load_season(season)
    previews = []
    for session in sessions[:PREVIEW_SESSIONS]:
        scores = session.is_scoring
        round_obj = session.round
        assert round_obj is not None  # an imported session belongs to a round of the season
        points, class_positions = (
            _points_of(loaded.data, session, round_obj.number) if scores else ({}, {})
        )
        preview = SessionPreview(
            session=session,
            label=f"Round {round_obj.number} · {session.name}",
            scores=scores,
        )
        before = stored_before.get(session.pk, {})
        results = (
            Result.objects.filter(session=session)
            .select_related("entry__driver", "entry__team", "entry__season_class", "team")
            .order_by(*_RESULT_ORDER)
        )
        seen: set[int] = set()
        for result in results:
            entry = result.entry
            seen.add(entry.pk)
            old = before.get(entry.pk)
            if not before:
                change = ""
            elif old is None:
                change = "new"
            elif (old["position"], old["status"]) != (result.position, result.status):
                was = (
                    _ordinal(old["position"])
                    if old["position"]
                    else Result(status=old["status"]).get_status_display()
                )
                change = f"was {was}"
            else:
                change = ""
            team = result.team or entry.team
            preview.rows.append(
                PreviewRow(
                    position=result.position,
                    status=result.get_status_display(),
                    number=result.car_number if result.car_number is not None else entry.car_number,
                    driver=entry.driver.name,
                    team=team.name if team else "",
                    class_name=entry.season_class.name if entry.season_class else "",
                    class_position=class_positions.get(entry.driver.slug),
                    points=points.get(entry.driver.slug, Decimal(0)) if scores else None,
                    change=change,
                    guest=entry.guest,
                )
            )
        removed_ids = [pk for pk in before if pk not in seen]
        if removed_ids:
            from ..models import Entry

            preview.removed = [
                entry.driver.name
                for entry in Entry.objects.filter(pk__in=removed_ids).select_related("driver")
            ]
        previews.append(preview)
    return previews
