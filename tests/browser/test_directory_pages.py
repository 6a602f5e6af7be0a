"""Every directory page type in Chromium: no console errors or CSP violations, no WCAG 2.x A/AA
violation found by axe-core, and a screenshot at 1280 and at 390 pixels wide."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..test_pages_directory import build_world, page_urls
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
