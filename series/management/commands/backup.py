"""Back the database up to one file: pg_dump's custom format on PostgreSQL, a SQLite copy on SQLite.

Both are consistent snapshots taken while the site keeps running: pg_dump reads in one
transaction, and SQLite's online backup API copies the pages under a read lock, restarting if a
writer changes them midway.
"""

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

BACKUP_DIR = Path(settings.BASE_DIR) / "var" / "backups"
BACKUP_MODE = 0o600


def postgres_environment(settings_dict: dict) -> dict[str, str]:
    """The libpq variables for the configured database: the password never goes on a command line,
    where any user of the machine could read it in the process list."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    sslmode = settings_dict.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def require_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


class Command(BaseCommand):
    help = "Back the database up to a file (default var/backups/pcc-<UTC time>.dump or .sqlite3)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write; its folder must exist.")

    def handle(self, *args, output: str | None = None, **options) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        vendor = connection.vendor
        if vendor not in ("postgresql", "sqlite"):
            raise CommandError(f"Backups of a {vendor} database are not supported.")
        suffix = "dump" if vendor == "postgresql" else "sqlite3"
        if output:
            target = Path(output)
            if not target.parent.is_dir():
                raise CommandError(f"The folder {target.parent} does not exist.")
        else:
            BACKUP_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            target = BACKUP_DIR / f"pcc-{stamp}.{suffix}"

        # Written beside the target and renamed at the end, so an interrupted backup never leaves
        # a truncated file under the name of a good one.
        partial = target.with_name(target.name + ".partial")
        try:
            # A backup holds password hashes and sessions: only its owner may read it (0600). The
            # file is created with that mode before anything is written into it, so no other user
            # can open it meanwhile, whatever the umask; pg_dump and SQLite write into it as it is.
            partial.unlink(missing_ok=True)
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_MODE))
            os.chmod(partial, BACKUP_MODE)
            if vendor == "postgresql":
                self._dump_postgres(connection.settings_dict, partial)
            else:
                self._copy_sqlite(connection.settings_dict, partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        size = target.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backed up to {target} ({size:,} bytes)."))

    def _dump_postgres(self, settings_dict: dict, target: Path) -> None:
        command = [
            require_program("pg_dump"),
            "--format=custom",
            "--no-password",
            f"--file={target}",
            "--dbname",
            settings_dict["NAME"],
        ]
        completed = subprocess.run(
            command, env=postgres_environment(settings_dict), capture_output=True, text=True
        )
        if completed.returncode != 0:
            raise CommandError(f"pg_dump failed: {completed.stderr.strip()}")

    def _copy_sqlite(self, settings_dict: dict, target: Path) -> None:
        name = str(settings_dict["NAME"])
        source = sqlite3.connect(name, uri=name.startswith("file:"))
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
