"""The record's admin pages: the pyramid (series, car generations, seasons with their rules,
classes and rounds, circuits, events), people (drivers, teams) and the editorial tables
(adjustments, champions, media links). Changelists stay in a fixed number of queries:
list_select_related names every relation a column shows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from ..models import (
    Adjustment,
    CarGeneration,
    Champion,
    Circuit,
    Driver,
    Event,
    MediaLink,
    Round,
    ScoringRules,
    Season,
    SeasonClass,
    Series,
    Session,
    Team,
    TeamAlias,
)
from .bases import StackedInline, TabularInline
from .forms import (
    EventSessionForm,
)
from .guard import RecordAdmin
from .imports import SeasonImportMixin


def object_id(request: HttpRequest) -> str | None:
    """The primary key of the object a change page is about (None on an add page)."""
    match = request.resolver_match
    return match.kwargs.get("object_id") if match else None


def label_class(season_class: SeasonClass) -> str:
    return f"{season_class.season} · {season_class.name}"


def label_round(round_: Round) -> str:
    return f"{round_.season} · {round_}"


# --- the pyramid ------------------------------------------------------------------------------


@admin.register(Series)
class SeriesAdmin(RecordAdmin[Series]):
    list_display = (
        "name",
        "short_name",
        "tier",
        "country",
        "first_year",
        "last_year",
        "feeds_into",
    )
    list_filter = ("tier", "region")
    search_fields = ("name", "short_name", "country", "organiser")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("feeds_into",)
    list_select_related = ("feeds_into",)
    ordering = ("tier", "name")


@admin.register(CarGeneration)
class CarGenerationAdmin(RecordAdmin[CarGeneration]):
    list_display = ("generation", "model_name", "first_year", "period")
    search_fields = ("generation", "model_name")
    prepopulated_fields = {"slug": ("generation",)}
    ordering = ("first_year", "generation")


# --- seasons ------------------------------------------------------------------------------------


class ScoringRulesInline(StackedInline[ScoringRules, Season]):
    model = ScoringRules
    can_delete = False
    max_num = 1
    extra = 1


class SeasonClassInline(TabularInline[SeasonClass, Season]):
    model = SeasonClass
    fields = ("name", "slug", "order", "drop_worst", "undroppable_last")
    prepopulated_fields = {"slug": ("name",)}
    extra = 0


class RoundInline(TabularInline[Round, Season]):
    model = Round
    fields = ("number", "name", "event", "date", "multiplier")
    autocomplete_fields = ("event",)
    show_change_link = True
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Round]:
        return super().get_queryset(request).select_related("event")


@admin.register(Season)
class SeasonAdmin(SeasonImportMixin, RecordAdmin[Season]):
    # Import results / Import season and the champion check: series/admin/imports.py.
    list_display = (
        "__str__",
        "series",
        "year",
        "name",
        "car_generation",
        "results_partial",
        "champion_check_column",
    )
    list_filter = ("series__tier", "series", "year", "car_generation", "results_partial")
    search_fields = ("series__name", "series__short_name", "name", "=year")
    autocomplete_fields = ("series", "car_generation")
    list_select_related = ("series", "car_generation")
    ordering = ("series__tier", "series__name", "-year")
    inlines = (ScoringRulesInline, SeasonClassInline, RoundInline)
    actions = ("copy_previous_entries",)
    readonly_fields = ("champion_check_report",)


@admin.register(SeasonClass)
class SeasonClassAdmin(RecordAdmin[SeasonClass]):
    list_display = ("name", "season", "order", "drop_worst", "undroppable_last")
    list_filter = ("season__series", "season__year", "name")
    search_fields = ("name", "season__series__name")
    autocomplete_fields = ("season",)
    list_select_related = ("season__series",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ScoringRules)
class ScoringRulesAdmin(RecordAdmin[ScoringRules]):
    list_display = (
        "season",
        "guests",
        "class_scoring",
        "drop_worst",
        "undroppable_last",
        "pole_points",
        "fastest_lap_points",
        "team_cars",
    )
    list_filter = ("guests", "class_scoring", "season__series__tier", "season__series")
    search_fields = ("season__series__name", "=season__year")
    autocomplete_fields = ("season",)
    list_select_related = ("season__series",)
    ordering = ("season__series__tier", "season__series__name", "-season__year")


# --- venues and the calendar ----------------------------------------------------------------


@admin.register(Circuit)
class CircuitAdmin(RecordAdmin[Circuit]):
    list_display = ("name", "place", "country", "time_zone", "length_km", "turns")
    list_filter = ("country",)
    search_fields = ("name", "place", "country")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)


class SessionInline(TabularInline[Session, Event]):
    model = Session
    form = EventSessionForm
    fields = ("name", "slug", "kind", "round", "date", "starts_at", "duration_minutes", "status")
    prepopulated_fields = {"slug": ("name",)}
    show_change_link = True
    extra = 0

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "round" and formfield is not None:
            # Only the rounds held at this event; an event being added has none yet.
            event_id = object_id(request)
            rounds = Round.objects.select_related("season__series")
            formfield.queryset = rounds.filter(event_id=event_id) if event_id else rounds.none()
            # Django's documented way to label a ModelChoiceField's choices.
            formfield.label_from_instance = label_round  # type: ignore[method-assign,assignment]
        return formfield


@admin.register(Event)
class EventAdmin(RecordAdmin[Event]):
    list_display = ("name", "kind", "circuit", "start_date", "end_date", "supports")
    list_filter = ("kind", "circuit__country")
    date_hierarchy = "start_date"
    search_fields = ("name", "slug", "circuit__name", "supports")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("circuit", "parent")
    list_select_related = ("circuit",)
    ordering = ("-start_date", "name")
    inlines = (SessionInline,)


@admin.register(Round)
class RoundAdmin(RecordAdmin[Round]):
    list_display = ("__str__", "season", "event", "date", "multiplier")
    list_filter = ("season__series__tier", "season__series", "season__year")
    search_fields = ("name", "event__name", "season__series__name", "=season__year", "=number")
    autocomplete_fields = ("season", "event")
    list_select_related = ("season__series", "event")
    ordering = ("season__series__tier", "season__series__name", "-season__year", "number")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Round]:
        # The autocomplete of a session's round labels each round with its season. A queryset that
        # selects anything makes the changelist skip list_select_related, so name it all here.
        return super().get_queryset(request).select_related(*self.list_select_related)


# --- people -----------------------------------------------------------------------------------


@admin.register(Driver)
class DriverAdmin(RecordAdmin[Driver]):
    list_display = ("name", "sort_name", "nationality")
    list_filter = ("nationality",)
    search_fields = ("name", "sort_name", "name_original", "slug")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("sort_name", "name")


class TeamAliasInline(TabularInline[TeamAlias, Team]):
    model = TeamAlias
    extra = 1


@admin.register(Team)
class TeamAdmin(RecordAdmin[Team]):
    inlines = [TeamAliasInline]
    list_display = ("name", "country")
    list_filter = ("country",)
    search_fields = ("name", "slug", "aliases__name")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)


@admin.register(Adjustment)
class AdjustmentAdmin(RecordAdmin[Adjustment]):
    list_display = ("season", "driver", "team", "points", "excluded", "reason", "decided_on")
    list_filter = ("season__series", "season__year", "excluded")
    search_fields = ("driver__name", "team__name", "reason", "season__series__name")
    autocomplete_fields = ("season", "driver", "team")
    list_select_related = ("season__series", "driver", "team")
    ordering = ("-season__year", "season__series__name", "decided_on")


@admin.register(Champion)
class ChampionAdmin(RecordAdmin[Champion]):
    list_display = (
        "year",
        "series",
        "class_name",
        "kind",
        "driver_name",
        "nationality",
        "team",
        "driver",
        "qualifier",
    )
    list_filter = ("kind", "series__tier", "series", "year", "class_name")
    search_fields = ("driver_name", "driver__name", "team", "teams_champion", "series__name")
    autocomplete_fields = ("series", "driver", "team_record", "teams_champion_record")
    list_select_related = ("series", "driver")


@admin.register(MediaLink)
class MediaLinkAdmin(RecordAdmin[MediaLink]):
    list_display = ("provider", "kind", "region", "owner", "as_of_year", "title", "url")
    list_filter = ("kind", "as_of_year", "region")
    search_fields = ("provider", "title", "url", "region")
    autocomplete_fields = ("series", "season", "event", "session")
    list_select_related = ("series", "season__series", "event", "session__event")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind",
                    "provider",
                    "url",
                    "region",
                    "as_of_year",
                    "title",
                    "note",
                    "source",
                )
            },
        ),
        (
            "Belongs to",
            {
                "description": "Exactly one of these.",
                "fields": ("series", "season", "event", "session"),
            },
        ),
    )

    @admin.display(description="for")
    def owner(self, link: MediaLink) -> str:
        if link.session is not None:
            return f"{link.session} · {link.session.event}"
        return str(link.season or link.event or link.series)
