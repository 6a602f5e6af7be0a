"""Classifications as timing sheets give them: a spreadsheet's tab-separated copy and a PDF's
column-aligned copy (tests/data, invented for the tests), cars found by number on the entry list,
the preview as published with the season's points, and bad input answered row by row."""

import datetime as dt
import time
from pathlib import Path

import pytest
from django.urls import reverse

from series.imports.api import import_results
from series.imports.entries import import_entries
from series.imports.report import ImportFailed
from series.imports.session import import_session_results
from series.models import Result, ResultStatus, SessionKind, SessionStatus, SiteVersion
from tests import factories as f

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
TSV = (DATA / "timing_race_spreadsheet.tsv").read_text()
PDF = (DATA / "timing_race_pdf.txt").read_text()


@pytest.fixture
def season():
    season = f.make_season(series=f.make_series(name="Fictional Cup", slug="fictional-cup"))
    f.make_class(season, "Pro", order=1)
    f.make_class(season, "Pro-Am", order=2)
    for number in range(1, 5):
        f.make_round(season, number)
    round_1 = season.rounds.get(number=1)
    for n in (1, 2):
        f.make_session(
            round_1,
            SessionKind.RACE,
            slug=f"fictional-r1-race-{n}",
            name=f"Race {n}",
            status=SessionStatus.SCHEDULED,
        )
    import_entries(season, (DATA / "entries_fictional.csv").read_text(), create_missing=True)
    return season


def _race(season, n):
    return season.rounds.get(number=1).sessions.get(slug=f"fictional-r1-race-{n}")


def _classification(session):
    return [
        (r.position, r.status, r.car_number, r.entry.driver.name)
        for r in Result.objects.filter(session=session).select_related("entry__driver")
    ]


def test_spreadsheet_paste_finds_cars_by_number(season):
    race = _race(season, 1)

    import_session_results(race, TSV, dry_run=False)

    rows = _classification(race)
    assert rows[0] == (1, ResultStatus.FINISHED, 7, "Anna Vermeer")
    assert rows[9] == (10, ResultStatus.FINISHED, 5, "Jonas Keller")
    assert (None, ResultStatus.RETIRED, 9, "Karl Haas") in rows
    assert (None, ResultStatus.NOT_STARTED, 19, "Lucas Ferreira") in rows
    winner = Result.objects.get(session=race, position=1)
    assert winner.race_time == dt.timedelta(minutes=30, seconds=12.345)
    lapped = Result.objects.get(session=race, position=9)
    assert (lapped.laps, lapped.gap) == (17, "+1 Lap")
    assert Result.objects.get(session=race, position=2).gap == "+1.204"
    race.refresh_from_db()
    assert race.status == SessionStatus.PROVISIONAL


def test_pdf_copy_with_a_title_line_is_read_by_its_columns(season):
    race = _race(season, 2)

    import_session_results(race, PDF, dry_run=False)

    rows = _classification(race)
    assert rows[0][2:] == (12, "Bruno Castellano")
    assert rows[1][2:] == (7, "Anna Vermeer")
    dns = Result.objects.get(session=race, car_number=19)
    assert (dns.status, dns.laps, dns.race_time, dns.best_lap) == ("dns", None, None, None)
    dnf = Result.objects.get(session=race, car_number=9)
    assert (dnf.status, dnf.laps, dnf.best_lap) == ("retired", 11, dt.timedelta(seconds=101.733))
    assert Result.objects.get(session=race, car_number=5).gap == "+1 Lap"


def test_a_car_number_changes_driver_from_a_round_on(season):
    round_3 = season.rounds.get(number=3)
    race = f.make_session(round_3, status=SessionStatus.SCHEDULED)
    paste = "Pos\tNo\tDriver\n1\t7\t\n2\t12\tB. Castellano\n"

    import_session_results(race, paste, dry_run=False)

    assert _classification(race)[0][3] == "Mia Sandoval"  # car 7 from round 3 on


def test_preview_shows_the_classification_with_class_positions_and_points(season):
    race = _race(season, 1)

    report = import_session_results(race, TSV, dry_run=True, preview=True)

    (preview,) = report.sessions
    first, second, fourth = preview.rows[0], preview.rows[1], preview.rows[3]
    assert (first.position, first.number, first.driver, first.team) == (
        1,
        7,
        "Anna Vermeer",
        "Polder Motorsport",
    )
    assert first.class_name == "Pro" and first.class_position == 1
    assert fourth.class_name == "Pro-Am" and fourth.class_position == 1  # D. Okafor, 4th overall
    assert first.points > second.points > 0
    dns = next(row for row in preview.rows if row.number == 19)
    assert dns.points == 0 and dns.status == "Did not start"
    assert not Result.objects.exists()  # a dry run


def test_preview_says_what_differs_from_what_is_stored(season):
    race = _race(season, 1)
    import_session_results(race, TSV, dry_run=False)
    swapped = TSV.replace("1\t7\t", "X\t7\t").replace("2\t12\t", "1\t12\t").replace("X\t7", "2\t7")

    report = import_session_results(race, swapped, dry_run=True, preview=True)

    changes = {row.driver: row.change for row in report.sessions[0].rows}
    assert changes["Bruno Castellano"] == "was 2nd"
    assert changes["Anna Vermeer"] == "was 1st"
    assert changes["Carl Lindqvist"] == ""


def test_a_number_not_on_the_entry_list_is_an_error_naming_it(season):
    race = _race(season, 1)
    paste = TSV.replace("\t44\tE. Moreau", "\t99\tE. Moreau")

    with pytest.raises(ImportFailed) as failed:
        import_session_results(race, paste, dry_run=False)

    assert "line 6: number: car 99 is not on the entry list of round 1" in str(failed.value)
    assert not Result.objects.exists()


def test_a_name_that_contradicts_the_entry_list_is_an_error(season):
    race = _race(season, 1)
    paste = TSV.replace("\t7\tA. Vermeer", "\t7\tJ. Keller")

    with pytest.raises(ImportFailed) as failed:
        import_session_results(race, paste, dry_run=False)

    assert "car 7 in round 1 is Anna Vermeer on the entry list, not 'J. Keller'" in str(
        failed.value
    )


def test_header_variants_and_a_missing_driver_column(season):
    race = _race(season, 1)
    paste = "Rank,Car No.,Gap\n1,7,\n2,12,+0.5\nDSQ,3,\nNC,21,\n"

    import_session_results(race, paste, dry_run=False)

    statuses = {r.car_number: r.status for r in Result.objects.filter(session=race)}
    assert statuses == {7: "finished", 12: "finished", 3: "dsq", 21: "nc"}


def test_unknown_column_in_a_paste_names_the_header_line(season):
    with pytest.raises(ImportFailed) as failed:
        import_session_results(_race(season, 1), "Pos\tNo\tWeather\n1\t7\tsunny\n", dry_run=True)
    assert "line 1: unknown column(s) 'Weather'" in str(failed.value)


# --- bounded and safe -------------------------------------------------------------------------


def test_csv_field_over_the_csv_limit_a_nul_byte_and_a_long_name_are_row_errors(season):
    race = _race(season, 1)
    text = (
        "position,number,driver,gap\n"
        "1,7,,\n"
        f"2,12,,{'x' * 200_000}\n"  # over the csv module's field limit
        "3,3,C. Lind\x00qvist,\n"  # a NUL byte
        f"4,21,,{'+' * 41}\n"  # longer than the gap column
    )
    version = SiteVersion.objects.get().version

    with pytest.raises(ImportFailed) as failed:
        import_session_results(race, text, dry_run=False)

    messages = [str(error) for error in failed.value.errors]
    assert any(m.startswith("line 3:") and "field larger than field limit" in m for m in messages)
    assert any(m.startswith("line 4:") and "NUL" in m for m in messages)
    assert any(m.startswith("line 5:") and "gap: 41 characters" in m for m in messages)
    assert not Result.objects.exists()
    assert SiteVersion.objects.get().version == version


def test_too_many_rows_is_refused_whole(season):
    text = "round,position,number\n" + "1,1,7\n" * 5_001
    with pytest.raises(ImportFailed, match="the limit is 5,000 rows"):
        import_results(season, text)


def test_suggestions_are_computed_for_the_first_few_dozen_unknown_names_only(season):
    rows = "".join(f"1,{n},,Unknown Driver {n}\n" for n in range(1, 3001))
    started = time.monotonic()
    with pytest.raises(ImportFailed) as failed:
        import_results(season, "round,position,status,driver\n" + rows)
    elapsed = time.monotonic() - started

    unknown = [e for e in failed.value.errors if "unknown driver" in e.message]
    assert len(unknown) == 3000  # every bad row is still reported
    assert sum("did you mean" in e.message for e in unknown) <= 60
    assert elapsed < 10


@pytest.mark.django_db(transaction=True)
def test_an_import_raises_the_site_version_once(season):
    # Transactional: inside the test's own transaction the fixture's saves would already have
    # stamped the season, and one transaction stamps a part once.
    version = SiteVersion.objects.get().version
    import_session_results(_race(season, 1), TSV, dry_run=False)
    assert SiteVersion.objects.get().version == version + 1
    import_session_results(_race(season, 1), TSV, dry_run=True)
    assert SiteVersion.objects.get().version == version + 1


# --- the session's admin page ------------------------------------------------------------------


def test_session_page_takes_a_paste_previews_and_confirms(editor, season):
    race = _race(season, 1)
    url = reverse("admin:series_session_import_results", args=[race.pk])

    preview = editor.post(url, {"text": TSV})

    page = preview.content.decode()
    assert "Round 1 · Race 1 as it will be published" in page
    assert "Anna Vermeer" in page and "Polder Motorsport" in page
    assert not Result.objects.exists()
    done = editor.post(url, {"payload": preview.context["payload"]})
    assert done.status_code == 302
    assert Result.objects.filter(session=race).count() == 12


def test_session_page_offers_a_template_of_its_entry_list(editor, season):
    race = season.rounds.get(number=3).sessions.create(
        event=season.rounds.get(number=3).event,
        name="Race 3",
        slug="r3",
        date=dt.date(2023, 5, 1),
        kind="race",
    )
    response = editor.get(reverse("admin:series_session_results_template", args=[race.pk]))

    lines = response.content.decode().splitlines()
    assert lines[0].startswith("position,status,number,driver")
    assert any(",7,Mia Sandoval," in line for line in lines)  # car 7 from round 3
    assert not any("Anna Vermeer" in line for line in lines)


def test_near_match_radio_then_preview_then_confirm(editor, season):
    race = _race(season, 1)
    f.make_driver("Scott Noble")
    url = reverse("admin:series_session_import_results", args=[race.pk])
    paste = "Pos\tNo\tDriver\n1\t77\tScot Nobel\n"

    asked = editor.post(url, {"text": paste, "create_missing": "on"})

    page = asked.content.decode()
    assert "New names close to known ones" in page and 'value="scott-noble"' in page
    previewed = editor.post(url, {"draft": asked.context["draft"], "near-0": "create"})
    assert "Scot Nobel" in previewed.content.decode()
    editor.post(url, {"payload": previewed.context["payload"]})
    assert Result.objects.get(session=race).entry.driver.name == "Scot Nobel"


def test_a_paste_with_errors_comes_back_in_its_box(editor, season):
    race = _race(season, 1)
    url = reverse("admin:series_session_import_results", args=[race.pk])
    paste = "Pos\tNo\n1\t7\n2\t99\n"

    response = editor.post(url, {"text": paste})

    assert "car 99 is not on the entry list" in response.content.decode()
    assert response.context["form"].initial["text"] == paste


def test_a_team_for_a_car_whose_entry_has_none_goes_on_the_result(season):
    race = _race(season, 1)
    entry = season.entries.get(car_number=12)
    entry.team = None
    entry.save()

    import_session_results(race, "Pos\tNo\tTeam\n1\t12\tScuderia Lago\n", dry_run=False)

    assert Result.objects.get(session=race).team.name == "Scuderia Lago"
