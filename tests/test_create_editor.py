import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def create_editor(*args: str) -> str:
    out = StringIO()
    call_command("create_editor", *args, stdout=out)
    match = re.search(r"Password \(shown once.*\): (\S+)", out.getvalue())
    assert match, out.getvalue()
    return match.group(1)


def logs_in(username: str, password: str) -> bool:
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )
    return response.status_code == 302 and client.get("/admin/").status_code == 200


def test_printed_password_logs_in_to_the_admin_as_an_editor():
    password = create_editor("marie", "--email", "marie@example.com")

    user = User.objects.get(username="marie")
    assert user.is_staff and not user.is_superuser
    assert user.email == "marie@example.com"
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert logs_in("marie", password)


def test_running_again_resets_to_a_new_password_and_the_old_one_stops_working():
    first = create_editor("marie")
    second = create_editor("marie")

    assert first != second and len(second) >= 20
    assert User.objects.filter(username="marie").count() == 1
    assert not logs_in("marie", first)
    assert logs_in("marie", second)
