"""Race control and editing a session by hand: what awaits results or finalising, one-click mark
final (refused without results), the status rules, local start times, a 100-car session saved
through the admin, and the entry's number and team filled in."""

import datetime as dt

import pytest
from django.urls import reverse

from series.models import Result, ResultStatus, Session, SessionKind, SessionStatus
from tests import factories as f
from tests.test_admin import session_form

pytestmark = pytest.mark.django_db

TODAY = dt.date(2023, 6, 10)


@pytest.fixture
def weekend(time_machine):
    """A season with a round this weekend (qualifying and race today), a past race with results
    still provisional, a past race without results and a past race that is final."""
    time_machine.move_to(dt.datetime(2023, 6, 10, 9, 0, tzinfo=dt.UTC))
    season = f.make_season(series=f.make_series(name="Fictional Cup", slug="fictional-cup"))
    circuit = f.make_circuit(name="Sebring", time_zone="America/New_York")
    now = f.make_round(season, 3, f.make_event(circuit, start=dt.date(2023, 6, 9)), date=TODAY)
    qualifying = f.make_session(
        now, SessionKind.QUALIFYING, status=SessionStatus.SCHEDULED, date=TODAY, name="Qualifying 3"
    )
    race = f.make_session(now, status=SessionStatus.SCHEDULED, date=TODAY, name="Race 3")
    old = [f.make_round(season, n) for n in (1, 2)]
    provisional = f.make_session(old[0], status=SessionStatus.PROVISIONAL, name="Race 1")
    empty = f.make_session(old[1], status=SessionStatus.SCHEDULED, name="Race 2")
    done = f.make_session(
        old[1], slug="r2-sprint", kind="sprint", status=SessionStatus.FINAL, name="Sprint 2"
    )
    entry = f.make_entry(season, f.make_driver("Anna Vermeer"), car_number=7)
    f.make_result(provisional, entry, 1)
    f.make_result(done, entry, 1)
    return {
        "season": season,
        "qualifying": qualifying,
        "race": race,
        "provisional": provisional,
        "empty": empty,
        "done": done,
        "entry": entry,
    }


URL = "admin:series_session_race_control"


def test_admin_home_links_to_race_control(editor):
    page = editor.get(reverse("admin:index")).content.decode()
    assert reverse(URL) in page and "Race control" in page


def test_race_control_lists_this_weekend_and_the_backlog(editor, weekend):
    response = editor.get(reverse(URL))

    assert response.status_code == 200
    weekend_ids = [row.session.pk for row in response.context["weekend_rows"]]
    past_ids = [row.session.pk for row in response.context["past_rows"]]
    assert set(weekend_ids) == {weekend["qualifying"].pk, weekend["race"].pk}
    assert set(past_ids) == {weekend["provisional"].pk, weekend["empty"].pk}  # not the final one
    page = response.content.decode()
    paste = reverse("admin:series_session_import_results", args=[weekend["race"].pk])
    assert f"{paste}?next=race-control" in page
    final = reverse("admin:series_session_race_control_final", args=[weekend["provisional"].pk])
    assert final in page
    # No results yet: no "mark final" button for the empty race.
    assert (
        reverse("admin:series_session_race_control_final", args=[weekend["empty"].pk]) not in page
    )


def test_race_control_shows_the_circuits_local_time(editor, weekend):
    race = weekend["race"]
    race.starts_at = dt.datetime(2023, 6, 10, 19, 30, tzinfo=dt.UTC)
    race.save()

    page = editor.get(reverse(URL)).content.decode()

    assert "Sat 10 Jun 15:30" in page and "America/New_York" in page


def test_mark_final_from_race_control(editor, weekend):
    session = weekend["provisional"]
    url = reverse("admin:series_session_race_control_final", args=[session.pk])

    response = editor.post(url)

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.FINAL


def test_mark_final_without_results_is_refused(editor, weekend):
    session = weekend["empty"]
    url = reverse("admin:series_session_race_control_final", args=[session.pk])

    response = editor.post(url, follow=True)

    assert "has no results, so it cannot be final" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_mark_final_is_post_only(editor, weekend):
    url = reverse("admin:series_session_race_control_final", args=[weekend["provisional"].pk])
    assert editor.get(url).status_code == 405


def test_race_control_needs_a_login(fan):
    response = fan.get(reverse(URL))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_paste_from_race_control_returns_there(editor, weekend):
    race = weekend["race"]
    url = reverse("admin:series_session_import_results", args=[race.pk]) + "?next=race-control"
    preview = editor.post(url, {"text": "Pos\tNo\tDriver\n1\t7\tA. Vermeer\n"})

    done = editor.post(url, {"payload": preview.context["payload"]})

    assert done["Location"] == reverse(URL)
    race.refresh_from_db()
    assert race.status == SessionStatus.PROVISIONAL


# --- the status rules -------------------------------------------------------------------------


def test_results_typed_by_hand_make_a_scheduled_session_provisional(editor, weekend):
    race = weekend["race"]
    data = session_form(race, [{"position": 1, "entry": weekend["entry"].pk}])

    response = editor.post(reverse("admin:series_session_change", args=[race.pk]), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    race.refresh_from_db()
    assert race.status == SessionStatus.PROVISIONAL
    result = race.results.get()
    assert result.car_number == 7  # filled in from the entry


def test_a_session_without_results_cannot_be_saved_final_without_a_reason(editor, weekend):
    race = weekend["race"]
    race.status = SessionStatus.FINAL
    url = reverse("admin:series_session_change", args=[race.pk])

    refused = editor.post(url, session_form(race, []))

    assert refused.status_code == 200
    assert "has no results, so it cannot be final" in refused.content.decode()
    assert Session.objects.get(pk=race.pk).status == SessionStatus.SCHEDULED

    race.no_classification = "Not run: fog"
    accepted = editor.post(url, session_form(race, []))
    assert accepted.status_code == 302
    assert Session.objects.get(pk=race.pk).status == SessionStatus.FINAL


def test_start_time_is_typed_in_the_circuits_local_time_and_stored_in_utc(editor, weekend):
    race = weekend["race"]
    url = reverse("admin:series_session_change", args=[race.pk])
    page = editor.get(url).content.decode()
    assert "America/New_York" in page
    assert "You are" not in page  # no "N hours behind server time" widget

    data = session_form(race, [])
    data["starts_at"] = "2023-06-10T15:30"
    response = editor.post(url, data)

    assert response.status_code == 302
    race.refresh_from_db()
    assert race.starts_at == dt.datetime(2023, 6, 10, 19, 30, tzinfo=dt.UTC)
    assert 'value="2023-06-10T15:30"' in editor.get(url).content.decode()


def test_a_100_car_session_saves_through_the_admin(editor, weekend):
    season, race = weekend["season"], weekend["race"]
    entries = [
        f.make_entry(season, f.make_driver(f"Grid Driver {n}"), car_number=100 + n)
        for n in range(100)
    ]
    rows = [
        {
            "position": n + 1,
            "entry": entry.pk,
            "laps": 20,
            "gap": f"+{n}.000",
            "best_lap": "1:40.000",
            "grid": n + 1,
        }
        for n, entry in enumerate(entries)
    ]
    data = session_form(race, rows)
    assert len(data) > 1_000  # over Django's default field limit

    response = editor.post(reverse("admin:series_session_change", args=[race.pk]), data)

    assert response.status_code == 302
    assert Result.objects.filter(session=race).count() == 100
    assert Result.objects.get(session=race, position=100).car_number == 199


def test_the_entry_pop_up_from_a_session_page_knows_the_season(editor, weekend):
    race = weekend["race"]
    referer = "http://testserver" + reverse("admin:series_session_change", args=[race.pk])

    response = editor.get(
        reverse("admin:series_entry_add") + "?_popup=1&_to_field=id", HTTP_REFERER=referer
    )

    assert response.context["adminform"].form.initial["season"] == weekend["season"].pk


def test_the_results_inline_offers_only_the_sessions_season(editor, weekend):
    other = f.make_season(year=2022)
    f.make_entry(other, f.make_driver("Someone Else"))
    response = editor.get(reverse("admin:series_session_change", args=[weekend["race"].pk]))

    formset = response.context["inline_admin_formsets"][0].formset
    offered = {entry.driver.name for entry in formset.forms[0].fields["entry"].queryset}
    assert offered == {"Anna Vermeer"}


def test_dnf_row_keeps_its_status(editor, weekend):
    race = weekend["race"]
    data = session_form(race, [{"status": ResultStatus.RETIRED, "entry": weekend["entry"].pk}])
    editor.post(reverse("admin:series_session_change", args=[race.pk]), data)
    assert race.results.get().status == ResultStatus.RETIRED


def test_an_events_session_row_cannot_be_made_final_without_results(editor, weekend):
    race = weekend["race"]
    event = race.event
    url = reverse("admin:series_event_change", args=[event.pk])
    page = editor.get(url)
    form = page.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(
        {
            "circuit": event.circuit_id,
            "parent": "",
            "start_date": event.start_date.isoformat(),
            "end_date": event.end_date.isoformat(),
            "sessions-TOTAL_FORMS": "2",
            "sessions-INITIAL_FORMS": "2",
            "sessions-MIN_NUM_FORMS": "0",
            "sessions-MAX_NUM_FORMS": "1000",
            "_record_version": page.context["record_version"],
        }
    )
    for index, session in enumerate(event.sessions.order_by("pk")):
        row = {
            "id": session.pk,
            "event": event.pk,
            "name": session.name,
            "slug": session.slug,
            "kind": session.kind,
            "round": session.round_id,
            "date": session.date.isoformat(),
            "starts_at": "",
            "duration_minutes": "",
            "status": SessionStatus.FINAL if session == race else session.status,
        }
        data.update({f"sessions-{index}-{key}": value for key, value in row.items()})
    data = {key: value for key, value in data.items() if value is not None}

    response = editor.post(url, data)

    assert response.status_code == 200
    assert "has no results, so it cannot be final" in response.content.decode()
    race.refresh_from_db()
    assert race.status == SessionStatus.SCHEDULED
    # The same form with the status left as it was saves: only the final status was refused.
    index = next(i for i, s in enumerate(event.sessions.order_by("pk")) if s == race)
    data[f"sessions-{index}-status"] = SessionStatus.SCHEDULED
    assert editor.post(url, data).status_code == 302
