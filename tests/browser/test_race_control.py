"""In Chromium: an editor opens Race control from the admin home, pastes a classification,
previews it, confirms, and the public standings page shows the new points. The run also counts the
editor's actions and times them (README, "Importing seasons and results")."""

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from series.imports.entries import import_entries
from series.models import SessionStatus
from tests import factories as f
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-editor-password"
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def race_today():
    today = timezone.localdate()
    series = f.make_series(name="Fictional Cup", slug="fictional-cup")
    season = f.make_season(series=series, year=today.year)
    f.make_class(season, "Pro", order=1)
    f.make_class(season, "Pro-Am", order=2)
    event = f.make_event(start=today - dt.timedelta(days=1), name="Fictional Weekend")
    round_1 = f.make_round(season, 1, event, date=today)
    race = f.make_session(round_1, status=SessionStatus.SCHEDULED, date=today, name="Race 1")
    for number in (2, 3):  # later weekends: the entry list changes car 7's driver from round 3
        f.make_round(season, number, f.make_event(start=today + dt.timedelta(days=14 * number)))
    # The 12 cars of the sample and 28 more (numbers 50-77, invented) make a 40-car field.
    extra = "".join(
        f"{50 + n},Extra Driver {n:02},Polder Motorsport,Pro-Am,,,,\n" for n in range(28)
    )
    entries = (DATA / "entries_fictional.csv").read_text() + extra
    import_entries(season, entries, create_missing=True, choices=_create_all())
    return race


def _create_all() -> dict[str, str]:
    # "Extra Driver 01" is close to "Extra Driver 02": say each is a new driver.
    return {f"driver:Extra Driver {n:02}": "create" for n in range(28)}


def _forty_car_paste() -> str:
    """The spreadsheet sample with 28 lapped cars added after the 10 classified ones."""
    lines = (DATA / "timing_race_spreadsheet.tsv").read_text().splitlines()
    header, classified, others = lines[0], lines[1:11], lines[11:]
    extra = [
        f"{11 + n}\t{50 + n}\t\tNED\tPolder Motorsport\tPro-Am\t17\t+1 Lap\t1:42.{n:03}"
        for n in range(28)
    ]
    return "\n".join([header, *classified, *extra, *[f"{line}" for line in others]]) + "\n"


def test_editor_publishes_a_pasted_classification_from_race_control(
    live_server, page: Page, race_today
):
    User.objects.create_superuser("chief", "chief@example.com", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    paste = _forty_car_paste()
    assert len(paste.splitlines()) == 41

    actions = 0
    started = time.monotonic()
    page.click("#race-control-link a")  # 1: Race control
    actions += 1
    row = page.locator(f"#race-control-session-{race_today.pk}")
    expect(row).to_contain_text("Scheduled")
    row.get_by_role("link", name="Paste results").click()  # 2
    actions += 1
    page.fill("#id_text", paste)  # 3: the paste
    actions += 1
    page.click("input[value='Preview import']")  # 4
    actions += 1
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("as it will be published")
    expect(preview.locator(".classification-preview tbody tr").first).to_contain_text(
        "Anna Vermeer"
    )
    screenshot(page, "race-control-preview")
    page.click("input[value='Confirm import']")  # 5
    actions += 1
    page.wait_for_url(re.compile(r"/race-control/$"))
    elapsed = time.monotonic() - started
    expect(page.locator(f"#race-control-session-{race_today.pk}")).to_contain_text("Provisional")
    assert actions <= 5
    print(f"published a 40-car paste in {actions} actions, {elapsed:.1f} s of browser time")

    season = race_today.round.season
    page.goto(f"{live_server.url}/series/{season.series.slug}/{season.year}/standings/")
    leader = page.locator("table tbody tr").first
    expect(leader).to_contain_text("Anna Vermeer")
    expect(leader).to_contain_text("25")
    assert not [p for p in page.problems.all if "Content Security Policy" in p]
