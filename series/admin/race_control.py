"""Race control: the page editors land on from the admin home. It lists the sessions of the
current and next race weekends and every past session still waiting for its results or for being
marked final, each with its status and one-click actions (paste or upload results, mark final,
edit). Publishing a 40-car classification from a paste takes four actions from the admin home:
Race control, Paste results, Preview (after the paste), Confirm.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..models import Event, Session, SessionKind, SessionStatus

# The mixin is used with ModelAdmin: type it as one.
if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    _AdminBase = admin.ModelAdmin[Session]
else:
    _AdminBase = object

# Past sessions listed at most (the oldest backlog is in the sessions list, filtered by status).
PAST_LIMIT = 100
# "Next race weekend": the events starting within this many days, or else the next one.
AHEAD_DAYS = 10
PAST_KINDS = (SessionKind.RACE, SessionKind.SPRINT, SessionKind.QUALIFYING)


@dataclass
class RaceControlRow:
    session: Session
    results: int
    local_start: dt.datetime | None

    @property
    def local_label(self) -> str:
        # Formatted here: the template's date filter would turn it back into the server's zone.
        if self.local_start is None:
            return ""
        return f"{self.local_start:%a} {self.local_start.day} {self.local_start:%b %H:%M}"

    @property
    def can_be_final(self) -> bool:
        return self.session.status != SessionStatus.FINAL and (
            self.results > 0 or bool(self.session.no_classification)
        )


class _ResultCount(TypedDict):
    result_count: int


if TYPE_CHECKING:
    SessionWithCount = WithAnnotations[Session, _ResultCount]


class RaceControlData(TypedDict):
    weekend_rows: list[RaceControlRow]
    past_rows: list[RaceControlRow]
    past_more: bool


def _rows(sessions: Iterable[SessionWithCount]) -> list[RaceControlRow]:
    rows = []
    for session in sessions:
        tz = session.event.circuit.tz
        local = session.starts_at.astimezone(tz) if session.starts_at else None
        rows.append(RaceControlRow(session, session.result_count, local))
    return rows


def _sessions() -> QuerySet[SessionWithCount]:
    return Session.objects.select_related("event__circuit", "round__season__series").annotate(
        result_count=Count("results")
    )


def race_control_data(today: dt.date) -> RaceControlData:
    """The weekends around today and the backlog, in four queries."""
    current = list(Event.objects.filter(start_date__lte=today, end_date__gte=today))
    ahead = list(
        Event.objects.filter(start_date__gt=today, start_date__lte=today + dt.timedelta(AHEAD_DAYS))
    )
    if not ahead:
        following = Event.objects.filter(start_date__gt=today).order_by("start_date").first()
        if following is not None:
            ahead = list(Event.objects.filter(start_date=following.start_date))
    weekend_events = [event.pk for event in current + ahead]
    weekend = _sessions().filter(event_id__in=weekend_events).order_by("date", "starts_at", "name")
    backlog = (
        _sessions()
        .filter(date__lt=today, round__isnull=False, kind__in=PAST_KINDS)
        .exclude(event_id__in=weekend_events)
        .exclude(status__in=[SessionStatus.FINAL, SessionStatus.CANCELLED])
        .order_by("-date", "-starts_at", "name")
    )
    past = list(backlog[: PAST_LIMIT + 1])
    return {
        "weekend_rows": _rows(weekend),
        "past_rows": _rows(past[:PAST_LIMIT]),
        "past_more": len(past) > PAST_LIMIT,
    }


class RaceControlMixin(_AdminBase):
    """For SessionAdmin: /admin/series/session/race-control/ and its mark-final button."""

    def get_urls(self) -> list[URLPattern]:
        urls = [
            path(
                "race-control/",
                self.admin_site.admin_view(self.race_control_view),
                name="series_session_race_control",
            ),
            path(
                "race-control/<int:session_id>/final/",
                self.admin_site.admin_view(self.race_control_final_view),
                name="series_session_race_control_final",
            ),
        ]
        return urls + super().get_urls()

    def race_control_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Race control",
            "today": timezone.localdate(),
            "can_change": self.has_change_permission(request),
            "can_import": request.user.has_perms(("series.add_result", "series.change_result")),
            **race_control_data(timezone.localdate()),
        }
        return TemplateResponse(request, "admin/series/session/race_control.html", context)

    def race_control_final_view(self, request: HttpRequest, session_id: int) -> HttpResponse:
        return _mark_final(request, self, session_id)


@require_POST
def _mark_final(
    request: HttpRequest, model_admin: admin.ModelAdmin[Session], session_id: int
) -> HttpResponse:
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    session = get_object_or_404(Session, pk=session_id)
    back = HttpResponseRedirect(reverse("admin:series_session_race_control"))
    if session.status == SessionStatus.FINAL:
        messages.info(request, f"{session} · {session.event} was already final.")
        return back
    session.status = SessionStatus.FINAL
    refusal = session.final_refusal(session.results.exists())
    if refusal:
        messages.error(request, refusal)
        return back
    session.save(update_fields=["status"])
    model_admin.log_change(request, session, "Marked final (race control).")
    messages.success(request, f"{session} · {session.event} is final.")
    return back
