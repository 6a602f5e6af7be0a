"""Two editors saving results at the same moment: both saves land, once each, on SQLite (whose
IMMEDIATE transactions queue the second writer behind the first) and on PostgreSQL.

Each thread has its own database connection, so the test database must be one that threads can
write to at once: a file on SQLite (see the TEST name in pcc/settings.py), never the in-memory one.
"""

import threading
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection, transaction
from django.test import Client

from series.models import Result, ResultStatus, SessionStatus, SiteVersion
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

CARS_PER_EDITOR = 8


def run_together(*jobs: Callable[[], None]) -> list[BaseException]:
    """Run each job in its own thread, all released at the same instant; return their errors."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=10)
            job()
        except BaseException as error:  # noqa: BLE001 - reported to the test, not swallowed
            errors.append(error)
        finally:
            # Each thread opened its own connection; a leftover one would block the flush.
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a save never finished"
    return errors


@pytest.fixture
def race():
    """A race session with two editors' worth of entries: cars 1-8 for one, 11-18 for the other."""
    season = factories.make_season(year=2024)
    # Provisional: results being entered on race day (a final session's changes need a reason).
    session = factories.make_session(
        factories.make_round(season, 1), status=SessionStatus.PROVISIONAL
    )
    entries = [
        factories.make_entry(season, car_number=number)
        for number in [*range(1, 1 + CARS_PER_EDITOR), *range(11, 11 + CARS_PER_EDITOR)]
    ]
    return session, entries[:CARS_PER_EDITOR], entries[CARS_PER_EDITOR:]


def site_version() -> int:
    return SiteVersion.objects.get(pk=1).version


def editors_group() -> Group:
    """The Editors group as migration 0002 makes it. Transactional tests start from a flushed
    database, which keeps the permissions (remade after every flush) but not the group."""
    group, created = Group.objects.get_or_create(name="Editors")
    if created:
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="series").exclude(
                content_type__model="siteversion"
            )
        )
    return group


def editor_client(username: str) -> Client:
    user = User.objects.create_user(username, password="a-long-editor-password", is_staff=True)
    user.groups.add(editors_group())
    client = Client()
    client.force_login(user)
    return client


def test_two_editors_saving_results_at_once_through_the_orm_lose_nothing(race):
    session, first_cars, second_cars = race
    version_before = site_version()

    def save(entries, first_position):
        def job():
            for offset, entry in enumerate(entries):
                with transaction.atomic():
                    Result.objects.create(
                        session=session,
                        entry=entry,
                        car_number=entry.car_number,
                        position=first_position + offset,
                        status=ResultStatus.FINISHED,
                    )

        return job

    errors = run_together(save(first_cars, 1), save(second_cars, 1 + CARS_PER_EDITOR))

    assert errors == []
    saved = list(Result.objects.filter(session=session).values_list("entry_id", flat=True))
    assert sorted(saved) == sorted(entry.pk for entry in first_cars + second_cars)
    # Every save raised the version: none of the increments was lost to the other editor's.
    assert site_version() == version_before + 2 * CARS_PER_EDITOR


def test_two_editors_adding_results_in_the_admin_at_once_both_land(race):
    session, first_cars, second_cars = race
    editors = [editor_client("editor-one"), editor_client("editor-two")]
    version_before = site_version()
    answers: dict[str, list[int]] = {"editor-one": [], "editor-two": []}

    def add_results(name: str, client: Client, entries, first_position: int):
        def job():
            for offset, entry in enumerate(entries):
                response = client.post(
                    "/admin/series/result/add/",
                    {
                        "session": session.pk,
                        "entry": entry.pk,
                        "car_number": entry.car_number,
                        "position": first_position + offset,
                        "status": ResultStatus.FINISHED,
                    },
                )
                answers[name].append(response.status_code)

        return job

    errors = run_together(
        add_results("editor-one", editors[0], first_cars, 1),
        add_results("editor-two", editors[1], second_cars, 1 + CARS_PER_EDITOR),
    )

    assert errors == []
    # 302: the admin saved and went back to the list; a form with errors would be a 200.
    assert answers == {name: [302] * CARS_PER_EDITOR for name in answers}
    for entry in first_cars + second_cars:
        assert Result.objects.filter(session=session, entry=entry).count() == 1
    assert Result.objects.filter(session=session).count() == 2 * CARS_PER_EDITOR
    assert site_version() == version_before + 2 * CARS_PER_EDITOR
