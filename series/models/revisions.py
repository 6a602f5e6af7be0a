"""The history of a published classification (revisions) and the stewards' penalties behind it.

The domain rules (what a revision stores, when a reason is required, how penalties re-order a
classification) live in series/revisions.py; these models only hold the record.
"""

from django.conf import settings
from django.db import models

from .calendar import Session
from .people import Entry


class RevisionKind(models.TextChoices):
    IMPORT = "import", "Import"
    PASTE = "paste", "Pasted timing sheet"
    HAND_EDIT = "edit", "Edited by hand"
    PENALTY = "penalty", "Penalty"
    REVERT = "revert", "Reverted"
    STATUS = "status", "Status change"
    # A session published before revisions were kept: its state when history-keeping began.
    RECORDED = "recorded", "On record"


class ClassificationRevision(models.Model):
    """One state of a session's published classification, and what changed to reach it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1 for the first publication, then 2, 3 ...")
    created_at = models.DateTimeField(auto_now_add=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="classification_revisions",
        help_text="Blank for a change made by a command.",
    )
    kind = models.CharField(max_length=10, choices=RevisionKind.choices)
    status = models.CharField(
        max_length=12,
        help_text="The session's status after this change (provisional, final, amended ...).",
    )
    reason = models.CharField(
        max_length=300, blank=True, help_text="Required once the session is final."
    )
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="The stewards' decision number and/or the address it was published at.",
    )
    snapshot = models.JSONField(
        help_text="The classification after the change: one object per car (see revisions.py)."
    )
    diff = models.JSONField(
        default=dict, help_text="What changed since the previous revision (see revisions.py)."
    )
    reverts_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a revert: the revision whose classification was restored.",
    )

    class Meta:
        ordering = ["session", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                name="revision_unique_number_per_session",
                violation_error_message="This session already has a revision with this number.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="revision_number_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} — revision {self.number} ({self.get_kind_display()})"


class PenaltyKind(models.TextChoices):
    TIME = "time", "Time penalty"
    DRIVE_THROUGH = "drive-through", "Drive-through converted to time"
    DISQUALIFICATION = "dsq", "Disqualification"
    GRID = "grid", "Grid penalty"


class Penalty(models.Model):
    """A stewards' decision about one car in one session. Points deductions are not penalties
    here: they are Adjustments of the season.

    Tied to the session and the entry rather than to a Result row, because an import replaces a
    session's Result rows: the decision must outlive a corrected timing sheet."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="penalties")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="penalties")
    kind = models.CharField(max_length=14, choices=PenaltyKind.choices)
    seconds = models.DecimalField(
        max_digits=7,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="Time added to the race time (time penalty, or a drive-through converted).",
    )
    grid_places = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Grid places dropped (grid penalty)."
    )
    reason = models.CharField(max_length=300, help_text="Track limits, causing a collision ...")
    source = models.CharField(
        max_length=300, blank=True, help_text="The stewards' decision number and/or its address."
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rescinded = models.BooleanField(
        default=False, help_text="Withdrawn on review or appeal: kept for the record, not applied."
    )

    class Meta:
        ordering = ["session", "decided_at", "pk"]
        verbose_name_plural = "penalties"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=["time", "drive-through"])
                | models.Q(seconds__isnull=False, seconds__gt=0),
                name="penalty_time_has_seconds",
                violation_error_message="A time penalty needs its seconds.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="grid") | models.Q(grid_places__isnull=False),
                name="penalty_grid_has_places",
                violation_error_message="A grid penalty needs the places dropped.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.reason}"

    @property
    def label(self) -> str:
        """'+5 s', '+20 s (drive-through)', 'disqualified', '3-place grid penalty'."""
        if self.kind == PenaltyKind.DISQUALIFICATION:
            return "disqualified"
        if self.kind == PenaltyKind.GRID:
            return f"{self.grid_places}-place grid penalty"
        seconds = format(self.seconds.normalize(), "f") if self.seconds is not None else "?"
        if self.kind == PenaltyKind.DRIVE_THROUGH:
            return f"+{seconds} s (drive-through)"
        return f"+{seconds} s"
