"""Settings come from the environment and refuse bad values at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pcc.settings import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("PCC_FLAG", raw)
    assert env_bool("PCC_FLAG") is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("PCC_FLAG", "yes please")
    with pytest.raises(ImproperlyConfigured, match="PCC_FLAG"):
        env_bool("PCC_FLAG")


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("PCC_NUMBER", "sixty")
    with pytest.raises(ImproperlyConfigured, match="PCC_NUMBER"):
        env_int("PCC_NUMBER", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("PCC_HOSTS", "a.example, b.example,,")
    assert env_list("PCC_HOSTS", []) == ["a.example", "b.example"]


def _settings_in_subprocess(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "pcc.settings"
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'], settings.DEBUG)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = _settings_in_subprocess(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_a_clone_runs_on_sqlite_with_debug_on():
    result = _settings_in_subprocess(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["pcc.sqlite3", "True"]


def test_a_typo_in_debug_stops_start_up():
    result = _settings_in_subprocess(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_sqlite_rewrites_a_statement_once_and_runs_it_as_written(db):
    """pcc/sqlite3: the placeholder rewrite is remembered per statement, and a literal % in a
    statement (LIKE patterns) still reaches SQLite as one %."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's backend only")
    from pcc.sqlite3.base import _qmark

    with connection.cursor() as cursor:
        cursor.execute("SELECT %s || 'a%%b', 'x' LIKE %s", ["p", "%"])
        assert cursor.fetchone() == ("pa%b", 1)
        hits = _qmark.cache_info().hits
        cursor.execute("SELECT %s || 'a%%b', 'x' LIKE %s", ["q", "y%"])
        assert cursor.fetchone() == ("qa%b", 0)
    assert _qmark.cache_info().hits == hits + 1
