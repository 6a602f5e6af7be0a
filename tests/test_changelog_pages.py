"""Fans see the history: the session page's change log, the amended rounds of a season, the feed's
amendment entries, the API's revisions, and the standings as they stood before an amendment."""

import datetime as dt
import re
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
import time_machine

from series import standings as engine
from series.models import Penalty, PenaltyKind, Result, RevisionKind, Session, SessionStatus
from series.revisions import apply_time_penalties, confirm_penalties, record_revision
from series.selectors.revisions import amended_rounds, session_changelog, standings_as_of
from series.selectors.standings import load_season
from tests.factories import (
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
ATOM = "{http://www.w3.org/2005/Atom}"
UTC = dt.UTC

PUBLISHED = dt.datetime(2023, 10, 1, 12, 5, tzinfo=UTC)  # 14:05 at the circuit (CEST)
FINAL = dt.datetime(2023, 10, 1, 16, 30, tzinfo=UTC)  # 18:30
AMENDED = dt.datetime(2023, 10, 3, 9, 0, tzinfo=UTC)


def _at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def story():
    """Round 1 published provisional, made final, then car 7 given +10 s by the stewards."""
    series = make_series(name="Porsche Carrera Cup Germany", short_name="Carrera Cup Germany")
    season = make_season(series, 2023)
    circuit = make_circuit(name="Hockenheim", slug="hockenheim", time_zone="Europe/Berlin")
    event = make_event(circuit, start=dt.date(2023, 9, 29), name="Hockenheim 2023")
    race = make_session(
        make_round(season, 1, event, date=dt.date(2023, 10, 1)),
        name="Race 1",
        slug="race-1",
        status=SessionStatus.SCHEDULED,
    )
    for position, (name, number, seconds) in enumerate(
        [("Harry King", 7, 12.345), ("Larry ten Voorde", 1, 14.0), ("Bastian Buus", 11, 20.5)],
        start=1,
    ):
        entry = make_entry(season, make_driver(name), car_number=number)
        make_result(
            race, entry, position, laps=20, race_time=dt.timedelta(minutes=38, seconds=seconds)
        )
    with _at(PUBLISHED):
        race.status = SessionStatus.PROVISIONAL
        race.save()
        record_revision(race, editor=None, kind=RevisionKind.IMPORT)
    with _at(FINAL):
        race.status = SessionStatus.FINAL
        race.save()
        record_revision(race, editor=None, kind=RevisionKind.STATUS)
    with _at(AMENDED):
        Penalty.objects.create(
            session=race,
            entry=Result.objects.get(session=race, car_number=7).entry,
            kind=PenaltyKind.TIME,
            seconds=Decimal(10),
            reason="track limits",
            source="Decision 12",
        )
        confirm_penalties(race, expected=apply_time_penalties(race).fingerprint)
    race.refresh_from_db()
    return season, race


def test_session_page_shows_its_state_and_every_change_with_its_reason(fan, story):
    _, race = story
    page = fan.get(f"/events/{race.event.slug}/race-1/").content.decode()
    assert "Final, amended" in page
    assert "Amended after the race" in page
    assert '<b>Provisional</b> <time datetime="2023-10-01T12:05:00+00:00">14:05</time>' in page
    assert '<b>Final</b> <time datetime="2023-10-01T16:30:00+00:00">18:30</time>' in page
    assert '<b>Amended</b> <time datetime="2023-10-03T09:00:00+00:00">3 Oct</time>' in page
    assert "Car 7 +10 s: track limits" in page
    assert "(Decision 12)" in page
    assert "car 7: 1st → 3rd" in page
    assert "car 1: 2nd → 1st" in page


def test_a_session_without_history_shows_no_change_log(fan, story):
    season, _ = story
    other = make_session(make_round(season, 2), name="Race 2", slug="race-2")
    page = fan.get(f"/events/{other.event.slug}/race-2/").content.decode()
    assert 'id="changes"' not in page


def test_change_log_is_one_query_whatever_the_number_of_revisions(story, django_assert_num_queries):
    _, race = story
    for n in range(5):
        Result.objects.filter(session=race, car_number=11).update(laps=21 + n)
        record_revision(race, editor=None, kind=RevisionKind.HAND_EDIT, reason=f"Lap count {n}")
    race = Session.objects.select_related("event__circuit").get(pk=race.pk)  # as the page has it
    with django_assert_num_queries(1):
        changelog = session_changelog(race)
    assert len(changelog.entries) == 8
    assert changelog.entries[-1].summary == "car 11: laps changed"
    assert changelog.entries[-1].label == "Amended"


def test_amended_rounds_name_the_round_and_link_its_session(story):
    season, race = story
    [amended] = amended_rounds(season)
    assert amended.round_number == 1
    assert amended.url == f"/events/{race.event.slug}/race-1/"
    assert amended.amendments == 1
    assert amended.last_amended_at == AMENDED


def test_status_changes_alone_are_not_amendments(story):
    season, _ = story
    other = make_session(make_round(season, 2), status=SessionStatus.PROVISIONAL)
    make_result(other, season.entries.first(), 1)
    record_revision(other, editor=None, kind=RevisionKind.IMPORT)
    other.status = SessionStatus.FINAL
    other.save()
    record_revision(other, editor=None, kind=RevisionKind.STATUS)
    assert [row.round_number for row in amended_rounds(season)] == [1]


def _entries(response) -> list[dict]:
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 (our own server's output)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "updated": entry.findtext(f"{ATOM}updated"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_results_feeds_carry_an_entry_per_amendment(fan, story):
    season, race = story
    entries = _entries(fan.get("/feeds/results.atom"))
    amendment = entries[0]
    assert amendment["title"] == "Carrera Cup Germany 2023 — Race 1, Hockenheim: amended"
    assert amendment["link"] == f"http://testserver/events/{race.event.slug}/race-1/#revision-3"
    assert amendment["summary"] == (
        "Amended 3 Oct: Car 7 +10 s: track limits (Decision 12): "
        "car 1: 2nd → 1st · car 11: 3rd → 2nd · car 7: 1st → 3rd"
    )
    assert amendment["updated"].startswith("2023-10-03T09:00:00")
    series_entries = _entries(fan.get(f"/series/{season.series.slug}/results.atom"))
    assert amendment in series_entries


def test_api_lists_the_revisions_of_a_session(fan, story):
    _, race = story
    response = fan.get(f"/api/v1/events/{race.event.slug}/race-1/revisions/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    first, final, amended = body["items"]
    assert (first["label"], first["status"], first["kind"]) == (
        "Provisional",
        "provisional",
        "import",
    )
    assert (final["label"], final["changes"]) == ("Final", {"status": ["provisional", "final"]})
    assert amended["status"] == "amended"
    assert amended["text"].startswith("Amended 3 Oct: Car 7 +10 s: track limits (Decision 12)")
    assert [
        (car["number"], car["position"], car["points"]) for car in amended["classification"]
    ] == [
        (1, 1, "25"),
        (11, 2, "20"),
        (7, 3, "17"),
    ]
    assert amended["classification"][2]["time"] == "38:22.345"
    assert amended["classification"][2]["penalty"] == "+10 s (track limits)"
    assert first["classification"][0]["driver"] == {"slug": "harry-king", "name": "Harry King"}


def test_api_revisions_of_an_unknown_session_is_a_404(fan, story):
    _, race = story
    response = fan.get(f"/api/v1/events/{race.event.slug}/no-such-race/revisions/")
    assert response.status_code == 404
    assert "detail" in response.json()


def _points(rows) -> dict[str, Decimal]:
    return {row.key: row.points for row in rows}


def test_standings_as_they_stood_before_and_after_the_amendment(story):
    season, _ = story
    before = standings_as_of(season, AMENDED - dt.timedelta(hours=1))
    after = standings_as_of(season, AMENDED + dt.timedelta(hours=1))
    assert _points(before) == {"harry-king": 25, "larry-ten-voorde": 20, "bastian-buus": 17}
    assert before[0].key == "harry-king"
    assert _points(after) == {"larry-ten-voorde": 25, "bastian-buus": 20, "harry-king": 17}
    assert after[0].key == "larry-ten-voorde"
    # Now is what the record holds: the same table the standings pages compute.
    assert _points(after) == _points(engine.compute_standings(load_season(season).data))


def test_standings_before_first_publication_have_no_points_from_that_round(story):
    season, _ = story
    rows = standings_as_of(season, PUBLISHED - dt.timedelta(minutes=1))
    assert all(row.points == 0 for row in rows)


def test_amended_rounds_include_links_each_round_to_its_change_log(story):
    from django.template.loader import render_to_string

    season, race = story
    html = render_to_string(
        "series/_amended_rounds.html", {"amended_rounds": amended_rounds(season)}
    )
    assert f'href="/events/{race.event.slug}/race-1/#changes"' in html
    assert "round 1, Race 1</a> (amended 3 Oct 2023)" in html


def test_history_entered_long_after_the_race_is_not_passed_off_as_its_publication(fan, story):
    season, _ = story
    old_race = make_session(make_round(season, 2), name="Race 2", slug="race-2")
    make_result(old_race, season.entries.first(), 1)
    with _at(dt.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)):
        record_revision(old_race, editor=None, kind=RevisionKind.IMPORT)
    url = f"/events/{old_race.event.slug}/race-2/"
    assert 'id="changes"' not in fan.get(url).content.decode()  # a lone late entry: no log
    with _at(dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)):
        Result.objects.filter(session=old_race).update(laps=20)
        record_revision(old_race, editor=None, kind=RevisionKind.HAND_EDIT, reason="Laps added")
    page = fan.get(url).content.decode()
    assert "<b>Entered as final</b>" in page
    assert "30 Nov 2026" in page


def test_season_pages_say_which_rounds_changed_since_first_published(fan, story):
    season, race = story
    for tab in ("", "standings/", "results/"):
        html = fan.get(f"{season.get_absolute_url()}{tab}").content.decode()
        assert "Changed since first published" in html, tab
        assert f'href="/events/{race.event.slug}/race-1/#changes"' in html, tab


def test_fans_see_the_standings_as_they_stood_before_an_amendment(fan, story):
    season, race = story
    session_html = fan.get(race.get_absolute_url()).content.decode()
    link = re.search(r'href="([^"]*\?before=\d+)"', session_html)
    assert link, "the amendment links the standings before it"
    before = fan.get(link.group(1).replace("&amp;", "&"))
    assert before.status_code == 200
    html = before.content.decode()
    assert "As the table stood before a change" in html
    rows = re.findall(r'href="/drivers/([a-z-]+)/"', html.split('<h2 id="standings-caption"')[1])
    assert rows[0] == "harry-king"  # first before car 7's penalty
    now = fan.get(f"{season.get_absolute_url()}standings/").content.decode()
    now_rows = re.findall(r'href="/drivers/([a-z-]+)/"', now.split('<h2 id="standings-caption"')[1])
    assert now_rows[0] == "larry-ten-voorde"


def test_a_change_that_is_not_this_seasons_is_ignored_and_said_so(fan, story):
    season, _ = story
    response = fan.get(f"{season.get_absolute_url()}standings/?before=999999")
    assert response.status_code == 200
    assert "There is no change" in response.content.decode()
