"""Stored standings: every table of a season (drivers and teams, overall and per class, after every
round), computed by the points engine once per change of the season and stored as rows, so pages,
the API, careers, the champion check and the home page read rows instead of recomputing
(series/standings_store.py writes them; jolpica-f1 stores its standings the same way)."""

from django.db import models

from .season import Season


class StandingsSnapshot(models.Model):
    """What a season's stored rows were computed from: one per season that has stored rows."""

    season = models.OneToOneField(
        Season, on_delete=models.CASCADE, related_name="standings_snapshot"
    )
    version = models.PositiveBigIntegerField(
        help_text="The site version when the rows were computed: a season stamped later "
        "(series/versions.py) has stale rows, which the next reader recomputes."
    )
    classes = models.JSONField(default=list, help_text="[[slug, name], ...] in the season's order.")
    all_rounds = models.JSONField(default=list, help_text="Every round number of the season.")
    raced_rounds = models.JSONField(default=list, help_text="Rounds with a result on record.")
    complete = models.BooleanField(
        help_text="Every scoring session is final and has results (the table is final)."
    )
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["season"]
        verbose_name = "standings snapshot"

    def __str__(self) -> str:
        return f"standings of season {self.season_id} (version {self.version})"


class StoredStanding(models.Model):
    """One row of one table of a season, as the engine computed it."""

    class Table(models.TextChoices):
        DRIVERS = "drivers", "Drivers"
        TEAMS = "teams", "Teams"

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="stored_standings")
    table = models.CharField(max_length=8, choices=Table.choices)
    class_slug = models.CharField(
        max_length=60, blank=True, help_text="The class of the table; blank: the overall table."
    )
    after_round = models.PositiveSmallIntegerField(
        help_text="The table after this round number; 0: the final table (every round)."
    )
    order = models.PositiveSmallIntegerField(help_text="The row's place in the table (from 0).")
    key = models.CharField(max_length=200, help_text="The driver's or team's slug.")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Blank: not ranked (guest, excluded, incomplete)."
    )
    points = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Blank: unknown (no round's points are known), never 0.",
    )
    wins = models.PositiveSmallIntegerField()
    podiums = models.PositiveSmallIntegerField()
    complete = models.BooleanField(help_text="False: some round is unknown for this row.")
    eligible = models.BooleanField()
    excluded = models.BooleanField(default=False)
    gap = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    detail = models.JSONField(
        help_text="Exact values and the per-round cells: points as text, rounds (points None = "
        "unknown, dropped, positions, statuses, place points), adjustments, class, nationality."
    )

    class Meta:
        ordering = ["season", "table", "class_slug", "after_round", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "table", "class_slug", "after_round", "key"],
                name="stored_standing_one_row_per_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["season", "table", "class_slug", "after_round", "order"],
                name="stored_standing_table",
            ),
            # A career page: one driver's or team's final rows across seasons.
            models.Index(fields=["key", "table", "after_round"], name="stored_standing_career"),
        ]

    def __str__(self) -> str:
        place = self.position or "–"
        return f"{place}. {self.name} ({self.table}, after {self.after_round or 'all'})"
