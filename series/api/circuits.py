"""/circuits/ and /circuits/{circuit}/: the detail is the circuit page's selector (circuit_page)."""

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from ..models import Circuit
from ..selectors.circuits import circuit_page
from .common import DETAIL_RESPONSES, LIST_RESPONSES, get_or_404
from .pagination import Mapped, Pages
from .schemas import CircuitDetailOut, CircuitOut

router = Router()


def _circuit_item(circuit: Circuit) -> dict:
    return {
        "slug": circuit.slug,
        "name": circuit.name,
        "place": circuit.place,
        "country": circuit.country,
        "time_zone": circuit.time_zone,
        "length_km": float(circuit.length_km) if circuit.length_km is not None else None,
        "turns": circuit.turns,
        "url": circuit.get_absolute_url(),
    }


@router.get(
    "/circuits/",
    response={200: list[CircuitOut], **LIST_RESPONSES},
    summary="Circuits",
    tags=["places"],
)
@paginate(Pages)
def circuit_list(
    request: HttpRequest,
    q: str | None = Query(None, description="words of the name, place or country"),
):
    circuits = Circuit.objects.all()
    if q:
        circuits = circuits.filter(
            Q(name__icontains=q) | Q(place__icontains=q) | Q(country__icontains=q)
        )
    return Mapped(circuits, _circuit_item)


@router.get(
    "/circuits/{circuit}/",
    response={200: CircuitDetailOut, **DETAIL_RESPONSES},
    summary="A circuit and the events held there",
    tags=["places"],
)
def circuit_detail(request: HttpRequest, circuit: str):
    page = circuit_page(get_or_404(Circuit.objects.all(), "circuit", slug=circuit), per_page=None)
    # The page lists the newest first; the API in date order, as its other lists.
    events = sorted((row.event for row in page.events), key=lambda e: (e.start_date, e.name))
    return {
        **_circuit_item(page.circuit),
        "events": [
            {
                "slug": event.slug,
                "name": event.name,
                "start_date": event.start_date,
                "end_date": event.end_date,
                "date_precision": event.date_precision,
                "dates_label": event.dates_label,
            }
            for event in events
        ],
    }
