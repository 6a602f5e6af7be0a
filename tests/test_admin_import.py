"""Imports in the admin: upload a results CSV on a season's or a session's page (or a season table
on the seasons' list), see the dry run's preview or every bad row, confirm; refused when tampered
with, without permission, or when the upload is not a UTF-8 CSV of at most 2 MB."""

import datetime as dt
import re

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Permission, User
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from series.admin.import_flow import SIGNING_SALT
from series.models import (
    Driver,
    Result,
    Round,
    Season,
    Session,
    SessionKind,
    SessionStatus,
    SiteVersion,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

RESULTS_CSV = (
    "round,session,position,status,number,driver,team,time\n"
    "1,race,1,,7,Harry King,BWT Lechner Racing,38:12.345\n"
    "1,race,2,,1,Larry ten Voorde,Team GP Elite,\n"
    "1,race,,Ret,22,Loek Hartog,Team GP Elite,\n"
)


@pytest.fixture
def season() -> Season:
    """A season with one round holding a scheduled qualifying and race; the drivers and teams of
    RESULTS_CSV exist, without entries yet."""
    season = f.make_season(series=f.make_series(name="Porsche Mobil 1 Supercup"))
    round_ = f.make_round(season, 1)
    f.make_session(round_, SessionKind.QUALIFYING, status=SessionStatus.SCHEDULED)
    f.make_session(round_, SessionKind.RACE, status=SessionStatus.SCHEDULED)
    for name in ("Harry King", "Larry ten Voorde", "Loek Hartog"):
        f.make_driver(name)
    for name in ("BWT Lechner Racing", "Team GP Elite"):
        f.make_team(name)
    return season


def _race(season: Season) -> Session:
    return Session.objects.get(round__season=season, kind=SessionKind.RACE)


def _upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _season_import_url(season: Season) -> str:
    return reverse("admin:series_season_import_results", args=[season.pk])


def _session_import_url(session: Session) -> str:
    return reverse("admin:series_session_import_results", args=[session.pk])


def _preview(client: Client, url: str, content: str | bytes, name="results.csv", **options):
    return client.post(url, {"file": _upload(name, content), **options})


# --- a season's page ------------------------------------------------------------------------


def test_season_page_offers_import_results_to_an_editor(editor, season):
    response = editor.get(reverse("admin:series_season_change", args=[season.pk]))

    assert _season_import_url(season).encode() in response.content


def test_preview_shows_the_counts_and_writes_nothing(editor, season):
    response = _preview(editor, _season_import_url(season), RESULTS_CSV)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Dry run: nothing has been written yet." in page
    assert "3 entries, 3 results" in page  # Created: ...
    assert "Round 1 race: 3 results" in page
    assert "Confirm import" in page
    assert not Result.objects.exists()
    assert not season.entries.exists()


def test_confirm_imports_the_results_and_records_who_did_it(editor, editor_user, season):
    preview = _preview(editor, _season_import_url(season), RESULTS_CSV, mark_final="on")

    response = editor.post(_season_import_url(season), {"payload": preview.context["payload"]})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:series_season_change", args=[season.pk])
    race = _race(season)
    assert sorted(race.results.values_list("entry__driver__name", "position")) == [
        ("Harry King", 1),
        ("Larry ten Voorde", 2),
        ("Loek Hartog", None),
    ]
    assert race.status == SessionStatus.FINAL  # "mark final" travelled with the confirmation
    log = LogEntry.objects.get(object_id=str(season.pk))
    assert log.user == editor_user
    assert log.action_flag == CHANGE
    assert "Imported results.csv: created 3 entries, 3 results" in log.change_message
    followed = editor.get(response["Location"])
    assert "Imported results.csv" in followed.content.decode()


def test_confirming_twice_changes_nothing_the_second_time(editor, season):
    preview = _preview(editor, _season_import_url(season), RESULTS_CSV)
    editor.post(_season_import_url(season), {"payload": preview.context["payload"]})

    again = _preview(editor, _season_import_url(season), RESULTS_CSV)

    assert "Nothing would change" in again.content.decode()
    assert "Confirm import" not in again.content.decode()


def test_bad_rows_are_all_named_by_line_and_nothing_is_written(editor, season):
    csv_text = (
        "round,position,driver,time\n"
        "1,1,Harry King,38:12.345\n"
        "1,2,Larry ten Vorde,\n"
        "1,3,Loek Hartog,soon\n"
    )

    response = _preview(editor, _season_import_url(season), csv_text)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The file has 2 errors. Nothing was written" in page
    assert "line 3: unknown driver &#x27;Larry ten Vorde&#x27;" in page
    assert "did you mean Larry ten Voorde?" in page
    assert "line 4: time:" in page
    assert "Confirm import" not in page
    assert "payload" not in response.context
    assert not Result.objects.exists()
    assert not season.entries.exists()


def test_create_missing_adds_an_unknown_driver_on_confirm(editor, season):
    csv_text = "round,position,driver\n1,1,Bastian Buus\n"
    url = _season_import_url(season)

    refused = _preview(editor, url, csv_text)
    preview = _preview(editor, url, csv_text, create_missing="on")
    editor.post(url, {"payload": preview.context["payload"]})

    assert "unknown driver" in refused.content.decode()
    assert "Driver Bastian Buus created" in preview.content.decode()
    assert _race(season).results.get().entry.driver.name == "Bastian Buus"


def test_tampered_confirmation_is_refused_and_nothing_is_written(editor, season):
    preview = _preview(editor, _season_import_url(season), RESULTS_CSV)
    payload = preview.context["payload"]
    tampered = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]

    response = editor.post(_season_import_url(season), {"payload": tampered})

    assert response.status_code == 400
    assert "could not be checked" in response.content.decode()
    assert not Result.objects.exists()


def test_confirmation_signed_for_another_season_is_refused(editor, season):
    other = f.make_season(series=season.series, year=2024)
    f.make_session(f.make_round(other, 1), status=SessionStatus.SCHEDULED)
    preview = _preview(editor, _season_import_url(season), RESULTS_CSV)

    response = editor.post(_season_import_url(other), {"payload": preview.context["payload"]})

    assert response.status_code == 400
    assert not Result.objects.exists()


def test_confirmation_older_than_an_hour_is_refused(editor, season, time_machine):
    time_machine.move_to(dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC))
    preview = _preview(editor, _season_import_url(season), RESULTS_CSV)

    time_machine.move_to(dt.datetime(2024, 6, 1, 13, 1, tzinfo=dt.UTC))
    response = editor.post(_season_import_url(season), {"payload": preview.context["payload"]})

    assert response.status_code == 400
    assert not Result.objects.exists()


def test_payload_signed_with_another_salt_is_refused(editor, season):
    forged = signing.dumps(
        {
            "target": f"results:season:{season.pk}",
            "file_name": "x.csv",
            "text": RESULTS_CSV,
            "options": {},
        },
        salt=SIGNING_SALT + ".other",
    )

    response = editor.post(_season_import_url(season), {"payload": forged})

    assert response.status_code == 400
    assert not Result.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("results.csv", b"", "The submitted file is empty."),
        ("results.csv", b"   \n\n", "The file is empty."),
        ("results.csv", "round,driver\n1,Jérôme\n".encode("latin-1"), "is not UTF-8 text"),
        ("results.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "This is not a text file."),
        ("results.csv", b"just some words\nand more\n", "does not look like a CSV file"),
        ("results.xlsx", b"round,driver\n1,Harry King\n", "File extension"),
        ("results.csv", b"round,driver\n" + b"1,Harry King\n" * 200_000, "the limit is 2 MB"),
    ],
    ids=["empty", "blank", "not-utf8", "binary", "not-csv", "spreadsheet", "too-large"],
)
def test_bad_upload_is_a_form_error(editor, season, name, content, message):
    response = _preview(editor, _season_import_url(season), content, name=name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not Result.objects.exists()


def test_utf8_file_with_a_byte_order_mark_is_read(editor, season):
    response = _preview(editor, _season_import_url(season), "\ufeff" + RESULTS_CSV)

    assert "Round 1 race: 3 results" in response.content.decode()


def test_import_page_carries_no_inline_script_or_style(editor, season):
    response = _preview(editor, _season_import_url(season), RESULTS_CSV)

    page = response.content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", page))
    assert "<style" not in page
    assert not re.search(r"\s(on[a-z]+|style)=", page)


# --- permissions ----------------------------------------------------------------------------


@pytest.fixture
def staff_without_results(db) -> Client:
    """Staff who may look at seasons and sessions but not add or change results."""
    user = User.objects.create_user("viewer", password="a-long-viewer-password", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_season", "view_session", "change_season"])
    )
    client = Client()
    client.force_login(user)
    return client


def test_staff_without_result_permissions_is_refused(staff_without_results, season):
    url = _season_import_url(season)

    assert staff_without_results.get(url).status_code == 403
    assert _preview(staff_without_results, url, RESULTS_CSV).status_code == 403
    assert staff_without_results.get(_session_import_url(_race(season))).status_code == 403
    page = staff_without_results.get(reverse("admin:series_season_change", args=[season.pk]))
    assert url.encode() not in page.content


def test_anonymous_visitor_is_sent_to_the_login(fan, season):
    response = fan.get(_season_import_url(season))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_unknown_season_is_not_found(editor):
    assert editor.get(reverse("admin:series_season_import_results", args=[999])).status_code == 404
    assert editor.get("/admin/series/season/abc/import-results/").status_code == 404


# --- a session's page -----------------------------------------------------------------------


def test_session_page_imports_rows_without_round_or_session_into_that_session(editor, season):
    race = _race(season)
    csv_text = "position,driver,team\n1,Harry King,BWT Lechner Racing\n2,Loek Hartog,\n"

    page = editor.get(reverse("admin:series_session_change", args=[race.pk]))
    preview = _preview(editor, _session_import_url(race), csv_text)
    response = editor.post(_session_import_url(race), {"payload": preview.context["payload"]})

    assert _session_import_url(race).encode() in page.content
    assert "Round 1 race: 2 results" in preview.content.decode()
    assert response["Location"] == reverse("admin:series_session_change", args=[race.pk])
    assert race.results.count() == 2
    assert LogEntry.objects.filter(object_id=str(race.pk), action_flag=CHANGE).exists()


def test_session_page_refuses_rows_of_other_sessions_by_line(editor, season):
    race = _race(season)
    csv_text = (
        "round,session,position,driver\n"
        "1,race,1,Harry King\n"
        "1,qualifying,1,Loek Hartog\n"
        "2,,1,Larry ten Voorde\n"
        "1,,x,Larry ten Voorde\n"
    )

    response = _preview(editor, _session_import_url(race), csv_text)

    page = response.content.decode()
    assert "line 3: session &#x27;qualifying&#x27;: this page imports round 1 race" in page
    assert "line 4: round 2: this page imports round 1 race" in page
    assert "line 5: position:" in page  # the file's other faults are named at the same time
    assert not Result.objects.exists()


def test_session_page_names_a_short_row_against_the_files_own_header(editor, season):
    race = _race(season)
    csv_text = 'position,driver,gap\n1,Harry King,""\n2,"Loek\nHartog"\n3,Larry ten Voorde,bad\n'

    response = _preview(editor, _session_import_url(race), csv_text)

    page = response.content.decode()
    assert "line 4: 2 fields where the header has 3" in page  # the quoted name spans lines 3-4
    # The row after it keeps its own line number (position 2 went with the refused row).
    assert "line 5: classified positions in Round 1 race skip from 1 to 3" in page
    assert not Result.objects.exists()


def test_session_page_qualifying_takes_rows_without_a_session(editor, season):
    qualifying = Session.objects.get(round__season=season, kind=SessionKind.QUALIFYING)

    preview = _preview(editor, _session_import_url(qualifying), "position,driver\n1,Harry King\n")
    editor.post(_session_import_url(qualifying), {"payload": preview.context["payload"]})

    assert qualifying.results.get().entry.driver.name == "Harry King"
    assert not _race(season).results.exists()


def test_session_outside_a_round_has_no_import(editor, season):
    practice = Session.objects.create(
        event=Round.objects.get(season=season).event,
        name="Free practice",
        slug="free-practice",
        kind=SessionKind.PRACTICE,
        date=dt.date(2023, 3, 15),
    )

    page = editor.get(reverse("admin:series_session_change", args=[practice.pk]))
    response = editor.get(_session_import_url(practice))

    assert _session_import_url(practice).encode() not in page.content
    assert response.status_code == 302
    assert "belongs to no round" in editor.get(response["Location"]).content.decode()


# --- a season table on the seasons' list ----------------------------------------------------


def _season_toml(series_slug: str, event_slug: str) -> str:
    return (
        f'series = "{series_slug}"\n'
        "year = 2024\n"
        'name = "2024 Test Cup"\n'
        "[scoring]\n"
        "race = [25, 20, 17]\n"
        "[[rounds]]\n"
        "number = 1\n"
        "date = 2024-05-28\n"
        f'event = "{event_slug}"\n'
    )


def test_season_table_is_previewed_then_imported(editor, editor_user):
    series = f.make_series(name="Porsche Carrera Cup Benelux")
    event = f.make_event(start=dt.date(2024, 5, 26))
    url = reverse("admin:series_season_import_season")
    toml_text = _season_toml(series.slug, event.slug)

    changelist = editor.get(reverse("admin:series_season_changelist"))
    preview = _preview(editor, url, toml_text, name="benelux-2024.toml")

    assert url.encode() in changelist.content
    assert "Season table of porsche-carrera-cup-benelux 2024" in preview.content.decode()
    assert not Season.objects.filter(series=series).exists()

    response = editor.post(url, {"payload": preview.context["payload"]})

    season = Season.objects.get(series=series, year=2024)
    assert response["Location"] == reverse("admin:series_season_change", args=[season.pk])
    assert season.rounds.get().sessions.get().kind == SessionKind.RACE
    log = LogEntry.objects.get(object_id=str(season.pk))
    assert (log.user, log.action_flag) == (editor_user, ADDITION)


def test_season_table_errors_name_their_lines(editor):
    url = reverse("admin:series_season_import_season")
    toml_text = _season_toml("no-such-series", "no-such-event").replace("year = 2024", "year = 1")

    response = _preview(editor, url, toml_text, name="broken.toml")

    page = response.content.decode()
    assert "line 2: year must be between 1950 and 2100" in page
    assert not Season.objects.exists()


def test_season_table_needs_season_permissions(staff_without_results):
    response = staff_without_results.get(reverse("admin:series_season_import_season"))

    assert response.status_code == 403


# --- bounded ------------------------------------------------------------------------------------


def test_a_2000_row_import_is_previewed_and_confirmed_in_seconds(editor):
    """20 rounds x 2 races x 50 cars. The README's figure comes from this test (-s prints it)."""
    import time

    season = f.make_season(series=f.make_series(name="Big Cup"))
    for number in range(1, 21):
        round_ = f.make_round(season, number)
        f.make_session(round_, SessionKind.RACE, slug=f"big-r{number}-race-1", status="scheduled")
        f.make_session(round_, SessionKind.RACE, slug=f"big-r{number}-race-2", status="scheduled")
    for car in range(1, 51):
        f.make_driver(f"Big Driver {car:02}")
    lines = ["round,session,position,number,driver,time"]
    for number in range(1, 21):
        for race in (1, 2):
            for car in range(1, 51):
                lines.append(f"{number},big-r{number}-race-{race},{car},{car},Big Driver {car:02},")
    text = "\n".join(lines) + "\n"
    assert len(lines) == 2001
    url = _season_import_url(season)

    started = time.monotonic()
    preview = _preview(editor, url, text)
    previewed = time.monotonic() - started
    assert "Confirm import" in preview.content.decode()
    started = time.monotonic()
    done = editor.post(url, {"payload": preview.context["payload"]})
    confirmed = time.monotonic() - started

    assert done.status_code == 302
    assert Result.objects.count() == 2000
    print(f"2,000-row import: preview {previewed:.2f} s, confirm {confirmed:.2f} s")
    assert previewed < 10 and confirmed < 10


def test_too_many_lines_are_a_form_error(editor, season):
    text = "round,position,driver\n" + "1,1,Harry King\n" * 5_002
    response = _preview(editor, _season_import_url(season), text)
    assert "the limit is 5,000 rows per import" in response.content.decode()
    assert not Result.objects.exists()


def test_a_nul_byte_in_a_paste_is_a_form_error(editor, season):
    response = editor.post(_session_import_url(_race(season)), {"text": "Pos\tNo\n1\t7\x00\n"})
    assert "Null characters are not allowed." in response.content.decode()
    assert not Result.objects.exists()


def test_file_and_paste_together_are_refused(editor, season):
    response = editor.post(
        _session_import_url(_race(season)),
        {"file": _upload("r.csv", RESULTS_CSV), "text": "Pos\tNo\n1\t7\n"},
    )
    assert "not both" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_holds_no_transaction_while_it_reads(season, monkeypatch):
    """The preview reads and checks everything outside any transaction; only its short write
    phase (rolled back) takes the write lock, so another editor's save is not kept waiting."""
    from django.db import connection

    from series.imports import api

    seen = []
    read = api.read_result_rows

    def spy(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return read(*args, **kwargs)

    monkeypatch.setattr(api, "read_result_rows", spy)
    version = SiteVersion.objects.filter(pk=1).values_list("version", flat=True).first()

    api.import_results(season, RESULTS_CSV, dry_run=True, preview=True)

    assert seen == [False]
    assert not Result.objects.exists()
    after = SiteVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    assert after == version  # a preview raises no version


# --- the entry list on a season's page -----------------------------------------------------------


def test_entry_list_paste_previews_then_confirms(editor, season):
    url = reverse("admin:series_season_import_entries", args=[season.pk])
    page = editor.get(reverse("admin:series_season_change", args=[season.pk])).content.decode()
    assert url in page

    paste = (
        "No\tDriver\tTeam\n7\tHarry King\tBWT Lechner Racing\n1\tLarry ten Voorde\tTeam GP Elite\n"
    )
    preview = editor.post(url, {"text": paste})

    assert "The entry list as it will be stored" in preview.content.decode()
    assert not season.entries.exists()
    done = editor.post(url, {"payload": preview.context["payload"]})
    assert done.status_code == 302
    assert sorted(season.entries.values_list("car_number", "driver__name")) == [
        (1, "Larry ten Voorde"),
        (7, "Harry King"),
    ]
    template = editor.get(reverse("admin:series_season_entries_template", args=[season.pk]))
    assert "7,Harry King,BWT Lechner Racing" in template.content.decode()


def test_copy_previous_season_entry_list_action(editor, season):
    previous = f.make_season(series=season.series, year=season.year - 1)
    f.make_entry(previous, Driver.objects.get(name="Harry King"), car_number=7)

    response = editor.post(
        reverse("admin:series_season_changelist"),
        {"action": "copy_previous_entries", "_selected_action": [season.pk]},
        follow=True,
    )

    assert "1 entries copied from" in response.content.decode()
    assert season.entries.get().car_number == 7


def test_changing_a_final_sessions_results_needs_a_reason_in_the_admin(editor, season):
    """A final session's classification changes only with a reason, which the change log keeps."""
    from series.models import ClassificationRevision
    from series.revisions import record_revision

    race = _race(season)
    first = "Pos\tNo\tDriver\n1\t1\tHarry King\n"
    done = editor.post(
        _session_import_url(race),
        {"payload": _preview(editor, _session_import_url(race), first).context["payload"]},
    )
    assert done.status_code == 302
    race.refresh_from_db()
    race.status = "final"
    race.save()
    record_revision(race, editor=None, kind="status")  # as the admin's "mark final" does
    changed = "Pos\tNo\tDriver\nDSQ\t1\tHarry King\n"
    refused = _preview(editor, _session_import_url(race), changed)
    assert "needs a reason" in refused.content.decode()
    assert Result.objects.get(session=race).position == 1
    with_reason = editor.post(
        _session_import_url(race), {"text": changed, "reason": "Decision 3: car 1 disqualified"}
    )
    editor.post(_session_import_url(race), {"payload": with_reason.context["payload"]})
    assert Result.objects.get(session=race).position is None
    revision = ClassificationRevision.objects.filter(session=race).latest("number")
    assert revision.reason == "Decision 3: car 1 disqualified"
