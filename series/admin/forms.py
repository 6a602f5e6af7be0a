"""Forms of the editors' admin: a session's classification, checked as a whole."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from ..models import Entry, Event, Result, Session
from .bases import BaseInlineFormSet, ModelForm


def _car_label(form: ModelForm[Result]) -> str:
    """How an editor recognises a row: "#7 Larry ten Voorde". Touches entry.driver (the inline's
    entry queryset selects it)."""
    entry = form.cleaned_data.get("entry")
    number = form.cleaned_data.get("car_number")
    if number is None and entry is not None:
        number = entry.car_number
    name = entry.driver.name if entry is not None else "a car without an entry"
    return f"#{number} {name}" if number is not None else name


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


class ResultInlineFormSet(BaseInlineFormSet[Result, Session, ModelForm[Result]]):
    """Every result of one session. The database refuses two cars with one position or one number;
    this says which cars clash before the database is asked. Each row's own form cannot: the inline
    leaves the session out of its fields, so Django skips the (session, ...) constraints per row,
    and the formset holds every row of the session anyway, as it will be saved."""

    def clean(self) -> None:
        # Read the rows before Django's own check of unique fields across rows, which drops the
        # entry of a repeated row from its cleaned_data.
        rows = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        by_position: dict[int, list[str]] = defaultdict(list)
        by_number: dict[int, list[str]] = defaultdict(list)
        by_entry: dict[int, list[str]] = defaultdict(list)
        for form in rows:
            label = _car_label(form)
            if form.cleaned_data.get("position") is not None:
                by_position[form.cleaned_data["position"]].append(label)
            if form.cleaned_data.get("car_number") is not None:
                by_number[form.cleaned_data["car_number"]].append(label)
            if form.cleaned_data.get("entry") is not None:
                by_entry[form.cleaned_data["entry"].pk].append(
                    form.cleaned_data["entry"].driver.name
                )
        errors = [
            ValidationError(
                f"Position {position} is given {_times(len(labels))}: {_join(labels)}.",
                code="duplicate_position",
            )
            for position, labels in sorted(by_position.items())
            if len(labels) > 1
        ]
        errors += [
            ValidationError(
                f"Car number {number} is given {_times(len(labels))}: {_join(labels)}.",
                code="duplicate_car_number",
            )
            for number, labels in sorted(by_number.items())
            if len(labels) > 1
        ]
        errors += [
            ValidationError(
                f"{labels[0]} has {len(labels)} rows: one entry has one result per session.",
                code="duplicate_entry",
            )
            for labels in by_entry.values()
            if len(labels) > 1
        ]
        try:
            super().clean()
        except ValidationError as error:
            errors += error.error_list
        # The session's form has been applied to self.instance already: its new status is here.
        session = self.instance
        if isinstance(session, Session):
            refusal = session.final_refusal(has_results=bool(rows))
            if refusal:
                errors.append(ValidationError(refusal, code="final_without_results"))
        if errors:
            raise ValidationError(errors)


def _times(count: int) -> str:
    return "twice" if count == 2 else f"{count} times"


class EntryForm(ModelForm[Entry]):
    class Meta:
        model = Entry
        fields = (
            "season",
            "driver",
            "team",
            "car_number",
            "season_class",
            "guest",
            "rookie",
            "notes",
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        season, season_class = cleaned.get("season"), cleaned.get("season_class")
        if season and season_class and season_class.season_id != season.pk:
            # Touches season_class.season (the admin's class queryset selects it).
            self.add_error(
                "season_class",
                f"The class {season_class.name} belongs to {season_class.season}, not {season}.",
            )
        return cleaned


class ResultInlineForm(ModelForm[Result]):
    """One car of a classification typed by hand: the number and team come from the entry when
    left blank (the entry list already says them)."""

    class Meta:
        model = Result
        fields = (
            "position",
            "status",
            "entry",
            "car_number",
            "laps",
            "race_time",
            "gap",
            "best_lap",
            "grid",
            "pole",
            "fastest_lap",
            "penalty",
            "team",
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        entry = cleaned.get("entry")
        if entry is not None:
            if cleaned.get("car_number") is None and entry.car_number is not None:
                cleaned["car_number"] = entry.car_number
                self.instance.car_number = entry.car_number
            if "team" in self.fields and cleaned.get("team") is None and entry.team_id:
                cleaned["team"] = entry.team
        return cleaned


def _zone_of(event: Event | None) -> zoneinfo.ZoneInfo | None:
    """Touches event.circuit (a query unless selected)."""
    if event is None or event.circuit_id is None:
        return None
    return event.circuit.tz


class LocalStartForm(ModelForm[Session]):
    """A session's start typed in the circuit's local time, as timing sheets and schedules print
    it, and stored in UTC. The zone is named beside the field; a plain datetime-local input
    replaces the admin's widget, whose "you are N hours behind server time" note misled."""

    starts_at = forms.DateTimeField(
        required=False,
        label="Starts at (local time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=[
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
        ],
    )

    class Meta:
        model = Session
        fields = (
            "event",
            "round",
            "kind",
            "name",
            "slug",
            "date",
            "starts_at",
            "duration_minutes",
            "status",
            "no_classification",
            "notes",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event = self.instance.event if self.instance.event_id else None
        zone = _zone_of(event)
        field = self.fields["starts_at"]
        if event is not None and zone is not None:
            field.help_text = (
                f"Local time at {event.circuit.name} ({zone.key}); stored in UTC. Leave blank "
                "while the start time is not known."
            )
            if self.instance.starts_at is not None:
                local = self.instance.starts_at.astimezone(zone).replace(tzinfo=None)
                self.initial["starts_at"] = local
        else:
            field.help_text = "Local time at the event's circuit; stored in UTC."

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        starts_at = cleaned.get("starts_at")
        event = cleaned.get("event") or (self.instance.event if self.instance.event_id else None)
        if starts_at is not None:
            zone = _zone_of(event) or dt.UTC
            # The field made the typed time aware in the server's zone: read it as local instead.
            local = starts_at.replace(tzinfo=None).replace(tzinfo=zone)
            cleaned["starts_at"] = local.astimezone(dt.UTC)
        return cleaned


class EventSessionForm(LocalStartForm):
    """A session in its event's inline, where no results are entered: one marked final must
    already have results, or the reason it has none (given on the session's own page)."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        status = cleaned.get("status")
        if status and self.instance.pk is not None:
            probe = Session(name=self.instance.name, status=status)
            probe.no_classification = self.instance.no_classification
            refusal = probe.final_refusal(self.instance.results.exists())
            if refusal and self.instance.status != status:
                self.add_error("status", refusal)
        elif status == "final" and self.instance.pk is None:
            self.add_error("status", "A new session has no results yet, so it cannot be final.")
        return cleaned
