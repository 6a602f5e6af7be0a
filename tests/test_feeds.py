import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from series.models import SessionKind, SessionStatus

from .factories import (
    make_driver,
    make_entry,
    make_event,
    make_result,
    make_round,
    make_season,
    make_series,
    make_session,
    make_team,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own server's output)
    assert feed.tag == f"{ATOM}feed"
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def _race_with_podium(season, number, date, drivers, **session_kwargs):
    """A final race at its own event with the given drivers classified in order."""
    event = make_event(
        start=date - dt.timedelta(days=2), name=f"Monza {season.series.slug} {number}"
    )
    round_ = make_round(season, number, event, date=date)
    session = make_session(
        round_, name=f"Race {number}", slug=f"race-{number}", date=date, **session_kwargs
    )
    for position, driver in enumerate(drivers, start=1):
        entry = season.entries.filter(driver=driver).first() or make_entry(season, driver)
        make_result(session, entry, position)
    return session


@pytest.fixture
def supercup():
    series = make_series(name="Porsche Mobil 1 Supercup", short_name="Supercup", tier=1)
    season = make_season(series, 2023)
    team = make_team("BWT Lechner Racing")
    king = make_driver("Harry King")
    make_entry(season, king, team=team)
    buus = make_driver("Bastian Buus")
    make_entry(season, buus, team=team)
    ten_voorde = make_driver("Larry ten Voorde")
    make_entry(season, ten_voorde)
    return series, season, king, buus, ten_voorde


def test_results_feed_has_one_entry_per_final_session_newest_first(fan, supercup):
    series, season, king, buus, ten_voorde = supercup
    older = _race_with_podium(season, 7, dt.date(2023, 8, 27), [buus, ten_voorde, king])
    newer = _race_with_podium(season, 8, dt.date(2023, 9, 3), [king, ten_voorde, buus])
    newer.event.name = "Monza 2023"
    newer.event.save()

    entries = _entries(fan.get("/feeds/results.atom"))

    assert [entry["link"] for entry in entries] == [
        f"http://testserver/events/{newer.event.slug}/race-8/",
        f"http://testserver/events/{older.event.slug}/race-7/",
    ]
    assert entries[0]["title"] == "Supercup 2023 — Race 8, Monza: won by Harry King"
    assert entries[0]["summary"] == (
        "1. Harry King (BWT Lechner Racing) · 2. Larry ten Voorde · "
        "3. Bastian Buus (BWT Lechner Racing)"
    )
    assert entries[0]["updated"].startswith("2023-09-03")
    assert entries[0]["id"] == entries[0]["link"]


def test_sessions_not_final_or_without_results_are_left_out(fan, supercup):
    _, season, king, buus, ten_voorde = supercup
    final = _race_with_podium(season, 1, dt.date(2023, 5, 28), [king, buus])
    _race_with_podium(
        season, 2, dt.date(2023, 7, 2), [buus, king], status=SessionStatus.PROVISIONAL
    )
    _race_with_podium(season, 3, dt.date(2023, 7, 9), [])
    _race_with_podium(season, 4, dt.date(2023, 7, 23), [king], status=SessionStatus.CANCELLED)

    entries = _entries(fan.get("/feeds/results.atom"))

    assert [entry["link"] for entry in entries] == [
        f"http://testserver/events/{final.event.slug}/race-1/"
    ]


def test_series_feed_holds_only_that_series(fan, supercup):
    series, season, king, buus, _ = supercup
    ours = _race_with_podium(season, 1, dt.date(2023, 5, 28), [king, buus])
    other_season = make_season(make_series(name="Carrera Cup Italia"), 2023)
    theirs = _race_with_podium(other_season, 1, dt.date(2023, 6, 4), [buus, king])

    series_links = [e["link"] for e in _entries(fan.get(f"/series/{series.slug}/results.atom"))]
    all_links = [e["link"] for e in _entries(fan.get("/feeds/results.atom"))]

    assert series_links == [f"http://testserver/events/{ours.event.slug}/race-1/"]
    assert all_links == [
        f"http://testserver/events/{theirs.event.slug}/race-1/",
        f"http://testserver/events/{ours.event.slug}/race-1/",
    ]


def test_partial_results_title_says_the_winner_is_not_on_record_and_is_partial(fan, supercup):
    _, season, king, _, ten_voorde = supercup
    season.results_partial = True
    season.save()
    session = _race_with_podium(season, 5, dt.date(2023, 7, 30), [])
    make_result(session, season.entries.get(driver=ten_voorde), 3)
    make_result(session, season.entries.get(driver=king), None)

    (entry,) = _entries(fan.get("/feeds/results.atom"))

    # The best car known finished third: the headline never passes it off as the winner.
    assert entry["title"].endswith(": winner not on record")
    assert entry["summary"] == (
        "3. Larry ten Voorde (partial results: only some drivers' rows are entered)"
    )


def test_a_qualifying_session_without_a_round_is_titled_by_its_event(fan, supercup):
    _, season, king, _, _ = supercup
    event = make_event(name="Rennsport Reunion 7", start=dt.date(2023, 9, 28))
    session = make_session(
        make_round(season, 9, event),
        kind=SessionKind.QUALIFYING,
        name="Qualifying",
        slug="qualifying",
    )
    session.round = None
    session.save()
    make_result(session, season.entries.get(driver=king), 1)

    (entry,) = _entries(fan.get("/feeds/results.atom"))

    assert entry["title"] == "Rennsport Reunion 7 — Qualifying: pole for Harry King"


def test_feed_of_an_unknown_series_is_not_found(fan):
    assert fan.get("/series/no-such-series/results.atom").status_code == 404


def test_feed_costs_the_same_queries_for_many_sessions(fan, supercup, django_assert_num_queries):
    _, season, king, buus, ten_voorde = supercup
    for number in range(1, 9):
        _race_with_podium(
            season, number, dt.date(2023, 5, 1) + dt.timedelta(days=7 * number), [king, buus]
        )

    # 1 site version (ETag), 2 the sessions with event, circuit, round, season and series,
    # 3 their classified results with drivers and teams, 4 the amendments (with their sessions):
    # prevents an n+1.
    with django_assert_num_queries(4):
        entries = _entries(fan.get("/feeds/results.atom"))
    assert len(entries) == 8


def test_the_headline_leads_with_the_winner_not_whoever_sorts_first(fan, supercup):
    _, season, king, _, ten_voorde = supercup
    session = _race_with_podium(season, 3, dt.date(2023, 7, 2), [])
    # Entered out of order: the ninth place first, the winner last.
    make_result(session, season.entries.get(driver=ten_voorde), 9)
    make_result(session, season.entries.get(driver=king), 1)

    (entry,) = _entries(fan.get("/feeds/results.atom"))

    assert entry["title"].endswith(": won by Harry King")
    assert "9. Larry ten Voorde" not in entry["title"]
