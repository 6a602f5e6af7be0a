from django.db import models

from .people import Driver
from .pyramid import Series


class Champion(models.Model):
    """A title on record, kept by editors for history with or without results in the database."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="champions")
    year = models.PositiveSmallIntegerField()
    class_name = models.CharField(
        max_length=80, default="overall", help_text="overall, Pro, Pro-Am, Am, Rookie..."
    )
    driver = models.ForeignKey(
        Driver, null=True, blank=True, on_delete=models.SET_NULL, related_name="titles"
    )
    driver_name = models.CharField(max_length=120, help_text="As the source prints it.")
    nationality = models.CharField(max_length=40, blank=True)
    team = models.CharField(max_length=160, blank=True)
    teams_champion = models.CharField(max_length=160, blank=True)
    source = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="Editor's note: conflicts between sources etc.")

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

    @property
    def is_overall(self) -> bool:
        return self.class_name.lower().startswith("overall")
