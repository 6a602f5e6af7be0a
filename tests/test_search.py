"""The site search's events (series/selectors/search.py): accents and case ignored, the same
answers on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.test import Client

from series.selectors.search import search
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurburgring_events():
    circuit = f.make_circuit(name="Nürburgring", place="Nürburg")
    older = f.make_event(circuit, start=dt.date(2022, 5, 20), name="Nürburgring 2022")
    newer = f.make_event(circuit, start=dt.date(2023, 5, 19), name="NÜRBURGRING 24h support")
    elsewhere = f.make_event(name="Spa-Francorchamps 2023", start=dt.date(2023, 7, 28))
    return older, newer, elsewhere


@pytest.mark.parametrize("query", ["nurburgring", "Nurburgring", "Nürburgring", "NURBURG"])
def test_an_event_is_found_whatever_the_accents_and_case(nurburgring_events, query):
    older, newer, _ = nurburgring_events
    found = [event["slug"] for event in search(query).events]
    assert found == [newer.slug, older.slug]  # newest first


def test_an_event_search_finds_only_names_holding_the_text(nurburgring_events):
    _, _, elsewhere = nurburgring_events
    assert [event["slug"] for event in search("francorchamps").events] == [elsewhere.slug]
    assert search("nurburgringx").events == []


def test_marks_alone_find_no_event(nurburgring_events):
    # Two combining diaereses fold to nothing: they must not match every event.
    assert search("\u0308\u0308").events == []


def test_the_search_page_lists_the_event_found_without_its_accents(fan: Client, nurburgring_events):
    html = fan.get("/search/", {"q": "nurburgring 2022"}).content.decode()
    assert "Nürburgring 2022" in html
    assert "24h support" not in html
