"""The standings switches in Chromium: htmx swaps the table without a full page load, the address
follows, Back brings the previous table back."""

import pytest

from tests.scenarios import build_season

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def standings_url(live_server):
    season = build_season(rounds=4)
    return f"{live_server.url}/series/{season.series.slug}/{season.year}/standings/"


def test_class_and_round_switch_the_table_in_place_and_back_restores_it(page, standings_url):
    page.goto(standings_url)
    page.evaluate("window.__marker = 1")
    table = page.locator("#standings-table tbody")
    assert "Anna Driver" in table.inner_text()

    page.select_option("#standings-class", "am")
    page.wait_for_url("**/standings/?*class=am*")
    assert "Anna Driver" not in table.inner_text()
    assert "Dirk Driver" in table.inner_text()
    assert page.evaluate("window.__marker") == 1  # no full page load

    page.select_option("#standings-after", "1")
    page.wait_for_url("**after=1*")
    assert page.locator("#standings-table thead th.round-cell").count() == 1
    assert page.evaluate("window.__marker") == 1

    page.go_back()
    page.wait_for_url("**class=am")
    assert page.locator("#standings-table thead th.round-cell").count() == 4
    assert "Dirk Driver" in table.inner_text() and "Anna Driver" not in table.inner_text()
    assert page.locator("#standings-class").input_value() == "am"

    page.go_back()
    page.wait_for_url(standings_url)
    assert "Anna Driver" in table.inner_text()
    assert page.evaluate("window.__marker") == 1
    assert page.problems.all == []


def test_teams_tab_swaps_the_table_and_changes_the_address(page, standings_url):
    page.goto(standings_url)
    page.evaluate("window.__marker = 1")
    page.get_by_role("navigation", name="Standings table").get_by_role("link", name="Teams").click()
    page.wait_for_url("**table=teams")
    assert "Team Red" in page.locator("#standings-table tbody").inner_text()
    assert page.locator('#standings-table .tabs a[aria-current="page"]').inner_text() == "Teams"
    assert page.evaluate("window.__marker") == 1
    page.reload()
    assert "Team Red" in page.locator("#standings-table tbody").inner_text()
    assert (
        page.evaluate("window.__marker") is None
    )  # a reload is a full load: the address holds the state
    assert page.problems.all == []
