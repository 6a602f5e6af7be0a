from typing import Self

from django.core.exceptions import ValidationError
from django.db import models

from .people import Driver, Team
from .pyramid import Series


class TitleKind(models.TextChoices):
    TITLE = "title", "Title"
    NOT_HELD = "not-held", "Not held"
    CANCELLED = "cancelled", "Season cancelled"
    NO_CHAMPION = "no-champion", "No champion crowned"


class ChampionQuerySet(models.QuerySet["Champion"]):
    def titles(self) -> Self:
        """Rows that are titles: a year not held or cancelled is on record but is not a title."""
        return self.filter(kind=TitleKind.TITLE)


def is_overall_class(class_name: str) -> bool:
    return class_name.lower().startswith("overall")


def is_top_class(class_name: str) -> bool:
    """The series' main title: overall, or Pro where the series crowns no separate overall
    champion (Carrera Cup North America, GB)."""
    return is_overall_class(class_name) or class_name == "Pro"


class Champion(models.Model):
    """A title on record, kept by editors for history with or without results in the database.

    A year in which no title was awarded (not held, cancelled, no champion crowned) is a row too,
    with `kind` saying why, so the history shows it instead of a silent gap; it is never counted
    as a title."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="champions")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(
        max_length=12,
        choices=TitleKind.choices,
        default=TitleKind.TITLE,
        help_text="A title, or why the year has none (not held, cancelled, no champion crowned).",
    )
    class_name = models.CharField(
        max_length=80,
        default="overall",
        help_text="One spelling per class: overall, Pro, Pro-Am, Am, Rookie, Teams...",
    )
    class_printed = models.CharField(
        max_length=120,
        blank=True,
        help_text="The class as the source prints it, where it differs (ProAm, overall (Pro)).",
    )
    driver = models.ForeignKey(
        Driver, null=True, blank=True, on_delete=models.SET_NULL, related_name="titles"
    )
    driver_name = models.CharField(max_length=120, help_text="As the source prints it.")
    nationality = models.CharField(max_length=40, blank=True)
    team = models.CharField(max_length=160, blank=True, help_text="The team as printed.")
    team_record = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="champion_drivers",
        verbose_name="team (record)",
        help_text="The team the printed name stands for (matched by name or alias).",
    )
    teams_champion = models.CharField(
        max_length=160, blank=True, help_text="The teams' champion as printed."
    )
    teams_champion_record = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_titles",
        verbose_name="teams' champion (record)",
    )
    points = models.DecimalField(
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="The champion's points as published (blank: not on record).",
    )
    qualifier = models.CharField(
        max_length=40,
        blank=True,
        help_text="Shown to fans beside the title: inferred, sources conflict, low confidence.",
    )
    source = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="Editor's note: conflicts between sources etc.")

    objects = ChampionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "series__tier", "series__name", "class_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "class_name", "driver_name"],
                name="champion_unique_title_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.driver_name}: {self.series} {self.year} ({self.class_name})"

    def clean(self) -> None:
        """The champion's points are the published table's where it lists them (one figure on
        every page): a different figure is refused, naming the published one."""
        super().clean()
        from ..selectors.champion_check import published_points_conflict

        conflict = published_points_conflict(self)
        if conflict:
            raise ValidationError({"points": conflict})

    @property
    def is_overall(self) -> bool:
        return is_overall_class(self.class_name)

    @property
    def is_top_class(self) -> bool:
        return is_top_class(self.class_name)

    @property
    def is_title(self) -> bool:
        return self.kind == TitleKind.TITLE
