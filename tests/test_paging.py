"""Listings that grow with the record are paged (series/selectors/paging.py): each page holds its
rows in a fixed number of queries, a page past the last shows the first and says so, and the
rows of a page are counted as the whole listing counts them."""

import datetime as dt

import pytest

from series.selectors import drivers, events, teams
from series.selectors.paging import Paged, page_of
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- Paged ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number, pages, shown",
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, 3, None, 10]),
        (4, 10, [1, 2, 3, 4, 5, 6, None, 10]),
        (5, 10, [1, 2, 3, 4, 5, 6, 7, None, 10]),
        (8, 10, [1, None, 6, 7, 8, 9, 10]),
        (10, 10, [1, None, 8, 9, 10]),
        (6, 36, [1, None, 4, 5, 6, 7, 8, None, 36]),
    ],
)
def test_page_links_offer_first_last_and_neighbours(number, pages, shown):
    assert Paged(number, pages, pages * 10, 10).numbers == shown


def test_rows_shown_are_counted_from_one_and_end_at_the_count():
    paged = Paged(3, 3, 25, 10)
    assert (paged.first_row, paged.last_row) == (21, 25)
    assert (paged.previous, paged.next) == (2, None)
    assert Paged(1, 1, 0, 10).first_row == 0
    assert not Paged(1, 1, 0, 10).is_paged


def test_a_page_past_the_last_shows_the_first_and_says_which_was_asked():
    rows, paged = page_of(list(range(25)), 9, 10)
    assert rows == list(range(10))
    assert (paged.number, paged.pages, paged.asked_beyond) == (1, 3, 9)
    rows, paged = page_of(list(range(25)), 3, 10)
    assert rows == [20, 21, 22, 23, 24]
    assert paged.asked_beyond is None


def test_an_empty_listing_is_one_empty_page():
    rows, paged = page_of([], 1, 10)
    assert rows == []
    assert (paged.number, paged.pages, paged.count) == (1, 1, 0)


# --- the listings ---------------------------------------------------------------------------------


@pytest.fixture
def five_drivers():
    """Five drivers A to E; the first three raced in two series, the others in one."""
    cup, other = f.make_series(name="Alpha Cup"), f.make_series(name="Beta Cup", tier=3)
    season, other_season = f.make_season(cup), f.make_season(other)
    made = []
    for n, family in enumerate(["Adler", "Berger", "Claes", "Dorn", "Eck"]):
        driver = f.make_driver(f"Max {family}", sort_name=family)
        f.make_entry(season, driver, car_number=n + 1)
        if n < 3:
            f.make_entry(other_season, driver, car_number=n + 1)
        made.append(driver)
    return cup, other, made


def test_drivers_are_paged_in_name_order_with_their_series(monkeypatch, five_drivers):
    cup, other, made = five_drivers
    monkeypatch.setattr(drivers, "DRIVERS_PER_PAGE", 2)
    pages = [drivers.driver_list(None, n) for n in (1, 2, 3)]
    shown = [[row.slug for group in page.groups for row in group.rows] for page in pages]
    assert shown == [[d.slug for d in made[0:2]], [d.slug for d in made[2:4]], [made[4].slug]]
    assert [page.paged.pages for page in pages] == [3, 3, 3]
    first_row = pages[0].groups[0].rows[0]
    assert first_row.series == "Alpha Cup, Beta Cup"
    last_row = pages[2].groups[0].rows[0]
    assert last_row.series == "Alpha Cup"
    # Filtered to one series: only its drivers are counted and paged.
    only_other = drivers.driver_list(other, 1)
    assert only_other.paged.count == 3


def test_every_initial_links_to_the_page_of_its_first_driver(monkeypatch, five_drivers):
    """At scale the directory has 37 pages: a letter whose drivers are on another page links
    there, with the letter's anchor; a letter on the page shown is an anchor of this page."""
    monkeypatch.setattr(drivers, "DRIVERS_PER_PAGE", 2)
    f.make_driver("Anna Achter", sort_name="Achter")  # page 1: A, A; 2: B, C; 3: D, E
    for number, expected in (
        (1, {"A": None, "B": 2, "C": 2, "D": 3, "E": 3}),
        (3, {"A": 1, "B": 2, "C": 2, "D": None, "E": None}),
    ):
        listing = drivers.driver_list(None, number)
        assert {link.initial: link.page for link in listing.initials} == expected
        assert [link.anchor for link in listing.initials] == [f"drivers-{i}" for i in "ABCDE"]


def test_a_page_of_drivers_costs_three_queries_whatever_the_page(
    monkeypatch, five_drivers, django_assert_num_queries
):
    monkeypatch.setattr(drivers, "DRIVERS_PER_PAGE", 2)
    for number in (1, 3):
        # the listing's ids and initials (it counts them too); the page's drivers; the series
        # each raced in
        with django_assert_num_queries(3):
            drivers.driver_list(None, number)


def test_a_listing_that_fits_one_page_costs_two_queries_and_any_page_shows_it(
    five_drivers, django_assert_num_queries
):
    # the drivers in order with what the directory prints (one more than a page: there are
    # fewer); the series each raced in
    with django_assert_num_queries(2):
        first = drivers.driver_list(None, None)
    assert first.paged.pages == 1 and first.paged.count == 5
    # A page past the last: the listing's ids and initials; the drivers; their series.
    with django_assert_num_queries(3):
        beyond = drivers.driver_list(None, 9)
    assert beyond.paged.asked_beyond == 9
    assert beyond.groups == first.groups and beyond.initials == first.initials


def test_teams_are_paged_and_counted_over_their_seats(monkeypatch, django_assert_num_queries):
    season = f.make_season(year=2022)
    later = f.make_season(season.series, year=2023)
    for n in range(5):
        team = f.make_team(f"Team {chr(65 + n)}")
        f.make_entry(season, team=team, car_number=n + 1)
        if n % 2 == 0:
            f.make_entry(later, team=team, car_number=n + 1)
    # Team E also ran a race for a seat entered for Team D (a result's own team).
    session = f.make_session(f.make_round(later, 1))
    f.make_result(session, season.entries.get(team__name="Team D"), 1)
    seat = f.make_entry(later, team=None, car_number=44)
    f.make_result(session, seat, 2, team=teams.Team.objects.get(name="Team E"))
    monkeypatch.setattr(teams, "TEAMS_PER_PAGE", 2)
    seen = {}
    for number in (1, 2, 3):
        # how many teams; the page's teams; the seats entered for them or run by them (a UNION).
        # The first page reads its teams and their count in one query.
        with django_assert_num_queries(2 if number == 1 else 3):
            listing = teams.team_list(number)
        seen |= {
            team["name"]: (team["season_count"], team["driver_count"], team["years"])
            for team in listing.teams
        }
        assert listing.paged.pages == 3
    assert list(seen) == [f"Team {chr(65 + n)}" for n in range(5)]
    assert seen["Team A"] == (2, 2, "2022–2023")
    assert seen["Team B"] == (1, 1, "2022")
    assert seen["Team E"] == (2, 3, "2022–2023")


def test_events_are_paged_newest_first_and_filtered_by_year(monkeypatch, django_assert_num_queries):
    season = f.make_season(year=2023)
    for month in range(1, 6):
        event = f.make_event(start=dt.date(2023, month, 1))
        f.make_round(season, month, event=event)
    f.make_event(start=dt.date(2022, 6, 1))
    monkeypatch.setattr(events, "EVENTS_PER_PAGE", 2)
    # One query: the year's events with their rounds, paged in Python.
    with django_assert_num_queries(1):
        first = events.event_list(2023, 1)
    assert [row.dates[16:26] for row in first.rows] == ["2023-05-01", "2023-04-01"]
    hosted = [h.season_url for h in first.rows[0].hosted]
    assert hosted == [f"/series/{season.series.slug}/2023/"]
    assert first.rows[0].hosted[0].span == "Round 5"
    last = events.event_list(2023, 3)
    assert [row.dates[16:26] for row in last.rows] == ["2023-01-01"]
    assert (last.paged.count, last.paged.pages) == (5, 3)
    assert events.event_list(None, 1).paged.count == 6


def test_the_events_page_shows_the_newest_year_and_links_the_others(monkeypatch, fan):
    season = f.make_season(year=2023)
    for month in range(1, 4):
        f.make_round(
            season,
            month,
            event=f.make_event(name=f"Round {month} weekend", start=dt.date(2023, month, 1)),
        )
    f.make_event(name="Old weekend", start=dt.date(2022, 6, 1))
    html = fan.get("/events/").content.decode()
    assert "<h1>Events of 2023</h1>" in html
    assert "Round 3 weekend" in html and "Old weekend" not in html
    assert '<span aria-current="page">2023</span>' in html and 'href="?year=2022"' in html
    older = fan.get("/events/?year=2022").content.decode()
    assert "Old weekend" in older and "Round 3 weekend" not in older
    # Paging is within the year shown; a page past its last shows the first and says so.
    monkeypatch.setattr(events, "EVENTS_PER_PAGE", 2)
    second = fan.get("/events/?page=2").content.decode()
    assert "Round 1 weekend" in second and "Round 3 weekend" not in second
    beyond = fan.get("/events/?page=7").content.decode()
    assert "There is no page 7 (of 2)" in beyond and "Round 3 weekend" in beyond


# --- the pages --------------------------------------------------------------------------------


def test_the_drivers_page_links_its_pages_keeping_its_filter(monkeypatch, fan, five_drivers):
    cup, _, _ = five_drivers
    monkeypatch.setattr(drivers, "DRIVERS_PER_PAGE", 2)
    page = fan.get(f"/drivers/?series={cup.slug}&page=2")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Max Claes" in html and "Max Adler" not in html
    assert "3–4 of 5, page 2 of 3" in html
    assert f'href="?series={cup.slug}&amp;page=1" rel="prev"' in html
    assert f'href="?series={cup.slug}&amp;page=3" rel="next"' in html
    assert 'aria-current="page">2<' in html


def test_a_page_past_the_last_or_not_a_number_shows_the_first_with_a_notice(
    monkeypatch, fan, five_drivers
):
    monkeypatch.setattr(drivers, "DRIVERS_PER_PAGE", 2)
    beyond = fan.get("/drivers/?page=9")
    assert beyond.status_code == 200
    assert "There is no page 9 (of 3)" in beyond.content.decode()
    assert "Max Adler" in beyond.content.decode()
    junk = fan.get("/drivers/?page=abc%00")
    assert junk.status_code == 200
    assert "That is not a page number; showing the first page." in junk.content.decode()
    assert fan.get("/drivers/?page=0").status_code == 200


def test_the_htmx_fragment_of_a_page_holds_its_rows_and_page_links(monkeypatch, fan):
    for n in range(3):
        f.make_team(f"Team {chr(65 + n)}")
    monkeypatch.setattr(teams, "TEAMS_PER_PAGE", 2)
    fragment = fan.get("/teams/?page=2", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="team-list"')
    assert "Team C" in html and "Team A" not in html
    assert 'hx-target="#team-list"' in html and 'href="?page=1"' in html


def test_each_page_is_its_own_cached_copy(monkeypatch, settings, fan):
    settings.PAGE_CACHE = True  # off for the rest of the suite (tests/settings.py)
    for n in range(3):
        f.make_team(f"Team {chr(65 + n)}")
    monkeypatch.setattr(teams, "TEAMS_PER_PAGE", 2)
    assert fan.get("/teams/?page=2")["X-Page-Cache"] == "miss"
    second = fan.get("/teams/?page=2")
    assert second["X-Page-Cache"] == "hit"
    assert "Team C" in second.content.decode()
    first = fan.get("/teams/")
    assert first["X-Page-Cache"] == "miss"
    assert "Team C" not in first.content.decode()
    # An unknown parameter makes no variant of its own.
    assert fan.get("/teams/?page=2&utm_source=x")["X-Page-Cache"] == "hit"


def test_a_listing_that_fits_one_page_shows_no_page_links(fan, five_drivers):
    assert "Pages of drivers" not in fan.get("/drivers/").content.decode()
