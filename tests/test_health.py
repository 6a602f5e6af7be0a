"""/healthz, and the 503 page the site answers with while the database is down."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import include, path, reverse

ROOT = Path(__file__).resolve().parent.parent


# A URL list for these tests only (ROOT_URLCONF = "tests.test_health"): the real site plus views
# failing the way a lost database makes views fail.
def _raises(error: Exception):
    def view(request: HttpRequest):
        raise error

    return view


urlpatterns = [
    path("db-gone/", _raises(OperationalError("could not connect to server: Connection refused"))),
    path("db-broke/", _raises(InterfaceError("connection already closed"))),
    path("db-bug/", _raises(IntegrityError("duplicate key value"))),
    path("", include("pcc.urls")),
]


@pytest.mark.django_db
def test_healthz_says_ok_when_database_and_cache_answer(client: Client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_is_never_cached_and_sets_no_cookie(client: Client):
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "backend",
    ["django.core.cache.backends.redis.RedisCache", "pcc.cache_backends.FaultTolerantRedisCache"],
)
def test_healthz_says_the_cache_is_degraded_but_stays_200_when_redis_is_unreachable(
    client: Client, backend: str
):
    # The site serves every page without the cache (tests/test_faults.py): a load balancer must
    # not take the app servers out because the Redis they share is down. Port 1 on this machine:
    # nothing listens there, so the connection is refused at once.
    unreachable = {"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=unreachable):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "degraded"}


@pytest.mark.django_db
def test_healthz_answers_get_and_head_only(client: Client):
    assert client.post("/healthz").status_code == 405
    head = client.head("/healthz")
    assert head.status_code == 200
    assert head.content == b""


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/db-gone/", "/db-broke/"])
def test_a_view_losing_the_database_answers_503_with_retry_after(settings, address):
    settings.ROOT_URLCONF = "tests.test_health"
    client = Client(raise_request_exception=False)
    response = client.get(address)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Back in a moment" in response.content
    assert b"Traceback" not in response.content
    # The security headers still apply to the error page.
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_other_database_errors_stay_500s(settings):
    # An IntegrityError is a bug in our code, not an outage: it must not hide behind "come back".
    settings.ROOT_URLCONF = "tests.test_health"
    client = Client(raise_request_exception=False)
    response = client.get("/db-bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def _run_with_database_down(addresses: list[str]) -> dict[str, dict]:
    """GET each address in a fresh process under the production settings (page cache on, no
    collectstatic: plain static storage) whose DATABASE_URL points at a closed port: the real
    outage, with a real driver error, and nothing in the page allowed to reach the database."""
    script = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "settings.STORAGES = {**settings.STORAGES, 'staticfiles': {\n"
        "    'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "answers = {}\n"
        "for address in sys.argv[1:]:\n"
        "    response = client.get(address)\n"
        "    answers[address] = {\n"
        "        'status': response.status_code,\n"
        "        'retry_after': response.get('Retry-After'),\n"
        "        'body': response.content.decode(),\n"
        "    }\n"
        "print(json.dumps(answers))\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "PAGE_CACHE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pcc.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        SECURE_HTTPS="0",
        DATABASE_URL="postgres://pcc@127.0.0.1:1/pcc",
        CONN_MAX_AGE="0",
        REDIS_URL="",
        LOG_LEVEL="CRITICAL",
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, *addresses],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_with_the_database_down_pages_answer_the_friendly_503_and_healthz_names_it():
    answers = _run_with_database_down(["/", "/pyramid/", "/drivers/", "/healthz"])
    for address in ("/", "/pyramid/", "/drivers/"):
        page = answers[address]
        assert page["status"] == 503, address
        assert page["retry_after"] == "30"
        assert "Back in a moment" in page["body"]
        assert "Traceback" not in page["body"] and "OperationalError" not in page["body"]
    health = answers["/healthz"]
    assert health["status"] == 503
    assert json.loads(health["body"]) == {"database": "failed", "cache": "ok"}
