"""The API's view of a classification's history: /api/v1/events/{event}/{session}/revisions/.

Mounted on the API in series/api/__init__.py. Worded by the same selector as the session page's
change log (series/selectors/revisions.py), so the page, the feed and the API say the same thing.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from ..models import ClassificationRevision, Session
from ..selectors.revisions import describe_revisions, line
from .common import DETAIL_RESPONSES, format_duration, get_or_404
from .pagination import Pages

router = Router(tags=["events"])


class RevisionCarOut(Schema):
    position: int | None
    status: str
    number: int | None
    driver: dict[str, str]
    team: dict[str, str] | None
    laps: int | None
    time: str | None
    gap: str
    penalty: str
    points: str | None  # as scored in this session; null when the session scores no points


class RevisionOut(Schema):
    number: int
    created_at: dt.datetime
    kind: str
    status: str
    label: str
    reason: str
    source: str
    summary: str
    text: str
    changes: dict[str, Any]
    classification: list[RevisionCarOut]


def _car(car: dict) -> dict:
    team = (
        {"slug": car["team_slug"], "name": car.get("team") or car["team_slug"]}
        if car.get("team_slug")
        else None
    )
    return {
        "position": car.get("position"),
        "status": car.get("status") or "",
        "number": car.get("number"),
        "driver": {"slug": car.get("driver_slug") or "", "name": car.get("driver") or ""},
        "team": team,
        "laps": car.get("laps"),
        "time": format_duration(dt.timedelta(microseconds=car["time"]))
        if car.get("time") is not None
        else None,
        "gap": car.get("gap") or "",
        "penalty": car.get("penalty") or "",
        "points": car.get("points"),
    }


@router.get(
    "/events/{event}/{session}/revisions/",
    response={200: list[RevisionOut], **DETAIL_RESPONSES},
    summary="A session's classification history",
    # The id it had before the API became a package: clients generated from the document keep it.
    operation_id="series_api_revisions_session_revisions",
    description="Every revision of the classification since it was first published, oldest "
    "first: when, what kind of change (import, paste, hand edit, penalty, revert, status), the "
    "session's status after it (provisional, final, amended), the stewards' reason and source, "
    "what changed, and the classification as it then stood with the points each car scored.",
)
@paginate(Pages)
def session_revisions(request: HttpRequest, event: str, session: str):
    queryset = Session.objects.all().select_related("event__circuit")
    found = get_or_404(queryset, "session", event__slug=event, slug=session)
    revisions = list(ClassificationRevision.objects.filter(session=found).order_by("number"))
    entries = describe_revisions(revisions, found.event.circuit.time_zone, found.date)
    return [
        {
            "number": revision.number,
            "created_at": revision.created_at,
            "kind": revision.kind,
            "status": revision.status,
            "label": entry.label,
            "reason": revision.reason,
            "source": revision.source,
            "summary": entry.summary,
            "text": line(entry),
            "changes": revision.diff,
            "classification": [_car(car) for car in revision.snapshot],
        }
        for revision, entry in zip(revisions, entries, strict=True)
    ]
