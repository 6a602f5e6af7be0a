import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self

from django.db import models

from .season import Season
from .venue import DatePrecision, Event

if TYPE_CHECKING:
    from .results import Result


class Round(models.Model):
    """One points-scoring race of a season, held at an event."""

    # Not fields: set by selectors.seasons (mark_round_states, mark_round_places).
    state: str
    place_bits: list[str]

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(max_length=120, blank=True, help_text="Race 13, Monaco, ...")
    date = models.DateField(help_text="Race day, at the circuit.")
    date_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="Weekend: the race day is unknown, only its event's dates (a placeholder).",
    )
    multiplier = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        help_text="0.5 when less than half the distance ran; 2 for a double-points finale.",
    )
    description = models.TextField(
        blank=True,
        help_text="Shown to fans with the round (a cancelled race, a half-points result).",
    )
    notes = models.TextField(
        blank=True, help_text="Editor's note: research notes and sources, never shown to fans."
    )

    class Meta:
        ordering = ["season", "number"]
        constraints = [
            models.UniqueConstraint(fields=["season", "number"], name="round_unique_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="round_number_positive",
                violation_error_message="A round number starts at 1.",
            ),
            models.CheckConstraint(
                condition=models.Q(multiplier__gte=0),
                name="round_multiplier_not_negative",
                violation_error_message="The points multiplier cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"Round {self.number}" + (f" — {self.name}" if self.name else "")

    @property
    def date_label(self) -> str:
        """The race day as precisely as it is known. Touches event (a query unless
        select_related) when the day is not known."""
        from ..dates import round_date_label

        if self.date_precision == DatePrecision.DAY:
            return round_date_label(self.date, self.date_precision, None, None)
        return round_date_label(
            self.date, self.date_precision, self.event.start_date, self.event.end_date
        )

    @property
    def date_exact(self) -> bool:
        return self.date_precision == DatePrecision.DAY


class SessionKind(models.TextChoices):
    PRACTICE = "practice", "Practice"
    QUALIFYING = "qualifying", "Qualifying"
    SPRINT = "sprint", "Sprint"
    RACE = "race", "Race"
    OTHER = "other", "Other"


SCORING_KINDS = (SessionKind.SPRINT, SessionKind.RACE)


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    PROVISIONAL = "provisional", "Provisional"
    FINAL = "final", "Final"
    AMENDED = "amended", "Final, amended"
    CANCELLED = "cancelled", "Cancelled"


# "Amended" is final with amendments: wherever final is checked, amended counts as final.
FINAL_STATUSES = (SessionStatus.FINAL, SessionStatus.AMENDED)
# From its first publication on, every change to a session's classification is a revision.
PUBLISHED_STATUSES = (SessionStatus.PROVISIONAL, *FINAL_STATUSES)


class SessionQuerySet(models.QuerySet["Session"]):
    def upcoming(self, now: dt.datetime) -> Self:
        return self.exclude(status=SessionStatus.CANCELLED).filter(
            models.Q(starts_at__gte=now) | models.Q(starts_at__isnull=True, date__gte=now.date())
        )

    def scoring(self) -> Self:
        return self.filter(kind__in=SCORING_KINDS, round__isnull=False)

    def final(self) -> Self:
        """Final sessions, amended ones included."""
        return self.filter(status__in=FINAL_STATUSES)


class Session(models.Model):
    """A practice, qualifying or race at an event; a race of a round scores points."""

    # Not a field: the classified results, best first, prefetched by series.feeds.
    classified: list["Result"]

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(max_length=12, choices=SessionKind.choices, default=SessionKind.RACE)
    name = models.CharField(max_length=120, help_text="Race 13, Qualifying 1, Parade laps ...")
    slug = models.SlugField(max_length=100, help_text="Unique within the event.")
    date = models.DateField(help_text="The day at the circuit.")
    starts_at = models.DateTimeField(
        null=True, blank=True, help_text="UTC. Leave blank while the start time is not known."
    )
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    revision = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised when the time or status changes (iCal SEQUENCE).",
    )
    no_classification = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why this session has no classification (not run, red-flagged without a result "
        "declared ...). Only such a session may be final without results.",
    )
    notes = models.TextField(blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "starts_at", "event", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="session_unique_slug_per_event"),
        ]

    def __str__(self) -> str:
        return self.name

    # The schedule as loaded: a change of it raises the revision (iCal's SEQUENCE) on save.
    _loaded_schedule: tuple[dt.datetime | None, dt.date | None, str | None]

    @classmethod
    def from_db(  # type: ignore[override]  # the stubs follow Django 6 (fetch_mode); 5.2 has 3
        cls, db: str | None, field_names: Collection[str], values: Collection[Any]
    ) -> Self:
        instance = super().from_db(db, field_names, values)
        instance._loaded_schedule = (
            instance.__dict__.get("starts_at"),
            instance.__dict__.get("date"),
            instance.__dict__.get("status"),
        )
        return instance

    def save(self, *args: Any, **kwargs: Any) -> None:
        loaded = getattr(self, "_loaded_schedule", None)
        schedule = (self.starts_at, self.date, self.status)
        if loaded is not None and loaded != schedule:
            self.revision += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)
        self._loaded_schedule = schedule

    def final_refusal(self, has_results: bool) -> str:
        """Why this session may not be final now ("" when it may): a classification is final only
        once it exists, or with the reason it never will."""
        if self.status != SessionStatus.FINAL or has_results or self.no_classification.strip():
            return ""
        return (
            f"{self.name} has no results, so it cannot be final: enter its classification, or "
            "give the reason it has none (no classification), or mark it cancelled."
        )

    def status_after_results(self) -> str:
        """Results entered on a scheduled session make it provisional (the public page then shows
        them as such); any other status stays as the editor set it."""
        if self.status == SessionStatus.SCHEDULED:
            return SessionStatus.PROVISIONAL
        return self.status

    @property
    def is_past(self) -> bool:
        """The session's day is over (by the UTC calendar: good enough for a badge)."""
        from django.utils import timezone

        return self.date < timezone.now().date()

    @property
    def is_final(self) -> bool:
        """Final, with or without amendments."""
        return self.status in FINAL_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATUSES

    @property
    def is_scoring(self) -> bool:
        return self.round_id is not None and self.kind in SCORING_KINDS

    def get_absolute_url(self) -> str:
        """Touches event (a query unless select_related)."""
        from pcc.reversing import cached_reverse

        return cached_reverse("series:session-detail", args=[self.event.slug, self.slug])
