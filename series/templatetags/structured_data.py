"""schema.org JSON-LD for events and sessions, and webcal: subscription addresses.

    {% load structured_data %}
    {% sports_event_jsonld event %}        in {% block head %} of an event page
    {% sports_event_jsonld session %}      in {% block head %} of a session page
    {% webcal_url request "series-calendar-ics" series.slug %}

The JSON-LD goes in a <script type="application/ld+json"> element: a data block, which browsers
never execute, so the site's CSP (script-src 'self') does not apply to it.
"""

import datetime as dt
import json
import zoneinfo
from typing import Any

from django import template
from django.db.models import Count, F, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ..ical import session_summary
from ..models import SCORING_KINDS, Event, Result, Series, Session, SessionStatus
from ..selectors.sessions import session_day, session_ends_at

register = template.Library()

SCHEMA = "https://schema.org"

# Hosts of events that no series in the database organises. From the shipped facts:
# rennsport_reunion_7.md, "Host: Porsche Cars North America" (montereyherald.com 2022-05-19).
EVENT_HOSTS = {"rennsport-reunion-7": "Porsche Cars North America"}


def _absolute(context, path: str) -> str:
    request: HttpRequest | None = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _place(event: Event) -> dict:
    circuit = event.circuit
    address = {"@type": "PostalAddress"}
    if circuit.place:
        address["addressLocality"] = circuit.place
    if circuit.country:
        address["addressCountry"] = circuit.country
    return {"@type": "Place", "name": circuit.name, "address": address}


def _organizations(names: list[str]) -> dict | list[dict] | None:
    organizations = [{"@type": "Organization", "name": name} for name in names]
    if not organizations:
        return None
    return organizations[0] if len(organizations) == 1 else organizations


def _event_organizers(event: Event) -> list[str]:
    """One query: the organisers of the series whose rounds the event hosts."""
    if event.slug in EVENT_HOSTS:
        return [EVENT_HOSTS[event.slug]]
    names = (
        Series.objects.filter(seasons__rounds__event=event)
        .exclude(organiser="")
        .values_list("organiser", flat=True)
        .distinct()
        .order_by("organiser")
    )
    return list(names)


def _event_status(event: Event) -> str:
    """One query. An event is cancelled when it had sessions and every one was cancelled."""
    counts = event.sessions.aggregate(
        total=Count("pk"), cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED))
    )
    cancelled = counts["total"] and counts["total"] == counts["cancelled"]
    return f"{SCHEMA}/EventCancelled" if cancelled else f"{SCHEMA}/EventScheduled"


def _event_data(context, event: Event) -> dict:
    data: dict[str, Any] = {
        "@type": "SportsEvent",
        "name": event.name,
        "startDate": event.start_date.isoformat(),
        "endDate": event.end_date.isoformat(),
        "eventStatus": _event_status(event),
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "location": _place(event),
        "url": _absolute(context, event.get_absolute_url()),
        "sport": "Motorsport",
    }
    organizer = _organizations(_event_organizers(event))
    if organizer:
        data["organizer"] = organizer
    if event.description:
        data["description"] = event.description[:500]
    return data


def _session_times(session: Session) -> tuple[str, str]:
    """ISO 8601 start and end: date and time at the circuit (with its offset) when the start is
    known, the bare day otherwise (a date alone claims no time it doesn't know)."""
    if session.starts_at is None:
        # The day, or the span it is known to (a weekend, a month): never a placeholder day.
        day = session_day(session)
        return day.first.isoformat(), day.last.isoformat()
    zone: dt.tzinfo
    try:
        zone = zoneinfo.ZoneInfo(session.event.circuit.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    start = session.starts_at.astimezone(zone)
    end = session_ends_at(session)
    assert end is not None  # known whenever the start is
    return start.isoformat(), end.astimezone(zone).isoformat()


def _competitors(context, session: Session) -> list[dict]:
    """One query: the drivers of the session's results, classified first."""
    results = (
        Result.objects.filter(session=session)
        .select_related("entry__driver")
        .order_by(F("position").asc(nulls_last=True), "car_number", "pk")
    )
    return [
        {
            "@type": "Person",
            "name": result.entry.driver.name,
            "url": _absolute(context, result.entry.driver.get_absolute_url()),
        }
        for result in results
    ]


def _session_data(context, session: Session) -> dict[str, Any]:
    start, end = _session_times(session)
    cancelled = session.status == SessionStatus.CANCELLED
    data: dict[str, Any] = {
        "@type": "SportsEvent",
        "name": session_summary(session),
        "startDate": start,
        "endDate": end,
        "eventStatus": f"{SCHEMA}/{'EventCancelled' if cancelled else 'EventScheduled'}",
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "location": _place(session.event),
        "url": _absolute(context, session.get_absolute_url()),
        "sport": "Motorsport",
        "superEvent": _event_data(context, session.event),
    }
    if session.round is not None and session.round.season.series.organiser:
        data["organizer"] = _organizations([session.round.season.series.organiser])
    elif "organizer" in data["superEvent"]:
        data["organizer"] = data["superEvent"]["organizer"]
    if session.kind in SCORING_KINDS:
        competitors = _competitors(context, session)
        if competitors:
            data["competitor"] = competitors
    return data


def json_ld_script(data: dict) -> SafeString:
    """`data` as a JSON-LD block, safe inside HTML: "<", ">" and "&" are written as JSON escapes,
    so no value (an editor's note with "</script>" in it) can end the element early."""
    payload = json.dumps({"@context": SCHEMA, **data}, ensure_ascii=False, indent=None)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def sports_event_jsonld(context, obj: Event | Session) -> SafeString | str:
    """A schema.org SportsEvent for an event or a session. A session touches its event, circuit,
    round, season and series (queries unless select_related) and its results (one query)."""
    if isinstance(obj, Session):
        return json_ld_script(_session_data(context, obj))
    if isinstance(obj, Event):
        return json_ld_script(_event_data(context, obj))
    return ""


@register.simple_tag
def webcal_url(request: HttpRequest, url_name: str, *args) -> str:
    """The webcal:// address of a calendar (calendar-ics, series-calendar-ics SLUG,
    driver-calendar-ics SLUG): a phone opens it in its calendar app as a subscription."""
    address = request.build_absolute_uri(reverse(url_name, args=args))
    return "webcal://" + address.split("://", 1)[1]
