"""One session's facts (when it ends, its day as precisely as known, its state) and the session
page (the classification with class positions).

The pages, the API, iCal, the Atom feed and the JSON-LD all call these: one place per fact."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from pcc.prepared import Prepared

from ..models import (
    DatePrecision,
    Driver,
    Entry,
    Result,
    Round,
    Series,
    Session,
    SessionStatus,
    Team,
)
from .events import EventFacts, event_facts
from .watch import WatchInfo, watch_links_for

# A session whose length is not published is taken to last an hour (calendars need an end).
DEFAULT_SESSION_DURATION = dt.timedelta(minutes=60)


def session_ends_at(session: Session) -> dt.datetime | None:
    """When a session ends (UTC): its start plus its published length, or an hour when the length
    is not published; None when the start time is not known. The one place the end is computed:
    iCal, the Atom feed and the pages' JSON-LD call it."""
    if session.starts_at is None:
        return None
    minutes = session.duration_minutes
    return session.starts_at + (
        dt.timedelta(minutes=minutes) if minutes else DEFAULT_SESSION_DURATION
    )


@dataclass(frozen=True)
class SessionDay:
    """A session's day as precisely as the record knows it. `first`..`last` (inclusive) is the
    span it fell in: one day when exact, the event's dates when only the weekend is known, the
    whole month when only the month is."""

    exact: bool
    label: str
    first: dt.date
    last: dt.date
    precision: str


def session_day(session: Session) -> SessionDay:
    """The one place that says on which day a session ran: pages, API and iCal call it. A
    published start time makes the day exact; otherwise the round's (or, for a month-only event,
    the event's) precision decides, and a placeholder day is never passed off as the day. Touches
    session.event and session.round (select_related them)."""
    import calendar as month_calendar

    from ..dates import round_date_label

    round_ = session.round
    if (
        not Session.event.is_cached(session)
        and round_ is not None
        and Round.event.is_cached(round_)
    ):
        # A round's event is its sessions' event: use the one already loaded.
        event = round_.event
    else:
        event = session.event
    precision: str = DatePrecision.DAY
    if round_ is not None:
        precision = round_.date_precision
    if event.date_precision == DatePrecision.MONTH:
        precision = DatePrecision.MONTH
    if session.starts_at is not None or precision == DatePrecision.DAY:
        day = session.date
        return SessionDay(True, f"{day:%a} {day.day} {day:%B %Y}", day, day, DatePrecision.DAY)
    if precision == DatePrecision.MONTH:
        first = session.date.replace(day=1)
        last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
        return SessionDay(False, f"{first:%B %Y}", first, last, precision)
    label = round_date_label(session.date, precision, event.start_date, event.end_date)
    return SessionDay(False, label, event.start_date, event.end_date, precision)


@dataclass(frozen=True)
class SessionState:
    """A session's state as a fan reads it: scheduled, no-results (held, nothing entered),
    provisional, final or cancelled."""

    key: str
    label: str
    explanation: str


def session_state(session: Session, today: dt.date | None = None) -> SessionState:
    """The one place a session's state is worded: the badge on every page, the API's `state` and
    the calendar files call it. A scheduled session whose day is over was held, but its results
    are not in the record: it is no longer 'scheduled'."""
    from django.utils import timezone

    status = session.status
    if status == SessionStatus.CANCELLED:
        return SessionState("cancelled", "Cancelled", "This session was cancelled.")
    if status == SessionStatus.FINAL:
        return SessionState("final", "Final", "The results are final.")
    if status == SessionStatus.AMENDED:
        return SessionState(
            "final",
            "Final, amended",
            "The results are final and were changed since by the stewards or on appeal.",
        )
    if status == SessionStatus.PROVISIONAL:
        return SessionState(
            "provisional",
            "Provisional",
            "The results are provisional until the stewards' decisions are final.",
        )
    if session.date < (today or timezone.now().date()):
        return SessionState(
            "no-results",
            "No results entered",
            "This session has been held; its results are not in the record.",
        )
    return SessionState("scheduled", "Scheduled", "This session has not been held yet.")


@dataclass
class ClassifiedRow:
    result: Result
    class_position: int | None

    @property
    def entry(self) -> Entry:
        return self.result.entry

    @property
    def team(self) -> Team | None:
        return self.result.team or self.result.entry.team


@dataclass
class SessionPage:
    session: Session
    rows: list[ClassifiedRow]
    has_classes: bool
    pole: ClassifiedRow | None
    fastest_lap: ClassifiedRow | None
    siblings: list[Session]
    event_facts: EventFacts
    # Where to watch the session's series in its year (a session outside a round: None).
    watch: WatchInfo | None

    @property
    def competitors(self) -> list[Driver]:
        """The drivers of the results in the published order (classified first): the JSON-LD's."""
        return [row.entry.driver for row in self.rows]

    def _any(self, field_name: str) -> bool:
        return any(getattr(row.result, field_name) not in (None, "") for row in self.rows)

    # Columns the published sheet had: a partial table of top finishers may lack laps or times.
    # Cached: the template asks in every row, and each answer reads every row.
    @cached_property
    def has_car_numbers(self) -> bool:
        return self._any("car_number")

    @cached_property
    def has_laps(self) -> bool:
        return self._any("laps")

    @cached_property
    def has_times(self) -> bool:
        return self._any("gap") or self._any("race_time")

    @cached_property
    def has_best_laps(self) -> bool:
        return self._any("best_lap")


def class_positions(results: list[Result]) -> dict[int, int]:
    """Result pk -> position among the classified cars of its class, counted down the overall
    order (results must come in it), so it agrees with that order by construction. A car without
    a class has no class position. The session page and the API both call this."""
    seen: dict[int, int] = defaultdict(int)
    positions = {}
    for result in results:
        class_id = result.entry.season_class_id
        if result.position is None or class_id is None:
            continue
        seen[class_id] += 1
        positions[result.pk] = seen[class_id]
    return positions


# The session page's queries, compiled once per process (pcc/prepared.py).
# query: the results with entry, driver, class and teams, in the published order
_SESSION_RESULTS = Prepared(
    lambda session_id: Result.objects.filter(session_id=session_id).select_related(
        "entry__driver", "entry__season_class", "entry__team", "team"
    )
)
# query: the other sessions of the event, for moving between them
_SIBLINGS = Prepared(
    lambda event_id: Session.objects.filter(event_id=event_id).order_by("date", "starts_at", "name")
)
# query: the organisers of the series the event hosts (none when it names its own host)
_SERIES_ORGANISERS = Prepared(
    lambda event_id: (
        Series.objects.filter(seasons__rounds__event_id=event_id)
        .exclude(organiser="")
        .values_list("organiser", flat=True)
        .distinct()
        .order_by("organiser")
    )
)


def session_page(session: Session) -> SessionPage:
    """The classification; `session` comes with event__circuit and round__season__series."""
    results = list(_SESSION_RESULTS(session.pk))
    by_class = class_positions(results)
    rows = [ClassifiedRow(result, by_class.get(result.pk)) for result in results]
    siblings = list(_SIBLINGS(session.event_id))
    event = session.event
    series_organisers: list[str] = []
    if not event.organiser:
        series_organisers = list(_SERIES_ORGANISERS(event.pk))
    watch = None
    if session.round is not None:
        # query: where to watch the series in the session's year
        watch = watch_links_for(session.round.season.series, session.date.year)
    return SessionPage(
        session=session,
        rows=rows,
        has_classes=any(r.entry.season_class_id for r in rows),
        pole=next((r for r in rows if r.result.pole), None),
        fastest_lap=next((r for r in rows if r.result.fastest_lap), None),
        siblings=siblings,
        # The siblings are the event's sessions: whether it was called off costs no query.
        event_facts=event_facts(event, series_organisers, siblings),
        watch=watch,
    )
