from django.db import models


class Tier(models.IntegerChoices):
    SUPERCUP = 1, "Supercup"
    CARRERA_CUP = 2, "National Carrera Cup"
    SPRINT_CHALLENGE = 3, "Sprint Challenge / GT3 Cup Challenge / Trophy"


def series_display_name(name: str, short_name: str) -> str:
    """How listings name a series: its short name where it has one ("CC Germany")."""
    return short_name or name


class Series(models.Model):
    """A championship of the pyramid (Supercup, Carrera Cup Germany, Sprint Challenge Suisse...)."""

    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(
        max_length=60, blank=True, help_text="Shown where space is short."
    )
    slug = models.SlugField(max_length=60, unique=True, help_text="Stable: outside links use it.")
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    country = models.CharField(
        max_length=80, blank=True, help_text="Country, or a region for international series."
    )
    region = models.CharField(max_length=80, blank=True, help_text="Europe, Asia, Americas, ...")
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Blank while the series still runs."
    )
    organiser = models.CharField(max_length=120, blank=True)
    sanctioning_body = models.CharField(max_length=120, blank=True)
    website = models.URLField(blank=True)
    feeds_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feeders",
        help_text="The series next up the pyramid.",
    )
    description = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text="Where the facts about this series come from.")

    class Meta:
        ordering = ["tier", "name"]
        verbose_name_plural = "series"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__isnull=True)
                | models.Q(first_year__isnull=True)
                | models.Q(last_year__gte=models.F("first_year")),
                name="series_last_year_after_first",
                violation_error_message="The last year cannot be before the first year.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return series_display_name(self.name, self.short_name)

    def get_absolute_url(self) -> str:
        from pcc.reversing import cached_reverse

        return cached_reverse("series:series-detail", args=[self.slug])


class CarGeneration(models.Model):
    """A generation of the Cup car (964 Cup ... 992.2 911 Cup)."""

    generation = models.CharField(max_length=40, unique=True, help_text="964, 993, 991 (991.2)...")
    slug = models.SlugField(max_length=40, unique=True)
    model_name = models.CharField(max_length=160)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    first_raced = models.CharField(max_length=200, blank=True)
    period = models.CharField(max_length=200, blank=True)
    engine_output = models.CharField(max_length=200, blank=True)
    units_built = models.CharField(max_length=80, blank=True)
    notes = models.TextField(blank=True)
    source = models.TextField(blank=True)
    conflicts = models.TextField(blank=True, help_text="Where sources disagree, said plainly.")

    class Meta:
        ordering = ["first_year", "generation"]

    def __str__(self) -> str:
        return f"{self.generation} — {self.model_name}"
