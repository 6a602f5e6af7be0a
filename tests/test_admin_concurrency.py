"""No lost save, no 500: a stale admin form is refused with who changed what since; two editors
saving one session's positions at the same moment never get a 500 and never lose a write silently;
an import confirmation applies once, to the state it was previewed against."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from series.models import Driver, Result, SessionStatus
from tests import factories as f
from tests.test_admin import session_form
from tests.test_concurrency import run_together

PASSWORD = "a-long-editor-password"


def _editor(name: str) -> Client:
    user = User.objects.create_superuser(name, f"{name}@example.com", PASSWORD)
    client = Client()
    client.force_login(user)
    return client


def _version(page: str) -> str:
    return re.search(r'name="_record_version" value="([^"]+)"', page).group(1)


@pytest.fixture
def race():
    season = f.make_season(year=2024)
    session = f.make_session(f.make_round(season, 1), status=SessionStatus.PROVISIONAL)
    entries = [f.make_entry(season, car_number=n) for n in (1, 2, 3)]
    for position, entry in enumerate(entries, start=1):
        f.make_result(session, entry, position)
    return session, entries


def _rows(session, order):
    results = {r.entry_id: r for r in Result.objects.filter(session=session)}
    return [
        {"id": results[entry.pk].pk, "position": position, "entry": entry.pk}
        for position, entry in enumerate(order, start=1)
    ]


@pytest.mark.django_db
def test_a_stale_form_is_refused_naming_who_changed_what(race):
    session, (a, b, c) = race
    url = reverse("admin:series_session_change", args=[session.pk])
    first, second = _editor("anna"), _editor("bruno")
    anna_version = _version(first.get(url).content.decode())
    bruno_version = _version(second.get(url).content.decode())

    data = session_form(session, _rows(session, [b, a, c]), initial=3)
    saved = first.post(url, {**data, "_record_version": anna_version})
    assert saved.status_code == 302

    stale = session_form(session, _rows(session, [a, c, b]), initial=3)
    refused = second.post(url, {**stale, "_record_version": bruno_version}, follow=True)

    page = refused.content.decode()
    assert "Nothing was saved" in page and "anna at" in page
    positions = dict(Result.objects.filter(session=session).values_list("entry_id", "position"))
    assert positions == {b.pk: 1, a.pk: 2, c.pk: 3}  # anna's order, not silently undone


@pytest.mark.django_db
def test_a_fresh_form_saves_and_a_tampered_version_is_refused(race):
    session, (a, b, c) = race
    url = reverse("admin:series_session_change", args=[session.pk])
    editor = _editor("anna")
    version = _version(editor.get(url).content.decode())
    data = session_form(session, _rows(session, [a, b, c]), initial=3)
    data["notes"] = "checked"

    assert editor.post(url, {**data, "_record_version": version}).status_code == 302
    forged = editor.post(url, {**data, "_record_version": version + "x"}, follow=True)
    assert "could not be checked" in forged.content.decode()


@pytest.mark.django_db
def test_any_record_form_refuses_a_stale_save(race):
    driver = f.make_driver("Anna Vermeer")
    url = reverse("admin:series_driver_change", args=[driver.pk])
    editor = _editor("anna")
    version = _version(editor.get(url).content.decode())
    Driver.objects.filter(pk=driver.pk).update(nationality="NED")  # an import, say

    data = {"name": "Anna V.", "slug": driver.slug, "sort_name": "", "nationality": "GER"}
    response = editor.post(url, {**data, "_record_version": version}, follow=True)

    assert "changed by an import or another tool" in response.content.decode()
    driver.refresh_from_db()
    assert (driver.name, driver.nationality) == ("Anna Vermeer", "NED")


@pytest.mark.django_db
def test_a_change_form_without_a_version_is_refused_like_a_stale_one(race):
    """A POST that omits the version (a script, a form saved from before versions) could undo a
    change it never saw: it is refused with a clear message and nothing is written."""
    session, (a, b, c) = race
    url = reverse("admin:series_session_change", args=[session.pk])
    editor = _editor("anna")
    data = session_form(session, _rows(session, [c, b, a]), initial=3)
    del data["_record_version"]

    response = editor.post(url, data, follow=True)

    page = response.content.decode()
    assert "Nothing was saved: this form does not carry the version of" in page
    order = list(
        Result.objects.filter(session=session).order_by("position").values_list("entry", flat=True)
    )
    assert order == [a.pk, b.pk, c.pk]
    driver = f.make_driver("Anna Vermeer")
    refused = editor.post(
        reverse("admin:series_driver_change", args=[driver.pk]),
        {"name": "Anna V.", "slug": driver.slug, "sort_name": "", "nationality": ""},
        follow=True,
    )
    assert "does not carry the version" in refused.content.decode()
    driver.refresh_from_db()
    assert driver.name == "Anna Vermeer"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_session_never_500_and_never_lose_silently(race):
    session, (a, b, c) = race
    url = reverse("admin:series_session_change", args=[session.pk])
    editors = [_editor("anna"), _editor("bruno")]
    versions = [_version(e.get(url).content.decode()) for e in editors]
    orders = [[b, a, c], [c, b, a]]
    statuses = []

    def save(index):
        def job():
            data = session_form(session, _rows(session, orders[index]), initial=3)
            response = editors[index].post(url, {**data, "_record_version": versions[index]})
            statuses.append((index, response.status_code))

        return job

    for _ in range(3):
        statuses.clear()
        errors = run_together(save(0), save(1))
        assert errors == []
        assert all(code in (200, 302) for _, code in statuses), statuses
        positions = dict(Result.objects.filter(session=session).values_list("entry_id", "position"))
        won = [
            orders[i]
            for i, _ in statuses
            if positions == {e.pk: n for n, e in enumerate(orders[i], 1)}
        ]
        assert len(won) >= 1  # one editor's whole order is stored; the other was told
        versions = [_version(e.get(url).content.decode()) for e in editors]


@pytest.mark.django_db
def test_an_import_confirmation_applies_once_and_only_to_its_state(race):
    session, (a, b, c) = race
    editor = _editor("anna")
    url = reverse("admin:series_session_import_results", args=[session.pk])
    paste = f"Pos\tNo\n1\t{c.car_number}\n2\t{b.car_number}\n3\t{a.car_number}\n"
    preview = editor.post(url, {"text": paste})
    payload = preview.context["payload"]

    assert editor.post(url, {"payload": payload}).status_code == 302
    replay = editor.post(url, {"payload": payload})

    assert replay.status_code == 409
    assert "already" in replay.content.decode() or "changed since" in replay.content.decode()


@pytest.mark.django_db
def test_an_import_confirmation_is_refused_after_another_change(race):
    session, (a, b, c) = race
    editor = _editor("anna")
    url = reverse("admin:series_session_import_results", args=[session.pk])
    paste = f"Pos\tNo\n1\t{c.car_number}\n2\t{b.car_number}\n3\t{a.car_number}\n"
    preview = editor.post(url, {"text": paste})
    Result.objects.filter(session=session, entry=a).update(penalty="+5 s")  # a later edit

    refused = editor.post(url, {"payload": preview.context["payload"]})

    assert refused.status_code == 409
    assert "changed since" in refused.content.decode()
    assert Result.objects.get(session=session, entry=a).position == 1
