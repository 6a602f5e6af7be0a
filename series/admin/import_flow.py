"""The upload, preview and confirm pages of an import in the admin. The confirmed import runs the
file again for real: the preview's outcome could be stale, and the importer is repeatable, so a
second run does exactly what the file says against the record as it is now. Between the two
steps the file travels in a hidden field, signed (django.core.signing) so that what is confirmed
is what was previewed, by this site, for this page, within the hour; a confirmation applies only
to the state of the record it was previewed against (guard.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from ..imports.entries import (
    EntriesReport,
)
from ..imports.names import CREATE
from ..imports.report import ImportFailed, ImportReport, RowError
from ..models import Entry, RevisionKind
from ..revisions import ReasonRequired, change_context
from .guard import changes_since
from .import_forms import (
    CONFIRM_MAX_AGE,
    MAX_PAYLOAD_CHARS,
    PASTED,
    SIGNING_SALT,
    ImportOptions,
    UploadForm,
)

_ModelT = TypeVar("_ModelT", bound=models.Model)


@contextlib.contextmanager
def revision_reason(request: HttpRequest, options: ImportOptions) -> Iterator[ImportOptions]:
    """The import's revisions name the editor and the reason given in the form; a final session
    changed without a reason is refused as an import error (nothing written), not a 500."""
    options = dict(options)
    reason, source = options.pop("reason", ""), options.pop("source", "")
    try:
        with change_context(
            editor=request.user, kind=RevisionKind.IMPORT, reason=reason, source=source
        ):
            yield options
    except ReasonRequired as refusal:
        raise ImportFailed(
            [RowError(0, f"{refusal} Fill in 'Reason for the change' and preview again.")]
        ) from None


@dataclass
class ImportFlow:
    """One kind of import on one page of the admin."""

    title: str
    target: str  # what the upload is for; a confirmation made for another target is refused
    form_class: type[UploadForm]
    # (text, options, dry_run) -> (report, object the import wrote to: season or session)
    run: Callable[
        [str, ImportOptions, bool], tuple[ImportReport | EntriesReport, models.Model | None]
    ]
    cancel_url: str
    obj: models.Model | None = None
    file_help: str = ""
    paste_help: str = ""
    intro: str = ""
    describe: Callable[[str], str] | None = None  # names what a file is about, for the preview
    template_url: str = ""  # a CSV to start from
    # A fingerprint of the record the import reads and replaces: a confirmation applies only to
    # the state it was previewed against (guard.py).
    state: Callable[[], str] | None = None


def _counts(report: ImportReport | EntriesReport) -> list[tuple[str, str]]:
    if isinstance(report, EntriesReport):
        counts = [
            ("created", f"{report.created} entries" if report.created else ""),
            ("updated", f"{report.updated} entries" if report.updated else ""),
            ("removed", f"{len(report.removed)} entries" if report.removed else ""),
        ]
        if report.new_names:
            counts.append(("to create", ", ".join(report.new_names)))
        return [(bucket, text) for bucket, text in counts if text]
    return [
        (bucket, ", ".join(f"{n} {label}" for label, n in sorted(counts.items())))
        for bucket in ("created", "updated", "deleted")
        if (counts := getattr(report, bucket))
    ]


def _counts_text(report: ImportReport | EntriesReport) -> str:
    return "; ".join(f"{bucket} {counts}" for bucket, counts in _counts(report)) or "no changes"


def _sign(data: dict[str, Any]) -> str:
    return signing.dumps(data, salt=SIGNING_SALT, compress=True)


def _unsign(signed: str, target: str) -> dict[str, Any]:
    """Raises signing.BadSignature for anything this page did not make within the hour."""
    if len(signed) > MAX_PAYLOAD_CHARS:
        raise signing.BadSignature("payload too long")
    data = signing.loads(signed, salt=SIGNING_SALT, max_age=CONFIRM_MAX_AGE)
    if not isinstance(data, dict) or data.get("target") != target:
        raise signing.BadSignature("payload for another page")
    return data


def _refused(
    request: HttpRequest, flow: ImportFlow, context: dict[str, Any], template: str
) -> HttpResponse:
    context["form"] = _blank_form(flow)
    context["refused"] = (
        "This confirmation could not be checked: it was altered, made for another page, or "
        "is more than an hour old. Nothing was imported; upload the file again."
    )
    return TemplateResponse(request, template, context, status=400)


def _blank_form(flow: ImportFlow, *args: Any) -> UploadForm:
    return flow.form_class(*args, file_help=flow.file_help, paste_help=flow.paste_help)


def run_import_page(
    request: HttpRequest, model_admin: admin.ModelAdmin[Any], flow: ImportFlow
) -> HttpResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": flow.title,
        "flow": flow,
        "original": flow.obj,
    }
    template = "admin/series/import.html"
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request, model_admin, flow, context, template)
    if request.method == "POST" and "draft" in request.POST:
        # The editor's choices for new names close to known ones, then the preview again.
        try:
            draft = _unsign(request.POST["draft"], flow.target)
        except signing.BadSignature:
            return _refused(request, flow, context, template)
        choices = dict(draft["options"].get("choices") or {})
        for index, (key, slugs) in enumerate(draft["near"]):
            picked = request.POST.get(f"near-{index}", "")
            if picked == CREATE or picked in slugs:
                choices[key] = picked
        options = {**draft["options"], "choices": choices}
        return _preview(request, flow, context, template, draft["text"], options, draft["name"])

    form = _blank_form(flow, request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, template, context)
    return _preview(
        request, flow, context, template, form.source_text, form.options(), form.file_name
    )


def _preview(
    request: HttpRequest,
    flow: ImportFlow,
    context: dict[str, Any],
    template: str,
    text: str,
    options: ImportOptions,
    file_name: str,
) -> HttpResponse:
    try:
        report, _ = flow.run(text, options, True)
    except ImportFailed as failure:
        context["errors"] = failure.errors
        # A paste comes back in its box, so the editor corrects it there rather than pasting again.
        initial = {"text": text, **options} if file_name == PASTED else {}
        initial.pop("choices", None)
        context["form"] = flow.form_class(
            initial=initial, file_help=flow.file_help, paste_help=flow.paste_help
        )
        if failure.near_matches:
            context["near_matches"] = failure.near_matches
            context["draft"] = _sign(
                {
                    "target": flow.target,
                    "name": file_name,
                    "text": text,
                    "options": options,
                    "near": [
                        (near.field_name, [slug for slug, _ in near.candidates])
                        for near in failure.near_matches
                    ],
                }
            )
        return TemplateResponse(request, template, context)
    payload = {
        "target": flow.target,
        "file_name": file_name,
        "text": text,
        "options": options,
        "state": flow.state() if flow.state else "",
        "previewed_at": timezone.now().isoformat(),
        "nonce": secrets.token_hex(6),
    }
    context.update(
        report=report,
        counts=_counts(report),
        file_name=file_name,
        described=flow.describe(text) if flow.describe else "",
        payload=_sign(payload),
        form=None,
        chosen=[
            (key.partition(":")[2], value) for key, value in (options.get("choices") or {}).items()
        ],
    )
    return TemplateResponse(request, template, context)


def _confirm(
    request: HttpRequest,
    model_admin: admin.ModelAdmin[Any],
    flow: ImportFlow,
    context: dict[str, Any],
    template: str,
) -> HttpResponse:
    try:
        payload = _unsign(request.POST["payload"], flow.target)
    except signing.BadSignature:
        return _refused(request, flow, context, template)
    try:
        with transaction.atomic():
            if flow.obj is not None:
                # Two confirmations of one page wait for each other; the second then finds the
                # state changed and is refused.
                type(flow.obj)._default_manager.select_for_update().filter(pk=flow.obj.pk).first()
            refusal = _stale_confirmation(flow, payload)
            if refusal:
                context["form"] = _blank_form(flow)
                context["refused"] = refusal
                return TemplateResponse(request, template, context, status=409)
            report, obj = flow.run(payload["text"], payload["options"], False)
    except ImportFailed as failure:
        # The record changed since the preview (a driver renamed, a round removed...).
        context["form"] = _blank_form(flow)
        context["errors"] = failure.errors
        return TemplateResponse(request, template, context)
    message = f"Imported {payload['file_name']}: {_counts_text(report)}."
    if payload.get("nonce"):
        message += f" [confirmation {payload['nonce']}]"
    if obj is not None and report.changed_anything:
        created = getattr(report, "created", None)
        if isinstance(created, dict) and created.get("seasons"):
            model_admin.log_addition(request, obj, message)
        else:
            model_admin.log_change(request, obj, message)
    messages.success(request, message)
    if request.GET.get("next") == "race-control":
        return HttpResponseRedirect(reverse("admin:series_session_race_control"))
    if obj is None:
        return HttpResponseRedirect(flow.cancel_url)
    opts = obj._meta
    return HttpResponseRedirect(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )


def entry_cells(entry: Entry) -> list[int | str]:
    return [
        entry.car_number if entry.car_number is not None else "",
        entry.driver.name,
        entry.team.name if entry.team else "",
        entry.season_class.name if entry.season_class else "",
        "yes" if entry.guest else "no",
        "yes" if entry.rookie else "no",
        entry.driver.nationality,
        entry.from_round or "",
        entry.to_round or "",
    ]


def _stale_confirmation(flow: ImportFlow, payload: dict[str, Any]) -> str:
    """Why a confirmation may not be applied now ("" when it may)."""
    if not flow.state or not payload.get("state") or flow.obj is None:
        return ""
    nonce = payload.get("nonce", "")
    content_type = ContentType.objects.get_for_model(type(flow.obj))
    applied = (
        LogEntry.objects.filter(
            content_type=content_type,
            object_id=str(flow.obj.pk),
            change_message__contains=f"[confirmation {nonce}]",
        )
        .select_related("user")
        .first()
        if nonce
        else None
    )
    if applied is not None:
        when = timezone.localtime(applied.action_time)
        return (
            f"This confirmation was already applied, by {applied.user.get_username()} at "
            f"{when:%H:%M:%S}. Nothing was imported again."
        )
    if flow.state() == payload["state"]:
        return ""
    since = dt.datetime.fromisoformat(payload["previewed_at"])
    return (
        f"The record changed since this preview: {changes_since(flow.obj, since)}. Nothing was "
        "imported: preview the file again to see what it would change now."
    )


def require(request: HttpRequest, permissions: tuple[str, ...]) -> None:
    if not request.user.has_perms(permissions):
        raise PermissionDenied


def object_or_404(
    model_admin: admin.ModelAdmin[_ModelT], request: HttpRequest, object_id: str
) -> _ModelT:
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404(f"No {model_admin.model._meta.verbose_name} with id {object_id!r}.")
    return obj
