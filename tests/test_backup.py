"""manage.py backup and restore, on whichever database the suite runs (SQLite or PostgreSQL)."""

import datetime as dt
import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import connection

from series.models import Champion, Driver, MediaKind, MediaLink, Result, SiteVersion
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

SUFFIX = {"postgresql": "dump", "sqlite": "sqlite3"}


def row_counts() -> dict[str, int]:
    """Every table's row count, Django's own tables included."""
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def make_record() -> None:
    """The shipped facts when their loader exists, and a season with results on top of them (the
    shipped facts have no results of their own to lose)."""
    if "load_pyramid" in get_commands():
        call_command("load_pyramid", verbosity=0)
    season = factories.make_season(year=2023)
    pro = factories.make_class(season, "Pro")
    round_ = factories.make_round(season, 1)
    session = factories.make_session(round_)
    team = factories.make_team()
    for position in range(1, 6):
        entry = factories.make_entry(season, car_number=position + 10, season_class=pro, team=team)
        factories.make_result(session, entry, position, gap=f"+{position}.000")
    Champion.objects.create(series=season.series, year=2023, driver_name="Some Champion")
    MediaLink.objects.create(
        series=season.series, kind=MediaKind.ARCHIVE, provider="YouTube", url="https://example.com"
    )


def test_restore_brings_back_every_row_after_deletions(tmp_path: Path):
    make_record()
    before = row_counts()
    gaps_before = sorted(Result.objects.values_list("gap", flat=True))
    backup = tmp_path / f"pcc.{SUFFIX[connection.vendor]}"

    call_command("backup", output=str(backup), verbosity=0)
    assert backup.is_file() and backup.stat().st_size > 0

    Result.objects.filter(position__gte=3).delete()
    Champion.objects.all().delete()
    factories.make_driver("Added After The Backup")
    assert row_counts() != before

    cache.set("v7:page:/", "a page computed from rows the restore took away")
    call_command("restore", str(backup), verbosity=0)

    assert row_counts() == before
    assert cache.get("v7:page:/") is None
    assert sorted(Result.objects.values_list("gap", flat=True)) == gaps_before
    assert not Driver.objects.filter(name="Added After The Backup").exists()
    # The connection still works for the site after the tables under it were replaced.
    assert SiteVersion.objects.get(pk=1).version > 0


def test_backup_without_output_writes_a_timestamped_file_under_var_backups(settings):
    factories.make_driver("Backed Up")
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    out = _capture(lambda stdout: call_command("backup", stdout=stdout))
    written = Path(out.split("Backed up to ", 1)[1].split(" (", 1)[0])
    try:
        assert written.parent == Path(settings.BASE_DIR) / "var" / "backups"
        assert written.suffix == "." + SUFFIX[connection.vendor]
        stamp = dt.datetime.strptime(written.stem.removeprefix("pcc-"), "%Y%m%dT%H%M%SZ")
        assert stamp.replace(tzinfo=dt.UTC) >= started
        assert not list(written.parent.glob("*.partial"))
    finally:
        written.unlink(missing_ok=True)


def test_backup_refuses_an_output_folder_that_does_not_exist(tmp_path: Path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", output=str(tmp_path / "nowhere" / "pcc.bak"))


def test_restore_refuses_a_missing_file(tmp_path: Path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.sqlite3"))


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path: Path):
    factories.make_driver("Still Here")
    before = row_counts()
    junk = tmp_path / "notes.txt"
    junk.write_text("DROP TABLE series_driver;\n")
    with pytest.raises(CommandError, match="neither a PostgreSQL custom-format dump nor a SQLite"):
        call_command("restore", str(junk))
    assert row_counts() == before


def test_restore_refuses_a_backup_of_the_other_kind_of_database(tmp_path: Path):
    factories.make_driver("Still Here")
    before = row_counts()
    other = tmp_path / "other"
    if connection.vendor == "postgresql":
        other.write_bytes(b"SQLite format 3\x00" + bytes(100))
        expected = "is a sqlite backup but the configured database is postgresql"
    else:
        other.write_bytes(b"PGDMP" + bytes(100))
        expected = "is a postgresql backup but the configured database is sqlite"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other))
    assert row_counts() == before


def test_restore_refuses_a_sqlite_file_that_is_not_a_pcc_database(tmp_path: Path):
    factories.make_driver("Still Here")
    before = row_counts()
    stranger = tmp_path / "stranger.sqlite3"
    with sqlite3.connect(stranger) as other:
        other.execute("CREATE TABLE recipes (name TEXT)")
    other.close()
    expected = (
        "is a SQLite database but not a pcc backup"
        if connection.vendor == "sqlite"
        else "is a sqlite backup but the configured database is postgresql"
    )
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(stranger))
    assert row_counts() == before


def _capture(run) -> str:
    stdout = StringIO()
    run(stdout)
    return stdout.getvalue()
