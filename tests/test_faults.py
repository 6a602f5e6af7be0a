"""Degrade, don't fail: against real closed ports and real hung servers.

- Redis down (a closed port) or hung (a server that accepts and never answers): every page and API
  call still answers 200, computed without the cache, quickly; /healthz says the cache is degraded.
- PostgreSQL unreachable (a closed port) or hung: requests end within a few seconds with the 503
  page (connect timeout), in a fresh process under the production settings.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from series.selectors.cache import cached
from tests import factories as f
from tests.services import redis_answers

ROOT = Path(__file__).resolve().parent.parent


def _closed_port() -> int:
    """A port nothing listens on: bound, then closed, so a connection is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HungServer:
    """A TCP server that accepts every connection and never answers: what a frozen Redis or
    PostgreSQL (SIGSTOP, a wedged proxy) looks like to a client."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(conn)  # held open, never read from or written to

    def close(self) -> None:
        self._stop.set()
        self.thread.join(timeout=2)
        for conn in self.accepted:
            conn.close()
        self.sock.close()


@pytest.fixture
def hung_server() -> Iterator[HungServer]:
    server = HungServer()
    yield server
    server.close()


def _redis(port: int, **options) -> dict:
    return {
        "default": {
            "BACKEND": "pcc.cache_backends.FaultTolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": f"pcc-test-{secrets.token_hex(4)}",
            "OPTIONS": options,
        }
    }


@pytest.fixture
def record(db):
    """A season with a result, so the standings, driver and API answers compute something."""
    series = f.make_series(name="Carrera Cup Testland", slug="carrera-cup-testland")
    season = f.make_season(series, year=2023)
    session = f.make_session(f.make_round(season, 1))
    larry = f.make_entry(season, f.make_driver("Larry ten Voorde"), car_number=7)
    f.make_result(session, larry, 1)
    return season


PAGES = [
    "/",
    "/pyramid/",
    "/series/carrera-cup-testland/",
    "/series/carrera-cup-testland/2023/",
    "/series/carrera-cup-testland/2023/standings/",
    "/series/carrera-cup-testland/2023/results/",
    "/drivers/",
    "/drivers/larry-ten-voorde/",
    "/champions/",
    "/calendar/",
    "/series/carrera-cup-testland/2023/standings.csv",
    "/calendar.ics",
]
API = [
    "/api/v1/",
    "/api/v1/series/",
    "/api/v1/series/carrera-cup-testland/2023/standings/",
    "/api/v1/series/carrera-cup-testland/2023/",
    "/api/v1/drivers/",
    "/api/v1/drivers/larry-ten-voorde/",
    "/api/v1/champions/",
]


# --- Redis down ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page_cache", [True, False])
def test_with_redis_refusing_connections_every_page_and_api_call_answers_200(
    record, settings, page_cache
):
    settings.PAGE_CACHE = page_cache
    with override_settings(CACHES=_redis(_closed_port())):
        client = Client(raise_request_exception=True)
        for address in PAGES + API:
            response = client.get(address)
            assert response.status_code == 200, address
        # Computed, not served from a cache that is not there.
        response = client.get("/series/carrera-cup-testland/2023/standings/")
        assert "Larry ten Voorde" in response.content.decode()
        assert response.get("X-Page-Cache") != "hit"


def test_with_redis_refusing_connections_healthz_answers_200_and_says_degraded(record):
    with override_settings(CACHES=_redis(_closed_port())):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "degraded"}


def test_with_redis_hung_pages_answer_200_within_seconds(record, settings, hung_server):
    """A hung Redis costs one socket timeout, after which the process leaves it alone for a while
    (the breaker) instead of paying the timeout on every cache call of every page."""
    settings.PAGE_CACHE = True
    with override_settings(
        CACHES=_redis(hung_server.port, socket_connect_timeout=0.3, socket_timeout=0.3)
    ):
        client = Client(raise_request_exception=True)
        started = time.monotonic()
        for address in PAGES + API:
            assert client.get(address).status_code == 200, address
        elapsed = time.monotonic() - started
        health = client.get("/healthz")
    assert hung_server.accepted, "the client never reached the hung server"
    # Without the breaker each of ~40 cache calls would wait 0.3 s.
    assert elapsed < 5, elapsed
    assert health.status_code == 200
    assert health.json()["cache"] == "degraded"


def test_the_cache_comes_back_when_redis_does(record, settings):
    """After an outage the breaker lets the next attempt through and pages are cached again."""
    if not redis_answers():
        pytest.xfail("no Redis answers on 127.0.0.1:6379")
    settings.PAGE_CACHE = True
    with override_settings(CACHES=_redis(6379)):
        backend = caches["default"]
        backend._down_until = time.monotonic() - 1  # an outage that just ended
        client = Client()
        client.get("/pyramid/")
        assert client.get("/pyramid/")["X-Page-Cache"] == "hit"
        assert client.get("/healthz").json()["cache"] == "ok"


def test_cached_computes_without_a_plain_redis_cache_that_is_down(db):
    """cached() falls back whatever the backend: Django's own RedisCache raises on an outage."""
    plain = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    calls = []
    with override_settings(CACHES=plain):
        value = cached("faults:answer", lambda: calls.append(1) or 42)
    assert value == 42
    assert calls == [1]  # computed once, not once per failed cache call


def test_api_answers_with_a_plain_redis_cache_that_is_down(record):
    plain = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    with override_settings(CACHES=plain):
        response = Client().get("/api/v1/series/")
    assert response.status_code == 200
    assert response.has_header("ETag") and response.has_header("Last-Modified")


# --- PostgreSQL down ----------------------------------------------------------------------------


def _run_against_database(database_url: str, addresses: list[str], **extra_env) -> dict:
    """GET each address in a fresh process under the production settings (page cache on) with
    DATABASE_URL pointing at the given server; returns status, Retry-After, body and seconds."""
    script = (
        "import json, sys, time, django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "settings.STORAGES = {**settings.STORAGES, 'staticfiles': {\n"
        "    'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "answers = {}\n"
        "for address in sys.argv[1:]:\n"
        "    started = time.monotonic()\n"
        "    response = client.get(address)\n"
        "    answers[address] = {\n"
        "        'status': response.status_code,\n"
        "        'retry_after': response.get('Retry-After'),\n"
        "        'body': response.content.decode(),\n"
        "        'seconds': time.monotonic() - started,\n"
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
        DATABASE_URL=database_url,
        CONN_MAX_AGE="0",
        REDIS_URL="",
        LOG_LEVEL="CRITICAL",
        **extra_env,
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


def _assert_friendly_503(answer: dict, address: str) -> None:
    assert answer["status"] == 503, address
    assert answer["retry_after"] == "30", address
    assert "Back in a moment" in answer["body"], address
    assert "Traceback" not in answer["body"] and "OperationalError" not in answer["body"]


def test_postgres_on_a_closed_port_answers_503_at_once():
    url = f"postgres://pcc@127.0.0.1:{_closed_port()}/pcc"
    answers = _run_against_database(url, ["/", "/drivers/", "/api/v1/series/", "/healthz"])
    for address in ("/", "/drivers/", "/api/v1/series/"):
        _assert_friendly_503(answers[address], address)
        assert answers[address]["seconds"] < 3, answers[address]["seconds"]
    assert answers["/healthz"]["status"] == 503
    assert json.loads(answers["/healthz"]["body"])["database"] == "failed"


def test_postgres_that_accepts_and_never_answers_ends_in_503_within_the_connect_timeout(
    hung_server,
):
    url = f"postgres://pcc@127.0.0.1:{hung_server.port}/pcc"
    answers = _run_against_database(url, ["/", "/api/v1/series/"], DB_CONNECT_TIMEOUT="2")
    assert hung_server.accepted, "the driver never reached the hung server"
    for address, answer in answers.items():
        _assert_friendly_503(answer, address)
        # Django connects once for the page; each attempt waits DB_CONNECT_TIMEOUT at most.
        assert answer["seconds"] < 8, (address, answer["seconds"])


def test_database_timeouts_reach_the_driver_and_keep_jit_off():
    script = (
        "import json, django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pcc.settings", "DEBUG": "1"}
    env.update(
        DATABASE_URL="postgres://pcc@127.0.0.1:5432/pcc",
        DB_CONNECT_TIMEOUT="4",
        DB_STATEMENT_TIMEOUT_MS="2500",
    )
    env.pop("PCC_SERVING", None)
    env.pop("DB_ANSWER_TIMEOUT_MS", None)
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    options = json.loads(completed.stdout.strip().splitlines()[-1])
    assert options["connect_timeout"] == 4
    assert options["options"] == (
        "-c jit=off -c statement_timeout=2500 -c pg_trgm.word_similarity_threshold=0.3"
    )


def _settings_of(**env_vars: str) -> dict:
    script = (
        "import json, django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "print(json.dumps({'options': settings.DATABASES['default']['OPTIONS'],\n"
        "                  'engine': settings.DATABASES['default']['ENGINE'],\n"
        "                  'answer': settings.DB_ANSWER_TIMEOUT_MS}))\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PCC_SERVING", "DB_STATEMENT_TIMEOUT_MS", "DB_ANSWER_TIMEOUT_MS"}
    }
    env.update(DJANGO_SETTINGS_MODULE="pcc.settings", DEBUG="1", **env_vars)
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_serving_processes_limit_statements_and_answers_and_commands_do_not():
    url = "postgres://pcc@127.0.0.1:5432/pcc"
    serving = _settings_of(DATABASE_URL=url, PCC_SERVING="1")
    assert serving["options"]["options"] == (
        "-c jit=off -c statement_timeout=5000 -c pg_trgm.word_similarity_threshold=0.3"
    )
    assert serving["answer"] == 7000
    assert serving["engine"] == "pcc.postgresql"
    # migrate, imports, bench/synthetic.py: long statements are theirs to run.
    command = _settings_of(DATABASE_URL=url)
    assert command["options"]["options"] == (
        "-c jit=off -c statement_timeout=0 -c pg_trgm.word_similarity_threshold=0.3"
    )
    assert command["answer"] == 0


class FreezingProxy:
    """A TCP proxy to the real PostgreSQL that can stop forwarding: a server frozen (SIGSTOP)
    under connections already open, without freezing the machine's shared server."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.frozen = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            while self.frozen.is_set():
                time.sleep(0.05)  # held: the bytes never arrive, as from a frozen server
            try:
                sink.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        self.sock.close()
        for sock in self.sockets:
            sock.close()


def test_postgres_frozen_under_an_open_connection_ends_in_503_within_the_answer_timeout():
    if not _postgres_answers():
        pytest.xfail("no PostgreSQL answers on 127.0.0.1:5432")
    proxy = FreezingProxy(("127.0.0.1", 5432))
    script = (
        "import json, sys, time, django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "def timed(address):\n"
        "    started = time.monotonic()\n"
        "    response = client.get(address)\n"
        "    return {'status': response.status_code, 'seconds': time.monotonic() - started,\n"
        "            'body': response.content.decode()}\n"
        "print(json.dumps(timed('/healthz')), flush=True)\n"
        "sys.stdin.readline()\n"
        "print(json.dumps(timed('/healthz')), flush=True)\n"
        "print(json.dumps(timed('/healthz')), flush=True)\n"
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
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{proxy.port}/postgres",
        CONN_MAX_AGE="60",  # the connection stays open between requests, as in production
        REDIS_URL="",
        LOG_LEVEL="CRITICAL",
        PCC_SERVING="1",
        DB_CONNECT_TIMEOUT="2",
        DB_ANSWER_TIMEOUT_MS="2000",
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        before = json.loads(process.stdout.readline())
        assert before["status"] == 200, before
        proxy.frozen.set()
        process.stdin.write("go\n")
        process.stdin.flush()
        frozen = json.loads(process.stdout.readline())
        again = json.loads(process.stdout.readline())
        process.wait(timeout=30)
    finally:
        process.kill()
        proxy.frozen.clear()
        proxy.close()
    # The open connection stops answering: the wait ends at 2 s, then 503 naming the database.
    assert frozen["status"] == 503, frozen
    assert json.loads(frozen["body"])["database"] == "failed"
    assert frozen["seconds"] < 6, frozen["seconds"]
    # The next request does not reuse the broken connection; it connects anew (and the frozen
    # proxy holds the handshake): the connect timeout ends it.
    assert again["status"] == 503 and again["seconds"] < 6, again


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False
