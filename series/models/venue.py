import datetime as dt
import zoneinfo
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "%(value)s is not an IANA time zone (for example Europe/Berlin).",
            params={"value": value},
        ) from None


class Circuit(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    place = models.CharField(max_length=120, blank=True, help_text="Town or area.")
    country = models.CharField(max_length=80, blank=True)
    time_zone = models.CharField(
        max_length=64, default="UTC", validators=[validate_time_zone], help_text="IANA name."
    )
    length_km = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    turns = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def get_absolute_url(self) -> str:
        from pcc.reversing import cached_reverse

        return cached_reverse("series:circuit-detail", args=[self.slug])


class DatePrecision(models.TextChoices):
    """How much of a date the sources give. A guessed day is never shown as a fact."""

    DAY = "day", "Exact day"
    WEEKEND = "weekend", "Weekend only (day not known)"
    MONTH = "month", "Month only"


class EventKind(models.TextChoices):
    RACE_WEEKEND = "race-weekend", "Race weekend"
    FESTIVAL = "festival", "Festival"
    TEST = "test", "Test days"


class EventQuerySet(models.QuerySet["Event"]):
    def upcoming(self, today: dt.date) -> Self:
        return self.filter(end_date__gte=today).order_by("start_date")


class Event(models.Model):
    """A race weekend or a festival at a circuit. It can host rounds of several seasons."""

    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(
        max_length=20, choices=EventKind.choices, default=EventKind.RACE_WEEKEND
    )
    circuit = models.ForeignKey(Circuit, on_delete=models.PROTECT, related_name="events")
    start_date = models.DateField()
    end_date = models.DateField()
    date_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="Month: only the month of start_date is known (the days are placeholders).",
    )
    dates_note = models.CharField(
        max_length=200, blank=True, help_text="How exact the dates are, where the source is vague."
    )
    supports = models.CharField(
        max_length=200,
        blank=True,
        help_text="The headline meeting it supports (an F1 Grand Prix, an IMSA race).",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_events",
        help_text="The event in this database this one supports, if any.",
    )
    organiser = models.CharField(
        max_length=120,
        blank=True,
        help_text="Who hosts the event, where a source names it (Porsche Cars North America).",
    )
    description = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="Editor's note, e.g. where sources disagree.")
    source = models.TextField(blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "name"]
        indexes = [
            # A year's calendar (and the events listing) reads its events by start date, in this
            # order; without it every round of the record is read to find one year's (the
            # calendar: 0.6 ms on the shipped record's SQLite, 5.3 ms at scale on PostgreSQL).
            models.Index(fields=["start_date", "name"], name="event_calendar_order"),
            # The home page's latest and next event, by end date.
            models.Index(fields=["end_date"], name="event_end_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_end_not_before_start",
                violation_error_message="The event cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date.year})"

    @property
    def dates_label(self) -> str:
        """The dates as precisely as they are known (series/dates.py)."""
        from ..dates import event_dates_label

        return event_dates_label(self.start_date, self.end_date, self.date_precision)

    @property
    def dates_exact(self) -> bool:
        return self.date_precision == DatePrecision.DAY

    def get_absolute_url(self) -> str:
        from pcc.reversing import cached_reverse

        return cached_reverse("series:event-detail", args=[self.slug])
