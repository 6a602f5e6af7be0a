"""python manage.py load_pyramid [--data-dir DIR]

Loads the facts the site ships with (series/data/, described in its README.md) in one transaction:
car generations, series, circuits, events, champions (and their drivers), seasons through
import_season (each season file may define more circuits and events), extra sessions, results
through import_results, names in their own script, the published tables' rows (which entries'
results are complete), media links. Idempotent: rows are
matched on their slug or natural key and saved only when a value differs, so a second run changes
nothing. A bad row stops the load, naming the file and line, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from series.imports.facts import PyramidLoader
from series.imports.facts_reader import DataError
from series.standings_store import rebuild as rebuild_standings

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Load the shipped facts (series/data/) into the database; safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="Folder of the data files (default: series/data/).",
        )

    def handle(self, *args: Any, data_dir: Path, **options: Any) -> None:
        if not data_dir.is_dir():
            raise CommandError(f"{data_dir} is not a folder")
        loader = PyramidLoader(data_dir)
        try:
            with transaction.atomic():
                loader.load()
        except DataError as exc:
            raise CommandError(f"Nothing loaded. {exc}") from exc
        # The seasons saved above were computed after the commit; this stores any other season
        # without current rows (a first load on a database from before stored standings).
        rebuild_standings(stale_only=True)
        for counts in loader.counts:
            self.stdout.write(str(counts))
        self.stdout.write("Done." if loader.changed else "Done: nothing changed.")
