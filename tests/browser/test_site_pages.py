"""Home, pyramid, series, season, standings and results pages in Chromium: no console errors or CSP
violations, no WCAG 2.x A/AA violation found by axe-core (light and dark), screenshots at 1280 and
390 pixels wide under test-output/screenshots/."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from series.models import MediaKind, MediaLink, SessionKind, SessionStatus
from tests.factories import make_circuit, make_event, make_round, make_session
from tests.scenarios import build_season, make_pyramid

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""
PAGES = {
    "home": "/",
    "pyramid": "/pyramid/",
    "series": "/series/carrera-cup-testland/",
    "season": "/series/carrera-cup-testland/2025/",
    "standings": "/series/carrera-cup-testland/2025/standings/",
    "results": "/series/carrera-cup-testland/2025/results/",
}


@pytest.fixture
def pyramid_data():
    """The pyramid, a season of results and the next event a few days from now (the live server
    runs on the real clock)."""
    _, cup, _, _ = make_pyramid()
    season = build_season(cup, year=2025, rounds=4, rules={"drop_worst": 1})
    build_season(cup, year=2024, rounds=2)
    soon = dt.date.today() + dt.timedelta(days=5)
    circuit = make_circuit(name="Laguna Test", slug="laguna-test", time_zone="America/Los_Angeles")
    event = make_event(circuit, start=soon, name="Reunion Test", slug="reunion-test")
    round_ = make_round(season, 5, event=event, date=soon + dt.timedelta(days=1))
    start = dt.datetime.combine(soon, dt.time(18, 5), tzinfo=dt.UTC)
    make_session(
        round_,
        kind=SessionKind.QUALIFYING,
        name="Qualifying",
        slug="qualifying",
        status=SessionStatus.SCHEDULED,
        date=soon,
        starts_at=start,
    )
    make_session(
        round_,
        name="Race 5",
        slug="race-5",
        status=SessionStatus.SCHEDULED,
        date=soon + dt.timedelta(days=1),
        starts_at=start + dt.timedelta(days=1),
    )
    MediaLink.objects.create(
        kind=MediaKind.LIVE, provider="IMSA.tv", url="https://example.com/imsa", event=event
    )
    return season


def _wcag_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if WCAG_TAGS & set(violation["tags"])
    ]


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_and_clean_in_chromium(live_server, page, pyramid_data, name):
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(live_server.url + PAGES[name])
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert _wcag_violations(page) == []
    screenshot(page, f"{name}-1280")
    assert page.problems.all == []
    assert page.evaluate("window.cspViolations") == []


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_on_a_phone_in_the_dark(live_server, phone_page, pyramid_data, name):
    phone_page.emulate_media(color_scheme="dark")
    phone_page.goto(live_server.url + PAGES[name])
    phone_page.wait_for_load_state("networkidle")
    assert _wcag_violations(phone_page) == []
    screenshot(phone_page, f"{name}-390")
    assert phone_page.problems.all == []
    # Nothing wider than the screen except inside the scrolling table and chart boxes.
    overflow = phone_page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390


def test_reader_local_time_is_added_beside_the_circuit_time(live_server, page, pyramid_data):
    page.goto(live_server.url + "/")
    # The browser runs in Europe/Amsterdam, the circuit in California: the reader's time differs.
    local = page.locator("time[data-local] + .local-time").first
    assert "your time" in local.inner_text()
    countdown = page.locator("[data-countdown] .countdown-value").inner_text()
    assert "day" in countdown


def test_standings_table_keeps_driver_column_fixed_when_scrolled_on_a_phone(
    live_server, phone_page, pyramid_data
):
    phone_page.goto(live_server.url + PAGES["standings"])
    wrap = phone_page.locator("#standings-table .table-wrap")
    cell = phone_page.locator("#standings-table tbody th.col-driver").first
    before = cell.bounding_box()["x"]
    wrap.evaluate("node => { node.scrollLeft = 400; }")
    assert wrap.evaluate("node => node.scrollLeft") > 0
    assert abs(cell.bounding_box()["x"] - before) < 1
