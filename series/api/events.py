"""/events/, /events/{event}/ and /events/{event}/{session}/: race weekends, festivals and their
sessions. The details are the event and session pages' selectors (event_page, session_page), so a
classification, its class positions and a session's state read the same on the page and here."""

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from ..models import Event, Round, Session
from ..selectors.citations import citations
from ..selectors.events import event_page
from ..selectors.sessions import ClassifiedRow, session_ends_at, session_page, session_state
from .common import (
    DETAIL_RESPONSES,
    FIRST_YEAR,
    LAST_YEAR,
    LIST_RESPONSES,
    circuit_ref,
    day_item,
    driver_ref,
    format_duration,
    get_or_404,
    round_ref,
    series_filter,
    session_summary,
    team_ref,
)
from .pagination import Mapped, Pages
from .schemas import EventDetailOut, EventOut, SessionDetailOut

router = Router()


def _hosted_rounds() -> Prefetch:
    # LOCAL QUERY (the event list selector does not filter by series or page): each event's rounds
    # in the order hosted_seasons() gives them, top of the pyramid first.
    return Prefetch(
        "rounds",
        Round.objects.all()
        .select_related("season__series")
        .order_by("season__series__tier", "season__series__name", "number"),
        to_attr="hosted_rounds",
    )


def event_item(event: Event, rounds: list[Round]) -> dict:
    return {
        "slug": event.slug,
        "name": event.name,
        "kind": event.kind,
        "circuit": circuit_ref(event.circuit),
        "start_date": event.start_date,
        "end_date": event.end_date,
        "date_precision": event.date_precision,
        "dates_label": event.dates_label,
        "supports": event.supports,
        "parent": event.parent.slug if event.parent else None,
        "rounds": [round_ref(round_) for round_ in rounds],
        "url": event.get_absolute_url(),
    }


@router.get(
    "/events/",
    response={200: list[EventOut], **LIST_RESPONSES},
    summary="Events",
    description="Race weekends and festivals in date order, with the rounds each one hosts.",
    tags=["events"],
)
@paginate(Pages)
def event_list(
    request: HttpRequest,
    series: str | None = Query(None, description="only events hosting a round of this series"),
    year: int | None = Query(
        None, ge=FIRST_YEAR, le=LAST_YEAR, description="events starting in this year"
    ),
):
    # The page's form judges the series (one query: the series the pages offer).
    chosen = series_filter(request)
    series = chosen.slug if chosen is not None else None
    events = (
        Event.objects.all().select_related("circuit", "parent").prefetch_related(_hosted_rounds())
    )
    if series is not None:
        events = events.filter(rounds__season__series__slug=series).distinct()
    if year is not None:
        events = events.filter(start_date__year=year)
    return Mapped(events, lambda event: event_item(event, event.hosted_rounds))


@router.get(
    "/events/{event}/",
    response={200: EventDetailOut, **DETAIL_RESPONSES},
    summary="An event and its sessions",
    tags=["events"],
)
def event_detail(request: HttpRequest, event: str):
    # The event page's lookup and selector.
    found = get_or_404(Event.objects.select_related("circuit", "parent"), "event", slug=event)
    page = event_page(found)
    rounds = [round_ for line in page.hosted for round_ in line.hosted.rounds]
    return {
        **event_item(found, rounds),
        "dates_note": found.dates_note,
        "description": found.description,
        "sources": [{"text": c.text, "urls": c.urls} for c in citations(found.source)],
        "support_events": [support.slug for support in page.support_events],
        "sessions": [
            {
                **session_summary(session),
                "duration_minutes": session.duration_minutes,
                "round": round_ref(session.round),
            }
            for session in page.schedule
        ],
    }


def _classified_item(row: ClassifiedRow) -> dict:
    result, entry = row.result, row.entry
    return {
        "position": result.position,
        "class_position": row.class_position,
        "status": result.status,
        "driver": driver_ref(entry.driver),
        "team": team_ref(row.team),
        "number": result.car_number if result.car_number is not None else entry.car_number,
        "class": entry.season_class.slug if entry.season_class else None,
        "guest": entry.guest,
        "laps": result.laps,
        "time": format_duration(result.race_time),
        "gap": result.gap,
        "best_lap": format_duration(result.best_lap),
        "grid": result.grid,
        "pole": result.pole,
        "fastest_lap": result.fastest_lap,
        "penalty": result.penalty,
    }


@router.get(
    "/events/{event}/{session}/",
    response={200: SessionDetailOut, **DETAIL_RESPONSES},
    by_alias=True,
    summary="A session's classification",
    description="Classified cars in order, then the unclassified. A session is provisional until "
    "its status is final.",
    tags=["events"],
)
def session_detail(request: HttpRequest, event: str, session: str):
    # The session page's lookup and selector (class positions counted in one place).
    queryset = Session.objects.select_related("event__circuit", "round__season__series")
    found = get_or_404(queryset, "session", event__slug=event, slug=session)
    page = session_page(found)
    return {
        "event": {"slug": found.event.slug, "name": found.event.name},
        "slug": found.slug,
        "name": found.name,
        "kind": found.kind,
        "date": found.date,
        "starts_at": found.starts_at,
        "ends_at": session_ends_at(found),
        "duration_minutes": found.duration_minutes,
        "status": found.status,
        "state": session_state(found).key,
        **day_item(found),
        "round": round_ref(found.round),
        "url": found.get_absolute_url(),
        "results": [_classified_item(row) for row in page.rows],
    }
