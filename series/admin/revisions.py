"""The editors' side of revisions: a reason field on a session's change form (required to change the
results of a final session), each save kept as a revision, the history and revert, penalties.

Hooked into results.py with small hunks only: SessionAdmin takes RevisionReasonMixin as a base
class, ResultAdmin ResultRevisionMixin, and the status actions call record_revision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from ..models import (
    FINAL_STATUSES,
    ClassificationRevision,
    Penalty,
    Result,
    RevisionKind,
    Session,
)
from ..penalties import apply_time_penalties, confirm_penalties
from ..revisions import (
    ReasonRequired,
    RevertFailed,
    ensure_baseline,
    record_revision,
    revert,
)
from .bases import ModelAdmin

REASON_HELP = (
    "Why the results change, e.g. \u201cStewards' decision 12: car 7 +5 s, track limits\u201d. "
    "Required to change the results of a final session; shown to readers in the change log."
)
SOURCE_HELP = "The stewards' decision number and/or the address it was published at."


def _needs_reason(session: Session | None) -> bool:
    if session is None or session.pk is None:
        return False
    status = Session.objects.filter(pk=session.pk).values_list("status", flat=True).first()
    return status in FINAL_STATUSES


if TYPE_CHECKING:  # the mixins' bases, for the type checker only
    from django.contrib.admin.options import _FieldsetSpec

    _FormSetBase = forms.BaseInlineFormSet[Result, Session, forms.ModelForm[Result]]
    _SessionAdminBase = admin.ModelAdmin[Session]
    _ResultAdminBase = admin.ModelAdmin[Result]
    # An inline's formset on a session's page, as the admin builds it.
    _InlineFormSet = forms.BaseInlineFormSet[Any, Session, forms.ModelForm[Any]]
else:
    _FormSetBase = _SessionAdminBase = _ResultAdminBase = object


class _ReasonCheckedResults(_FormSetBase):
    """Mixed into the results inline's formset: changing a final session's results without a
    reason is a form error (nothing saved), not an exception at save time."""

    def clean(self) -> None:
        super().clean()
        if (
            self.has_changed()
            and _needs_reason(self.instance)
            and not self.data.get("change_reason", "").strip()
        ):
            raise ValidationError(
                "This session is final: give the reason for changing its results (the stewards' "
                "decision) in the \u201cReason for the change\u201d field."
            )


class RevisionReasonMixin(_SessionAdminBase):
    """For SessionAdmin: the reason and source fields, the check above, and a revision per save."""

    def get_form(
        self, request: HttpRequest, obj: Session | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Session]]:
        if kwargs.get("fields"):
            # The fieldsets below name the two form-only fields; the model form must not.
            extra = {"change_reason", "change_source"}
            kwargs["fields"] = [name for name in kwargs["fields"] if name not in extra]
        form = super().get_form(request, obj, change=change, **kwargs)
        return cast(
            "type[forms.ModelForm[Session]]",
            type(
                form.__name__,
                (form,),
                {
                    "change_reason": forms.CharField(
                        label="Reason for the change",
                        required=False,
                        max_length=300,
                        help_text=REASON_HELP,
                    ),
                    "change_source": forms.CharField(
                        label="Source", required=False, max_length=300, help_text=SOURCE_HELP
                    ),
                },
            ),
        )

    def get_fieldsets(self, request: HttpRequest, obj: Session | None = None) -> _FieldsetSpec:
        fieldsets = super().get_fieldsets(request, obj)
        named = {name for _, options in fieldsets for name in options.get("fields", ())}
        if "change_reason" in named:
            return fieldsets
        return [
            *fieldsets,
            ("Reason for the change", {"fields": ("change_reason", "change_source")}),
        ]

    def get_formsets_with_inlines(
        self, request: HttpRequest, obj: Session | None = None
    ) -> Iterator[tuple[type[_InlineFormSet], InlineModelAdmin[Any, Session]]]:
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if formset.model is Result:
                formset = cast(
                    "type[_InlineFormSet]",
                    type(formset.__name__, (_ReasonCheckedResults, formset), {}),
                )
            yield formset, inline

    def save_model(
        self, request: HttpRequest, obj: Session, form: forms.ModelForm[Session], change: bool
    ) -> None:
        if change:
            ensure_baseline(obj)  # the state before this save, for a session published earlier
        super().save_model(request, obj, form, change)

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Session],
        formsets: list[_InlineFormSet],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        record_revision(
            form.instance,
            editor=request.user,
            kind=RevisionKind.HAND_EDIT,
            reason=form.cleaned_data.get("change_reason", ""),
            source=form.cleaned_data.get("change_source", ""),
        )

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ReasonRequired as exc:
            # The checks above should have caught it; if the status changed meanwhile, the save
            # rolled back as a whole: say so rather than answer 500.
            self.message_user(request, f"Nothing was saved. {exc}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ResultRevisionMixin(_ResultAdminBase):
    """For ResultAdmin: a result edited, added or deleted on its own is a change of its session's
    classification like any other: same reason rule, one revision per save."""

    def get_form(
        self, request: HttpRequest, obj: Result | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Result]]:
        if kwargs.get("fields"):
            extra = {"change_reason", "change_source"}
            kwargs["fields"] = [name for name in kwargs["fields"] if name not in extra]
        form = super().get_form(request, obj, change=change, **kwargs)

        def clean(self: forms.ModelForm[Result]) -> dict[str, Any]:
            # mypy cannot follow super() of a class made at run time.
            super(checked, self).clean()  # type: ignore[misc]
            cleaned = self.cleaned_data
            # The session it goes to, and the one it leaves (the instance is not updated yet).
            session_ids = {getattr(cleaned.get("session"), "pk", None), self.instance.session_id}
            if (
                self.has_changed()
                and Session.objects.filter(
                    pk__in=[pk for pk in session_ids if pk is not None],
                    status__in=FINAL_STATUSES,
                ).exists()
                and not (cleaned.get("change_reason") or "").strip()
            ):
                self.add_error(
                    "change_reason",
                    "This session is final: give the reason for changing its results (the "
                    "stewards' decision).",
                )
            return cleaned

        checked = cast(
            "type[forms.ModelForm[Result]]",
            type(
                form.__name__,
                (form,),
                {
                    "change_reason": forms.CharField(
                        label="Reason for the change",
                        required=False,
                        max_length=300,
                        help_text=REASON_HELP,
                    ),
                    "change_source": forms.CharField(
                        label="Source", required=False, max_length=300, help_text=SOURCE_HELP
                    ),
                    "clean": clean,
                },
            ),
        )
        return checked

    def get_fieldsets(self, request: HttpRequest, obj: Result | None = None) -> _FieldsetSpec:
        fieldsets = super().get_fieldsets(request, obj)
        named = {name for _, options in fieldsets for name in options.get("fields", ())}
        if "change_reason" in named:
            return fieldsets
        return [
            *fieldsets,
            ("Reason for the change", {"fields": ("change_reason", "change_source")}),
        ]

    def save_model(
        self, request: HttpRequest, obj: Result, form: forms.ModelForm[Result], change: bool
    ) -> None:
        sessions = [obj.session]
        if change and "session" in form.changed_data:
            sessions.append(Session.objects.get(pk=form.initial["session"]))
        for session in sessions:
            ensure_baseline(session)
        super().save_model(request, obj, form, change)
        for session in sessions:
            record_revision(
                session,
                editor=request.user,
                kind=RevisionKind.HAND_EDIT,
                reason=form.cleaned_data.get("change_reason", ""),
                source=form.cleaned_data.get("change_source", ""),
            )

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        result = self.get_object(request, object_id)
        if result is not None and _needs_reason(result.session):
            self.message_user(request, FINAL_DELETE, messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:series_session_change", args=[result.session_id])
            )
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj: Result) -> None:
        session = obj.session
        ensure_baseline(session)
        super().delete_model(request, obj)
        record_revision(session, editor=request.user, kind=RevisionKind.HAND_EDIT)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Result]) -> None:
        sessions = list(Session.objects.filter(pk__in=queryset.values("session_id")))
        for session in sessions:
            ensure_baseline(session)
        super().delete_queryset(request, queryset)
        for session in sessions:
            record_revision(session, editor=request.user, kind=RevisionKind.HAND_EDIT)

    def get_actions(
        self, request: HttpRequest
    ) -> dict[str, tuple[Callable[..., str], str, str] | None]:
        actions = super().get_actions(request)
        selected = actions.get("delete_selected")
        if selected is not None:
            delete_selected, name, description = selected

            # django-stubs type a Django 5 action's function as returning str; Django's actions
            # return a response or None, as this one is typed.
            def guarded(
                modeladmin: admin.ModelAdmin[Result],
                request: HttpRequest,
                queryset: QuerySet[Result],
            ) -> HttpResponseBase | None:
                if queryset.filter(session__status__in=FINAL_STATUSES).exists():
                    modeladmin.message_user(request, FINAL_DELETE, messages.ERROR)
                    return None
                return cast(
                    "HttpResponseBase | None", delete_selected(modeladmin, request, queryset)
                )

            actions["delete_selected"] = (guarded, name, description)  # type: ignore[assignment]
        return actions


FINAL_DELETE = (
    "Nothing was deleted: a result of a final session is removed from the session's own page, "
    "with the reason for the change (the stewards' decision)."
)


# --- history, revert, penalties ---------------------------------------------------------------


class RevertForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, help_text=REASON_HELP)
    source = forms.CharField(max_length=300, required=False, help_text=SOURCE_HELP)


@admin.register(ClassificationRevision)
class ClassificationRevisionAdmin(ModelAdmin[ClassificationRevision]):
    """The history is a record: read only. Reverting restores a revision as a new one."""

    list_display = (
        "session",
        "number",
        "kind",
        "status",
        "created_at",
        "editor",
        "reason",
        "revert_link",
    )
    list_filter = ("kind", "status")
    search_fields = ("session__name", "session__event__name", "reason", "source")
    list_select_related = ("session__event", "editor")
    readonly_fields = (
        "session",
        "number",
        "created_at",
        "editor",
        "kind",
        "status",
        "reason",
        "source",
        "reverts_to",
        "snapshot",
        "diff",
    )
    fields = readonly_fields

    @admin.display(description="revert")
    def revert_link(self, revision: ClassificationRevision) -> str:
        url = reverse("admin:series_classificationrevision_revert", args=[revision.pk])
        return format_html('<a href="{}">Back to this one…</a>', url)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ClassificationRevision | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ClassificationRevision | None = None
    ) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name="series_classificationrevision_revert",
            ),
            *super().get_urls(),
        ]

    def revert_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("series.change_result"):
            raise PermissionDenied
        revision = get_object_or_404(
            ClassificationRevision.objects.select_related("session__event"), pk=pk
        )
        session = revision.session
        form = RevertForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                made = revert(
                    session,
                    revision,
                    editor=request.user,
                    reason=form.cleaned_data["reason"],
                    source=form.cleaned_data["source"],
                )
            except (ReasonRequired, RevertFailed) as exc:
                form.add_error("reason", str(exc))
            else:
                if made is None:
                    self.message_user(request, "The classification was already this one.")
                else:
                    self.message_user(
                        request,
                        f"{session.name}: revision {revision.number} restored "
                        f"as revision {made.number}.",
                        messages.SUCCESS,
                    )
                return HttpResponseRedirect(
                    reverse("admin:series_session_change", args=[session.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revert {session.name} to revision {revision.number}",
            "revision": revision,
            "session": session,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/series/revert_revision.html", context)


@admin.register(Penalty)
class PenaltyAdmin(ModelAdmin[Penalty]):
    """Penalties are entered here, then applied to the classification from the session: the
    editor sees the proposed order before it is written."""

    list_display = ("session", "entry", "kind", "seconds", "grid_places", "reason", "rescinded")
    list_filter = ("kind", "rescinded")
    search_fields = ("session__name", "entry__driver__name", "reason", "source")
    autocomplete_fields = ("session", "entry")
    list_select_related = ("session", "entry__driver", "entry__season__series")

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "apply/<int:session_pk>/",
                self.admin_site.admin_view(self.apply_view),
                name="series_penalty_apply",
            ),
            *super().get_urls(),
        ]

    def response_add(
        self, request: HttpRequest, obj: Penalty, post_url_continue: str | None = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:series_penalty_apply", args=[obj.session_id]))

    def response_change(self, request: HttpRequest, obj: Penalty) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:series_penalty_apply", args=[obj.session_id]))

    def apply_view(self, request: HttpRequest, session_pk: int) -> HttpResponse:
        """Preview (GET) the classification the session's penalties give; confirm (POST) writes
        it as a revision, provided it is still the order that was previewed."""
        if not request.user.has_perm("series.change_result"):
            raise PermissionDenied
        session = get_object_or_404(Session.objects.select_related("event"), pk=session_pk)
        proposal = apply_time_penalties(session)
        form = RevertForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                confirm_penalties(
                    session,
                    expected=request.POST.get("proposal", ""),
                    editor=request.user,
                    reason=form.cleaned_data["reason"],
                    source=form.cleaned_data["source"],
                )
            except ReasonRequired as exc:
                form.add_error("reason", str(exc))
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, "Penalties applied.", messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:series_session_change", args=[session.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Apply penalties: {session.name}",
            "session": session,
            "proposal": proposal,
            "form": form,
            "needs_reason": _needs_reason(session),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/series/apply_penalties.html", context)
