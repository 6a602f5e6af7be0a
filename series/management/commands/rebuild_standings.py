"""python manage.py rebuild_standings [--series SLUG --year YEAR] [--stale]

Computes and stores the standings tables (drivers and teams, overall and per class, after every
round) of every season, or of one, from the record (series/standings_store.py). Saves recompute
their season by themselves after commit; this is for a new deployment, a restored backup, or
rows written by hand."""

from django.core.management.base import BaseCommand, CommandError

from series.models import Season
from series.standings_store import rebuild


class Command(BaseCommand):
    help = "Compute and store the standings tables of every season (or one)."

    def add_arguments(self, parser):
        parser.add_argument("--series", help="The series' slug (with --year: one season).")
        parser.add_argument("--year", type=int, help="The season's year (with --series).")
        parser.add_argument(
            "--stale", action="store_true", help="Only seasons without current rows."
        )

    def handle(self, *args, series=None, year=None, stale=False, **options):
        if (series is None) != (year is None):
            raise CommandError("Give both --series and --year for one season, or neither.")
        season_ids = None
        if series is not None:
            season = Season.objects.filter(series__slug=series, year=year).first()
            if season is None:
                raise CommandError(f"No season {series} {year}.")
            season_ids = [season.pk]
        stored = rebuild(season_ids, stale_only=stale)
        self.stdout.write(f"Stored the standings of {stored} season(s).")
