"""Search as you type and the champions and calendar filters, in Chromium: the fragment is
swapped in place (a value set on window survives), the address follows, Back restores."""

import re

import pytest
from playwright.sync_api import expect

from series.models import Champion, Tier
from tests import factories as f
from tests.scenarios import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_shows_results_as_you_type(live_server, page):
    f.make_driver("Larry ten Voorde", nationality="NED")
    f.make_driver("Laurin Heinrich")
    page.goto(live_server.url + "/search/")
    page.evaluate("window.__marker = 1")
    page.locator("#search-q").press_sequentially("voo", delay=60)
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="Larry ten Voorde")).to_be_visible()
    expect(results).not_to_contain_text("Laurin Heinrich")
    assert page.evaluate("window.__marker") == 1  # no page load happened
    expect(page).to_have_url(live_server.url + "/search/?q=voo")
    assert page.problems.all == []


def test_search_as_you_type_ignores_accents_and_forgives_a_typo(live_server, page):
    f.make_driver("Sven Müller", nationality="GER")
    f.make_driver("Larry ten Voorde", nationality="NED")
    page.goto(live_server.url + "/search/")
    page.locator("#search-q").press_sequentially("muller", delay=40)
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="Sven Müller")).to_be_visible()
    page.locator("#search-q").fill("")
    page.locator("#search-q").press_sequentially("ten vorde", delay=40)
    expect(results.get_by_role("link", name="Larry ten Voorde")).to_be_visible()
    expect(results).not_to_contain_text("Sven Müller")
    assert page.problems.all == []


def test_champions_filter_swaps_the_list_and_changes_the_address(live_server, page):
    supercup = f.make_series(name="Porsche Supercup", tier=Tier.SUPERCUP)
    france = f.make_series(name="Porsche Carrera Cup France", tier=Tier.CARRERA_CUP)
    for year in (2013, 2014, 2015, 2016):
        Champion.objects.create(series=supercup, year=year, driver_name="Nicki Thiim")
    for year in (2001, 2002, 2003, 2004, 2005):
        Champion.objects.create(series=france, year=year, driver_name="Frederic Dupuy")
    page.goto(live_server.url + "/champions/")
    page.evaluate("window.__marker = 1")
    listing = page.locator("#champions-list")
    expect(listing).to_contain_text("Frederic Dupuy")

    page.select_option("#filter-tier", "1")
    expect(page).to_have_url(re.compile(r"/champions/\?(.*&)?tier=1(&.*)?$"))
    expect(listing).not_to_contain_text("Frederic Dupuy")
    expect(listing).to_contain_text("Nicki Thiim")
    assert page.evaluate("window.__marker") == 1

    page.go_back()
    expect(page).to_have_url(live_server.url + "/champions/")
    expect(page.locator("#champions-list")).to_contain_text("Frederic Dupuy")
    assert page.problems.all == []


def test_calendar_filter_swaps_the_list(live_server, page):
    build_world(3)
    page.goto(live_server.url + "/calendar/?year=2023")
    page.evaluate("window.__marker = 1")
    listing = page.locator("#calendar-list")
    expect(listing).to_contain_text("Carrera Cup 1")
    page.select_option("#filter-tier", "1")
    expect(page).to_have_url(re.compile(r"/calendar/\?(.*&)?year=2023&(.*&)?tier=1(&.*)?$"))
    expect(listing).not_to_contain_text("Carrera Cup 1")
    expect(listing).to_contain_text("Carrera Cup 0")
    assert page.evaluate("window.__marker") == 1
    assert page.problems.all == []


def test_filters_work_without_javascript(live_server, browser):
    Champion.objects.create(
        series=f.make_series(name="Porsche Supercup", tier=Tier.SUPERCUP),
        year=1994,
        driver_name="Uwe Alzen",
    )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/champions/")
    page.select_option("#filter-tier", "2")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/champions/?*tier=2*")
    assert "Uwe Alzen" not in page.locator("#champions-list").inner_text()
    context.close()
