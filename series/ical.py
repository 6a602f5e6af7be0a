"""Calendar subscriptions: sessions as iCalendar VEVENTs (RFC 5545), built with icalendar.

Times: a session's start is stored in UTC. Each VEVENT carries it as DTSTART;TZID=<circuit
zone> with a VTIMEZONE for that zone, so a phone shows the right moment in the reader's own zone and
the event still says in which local time it happens. The one exception is a start or end in the hour
repeated when summer time ends: a TZID wall-clock time cannot say which of the two it means, so that
session is written in UTC (always right). A session whose time is not published yet is an all-day
event on its day (VALUE=DATE): a bare date carries no zone, so nothing is converted. Where only the
weekend (or the month) of a race is known, the all-day event spans the weekend (or the month) and
its description says the day is not known: a placeholder day is never given as the day.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.enums import STATUS, TRANSP

from .models import Driver, MediaLink, Season, Series, Session, SessionStatus
from .selectors.sessions import session_day, session_ends_at, session_state

# Calendar apps poll subscriptions on their own schedule; this asks them not to poll more often.
REFRESH_INTERVAL = dt.timedelta(hours=6)
PRODID = "-//pcc//Porsche one-make racing calendar//EN"


def _real_sessions() -> QuerySet[Session]:
    """Sessions of real (not synthetic) events, with everything a VEVENT shows joined in."""
    return (
        Session.objects.all()
        .select_related("event__circuit", "round__season__series")
        .order_by("date", "starts_at", "event__slug", "slug")
    )


def all_sessions() -> QuerySet[Session]:
    """Every session of every real event, those without a round (parade laps, demo runs) too."""
    return _real_sessions()


def series_sessions(series: Series) -> QuerySet[Session]:
    """The sessions of the rounds of every season of one series."""
    return _real_sessions().filter(round__season__series=series)


def driver_sessions(driver: Driver) -> QuerySet[Session]:
    """The sessions of the rounds of every season the driver has an entry in (a guest entry too)."""
    seasons = Season.objects.filter(entries__driver=driver).values("pk")
    return _real_sessions().filter(round__season__in=seasons)


def _media_links_by_owner(sessions: list[Session]) -> dict[tuple[str, int], list[MediaLink]]:
    """One query: the watch links of these sessions, their events, seasons and series."""
    session_ids = {session.pk for session in sessions}
    event_ids = {session.event_id for session in sessions}
    rounds = [session.round for session in sessions if session.round is not None]
    season_ids = {round_.season_id for round_ in rounds}
    series_ids = {round_.season.series_id for round_ in rounds}
    links = MediaLink.objects.filter(
        Q(session__in=session_ids)
        | Q(event__in=event_ids)
        | Q(season__in=season_ids)
        | Q(series__in=series_ids)
    ).order_by("region", "kind", "provider")
    by_owner: dict[tuple[str, int], list[MediaLink]] = defaultdict(list)
    for link in links:
        for owner in ("session", "event", "season", "series"):
            owner_id = getattr(link, f"{owner}_id")
            if owner_id is not None:
                by_owner[(owner, owner_id)].append(link)
    return by_owner


def _watch_links(
    session: Session, by_owner: dict[tuple[str, int], list[MediaLink]]
) -> list[MediaLink]:
    """The most specific links first: the session's own, then its event's, season's, series'."""
    owners = [("session", session.pk), ("event", session.event_id)]
    if session.round is not None:
        owners += [("season", session.round.season_id), ("series", session.round.season.series_id)]
    links: list[MediaLink] = []
    seen: set[str] = set()
    for owner in owners:
        for link in by_owner.get(owner, []):
            if link.url not in seen:
                seen.add(link.url)
                links.append(link)
    return links


def session_summary(session: Session) -> str:
    """ "Carrera Cup North America — Race 13 (Rennsport Reunion 7)"."""
    where = f"{session.name} ({session.event.name})"
    if session.round is not None:
        return f"{session.round.season.series.display_name} — {where}"
    return where


def session_location(session: Session) -> str:
    circuit = session.event.circuit
    return ", ".join(part for part in (circuit.name, circuit.place, circuit.country) if part)


def session_uid(session: Session) -> str:
    # From slugs, not database ids: the UID survives a reload of the data into a new database,
    # so a subscriber's calendar updates the event instead of showing it twice.
    return f"{session.event.slug}/{session.slug}@pcc"


def _circuit_zone(session: Session) -> zoneinfo.ZoneInfo | dt.timezone:
    try:
        return zoneinfo.ZoneInfo(session.event.circuit.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _unambiguous(moment: dt.datetime, zone) -> bool:
    """Whether the wall-clock time at the circuit names this moment and no other. In the hour
    repeated when summer time ends (02:30 in Berlin on 29 October 2023 happens twice) a TZID time
    is read as the first of the two (RFC 5545 3.3.5), an hour early for a start at 01:30 UTC."""
    local = moment.astimezone(zone).replace(tzinfo=None)
    first_reading = local.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)
    return first_reading == moment.astimezone(dt.UTC)


def _description(session: Session, event_url: str, links: list[MediaLink]) -> str:
    lines = [session_summary(session)]
    state = session_state(session)
    if state.key != "scheduled":
        # The same words as the session's badge on the site (one place for a session's state).
        lines.append(f"{state.label}: {state.explanation}")
    if session.starts_at is None:
        day = session_day(session)
        if not day.exact:
            lines.append(f"Date: {day.label} (the day is not known).")
        lines.append("Start time not published yet.")
    lines.append(f"Event page: {event_url}")
    if links:
        lines.append("")
        lines.append("Where to watch:")
        # A link whose source names the service only has no address: said so, not an empty one.
        lines.extend(
            f"- {link.provider} ({link.get_kind_display()}, {link.region}): "
            + (link.url or "no address on record")
            for link in links
        )
    return "\n".join(lines)


def build_calendar(
    sessions: Iterable[Session],
    *,
    name: str,
    uid: str,
    absolute_url: Callable[[str], str],
    now: dt.datetime | None = None,
) -> bytes:
    """The calendar file for these sessions. `absolute_url` turns a path into a full address (the
    view passes request.build_absolute_uri). One query beyond the sessions: their watch links."""
    sessions = list(sessions)
    stamp = now or timezone.now()
    calendar = Calendar.new(name=name, uid=uid, prodid=PRODID, refresh_interval=REFRESH_INTERVAL)
    by_owner = _media_links_by_owner(sessions)
    # An event's address once per event, not per session (a weekend has a dozen sessions).
    event_urls: dict[int, str] = {}
    for session in sessions:
        event_url = event_urls.get(session.event_id)
        if event_url is None:
            event_url = event_urls[session.event_id] = absolute_url(
                session.event.get_absolute_url()
            )
        vevent = VEvent.new(
            uid=session_uid(session),
            stamp=stamp,
            summary=session_summary(session),
            location=session_location(session),
            description=_description(session, event_url, _watch_links(session, by_owner)),
            url=event_url,
            sequence=session.revision,
            status=STATUS.CANCELLED
            if session.status == SessionStatus.CANCELLED
            else STATUS.CONFIRMED,
            # A fan's race calendar should not mark the whole weekend as busy.
            transparency=TRANSP.TRANSPARENT,
        )
        end = session_ends_at(session)
        if session.starts_at is None or end is None:
            # All day over the span the day is known to: the day itself, the weekend, or the
            # month (a month-only date gets no invented day; its description says so).
            day = session_day(session)
            vevent.start = day.first
            vevent.end = day.last + dt.timedelta(days=1)
        else:
            zone = _circuit_zone(session)
            start = session.starts_at
            if _unambiguous(start, zone) and _unambiguous(end, zone):
                vevent.start, vevent.end = start.astimezone(zone), end.astimezone(zone)
            else:
                vevent.start, vevent.end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
        calendar.add_component(vevent)
    if sessions:
        # VTIMEZONEs only over the years the calendar covers: the default (1970-2038) would add
        # hundreds of transitions per zone to every download.
        first = min(session.date for session in sessions) - dt.timedelta(days=7)
        last = max(session.date for session in sessions) + dt.timedelta(days=7)
        calendar.add_missing_timezones(first_date=first, last_date=last)
        _sort_timezones(calendar)
    return calendar.to_ical()


def _sort_timezones(calendar: Calendar) -> None:
    """VTIMEZONEs first (as icalendar puts them), A-Z by TZID: icalendar adds them in the order
    of a set, which differs from one process to the next, and the file (and its ETag) must not."""
    zones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    others = [c for c in calendar.subcomponents if c.name != "VTIMEZONE"]
    calendar.subcomponents[:] = sorted(zones, key=lambda zone: str(zone["TZID"])) + others
