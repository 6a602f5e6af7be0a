"""The directory pages: events, sessions, drivers, teams, circuits, champions, calendar, search,
watch. Each renders with data and with an empty database, ignores a bad filter with a notice on a
200 page, and loads what it shows in the same number of queries for 1 season and for 30."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from series.models import Champion, ResultStatus, SessionKind, Tier
from tests import factories as f
from tests.scenarios import World, build_world

pytestmark = pytest.mark.django_db


def page_urls(world: World) -> dict[str, str]:
    return {
        "event list": "/events/",
        "event": f"/events/{world.festival.slug}/",
        "session": f"/events/{world.festival.slug}/{world.first_race.slug}/",
        "driver list": "/drivers/",
        "driver": f"/drivers/{world.star.slug}/",
        "team list": "/teams/",
        "team": f"/teams/{world.team.slug}/",
        "circuit list": "/circuits/",
        "circuit": f"/circuits/{world.circuit.slug}/",
        "champions": "/champions/",
        "calendar": "/calendar/?year=2023",
        "search": "/search/?q=Carrera",
        "watch": "/watch/",
    }


# Only the swapped fragment, so the filter's own options don't count as matches.
HTMX = {"HX-Request": "true"}

LIST_PAGES = [
    "/events/",
    "/drivers/",
    "/teams/",
    "/circuits/",
    "/champions/",
    "/calendar/",
    "/search/",
    "/search/?q=voo",
    "/watch/",
]


# --- rendering ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_render_with_an_empty_database(fan: Client, url: str):
    response = fan.get(url)
    assert response.status_code == 200
    assert b"<h1>" in response.content


def test_every_page_renders_with_data_and_links_onward(fan: Client):
    world = build_world(2)
    for name, url in page_urls(world).items():
        response = fan.get(url)
        assert response.status_code == 200, name
        assert b'<nav class="crumbs"' in response.content, name


@pytest.mark.parametrize(
    "url",
    [
        "/events/no-such-event/",
        "/events/no-such-event/race-1/",
        "/drivers/nobody/",
        "/teams/nobody/",
        "/circuits/nowhere/",
    ],
)
def test_unknown_slug_is_a_404_page_with_a_way_back(fan: Client, url: str):
    response = fan.get(url)
    assert response.status_code == 404
    assert b'href="/"' in response.content


def test_unknown_session_of_a_real_event_is_a_404(fan: Client):
    world = build_world(1)
    assert fan.get(f"/events/{world.festival.slug}/no-such-session/").status_code == 404


def test_event_shows_each_series_rounds_times_at_the_track_watch_links_and_podium(fan: Client):
    world = build_world(2)
    html = fan.get(f"/events/{world.festival.slug}/").content.decode()
    assert "Carrera Cup 0" in html and "Carrera Cup 1" in html
    assert "Rounds 13–14" in html
    # 18:05 UTC is 11:05 at Laguna Seca (PDT), with the instant for the reader's own zone.
    assert (
        '<time datetime="2023-09-30T18:05:00Z" data-local data-tz="America/Los_Angeles">'
        "Sat 30 Sep, 11:05 PDT</time>" in html
    )
    assert "time not published" in html
    assert "IMSA Radio" in html and "IMSA.tv" in html and "United States" in html
    assert 'aria-label="Podium"' in html and "Larry ten Voorde" in html
    # The editor's note is private; the source is a citation with its address linked.
    assert "rounds 13-14 of 16" not in html
    assert '<a href="https://usatodaysports.com" rel="noopener external nofollow">' in html


def test_event_without_sessions_says_so(fan: Client):
    event = f.make_event(name="Test days")
    html = fan.get(f"/events/{event.slug}/").content.decode()
    assert "No championship rounds or sessions are on record" in html


def test_session_shows_class_positions_computed_from_the_overall_order(fan: Client):
    world = build_world(1)
    html = fan.get(f"/events/{world.festival.slug}/{world.first_race.slug}/").content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    # Overall 1 (Pro), 2 (Pro, guest), 3 (Pro-Am): class positions 1, 2 and 1.
    assert '<td>Pro</td><td class="num">1<' in rows[0]
    assert '<td>Pro</td><td class="num">2<' in rows[1]
    assert 'Pro-Am</td><td class="num">1<' in rows[2]
    assert "badge-guest" in rows[1]
    assert "40:01.500" in rows[0] and "1:24.321" in rows[0]
    assert "badge-final" in html


def test_session_without_results_says_results_not_yet_entered(fan: Client):
    world = build_world(1)
    qualifying = world.festival.sessions.get(kind=SessionKind.QUALIFYING)
    html = fan.get(f"/events/{world.festival.slug}/{qualifying.slug}/").content.decode()
    assert "Results not yet entered" in html


def test_cancelled_session_is_marked(fan: Client):
    world = build_world(1)
    world.first_race.status = "cancelled"
    world.first_race.save()
    html = fan.get(f"/events/{world.festival.slug}/{world.first_race.slug}/").content.decode()
    assert "badge-cancelled" in html and "was cancelled" in html


def test_driver_page_counts_starts_wins_podiums_and_titles_per_series(fan: Client):
    world = build_world(3)
    season = world.seasons[0]
    extra = f.make_round(season, 16)
    race = f.make_session(extra)
    entry = season.entries.get(driver=world.star)
    f.make_result(race, entry, None, status=ResultStatus.NOT_STARTED)
    html = fan.get(f"/drivers/{world.star.slug}/").content.decode()
    # Three seasons, each with one win; the non-start in the fourth race is no start.
    assert "3 starts · 3 wins · 3 podiums" in html
    assert "Up the pyramid" in html and "Tier 1" in html and "Tier 3" in html
    assert html.count('title="Champion"') >= 3
    assert 'href="/teams/gp-elite/"' in html
    assert "<strong>P1</strong>" in html  # final positions, from the standings


def test_driver_season_without_results_says_so_rather_than_zero_starts(fan: Client):
    driver = f.make_driver("Tom Sargent")
    season = f.make_season(f.make_series(name="Carrera Cup North America"), year=2023)
    f.make_entry(season, driver, car_number=23)
    f.make_round(season, 1)
    html = fan.get(f"/drivers/{driver.slug}/").content.decode()
    assert "Results not yet entered" in html
    assert "0 starts" not in html


def test_driver_with_titles_only_appears_on_the_ladder(fan: Client):
    driver = f.make_driver("Jean-Pierre Malcher")
    series = f.make_series(name="Porsche Supercup", tier=Tier.SUPERCUP)
    Champion.objects.create(series=series, year=1995, driver=driver, driver_name=driver.name)
    html = fan.get(f"/drivers/{driver.slug}/").content.decode()
    assert "1995" in html and "Porsche Supercup" in html and "Up the pyramid" in html


def test_driver_list_filters_by_series(fan: Client):
    world = build_world(2)
    other = f.make_driver("Only Elsewhere")
    season = f.make_season(f.make_series(name="Sprint Challenge Suisse", tier=Tier(3)))
    f.make_entry(season, other)
    html = fan.get("/drivers/?series=sprint-challenge-suisse").content.decode()
    assert "Only Elsewhere" in html and world.star.name not in html
    assert "Only Elsewhere" in fan.get("/drivers/").content.decode()


def test_team_page_counts_wins_and_lists_drivers(fan: Client):
    world = build_world(2)
    html = fan.get(f"/teams/{world.team.slug}/").content.decode()
    assert "2 wins · 4 podiums" in html
    assert world.star.name in html


def test_circuit_page_lists_events_and_lap_records(fan: Client):
    world = build_world(2)
    html = fan.get(f"/circuits/{world.circuit.slug}/").content.decode()
    assert "America/Los_Angeles" in html and "Rennsport Reunion 7" in html
    assert "1:24.321" in html  # the fastest of the two best laps


def test_each_car_keeps_its_fastest_lap_here_and_a_tie_goes_to_the_earliest(fan: Client):
    import datetime as dt

    from series.models import CarGeneration

    circuit = f.make_circuit(name="Test Ring")
    gen = CarGeneration.objects.create(generation="992", slug="992", model_name="911 GT3 Cup")
    lap = dt.timedelta(minutes=1, seconds=30)
    setters = {}
    for year, car_generation, car, best in (
        (2021, gen, "", lap),  # the record: as fast as 2022's, and earlier
        (2022, gen, "", lap),
        (2023, gen, "", lap + dt.timedelta(seconds=1)),
        (2008, None, "911 GT3 Cup (997)", lap + dt.timedelta(seconds=3)),
        (2009, None, "911 GT3 Cup (997)", lap + dt.timedelta(seconds=2)),  # the 997's record
        # The 997's record lap, earlier, set by the other car: not the 997's (records are found
        # among the results with one of the fastest laps, then matched to their car).
        (2007, gen, "", lap + dt.timedelta(seconds=2)),
    ):
        season = f.make_season(year=year, car_generation=car_generation, car=car)
        event = f.make_event(circuit, start=dt.date(year, 5, 1), name=f"Test Ring {year}")
        session = f.make_session(f.make_round(season, 1, event=event), name=f"Race {year}")
        driver = f.make_driver(f"Setter {year}")
        f.make_result(session, f.make_entry(season, driver, car_number=1), 1, best_lap=best)
        f.make_result(
            session, f.make_entry(season, car_number=2), 2, best_lap=best + dt.timedelta(1)
        )
        setters[year] = driver
    html = fan.get(f"/circuits/{circuit.slug}/").content.decode()
    records = html[html.index('id="records-heading"') :]
    assert records.count("<tr>") == 3  # the header and one row per car
    assert "Setter 2021" in records and "1:30.000" in records
    assert "Setter 2009" in records and "1:32.000" in records
    assert not any(f"Setter {year}" in records for year in (2022, 2023, 2008, 2007))


def test_champions_most_titles_are_counted_from_the_records(fan: Client):
    supercup = f.make_series(name="Porsche Supercup", tier=Tier.SUPERCUP)
    france = f.make_series(name="Porsche Carrera Cup France", tier=Tier.CARRERA_CUP)
    huisman = f.make_driver("Rene Rast")
    for year in (2013, 2014, 2015, 2016):
        Champion.objects.create(series=supercup, year=year, driver_name="Nicki Thiim")
    for year in (2012, 2017):
        Champion.objects.create(series=supercup, year=year, driver=huisman, driver_name="R. Rast")
    for year in (2001, 2002, 2003, 2004, 2005):
        Champion.objects.create(series=france, year=year, driver_name="Frederic Dupuy")
    html = fan.get("/champions/").content.decode()
    most = html.split('class="data dir-most"')[1].split("</table>")[0]
    assert most.index("Frederic Dupuy") < most.index("Nicki Thiim") < most.index("R. Rast")
    assert "Supercup 2013–2016" in most
    assert 'href="/drivers/rene-rast/"' in most


def test_champions_filter_by_tier_decade_and_class(fan: Client):
    supercup = f.make_series(name="Porsche Supercup", tier=Tier.SUPERCUP)
    cup = f.make_series(name="Carrera Cup Asia", tier=Tier.CARRERA_CUP)
    Champion.objects.create(series=supercup, year=1994, driver_name="Uwe Alzen")
    Champion.objects.create(series=cup, year=2015, driver_name="Pro Am Winner", class_name="Pro-Am")
    # A tier alone lists its series (the full list is paged by series, class or decade).
    html = fan.get("/champions/?tier=1").content.decode()
    assert "?series=porsche-supercup" in html and "Carrera Cup Asia" not in html.split("<h2")[-1]
    html = fan.get("/champions/?tier=1&series=porsche-supercup").content.decode()
    assert "Uwe Alzen" in html and "Pro Am Winner" not in html
    html = fan.get("/champions/?decade=2010").content.decode()
    assert "Uwe Alzen" not in html and "Pro Am Winner" in html
    html = fan.get("/champions/?class=Pro-Am").content.decode()
    assert "Uwe Alzen" not in html and "Pro Am Winner" in html


def test_calendar_groups_rounds_by_month_and_filters_by_tier(fan: Client):
    build_world(3)
    html = fan.get("/calendar/?year=2023").content.decode()
    assert "September 2023" in html and "Rennsport Reunion 7" in html
    # The subscription offers webcal: for phones and a plain download.
    assert 'href="webcal://testserver/calendar.ics"' in html
    assert 'href="/calendar.ics" download' in html
    html = fan.get("/calendar/?year=2023&tier=1", headers=HTMX).content.decode()
    assert "Carrera Cup 0" in html and "Carrera Cup 1" not in html
    html = fan.get("/calendar/?year=2023&month=1").content.decode()
    assert "No races are on the calendar for January 2023" in html


def test_search_finds_drivers_circuits_and_events(fan: Client):
    build_world(1)
    html = fan.get("/search/?q=voo").content.decode()
    assert "Larry ten Voorde" in html
    html = fan.get("/search/?q=laguna").content.decode()
    assert "WeatherTech Raceway Laguna Seca" in html
    html = fan.get("/search/?q=rennsport").content.decode()
    assert "Rennsport Reunion 7" in html


def test_search_needs_two_characters_and_an_empty_query_shows_the_form(fan: Client):
    build_world(1)
    html = fan.get("/search/?q=v").content.decode()
    assert "at least 2 characters" in html and "Larry" not in html
    html = fan.get("/search/").content.decode()
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert 'hx-target="#search-results"' in html and 'hx-push-url="true"' in html


def test_search_survives_nul_and_very_long_queries(fan: Client):
    assert fan.get("/search/", {"q": "vo\x00o"}).status_code == 200
    assert fan.get("/search/", {"q": "x" * 10_000}).status_code == 200


def test_watch_lists_every_series_with_kind_labels_and_the_events_links(fan: Client):
    # The watch page is per series since issue 13 (tests/test_watch.py has the rest).
    build_world(2)
    html = fan.get("/watch/").content.decode()
    assert "Live stream" in html and "Replay" in html and "Radio" in html
    assert "Carrera Cup 0" in html and "Rennsport Reunion 7" in html


def test_watch_says_so_when_nothing_is_on_record(fan: Client):
    assert "no streams, replays or archives" in fan.get("/watch/").content.decode()


# --- bad filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/events/?year=abc",
        "/events/?year=99999999999999999999999",
        "/calendar/?year=abcd",
        "/calendar/?month=13",
        "/calendar/?tier=9",
        "/calendar/?series=nope",
        "/champions/?decade=x",
        "/champions/?tier=9",
        "/champions/?class=nope",
        "/champions/?series=nope",
        "/drivers/?series=nope",
    ],
)
def test_bad_filter_is_ignored_with_a_notice_on_a_200_page(fan: Client, url: str):
    build_world(1)
    response = fan.get(url)
    assert response.status_code == 200  # htmx swaps it, the page cache keeps it
    html = response.content.decode()
    assert "notice" in html and "the filter was ignored" in html
    assert "<h1>" in html  # the full page, filter ignored
    # Its canonical address is the page shown: without the ignored filter.
    path = url.split("?")[0]
    assert f'<link rel="canonical" href="http://testserver{path}">' in html


def test_a_bad_filter_beside_a_good_one_keeps_the_good_one_in_the_canonical_address(fan):
    build_world(1)
    html = fan.get("/calendar/?month=13&tier=1").content.decode()
    assert '<link rel="canonical" href="http://testserver/calendar/?tier=1">' in html
    assert "That is not a month (1 to 12); the filter was ignored." in html


def test_a_bad_filter_on_an_htmx_request_shows_its_notice_in_the_fragment(fan):
    build_world(1)
    response = fan.get("/champions/?tier=9", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'class="notice notice-warn"' in html and "That is not a tier" in html


def test_good_filter_is_a_200(fan: Client):
    build_world(1)
    assert fan.get("/calendar/?year=2023&month=9&tier=1").status_code == 200
    assert fan.get("/champions/?tier=1&decade=2020").status_code == 200


# --- htmx -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("/champions/?tier=1", "champions-list"),
        ("/calendar/?year=2023", "calendar-list"),
        ("/search/?q=voo", "search-results"),
        ("/events/?year=2023", "event-list"),
        ("/drivers/", "driver-list"),
    ],
)
def test_htmx_request_gets_the_fragment_and_vary_header(fan: Client, url: str, fragment: str):
    build_world(1)
    response = fan.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div id="{fragment}"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    full = fan.get(url)
    assert "<html" in full.content.decode() and "HX-Request" in full["Vary"]


def test_htmx_history_restore_gets_the_full_page(fan: Client):
    response = fan.get(
        "/champions/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


# --- query counts ---------------------------------------------------------------------------------


def _count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm the caches (standings tables are cached per season)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# The expected counts name each query, so a change that adds one shows up as a failure here.
EXPECTED_QUERIES = {
    # years; the year's events with circuits and their rounds with seasons and series (paged in
    # Python: a year is a few hundred events at most)
    "event list": 2,
    # event; rounds; sessions; podiums; watch links; support events (the JSON-LD's host and
    # status come from the rounds and sessions: no query of its own)
    "event": 6,
    # session with event and round; results; the event's other sessions; its revisions (the
    # change log, one query whatever their number); where to watch the series that year (the
    # festival names its host and the JSON-LD reads the loaded rows: no query of its own)
    "session": 5,
    # series options; the first page's drivers in order with their initials (the whole listing
    # when it fits one page, counted and paged in Python); the series each raced in (a longer
    # listing adds one: its ids and initials)
    "driver list": 3,
    # driver; entries; stats per season; titles with whether each one's season is on the site
    # (for their links); teams; the stored final rows of the driver in every season of the career
    "driver": 6,
    # the first page's teams with how many teams there are (a window count); the seats entered
    # for them or run by them in a race without entering them (one UNION)
    "team list": 2,
    "team": 4,  # team; seats; stats per season; the team's stored final rows, every season
    "circuit list": 1,  # circuits with counts
    "circuit": 6,  # circuit; events; their rounds; the fastest lap per car; the results that set
    # them, fastest and earliest first; the records with their drivers and events
    "champions": 2,  # series options; every title row (its classes and decades offered too)
    "calendar": 3,  # years; series options; rounds
    "search": 5,  # drivers; teams; series; events; circuits
    "watch": 2,  # series; links with their owners
}


def _count_for(client: Client, name: str, n_seasons: int) -> int:
    # Each world is built and measured in a savepoint that is rolled back, so both fit one test.
    with transaction.atomic():
        world = build_world(n_seasons)
        count = _count_queries(client, page_urls(world)[name])
        transaction.set_rollback(True)
    return count


@pytest.mark.parametrize("name", list(EXPECTED_QUERIES))
def test_query_count_is_the_same_for_one_and_thirty_seasons(fan: Client, name: str):
    one = _count_for(fan, name, 1)
    thirty = _count_for(fan, name, 30)
    assert one == thirty, f"{name}: {one} queries with 1 season, {thirty} with 30"
    assert one == EXPECTED_QUERIES[name], f"{name}: {one} queries"


def test_session_of_a_partial_season_says_the_table_is_partial(fan: Client):
    world = build_world(1)
    season = world.seasons[0]
    season.results_partial = True
    season.results_note = "Only the top five rows were published."
    season.save()
    html = fan.get(f"/events/{world.festival.slug}/{world.first_race.slug}/").content.decode()
    assert "badge-partial" in html and "Only the top five rows were published." in html


def test_driver_list_files_accented_names_under_their_letter_and_others_under_hash(fan: Client):
    f.make_driver("Émile Zola", sort_name="Évora, Émile", slug="evora")
    f.make_driver("Ryo Ogawa", sort_name="小川, 亮", slug="ryo-ogawa")
    html = fan.get("/drivers/", headers=HTMX).content.decode()
    e_section = html.split('id="drivers-E"')[1].split("</section>")[0]
    hash_section = html.split('id="drivers-other"')[1].split("</section>")[0]
    assert "Émile Zola" in e_section and "Ryo Ogawa" in hash_section


def test_driver_list_letters_reach_drivers_on_other_pages_keeping_the_filter(
    fan: Client, monkeypatch
):
    """A letter whose first driver is on another page links to that page and the letter's
    section there, with the page's filter kept: a plain link, so it works without JavaScript."""
    from series.selectors import drivers

    monkeypatch.setattr(drivers, "DRIVERS_PER_PAGE", 2)
    season = f.make_season(f.make_series(name="Alpha Cup"))
    for n, family in enumerate(["Adler", "Berger", "Claes", "Évora"]):
        f.make_entry(season, f.make_driver(f"Max {family}", sort_name=family), car_number=n + 1)
    f.make_driver("Ryo Ogawa", sort_name="小川, 亮", slug="ryo-ogawa")  # no seat in Alpha Cup
    html = fan.get("/drivers/?series=alpha-cup", headers=HTMX).content.decode()
    index = html.split('aria-label="Initials"')[1].split("</nav>")[0]
    assert '<a href="#drivers-A">A</a>' in index and '<a href="#drivers-B">B</a>' in index
    assert '<a href="?series=alpha-cup&amp;page=2#drivers-C">C</a>' in index
    assert '<a href="?series=alpha-cup&amp;page=2#drivers-E">E</a>' in index
    assert "drivers-other" not in index  # Ogawa did not race in Alpha Cup
    page_two = fan.get("/drivers/?series=alpha-cup&page=2").content.decode()
    assert 'id="drivers-C"' in page_two and 'id="drivers-E"' in page_two
    assert '<a href="?series=alpha-cup&amp;page=1#drivers-A">A</a>' in page_two
    everyone = fan.get("/drivers/?page=3", headers=HTMX).content.decode()
    assert 'id="drivers-other"' in everyone and '<a href="#drivers-other">#</a>' in everyone


@pytest.mark.django_db
def test_a_past_session_without_results_does_not_claim_to_be_scheduled(fan):
    season = f.make_season(year=2023)
    session = f.make_session(f.make_round(season, 1), status="scheduled")
    body = fan.get(f"/events/{session.event.slug}/").content.decode()
    assert "No results entered" in body
    assert ">Scheduled<" not in body


def test_a_session_whose_round_is_at_another_event_still_names_its_series(
    fan: Client, django_assert_num_queries
):
    # The record should not hold this (a round's sessions are at its event), but if it does the
    # event page still shows the session's series, in one more query whatever their number.
    season = f.make_season(f.make_series(name="Carrera Cup Elsewhere"), 2023)
    round_ = f.make_round(season, 4)
    other = f.make_event(name="Other weekend")
    for session in (f.make_session(round_), f.make_session(f.make_round(season, 5))):
        session.event = other
        session.save()
    with django_assert_num_queries(EXPECTED_QUERIES["event"] + 1):
        html = fan.get(f"/events/{other.slug}/").content.decode()
    schedule = html.split('id="schedule-heading"')[1]
    assert "Carrera Cup Elsewhere" in schedule and "R4" in schedule and "R5" in schedule
