"""Imports in the admin: an editor uploads a results CSV on a season's or a session's page (or a
season table on the seasons' list), sees a dry run of what would change or every bad row, then
confirms. Also the champion check shown on the season pages.

The confirmed import runs the file again for real: the preview's outcome could be stale, and the
importer is repeatable, so a second run does exactly what the file says against the record as it
is now. Between the two steps the file travels in a hidden field, signed (django.core.signing) so
that what is confirmed is what was previewed, by this site, for this page, within the hour.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import secrets
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from .admin_guard import changes_since, record_fingerprint
from .imports.api import import_results, import_season
from .imports.entries import (
    ENTRY_COLUMNS,
    MAX_ENTRY_ROWS,
    EntriesReport,
    copy_entries,
    import_entries,
    previous_season,
)
from .imports.names import CREATE, NearMatch
from .imports.report import ImportFailed, ImportReport, RowError
from .imports.result_rows import MAX_RESULT_ROWS, RESULT_COLUMNS
from .imports.timing import to_results_csv
from .models import Entry, Result, RevisionKind, Season, Session
from .revisions import ReasonRequired, change_context
from .selectors.champion_check import champion_check, champion_summaries

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
PASTED = "pasted text"  # the "file name" of a paste in previews and the history
# A signed payload carries the file (at most 2 MB of text, compressed, base64) and the options;
# anything longer was not made by this page.
MAX_PAYLOAD_CHARS = 4 * 1024 * 1024
CONFIRM_MAX_AGE = 60 * 60  # seconds an editor has to read a preview and confirm it
SIGNING_SALT = "series.admin_import"

RESULT_PERMISSIONS = ("series.add_result", "series.change_result")
ENTRY_PERMISSIONS = ("series.add_entry", "series.change_entry", "series.delete_entry")
# A season table writes the season, its scoring rules, classes, rounds and sessions, and removes
# the rounds, sessions and classes the file no longer lists.
SEASON_PERMISSIONS = (
    "series.add_season",
    "series.change_season",
    "series.add_scoringrules",
    "series.change_scoringrules",
    "series.add_seasonclass",
    "series.change_seasonclass",
    "series.delete_seasonclass",
    "series.add_round",
    "series.change_round",
    "series.delete_round",
    "series.add_session",
    "series.change_session",
    "series.delete_session",
)

# The mixins are used with ModelAdmin (SeasonAdmin, SessionAdmin): type them as one.
if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object


# --- forms --------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    """A text file of at most 2 MB (UTF-8) or the same text pasted; source_text is the text."""

    extensions: tuple[str, ...] = ()
    max_rows: int = MAX_RESULT_ROWS
    pasting = False  # offer a paste box beside the upload
    file = forms.FileField(label="File", required=False)
    text = forms.CharField(
        label="…or paste",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 110, "spellcheck": "false"}),
    )

    def __init__(self, *args, file_help: str = "", paste_help: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators.append(FileExtensionValidator(list(self.extensions)))
        self.fields["file"].help_text = file_help
        if self.pasting:
            self.fields["text"].help_text = paste_help
        else:
            del self.fields["text"]
            self.fields["file"].required = True
        self.file_name = ""
        self.source_text = ""

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if not upload:
            return ""
        self.file_name = upload.name
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 2 MB. "
                "Split it, by rounds for instance."
            )
        raw = upload.read()
        if not raw.strip():
            raise forms.ValidationError("The file is empty.")
        if b"\x00" in raw:
            raise forms.ValidationError("This is not a text file.")
        try:
            # utf-8-sig: spreadsheet programs often start a "CSV UTF-8" file with a byte-order mark.
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                f"The file is not UTF-8 text (bad byte at position {exc.start}). Save it as "
                "“CSV UTF-8” (or UTF-8 text) and upload it again."
            ) from None

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text", "")
        if len(text.encode("utf-8", "surrogatepass")) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The pasted text is over 2 MB. Paste one session at a time."
            )
        if "\x00" in text:
            raise forms.ValidationError("The pasted text holds a NUL byte: this is not text.")
        return text

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        file_text, pasted = cleaned.get("file"), cleaned.get("text", "")
        if self.errors:
            return cleaned
        field = "file"
        if file_text and pasted.strip():
            raise forms.ValidationError("Upload a file or paste the text, not both.")
        if pasted.strip():
            self.source_text, field, self.file_name = pasted, "text", PASTED
        elif file_text:
            self.source_text = file_text
        else:
            self.add_error(
                "text" if self.pasting else "file",
                "Choose a file or paste a classification." if self.pasting else "Choose a file.",
            )
            return cleaned
        rows = self.source_text.count("\n")
        if rows > self.max_rows + 1:
            self.add_error(
                field,
                f"{rows:,} lines: the limit is {self.max_rows:,} rows per import. Split it, by "
                "rounds or sessions for instance.",
            )
            return cleaned
        try:
            self.check_text(self.source_text)
        except forms.ValidationError as error:
            self.add_error(field, error)
        return cleaned

    def check_text(self, text: str) -> None:
        """More checks of the decoded text, raising ValidationError."""

    def options(self) -> dict:
        return {}


@contextlib.contextmanager
def _revision_reason(request: HttpRequest, options: dict) -> Iterator[dict]:
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


def _looks_tabular(text: str, known_columns) -> bool:
    """The first line names columns: separated by commas or tabs, or a timing sheet's header."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first_line or "," in first_line:
        try:
            header = next(csv.reader([first_line], delimiter="\t" if "\t" in first_line else ","))
        except csv.Error:
            return False
        return len(header) >= 2
    return bool(known_columns(text))


class ResultsUploadForm(UploadForm):
    extensions = ("csv", "txt", "tsv")
    pasting = True
    create_missing = forms.BooleanField(
        required=False,
        label="Create missing drivers and teams",
        help_text="Otherwise an unknown driver or team is an error that suggests near matches. "
        "A new name close to a known one (Scot Nobel beside Scott Noble) still asks you first.",
    )
    mark_final = forms.BooleanField(
        required=False,
        label="Mark the imported sessions final",
        help_text="Otherwise a scheduled session becomes provisional and the others keep their "
        "status.",
    )
    reason = forms.CharField(
        required=False,
        max_length=300,
        label="Reason for the change",
        help_text="Required when the results of a session that has been final change: the "
        "stewards' decision, e.g. 'Decision 12: car 7 +5 s'. Fans see it in "
        "the session's change log.",
    )
    source = forms.CharField(
        required=False,
        max_length=300,
        label="Source",
        help_text="The decision's number and/or address, if any.",
    )

    def check_text(self, text: str) -> None:
        def timing_header(text: str) -> bool:
            converted, errors = to_results_csv(text)
            return bool(converted.strip()) and not any(e.row <= 1 for e in errors)

        if not _looks_tabular(text, timing_header):
            raise forms.ValidationError(
                "This does not look like a CSV file or a timing sheet: its first line should "
                "name the columns (Pos, No, Driver, Team, Laps, Time/Gap, ... or the CSV columns "
                "round,session,position,status,number,driver,...)."
            )

    def options(self) -> dict:
        return {
            "create_missing": self.cleaned_data["create_missing"],
            "mark_final": self.cleaned_data["mark_final"],
            "reason": self.cleaned_data["reason"],
            "source": self.cleaned_data["source"],
        }


class EntriesUploadForm(UploadForm):
    extensions = ("csv", "txt", "tsv")
    pasting = True
    max_rows = MAX_ENTRY_ROWS
    create_missing = forms.BooleanField(
        required=False,
        label="Create missing drivers and teams",
        help_text="A new name close to a known one still asks you first.",
    )

    def check_text(self, text: str) -> None:
        if not _looks_tabular(text, lambda text: False) and "driver" not in text.lower():
            raise forms.ValidationError(
                "This does not look like an entry list: its first line should name the columns "
                f"({', '.join(ENTRY_COLUMNS)})."
            )

    def options(self) -> dict:
        return {"create_missing": self.cleaned_data["create_missing"]}


class SeasonUploadForm(UploadForm):
    extensions = ("toml", "txt")


# --- a session's page: only that session's rows ------------------------------------------------


def _csv_lines(text: str, errors: list[RowError]):
    """(line, lines consumed, cells) of a CSV; a line the csv module cannot read (a field over its
    limit) is a row error, and reading goes on."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            consumed, line = reader.line_num - line, reader.line_num
            errors.append(RowError(line, f"cannot read the line: {exc}"))
            yield line, consumed, None
            continue
        consumed, line = reader.line_num - line, reader.line_num
        yield line, consumed, row


_NO_ROUND = (
    "the session belongs to no round of a season, so it has no entries: give it a round first"
)


def limit_to_session(csv_text: str, session: Session) -> tuple[str, list[RowError]]:
    """The CSV with its round and session columns filled in for this session (added if missing,
    blanks filled), and an error for every row that names another round or session. Lines keep
    their numbers, so the importer's errors still name the editor's lines."""
    if session.round is None:
        return csv_text, [RowError(0, _NO_ROUND)]
    round_number = session.round.number
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    errors: list[RowError] = []
    label = f"round {round_number} {session.kind} ({session.slug})"
    header = None
    for line, consumed, row in _csv_lines(csv_text, errors):
        if row is None or not any(cell.strip() for cell in row):
            # The importer skips a blank row; keep it to keep line numbers.
            output.write("\n" * consumed)
            continue
        if header is None:
            header = row
            columns = [column.strip().lower() for column in header]
            added = [column for column in ("round", "session") if column not in columns]
            writer.writerow([*header, *added])
            columns += added
            continue
        if len(row) != len(header):
            # Named here, against the editor's own header: the importer would count the columns
            # added above. The blank lines left in its place are skipped by the importer.
            errors.append(RowError(line, f"{len(row)} fields where the header has {len(header)}"))
            output.write("\n" * consumed)
            continue
        cells = dict(zip(columns, [*row, *([""] * len(added))], strict=True))
        given_round = cells["round"].strip()
        given_session = cells["session"].strip().lower()
        # A round that is not a number is left to the importer, which names it.
        if given_round.isdigit() and int(given_round) != round_number:
            errors.append(
                RowError(
                    line,
                    f"round {given_round}: this page imports {label} only "
                    "(import other rounds on the season's page)",
                )
            )
        elif given_session and given_session not in {session.slug, session.kind}:
            errors.append(
                RowError(
                    line,
                    f"session {cells['session'].strip()!r}: this page imports {label} only "
                    "(import other sessions on the season's page)",
                )
            )
        cells["round"] = given_round or str(round_number)
        # The slug, not the kind: a round with two races would make "race" ambiguous.
        if not given_session or given_session == session.kind:
            cells["session"] = session.slug
        writer.writerow([cells[column] for column in columns])
    if header is None:
        return csv_text, errors
    return output.getvalue(), errors


def import_session_results(
    session: Session,
    text: str,
    *,
    dry_run: bool,
    create_missing: bool = False,
    mark_final: bool = False,
    choices: dict[str, str] | None = None,
    preview: bool = False,
) -> ImportReport:
    """import_results limited to one session, from the results CSV or a pasted timing sheet;
    raises ImportFailed naming every bad row, the rows of other sessions among them, and writes
    nothing then."""
    if session.round is None:
        raise ImportFailed([RowError(0, _NO_ROUND)])
    season = session.round.season
    csv_text, errors = to_results_csv(text)
    if errors:
        raise ImportFailed(errors)
    limited_text, errors = limit_to_session(csv_text, session)

    def run(dry_run: bool, preview: bool = False) -> ImportReport:
        return import_results(
            season,
            limited_text,
            dry_run=dry_run,
            create_missing=create_missing,
            mark_final=mark_final,
            choices=choices,
            preview=preview,
        )

    if errors:
        # Report the file's other faults too, so the editor fixes everything at once.
        near_matches: list[NearMatch] = []
        try:
            run(dry_run=True)
        except ImportFailed as failure:
            errors += failure.errors
            near_matches = failure.near_matches
        raise ImportFailed(errors, near_matches)
    return run(dry_run=dry_run, preview=preview)


# --- the upload, preview and confirm pages -------------------------------------------------------


@dataclass
class _Import:
    """One kind of import on one page of the admin."""

    title: str
    target: str  # what the upload is for; a confirmation made for another target is refused
    form_class: type[UploadForm]
    # (text, options, dry_run) -> (report, object the import wrote to: season or session)
    run: Callable[[str, dict, bool], tuple[ImportReport | EntriesReport, models.Model | None]]
    cancel_url: str
    obj: models.Model | None = None
    file_help: str = ""
    paste_help: str = ""
    intro: str = ""
    describe: Callable[[str], str] | None = None  # names what a file is about, for the preview
    template_url: str = ""  # a CSV to start from
    # A fingerprint of the record the import reads and replaces: a confirmation applies only to
    # the state it was previewed against (series/admin_guard.py).
    state: Callable[[], str] | None = None


def _counts(report) -> list[tuple[str, str]]:
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


def _counts_text(report) -> str:
    return "; ".join(f"{bucket} {counts}" for bucket, counts in _counts(report)) or "no changes"


def _sign(data: dict) -> str:
    return signing.dumps(data, salt=SIGNING_SALT, compress=True)


def _unsign(signed: str, target: str) -> dict:
    """Raises signing.BadSignature for anything this page did not make within the hour."""
    if len(signed) > MAX_PAYLOAD_CHARS:
        raise signing.BadSignature("payload too long")
    data = signing.loads(signed, salt=SIGNING_SALT, max_age=CONFIRM_MAX_AGE)
    if not isinstance(data, dict) or data.get("target") != target:
        raise signing.BadSignature("payload for another page")
    return data


def _refused(request, flow: _Import, context: dict, template: str) -> HttpResponse:
    context["form"] = _blank_form(flow)
    context["refused"] = (
        "This confirmation could not be checked: it was altered, made for another page, or "
        "is more than an hour old. Nothing was imported; upload the file again."
    )
    return TemplateResponse(request, template, context, status=400)


def _blank_form(flow: _Import, *args) -> UploadForm:
    return flow.form_class(*args, file_help=flow.file_help, paste_help=flow.paste_help)


def _run_import_page(request: HttpRequest, model_admin, flow: _Import) -> HttpResponse:
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


def _preview(request, flow: _Import, context, template, text, options, file_name):
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


def _confirm(request, model_admin, flow: _Import, context: dict, template: str) -> HttpResponse:
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


def _entry_cells(entry: Entry) -> list:
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


def _stale_confirmation(flow: _Import, payload: dict) -> str:
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


def _require(request: HttpRequest, permissions: tuple[str, ...]) -> None:
    if not request.user.has_perms(permissions):
        raise PermissionDenied


def _object_or_404(model_admin, request: HttpRequest, object_id: str):
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404(f"No {model_admin.model._meta.verbose_name} with id {object_id!r}.")
    return obj


_RESULTS_INTRO = (
    "The import replaces the results of every session the file names and creates or updates "
    "each driver's entry. You see what would change before anything is written."
)


def _season_table_title(text: str) -> str:
    data = tomllib.loads(text)  # the dry run has already parsed it
    return f"Season table of {data.get('series', '?')} {data.get('year', '?')}"


class SeasonImportMixin(_AdminBase):
    """For SeasonAdmin: "Import results" on a season's page, "Import season" on the list, and
    the champion check (a column on the list, a section on the page)."""

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        urls = [
            path(
                "import-season/",
                self.admin_site.admin_view(self.import_season_view),
                name=f"{prefix}_import_season",
            ),
            path(
                "<path:object_id>/import-results/",
                self.admin_site.admin_view(self.import_results_view),
                name=f"{prefix}_import_results",
            ),
            path(
                "<path:object_id>/import-entries/",
                self.admin_site.admin_view(self.import_entries_view),
                name=f"{prefix}_import_entries",
            ),
            path(
                "<path:object_id>/entries-template.csv",
                self.admin_site.admin_view(self.entries_template_view),
                name=f"{prefix}_entries_template",
            ),
        ]
        return urls + super().get_urls()

    def import_entries_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        _require(request, ENTRY_PERMISSIONS)
        season = _object_or_404(self, request, object_id)

        def run(text: str, options: dict, dry_run: bool):
            return import_entries(season, text, dry_run=dry_run, **options), season

        columns = ", ".join(ENTRY_COLUMNS)
        flow = _Import(
            title=f"Entry list: {season}",
            target=f"entries:season:{season.pk}",
            form_class=EntriesUploadForm,
            run=run,
            cancel_url=reverse("admin:series_season_change", args=[season.pk]),
            obj=season,
            file_help=f"A CSV (UTF-8, at most {MAX_ENTRY_ROWS:,} lines) with a header naming the "
            f"columns: {columns}. Only driver is required.",
            paste_help="Or paste the list from a spreadsheet (tab-separated, with its header "
            "line). Car 7 changes driver from round 5: two lines with number 7, the second "
            "with from_round 5.",
            intro="The list you load is the season's entry list: its lines are created or "
            "updated, and entries it no longer names are removed unless they have results. You "
            "see the list as it will be stored before anything is written.",
            template_url=reverse("admin:series_season_entries_template", args=[season.pk]),
            state=lambda: record_fingerprint(season, [season.entries.all()]),
        )
        return _run_import_page(request, self, flow)

    def entries_template_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        season = _object_or_404(self, request, object_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="entries-{season.series.slug}-{season.year}.csv"'
        )
        writer = csv.writer(response, lineterminator="\n")
        writer.writerow(ENTRY_COLUMNS)
        for entry in season.entries.select_related("driver", "team", "season_class"):
            writer.writerow(_entry_cells(entry))
        return response

    @admin.action(description="Copy the previous season's entry list into the selected seasons")
    def copy_previous_entries(self, request: HttpRequest, queryset) -> None:
        _require(request, ENTRY_PERMISSIONS)
        for season in queryset.select_related("series"):
            source = previous_season(season)
            if source is None:
                messages.warning(request, f"{season}: no earlier season of this series to copy.")
                continue
            copies = copy_entries(source, season)
            message = f"{season}: {len(copies)} entries copied from {source}"
            if copies:
                self.log_change(request, season, message)
            messages.success(request, message + ". Check them, then load the real entry list.")

    def import_results_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        _require(request, RESULT_PERMISSIONS)
        season = _object_or_404(self, request, object_id)

        def run(text: str, options: dict, dry_run: bool):
            with _revision_reason(request, options) as options:
                report = import_results(season, text, dry_run=dry_run, preview=dry_run, **options)
            return report, season

        flow = _Import(
            title=f"Import results: {season}",
            target=f"results:season:{season.pk}",
            form_class=ResultsUploadForm,
            run=run,
            cancel_url=reverse("admin:series_season_change", args=[season.pk]),
            obj=season,
            file_help="A results CSV, one line per car per session (UTF-8, at most 2 MB), "
            "columns as in the README (Importing seasons and results): round and driver, a "
            "position or a status, then any of session, number, team, class, guest, time, "
            "best_lap, pole ...",
            intro=_RESULTS_INTRO,
            state=lambda: record_fingerprint(
                season,
                [Result.objects.filter(session__round__season=season), season.entries.all()],
            ),
        )
        return _run_import_page(request, self, flow)

    def import_season_view(self, request: HttpRequest) -> HttpResponse:
        _require(request, SEASON_PERMISSIONS)

        def run(text: str, options: dict, dry_run: bool):
            season, report = import_season(text, dry_run=dry_run)
            return report, season

        flow = _Import(
            title="Import a season table",
            target="season-table",
            form_class=SeasonUploadForm,
            run=run,
            cancel_url=reverse("admin:series_season_changelist"),
            file_help="A season table in TOML (UTF-8, at most 2 MB) as in the README (Importing "
            "seasons and results): the season, its [scoring], classes and [[rounds]]. Series and "
            "events must exist.",
            intro="Creates or updates the season, its scoring rules, classes, rounds and "
            "sessions. Rounds, sessions and classes the file no longer lists are removed.",
            describe=_season_table_title,
        )
        return _run_import_page(request, self, flow)

    def get_changelist(self, request, **kwargs):
        return ChampionCheckChangeList

    @admin.display(description="champion check")
    def champion_check_column(self, season: Season) -> str:
        # Filled in for the whole page at once by ChampionCheckChangeList.
        return getattr(season, "champion_summary", "")

    @admin.display(description="champion check")
    def champion_check_report(self, season: Season) -> str:
        if season.pk is None:
            return "Shown once the season is saved."
        return render_to_string(
            "admin/series/season/_champion_check.html", {"checks": champion_check(season)}
        )


class ChampionCheckChangeList(ChangeList):
    """Works out the champion check for the page of seasons in a fixed number of queries (the
    standings of complete seasons come from the cache once computed)."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        summaries = champion_summaries(self.result_list)
        for season in self.result_list:
            season.champion_summary = summaries[season.pk]


class SessionImportMixin(_AdminBase):
    """For SessionAdmin: "Import results" on a session's page, limited to that session."""

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        urls = [
            path(
                "<path:object_id>/import-results/",
                self.admin_site.admin_view(self.import_results_view),
                name=f"{prefix}_import_results",
            ),
            path(
                "<path:object_id>/results-template.csv",
                self.admin_site.admin_view(self.results_template_view),
                name=f"{prefix}_results_template",
            ),
        ]
        return urls + super().get_urls()

    def results_template_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A CSV to fill in: the header and, where the session has a round, one line per car of
        the entry list valid for that round (number, driver, team, class)."""
        session = _object_or_404(self, request, object_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="results-{session.slug}.csv"'
        columns = [c for c in RESULT_COLUMNS if c not in ("round", "session")]
        writer = csv.writer(response, lineterminator="\n")
        writer.writerow(columns)
        if session.round is not None:
            entries = Entry.objects.filter(season_id=session.round.season_id).select_related(
                "driver", "team", "season_class"
            )
            for entry in entries:
                if not entry.runs_in_round(session.round.number):
                    continue
                cells = {
                    "number": entry.car_number if entry.car_number is not None else "",
                    "driver": entry.driver.name,
                    "team": entry.team.name if entry.team else "",
                    "class": entry.season_class.name if entry.season_class else "",
                }
                writer.writerow([cells.get(column, "") for column in columns])
        return response

    def import_results_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        _require(request, RESULT_PERMISSIONS)
        session = _object_or_404(self, request, object_id)
        change_url = reverse("admin:series_session_change", args=[session.pk])
        if session.round is None:
            messages.error(
                request,
                "This session belongs to no round of a season, so it has no entries to import "
                "results for. Give it a round first.",
            )
            return HttpResponseRedirect(change_url)

        def run(text: str, options: dict, dry_run: bool):
            with _revision_reason(request, options) as options:
                report = import_session_results(
                    session, text, dry_run=dry_run, preview=dry_run, **options
                )
            return report, session

        flow = _Import(
            title=f"Import results: {session} ({session.round.season})",
            target=f"results:session:{session.pk}",
            form_class=ResultsUploadForm,
            run=run,
            cancel_url=change_url,
            obj=session,
            file_help=f"A results CSV for this session only (UTF-8, at most 2 MB), or a timing "
            f"sheet saved as text. The round and session columns may be left out or blank: they "
            f"mean round {session.round.number} {session.kind} ({session.slug}). A row naming "
            "another round or session is refused with its line number.",
            paste_help="Or paste the classification as the timing sheet or spreadsheet gives it, "
            "header line included: Pos, No, Driver, Nat, Team, Class, Laps, Time/Gap, Best lap "
            "(any order; DNF, DNS, DSQ, NC in the Pos column). Cars are found by their number on "
            "the entry list, so an abbreviated or missing driver column is fine.",
            intro=_RESULTS_INTRO,
            template_url=reverse("admin:series_session_results_template", args=[session.pk]),
            state=lambda: record_fingerprint(
                session, [session.results.all(), Entry.objects.filter(season=session.round.season)]
            ),
        )
        return _run_import_page(request, self, flow)
