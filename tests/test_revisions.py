"""Revisions of a published classification: kept from the first publication, a reason required once
final, amended status, revert (series/revisions.py and the import_results hooks)."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from series.models import ClassificationRevision, Result, RevisionKind, Session, SessionStatus
from series.revisions import ReasonRequired, record_revision, revert, snapshot
from tests.factories import (
    make_class,
    make_driver,
    make_entry,
    make_result,
    make_round,
    make_season,
    make_series,
    make_session,
    make_team,
)

pytestmark = pytest.mark.django_db

HEADER = "round,session,position,status,number,driver,team,class,guest,time\n"
RACE = HEADER + (
    "1,race,1,,7,Harry King,BWT Lechner Racing,Pro,no,38:12.345\n"
    "1,race,2,,1,Larry ten Voorde,Team GP Elite,Pro,no,38:14.000\n"
    "1,race,3,,11,Bastian Buus,BWT Lechner Racing,Pro,no,38:20.500\n"
)
# The stewards give car 7 +10 s: it drops from first to third.
AMENDED = HEADER + (
    "1,race,1,,1,Larry ten Voorde,Team GP Elite,Pro,no,38:14.000\n"
    "1,race,2,,11,Bastian Buus,BWT Lechner Racing,Pro,no,38:20.500\n"
    "1,race,3,,7,Harry King,BWT Lechner Racing,Pro,no,38:22.345\n"
)


@pytest.fixture
def season():
    series = make_series(name="Supercup Test", slug="supercup-test", tier=1)
    season = make_season(series, year=2023)
    make_class(season, "Pro")
    make_session(make_round(season, 1), status=SessionStatus.SCHEDULED)
    for name in ("Larry ten Voorde", "Bastian Buus", "Harry King"):
        make_driver(name)
    make_team("Team GP Elite")
    make_team("BWT Lechner Racing")
    return season


def _import(tmp_path, text: str, *args: str) -> None:
    path = tmp_path / "results.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import_results", "supercup-test", "2023", str(path), *args, verbosity=0)


def _race(season) -> Session:
    return Session.objects.get(round__season=season, kind="race")


def _order(session: Session) -> list[str]:
    return list(
        Result.objects.filter(session=session, position__isnull=False)
        .order_by("position")
        .values_list("entry__driver__name", flat=True)
    )


def test_first_publication_is_revision_one_with_points_as_scored(season, tmp_path):
    _import(tmp_path, RACE)
    race = _race(season)
    [first] = race.revisions.all()
    assert (first.number, first.kind, first.status) == (1, RevisionKind.IMPORT, "provisional")
    assert first.editor is None  # a command
    assert first.diff["first"] is True
    assert [(car["number"], car["position"], car["points"]) for car in first.snapshot] == [
        (7, 1, "25"),
        (1, 2, "20"),
        (11, 3, "17"),
    ]
    assert first.snapshot[0]["time"] == (38 * 60 + 12.345) * 1_000_000


def test_importing_the_same_file_again_records_nothing(season, tmp_path):
    _import(tmp_path, RACE)
    _import(tmp_path, RACE)
    assert _race(season).revisions.count() == 1


def test_marking_final_is_a_status_revision(season, tmp_path):
    _import(tmp_path, RACE)
    _import(tmp_path, RACE, "--final")
    race = _race(season)
    last = race.revisions.latest()
    assert last.number == 2
    assert last.diff == {"status": ["provisional", "final"]}
    assert race.status == SessionStatus.FINAL


def test_changing_a_final_session_without_a_reason_is_refused_and_writes_nothing(season, tmp_path):
    _import(tmp_path, RACE, "--final")
    version_before = list(Result.objects.values_list("pk", "position"))
    with pytest.raises(CommandError, match="needs a reason"):
        _import(tmp_path, AMENDED)
    race = _race(season)
    assert list(Result.objects.values_list("pk", "position")) == version_before
    assert _order(race) == ["Harry King", "Larry ten Voorde", "Bastian Buus"]
    assert race.status == SessionStatus.FINAL
    assert race.revisions.count() == 1


def test_amending_a_final_session_with_a_reason_keeps_the_change_and_marks_it_amended(
    season, tmp_path
):
    _import(tmp_path, RACE, "--final")
    _import(
        tmp_path,
        AMENDED,
        "--reason",
        "Stewards' decision 12: car 7 +10 s, track limits",
        "--source",
        "Decision 12",
    )
    race = _race(season)
    assert race.status == SessionStatus.AMENDED
    assert race.is_final
    assert _order(race) == ["Larry ten Voorde", "Bastian Buus", "Harry King"]
    amendment = race.revisions.latest()
    assert amendment.number == 2
    assert amendment.reason == "Stewards' decision 12: car 7 +10 s, track limits"
    assert amendment.source == "Decision 12"
    assert amendment.status == "amended"
    assert amendment.diff["status"] == ["final", "amended"]
    by_number = {car["number"]: car["fields"] for car in amendment.diff["changed"]}
    assert by_number[7]["position"] == [1, 3]
    assert by_number[7]["points"] == ["25", "17"]
    assert by_number[1]["position"] == [2, 1]
    # An amended session stays amended when the next change comes, and still needs a reason.
    with pytest.raises(CommandError, match="needs a reason"):
        _import(tmp_path, RACE)


def test_a_final_session_published_before_revisions_gets_a_baseline_first(season, tmp_path):
    _import(tmp_path, RACE, "--final")
    race = _race(season)
    race.revisions.all().delete()  # as if published before revisions were kept
    _import(tmp_path, AMENDED, "--reason", "Decision 12")
    baseline, amendment = race.revisions.all()
    assert baseline.kind == RevisionKind.RECORDED
    assert [car["number"] for car in baseline.snapshot] == [7, 1, 11]
    assert [car["number"] for car in amendment.snapshot] == [1, 11, 7]


def test_dry_run_of_an_amendment_without_reason_is_refused_too(season, tmp_path):
    _import(tmp_path, RACE, "--final")
    with pytest.raises(CommandError, match="needs a reason"):
        _import(tmp_path, AMENDED, "--dry-run")


def test_revert_restores_an_earlier_classification_as_a_new_revision(season, tmp_path):
    _import(tmp_path, RACE, "--final")
    _import(tmp_path, AMENDED, "--reason", "Decision 12")
    race = _race(season)
    original = race.revisions.get(number=1)
    with pytest.raises(ReasonRequired):
        revert(race, original)
    assert _order(race) == ["Larry ten Voorde", "Bastian Buus", "Harry King"]

    revision = revert(race, original, reason="Appeal upheld: decision 12 withdrawn")
    assert revision.kind == RevisionKind.REVERT
    assert revision.reverts_to == original
    assert revision.number == 3
    assert _order(race) == ["Harry King", "Larry ten Voorde", "Bastian Buus"]
    restored = Result.objects.get(session=race, position=1)
    assert restored.race_time == dt.timedelta(minutes=38, seconds=12.345)
    assert [car["number"] for car in snapshot(race)] == [7, 1, 11]
    race.refresh_from_db()
    assert race.status == SessionStatus.AMENDED


def test_no_history_before_first_publication(season):
    race = _race(season)
    entry = make_entry(season)
    make_result(race, entry, 1)
    assert record_revision(race, editor=None, kind=RevisionKind.HAND_EDIT) is None
    assert not ClassificationRevision.objects.exists()


def test_hand_edit_of_a_provisional_session_needs_no_reason(season):
    race = _race(season)
    race.status = SessionStatus.PROVISIONAL
    race.save()
    first, second = make_entry(season, car_number=3), make_entry(season, car_number=4)
    make_result(race, first, 1)
    make_result(race, second, 2)
    record_revision(race, editor=None, kind=RevisionKind.HAND_EDIT)
    Result.objects.filter(session=race).update(position=None)
    Result.objects.filter(session=race, entry=second).update(position=1)
    Result.objects.filter(session=race, entry=first).update(position=2)
    revision = record_revision(race, editor=None, kind=RevisionKind.HAND_EDIT)
    assert revision.number == 2
    race.refresh_from_db()
    assert race.status == SessionStatus.PROVISIONAL


def test_amended_counts_as_final(season):
    race = _race(season)
    race.status = SessionStatus.AMENDED
    race.save()
    assert race.is_final and race.is_published
    assert list(Session.objects.final()) == [race]


# --- the admin: hand edits ----------------------------------------------------------------------


def _published_race(status=SessionStatus.FINAL):
    season = make_season(series=make_series(name="Porsche Carrera Cup Germany"))
    race = make_session(make_round(season, 1), status=status)
    seven = make_entry(season, make_driver("Larry ten Voorde"), car_number=7)
    twelve = make_entry(season, make_driver("Dylan Pereira"), car_number=12)
    first = make_result(race, seven, 1)
    second = make_result(race, twelve, 2)
    return race, [(first, seven), (second, twelve)]


def _swap_rows(race, rows) -> list[dict]:
    (first, seven), (second, twelve) = rows
    return [
        {"id": first.pk, "position": 2, "entry": seven.pk, "car_number": 7},
        {"id": second.pk, "position": 1, "entry": twelve.pk, "car_number": 12},
    ]


def test_editor_changing_a_final_session_without_reason_gets_a_form_error(editor):
    from tests.test_admin import session_form

    race, rows = _published_race()
    url = reverse("admin:series_session_change", args=[race.pk])
    response = editor.post(url, session_form(race, _swap_rows(race, rows), initial=2))
    assert response.status_code == 200
    assert "give the reason for changing its results" in response.content.decode()
    assert list(Result.objects.order_by("position").values_list("car_number", flat=True)) == [
        7,
        12,
    ]
    assert not race.revisions.exists()


def test_editor_changing_a_final_session_with_a_reason_makes_it_amended(editor, editor_user):
    from tests.test_admin import session_form

    race, rows = _published_race()
    url = reverse("admin:series_session_change", args=[race.pk])
    data = session_form(race, _swap_rows(race, rows), initial=2)
    data["change_reason"] = "Decision 3: car 7 +5 s"
    data["change_source"] = "https://example.org/decision-3.pdf"
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    race.refresh_from_db()
    assert race.status == SessionStatus.AMENDED
    baseline, amendment = race.revisions.all()
    assert baseline.kind == RevisionKind.RECORDED
    assert (amendment.kind, amendment.editor, amendment.reason) == (
        RevisionKind.HAND_EDIT,
        editor_user,
        "Decision 3: car 7 +5 s",
    )
    assert amendment.source == "https://example.org/decision-3.pdf"


def test_editor_reverts_from_the_history(editor):
    race, rows = _published_race(status=SessionStatus.PROVISIONAL)
    record_revision(race, editor=None, kind=RevisionKind.HAND_EDIT)
    Result.objects.filter(session=race).delete()
    record_revision(race, editor=None, kind=RevisionKind.HAND_EDIT)
    history = editor.get(
        reverse("admin:series_classificationrevision_changelist") + f"?session__id__exact={race.pk}"
    )
    assert history.status_code == 200
    url = reverse("admin:series_classificationrevision_revert", args=[race.revisions.first().pk])
    assert url in history.content.decode()
    detail = reverse("admin:series_classificationrevision_change", args=[race.revisions.first().pk])
    assert url in editor.get(detail).content.decode()
    assert editor.get(url).status_code == 200
    response = editor.post(url, {"reason": "Deleted by mistake", "source": ""})
    assert response.status_code == 302
    assert Result.objects.filter(session=race).count() == 2
    assert race.revisions.latest().kind == RevisionKind.REVERT


def test_mark_final_action_is_a_status_revision(editor):
    race, _ = _published_race(status=SessionStatus.PROVISIONAL)
    response = editor.post(
        reverse("admin:series_session_changelist"),
        {"action": "mark_final", "_selected_action": [race.pk]},
    )
    assert response.status_code == 302
    baseline, final = race.revisions.all()
    assert final.diff == {"status": ["provisional", "final"]}
    assert final.kind == RevisionKind.STATUS


def _result_form(result, **changes) -> dict:
    from tests.test_admin import record_version

    data = {
        "session": result.session_id,
        "entry": result.entry_id,
        "team": "",
        "car_number": result.car_number or "",
        "position": result.position or "",
        "status": result.status,
        "laps": "",
        "race_time": "",
        "gap": "",
        "best_lap": "",
        "grid": "",
        "penalty": "",
        "time_penalty": "",
        "grid_penalty": "",
        "change_reason": "",
        "change_source": "",
        "_save": "Save",
        "_record_version": record_version(result),
    }
    data.update(changes)
    return data


def test_editing_one_result_of_a_final_session_needs_a_reason_too(editor, editor_user):
    race, [(first, _), _] = _published_race()
    url = reverse("admin:series_result_change", args=[first.pk])
    refused = editor.post(url, _result_form(first, laps="20"))
    assert refused.status_code == 200
    assert "give the reason for changing its results" in refused.content.decode()
    assert Result.objects.get(pk=first.pk).laps is None

    saved = editor.post(url, _result_form(first, laps="20", change_reason="Lap count corrected"))
    assert saved.status_code == 302, saved.content.decode()[:3000]
    race.refresh_from_db()
    assert race.status == SessionStatus.AMENDED
    amendment = race.revisions.latest()
    assert (amendment.editor, amendment.reason) == (editor_user, "Lap count corrected")
    assert amendment.diff["changed"][0]["fields"] == {"laps": [None, 20]}


def test_deleting_a_result_of_a_final_session_on_its_own_is_refused(editor):
    race, [(first, _), (second, _)] = _published_race()
    response = editor.post(reverse("admin:series_result_delete", args=[first.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = editor.post(
        reverse("admin:series_result_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert Result.objects.filter(session=race).count() == 2
    assert not race.revisions.exists()


def test_deleting_a_result_of_a_provisional_session_is_a_revision(editor):
    race, [(first, _), _] = _published_race(status=SessionStatus.PROVISIONAL)
    response = editor.post(reverse("admin:series_result_delete", args=[first.pk]), {"post": "yes"})
    assert response.status_code == 302
    baseline, deletion = race.revisions.all()
    assert [car["number"] for car in deletion.diff["removed"]] == [7]


def test_provisional_detour_is_no_way_round_the_reason(season, tmp_path):
    _import(tmp_path, RACE, "--final")
    race = _race(season)
    race.status = SessionStatus.PROVISIONAL
    race.save()
    assert record_revision(race, editor=None, kind=RevisionKind.STATUS).diff == {
        "status": ["final", "provisional"]
    }
    with pytest.raises(CommandError, match="needs a reason"):
        _import(tmp_path, AMENDED)
    assert _order(race) == ["Harry King", "Larry ten Voorde", "Bastian Buus"]


def test_once_amended_marking_final_again_keeps_it_amended(season, tmp_path):
    _import(tmp_path, RACE, "--final")
    _import(tmp_path, AMENDED, "--reason", "Decision 12")
    _import(tmp_path, AMENDED, "--final")  # same results, "final" again: nothing to record
    race = _race(season)
    assert race.status == SessionStatus.AMENDED
    assert race.revisions.count() == 2
