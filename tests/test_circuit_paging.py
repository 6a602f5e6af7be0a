"""A circuit's events a page at a time (a synthetic circuit held 240), the API still lists them all,
and its lap records come from the sessions of championship rounds, the car being the round's
season's."""

import datetime as dt

import pytest
from django.test import Client

from series.models import Session, SessionKind, SessionStatus
from series.selectors.circuits import CIRCUIT_EVENTS_PER_PAGE
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_circuit():
    circuit = f.make_circuit(name="Busy Ring")
    season = f.make_season(year=2020)
    for n in range(CIRCUIT_EVENTS_PER_PAGE + 3):
        event = f.make_event(
            circuit, start=dt.date(1970, 1, 1) + dt.timedelta(days=30 * n), name=f"Busy {n:03d}"
        )
        if n == 0:
            f.make_round(season, 1, event=event)
    return circuit


def test_a_busy_circuit_shows_its_newest_events_a_page_at_a_time(fan: Client, busy_circuit):
    url = f"/circuits/{busy_circuit.slug}/"
    first = fan.get(url).content.decode()
    count = CIRCUIT_EVENTS_PER_PAGE + 3
    assert f"<dt>Events on record</dt><dd>{count}</dd>" in first
    assert f"1–{CIRCUIT_EVENTS_PER_PAGE} of {count}, page 1 of 2" in first
    assert f"Busy {count - 1:03d}" in first and "Busy 002<" not in first
    assert 'href="?page=2"' in first
    second = fan.get(url, {"page": 2}).content.decode()
    assert all(f"Busy {n:03d}<" in second for n in range(3))
    assert f"Busy {count - 1:03d}" not in second
    # The oldest event's round is shown on its page (the rounds of the page's events only).
    assert "2020" in second[second.index("Busy 000") :]


def test_the_pages_fragment_is_the_listing_and_a_page_beyond_is_said(fan: Client, busy_circuit):
    url = f"/circuits/{busy_circuit.slug}/"
    fragment = fan.get(url, {"page": 2}, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert body.startswith('<div id="circuit-events"') and "<html" not in body
    assert "HX-Request" in fragment["Vary"]
    beyond = fan.get(url, {"page": 9})
    assert beyond.status_code == 200
    assert "There is no page 9 (of 2)" in beyond.content.decode()
    assert "page 1 of 2" in beyond.content.decode()


def test_events_on_one_day_are_each_on_exactly_one_page(fan: Client):
    """Events of one start date (two series' weekends at one circuit) are ordered by id, so the
    first page (read with one more event) and the second (read by the ids) neither repeat nor
    drop one at their boundary."""
    circuit = f.make_circuit(name="Tied Ring")
    day = dt.date(2024, 5, 5)
    names = [f"Tied {n:03d}" for n in range(CIRCUIT_EVENTS_PER_PAGE + 4)]
    for name in names:
        f.make_event(circuit, start=day, name=name)
    url = f"/circuits/{circuit.slug}/"
    pages = [fan.get(url, {"page": n}).content.decode() for n in (1, 2)]
    shown = [[name for name in names if f"{name}<" in page] for page in pages]
    assert len(shown[0]) == CIRCUIT_EVENTS_PER_PAGE and len(shown[1]) == 4
    assert sorted(shown[0] + shown[1]) == names  # every event once
    assert shown[0] == names[:CIRCUIT_EVENTS_PER_PAGE]  # by id: the order they were made


def test_a_quiet_circuit_has_no_pager_and_the_api_lists_every_event(fan: Client, busy_circuit):
    quiet = f.make_circuit(name="Quiet Ring")
    f.make_event(quiet, name="Quiet 1")
    html = fan.get(f"/circuits/{quiet.slug}/").content.decode()
    assert 'class="pager"' not in html and 'id="circuit-events"' not in html
    listed = fan.get(f"/api/v1/circuits/{busy_circuit.slug}/").json()["events"]
    assert len(listed) == CIRCUIT_EVENTS_PER_PAGE + 3


def test_a_lap_outside_the_championship_rounds_is_not_a_record(fan: Client):
    circuit = f.make_circuit(name="Demo Ring")
    season = f.make_season(year=2022, car="911 GT3 Cup (992)")
    event = f.make_event(circuit, start=dt.date(2022, 5, 1), name="Demo Weekend")
    race = f.make_session(f.make_round(season, 1, event=event), name="Race 1")
    f.make_result(
        race,
        f.make_entry(season, f.make_driver("Racer"), car_number=1),
        1,
        best_lap=dt.timedelta(minutes=1, seconds=40),
    )
    demo = Session.objects.create(
        event=event,
        name="Demo laps",
        slug="demo-laps",
        kind=SessionKind.PRACTICE,
        date=event.start_date,
        status=SessionStatus.FINAL,
    )
    f.make_result(
        demo,
        f.make_entry(season, f.make_driver("Demo"), car_number=2),
        1,
        best_lap=dt.timedelta(minutes=1, seconds=30),
    )
    html = fan.get(f"/circuits/{circuit.slug}/").content.decode()
    records = html[html.index('id="records-heading"') :]
    assert "1:40.000" in records and "Racer" in records
    assert "Demo<" not in records and "1:30.000" not in records
