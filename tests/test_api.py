"""The JSON API beyond standings: every endpoint's shape, filters, pagination, bad parameters,
synthetic data kept out, caching headers, CORS, the docs page and the query budgets."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from series.api import format_duration
from series.models import Champion, ResultStatus, SessionKind, Tier
from tests import factories as f
from tests.scenarios import build_two_class_season as build_season

pytestmark = pytest.mark.django_db


# --- series and seasons ----------------------------------------------------------------------


def test_series_list_filters_by_tier_and_words(fan):
    supercup = f.make_series(name="Porsche Supercup", tier=Tier.SUPERCUP, country="Europe")
    f.make_series(name="Carrera Cup Germany", tier=Tier.CARRERA_CUP, feeds_into=supercup)
    f.make_series(name="Sprint Challenge Suisse", tier=Tier.SPRINT_CHALLENGE, country="Switzerland")

    body = fan.get("/api/v1/series/").json()
    assert body["count"] == 3
    assert [item["slug"] for item in body["items"]] == [
        "porsche-supercup",
        "carrera-cup-germany",
        "sprint-challenge-suisse",
    ]
    germany = body["items"][1]
    assert germany["feeds_into"] == "porsche-supercup"
    assert germany["tier_label"] == "National Carrera Cup"
    assert germany["url"] == "/series/carrera-cup-germany/"

    by_tier = fan.get("/api/v1/series/?tier=3").json()
    assert [item["slug"] for item in by_tier["items"]] == ["sprint-challenge-suisse"]
    by_words = fan.get("/api/v1/series/?q=GERMANY").json()
    assert [item["slug"] for item in by_words["items"]] == ["carrera-cup-germany"]


def test_series_detail_lists_seasons_newest_first_and_counts_titles(fan):
    series = f.make_series(name="Carrera Cup Italia")
    feeder = f.make_series(name="Sprint Challenge Italia", feeds_into=series)
    build_season(series, year=2022)
    build_season(series, year=2023)

    response = fan.get("/api/v1/series/carrera-cup-italia/")
    assert response.status_code == 200
    body = response.json()
    assert [season["year"] for season in body["seasons"]] == [2023, 2022]
    assert body["seasons"][0]["car"] == "911 GT3 Cup (992)"
    assert body["champions_count"] == 2
    assert body["feeders"] == [feeder.slug]


def test_unknown_slugs_are_404_with_a_detail(fan):
    for url in (
        "/api/v1/series/no-such-cup/",
        "/api/v1/series/no-such-cup/2023/",
        "/api/v1/events/no-such-event/",
        "/api/v1/events/no-such-event/race/",
        "/api/v1/drivers/nobody/",
        "/api/v1/teams/nobody/",
        "/api/v1/circuits/nowhere/",
    ):
        response = fan.get(url)
        assert response.status_code == 404, url
        assert "No " in response.json()["detail"], url


def test_seasons_filter_by_series_year_and_tier(fan):
    cup = f.make_series(name="Carrera Cup Asia", tier=Tier.CARRERA_CUP)
    build_season(cup, year=2022)
    build_season(cup, year=2023)
    build_season(year=2023, tier=Tier.SPRINT_CHALLENGE)

    def years(query: str) -> list[tuple[str, int]]:
        items = fan.get(f"/api/v1/seasons/?{query}").json()["items"]
        return [(item["series"]["slug"], item["year"]) for item in items]

    assert years("series=carrera-cup-asia") == [
        ("carrera-cup-asia", 2023),
        ("carrera-cup-asia", 2022),
    ]
    assert len(years("year=2023")) == 2
    assert years("tier=2&year=2022") == [("carrera-cup-asia", 2022)]


def test_season_detail_has_rounds_classes_scoring_and_entries(fan):
    season, entries = build_season(year=2023, rounds=2, cars=2)
    body = fan.get(f"/api/v1/series/{season.series.slug}/2023/").json()
    assert [cls["slug"] for cls in body["classes"]] == ["pro", "am"]
    assert body["scoring"]["race_points"][:3] == [25, 20, 17]
    assert [round_["number"] for round_ in body["rounds"]] == [1, 2]
    first = body["rounds"][0]
    assert first["sessions"][0]["kind"] == "race"
    assert first["circuit"]["slug"] == season.rounds.get(number=1).event.circuit.slug
    assert first["multiplier"] == 1
    assert [entry["driver"]["slug"] for entry in body["entries"]] == [
        entries[0].driver.slug,
        entries[1].driver.slug,
    ]
    assert body["entries"][1]["class"] == "am"
    assert body["entries"][0]["team"]["slug"] == entries[0].team.slug


# --- events and sessions ---------------------------------------------------------------------


def test_events_filter_by_series_and_year(fan):
    season, _ = build_season(year=2023, rounds=2)
    other, _ = build_season(year=2022, rounds=1)
    all_events = fan.get("/api/v1/events/").json()
    assert all_events["count"] == 3
    in_series = fan.get(f"/api/v1/events/?series={season.series.slug}").json()["items"]
    assert len(in_series) == 2
    assert in_series[0]["rounds"] == [{"series": season.series.slug, "year": 2023, "number": 1}]
    in_2022 = fan.get("/api/v1/events/?year=2022").json()["items"]
    assert [item["rounds"][0]["series"] for item in in_2022] == [other.series.slug]


def test_event_detail_lists_its_sessions(fan):
    season, _ = build_season(rounds=1)
    round_ = season.rounds.get()
    f.make_session(round_, kind=SessionKind.QUALIFYING, name="Qualifying 1")
    body = fan.get(f"/api/v1/events/{round_.event.slug}/").json()
    assert body["circuit"]["slug"] == round_.event.circuit.slug
    assert {session["kind"] for session in body["sessions"]} == {"race", "qualifying"}
    assert body["sessions"][0]["round"] == {
        "series": season.series.slug,
        "year": season.year,
        "number": 1,
    }


def test_session_classification_has_class_positions_and_times(fan):
    season, entries = build_season(cars=4, rounds=1)
    session = season.rounds.get().sessions.get()
    winner = session.results.get(entry=entries[0])
    winner.race_time = dt.timedelta(minutes=38, seconds=12.345)
    winner.best_lap = dt.timedelta(minutes=1, seconds=38.765)
    winner.pole = winner.fastest_lap = True
    winner.save()
    last = session.results.get(entry=entries[3])
    last.position, last.status = None, ResultStatus.RETIRED
    last.save()

    response = fan.get(f"/api/v1/events/{session.event.slug}/{session.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "final"
    results = body["results"]
    assert [row["position"] for row in results] == [1, 2, 3, None]
    # Pro is cars 1 and 3, Am cars 2 and 4 (4 retired, so not classified in its class).
    assert [row["class_position"] for row in results] == [1, 1, 2, None]
    assert results[0]["time"] == "38:12.345"
    assert results[0]["best_lap"] == "1:38.765"
    assert results[0]["pole"] is True and results[0]["fastest_lap"] is True
    assert results[0]["driver"] == {
        "slug": entries[0].driver.slug,
        "name": entries[0].driver.name,
        "nationality": "GER",
    }
    assert results[3]["status"] == "retired"
    assert results[1]["class"] == "am"


def test_session_of_another_event_is_a_404(fan):
    season, _ = build_season()
    other, _ = build_season()
    session = season.rounds.get().sessions.get()
    other_event = other.rounds.get().event
    assert fan.get(f"/api/v1/events/{other_event.slug}/{session.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.timedelta(minutes=1, seconds=38.765), "1:38.765"),
        (dt.timedelta(minutes=38, seconds=12.345), "38:12.345"),
        (dt.timedelta(hours=1, minutes=2, seconds=3.456), "1:02:03.456"),
        (dt.timedelta(seconds=58.9), "0:58.900"),
        (None, None),
    ],
)
def test_durations_are_printed_as_timing_sheets_print_them(value, text):
    assert format_duration(value) == text


# --- drivers, teams, circuits, champions -----------------------------------------------------


def test_drivers_filter_by_series_year_and_name(fan):
    season, entries = build_season(year=2023)
    build_season(season.series, year=2022)
    f.make_driver("Larry ten Voorde")

    assert fan.get("/api/v1/drivers/").json()["count"] == 5
    in_season = fan.get(f"/api/v1/drivers/?series={season.series.slug}&year=2023").json()
    assert {item["slug"] for item in in_season["items"]} == {e.driver.slug for e in entries}
    by_name = fan.get("/api/v1/drivers/?q=voorde").json()["items"]
    assert [item["slug"] for item in by_name] == ["larry-ten-voorde"]


def test_driver_career_counts_starts_wins_podiums_and_titles(fan):
    season, entries = build_season(year=2023, rounds=3, cars=4)
    driver = entries[0].driver
    # A second season in another series, where the driver did not start one race.
    later, later_entries = build_season(year=2024, rounds=2, cars=2)
    entry = f.make_entry(later, driver=driver, car_number=9)
    session = later.rounds.get(number=1).sessions.get()
    f.make_result(session, entry, None, status=ResultStatus.NOT_STARTED, car_number=9)
    session = later.rounds.get(number=2).sessions.get()
    f.make_result(session, entry, 3, car_number=9)

    body = fan.get(f"/api/v1/drivers/{driver.slug}/").json()
    careers = body["seasons"]
    assert [(row["series"]["slug"], row["year"]) for row in careers] == [
        (season.series.slug, 2023),
        (later.series.slug, 2024),
    ]
    assert careers[0] | {"series": None, "team": None} == {
        "series": None,
        "year": 2023,
        "team": None,
        "class": "pro",
        "number": 1,
        "guest": False,
        "results": "complete",
        "starts": 3,
        "wins": 3,
        "podiums": 3,
        "position": 1,
    }
    assert (careers[1]["starts"], careers[1]["wins"], careers[1]["podiums"]) == (1, 0, 1)
    assert body["career"] | {"scope": None} == {
        "seasons": 2,
        "counted_seasons": 2,
        "first_year": 2023,
        "last_year": 2024,
        "starts": 4,
        "wins": 3,
        "podiums": 4,
        "partial": False,
        "scope": None,
    }
    assert body["career"]["scope"] == "in the 2 seasons on record (2023–2024)"
    assert body["titles"] == [
        {
            "series": {"slug": season.series.slug, "name": season.series.name, "tier": 2},
            "year": 2023,
            "class_name": "overall",
            "url": f"/series/{season.series.slug}/2023/",
        }
    ]


def test_team_detail_lists_drivers_season_by_season(fan):
    season, entries = build_season(year=2023, cars=2)
    team = entries[0].team
    body = fan.get(f"/api/v1/teams/{team.slug}/").json()
    assert body["seasons"] == [
        {
            "series": {"slug": season.series.slug, "name": season.series.name, "tier": 2},
            "year": 2023,
            "drivers": [
                {"slug": e.driver.slug, "name": e.driver.name, "nationality": "GER"}
                for e in entries
            ],
            "results": "complete",
            "starts": 2,
            "wins": 1,
            "podiums": 2,
        }
    ]
    listed = fan.get(f"/api/v1/teams/?series={season.series.slug}").json()["items"]
    assert [item["slug"] for item in listed] == [team.slug]


def test_circuit_detail_lists_its_events(fan):
    circuit = f.make_circuit(name="Red Bull Ring", length_km="4.318", place="Spielberg")
    event = f.make_event(circuit=circuit, name="Austrian Grand Prix")
    body = fan.get("/api/v1/circuits/red-bull-ring/").json()
    assert body["length_km"] == 4.318
    assert body["time_zone"] == "Europe/Berlin"
    assert [item["slug"] for item in body["events"]] == [event.slug]
    found = fan.get("/api/v1/circuits/?q=spielberg").json()["items"]
    assert [item["slug"] for item in found] == ["red-bull-ring"]


def test_champions_filter_by_series_tier_year_and_class(fan):
    supercup = f.make_series(name="Porsche Supercup", tier=Tier.SUPERCUP)
    cup = f.make_series(name="Carrera Cup France")
    Champion.objects.create(series=supercup, year=2023, driver_name="Bastian Buus")
    Champion.objects.create(series=supercup, year=2022, driver_name="Dylan Pereira")
    Champion.objects.create(series=cup, year=2023, driver_name="Marvin Klein")
    Champion.objects.create(series=cup, year=2023, class_name="Pro-Am", driver_name="Someone")

    def names(query: str) -> list[str]:
        return [i["driver_name"] for i in fan.get(f"/api/v1/champions/?{query}").json()["items"]]

    # Newest first, then down the pyramid, then by class name.
    assert names("") == ["Bastian Buus", "Someone", "Marvin Klein", "Dylan Pereira"]
    assert names("series=porsche-supercup") == ["Bastian Buus", "Dylan Pereira"]
    assert names("tier=2") == ["Someone", "Marvin Klein"]
    assert names("year=2022") == ["Dylan Pereira"]
    assert names("class=pro-am") == ["Someone"]
    assert names("class=overall&year=2023") == ["Bastian Buus", "Marvin Klein"]


# --- parameters and pagination ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/api/v1/seasons/?year=abc", "year"),
        ("/api/v1/series/?tier=9", "tier"),
        ("/api/v1/series/?tier=x", "tier"),
        ("/api/v1/champions/?tier=0", "tier"),
        ("/api/v1/series/?page=0", "page"),
        ("/api/v1/drivers/?page_size=0", "page_size"),
        ("/api/v1/drivers/?series=no-such-cup", "no-such-cup"),
        ("/api/v1/events/?year=twenty", "year"),
        ("/api/v1/series/some-cup/twenty/", "year"),
    ],
)
def test_bad_parameters_are_a_400_with_a_message(fan, url, words):
    response = fan.get(url)
    assert response.status_code == 400
    assert words in response.json()["detail"]


def test_lists_are_paginated_by_page_number_with_links(fan):
    for n in range(5):
        f.make_driver(f"Driver {chr(ord('A') + n)} Page")
    first = fan.get("/api/v1/drivers/?page_size=2").json()
    assert (first["count"], first["page"], first["page_size"]) == (5, 1, 2)
    assert len(first["items"]) == 2
    assert first["previous"] is None
    assert first["next"] == "/api/v1/drivers/?page_size=2&page=2"
    last = fan.get("/api/v1/drivers/?page_size=2&page=3").json()
    assert len(last["items"]) == 1
    assert last["next"] is None
    assert last["previous"] == "/api/v1/drivers/?page_size=2&page=2"
    # The page size is capped, not refused.
    assert fan.get("/api/v1/drivers/?page_size=10000").json()["page_size"] == 200
    beyond = fan.get("/api/v1/drivers/?page=9").json()
    assert beyond["items"] == [] and beyond["count"] == 5


# --- caching headers and CORS ----------------------------------------------------------------


def test_responses_carry_etag_and_last_modified(fan):
    build_season()
    response = fan.get("/api/v1/seasons/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "must-revalidate" in response["Cache-Control"]


def test_a_matching_etag_gets_a_304_and_a_change_a_new_body(fan):
    season, _ = build_season()
    url = f"/api/v1/series/{season.series.slug}/"
    etag = fan.get(url)["ETag"]
    again = fan.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"

    season.series.description = "Now with a description."
    season.series.save()
    changed = fan.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["description"] == "Now with a description."


def test_if_modified_since_gets_a_304_until_the_body_changes(fan):
    season, _ = build_season()
    url = f"/api/v1/series/{season.series.slug}/{season.year}/"
    last_modified = fan.get(url)["Last-Modified"]
    assert fan.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    older = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert fan.get(url, headers={"If-Modified-Since": older}).status_code == 200


def test_errors_are_not_cached_but_are_open_to_other_origins(fan):
    response = fan.get("/api/v1/drivers/nobody/", headers={"Origin": "https://fan.example"})
    assert response.status_code == 404
    assert not response.has_header("ETag")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_any_origin_may_read_and_preflight_is_answered(fan):
    response = fan.get("/api/v1/series/", headers={"Origin": "https://fan.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]

    preflight = fan.options(
        "/api/v1/series/",
        headers={
            "Origin": "https://fan.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_pages_outside_the_api_get_no_cors_header(fan):
    response = fan.get("/series/no-such-cup/2023/standings.csv")
    assert not response.has_header("Access-Control-Allow-Origin")


def test_head_answers_like_get_without_a_body(fan):
    build_season()
    get = fan.get("/api/v1/seasons/")
    head = fan.head("/api/v1/seasons/")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Access-Control-Allow-Origin"] == "*"


def test_index_links_the_docs_and_every_list(fan):
    body = fan.get("/api/v1/").json()
    assert body["docs"] == "/api/v1/docs"
    assert body["openapi"] == "/api/v1/openapi.json"
    for name, url in body["endpoints"].items():
        assert fan.get(url).status_code == 200, name


def test_writes_are_refused(fan):
    assert fan.post("/api/v1/series/").status_code == 405


# --- the OpenAPI document and the docs page --------------------------------------------------


def test_openapi_document_lists_every_endpoint(fan):
    schema = fan.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/",
        "/api/v1/series/",
        "/api/v1/series/{series}/",
        "/api/v1/seasons/",
        "/api/v1/series/{series}/{year}/",
        "/api/v1/series/{series}/{year}/standings/",
        "/api/v1/events/",
        "/api/v1/events/{event}/",
        "/api/v1/events/{event}/{session}/",
        "/api/v1/events/{event}/{session}/revisions/",
        "/api/v1/drivers/",
        "/api/v1/drivers/{driver}/",
        "/api/v1/teams/",
        "/api/v1/teams/{team}/",
        "/api/v1/circuits/",
        "/api/v1/circuits/{circuit}/",
        "/api/v1/champions/",
    }
    assert all(set(methods) == {"get"} for methods in schema["paths"].values())
    assert "PageNumber" in schema["info"]["description"] or "page" in schema["info"]["description"]


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str | None] = []
        self.stylesheets: list[str] = []
        self.inline_styles = 0
        self._in_script = False
        self.inline_code = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.inline_styles += 1
        if tag == "script":
            self.sources.append(attributes.get("src"))
            self._in_script = True
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes["href"])
        if tag == "style":
            self.inline_styles += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_code += data.strip()


def test_docs_page_needs_no_inline_script_and_no_cdn(fan):
    response = fan.get("/api/v1/docs")
    assert response.status_code == 200
    page = _Scripts()
    page.feed(response.content.decode())
    assert page.sources and all(page.sources), "every script is a file"
    assert page.inline_code == ""
    assert page.inline_styles == 0
    for address in [*page.sources, *page.stylesheets]:
        assert address.startswith("/static/"), address
        assert finders.find(address.removeprefix("/static/")), address
    # Without JavaScript the page still lists every operation.
    assert "/api/v1/champions/" in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]


# --- query budgets ---------------------------------------------------------------------------


def _pyramid(seasons: int) -> None:
    for _ in range(seasons):
        build_season(cars=2, rounds=1)


# Each list costs the listings' version (its cache key), a count and a page of items, whatever the
# data; events add one query for the rounds they host (prefetched). The champions are the champions
# page's selector: the series, then one query for every row of the record (a few hundred, read as
# plain values), counted and paged in memory. Once cached, an answer costs the version alone.
LIST_BUDGETS = {
    "/api/v1/series/": 3,
    "/api/v1/seasons/": 3,
    "/api/v1/events/": 4,
    "/api/v1/drivers/": 3,
    "/api/v1/teams/": 3,
    "/api/v1/circuits/": 3,
    "/api/v1/champions/": 3,
}


@pytest.mark.parametrize("url", list(LIST_BUDGETS))
@pytest.mark.parametrize("seasons", [1, 30])
def test_list_query_budget_does_not_grow_with_the_data(fan, url, seasons):
    _pyramid(seasons)
    with CaptureQueriesContext(connection) as queries:
        response = fan.get(url)
    assert response.status_code == 200
    assert response.json()["count"] >= seasons
    assert len(queries) == LIST_BUDGETS[url], [q["sql"] for q in queries]
    with CaptureQueriesContext(connection) as cached:
        assert fan.get(url)["X-Api-Cache"] == "hit"
    assert len(cached) == 1


@pytest.mark.parametrize("seasons", [1, 30])
def test_filtered_list_query_budget_is_fixed(fan, seasons):
    _pyramid(seasons)
    series = f.make_series(name="Filtered Cup")
    build_season(series, year=2023)
    with CaptureQueriesContext(connection) as queries:
        response = fan.get("/api/v1/events/?series=filtered-cup&year=2023")
    assert response.json()["count"] == 1
    # the listings' version, the series the form offers (for a clear 400 if not), count, events,
    # their rounds
    assert len(queries) == 5


def test_detail_query_budgets_do_not_grow_with_the_season(fan):
    small, small_entries = build_season(year=2022, cars=2, rounds=1)
    large, large_entries = build_season(year=2023, cars=12, rounds=8)
    budgets = {
        # The season page's selector: season (+series, car, scoring, state), rounds (+event,
        # circuit), their races and sprints with each one's winner (one query), entries (+driver,
        # team, class), watch links, the site version, the stored table, titles on record,
        # published rows; then the API's own (until the selector loads them): every session of
        # the rounds, the classes
        "season": 11,
        # The event page's selector: event (+circuit, parent), rounds (+season, series), sessions
        # (+round...), podiums, watch links, support events
        "event": 6,
        # The session page's selector: session (+event, round...), results (+entry, driver, team,
        # class), the event's other sessions, its watch links, and the organisers of the series it
        # hosts (the JSON-LD host, asked only when the event names none)
        "session": 5,
        # driver; then the driver page's own selector (one place for the figures): entries
        # (+season, series, team, class); starts, wins, podiums per season; titles (+series,
        # whether each one's season is on the site); teams; the seasons' stored final rows of the
        # driver with their snapshots (one query: the tables were stored when the results were)
        "driver": 6,
        # The series page's selector: series (+feeds_into), feeders, seasons (+state), titles,
        # watch links, the current season's rounds, the site version, its stored table
        "series": 8,
    }
    # Each answer also reads the version of what it shows (its cache key), once.
    budgets = {name: count + 1 for name, count in budgets.items()}
    for season, entries in ((small, small_entries), (large, large_entries)):
        session = season.rounds.get(number=1).sessions.get()
        urls = {
            "season": f"/api/v1/series/{season.series.slug}/{season.year}/",
            "event": f"/api/v1/events/{session.event.slug}/",
            "session": f"/api/v1/events/{session.event.slug}/{session.slug}/",
            "driver": f"/api/v1/drivers/{entries[0].driver.slug}/",
            "series": f"/api/v1/series/{season.series.slug}/",
        }
        for name, url in urls.items():
            with CaptureQueriesContext(connection) as queries:
                assert fan.get(url).status_code == 200
            assert len(queries) == budgets[name], (name, [q["sql"] for q in queries])
