"""python manage.py import_entries SERIES YEAR FILE [--dry-run] [--create-missing]
[--create NAME ...] [--use NAME=EXISTING-SLUG ...]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from series.imports.entries import import_entries
from series.imports.report import ImportFailed
from series.management.commands.import_results import add_name_choices, name_choices
from series.models import Season


class Command(BaseCommand):
    help = "Load a season's entry list (number, driver, team, class, guest, rookie, ...)."

    def add_arguments(self, parser):
        parser.add_argument("series", help="The series' slug, e.g. supercup.")
        parser.add_argument("year", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        add_name_choices(parser)

    def handle(self, *args, series: str, year: int, file: Path, **options):
        season = Season.objects.filter(series__slug=series, year=year).first()
        if season is None:
            raise CommandError(f"No season {series} {year}: import the season first.")
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        try:
            report = import_entries(
                season,
                text,
                dry_run=options["dry_run"],
                create_missing=options["create_missing"],
                choices=name_choices(options),
            )
        except ImportFailed as exc:
            raise CommandError(f"{file}: nothing imported.\n{exc}") from exc
        self.stdout.write(report.summary())
