"""The results' admin pages: a session page that takes a whole classification at once (its
results inline limited to the cars that can run in it), the entries and single results."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import admin, messages
from django.db.models import F, ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import ngettext

from ..models import (
    Entry,
    Result,
    RevisionKind,
    Round,
    SeasonClass,
    Session,
    SessionStatus,
)
from ..revisions import ensure_baseline, record_revision
from .bases import BaseInlineFormSet, ModelForm, TabularInline
from .forms import (
    EntryForm,
    LocalStartForm,
    ResultInlineForm,
    ResultInlineFormSet,
)
from .guard import RecordAdmin
from .imports import SessionImportMixin
from .race_control import RaceControlMixin
from .records import label_class, label_round, object_id
from .revisions import ResultRevisionMixin, RevisionReasonMixin


def _seasons_of_session(session_id: str) -> list[int]:
    """Seasons whose cars can run in a session: its round's season or, for a session outside a round
    (a festival's practice), the seasons with a round at its event. Two queries at most."""
    session = Session.objects.filter(pk=session_id).select_related("round").first()
    if session is None:
        return []
    if session.round is not None:
        return [session.round.season_id]
    return list(
        Round.objects.filter(event_id=session.event_id)
        .values_list("season_id", flat=True)
        .distinct()
    )


class ResultInline(TabularInline[Result, Session]):
    # Narrow inputs (static/admin_pcc/admin_pcc.css) keep a whole classification inside a 1280 px
    # window; number and team may be left blank: they come from the entry.
    model = Result
    form = ResultInlineForm
    formset = ResultInlineFormSet
    fields = ResultInlineForm.Meta.fields
    autocomplete_fields = ("entry", "team")
    ordering = (F("position").asc(nulls_last=True), "car_number")
    extra = 1

    def get_queryset(self, request: HttpRequest) -> QuerySet[Result]:
        return super().get_queryset(request).select_related("entry__driver", "team")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "entry" and formfield is not None:
            # The formset names clashes by driver: load each entry's driver with it.
            entries = Entry.objects.select_related("driver", "season__series")
            session_id = object_id(request)
            seasons = _seasons_of_session(session_id) if session_id else []
            formfield.queryset = entries.filter(season_id__in=seasons) if seasons else entries
        return formfield


@admin.register(Session)
class SessionAdmin(RevisionReasonMixin, RaceControlMixin, SessionImportMixin, RecordAdmin[Session]):
    form = LocalStartForm
    list_display = ("name", "event", "round_of_season", "kind", "date", "starts_at", "status")
    list_filter = ("status", "kind", "round__season__series", "round__season__year")
    date_hierarchy = "date"
    search_fields = ("name", "slug", "event__name", "round__season__series__name")
    autocomplete_fields = ("event", "round")
    list_select_related = ("event", "round__season__series")
    readonly_fields = ("revision",)
    ordering = ("-date", "-starts_at", "name")
    actions = ("mark_final", "mark_provisional")
    inlines = (ResultInline,)

    @admin.display(description="round", ordering="round__number")
    def round_of_season(self, session: Session) -> str:
        return label_round(session.round) if session.round else "—"

    @admin.action(description="Mark the selected sessions final", permissions=["change"])
    def mark_final(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        self._set_status(request, queryset, SessionStatus.FINAL)

    @admin.action(description="Mark the selected sessions provisional", permissions=["change"])
    def mark_provisional(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        self._set_status(request, queryset, SessionStatus.PROVISIONAL)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Session]:
        # The change form shows the start in the circuit's time: select the circuit with it. A
        # queryset that selects anything makes the changelist skip list_select_related: name it all.
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related, "event__circuit")
        )

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # The classification needs the width: no navigation sidebar on a session's page.
        extra_context = {**(extra_context or {}), "is_nav_sidebar_enabled": False}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm[Session],
        formsets: list[BaseInlineFormSet[Any, Session, ModelForm[Any]]],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        session = form.instance
        # Results typed by hand make a scheduled session provisional, as an import does, so the
        # public page never says "no results entered" above a classification.
        if session.status == SessionStatus.SCHEDULED and session.results.exists():
            session.status = session.status_after_results()
            session.save(update_fields=["status"])
            self.message_user(
                request, f"{session} now has results: marked provisional.", messages.INFO
            )

    def _set_status(
        self, request: HttpRequest, queryset: QuerySet[Session], status: SessionStatus
    ) -> None:
        # One save per session rather than queryset.update(): save() raises the iCal revision and
        # the site version, and each change goes into the session's history.
        label = status.label.lower()
        changed = 0
        refused: list[str] = []
        for session in queryset.exclude(status=status):
            ensure_baseline(session)  # revisions hook
            if status == SessionStatus.FINAL:
                session.status = status
                refusal = session.final_refusal(session.results.exists())
                if refusal:
                    refused.append(refusal)
                    continue
            session.status = status
            session.save(update_fields=["status"])
            record_revision(session, editor=request.user, kind=RevisionKind.STATUS)  # hook
            self.log_change(request, session, f"Marked {label}.")
            changed += 1
        for refusal in refused:
            self.message_user(request, refusal, messages.ERROR)
        unchanged = queryset.count() - changed - len(refused)
        message = ngettext(
            "%(count)d session marked %(status)s.", "%(count)d sessions marked %(status)s.", changed
        ) % {"count": changed, "status": label}
        if unchanged:
            message += " " + ngettext(
                "%(count)d was already %(status)s.", "%(count)d were already %(status)s.", unchanged
            ) % {"count": unchanged, "status": label}
        self.message_user(request, message, messages.SUCCESS)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Session],
        formset: BaseInlineFormSet[Any, Session, ModelForm[Any]],
        change: bool,
    ) -> None:
        if formset.model is Result:
            # Free the positions and numbers of rows that change or go before saving any row, so a
            # reordered classification (P3 and P4 swapped after a penalty; the formset checked it
            # as a whole) never meets its own old values in the database's unique constraints.
            freed = [
                row.instance.pk
                for row in formset.initial_forms
                if row in formset.deleted_forms or {"position", "car_number"} & {*row.changed_data}
            ]
            if freed:
                Result.objects.filter(pk__in=freed).update(position=None, car_number=None)
        super().save_formset(request, form, formset, change)


@admin.register(Entry)
class EntryAdmin(RecordAdmin[Entry]):
    form = EntryForm
    list_display = ("driver", "season", "car_number", "team", "season_class", "guest", "rookie")
    list_filter = (
        "season__series__tier",
        "season__series",
        "season__year",
        "season_class__name",
        "guest",
        "rookie",
    )
    search_fields = ("driver__name", "driver__sort_name", "team__name", "season__series__name")
    autocomplete_fields = ("driver", "season", "team")
    list_select_related = ("driver", "season__series", "team", "season_class")
    ordering = ("season__series__tier", "season__series__name", "-season__year", "car_number")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        # str(entry) shows the driver and the season: the autocomplete lists it for every row. A
        # queryset that selects anything makes the changelist skip list_select_related: name it all.
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, str | list[str]]:
        initial = super().get_changeform_initial_data(request)
        if "season" not in initial:
            # The "+" beside a result's entry on a session's page: the entry is for its season.
            session_id = _session_page_of(request.headers.get("Referer", ""))
            seasons = _seasons_of_session(session_id) if session_id else []
            if len(seasons) == 1:
                # Any value is a form's initial value; the stubs say str | list[str].
                initial["season"] = seasons[0]  # type: ignore[assignment]
        return initial

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Entry], search_term: str
    ) -> tuple[QuerySet[Entry], bool]:
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "result" and request.GET.get("field_name") == "entry":
            # Picking the entry of a result on a session's page: offer only that session's cars.
            # The form's queryset is what enforces it; this only shortens the list.
            session_id = _session_page_of(request.headers.get("Referer", ""))
            seasons = _seasons_of_session(session_id) if session_id else []
            if seasons:
                queryset = queryset.filter(season_id__in=seasons)
        return queryset, may_have_duplicates

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "season_class" and formfield is not None:
            classes = SeasonClass.objects.select_related("season__series")
            entry_id = object_id(request)
            entry = Entry.objects.filter(pk=entry_id).first() if entry_id else None
            formfield.queryset = classes.filter(season_id=entry.season_id) if entry else classes
            # Django's documented way to label a ModelChoiceField's choices.
            formfield.label_from_instance = label_class  # type: ignore[method-assign,assignment]
        return formfield


def _session_page_of(referer: str) -> str | None:
    """The session whose change page sent an autocomplete request, if it was one."""
    try:
        match = resolve(urlsplit(referer).path)
    except Resolver404:
        return None
    if match.url_name != "series_session_change":
        return None
    return match.kwargs.get("object_id")


# --- results ------------------------------------------------------------------------------------


@admin.register(Result)
class ResultAdmin(ResultRevisionMixin, RecordAdmin[Result]):
    list_display = (
        "session_at_event",
        "position",
        "status",
        "driver",
        "car_number",
        "team",
        "laps",
        "gap",
        "pole",
        "fastest_lap",
    )
    list_filter = (
        "status",
        "session__status",
        "session__kind",
        "session__round__season__series",
        "session__round__season__year",
        "pole",
        "fastest_lap",
    )
    search_fields = ("entry__driver__name", "session__name", "session__event__name", "=car_number")
    autocomplete_fields = ("session", "entry", "team")
    list_select_related = ("session__event", "entry__driver", "entry__season__series", "team")
    ordering = ("-session__date", "session", F("position").asc(nulls_last=True), "car_number")

    @admin.display(description="session", ordering="session__date")
    def session_at_event(self, result: Result) -> str:
        return f"{result.session} · {result.session.event}"

    @admin.display(description="driver", ordering="entry__driver__sort_name")
    def driver(self, result: Result) -> str:
        return result.entry.driver.name

    def get_queryset(self, request: HttpRequest) -> QuerySet[Result]:
        # The entry's autocomplete label names its season; a queryset that selects anything makes
        # the changelist skip list_select_related, so name it all here.
        return super().get_queryset(request).select_related(*self.list_select_related)
