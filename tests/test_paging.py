"""Listings that grow with the record are paged (series/selectors/paging.py): each page holds its
rows in a fixed number of queries, a page past the last shows the first and says so, and the
rows of a page are counted as the whole listing counts them."""

import datetime as dt

import pytest

from series.selectors import drivers, events, teams
from series.selectors.paging import Paged, page_of
from series.selectors.teams import team_list
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
    pages = [drivers.driver_directory(None, n) for n in (1, 2, 3)]
    shown = [[row.driver for _, rows in page.groups for row in rows] for page in pages]
    assert shown == [made[0:2], made[2:4], made[4:5]]
    assert [page.paged.pages for page in pages] == [3, 3, 3]
    first_row = pages[0].groups[0][1][0]
    assert [s.name for s in first_row.series] == ["Alpha Cup", "Beta Cup"]
    last_row = pages[2].groups[0][1][0]
    assert [s.name for s in last_row.series] == ["Alpha Cup"]
    # Filtered to one series: only its drivers are counted and paged.
    only_other = drivers.driver_directory(other, 1)
    assert only_other.paged.count == 3


def test_a_page_of_drivers_costs_four_queries_whatever_the_page(
    monkeypatch, five_drivers, django_assert_num_queries
):
    monkeypatch.setattr(drivers, "DRIVERS_PER_PAGE", 2)
    for number in (1, 3):
        with django_assert_num_queries(4):
            drivers.driver_directory(None, number)


def test_teams_are_paged_and_counted_as_the_whole_list_counts_them(
    monkeypatch, django_assert_num_queries
):
    season = f.make_season(year=2022)
    later = f.make_season(season.series, year=2023)
    for n in range(5):
        team = f.make_team(f"Team {chr(65 + n)}")
        f.make_entry(season, team=team, car_number=n + 1)
        if n % 2 == 0:
            f.make_entry(later, team=team, car_number=n + 1)
    monkeypatch.setattr(teams, "TEAMS_PER_PAGE", 2)
    everything = {team.pk: team for team in team_list()}
    seen = []
    for number in (1, 2, 3):
        with django_assert_num_queries(4):
            listing = teams.team_directory(number)
        for team in listing.teams:
            whole = everything[team.pk]
            assert (team.season_count, team.driver_count, team.first_year, team.last_year) == (
                whole.season_count,
                whole.driver_count,
                whole.first_year,
                whole.last_year,
            )
        seen += [team.name for team in listing.teams]
    assert seen == [f"Team {chr(65 + n)}" for n in range(5)]
    assert everything[teams.team_directory(1).teams[0].pk].season_count == 2


def test_events_are_paged_newest_first_and_filtered_by_year(monkeypatch, django_assert_num_queries):
    season = f.make_season(year=2023)
    for month in range(1, 6):
        event = f.make_event(start=dt.date(2023, month, 1))
        f.make_round(season, month, event=event)
    f.make_event(start=dt.date(2022, 6, 1))
    monkeypatch.setattr(events, "EVENTS_PER_PAGE", 2)
    with django_assert_num_queries(3):
        first = events.event_directory(2023, 1)
    assert [row.event.start_date.month for row in first.rows] == [5, 4]
    assert [h.season for h in first.rows[0].hosted] == [season]
    last = events.event_directory(2023, 3)
    assert [row.event.start_date.month for row in last.rows] == [1]
    assert (last.paged.count, last.paged.pages) == (5, 3)
    assert events.event_directory(None, 1).paged.count == 6
