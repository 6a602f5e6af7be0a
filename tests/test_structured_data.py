import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from series.models import Event, EventKind, Session, SessionKind, SessionStatus
from series.selectors.events import event_page
from series.selectors.sessions import session_page

from .factories import (
    make_circuit,
    make_driver,
    make_entry,
    make_event,
    make_result,
    make_round,
    make_season,
    make_series,
    make_session,
)

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _render(source: str, **context) -> str:
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    # The pages' engine (pcc/jinja2.py), with its request as a page gets it.
    return engines["jinja2"].from_string(source).render(context, request)


def _page(obj: Event | Session):
    """The page the tag is given, loaded by the page's own selector as the views load it."""
    if isinstance(obj, Session):
        found = Session.objects.select_related("event__circuit", "round__season__series")
        return session_page(found.get(pk=obj.pk))
    return event_page(Event.objects.select_related("circuit", "parent").get(pk=obj.pk))


def _json_ld(obj: Event | Session) -> dict:
    html = _render("{{ sports_event_jsonld(page) }}", page=_page(obj))
    (payload,) = SCRIPT.findall(html)
    return json.loads(payload)


@pytest.fixture
def rennsport():
    series = make_series(
        name="Porsche Carrera Cup North America",
        short_name="Carrera Cup North America",
        organiser="Porsche Motorsport North America",
    )
    season = make_season(series, 2023)
    circuit = make_circuit(
        name="WeatherTech Raceway Laguna Seca",
        place="Monterey, California",
        country="USA",
        time_zone="America/Los_Angeles",
    )
    event = make_event(
        circuit,
        start=dt.date(2023, 9, 28),
        name="Rennsport Reunion 7",
        slug="rennsport-reunion-7",
        kind=EventKind.FESTIVAL,
        end_date=dt.date(2023, 10, 1),
        organiser="Porsche Cars North America",
    )
    race = make_session(
        make_round(season, 13, event, date=dt.date(2023, 10, 1)),
        name="Race 13",
        slug="carrera-cup-north-america-r13-race",
        starts_at=dt.datetime(2023, 10, 1, 17, 30, tzinfo=dt.UTC),
        duration_minutes=40,
    )
    sargent = make_driver("Tom Sargent")
    hyett = make_driver("PJ Hyett")
    make_result(race, make_entry(season, sargent), 1)
    make_result(race, make_entry(season, hyett), None)
    return series, event, race


def test_an_event_is_a_sports_event_with_place_dates_and_host(rennsport):
    _, event, _ = rennsport

    data = _json_ld(event)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "SportsEvent"
    assert data["name"] == "Rennsport Reunion 7"
    assert dt.date.fromisoformat(data["startDate"]) == dt.date(2023, 9, 28)
    assert dt.date.fromisoformat(data["endDate"]) == dt.date(2023, 10, 1)
    assert data["location"]["@type"] == "Place"
    assert data["location"]["name"] == "WeatherTech Raceway Laguna Seca"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Monterey, California",
        "addressCountry": "USA",
    }
    # The facts name Porsche Cars North America as the host of Rennsport Reunion 7.
    assert data["organizer"] == {"@type": "Organization", "name": "Porsche Cars North America"}
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["url"] == "http://localhost/events/rennsport-reunion-7/"


def test_a_race_weekend_is_organised_by_the_series_it_hosts(rennsport):
    series, _, _ = rennsport
    season = series.seasons.get()
    weekend = make_event(name="Sebring 2023", start=dt.date(2023, 3, 15))
    make_session(make_round(season, 1, weekend), slug="r1")

    data = _json_ld(weekend)

    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Porsche Motorsport North America",
    }


def test_an_event_without_a_known_organiser_names_none(rennsport):
    data = _json_ld(make_event(name="Test Day"))
    assert "organizer" not in data


def test_an_event_whose_sessions_were_all_cancelled_is_cancelled(rennsport):
    _, event, race = rennsport
    race.status = SessionStatus.CANCELLED
    race.save()

    assert _json_ld(event)["eventStatus"] == "https://schema.org/EventCancelled"
    assert _json_ld(race)["eventStatus"] == "https://schema.org/EventCancelled"


def test_a_race_names_its_event_competitors_and_start_at_the_circuit(rennsport):
    _, event, race = rennsport

    data = _json_ld(race)

    assert data["@type"] == "SportsEvent"
    assert data["name"] == "Carrera Cup North America — Race 13 (Rennsport Reunion 7)"
    start = dt.datetime.fromisoformat(data["startDate"])
    assert start == race.starts_at
    # Written at the circuit: 17:30 UTC is 10:30 in Monterey (PDT, UTC-7).
    assert data["startDate"] == "2023-10-01T10:30:00-07:00"
    assert dt.datetime.fromisoformat(data["endDate"]) - start == dt.timedelta(minutes=40)
    assert data["superEvent"]["@type"] == "SportsEvent"
    assert data["superEvent"]["name"] == "Rennsport Reunion 7"
    assert data["location"]["address"]["addressCountry"] == "USA"
    assert data["organizer"]["name"] == "Porsche Motorsport North America"
    assert data["url"] == (
        "http://localhost/events/rennsport-reunion-7/carrera-cup-north-america-r13-race/"
    )
    assert data["competitor"] == [
        {"@type": "Person", "name": "Tom Sargent", "url": "http://localhost/drivers/tom-sargent/"},
        {"@type": "Person", "name": "PJ Hyett", "url": "http://localhost/drivers/pj-hyett/"},
    ]


def test_a_session_without_a_time_gives_its_day_and_practice_names_no_competitors(rennsport):
    series, event, race = rennsport
    practice = make_session(
        race.round,
        kind=SessionKind.PRACTICE,
        name="Practice 1",
        slug="practice-1",
        date=dt.date(2023, 9, 29),
        starts_at=None,
    )
    make_result(practice, race.results.first().entry, 1)

    data = _json_ld(practice)

    assert data["startDate"] == "2023-09-29"
    assert dt.date.fromisoformat(data["startDate"]) == practice.date
    assert "competitor" not in data


def test_text_that_could_end_the_script_element_is_escaped(rennsport):
    _, event, _ = rennsport
    event.description = 'Icons of the Track </script><script>alert("x")</script> & more'
    event.save()

    html = _render("{{ sports_event_jsonld(page) }}", page=_page(event))

    assert html.count("</script>") == 1
    assert "<script>" not in html
    (payload,) = SCRIPT.findall(html)
    assert json.loads(payload)["description"] == event.description


def test_anything_but_an_event_or_session_renders_nothing(rennsport):
    _, event, race = rennsport
    assert _render("{{ sports_event_jsonld(page) }}", page=None) == ""
    # An event or a session itself is not a page: the tag does not load what it needs.
    assert _render("{{ sports_event_jsonld(page) }}", page=event) == ""
    assert _render("{{ sports_event_jsonld(page) }}", page=race) == ""


def test_a_festival_without_a_named_host_is_organised_by_the_series_it_hosts(rennsport):
    series, event, race = rennsport
    event.organiser = ""
    event.save()

    assert _json_ld(event)["organizer"]["name"] == "Porsche Motorsport North America"
    assert _json_ld(race)["superEvent"]["organizer"]["name"] == "Porsche Motorsport North America"


@pytest.mark.parametrize("what", ["event", "race", "practice"])
def test_rendering_the_json_ld_runs_no_query(rennsport, what):
    _, event, race = rennsport
    practice = make_session(race.round, kind=SessionKind.PRACTICE, slug="p1", starts_at=None)
    page = _page({"event": event, "race": race, "practice": practice}[what])

    with CaptureQueriesContext(connection) as queries:
        html = _render("{{ sports_event_jsonld(page) }}", page=page)

    assert SCRIPT.findall(html)
    assert [q["sql"] for q in queries.captured_queries] == []


def test_webcal_url_names_the_subscription_address(rennsport):
    series, _, _ = rennsport

    everything = _render('{{ webcal_url(request, "calendar-ics") }}')
    one_series = _render('{{ webcal_url(request, "series-calendar-ics", slug) }}', slug=series.slug)

    assert everything == "webcal://localhost/calendar.ics"
    assert one_series == f"webcal://localhost/series/{series.slug}/calendar.ics"
