import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client

from tests.scenarios import shipped_record


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests over the shipped facts run last, together: the `shipped` fixture loads the facts
    once for the session and keeps them until the end, so no test that expects an empty database
    may run after it. The order is otherwise unchanged."""
    items.sort(key=lambda item: "shipped" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def shipped(django_db_setup, django_db_blocker):
    """The facts the site ships with (`load_pyramid`), loaded once for every test that asks, in a
    transaction rolled back at the end (tests/scenarios.py, shipped_record). Each test still runs
    in its own savepoint, undone before the next. Non-transactional tests only."""
    yield from shipped_record(django_db_blocker)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fan(client: Client) -> Client:
    """An anonymous reader of the site."""
    return client


@pytest.fixture
def editor_user(db) -> User:
    user = User.objects.create_user(
        "editor", "editor@example.com", "a-long-editor-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor(editor_user: User) -> Client:
    client = Client()
    client.force_login(editor_user)
    return client


@pytest.fixture
def superuser(db) -> Client:
    user = User.objects.create_superuser("admin", "admin@example.com", "a-long-admin-password")
    client = Client()
    client.force_login(user)
    return client
