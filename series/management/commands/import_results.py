"""python manage.py import_results SERIES YEAR FILE [--dry-run] [--create-missing] [--final]
[--create NAME ...] [--use NAME=EXISTING-SLUG ...]
[--reason "Stewards' decision 12: car 7 +5 s"] [--source "Decision 12, https://..."]

FILE is the results CSV or a classification saved from a timing sheet or a spreadsheet
(tab-separated or column-aligned, with its header line). Changing a final session needs --reason."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from series.imports.api import import_results
from series.imports.names import CREATE
from series.imports.report import ImportFailed
from series.models import RevisionKind, Season
from series.revisions import ReasonRequired, change_context


def add_name_choices(parser) -> None:
    parser.add_argument(
        "--create-missing",
        action="store_true",
        help="Create drivers and teams the database does not know yet (a name close to a known "
        "one still needs --create or --use).",
    )
    parser.add_argument(
        "--create",
        action="append",
        default=[],
        metavar="NAME",
        help="Create this driver or team even though its name is close to a known one.",
    )
    parser.add_argument(
        "--use",
        action="append",
        default=[],
        metavar="NAME=SLUG",
        help="Read this name as the existing driver or team with this slug.",
    )


def name_choices(options: dict) -> dict[str, str]:
    choices = {}
    for name in options["create"]:
        choices[f"driver:{name}"] = choices[f"team:{name}"] = CREATE
    for pair in options["use"]:
        name, sep, slug = pair.partition("=")
        if not sep or not name.strip() or not slug.strip():
            raise CommandError(f"--use {pair!r}: write it as NAME=EXISTING-SLUG")
        choices[f"driver:{name.strip()}"] = choices[f"team:{name.strip()}"] = slug.strip()
    return choices


class Command(BaseCommand):
    help = "Replace the results of the sessions a file names (see the README)."

    def add_arguments(self, parser):
        parser.add_argument("series", help="The series' slug, e.g. supercup.")
        parser.add_argument("year", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        add_name_choices(parser)
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
                    choices=name_choices(options),
                )
        except ImportFailed as exc:
            raise CommandError(f"{file}: nothing imported.\n{exc}") from exc
        except ReasonRequired as exc:
            raise CommandError(f"{file}: nothing imported. {exc} Give it with --reason.") from exc
        self.stdout.write(report.summary())
