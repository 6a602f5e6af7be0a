"""python manage.py import_season FILE.toml [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from series.imports.api import import_season
from series.imports.report import ImportFailed


class Command(BaseCommand):
    help = "Create or update a season (rules, classes, rounds, sessions) from a TOML file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The season's TOML file (see the README).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        try:
            season, report = import_season(text, dry_run=dry_run)
        except ImportFailed as exc:
            raise CommandError(f"{file}: nothing imported.\n{exc}") from exc
        if season is not None:
            self.stdout.write(f"{season}")
        self.stdout.write(report.summary())
