"""Restore a backup made by `manage.py backup`, replacing everything in the configured database."""

import sqlite3
import subprocess
from pathlib import Path

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from .backup import postgres_environment, require_program

# The first bytes of each kind of backup file.
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


def file_kind(path: Path) -> str | None:
    with path.open("rb") as backup:
        head = backup.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return None


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .dump (PostgreSQL) or .sqlite3 (SQLite) backup.")

    def handle(self, *args, file: str, **options) -> None:
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        connection = connections[DEFAULT_DB_ALIAS]
        vendor = connection.vendor
        kind = file_kind(source)
        if kind is None:
            raise CommandError(
                f"{source} is neither a PostgreSQL custom-format dump nor a SQLite database: "
                "restore takes a file written by `manage.py backup`."
            )
        if kind != vendor:
            raise CommandError(
                f"{source} is a {kind} backup but the configured database is {vendor}: "
                "restore it into a database of the same kind."
            )
        # Our own connection must not hold the tables open while they are replaced.
        connection.close()
        if vendor == "postgresql":
            self._restore_postgres(connection.settings_dict, source)
        else:
            self._restore_sqlite(connection.settings_dict, source)
        # Cached pages are keyed by the site version, which the restore has moved back: entries
        # computed after the backup under the same numbers would otherwise be served as current.
        cache.clear()
        self.stdout.write(self.style.SUCCESS(f"Restored {source} into the {vendor} database."))

    def _restore_postgres(self, settings_dict: dict, source: Path) -> None:
        command = [
            require_program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-password",
            # All or nothing: a failure midway leaves the database as it was, not half-restored.
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            settings_dict["NAME"],
            str(source),
        ]
        completed = subprocess.run(
            command, env=postgres_environment(settings_dict), capture_output=True, text=True
        )
        if completed.returncode != 0:
            raise CommandError(f"pg_restore failed: {completed.stderr.strip()}")

    def _restore_sqlite(self, settings_dict: dict, source: Path) -> None:
        name = str(settings_dict["NAME"])
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            # A SQLite file that is not a pcc database (no migrations table) is refused before
            # anything is overwritten.
            try:
                has_migrations = backup.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                    "AND name = 'django_migrations'"
                ).fetchone()
            except sqlite3.DatabaseError as error:
                raise CommandError(f"{source} is not a readable SQLite database: {error}") from None
            if not has_migrations:
                raise CommandError(f"{source} is a SQLite database but not a pcc backup.")
            database = sqlite3.connect(name, uri=name.startswith("file:"), timeout=20)
            try:
                # The backup API copies page by page under the database's write lock: processes
                # still connected see the old contents or the new, never a mix.
                backup.backup(database)
            finally:
                database.close()
        finally:
            backup.close()
