import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client


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
