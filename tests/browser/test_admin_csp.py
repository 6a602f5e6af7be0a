"""The editors' admin under the site's content security policy (no inline script or style): every
kind of admin page opens, and its scripts run, with no CSP violation in Chromium."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import PageProblems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-admin-password"


@pytest.fixture
def session_with_results():
    season = factories.make_season(year=2023)
    session = factories.make_session(factories.make_round(season, 1))
    for position in (1, 2, 3):
        entry = factories.make_entry(season, car_number=position + 10)
        factories.make_result(session, entry, position)
    return session


def log_in(page: Page, base_url: str) -> None:
    User.objects.create_superuser("chief", "chief@example.com", PASSWORD)
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def csp_problems(page: Page) -> list[str]:
    return [problem for problem in page.problems.all if "Content Security Policy" in problem]


def console_errors_but_favicons(page: Page, caplog) -> list[str]:
    """The console's errors, less the "Failed to load resource" lines for /favicon.ico: the admin's
    pages link no icon, so Chromium asks for /favicon.ico, which the site does not serve. The
    console line does not name the address (and Playwright does not see favicon requests), so the
    server's own log of what it answered 404 or worse tells them apart."""
    failures = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert [f for f in failures if f != "Not Found: /favicon.ico"] == []
    errors = list(page.problems.all)
    for _ in failures:
        failed_load = next((e for e in errors if e.startswith("Failed to load resource")), None)
        if failed_load:
            errors.remove(failed_load)
    return errors


def test_admin_pages_run_under_the_csp_without_violations(
    live_server, page, session_with_results, caplog
):
    session = session_with_results
    log_in(page, live_server.url)
    expect(page.locator("#site-name")).to_contain_text("pcc editors")

    page.goto(f"{live_server.url}/admin/series/result/")
    expect(page.locator("#result_list")).to_be_visible()

    page.goto(f"{live_server.url}/admin/series/session/{session.pk}/change/")
    inline_rows = page.locator("#results-group tr.form-row.has_original")
    expect(inline_rows).to_have_count(3)
    # The admin's own scripts must run: "Add another" (inlines.js) adds a row; the autocomplete
    # (select2, with its inline-styled dropdown) opens and fetches choices.
    rows_before = page.locator("#results-group tr.form-row").count()
    page.locator("#results-group .add-row a").click()
    expect(page.locator("#results-group tr.form-row")).to_have_count(rows_before + 1)
    page.locator("#results-group tr.form-row.has_original .select2-selection").first.click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    page.keyboard.press("Escape")

    page.goto(f"{live_server.url}/admin/series/session/{session.pk}/history/")
    expect(page.locator("#content h1")).to_contain_text("Change history")

    # An add form with date and time shortcuts (DateTimeShortcuts.js builds its calendar with
    # script).
    page.goto(f"{live_server.url}/admin/series/session/add/")
    page.locator("#id_date ~ .datetimeshortcuts a").first.click()
    expect(page.locator("#id_date")).not_to_have_value("")

    # Prepopulated fields: the slug follows the name (data in a data- attribute, external JS).
    page.goto(f"{live_server.url}/admin/series/driver/add/")
    page.locator("#id_name").press_sequentially("Larry ten Voorde")
    expect(page.locator("#id_slug")).to_have_value("larry-ten-voorde")

    # The related-object popup: its response page hands the new team back to the opener through
    # popup_response.js and a data- attribute, not an inline script.
    page.goto(f"{live_server.url}/admin/series/result/add/")
    with page.expect_popup() as opened:
        page.click("#add_id_team")
    popup = opened.value
    popup.problems = PageProblems(popup)
    popup.fill("#id_name", "Proton Competition")
    popup.fill("#id_slug", "proton-competition")
    popup.click("input[name=_save]")
    expect(page.locator("#id_team option:checked")).to_have_text("Proton Competition")

    assert csp_problems(page) == []
    assert console_errors_but_favicons(page, caplog) == []
    assert popup.problems.all == []
