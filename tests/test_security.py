"""Production hardening: deploy checks, headers and cookies, login throttling, passwords, escaping
of everything the database or a query string puts on a page, and bad requests."""

import datetime as dt
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from series.models import Adjustment, Champion, MediaKind, MediaLink, SessionStatus, Tier
from tests import factories

ROOT = Path(__file__).resolve().parent.parent

# --- production settings, checked in a fresh process as production starts ----------------------


# Variables of this test process that production never has: the browser tests' conftest sets
# DJANGO_ALLOW_ASYNC_UNSAFE for Playwright (and check --deploy rightly refuses it).
NOT_IN_PRODUCTION = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "BEHIND_PROXY",
    "AXES_PROXY_COUNT",
}


def production_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in NOT_IN_PRODUCTION}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="pcc.example",
        SECURE_HTTPS="1",
        DJANGO_SETTINGS_MODULE="pcc.settings",
        **extra,
    )
    return env


# The suite runs no collectstatic, so the manifest storage production uses would have no manifest
# to read: the plain storage stands in for it. Nothing else is changed.
PRODUCTION_PRELUDE = (
    "import django\n"
    "django.setup()\n"
    "from django.conf import settings\n"
    "settings.STORAGES = {**settings.STORAGES, 'staticfiles': {\n"
    "    'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
)


def run_in_production(script: str, **extra_env: str) -> dict:
    """Run a Python snippet under production settings; it prints one JSON object last."""
    completed = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PRELUDE + script],
        cwd=ROOT,
        env=production_env(**extra_env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_deploy_checks_pass_with_debug_off():
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "no issues" in completed.stdout


def test_production_cookies_are_host_prefixed_secure_and_lax():
    values = run_in_production(
        "import json\n"
        "from django.conf import settings as s\n"
        "names = ['SESSION_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',\n"
        "         'SESSION_COOKIE_SAMESITE', 'SESSION_COOKIE_DOMAIN', 'SESSION_COOKIE_PATH',\n"
        "         'CSRF_COOKIE_NAME', 'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY',\n"
        "         'CSRF_COOKIE_SAMESITE', 'CSRF_COOKIE_DOMAIN', 'CSRF_COOKIE_PATH',\n"
        "         'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT']\n"
        "print(json.dumps({name: getattr(s, name) for name in names}))\n"
    )
    assert values == {
        # __Host- cookies must be Secure, have path / and no Domain: browsers refuse them otherwise.
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_PATH": "/",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_DOMAIN": None,
        "CSRF_COOKIE_PATH": "/",
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
    }


PRODUCTION_REQUESTS = (
    "import json\n"
    "from django.test import Client\n"
    "client = Client(HTTP_HOST='pcc.example')\n"
    "secure = client.get('/admin/login/', secure=True)\n"
    "plain = client.get('/admin/login/')\n"
    "cookie = secure.cookies['__Host-csrftoken']\n"
    "print(json.dumps({\n"
    "    'status': secure.status_code,\n"
    "    'hsts': secure.get('Strict-Transport-Security'),\n"
    "    'csp': secure.get('Content-Security-Policy'),\n"
    "    'cookie': {key: cookie[key] for key in ('secure', 'httponly', 'samesite', 'path',\n"
    "                                            'domain')},\n"
    "    'plain_status': plain.status_code,\n"
    "    'plain_location': plain.get('Location'),\n"
    "    'plain_hsts': plain.get('Strict-Transport-Security'),\n"
    "}))\n"
)


def test_production_sends_hsts_over_https_and_redirects_plain_http():
    answers = run_in_production(PRODUCTION_REQUESTS)
    assert answers["status"] == 200
    assert answers["hsts"] == "max-age=31536000; includeSubDomains"
    assert "default-src 'none'" in answers["csp"]
    assert answers["cookie"] == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
        "path": "/",
        "domain": "",
    }
    assert answers["plain_status"] == 301
    assert answers["plain_location"] == "https://pcc.example/admin/login/"
    # HSTS over plain HTTP means nothing (and browsers ignore it): only HTTPS answers carry it.
    assert answers["plain_hsts"] is None


def test_healthz_is_not_redirected_to_https_for_load_balancer_probes(tmp_path):
    answers = run_in_production(
        "import json\n"
        "from django.test import Client\n"
        "response = Client(HTTP_HOST='pcc.example').get('/healthz')\n"
        "print(json.dumps({'status': response.status_code, 'body': response.json()}))\n",
        DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}",
    )
    assert answers == {"status": 200, "body": {"database": "ok", "cache": "ok"}}


def test_behind_a_proxy_the_forwarded_scheme_counts_as_https():
    answers = run_in_production(
        "import json\n"
        "from django.test import Client\n"
        "response = Client(HTTP_HOST='pcc.example').get(\n"
        "    '/admin/login/', HTTP_X_FORWARDED_PROTO='https')\n"
        "print(json.dumps({'status': response.status_code,\n"
        "                  'hsts': response.get('Strict-Transport-Security')}))\n",
        BEHIND_PROXY="1",
    )
    assert answers == {"status": 200, "hsts": "max-age=31536000; includeSubDomains"}


# What pcc/settings.py gives axes and ipware with BEHIND_PROXY=1 and one proxy (checked below).
ONE_PROXY = {
    "AXES_IPWARE_PROXY_COUNT": 0,
    "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
    "IPWARE_STRICT": False,
}


def test_behind_one_proxy_settings_trust_only_the_address_the_proxy_added():
    script = (
        "import json\nfrom django.conf import settings as s\n"
        f"print(json.dumps({{name: getattr(s, name) for name in {list(ONE_PROXY)!r}}}))\n"
    )
    assert run_in_production(script, BEHIND_PROXY="1") == ONE_PROXY
    assert run_in_production(script, BEHIND_PROXY="1", AXES_PROXY_COUNT="2") == {
        **ONE_PROXY,
        "AXES_IPWARE_PROXY_COUNT": 1,
    }


def test_without_a_proxy_forwarded_headers_are_not_trusted():
    values = run_in_production(
        "import json\nfrom django.conf import settings as s\n"
        "print(json.dumps({'order': s.AXES_IPWARE_META_PRECEDENCE_ORDER,\n"
        "                  'ssl_header': getattr(s, 'SECURE_PROXY_SSL_HEADER', None)}))\n"
    )
    assert values == {"order": ["REMOTE_ADDR"], "ssl_header": None}


# --- headers on every response ------------------------------------------------------------------

EXPECTED_CSP = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
    # A web app manifest, if one is added, comes from the site itself.
    "manifest-src": ["'self'"],
}


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def static_client():
    """A client whose WhiteNoise serves straight from static/ (the suite has no collectstatic)."""
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        yield Client()


EVERY_KIND_OF_RESPONSE = [
    ("/", 200),
    ("/admin/login/", 200),
    ("/admin/", 302),
    ("/api/v1/series/", 200),
    ("/healthz", 200),
    ("/no-such-page/", 404),
    ("/static/css/site.css", 200),
    ("/static/img/favicon.svg", 200),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "status"), EVERY_KIND_OF_RESPONSE)
def test_every_response_carries_the_security_headers(static_client, address, status):
    response = static_client.get(address)
    assert response.status_code == status
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_a_missing_static_file_still_carries_the_headers(static_client):
    response = static_client.get("/static/css/no-such-file.css")
    assert response.status_code == 404
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP


@pytest.mark.django_db
def test_pages_refuse_framing(client):
    response = client.get("/admin/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert parse_csp(response["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]


def test_the_policy_allows_no_inline_script_style_or_eval(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives == EXPECTED_CSP
    every_source = " ".join(value for values in directives.values() for value in values)
    assert "unsafe-inline" not in every_source
    assert "unsafe-eval" not in every_source
    assert "unsafe-hashes" not in every_source


@pytest.mark.django_db
def test_https_answers_carry_hsts_with_the_production_values():
    # SecurityMiddleware reads these at start-up; they are the values production settings produce
    # (checked in test_production_cookies_are_host_prefixed_secure_and_lax).
    with override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True):
        response = Client().get("/admin/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_csrf_cookie_is_httponly_and_lax(client):
    response = client.get("/admin/login/")
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_session_cookie_is_httponly_and_lax(editor_user):
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "a-long-editor-password"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_an_editors_session_ends_with_the_browser_and_after_twelve_hours(editor_user):
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "a-long-editor-password"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    # A session cookie: no Max-Age or Expires, so the browser drops it when it closes.
    assert not cookie["max-age"] and not cookie["expires"]
    assert client.get("/admin/").status_code == 200

    # On the server the session itself lasts twelve hours at most.
    with time_machine.travel(timezone.now() + dt.timedelta(hours=11, minutes=59)):
        assert client.get("/admin/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(hours=12, minutes=1)):
        assert client.get("/admin/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_readable_by_its_owner_only(tmp_path):
    from django.core.management import call_command

    previous = os.umask(0o022)  # the usual umask: files 0644 unless the command says otherwise
    try:
        backup = tmp_path / "pcc.backup"
        call_command("backup", output=str(backup), verbosity=0)
    finally:
        os.umask(previous)
    assert backup.is_file() and backup.stat().st_size > 0
    assert backup.stat().st_mode & 0o777 == 0o600


# --- login throttling ---------------------------------------------------------------------------

LOGIN = "/admin/login/?next=/admin/"
LOCKED_TEXT = b"Too many login attempts"


def log_in(client: Client, username: str, password: str, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def fail_five_times(client: Client, username: str = "editor", **headers) -> list[int]:
    return [log_in(client, username, "wrong-password", **headers).status_code for _ in range(5)]


@pytest.mark.django_db
def test_five_failed_logins_lock_that_username_from_that_address(editor_user):
    client = Client()
    # The fifth failure reaches the limit, so it is already answered with the lockout page.
    assert fail_five_times(client) == [200, 200, 200, 200, 429]

    response = log_in(client, "editor", "a-long-editor-password")

    assert response.status_code == 429
    assert LOCKED_TEXT in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_four_failed_logins_do_not_lock(editor_user):
    client = Client()
    for _ in range(4):
        assert log_in(client, "editor", "wrong-password").status_code == 200
    assert log_in(client, "editor", "a-long-editor-password").status_code == 302


@pytest.mark.django_db
def test_the_lock_lifts_after_the_fifteen_minute_cool_off(editor_user):
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        fail_five_times(client)
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert log_in(Client(), "editor", "a-long-editor-password").status_code == 429
    # A try during the lock starts the cool-off again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_
    # LOCKOUT): fifteen minutes after the last try, the right password works.
    with time_machine.travel(start + dt.timedelta(minutes=14 + 16), tick=False):
        response = log_in(client, "editor", "a-long-editor-password")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor_user.pk)


@pytest.mark.django_db
def test_a_locked_username_does_not_lock_another_username_from_the_same_address(editor_user):
    User.objects.create_user("other-editor", password="another-long-password", is_staff=True)
    client = Client()
    fail_five_times(client, "editor")

    assert log_in(client, "other-editor", "wrong-password").status_code == 200
    assert log_in(client, "other-editor", "another-long-password").status_code == 302


@pytest.mark.django_db
def test_a_locked_username_can_still_log_in_from_another_address(editor_user):
    fail_five_times(Client(), "editor")
    other_address = Client(REMOTE_ADDR="192.0.2.44")
    assert log_in(other_address, "editor", "a-long-editor-password").status_code == 302


@pytest.mark.django_db
def test_without_a_proxy_a_forged_forwarded_header_does_not_dodge_the_lock(editor_user):
    client = Client()
    codes = [
        log_in(client, "editor", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}").status_code
        for n in range(5)
    ]
    assert codes[-1] == 429
    forged = log_in(client, "editor", "a-long-editor-password", HTTP_X_FORWARDED_FOR="5.6.7.8")
    assert forged.status_code == 429


@pytest.mark.django_db
@override_settings(**ONE_PROXY)
def test_behind_a_proxy_the_client_address_comes_from_the_proxy_not_the_client(editor_user):
    # The proxy appends the address it saw (81.2.69.142); whatever the client put before it is
    # ignored, so changing it on every try does not reset the count.
    client = Client(REMOTE_ADDR="10.0.0.2")
    codes = [
        log_in(
            client, "editor", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 81.2.69.142"
        ).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]
    again = log_in(
        client, "editor", "a-long-editor-password", HTTP_X_FORWARDED_FOR="9.9.9.9, 81.2.69.142"
    )
    assert again.status_code == 429

    # Another reader behind the same proxy is somebody else: not locked.
    neighbour = log_in(
        client, "editor", "a-long-editor-password", HTTP_X_FORWARDED_FOR="81.2.69.160"
    )
    assert neighbour.status_code == 302


# --- passwords ----------------------------------------------------------------------------------

ELEVEN = "Qz7!pLm2#vR"
TWELVE = "Qz7!pLm2#vRk"


def test_an_eleven_character_password_is_refused():
    assert len(ELEVEN) == 11
    with pytest.raises(ValidationError) as refused:
        validate_password(ELEVEN)
    assert "at least 12 characters" in str(refused.value)


def test_a_twelve_character_password_is_accepted():
    assert validate_password(TWELVE) is None


@pytest.mark.django_db
def test_an_editor_cannot_change_their_password_to_eleven_characters(editor, editor_user):
    form = {"old_password": "a-long-editor-password"}
    short = editor.post(
        "/admin/password_change/", {**form, "new_password1": ELEVEN, "new_password2": ELEVEN}
    )
    assert short.status_code == 200
    assert b"at least 12 characters" in short.content
    editor_user.refresh_from_db()
    assert editor_user.check_password("a-long-editor-password")

    long_enough = editor.post(
        "/admin/password_change/", {**form, "new_password1": TWELVE, "new_password2": TWELVE}
    )
    assert long_enough.status_code == 302
    editor_user.refresh_from_db()
    assert editor_user.check_password(TWELVE)


@pytest.mark.django_db
def test_the_admin_cannot_set_an_eleven_character_password_for_an_editor(superuser, editor_user):
    address = reverse("admin:auth_user_password_change", args=[editor_user.pk])
    form = {"usable_password": "true"}
    short = superuser.post(address, {**form, "password1": ELEVEN, "password2": ELEVEN})
    assert short.status_code == 200
    assert b"at least 12 characters" in short.content
    editor_user.refresh_from_db()
    assert editor_user.check_password("a-long-editor-password")

    long_enough = superuser.post(address, {**form, "password1": TWELVE, "password2": TWELVE})
    assert long_enough.status_code == 302
    editor_user.refresh_from_db()
    assert editor_user.check_password(TWELVE)


# --- bad requests: a 400 or a 404, never a 500 --------------------------------------------------


@pytest.fixture
def tolerant_client() -> Client:
    """A client that returns the 500 page instead of raising, as a real server would send it."""
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_bad_host_header_gets_the_400_page(tolerant_client):
    response = tolerant_client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"Bad request" in response.content
    assert b"evil.example" not in response.content


@pytest.mark.django_db
def test_a_login_body_over_the_upload_limit_is_a_400(tolerant_client, settings):
    body = "username=editor&password=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = tolerant_client.post(
        "/admin/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_login_with_too_many_fields_is_a_400(tolerant_client, settings):
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = tolerant_client.post("/admin/login/", {"username": "editor", **fields})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_broken_multipart_body_is_a_400(tolerant_client):
    response = tolerant_client.post(
        "/admin/login/",
        b"--nope\r\nContent-Disposition: form-data; name=\r\n\r\nvalue-without-end",
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/pyramid/\x00/",
        "/pyramid/%00/",
        "/drivers/%ff%fe/",
        "/%E0%A4%A/",
        "/events/../../etc/passwd",
        "/series/" + "x" * 5000 + "/",
    ],
)
def test_a_malformed_path_is_a_404(tolerant_client, address):
    assert tolerant_client.get(address).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=%zz%", "q=%ff%fe%00", "%=%%&&==", "q=" + "%" * 3000])
def test_a_malformed_query_string_is_never_a_server_error(tolerant_client, query):
    # Django reads a broken percent-escape literally, so the page answers as for any odd query.
    for address in ("/", "/pyramid/", reverse("series:search")):
        response = tolerant_client.get(f"{address}?{query}")
        assert response.status_code in (200, 400, 404), (address, response.status_code)


# --- nothing from the database or a query string reaches a page unescaped -----------------------

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
# What a page may show of them: Django's escaping of each.
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
# Pieces of the raw payloads; a truncated one (truncatechars) still starts like this.
RAW = ("<script>alert", "<img src=x", "onerror=alert(1)>")


@pytest.fixture
def hostile_record(db) -> dict[str, str]:
    """Every editable text of the record carries a payload: the names one, the longer texts
    (notes, sources, descriptions) the other, so each page has some to show."""
    today = timezone.localdate()
    series = factories.make_series(
        name=f"Cup {SCRIPT}",
        slug="hostile-cup",
        tier=Tier.CARRERA_CUP,
        short_name=f"C {SCRIPT}",
        country=BREAKOUT,
        region=BREAKOUT,
        organiser=SCRIPT,
        sanctioning_body=BREAKOUT,
        description=f"About {SCRIPT} and {BREAKOUT}",
        source=BREAKOUT,
    )
    season = factories.make_season(
        series,
        year=today.year,
        name=f"Season {SCRIPT}",
        car=BREAKOUT,
        results_partial=True,
        results_note=SCRIPT,
        notes=BREAKOUT,
        source=SCRIPT,
    )
    pro = factories.make_class(season, f"Pro {SCRIPT}")
    pro.slug = "pro"
    pro.save()
    circuit = factories.make_circuit(
        name=f"Ring {SCRIPT}", slug="hostile-ring", place=BREAKOUT, country=SCRIPT, source=BREAKOUT
    )
    texts = {"dates_note": BREAKOUT, "supports": SCRIPT, "description": BREAKOUT}
    texts |= {"notes": SCRIPT, "source": BREAKOUT}
    past = factories.make_event(
        circuit, today - dt.timedelta(days=30), name=f"Past {SCRIPT}", slug="hostile-past", **texts
    )
    upcoming = factories.make_event(
        circuit, today + dt.timedelta(days=7), name=f"Next {SCRIPT}", slug="hostile-next", **texts
    )
    first = factories.make_round(season, 1, event=past, name=f"R1 {SCRIPT}", notes=BREAKOUT)
    second = factories.make_round(season, 2, event=upcoming, name=f"R2 {SCRIPT}", notes=BREAKOUT)
    race = factories.make_session(first, name=f"Race {SCRIPT}", slug="hostile-race", notes=BREAKOUT)
    factories.make_session(
        second,
        name=f"Race {BREAKOUT}",
        slug="hostile-next-race",
        status=SessionStatus.SCHEDULED,
        starts_at=timezone.now() + dt.timedelta(days=8),
        notes=SCRIPT,
    )
    team = factories.make_team(f"Team {SCRIPT}", country=BREAKOUT, notes=SCRIPT)
    team.slug = "hostile-team"
    team.save()
    drivers = [
        factories.make_driver(f"Driver {SCRIPT}", slug="hostile-driver", nationality=BREAKOUT),
        factories.make_driver(f"Rival {BREAKOUT}", slug="hostile-rival", notes=SCRIPT),
    ]
    for position, driver in enumerate(drivers, start=1):
        entry = factories.make_entry(
            season, driver, team=team, season_class=pro, car_number=position, notes=BREAKOUT
        )
        factories.make_result(race, entry, position, gap=BREAKOUT, penalty=SCRIPT)
    Adjustment.objects.create(season=season, driver=drivers[1], points=-5, reason=SCRIPT)
    Champion.objects.create(
        series=series,
        year=today.year - 1,
        driver=drivers[0],
        driver_name=f"Champ {SCRIPT}",
        nationality=BREAKOUT,
        team=SCRIPT,
        teams_champion=BREAKOUT,
        source=SCRIPT,
        notes=BREAKOUT,
    )
    for owner in ({"series": series}, {"event": upcoming}, {"session": race}):
        MediaLink.objects.create(
            kind=MediaKind.LIVE,
            provider=f"TV {SCRIPT}",
            url=f"https://example.com/watch?{BREAKOUT}",
            region=f"Region {BREAKOUT}",
            title=SCRIPT,
            note=BREAKOUT,
            source=SCRIPT,
            **owner,
        )
    return {
        "series": series.slug,
        "year": str(season.year),
        "event": past.slug,
        "session": race.slug,
        "driver": drivers[0].slug,
        "team": team.slug,
        "circuit": circuit.slug,
    }


def public_pages(slugs: dict[str, str]) -> list[str]:
    season = {"series": slugs["series"], "year": slugs["year"]}
    return [
        reverse("series:home"),
        reverse("series:pyramid"),
        reverse("series:series-detail", kwargs={"series": slugs["series"]}),
        reverse("series:season-detail", kwargs=season),
        reverse("series:season-standings", kwargs=season),
        reverse("series:season-standings", kwargs=season) + "?table=teams",
        reverse("series:season-standings", kwargs=season) + "?class=pro",
        reverse("series:season-results", kwargs=season),
        reverse("series:event-list"),
        reverse("series:event-detail", kwargs={"event": slugs["event"]}),
        reverse(
            "series:session-detail", kwargs={"event": slugs["event"], "session": "hostile-race"}
        ),
        reverse("series:driver-list"),
        reverse("series:driver-detail", kwargs={"driver": slugs["driver"]}),
        reverse("series:team-list"),
        reverse("series:team-detail", kwargs={"team": slugs["team"]}),
        reverse("series:circuit-list"),
        reverse("series:circuit-detail", kwargs={"circuit": slugs["circuit"]}),
        reverse("series:champions"),
        reverse("series:calendar"),
        reverse("series:search") + "?q=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        reverse("series:search") + "?q=Driver",
        reverse("series:watch"),
    ]


@pytest.mark.django_db
def test_no_page_shows_a_stored_or_queried_payload_unescaped(hostile_record):
    client = Client(raise_request_exception=False)
    problems = []
    for address in public_pages(hostile_record):
        response = client.get(address)
        page = response.content.decode()
        if response.status_code != 200:
            problems.append(f"{address}: answered {response.status_code}")
            continue
        problems += [f"{address}: shows {raw!r} unescaped" for raw in RAW if raw in page]
        if not any(escaped in page for escaped in ESCAPED):
            problems.append(f"{address}: shows none of the record's texts")
        # The htmx fragment of the same page (where it has one) is rendered by the same view.
        fragment = client.get(address, headers={"HX-Request": "true"})
        problems += [
            f"{address} (htmx): shows {raw!r} unescaped"
            for raw in RAW
            if raw in fragment.content.decode()
        ]
    assert problems == []


@pytest.mark.django_db
def test_payloads_in_filters_are_not_echoed_unescaped(hostile_record):
    client = Client(raise_request_exception=False)
    season = {"series": hostile_record["series"], "year": hostile_record["year"]}
    hostile = "%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
    addresses = [
        reverse("series:season-standings", kwargs=season) + f"?table={hostile}",
        reverse("series:season-standings", kwargs=season) + f"?class={hostile}&after={hostile}",
        reverse("series:champions") + f"?series={hostile}&tier={hostile}",
        reverse("series:calendar") + f"?series={hostile}&month={hostile}&tier={hostile}",
        reverse("series:watch") + f"?region={hostile}",
        reverse("series:driver-list") + f"?q={hostile}&page={hostile}",
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code in (200, 400, 404), address
        page = response.content.decode()
        assert not any(raw in page for raw in RAW), address
