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


# --- the database only narrows: every name the rule finds is read, on both databases -----------

_ODD_NAMES = (
    "Nürburgring Cup",
    "Plain Cup",
    "Spa  Double",
    "Tab\tCup",
    "Pipe|Cup",
    "100% Cup",
    "Under_Score",
    "Sørensen Trophy",
    "笹原 Cup",
    "STRAßE Cup",
)
_QUERIES = (
    "cup", "CUP", "nurburgring", "Nürburg", "spa double", "tab cup", "pipe cup", "100%", "0%",
    "r_s", "%%", "__", "%", "under_score", "sorensen", "笹原", "strasse", "e c", "\u0308\u0308",
    "zz",
)  # fmt: skip


@pytest.fixture
def odd_names():
    circuit = f.make_circuit(name="Ring Zero", place="Nürburg")
    for n, name in enumerate(_ODD_NAMES):
        f.make_series(name=name, slug=f"odd-series-{n}", short_name=name.upper() if n % 2 else "")
        f.make_circuit(name=f"{name} Ring", slug=f"odd-circuit-{n}", place=name)
        f.make_event(circuit, name=name, slug=f"odd-event-{n}")
        f.make_driver(f"{name} Driver", slug=f"odd-driver-{n}")
        f.make_team(f"{name} Team")


@pytest.mark.parametrize("query", _QUERIES)
def test_series_events_and_circuits_found_are_those_the_folding_rule_finds(odd_names, query):
    """The database narrows the names by a filter that keeps every name the rule could find
    (plain ASCII in any case; anything beyond it, two spaces or a `|`, for Python to fold)."""
    from series.models import Circuit, Event, Series
    from series.models.people import search_text
    from series.selectors.search import _folded

    phrase = search_text(query)
    found = search(query)
    if len(query) < 2:
        assert found.count == 0
        return
    assert [s.slug for s in found.series] == [
        s.slug
        for s in Series.objects.order_by("tier", "name")
        if phrase in _folded(s.name, s.short_name)
    ][:25]
    assert [c.slug for c in found.circuits] == [
        c.slug for c in Circuit.objects.order_by("name") if phrase in _folded(c.name, c.place)
    ][:25]
    if phrase:
        assert [e["slug"] for e in found.events] == [
            e.slug
            for e in Event.objects.order_by("-start_date", "name")
            if phrase in _folded(e.name)
        ][:25]
    assert found.count > 0 or phrase not in ("cup", "nurburgring")


@pytest.mark.parametrize("query", _QUERIES)
def test_the_prepared_name_candidates_are_the_orms(odd_names, query):
    """The candidates' LIKE patterns are built by the database from the text (so the query is
    compiled once): the same rows as the ORM's patterns escaped in Python."""
    from django.db import connection
    from django.db.models import Q

    from series.models import Driver, Team
    from series.models.people import search_text
    from series.selectors import search as search_module

    phrase = search_text(query)
    words = phrase.split()
    if not words:
        return
    for prepared, model, fields in (
        (search_module._DRIVERS, Driver, search_module._DRIVER_FIELDS),
        (search_module._TEAMS, Team, search_module._TEAM_FIELDS),
    ):
        if connection.vendor == "postgresql":
            asked = words
            rows = list(prepared(phrase, *asked))
            assert rows == list(prepared.build(phrase, *asked))
            continue
        asked = [word[:2] for word in words]
        wide = Q(search_name__contains=phrase)
        for prefix in asked:
            wide |= Q(search_name__contains=prefix)
        expected = list(model.objects.filter(wide).order_by("pk").values_list(*fields))
        assert list(prepared(phrase, *asked)) == expected
        assert prepared._shapes  # compiled, not built again on each call
