"""The API and the pages show the same things, resource by resource: each endpoint calls its page's
selector (series/api/), and reads its query parameters through the page's form (series/filters.py).
Drivers, teams, sessions and standings have their own figure-by-figure tests in test_truth_*.py."""

import datetime as dt
import re

import pytest
from django.test import Client

from series.models import Champion, SessionKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def _links(html: str, pattern: str) -> set[str]:
    """The first group of every link on the page whose address matches `pattern`."""
    return {
        match.group(1)
        for href in re.findall(r'href="([^"?#]+)', html)
        if (match := re.fullmatch(pattern, href))
    }


@pytest.fixture
def cup():
    """A series with two seasons at one circuit; each round has a qualifying and a race, each
    season a Pro and an Am car and a car without a number; titles on record for both years."""
    series = f.make_series(name="Pages Cup")
    circuit = f.make_circuit(name="Page Ring")
    seasons = []
    for year in (2022, 2023):
        season = f.make_season(series, year=year)
        pro, am = f.make_class(season, "Pro"), f.make_class(season, "Am", order=1)
        entries = [
            f.make_entry(season, car_number=7, season_class=pro),
            f.make_entry(season, car_number=3, season_class=am),
            f.make_entry(season, car_number=None, season_class=pro),
        ]
        for number in (1, 2):
            event = f.make_event(circuit, start=dt.date(year, 4 * number, 1))
            round_ = f.make_round(season, number, event)
            f.make_session(round_, SessionKind.QUALIFYING)
            race = f.make_session(round_)
            for position, entry in enumerate(entries, start=1):
                f.make_result(race, entry, position)
        Champion.objects.create(
            series=series,
            year=year,
            driver=entries[0].driver,
            driver_name=entries[0].driver.name,
            nationality="GER",
        )
        seasons.append((season, entries))
    return series, circuit, seasons


def test_series_lists_the_same_seasons_on_its_page_and_in_the_api(fan: Client, cup):
    series, _, _ = cup
    page = fan.get(f"/series/{series.slug}/").content.decode()
    body = fan.get(f"/api/v1/series/{series.slug}/").json()
    years = {str(season["year"]) for season in body["seasons"]}
    assert years == {"2022", "2023"}
    assert years <= _links(page, rf"/series/{series.slug}/(\d{{4}})/")
    assert body["champions_count"] == 2


def test_a_season_has_the_same_rounds_and_entries_on_its_page_and_in_the_api(fan: Client, cup):
    series, _, seasons = cup
    season, entries = seasons[1]
    page = fan.get(f"/series/{series.slug}/2023/").content.decode()
    body = fan.get(f"/api/v1/series/{series.slug}/2023/").json()
    events = {round_["event"]["slug"] for round_ in body["rounds"]}
    assert len(events) == 2
    assert events <= _links(page, r"/events/([a-z0-9-]+)/")
    drivers = {entry["driver"]["slug"] for entry in body["entries"]}
    assert drivers == {entry.driver.slug for entry in entries}
    assert drivers <= _links(page, r"/drivers/([a-z0-9-]+)/")
    # Every session of a round, not only the races the page's calendar shows; entries by number,
    # the car without one last.
    assert sorted(s["kind"] for s in body["rounds"][0]["sessions"]) == ["qualifying", "race"]
    assert [entry["number"] for entry in body["entries"]] == [3, 7, None]


def test_an_event_has_the_same_sessions_on_its_page_and_in_the_api(fan: Client, cup):
    _, _, seasons = cup
    event = seasons[0][0].rounds.get(number=1).event
    page = fan.get(f"/events/{event.slug}/").content.decode()
    body = fan.get(f"/api/v1/events/{event.slug}/").json()
    sessions = {session["slug"] for session in body["sessions"]}
    assert len(sessions) == 2
    assert sessions <= _links(page, rf"/events/{event.slug}/([a-z0-9-]+)/")
    assert [r["number"] for r in body["rounds"]] == [1]


def test_a_circuit_has_the_same_events_on_its_page_and_in_the_api(fan: Client, cup):
    _, circuit, _ = cup
    page = fan.get(f"/circuits/{circuit.slug}/").content.decode()
    body = fan.get(f"/api/v1/circuits/{circuit.slug}/").json()
    events = [event["slug"] for event in body["events"]]
    assert len(events) == 4
    assert set(events) <= _links(page, r"/events/([a-z0-9-]+)/")
    # The API in date order (the page newest first).
    assert [event["start_date"] for event in body["events"]] == sorted(
        event["start_date"] for event in body["events"]
    )


def test_the_champions_page_and_the_api_list_the_same_titles(fan: Client, cup):
    series, _, seasons = cup
    page = fan.get(f"/champions/?series={series.slug}").content.decode()
    body = fan.get(f"/api/v1/champions/?series={series.slug}").json()
    drivers = {item["driver"]["slug"] for item in body["items"]}
    assert drivers == {entries[0].driver.slug for _, entries in seasons}
    assert drivers <= _links(page, r"/drivers/([a-z0-9-]+)/")
    assert [item["year"] for item in body["items"]] == [2023, 2022]


# --- the same parameters, judged by the same form ---------------------------------------------


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("class=nope", "This season has no class “nope”"),
        ("after=9", "There is no round “9” this season"),
        ("after=abc", "That is not a round number"),
        ("table=pilots", "There is no such table"),
    ],
)
def test_a_bad_standings_filter_is_a_page_notice_and_an_api_400_in_the_same_words(
    fan: Client, cup, query, words
):
    series, _, _ = cup
    page = fan.get(f"/series/{series.slug}/2023/standings/?{query}")
    api = fan.get(f"/api/v1/series/{series.slug}/2023/standings/?{query}")
    assert page.status_code == 200
    assert words in page.content.decode()
    assert api.status_code == 400
    name = query.split("=")[0]
    assert api.json()["detail"].startswith(f"{name}: {words}")


def test_a_good_standings_filter_gives_the_same_table_on_the_page_and_in_the_api(fan: Client, cup):
    series, _, seasons = cup
    _, entries = seasons[1]
    # The page's fragment: the table alone (the page also names the season's champion).
    page = fan.get(
        f"/series/{series.slug}/2023/standings/?class=am&after=1", headers={"HX-Request": "true"}
    ).content.decode()
    body = fan.get(f"/api/v1/series/{series.slug}/2023/standings/?class=am&after=1").json()
    assert (body["class"], body["after_round"]) == ("am", 1)
    assert [row["driver"]["slug"] for row in body["rows"]] == [entries[1].driver.slug]
    assert entries[1].driver.slug in _links(page, r"/drivers/([a-z0-9-]+)/")
    assert entries[0].driver.slug not in _links(page, r"/drivers/([a-z0-9-]+)/")


def test_an_unknown_series_filter_is_a_page_notice_and_an_api_400_in_the_same_words(
    fan: Client, cup
):
    words = "There is no series “no-such-cup”"
    page = fan.get("/drivers/?series=no-such-cup")
    assert page.status_code == 200
    assert words in page.content.decode()
    for url in ("/api/v1/drivers/", "/api/v1/teams/", "/api/v1/events/", "/api/v1/champions/"):
        api = fan.get(f"{url}?series=no-such-cup")
        assert api.status_code == 400, url
        assert api.json()["detail"] == f"series: {words}.", url


@pytest.mark.parametrize("value", ["x" * 500, "Bad Slug", "caf%C3%A9", "%FF%FE"])
def test_a_series_filter_of_the_wrong_shape_is_a_400_naming_it(fan: Client, cup, value):
    for url in ("/api/v1/drivers/", "/api/v1/seasons/", "/api/v1/champions/"):
        api = fan.get(f"{url}?series={value}")
        assert api.status_code == 400, url
        assert api.json()["detail"].startswith("series: "), url


def test_a_seasons_private_note_and_our_file_names_are_never_served(fan: Client):
    series = f.make_series(name="Quiet Cup", source="series_facts.csv; porsche.com/quiet-cup")
    f.make_season(
        series,
        year=2023,
        notes="Private: the calendar is a guess.",
        source="calendar_quiet_2023.csv; quietcup.example/2023",
    )
    season = fan.get("/api/v1/series/quiet-cup/2023/").json()
    assert season["notes"] == ""
    assert season["source"] == "quietcup.example/2023"
    page = fan.get("/series/quiet-cup/2023/").content.decode()
    assert "Private" not in page and ".csv" not in page
    assert "quietcup.example/2023" in page
    assert fan.get("/api/v1/series/quiet-cup/").json()["source"] == "porsche.com/quiet-cup"


# --- cached under the versions of what each answer shows ----------------------------------------


def test_an_answer_is_cached_until_what_it_shows_changes(fan: Client, cup):
    series, _, seasons = cup
    other = f.make_series(name="Other Cup")
    other_season = f.make_season(other, year=2023)
    other_entry = f.make_entry(other_season, car_number=1)
    other_race = f.make_session(f.make_round(other_season, 1))
    driver = seasons[1][1][0].driver
    urls = [
        f"/api/v1/drivers/{driver.slug}/",
        f"/api/v1/series/{series.slug}/2023/",
        f"/api/v1/series/{series.slug}/",
    ]
    assert [fan.get(url)["X-Api-Cache"] for url in urls] == ["miss"] * 3
    before = next(s for s in fan.get(urls[0]).json()["seasons"] if s["year"] == 2023)
    assert before["wins"] == 2
    assert [fan.get(url)["X-Api-Cache"] for url in urls] == ["hit"] * 3
    # A result of another series evicts neither this driver nor this season.
    f.make_result(other_race, other_entry, 1)
    assert [fan.get(url)["X-Api-Cache"] for url in urls] == ["hit"] * 3
    # The lists show a bit of everything: any change is a new answer.
    fan.get("/api/v1/drivers/")
    assert fan.get("/api/v1/drivers/")["X-Api-Cache"] == "hit"
    f.make_driver("Newcomer")
    listed = fan.get("/api/v1/drivers/?page_size=200")
    assert listed["X-Api-Cache"] == "miss"
    assert "newcomer" in {item["slug"] for item in listed.json()["items"]}
    # A result of this driver's season shows at once.
    race = seasons[1][0].rounds.get(number=2).sessions.get(kind=SessionKind.RACE)
    race.results.filter(entry__driver=driver).update(position=None, status="retired")
    race.results.first().save()  # a save through the ORM stamps the versions
    response = fan.get(f"/api/v1/drivers/{driver.slug}/")
    assert response["X-Api-Cache"] == "miss"
    line = next(line for line in response.json()["seasons"] if line["year"] == 2023)
    assert line["wins"] == 1  # was 2: the second race is now a retirement


def test_unknown_parameters_make_no_variant_and_no_link_carries_them(fan: Client, cup):
    first = fan.get("/api/v1/drivers/?page_size=2&utm_source=x")
    assert first["X-Api-Cache"] == "miss"
    assert "utm_source" not in first.json()["next"]
    second = fan.get("/api/v1/drivers/?fbclid=y&page_size=2")
    assert second["X-Api-Cache"] == "hit"
    assert second.json() == first.json()
    # A value of the wrong shape is answered, not cached, with the reason.
    bad = fan.get("/api/v1/drivers/?page_size=0")
    assert bad.status_code == 400 and "X-Api-Cache" not in bad
