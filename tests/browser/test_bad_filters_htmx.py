"""A bad filter reached through htmx: the answer is a 200 with the notice inside the fragment, so
htmx swaps it in and the reader sees why the filter was ignored (htmx 2 does not swap a 400)."""

import pytest
from playwright.sync_api import expect

from series.models import Champion, Tier
from tests import factories as f
from tests.test_pages_season import build_season

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A choice the page did not offer, as a stale page or a hand-edited form would send it.
ADD_OPTION = "([id, value]) => document.querySelector(id).add(new Option(value, value))"


def test_a_round_the_season_lacks_is_named_in_the_swapped_table(live_server, page):
    season = build_season(rounds=4)
    page.goto(f"{live_server.url}/series/{season.series.slug}/{season.year}/standings/")
    page.evaluate("window.__marker = 1")
    page.evaluate(ADD_OPTION, ["#standings-after", "99"])
    page.select_option("#standings-after", "99")
    page.wait_for_url("**after=99*")
    notice = page.locator("#standings-table .notice")
    expect(notice).to_contain_text("There is no round “99” this season; showing every round.")
    # The table of every round is shown, in place: no page load.
    assert page.locator("#standings-table thead th.round-cell").count() == 4
    assert page.evaluate("window.__marker") == 1
    assert page.problems.all == []


def test_a_tier_of_the_wrong_shape_is_named_in_the_swapped_list(live_server, page):
    supercup = f.make_series(name="Porsche Supercup", tier=Tier.SUPERCUP)
    Champion.objects.create(series=supercup, year=2016, driver_name="Nicki Thiim")
    page.goto(live_server.url + "/champions/")
    page.evaluate("window.__marker = 1")
    page.evaluate(ADD_OPTION, ["#filter-tier", "9"])
    page.select_option("#filter-tier", "9")
    page.wait_for_url("**tier=9*")
    listing = page.locator("#champions-list")
    expect(listing.locator(".notice")).to_contain_text("That is not a tier (1 to 3)")
    expect(listing).to_contain_text("Porsche Supercup")  # the filter ignored: every series
    assert page.evaluate("window.__marker") == 1
    assert page.problems.all == []
