"""Every directory page type in Chromium: no console errors or CSP violations, no WCAG 2.x A/AA
violation found by axe-core, and a screenshot at 1280 and at 390 pixels wide."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.scenarios import build_world

from ..test_pages_directory import page_urls
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}


def wcag_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes: "
        f"{violation['nodes'][0]['target']})"
        for violation in results.response["violations"]
        if WCAG_TAGS & set(violation["tags"])
    ]


def test_every_directory_page_is_clean_accessible_and_photographed(live_server, page, phone_page):
    urls = page_urls(build_world(3))
    for name, url in urls.items():
        slug = name.replace(" ", "-")
        for viewer, width in ((page, 1280), (phone_page, 390)):
            response = viewer.goto(live_server.url + url)
            assert response.status == 200, name
            viewer.wait_for_load_state("networkidle")
            screenshot(viewer, f"directory-{slug}-{width}")
        assert wcag_violations(page) == [], name
        assert wcag_violations(phone_page) == [], f"{name} (phone)"
    assert page.problems.all == []
    assert phone_page.problems.all == []


def test_local_time_is_added_beside_the_time_at_the_track(live_server, page):
    world = build_world(1)
    page.goto(live_server.url + f"/events/{world.festival.slug}/")
    # The reader is in Amsterdam (the page fixture's zone): 18:05 UTC is 20:05 there.
    local = page.locator("time[data-local] + .local-time").first
    assert "20:05" in local.inner_text()
    assert page.problems.all == []


def test_unknown_driver_is_a_404_page_with_a_way_home(live_server, page):
    response = page.goto(live_server.url + "/drivers/nobody-at-all/")
    assert response.status == 404
    page.get_by_role("link", name="home", exact=False).first.click()
    page.wait_for_url(live_server.url + "/")


def _boxes_overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", [1280, 1024, 390])
def test_calendar_dates_never_overlap_or_run_under_the_event_name(live_server, browser, width):
    # The widest span there is: a four-day festival across two months.
    build_world(1)
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(live_server.url + "/calendar/?year=2023")
        items = page.locator(".dir-timeline > li")
        assert items.count() >= 1
        assert "28 September–1 October 2023" in page.locator(".dir-timeline").inner_text()
        # Text that overflows its box is drawn outside it (under the name) while the box itself
        # stays put: compare each date's text width with its column too.
        overflowing = page.evaluate(
            "() => [...document.querySelectorAll('.dir-date')]"
            ".filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.innerText)"
        )
        assert overflowing == [], (width, overflowing)
        for i in range(items.count()):
            item = items.nth(i)
            date = item.locator(".dir-date").bounding_box()
            name = item.locator("h3").bounding_box()
            assert not _boxes_overlap(date, name), (width, date, name)
            if width >= 1024:
                # Side by side: the date's column ends before the name starts, on one row.
                assert date["x"] + date["width"] <= name["x"], (width, date, name)
                assert date["y"] < name["y"] + name["height"], (width, date, name)
        screenshot(page, f"calendar-dates-{width}")
    finally:
        page.close()
