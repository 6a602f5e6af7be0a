"""Forms of the editors' admin: a session's classification, checked as a whole."""

from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError

from .models import Entry


def _car_label(form: forms.ModelForm) -> str:
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


class ResultInlineFormSet(forms.BaseInlineFormSet):
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
        if errors:
            raise ValidationError(errors)


def _times(count: int) -> str:
    return "twice" if count == 2 else f"{count} times"


class EntryForm(forms.ModelForm):
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

    def clean(self) -> dict:
        cleaned = super().clean()
        season, season_class = cleaned.get("season"), cleaned.get("season_class")
        if season and season_class and season_class.season_id != season.pk:
            # Touches season_class.season (the admin's class queryset selects it).
            self.add_error(
                "season_class",
                f"The class {season_class.name} belongs to {season_class.season}, not {season}.",
            )
        return cleaned
