"""The truth audit of the directory: driver, team, event, session and calendar pages, the API, the
Atom feed and the iCal files, over a partial season with an unknown result, a guest, a cancelled
round and a provisional session. No unknown is shown as 0, and page and API give the same figure
for the same fact (each comes from one selector)."""

import datetime as dt
import io
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from icalendar import Calendar

from series.models import Champion, DatePrecision, SessionStatus, TeamAlias, Tier
from tests import factories as f

pytestmark = pytest.mark.django_db


@dataclass
class Partial:
    season: object
    event: object
    winner: object  # won round 1 (final) and round 3 (provisional)
    runner: object  # second in rounds 1 and 3; team Elite
    guest: object  # a guest, third in round 1
    cancelled_only: object  # only result: a "win" in the cancelled round 2
    unknown: object  # entered, no rows: the season is partial, so the counts are unknown
    titled: object  # a title on record, no seat
    team: object
    race_1: object
    race_2: object
    race_3: object


def build_partial() -> Partial:
    series = f.make_series(name="Carrera Cup Testland", tier=Tier.CARRERA_CUP)
    season = f.make_season(series, year=2023, results_partial=True)
    circuit = f.make_circuit(name="Long Beach Street Circuit", time_zone="America/Los_Angeles")
    event = f.make_event(
        circuit=circuit,
        start=dt.date(2023, 4, 14),
        end_date=dt.date(2023, 4, 16),
        name="Long Beach",
    )
    team = f.make_team("Elite Motorsport")
    winner = f.make_entry(season, f.make_driver("Winnie Winner"), team=team, car_number=1)
    runner = f.make_entry(season, f.make_driver("Rudi Runner"), team=team, car_number=2)
    guest = f.make_entry(season, f.make_driver("Gus Guest"), car_number=99, guest=True)
    cancelled_only = f.make_entry(season, f.make_driver("Cass Cancelled"), car_number=5)
    unknown = f.make_entry(season, f.make_driver("Una Unknown"), car_number=7)
    titled = f.make_driver("Tito Titled")
    Champion.objects.create(series=series, year=2023, driver=titled, driver_name=titled.name)

    round_1 = f.make_round(season, 1, event=event, date=dt.date(2023, 4, 15))
    round_2 = f.make_round(
        season,
        2,
        event=event,
        date=dt.date(2023, 4, 16),
        date_precision=DatePrecision.WEEKEND,
    )
    round_3 = f.make_round(season, 3)
    race_1 = f.make_session(round_1, name="Race 1")
    race_2 = f.make_session(round_2, name="Race 2", status=SessionStatus.CANCELLED)
    race_3 = f.make_session(round_3, name="Race 3", status=SessionStatus.PROVISIONAL)
    f.make_result(race_1, runner, 2)
    f.make_result(race_1, winner, 1)
    f.make_result(race_1, guest, 3)
    f.make_result(race_2, cancelled_only, 1)
    f.make_result(race_3, winner, 1)
    f.make_result(race_3, runner, 2)
    return Partial(
        season, event, winner, runner, guest, cancelled_only, unknown, titled, team,
        race_1, race_2, race_3,
    )  # fmt: skip


def _text(html: bytes) -> str:
    """The page's words, tags dropped and spaces folded, for reading figures as a fan reads them."""
    return " ".join(re.sub(r"<[^>]+>", " ", html.decode()).split())


def _api(fan: Client, url: str) -> dict:
    response = fan.get(url)
    assert response.status_code == 200, url
    return response.json()


# --- careers (item 3) and one fact, one place (item 4) --------------------------------------------


def test_driver_figures_say_what_they_cover_and_match_the_api(fan: Client):
    world = build_partial()
    driver = world.winner.driver
    page = _text(fan.get(driver.get_absolute_url()).content)
    body = _api(fan, f"/api/v1/drivers/{driver.slug}/")
    career = body["career"]
    assert (career["starts"], career["wins"], career["podiums"]) == (2, 2, 2)
    assert career["scope"] == "in the season on record (2023)"
    assert "In the season on record (2023): 2 starts · 2 wins · 2 podiums" in page
    # A partial season: the figures are what is on record, and the page says so.
    assert career["partial"] is True
    assert "Partial" in page and "the true figures may be higher" in page
    [season] = body["seasons"]
    assert (season["results"], season["starts"], season["wins"]) == ("partial", 2, 2)


def test_a_win_in_a_cancelled_race_counts_for_nothing_on_page_and_api_alike(fan: Client):
    # A complete season: the cancelled race's result is entered, but the race did not happen.
    season = f.make_season(f.make_series(name="Complete Cup"), year=2022)
    entry = f.make_entry(season, f.make_driver("Cora Cancel"), car_number=4)
    other = f.make_entry(season, f.make_driver("Otto Other"), car_number=5)
    ran = f.make_session(f.make_round(season, 1), name="Race 1")
    f.make_result(ran, other, 1)
    cancelled = f.make_session(f.make_round(season, 2), status=SessionStatus.CANCELLED)
    f.make_result(cancelled, entry, 1)
    body = _api(fan, f"/api/v1/drivers/{entry.driver.slug}/")
    [line] = body["seasons"]
    assert (line["starts"], line["wins"], line["podiums"]) == (0, 0, 0)
    page = _text(fan.get(entry.driver.get_absolute_url()).content)
    assert "0 starts · 0 wins · 0 podiums" in page
    assert "1 win" not in page


def test_unknown_counts_in_a_partial_season_are_null_not_zero(fan: Client):
    world = build_partial()
    for entry in (world.unknown, world.cancelled_only):
        body = _api(fan, f"/api/v1/drivers/{entry.driver.slug}/")
        [line] = body["seasons"]
        assert line["results"] == "partial"
        assert (line["starts"], line["wins"], line["podiums"]) == (None, None, None)
        assert body["career"]["starts"] is None
        page = _text(fan.get(entry.driver.get_absolute_url()).content)
        assert "Not among the rows on record" in page
        # Results of the season are entered (others' rows): "not yet entered" would be untrue.
        assert "Results not yet entered" not in page
        assert "0 starts" not in page and "0 wins" not in page


def test_a_title_without_a_season_on_record_says_no_results_and_links_the_season(fan: Client):
    world = build_partial()
    html = fan.get(world.titled.get_absolute_url()).content
    page = _text(html)
    assert "0 seasons" not in page
    assert "no results on record · 1 title" in page
    assert f'href="/series/{world.season.series.slug}/2023/"' in html.decode()
    body = _api(fan, f"/api/v1/drivers/{world.titled.slug}/")
    assert body["career"]["seasons"] == 0 and body["career"]["starts"] is None
    assert body["titles"][0]["url"] == f"/series/{world.season.series.slug}/2023/"


def test_team_figures_match_between_page_and_api(fan: Client):
    world = build_partial()
    body = _api(fan, f"/api/v1/teams/{world.team.slug}/")
    career = body["career"]
    # Winner: 2 starts, 2 wins; runner: 2 starts, 2 seconds. The cancelled race is not theirs.
    assert (career["starts"], career["wins"], career["podiums"]) == (4, 2, 4)
    page = _text(fan.get(world.team.get_absolute_url()).content)
    assert "In the season on record (2023): 4 starts · 2 wins · 4 podiums" in page


def _ical_events(fan: Client, url: str) -> dict:
    calendar = Calendar.from_ical(fan.get(url).content)
    return {str(c["UID"]): c for c in calendar.walk("VEVENT")}


def test_a_sessions_state_is_the_same_on_its_page_the_event_page_the_api_and_ical(fan: Client):
    world = build_partial()
    # A scheduled session whose day is over: held, with nothing entered.
    held = f.make_session(
        world.race_1.round, kind="qualifying", name="Qualifying", slug="quali", status="scheduled"
    )
    expected = {
        world.race_1: ("final", "Final"),
        world.race_2: ("cancelled", "Cancelled"),
        world.race_3: ("provisional", "Provisional"),
        held: ("no-results", "No results entered"),
    }
    series = world.season.series.slug
    events = _ical_events(fan, f"/series/{series}/calendar.ics")
    for session, (key, label) in expected.items():
        body = _api(fan, f"/api/v1/events/{session.event.slug}/{session.slug}/")
        assert body["state"] == key
        page = fan.get(session.get_absolute_url()).content.decode()
        assert f'class="badge badge-{key}"' in page and f">{label}</span>" in page
        event_page = fan.get(session.event.get_absolute_url()).content.decode()
        assert f">{label}</span>" in event_page
        description = str(events[f"{session.event.slug}/{session.slug}@pcc"]["DESCRIPTION"])
        if key != "scheduled":
            assert f"{label}:" in description
    listed = {
        s["slug"]: s["state"] for s in _api(fan, f"/api/v1/events/{world.event.slug}/")["sessions"]
    }
    assert listed[world.race_2.slug] == "cancelled" and listed["quali"] == "no-results"


def test_a_sessions_end_is_the_same_in_the_api_ical_and_feed(fan: Client):
    world = build_partial()
    session = world.race_1
    session.starts_at = dt.datetime(2023, 4, 15, 18, 0, tzinfo=dt.UTC)
    session.duration_minutes = 40
    session.save()
    ends = dt.datetime(2023, 4, 15, 18, 40, tzinfo=dt.UTC)
    body = _api(fan, f"/api/v1/events/{session.event.slug}/{session.slug}/")
    assert dt.datetime.fromisoformat(body["ends_at"].replace("Z", "+00:00")) == ends
    vevent = _ical_events(fan, f"/series/{world.season.series.slug}/calendar.ics")[
        f"{session.event.slug}/{session.slug}@pcc"
    ]
    assert vevent["DTEND"].dt == ends
    feed = fan.get("/feeds/results.atom").content.decode()
    assert "<updated>2023-04-15T18:40:00+00:00</updated>" in feed


# --- dates say how precise they are (item 5) ---------------------------------------------


def test_a_race_whose_day_is_not_known_shows_its_weekend_never_a_guessed_day(fan: Client):
    world = build_partial()
    page = _text(fan.get(world.event.get_absolute_url()).content)
    assert "weekend of 14–16 April 2023 day not known" in page
    # Round 1's day is known; round 2's placeholder (16 April) is never shown as its day.
    assert "Sat 15 Apr" in page and "Sun 16 Apr" not in page
    session_page = _text(fan.get(world.race_2.get_absolute_url()).content)
    assert "weekend of 14–16 April 2023" in session_page and "Sun 16 Apr" not in session_page
    body = _api(fan, f"/api/v1/events/{world.event.slug}/{world.race_2.slug}/")
    assert (body["date_exact"], body["date_label"]) == (False, "weekend of 14–16 April 2023")
    vevent = _ical_events(fan, f"/series/{world.season.series.slug}/calendar.ics")[
        f"{world.event.slug}/{world.race_2.slug}@pcc"
    ]
    # All day over the weekend, and the description says the day is not known.
    assert vevent["DTSTART"].dt == dt.date(2023, 4, 14)
    assert vevent["DTEND"].dt == dt.date(2023, 4, 17)
    assert "weekend of 14–16 April 2023 (the day is not known)" in str(vevent["DESCRIPTION"])


def test_a_month_only_event_is_never_given_a_day(fan: Client):
    circuit = f.make_circuit(name="Daytona International Speedway")
    event = f.make_event(
        circuit=circuit,
        start=dt.date(2004, 4, 1),
        end_date=dt.date(2004, 4, 30),
        name="Rennsport Reunion II",
        date_precision=DatePrecision.MONTH,
    )
    season = f.make_season(f.make_series(name="Heritage Cup"), year=2004)
    f.make_session(f.make_round(season, 1, event=event, date=dt.date(2004, 4, 1)), name="Race")
    for url in (
        "/events/",
        "/calendar/?year=2004",
        circuit.get_absolute_url(),
        event.get_absolute_url(),
    ):
        page = _text(fan.get(url).content)
        assert "April 2004" in page, url
        assert "1–30 Apr" not in page, url
        assert not re.search(r"\b(1|30) April", page), url
    body = _api(fan, f"/api/v1/events/{event.slug}/")
    assert (body["date_precision"], body["dates_label"]) == ("month", "April 2004")
    assert body["sessions"][0]["date_label"] == "April 2004"
    vevent = next(iter(_ical_events(fan, f"/series/{season.series.slug}/calendar.ics").values()))
    assert (vevent["DTSTART"].dt, vevent["DTEND"].dt) == (dt.date(2004, 4, 1), dt.date(2004, 5, 1))
    assert "April 2004 (the day is not known)" in str(vevent["DESCRIPTION"])


# --- fans' text and editors' text (item 6, display side) ----------------------------------------


def test_editors_notes_and_our_file_names_are_never_shown_sources_are_citations(fan: Client):
    circuit = f.make_circuit(
        name="Daytona", source="rennsport_reunions.csv; daytonainternationalspeedway.com"
    )
    event = f.make_event(
        circuit=circuit,
        name="Rennsport Reunion II",
        notes="Editor's note: the overview gives 1986, the article 1987.",
        source="rennsport_reunions.csv: loveforporsche.com/porsche-rennsport-reunion-iv/; "
        "carscoops.com; pccna_2023_champions.csv (class as printed there)",
    )
    season = f.make_season(f.make_series(name="Heritage Cup"), year=2023)
    session = f.make_session(f.make_round(season, 1, event=event), notes="Private: check laps.")
    driver = f.make_driver("Hidden Notes", notes="Private: born 1990 per one source only.")
    team = f.make_team("Quiet Racing", notes="Private: renamed in 2019?")
    f.make_entry(season, driver, team=team, car_number=3)
    champion = Champion.objects.create(
        series=season.series,
        year=2023,
        driver=driver,
        driver_name=driver.name,
        source="champions.csv; porsche.com/champions",
        notes="Private: sources disagree on the team.",
    )
    pages = {
        url: fan.get(url).content.decode()
        for url in (
            event.get_absolute_url(),
            session.get_absolute_url(),
            circuit.get_absolute_url(),
            driver.get_absolute_url(),
            team.get_absolute_url(),
            f"/champions/?series={season.series.slug}",
        )
    }
    for url, html in pages.items():
        assert "Private" not in html and "Editor's note" not in html, url
        assert ".csv" not in html, url
    event_html = pages[event.get_absolute_url()]
    assert '<ul class="citations">' in event_html
    assert 'href="https://loveforporsche.com/porsche-rennsport-reunion-iv/"' in event_html
    assert 'href="https://carscoops.com"' in event_html
    assert "class as printed there" not in event_html
    champions_html = pages[f"/champions/?series={season.series.slug}"]
    assert 'href="https://porsche.com/champions"' in champions_html
    assert champion.notes not in champions_html
    body = _api(fan, f"/api/v1/events/{event.slug}/")
    assert "notes" not in body and ".csv" not in str(body)
    assert body["sources"] == [
        {
            "text": "loveforporsche.com/porsche-rennsport-reunion-iv/",
            "urls": ["https://loveforporsche.com/porsche-rennsport-reunion-iv/"],
        },
        {"text": "carscoops.com", "urls": ["https://carscoops.com"]},
    ]
    assert "notes" not in _api(fan, f"/api/v1/drivers/{driver.slug}/")
    assert "notes" not in _api(fan, f"/api/v1/teams/{team.slug}/")


def test_a_name_in_its_own_script_is_shown_beside_the_latin_one(fan: Client):
    driver = f.make_driver("Ukyo Sasahara", name_original="笹原右京", sort_name="Sasahara, Ukyo")
    season = f.make_season(f.make_series(name="Carrera Cup Japan"), year=2023)
    f.make_entry(season, driver, car_number=8)
    for url in (driver.get_absolute_url(), "/drivers/"):
        html = fan.get(url).content.decode()
        assert 'Ukyo Sasahara</a> <span class="dir-original">笹原右京</span>' in html or (
            'Ukyo Sasahara <span class="dir-original">笹原右京</span>' in html
        ), url
    assert _api(fan, f"/api/v1/drivers/{driver.slug}/")["name_original"] == "笹原右京"


# --- search (item 9): the same answers on SQLite and PostgreSQL -------------------------------


def test_search_ignores_accents_and_case_and_tolerates_a_typo(fan: Client):
    for name in (
        "Sven Müller",
        "Dirk Müller",
        "Larry ten Voorde",
        "Michael Ammermüller",
        "Ann Other",
    ):
        f.make_driver(name)
    f.make_driver("Ukyo Sasahara", name_original="笹原右京")
    team = f.make_team("Team GP Elite")
    TeamAlias.objects.create(team=team, name="GP Élite Racing")
    expected = {
        "muller": ["Michael Ammermüller", "Dirk Müller", "Sven Müller"],
        "MÜLLER": ["Michael Ammermüller", "Dirk Müller", "Sven Müller"],
        "ten vorde": ["Larry ten Voorde"],
        "sven muler": ["Sven Müller"],
        "笹原": ["Ukyo Sasahara"],
    }
    for query, names in expected.items():
        html = fan.get("/search/", {"q": query}).content.decode()
        found = re.findall(r'<a href="/drivers/[^"]+/">([^<]+)</a>', html)
        assert sorted(found) == sorted(names), query
    # A team is found by its other names, accents or not.
    html = fan.get("/search/", {"q": "gp elite racing"}).content.decode()
    assert f'href="/teams/{team.slug}/"' in html
    assert "Ann Other" not in fan.get("/search/", {"q": "muller"}).content.decode()


def test_search_finds_the_shipped_facts_whatever_the_accents():
    from django.core.management import call_command

    from series.selectors.search import search

    call_command("load_pyramid", stdout=io.StringIO())
    assert {d.name for d in search("muller").drivers} >= {"Sven Müller", "Dirk Müller"}
    assert {d.name for d in search("Müller").drivers} == {d.name for d in search("muller").drivers}
    assert [d.name for d in search("ten vorde").drivers] == ["Larry ten Voorde"]


# --- the audit over every page type of the directory ------------------------------------------


def test_the_partial_season_reads_true_on_every_directory_page_and_feed(fan: Client):
    world = build_partial()
    event_html = fan.get(world.event.get_absolute_url()).content.decode()
    # The season is marked partial; the cancelled race shows no podium; the guest is marked.
    assert "Partial results" in event_html
    assert "Cass Cancelled" not in event_html
    assert "badge-guest" in event_html
    race_3 = fan.get(world.race_3.get_absolute_url()).content.decode()
    assert "provisional until the stewards" in race_3 and "badge-partial" in race_3
    race_2 = fan.get(world.race_2.get_absolute_url()).content.decode()
    assert "This session was cancelled." in race_2
    calendar = _text(fan.get("/calendar/?year=2023").content)
    assert "Long Beach" in calendar and "14–16 April 2023" in calendar
    assert "Rounds 1–2" in calendar
    # The feed holds final sessions only: round 1, not the cancelled or the provisional race, and
    # says the classification is partial.
    feed = fan.get("/feeds/results.atom").content.decode()
    assert "Race 1" in feed and "won by Winnie Winner" in feed
    assert "Race 2" not in feed and "Race 3" not in feed
    assert "partial results" in feed
    assert "3. Gus Guest (guest)" in feed
    # No unknown reads as zero anywhere a fan looks for this season's people.
    for entry in (world.unknown, world.cancelled_only):
        page = _text(fan.get(entry.driver.get_absolute_url()).content)
        assert not re.search(r"\b0 (starts?|wins?|podiums?)\b", page), entry.driver.name
    team_page = _text(fan.get(world.team.get_absolute_url()).content)
    assert "Partial" in team_page


def test_class_positions_are_the_same_on_the_session_page_and_in_the_api(fan: Client):
    season = f.make_season(f.make_series(name="Class Cup"), year=2023)
    pro, am = f.make_class(season, "Pro"), f.make_class(season, "Am", order=1)
    race = f.make_session(f.make_round(season, 1), name="Race 1")
    classes = [pro, am, am, pro, None]
    for position, season_class in enumerate(classes, start=1):
        entry = f.make_entry(season, car_number=position, season_class=season_class)
        f.make_result(race, entry, position)
    body = _api(fan, f"/api/v1/events/{race.event.slug}/{race.slug}/")
    from_api = [row["class_position"] for row in body["results"]]
    assert from_api == [1, 1, 2, 2, None]
    html = fan.get(race.get_absolute_url()).content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    cells = [re.findall(r'<td class="num">([^<]*)</td>', row) for row in rows]
    # Columns with numbers: position, car number, class position.
    assert [row[2] or None for row in cells] == [str(p) if p else None for p in from_api]


def test_structured_data_gives_a_weekend_only_race_the_weekend_not_a_day(fan: Client):
    world = build_partial()
    html = fan.get(world.race_2.get_absolute_url()).content.decode()
    assert '"startDate": "2023-04-14"' in html and '"endDate": "2023-04-16"' in html


def test_a_teams_seasons_and_drivers_are_the_same_on_the_list_and_its_page(fan: Client):
    world = build_partial()
    # A car entered for no team, run by the team in one race: a seat of the team all the same.
    loaned = f.make_entry(world.season, f.make_driver("Lena Loan"), car_number=11)
    f.make_result(world.race_3, loaned, 3, team=world.team)
    listing = _text(fan.get("/teams/").content)
    page = _text(fan.get(world.team.get_absolute_url()).content)
    assert "1 season on record · 3 drivers" in page
    assert re.search(r"Elite Motorsport\s+1\s+3\s+2023", listing), listing


def test_search_finds_circuits_and_series_without_their_accents(fan: Client):
    f.make_circuit(name="Nürburgring", place="Nürburg")
    f.make_series(name="Porsche Carrera Cup España", short_name="Cup España")
    html = fan.get("/search/", {"q": "nurburgring"}).content.decode()
    assert ">Nürburgring</a>" in html
    html = fan.get("/search/", {"q": "espana"}).content.decode()
    assert "Porsche Carrera Cup España" in html or "Cup España" in html
