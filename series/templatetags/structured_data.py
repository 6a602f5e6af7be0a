"""schema.org JSON-LD for events and sessions, and webcal: subscription addresses.

    {% load structured_data %}
    {% sports_event_jsonld page %}         in {% block head %} of an event or a session page
    {% webcal_url request "series-calendar-ics" series.slug %}

The tag only formats: what it says (the host, whether the event was called off, the competitors)
is loaded by the page's selector (selectors.events.event_page, selectors.sessions.session_page),
so rendering it runs no query (tests/test_structured_data.py counts them).

The JSON-LD goes in a <script type="application/ld+json"> element: a data block, which browsers
never execute, so the site's CSP (script-src 'self') does not apply to it.
"""

import datetime as dt
import json
import zoneinfo
from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ..ical import session_summary
from ..models import SCORING_KINDS, Event, Session, SessionStatus
from ..selectors.events import EventFacts, EventPage
from ..selectors.sessions import SessionPage, session_day, session_ends_at

register = template.Library()

SCHEMA = "https://schema.org"


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


def _event_status(facts: EventFacts) -> str:
    return f"{SCHEMA}/EventCancelled" if facts.cancelled else f"{SCHEMA}/EventScheduled"


def _event_data(context, event: Event, facts: EventFacts) -> dict:
    data: dict[str, Any] = {
        "@type": "SportsEvent",
        "name": event.name,
        "startDate": event.start_date.isoformat(),
        "endDate": event.end_date.isoformat(),
        "eventStatus": _event_status(facts),
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "location": _place(event),
        "url": _absolute(context, event.get_absolute_url()),
        "sport": "Motorsport",
    }
    organizer = _organizations(facts.organisers)
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


def _competitors(context, page: SessionPage) -> list[dict]:
    return [
        {
            "@type": "Person",
            "name": driver.name,
            "url": _absolute(context, driver.get_absolute_url()),
        }
        for driver in page.competitors
    ]


def _session_data(context, page: SessionPage) -> dict[str, Any]:
    session = page.session
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
        "superEvent": _event_data(context, session.event, page.event_facts),
    }
    if session.round is not None and session.round.season.series.organiser:
        data["organizer"] = _organizations([session.round.season.series.organiser])
    elif "organizer" in data["superEvent"]:
        data["organizer"] = data["superEvent"]["organizer"]
    if session.kind in SCORING_KINDS:
        competitors = _competitors(context, page)
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
def sports_event_jsonld(context, page: EventPage | SessionPage) -> SafeString | str:
    """A schema.org SportsEvent for an event page or a session page, from what its selector
    loaded (the session comes with its event, circuit, round, season and series): no query."""
    if isinstance(page, SessionPage):
        return json_ld_script(_session_data(context, page))
    if isinstance(page, EventPage):
        return json_ld_script(_event_data(context, page.event, page.facts))
    return ""


@register.simple_tag
def webcal_url(request: HttpRequest, url_name: str, *args) -> str:
    """The webcal:// address of a calendar (calendar-ics, series-calendar-ics SLUG,
    driver-calendar-ics SLUG): a phone opens it in its calendar app as a subscription."""
    address = request.build_absolute_uri(reverse(url_name, args=args))
    return "webcal://" + address.split("://", 1)[1]
