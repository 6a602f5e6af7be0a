from django.db import models

from .calendar import Session
from .pyramid import Series
from .season import Season
from .venue import Event


class MediaKind(models.TextChoices):
    LIVE = "live", "Live stream"
    REPLAY = "replay", "Replay"
    RADIO = "radio", "Radio"
    HIGHLIGHTS = "highlights", "Highlights"
    ARCHIVE = "archive", "Archive"
    OFFICIAL = "official", "Official site"
    COVERAGE = "coverage", "TV coverage"
    GUIDE = "guide", "Where-to-watch guide"


class MediaLink(models.Model):
    """Where a series, season, event or session can be watched or heard."""

    kind = models.CharField(max_length=12, choices=MediaKind.choices)
    provider = models.CharField(max_length=160, help_text="IMSA.tv, Peacock, YouTube ...")
    url = models.URLField(
        max_length=500, blank=True, help_text="Blank when the source names the service only."
    )
    region = models.CharField(
        max_length=80,
        default="Worldwide",
        help_text="Where it can be watched: Worldwide, United States ...",
    )
    title = models.CharField(max_length=160, blank=True)
    note = models.CharField(max_length=600, blank=True)
    source = models.TextField(blank=True)
    as_of_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The year the information describes (shown as “as of 2021”); blank: undated.",
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="media_links"
    )
    season = models.ForeignKey(
        Season, null=True, blank=True, on_delete=models.CASCADE, related_name="media_links"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="media_links"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="media_links"
    )

    class Meta:
        ordering = ["region", "kind", "provider", "-as_of_year"]
        constraints = [
            # Exactly one of the four owners is set.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        series__isnull=False,
                        season__isnull=True,
                        event__isnull=True,
                        session__isnull=True,
                    )
                    | models.Q(
                        series__isnull=True,
                        season__isnull=False,
                        event__isnull=True,
                        session__isnull=True,
                    )
                    | models.Q(
                        series__isnull=True,
                        season__isnull=True,
                        event__isnull=False,
                        session__isnull=True,
                    )
                    | models.Q(
                        series__isnull=True,
                        season__isnull=True,
                        event__isnull=True,
                        session__isnull=False,
                    )
                ),
                name="media_link_has_one_owner",
                violation_error_message=(
                    "A link belongs to exactly one of: a series, a season, an event or a session."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} ({self.get_kind_display()}, {self.region})"


class SiteVersion(models.Model):
    """One row counting changes to the record. Cached pages and standings carry the number in their
    keys, so any editor's save makes every process miss its old copies at once."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "site version"

    def __str__(self) -> str:
        return f"version {self.version}"


class CacheVersion(models.Model):
    """The version of one part of the record that cached pages depend on: a season, a series, an
    event, a driver, a team, a circuit, the listings (home and the list pages), or the whole site
    (changes that show everywhere: a driver's or a team's name). A page's cache key carries the
    highest version among the parts it shows (pcc/cache.py), so a save evicts the pages of what it
    touched and leaves the rest cached. Versions are taken from SiteVersion, which every change
    raises: a bumped part is always newer than any key read before (series/versions.py)."""

    class Kind(models.TextChoices):
        SITE = "site", "Whole site"
        LISTINGS = "listings", "Listings"
        SERIES = "series", "Series"
        SEASON = "season", "Season"
        EVENT = "event", "Event"
        DRIVER = "driver", "Driver"
        TEAM = "team", "Team"
        CIRCUIT = "circuit", "Circuit"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField(
        default=0, help_text="The primary key of the season, driver...; 0 for site and listings."
    )
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "cache version"
        ordering = ["kind", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="cache_version_unique_part")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: version {self.version}"
