from django.core.exceptions import ValidationError
from django.db import models

from .pyramid import CarGeneration, Series

SUPERCUP_SCALE = [25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]


def validate_points_scale(value) -> None:
    if not isinstance(value, list) or not all(
        isinstance(points, int) and not isinstance(points, bool) and points >= 0 for points in value
    ):
        raise ValidationError(
            "A points scale is a list of whole numbers of zero or more, 1st first."
        )


COUNTBACK_KINDS = ("race", "sprint")


def validate_countback_kinds(value) -> None:
    if not isinstance(value, list) or not all(kind in COUNTBACK_KINDS for kind in value):
        raise ValidationError(
            "A list of session kinds (race, sprint) whose places count as wins; empty for all."
        )


# The years a season may have: the database constraint below, the pages' and the API's year
# checks and the importers all read these two numbers.
FIRST_SEASON_YEAR, LAST_SEASON_YEAR = 1950, 2100


class Season(models.Model):
    """One series in one year: its car, classes and scoring rules."""

    # Not fields: set on the seasons a page loads (selectors.seasons: _seasons_with_state's
    # annotations, then mark_state). Reading one on a season loaded otherwise is an error.
    has_results: bool
    has_provisional: bool
    has_to_run: bool
    has_champion: bool
    state: str
    in_progress: bool
    finished: bool
    provisional: bool

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="seasons")
    year = models.PositiveSmallIntegerField()
    name = models.CharField(
        max_length=160, blank=True, help_text="The season's full title, sponsor included."
    )
    car_generation = models.ForeignKey(
        CarGeneration, null=True, blank=True, on_delete=models.SET_NULL, related_name="seasons"
    )
    car = models.CharField(max_length=120, blank=True, help_text="911 GT3 Cup (type 992) ...")
    results_partial = models.BooleanField(
        default=False,
        help_text="The results entered are known to be incomplete (only some drivers' rows).",
    )
    results_note = models.TextField(
        blank=True, help_text="Shown with the standings: what is missing and why."
    )
    description = models.TextField(blank=True, help_text="Shown to fans on the season page.")
    notes = models.TextField(
        blank=True, help_text="Editor's note on the season: private, never shown to fans."
    )
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["series__tier", "series__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="season_unique_series_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=FIRST_SEASON_YEAR)
                & models.Q(year__lte=LAST_SEASON_YEAR),
                name="season_year_plausible",
                violation_error_message=(
                    f"The year must be between {FIRST_SEASON_YEAR} and {LAST_SEASON_YEAR}."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}"

    @property
    def title(self) -> str:
        """Touches series (a query unless select_related)."""
        return self.name or f"{self.year} {self.series.name}"

    def get_absolute_url(self) -> str:
        from pcc.reversing import cached_reverse

        return cached_reverse("series:season-detail", args=[self.series.slug, self.year])


class SeasonClass(models.Model):
    """A class of a season (Pro, Pro-Am, Am, Rookie...), with its own drop rule if it differs."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    drop_worst = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Overrides the season's drop rule for this class."
    )
    undroppable_last = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["season", "order", "name"]
        verbose_name = "class"
        verbose_name_plural = "classes"
        constraints = [
            models.UniqueConstraint(fields=["season", "slug"], name="class_unique_slug_per_season"),
        ]

    def __str__(self) -> str:
        return self.name


class GuestRule(models.TextChoices):
    PASS_DOWN = "pass-down", "Points pass down to the next eligible finisher"
    SKIP = "skip", "Guests' points are not awarded"


class ClassScoring(models.TextChoices):
    CLASS_POSITION = "class-position", "By finishing position within the class"
    OVERALL_POSITION = "overall-position", "By overall finishing position"


class ScoringRules(models.Model):
    """How a season scores. The engine in series/standings.py reads these."""

    season = models.OneToOneField(Season, on_delete=models.CASCADE, related_name="scoring")
    race_points = models.JSONField(
        default=list, validators=[validate_points_scale], help_text="Points for 1st, 2nd, ..."
    )
    sprint_points = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_points_scale],
        help_text="Leave empty for the race scale.",
    )
    pole_points = models.PositiveSmallIntegerField(default=0)
    fastest_lap_points = models.PositiveSmallIntegerField(default=0)
    fastest_lap_top = models.PositiveSmallIntegerField(
        default=0, help_text="Fastest-lap bonus only for a finisher in the top N (0: any finisher)."
    )
    guests = models.CharField(max_length=12, choices=GuestRule.choices, default=GuestRule.PASS_DOWN)
    drop_worst = models.PositiveSmallIntegerField(
        default=0, help_text="How many of a driver's lowest results are dropped."
    )
    undroppable_last = models.PositiveSmallIntegerField(
        default=0, help_text="The last N rounds can't be dropped."
    )
    team_cars = models.PositiveSmallIntegerField(
        default=0, help_text="Best N cars of a team score in each session (0: all)."
    )
    class_scoring = models.CharField(
        max_length=20, choices=ClassScoring.choices, default=ClassScoring.CLASS_POSITION
    )
    countback_kinds = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_countback_kinds],
        help_text=(
            "Session kinds whose places count as wins and podiums and in the tie-break, e.g. "
            '["race"] (F1 since 2021: sprint places score but are not wins). Empty: every '
            "scoring kind."
        ),
    )
    notes = models.TextField(blank=True, help_text="The regulations' wording, and its source.")

    class Meta:
        verbose_name = "scoring rules"
        verbose_name_plural = "scoring rules"

    def __str__(self) -> str:
        return f"Scoring of {self.season_id}"


class PublishedStanding(models.Model):
    """A row of a season's final table as the organiser published it (the official figure, which
    beats a table computed from the results on record, partial results above all)."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="published_standings")
    class_name = models.CharField(
        max_length=80, default="overall", help_text="overall, or the class as published."
    )
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    driver = models.ForeignKey(
        "series.Driver",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_standings",
    )
    driver_name = models.CharField(max_length=120, help_text="As the source prints it.")
    points = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, help_text="Blank: not read."
    )
    source = models.TextField(blank=True, help_text="Where the published table was read.")

    class Meta:
        ordering = ["season", "class_name", models.F("position").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "class_name", "driver_name"],
                name="published_standing_unique_driver",
            ),
        ]

    def __str__(self) -> str:
        points = "points not read" if self.points is None else f"{self.points} points"
        return f"{self.season_id} {self.class_name}: {self.position}. {self.driver_name}, {points}"
