import unicodedata
from typing import Any

from django.db import models

from .season import Season, SeasonClass

# Letters NFKD does not take apart: without these, "Sørensen" would never match "sorensen".
_FOLD = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)


def fold_letters(text: str) -> str:
    """Lower case, accents and marks removed ("Müller" and "muller" both become "muller"; ß
    becomes ss, ø o): the one rule by which two spellings of a name are the same letters, for the
    search (search_text) and for an import finding a name (imports.names.fold). Scripts other
    than Latin keep their letters (笹原右京 stays as written)."""
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_FOLD)
    return "".join(char for char in text if not unicodedata.combining(char))


def search_text(*texts: str) -> str:
    """The form names are searched in: their letters folded (fold_letters), spaces folded. Names
    are joined with " | ", which no query matches across."""
    folded = []
    for text in texts:
        text = " ".join(fold_letters(text).replace("|", " ").split())
        if text:
            folded.append(text)
    return " | ".join(folded)


class Driver(models.Model):
    name = models.CharField(max_length=120, help_text="As published: Larry ten Voorde.")
    sort_name = models.CharField(
        max_length=120, blank=True, help_text="Family name first, for sorting: Voorde, Larry ten."
    )
    name_original = models.CharField(
        max_length=120,
        blank=True,
        help_text="The name in its own script where it is not Latin (笹原右京); shown beside name.",
    )
    slug = models.SlugField(max_length=120, unique=True)
    nationality = models.CharField(
        max_length=40, blank=True, help_text="As the classification prints it: NED, GER, USA..."
    )
    notes = models.TextField(blank=True, help_text="Editor's private note: never shown to fans.")
    search_name = models.CharField(
        max_length=400,
        blank=True,
        editable=False,
        help_text="name, name in its own script and sort name, folded for search (kept by save).",
    )

    class Meta:
        ordering = ["sort_name", "name"]
        # The drivers directory's order: its letter index and its pages read the listing in it,
        # which without an index sorts every driver (about 20 ms of the page at 10,000 drivers).
        indexes = [models.Index(fields=["sort_name", "name", "id"], name="driver_directory_order")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.sort_name:
            parts = self.name.rsplit(" ", 1)
            self.sort_name = f"{parts[-1]}, {parts[0]}" if len(parts) == 2 else self.name
        self.search_name = search_text(self.name, self.name_original, self.sort_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from pcc.reversing import cached_reverse

        return cached_reverse("series:driver-detail", args=[self.slug])


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    country = models.CharField(max_length=80, blank=True)
    notes = models.TextField(blank=True, help_text="Editor's private note: never shown to fans.")
    search_name = models.CharField(
        max_length=1000,
        blank=True,
        editable=False,
        help_text="name and aliases, folded for search (kept by save and by the aliases' save).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def folded_names(self) -> str:
        """The name and every alias, folded. Touches aliases (a query) once the team is saved."""
        aliases = list(self.aliases.values_list("name", flat=True)) if self.pk else []
        return search_text(self.name, *aliases)[:1000]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = self.folded_names()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def refresh_search_name(self) -> None:
        """After an alias is added, renamed or removed (one query to read them, one to write)."""
        Team.objects.filter(pk=self.pk).update(search_name=self.folded_names())

    def get_absolute_url(self) -> str:
        from pcc.reversing import cached_reverse

        return cached_reverse("series:team-detail", args=[self.slug])


class TeamAlias(models.Model):
    """Another name a team raced or was recorded under (GP Elite for Team GP Elite)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "team aliases"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.team.refresh_search_name()

    def delete(self, *args, **kwargs):
        team = self.team
        result = super().delete(*args, **kwargs)
        team.refresh_search_name()
        return result


class Entry(models.Model):
    """A driver's seat in a season. One per driver and season, so a driver who changes team
    mid-season keeps one line in the standings; the team of each race is on the result."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="entries")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="entries")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    car_number = models.PositiveSmallIntegerField(null=True, blank=True)
    season_class = models.ForeignKey(
        SeasonClass,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name="class",
    )
    guest = models.BooleanField(default=False, help_text="Not eligible for points.")
    results_complete = models.BooleanField(
        default=True,
        help_text=(
            "Every result of this driver is on record. Untick in a season with partial results "
            "when only some of the driver's rounds were read: a race without a result is then "
            "shown as unknown, not as a race the driver missed."
        ),
    )
    rookie = models.BooleanField(default=False)
    from_round = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The first round this car number is this driver's; blank: from the start.",
    )
    to_round = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The last round this car number is this driver's; blank: to the end "
        "(car 7 changes driver from round 5: the first entry ends at round 4).",
    )
    notes = models.TextField(blank=True)

    class Meta:
        # A car's earlier seat (no from_round) before its later one, on every database.
        ordering = [
            "season",
            "car_number",
            models.F("from_round").asc(nulls_first=True),
            "driver__sort_name",
        ]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(
                fields=["season", "driver"], name="entry_unique_driver_per_season"
            ),
            models.CheckConstraint(
                condition=models.Q(from_round__isnull=True)
                | models.Q(to_round__isnull=True)
                | models.Q(from_round__lte=models.F("to_round")),
                name="entry_rounds_in_order",
                violation_error_message="An entry's first round comes before its last.",
            ),
        ]

    def runs_in_round(self, number: int) -> bool:
        """This entry's car number is this driver's in round `number`."""
        return (self.from_round is None or self.from_round <= number) and (
            self.to_round is None or number <= self.to_round
        )

    @property
    def rounds_label(self) -> str:
        if self.from_round is None and self.to_round is None:
            return ""
        if self.to_round is None:
            return f"from round {self.from_round}"
        if self.from_round is None:
            return f"to round {self.to_round}"
        return f"rounds {self.from_round}–{self.to_round}"

    def __str__(self) -> str:
        number = f"#{self.car_number} " if self.car_number is not None else ""
        return f"{number}{self.driver_id and self.driver.name} ({self.season_id and self.season})"
