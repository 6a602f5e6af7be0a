"""The history pages in Chromium at 1280 and 390 px: the home page's leaders keep the Partial badge
whole on a phone (compared element boxes), and the champions, coverage and watch pages render
without console errors or CSP violations and without widening the page."""

import datetime as dt

import pytest

from series.models import Champion, TitleKind
from tests.factories import make_event, make_round, make_session
from tests.scenarios import build_season, make_pyramid

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running_partial_season():
    """A partial season of this year with a round still to come (the live server runs on the
    real clock), and a few titles with a gap and a cancelled year."""
    _, cup, _, _ = make_pyramid()
    today = dt.date.today()
    season = build_season(cup, year=today.year, results_partial=True)
    event = make_event(start=today + dt.timedelta(days=5), name="Next Test", slug="next-test")
    make_session(make_round(season, 4, event=event), slug="race-next", status="scheduled")
    for year in (2019, 2021, 2023):
        Champion.objects.create(series=cup, year=year, driver_name=f"Champion {year}")
    Champion.objects.create(
        series=cup, year=2020, driver_name="(season cancelled)", kind=TitleKind.CANCELLED
    )
    return cup


def test_partial_badge_is_whole_on_a_phone(phone_page, live_server, running_partial_season):
    phone_page.goto(live_server.url + "/")
    badge = phone_page.locator(".home-leaders .badge-partial").first
    cell = phone_page.locator(".home-leaders tbody th").first
    badge_box, cell_box = badge.bounding_box(), cell.bounding_box()
    assert badge.inner_text() == "Partial"
    # Not cut: the badge lies inside its cell, and the cell's text is not clipped.
    assert badge_box["x"] + badge_box["width"] <= cell_box["x"] + cell_box["width"] + 0.5
    assert cell.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert badge.evaluate("el => el.scrollWidth <= el.clientWidth")
    screenshot(phone_page, "history-home-390")
    assert not phone_page.problems.all


@pytest.mark.parametrize("width", [1280, 390])
def test_history_pages_render_without_errors_or_overflow(
    browser, live_server, running_partial_season, width
):
    cup = running_partial_season
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    for name, url in {
        "champions": "/champions/",
        "champions-series": f"/champions/?series={cup.slug}",
        "coverage": "/coverage/",
        "coverage-series": f"/coverage/{cup.slug}/",
        "watch": "/watch/",
        "title-only-year": f"/series/{cup.slug}/2019/",
    }.items():
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
        screenshot(page, f"history-{name}-{width}")
    # The gap year between the titles shows as a row of its own.
    page.goto(live_server.url + f"/champions/?series={cup.slug}")
    assert page.locator("tr.hist-gap", has_text="2022").count() == 1
    context.close()
    assert not errors
