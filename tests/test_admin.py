"""The editors' admin: what an editor may reach, a session's classification entered as a whole,
clear messages for clashing rows, the status actions, history, CSP and changelist query budgets."""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.functional import empty

from series.models import (
    Adjustment,
    CarGeneration,
    Champion,
    Circuit,
    ClassificationRevision,
    Driver,
    Entry,
    Event,
    MediaKind,
    MediaLink,
    Penalty,
    Result,
    ResultStatus,
    Round,
    ScoringRules,
    Season,
    SeasonClass,
    Series,
    Session,
    SessionStatus,
    SiteVersion,
    Team,
)
from tests import factories as f
from tests.scenarios import one_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def race() -> Session:
    """A provisional race of a season with no results yet, and two entries of that season."""
    season = f.make_season(series=f.make_series(name="Porsche Carrera Cup Germany"))
    session = f.make_session(f.make_round(season, 1), status=SessionStatus.PROVISIONAL)
    f.make_entry(season, f.make_driver("Larry ten Voorde"), car_number=7)
    f.make_entry(season, f.make_driver("Dylan Pereira"), car_number=12)
    return session


def _entry(session: Session, name: str) -> Entry:
    return Entry.objects.get(season=session.round.season, driver__name=name)


def record_version(obj) -> str:
    """The version the object's change page carries now (series/admin/guard.py), as a browser
    posts it back: a change form without one is refused."""
    request = RequestFactory().get("/")
    request.user = User(is_active=True, is_staff=True, is_superuser=True)
    return admin.site._registry[type(obj)].record_version(request, obj)


def session_form(session: Session, rows: list[dict], initial: int = 0) -> dict:
    """POST data of a session's change page: the session's own fields, then the results inline
    (prefix "results", the related name) with its management form."""
    data = {
        "event": session.event_id,
        "round": session.round_id or "",
        "kind": session.kind,
        "name": session.name,
        "slug": session.slug,
        "date": session.date.isoformat(),
        "starts_at": "",
        "duration_minutes": "",
        "status": session.status,
        "no_classification": session.no_classification,
        "notes": session.notes,
        "results-TOTAL_FORMS": str(len(rows)),
        "results-INITIAL_FORMS": str(initial),
        "results-MIN_NUM_FORMS": "0",
        "results-MAX_NUM_FORMS": "1000",
        "_save": "Save",
        "_record_version": record_version(session),
    }
    blank = {
        "id": "",
        "session": session.pk,
        "position": "",
        "status": ResultStatus.FINISHED,
        "entry": "",
        "car_number": "",
        "laps": "",
        "race_time": "",
        "gap": "",
        "best_lap": "",
        "grid": "",
        "penalty": "",
        "team": "",
    }
    for index, row in enumerate(rows):
        for name, value in {**blank, **row}.items():
            # An unticked checkbox is simply absent from a browser's POST.
            if value is False:
                continue
            data[f"results-{index}-{name}"] = "on" if value is True else value
    return data


def _change_url(session: Session) -> str:
    return reverse("admin:series_session_change", args=[session.pk])


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- who may see what -------------------------------------------------------------------------


def test_editor_sees_the_record_on_the_index_but_not_users_or_groups(editor):
    response = editor.get(reverse("admin:index"))
    assert response.status_code == 200
    assert reverse("admin:series_result_changelist").encode() in response.content
    assert reverse("admin:series_champion_changelist").encode() in response.content
    assert reverse("admin:auth_user_changelist").encode() not in response.content
    assert reverse("admin:auth_group_changelist").encode() not in response.content


def test_editor_is_refused_users_and_groups(editor):
    assert editor.get("/admin/auth/user/").status_code == 403
    assert editor.get("/admin/auth/group/").status_code == 403


def test_site_version_is_not_offered_to_editors(editor):
    assert SiteVersion not in admin.site._registry
    response = editor.get(reverse("admin:index"))
    assert b"site version" not in response.content.lower()


def test_editor_adds_a_season_with_its_scoring_classes_and_a_round(editor):
    series = f.make_series(name="Porsche Carrera Cup Benelux")
    event = f.make_event(name="Zandvoort Masters", start=dt.date(2024, 5, 10))

    def management(prefix: str, total: int, maximum: int = 1000) -> dict:
        return {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": str(maximum),
        }

    data = {
        "series": series.pk,
        "year": 2024,
        "name": "",
        "car_generation": "",
        "car": "911 GT3 Cup (992)",
        "results_note": "",
        "notes": "",
        "source": "",
        **management("scoring", 1, maximum=1),
        "scoring-0-race_points": "[25, 20, 17]",
        "scoring-0-sprint_points": "[]",
        "scoring-0-pole_points": "1",
        "scoring-0-fastest_lap_points": "0",
        "scoring-0-fastest_lap_top": "0",
        "scoring-0-guests": "skip",
        "scoring-0-drop_worst": "0",
        "scoring-0-undroppable_last": "0",
        "scoring-0-team_cars": "2",
        "scoring-0-class_scoring": "class-position",
        "scoring-0-notes": "",
        **management("classes", 1),
        "classes-0-name": "Pro-Am",
        "classes-0-slug": "pro-am",
        "classes-0-order": "1",
        **management("rounds", 1),
        "rounds-0-number": "1",
        "rounds-0-name": "",
        "rounds-0-event": event.pk,
        "rounds-0-date": "2024-05-12",
        "rounds-0-multiplier": "1",
        "_save": "Save",
    }
    response = editor.post(reverse("admin:series_season_add"), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    season = Season.objects.get(series=series, year=2024)
    assert season.scoring.race_points == [25, 20, 17]
    assert season.scoring.guests == "skip"
    assert [c.slug for c in season.classes.all()] == ["pro-am"]
    assert [(r.number, r.event) for r in season.rounds.all()] == [(1, event)]


# --- a session's classification ---------------------------------------------------------------


def test_editor_adds_results_through_the_session_page(editor, race):
    larry, dylan = _entry(race, "Larry ten Voorde"), _entry(race, "Dylan Pereira")
    rows = [
        {
            "position": 1,
            "entry": larry.pk,
            "car_number": 7,
            "laps": 17,
            "race_time": "0:29:12.345",
            "best_lap": "1:42.901",
            "grid": 1,
            "pole": True,
            "fastest_lap": True,
        },
        {"position": 2, "entry": dylan.pk, "car_number": 12, "laps": 17, "gap": "+1.234"},
    ]
    response = editor.post(_change_url(race), session_form(race, rows))

    assert response.status_code == 302, response.context and response.context["errors"]
    winner = Result.objects.get(session=race, position=1)
    assert winner.entry == larry
    assert winner.race_time == dt.timedelta(minutes=29, seconds=12.345)
    assert winner.best_lap == dt.timedelta(minutes=1, seconds=42.901)
    assert winner.pole and winner.fastest_lap
    assert Result.objects.get(session=race, position=2).gap == "+1.234"
    page = editor.get(_change_url(race))
    assert b"Larry ten Voorde" in page.content


def test_results_inline_is_ordered_by_position(editor, race):
    f.make_result(race, _entry(race, "Dylan Pereira"), None, status=ResultStatus.RETIRED)
    f.make_result(race, _entry(race, "Larry ten Voorde"), 1)
    formset = editor.get(_change_url(race)).context["inline_admin_formsets"][0].formset
    assert [form.instance.position for form in formset.initial_forms] == [1, None]


def test_duplicate_position_is_named_and_nothing_is_saved(editor, race):
    rows = [
        {"position": 3, "entry": _entry(race, "Larry ten Voorde").pk, "car_number": 7},
        {"position": 3, "entry": _entry(race, "Dylan Pereira").pk, "car_number": 12},
    ]
    response = editor.post(_change_url(race), session_form(race, rows))

    assert response.status_code == 200
    assert "Position 3 is given twice: #7 Larry ten Voorde and #12 Dylan Pereira." in (
        response.content.decode()
    )
    assert not Result.objects.filter(session=race).exists()


def test_duplicate_car_number_is_named_and_nothing_is_saved(editor, race):
    rows = [
        {"position": 1, "entry": _entry(race, "Larry ten Voorde").pk, "car_number": 7},
        {"position": 2, "entry": _entry(race, "Dylan Pereira").pk, "car_number": 7},
    ]
    response = editor.post(_change_url(race), session_form(race, rows))

    assert response.status_code == 200
    assert "Car number 7 is given twice: #7 Larry ten Voorde and #7 Dylan Pereira." in (
        response.content.decode()
    )
    assert not Result.objects.filter(session=race).exists()


def test_one_entry_on_two_rows_is_named(editor, race):
    larry = _entry(race, "Larry ten Voorde")
    rows = [
        {"position": 1, "entry": larry.pk, "car_number": 7},
        {"position": 2, "entry": larry.pk},
    ]
    response = editor.post(_change_url(race), session_form(race, rows))

    assert response.status_code == 200
    assert "Larry ten Voorde has 2 rows: one entry has one result per session." in (
        response.content.decode()
    )
    assert not Result.objects.filter(session=race).exists()


def test_deleting_a_row_frees_its_position_for_another(editor, race):
    larry, dylan = _entry(race, "Larry ten Voorde"), _entry(race, "Dylan Pereira")
    wrong = f.make_result(race, larry, 1)
    rows = [
        {"id": wrong.pk, "position": 1, "entry": larry.pk, "car_number": 7, "DELETE": True},
        {"position": 1, "entry": dylan.pk, "car_number": 12},
    ]
    response = editor.post(_change_url(race), session_form(race, rows, initial=1))

    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(Result.objects.filter(session=race).values_list("entry", "position")) == [
        (dylan.pk, 1)
    ]


def test_new_row_clashing_with_a_saved_row_is_named(editor, race):
    larry, dylan = _entry(race, "Larry ten Voorde"), _entry(race, "Dylan Pereira")
    saved = f.make_result(race, larry, 1)
    rows = [
        {"id": saved.pk, "position": 1, "entry": larry.pk, "car_number": 7},
        {"position": 1, "entry": dylan.pk, "car_number": 12},
    ]
    response = editor.post(_change_url(race), session_form(race, rows, initial=1))

    assert response.status_code == 200
    assert "Position 1 is given twice: #7 Larry ten Voorde and #12 Dylan Pereira." in (
        response.content.decode()
    )
    assert Result.objects.filter(session=race).count() == 1


def test_swapped_positions_save_in_one_go(editor, race):
    # A penalty after the race reorders the classification: each row takes a position another row
    # holds in the database until the save.
    larry, dylan = _entry(race, "Larry ten Voorde"), _entry(race, "Dylan Pereira")
    first = f.make_result(race, larry, 1)
    second = f.make_result(race, dylan, 2)
    rows = [
        {"id": first.pk, "position": 2, "entry": larry.pk, "car_number": 7, "penalty": "+5 s"},
        {"id": second.pk, "position": 1, "entry": dylan.pk, "car_number": 12},
    ]
    response = editor.post(_change_url(race), session_form(race, rows, initial=2))

    assert response.status_code == 302, response.context and response.context["errors"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, first.car_number, first.penalty) == (2, 7, "+5 s")
    assert (second.position, second.car_number) == (1, 12)


def test_position_for_a_car_that_did_not_start_is_refused_clearly(editor, race):
    rows = [
        {
            "position": 1,
            "status": ResultStatus.NOT_STARTED,
            "entry": _entry(race, "Larry ten Voorde").pk,
            "car_number": 7,
        }
    ]
    response = editor.post(_change_url(race), session_form(race, rows))

    assert response.status_code == 200
    assert "Only a finished or retired car has a position" in response.content.decode()
    assert not Result.objects.filter(session=race).exists()


def test_entry_of_another_season_is_refused_in_the_inline(editor, race):
    stranger = f.make_entry(f.make_season(), f.make_driver("Someone Else"), car_number=99)
    rows = [{"position": 1, "entry": stranger.pk, "car_number": 99}]
    response = editor.post(_change_url(race), session_form(race, rows))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Result.objects.filter(session=race).exists()


def test_entry_autocomplete_on_a_session_page_offers_only_its_season(editor, race):
    f.make_entry(f.make_season(), f.make_driver("Larry Elsewhere"), car_number=70)
    response = editor.get(
        reverse("admin:autocomplete"),
        {"app_label": "series", "model_name": "result", "field_name": "entry", "term": "Larry"},
        headers={"referer": "http://testserver" + _change_url(race)},
    )
    assert response.status_code == 200
    labels = [item["text"] for item in response.json()["results"]]
    assert labels == [str(_entry(race, "Larry ten Voorde"))]


def test_entry_class_of_another_season_is_refused(editor, race):
    entry = _entry(race, "Larry ten Voorde")
    other_class = f.make_class(f.make_season(), "Pro-Am")
    data = {
        "season": entry.season_id,
        "driver": entry.driver_id,
        "team": "",
        "car_number": 7,
        "season_class": other_class.pk,
        "notes": "",
        "_record_version": record_version(entry),
    }
    url = reverse("admin:series_entry_change", args=[entry.pk])
    response = editor.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    entry.refresh_from_db()
    assert entry.season_class is None


def test_entry_added_with_a_class_of_another_season_is_refused_by_name(editor, race):
    other_class = f.make_class(f.make_season(year=2022), "Pro-Am")
    data = {
        "season": race.round.season_id,
        "driver": f.make_driver("Laurin Heinrich").pk,
        "team": "",
        "car_number": 1,
        "season_class": other_class.pk,
        "notes": "",
    }
    response = editor.post(reverse("admin:series_entry_add"), data)

    assert response.status_code == 200
    assert (
        f"The class Pro-Am belongs to {other_class.season}, not {race.round.season}."
        in response.content.decode()
    )
    assert not Entry.objects.filter(driver__name="Laurin Heinrich").exists()


def test_single_result_form_explains_a_taken_position(editor, race):
    f.make_result(race, _entry(race, "Larry ten Voorde"), 1)
    data = {
        "session": race.pk,
        "entry": _entry(race, "Dylan Pereira").pk,
        "team": "",
        "car_number": 12,
        "position": 1,
        "status": ResultStatus.FINISHED,
        "gap": "",
        "penalty": "",
    }
    response = editor.post(reverse("admin:series_result_add"), data)

    assert response.status_code == 200
    assert "Another car already has this position in this session." in response.content.decode()
    assert Result.objects.filter(session=race).count() == 1


# --- actions ------------------------------------------------------------------------------------


def test_mark_final_sets_status_and_reports_the_count(editor, race):
    second = f.make_session(race.round, slug="race-2", status=SessionStatus.PROVISIONAL)
    done = f.make_session(race.round, slug="race-3", status=SessionStatus.FINAL)
    # A session is final only with results (or a reason it has none): these two have theirs.
    f.make_result(race, _entry(race, "Larry ten Voorde"), 1)
    second.no_classification = "Red-flagged on lap 1, not restarted"
    second.save()
    race.refresh_from_db()
    response = editor.post(
        reverse("admin:series_session_changelist"),
        {"action": "mark_final", "_selected_action": [race.pk, second.pk, done.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 sessions marked final. 1 was already final." in _messages(response)
    statuses = set(Session.objects.filter(pk__in=[race.pk, second.pk]).values_list("status"))
    assert statuses == {(SessionStatus.FINAL,)}
    race.refresh_from_db()
    assert race.revision == 1  # the iCal SEQUENCE moves with the status
    assert LogEntry.objects.filter(object_id=str(race.pk), change_message="Marked final.").exists()


def test_mark_provisional_reopens_a_final_session(editor, race):
    race.status = SessionStatus.FINAL
    race.save()
    response = editor.post(
        reverse("admin:series_session_changelist"),
        {"action": "mark_provisional", "_selected_action": [race.pk]},
        follow=True,
    )
    assert "1 session marked provisional." in _messages(response)
    race.refresh_from_db()
    assert race.status == SessionStatus.PROVISIONAL


# --- history ------------------------------------------------------------------------------------


def test_history_of_a_driver_names_the_editor_who_changed_it(editor, editor_user):
    driver = f.make_driver("Laurin Heinrich")
    data = {
        "name": driver.name,
        "sort_name": driver.sort_name,
        "slug": driver.slug,
        "nationality": "AUT",
        "notes": "",
        "_record_version": record_version(driver),
    }
    response = editor.post(reverse("admin:series_driver_change", args=[driver.pk]), data)
    assert response.status_code == 302
    driver.refresh_from_db()
    assert driver.nationality == "AUT"

    history = editor.get(reverse("admin:series_driver_history", args=[driver.pk]))
    assert history.status_code == 200
    assert [action.user for action in history.context["action_list"]] == [editor_user]
    # The page header also greets the editor by name: look in the history table's row itself.
    assert re.search(r"<td>editor</td>\s*<td>Changed Nationality", history.content.decode())


# --- champions ----------------------------------------------------------------------------------


def test_champions_filter_by_series_year_and_class_and_search_by_driver(editor):
    supercup = f.make_series(name="Porsche Supercup")
    germany = f.make_series(name="Porsche Carrera Cup Germany")
    Champion.objects.create(series=supercup, year=2023, driver_name="Bastian Buus")
    Champion.objects.create(series=supercup, year=2022, driver_name="Dylan Pereira")
    Champion.objects.create(series=germany, year=2023, driver_name="Larry ten Voorde")
    Champion.objects.create(
        series=germany, year=2023, class_name="Pro-Am", driver_name="Carlos Rivas"
    )
    url = reverse("admin:series_champion_changelist")

    def names(params: dict) -> set[str]:
        response = editor.get(url, params)
        assert response.status_code == 200
        return {champion.driver_name for champion in response.context["cl"].result_list}

    assert names({"series__id__exact": supercup.pk}) == {"Bastian Buus", "Dylan Pereira"}
    assert names({"year": 2023, "class_name": "overall"}) == {"Bastian Buus", "Larry ten Voorde"}
    assert names({"class_name": "Pro-Am"}) == {"Carlos Rivas"}
    assert names({"q": "voorde"}) == {"Larry ten Voorde"}


# --- strict CSP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:series_session_changelist",
        "admin:series_session_change",
        "admin:series_season_change",
        "admin:series_season_add",
        "admin:series_event_change",
    ],
)
def test_admin_pages_carry_no_inline_script_or_style(editor, race, url_name):
    args = {
        "admin:series_session_change": [race.pk],
        "admin:series_season_change": [race.round.season_id],
        "admin:series_event_change": [race.event_id],
    }.get(url_name, [])
    response = editor.get(reverse(url_name, args=args))

    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    page = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts, "the admin's own scripts load from files"
    assert all("src=" in tag for tag in scripts), [t for t in scripts if "src=" not in t]
    assert "<style" not in page
    assert not re.search(r"\son[a-z]+=", page)  # no onclick= handlers either


# --- changelist query budgets ---------------------------------------------------------------


def _many_series(n):
    for _ in range(n):
        f.make_series(feeds_into=f.make_series())


def _many_car_generations(n):
    for _ in range(n):
        number = f._n()
        CarGeneration.objects.create(
            generation=f"99{number}", slug=f"99{number}", model_name=f"911 Cup {number}"
        )


def _many_seasons(n):
    generation, _ = CarGeneration.objects.get_or_create(
        generation="992", defaults={"slug": "992", "model_name": "911 Cup"}
    )
    for _ in range(n):
        f.make_season(car_generation=generation)


def _many_classes(n):
    for _ in range(n):
        f.make_class(f.make_season(), "Pro-Am")


def _many_rounds(n):
    for _ in range(n):
        f.make_round(f.make_season(), 1)


def _many_sessions(n):
    for _ in range(n):
        f.make_session(f.make_round(f.make_season(), 1))


def _many_entries(n):
    for _ in range(n):
        season = f.make_season()
        f.make_entry(season, team=f.make_team(), season_class=f.make_class(season), car_number=7)


def _many_results(n):
    for _ in range(n):
        season = f.make_season()
        session = f.make_session(f.make_round(season, 1))
        f.make_result(session, f.make_entry(season, team=f.make_team(), car_number=3), 1)


def _many_adjustments(n):
    for _ in range(n):
        Adjustment.objects.create(
            season=f.make_season(), driver=f.make_driver(), team=f.make_team(), reason="Stewards"
        )


def _many_champions(n):
    for index in range(n):
        driver = f.make_driver()
        Champion.objects.create(
            series=f.make_series(), year=1990 + index, driver=driver, driver_name=driver.name
        )


def _many_media_links(n):
    for index in range(n):
        owner = [
            {"series": f.make_series()},
            {"season": f.make_season()},
            {"event": f.make_event()},
            {"session": f.make_session(f.make_round(f.make_season(), 1))},
        ][index % 4]
        MediaLink.objects.create(
            kind=MediaKind.LIVE, provider="YouTube", url="https://youtube.com/", **owner
        )


def _many_penalties(n):
    for _ in range(n):
        season = f.make_season()
        session = f.make_session(f.make_round(season, 1))
        entry = f.make_entry(season, car_number=3)
        Penalty.objects.create(session=session, entry=entry, kind="dsq", reason="Under weight")


def _many_revisions(n):
    from series.revisions import record_revision

    for _ in range(n):
        season = f.make_season()
        session = f.make_session(f.make_round(season, 1))
        f.make_result(session, f.make_entry(season, car_number=3), 1)
        record_revision(session, editor=None, kind="import", reason="First publication")


MAKERS: dict[type, Callable[[int], None]] = {
    Series: _many_series,
    CarGeneration: _many_car_generations,
    Circuit: lambda n: [f.make_circuit() for _ in range(n)],
    Event: lambda n: [f.make_event(parent=f.make_event()) for _ in range(n)],
    Season: _many_seasons,
    SeasonClass: _many_classes,
    ScoringRules: lambda n: [f.make_season() for _ in range(n)],
    Round: _many_rounds,
    Session: _many_sessions,
    Driver: lambda n: [f.make_driver() for _ in range(n)],
    Team: lambda n: [f.make_team() for _ in range(n)],
    Entry: _many_entries,
    Result: _many_results,
    Adjustment: _many_adjustments,
    Champion: _many_champions,
    MediaLink: _many_media_links,
    Penalty: _many_penalties,
    ClassificationRevision: _many_revisions,
}


def test_every_registered_model_has_a_query_budget_test():
    registered = {model for model in admin.site._registry if model._meta.app_label == "series"}
    assert registered == set(MAKERS)


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda model: model.__name__)
def test_changelist_queries_do_not_grow_with_rows(editor, model):
    # Prevents an n+1: every relation a column shows is in list_select_related. A changelist costs
    # the session, the user, the editor's permissions (user and group), the filtered and the full
    # count, the page of rows (joined to what the columns show), one query per list filter that
    # lists values (related objects or distinct values), and the date hierarchy's years.
    url = reverse(f"admin:series_{model._meta.model_name}_changelist")
    editor.get(url)  # warm the per-process caches (content types) out of the count

    with one_commit():
        MAKERS[model](3)
    with CaptureQueriesContext(connection) as few:
        response = editor.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 3

    with one_commit():
        MAKERS[model](27)
    with CaptureQueriesContext(connection) as many:
        response = editor.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 30
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


def test_a_waiting_message_survives_a_public_page_and_shows_in_the_admin(editor, race):
    """The messages' storage is made only when asked for (pcc.middleware.MessageMiddleware): a
    public page between an action and the next admin page does not make it, and neither shows
    nor drops the message waiting in its cookie."""
    changelist = reverse("admin:series_session_changelist")
    response = editor.post(changelist, {"action": "mark_final", "_selected_action": [race.pk]})
    assert response.status_code == 302
    assert response.cookies["messages"].value

    public = editor.get(reverse("series:pyramid"))
    assert public.status_code == 200
    assert "messages" not in public.cookies
    assert public.wsgi_request._messages._wrapped is empty  # never made

    shown = editor.get(response["Location"])
    assert any("marked final" in message for message in _messages(shown))
    assert _messages(editor.get(response["Location"])) == []  # shown once
