"""python manage.py import_results SERIES YEAR FILE.csv [--dry-run] [--create-missing] [--final]
[--reason "Stewards' decision 12: car 7 +5 s"] [--source "Decision 12, https://..."]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from series.importers import ImportFailed, import_results
from series.models import RevisionKind, Season
from series.revisions import ReasonRequired, change_context


class Command(BaseCommand):
    help = "Replace the results of the sessions a CSV file names (see the README)."

    def add_arguments(self, parser):
        parser.add_argument("series", help="The series' slug, e.g. supercup.")
        parser.add_argument("year", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create drivers and teams the database does not know yet.",
        )
        parser.add_argument(
            "--final", action="store_true", help="Mark the imported sessions final."
        )
        parser.add_argument(
            "--reason",
            default="",
            help="Why the results change (required to change a final session), e.g. "
            '"Stewards\' decision 12: car 7 +5 s".',
        )
        parser.add_argument(
            "--source", default="", help="The stewards' decision number and/or its address."
        )

    def handle(self, *args, series: str, year: int, file: Path, **options):
        season = Season.objects.filter(series__slug=series, year=year).first()
        if season is None:
            raise CommandError(f"No season {series} {year}: import the season first.")
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        try:
            with change_context(
                kind=RevisionKind.IMPORT, reason=options["reason"], source=options["source"]
            ):
                report = import_results(
                    season,
                    text,
                    dry_run=options["dry_run"],
                    create_missing=options["create_missing"],
                    mark_final=options["final"],
                )
        except ImportFailed as exc:
            raise CommandError(f"{file}: nothing imported.\n{exc}") from exc
        except ReasonRequired as exc:
            raise CommandError(f"{file}: nothing imported. {exc} Give it with --reason.") from exc
        self.stdout.write(report.summary())
