from decimal import Decimal

from django.db import models

from .calendar import Session
from .people import Driver, Entry, Team
from .season import Season


class ResultStatus(models.TextChoices):
    FINISHED = "finished", "Finished"
    RETIRED = "retired", "Retired"
    NOT_STARTED = "dns", "Did not start"
    DISQUALIFIED = "dsq", "Disqualified"
    NOT_CLASSIFIED = "nc", "Not classified"
    NOT_QUALIFIED = "dnq", "Did not qualify"
    EXCLUDED = "ex", "Excluded"


# Statuses that may carry a classified position (a retired car that covered enough is classified).
CLASSIFIABLE_STATUSES = (ResultStatus.FINISHED, ResultStatus.RETIRED)


class Result(models.Model):
    """One car in one session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="results")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="results")
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="results",
        help_text="The team this car ran for here; blank means the entry's team.",
    )
    car_number = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Classified position; blank when not classified."
    )
    status = models.CharField(
        max_length=10, choices=ResultStatus.choices, default=ResultStatus.FINISHED
    )
    laps = models.PositiveSmallIntegerField(null=True, blank=True)
    race_time = models.DurationField(null=True, blank=True)
    gap = models.CharField(max_length=40, blank=True, help_text="+1.234 or +1 lap, as published.")
    best_lap = models.DurationField(null=True, blank=True)
    grid = models.PositiveSmallIntegerField(null=True, blank=True)
    pole = models.BooleanField(default=False)
    fastest_lap = models.BooleanField(default=False)
    penalty = models.CharField(max_length=200, blank=True, help_text="+3 s for track limits ...")
    time_penalty = models.DurationField(
        null=True,
        blank=True,
        help_text="Time penalties already included in the race time (so that applying the "
        "stewards' penalties again never adds them twice).",
    )
    grid_penalty = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Grid places dropped by a penalty (the grid includes them).",
    )

    class Meta:
        ordering = ["session", models.F("position").asc(nulls_last=True), "car_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "entry"],
                name="result_unique_entry_per_session",
                violation_error_message="This entry already has a result in this session.",
            ),
            models.UniqueConstraint(
                fields=["session", "position"],
                condition=models.Q(position__isnull=False),
                name="result_unique_position_per_session",
                violation_error_message="Another car already has this position in this session.",
            ),
            models.UniqueConstraint(
                fields=["session", "car_number"],
                condition=models.Q(car_number__isnull=False),
                name="result_unique_car_number_per_session",
                violation_error_message="Another car already has this number in this session.",
            ),
            models.CheckConstraint(
                condition=models.Q(position__isnull=True) | models.Q(position__gte=1),
                name="result_position_at_least_one",
                violation_error_message="A position starts at 1.",
            ),
            models.CheckConstraint(
                condition=models.Q(position__isnull=True)
                | models.Q(status__in=[s.value for s in CLASSIFIABLE_STATUSES]),
                name="result_position_only_when_classified",
                violation_error_message=(
                    "Only a finished or retired car has a position: leave the position blank "
                    "for a car that did not start, did not qualify, was not classified, "
                    "disqualified or excluded."
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.position if self.position is not None else self.get_status_display()
        return f"{where}: entry {self.entry_id} in session {self.session_id}"

    @property
    def classified(self) -> bool:
        return self.position is not None


class Adjustment(models.Model):
    """A points deduction, bonus or exclusion decided by the stewards."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="adjustments")
    driver = models.ForeignKey(
        Driver, null=True, blank=True, on_delete=models.CASCADE, related_name="adjustments"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="adjustments"
    )
    points = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("0"), help_text="Negative for a deduction."
    )
    excluded = models.BooleanField(
        default=False, help_text="Excluded from the championship: listed, never ranked."
    )
    reason = models.CharField(max_length=300)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["season", "decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(driver__isnull=False) | models.Q(team__isnull=False),
                name="adjustment_names_driver_or_team",
                violation_error_message="Name the driver or the team the adjustment applies to.",
            ),
        ]

    def __str__(self) -> str:
        who = self.driver or self.team
        return f"{who}: {'excluded' if self.excluded else self.points} — {self.reason}"
