"""Imports in the admin: an editor uploads a results CSV on a season's or a session's page (or a
season table on the seasons' list), sees a dry run of what would change or every bad row, then
confirms. Also the champion check shown on the season pages.

The confirmed import runs the file again for real: the preview's outcome could be stale, and the
importer is repeatable, so a second run does exactly what the file says against the record as it
is now. Between the two steps the file travels in a hidden field, signed (django.core.signing) so
that what is confirmed is what was previewed, by this site, for this page, within the hour.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .importers import ImportFailed, ImportReport, RowError, import_results, import_season
from .models import Season, Session
from .selectors.champion_check import champion_check, champion_summaries

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A signed payload carries the file (at most 2 MB of text, compressed, base64) and the options;
# anything longer was not made by this page.
MAX_PAYLOAD_CHARS = 4 * 1024 * 1024
CONFIRM_MAX_AGE = 60 * 60  # seconds an editor has to read a preview and confirm it
SIGNING_SALT = "series.admin_import"

RESULT_PERMISSIONS = ("series.add_result", "series.change_result")
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


# --- forms --------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    """A text file of at most 2 MB, UTF-8; cleaned_data["file"] is its text."""

    extensions: tuple[str, ...] = ()
    file = forms.FileField(label="File")

    def __init__(self, *args, file_help: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators.append(FileExtensionValidator(list(self.extensions)))
        self.fields["file"].help_text = file_help
        self.file_name = ""

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
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
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                f"The file is not UTF-8 text (bad byte at position {exc.start}). Save it as "
                "“CSV UTF-8” (or UTF-8 text) and upload it again."
            ) from None
        self.check_text(text)
        return text

    def check_text(self, text: str) -> None:
        """More checks of the decoded text, raising ValidationError."""

    def options(self) -> dict[str, bool]:
        return {}


class ResultsUploadForm(UploadForm):
    extensions = ("csv", "txt")
    create_missing = forms.BooleanField(
        required=False,
        label="Create missing drivers and teams",
        help_text="Otherwise an unknown driver or team is an error that suggests near matches.",
    )
    mark_final = forms.BooleanField(
        required=False,
        label="Mark the imported sessions final",
        help_text="Otherwise a scheduled session becomes provisional and the others keep their "
        "status.",
    )

    def check_text(self, text: str) -> None:
        first_line = next((line for line in text.splitlines() if line.strip()), "")
        header = next(csv.reader([first_line]), [])
        if len(header) < 2:
            raise forms.ValidationError(
                "This does not look like a CSV file: its first line should name the columns, "
                "separated by commas (round,session,position,status,number,driver,...)."
            )

    def options(self) -> dict[str, bool]:
        return {
            "create_missing": self.cleaned_data["create_missing"],
            "mark_final": self.cleaned_data["mark_final"],
        }


class SeasonUploadForm(UploadForm):
    extensions = ("toml", "txt")


# --- a session's page: only that session's rows ------------------------------------------------


def limit_to_session(csv_text: str, session: Session) -> tuple[str, list[RowError]]:
    """The CSV with its round and session columns filled in for this session (added if missing,
    blanks filled), and an error for every row that names another round or session. Lines keep
    their numbers, so the importer's errors still name the editor's lines."""
    round_number = session.round.number
    reader = csv.reader(io.StringIO(csv_text.lstrip("\ufeff")))
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    errors: list[RowError] = []
    label = f"round {round_number} {session.kind} ({session.slug})"
    header = next(reader, None)
    if header is None:
        return csv_text, errors
    columns = [column.strip().lower() for column in header]
    added = [column for column in ("round", "session") if column not in columns]
    writer.writerow([*header, *added])
    columns += added
    line = reader.line_num
    for row in reader:
        consumed, line = reader.line_num - line, reader.line_num
        if not any(cell.strip() for cell in row):
            writer.writerow(row)  # the importer skips a blank row; keep it to keep line numbers
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
    return output.getvalue(), errors


def import_session_results(
    session: Session, csv_text: str, *, dry_run: bool, create_missing: bool, mark_final: bool
) -> ImportReport:
    """import_results limited to one session; raises ImportFailed naming every bad row, the rows
    of other sessions among them, and writes nothing then."""
    limited_text, errors = limit_to_session(csv_text, session)
    options = {"create_missing": create_missing, "mark_final": mark_final}
    season = session.round.season
    if errors:
        # Report the file's other faults too, so the editor fixes everything at once.
        try:
            import_results(season, limited_text, dry_run=True, **options)
        except ImportFailed as failure:
            errors += failure.errors
        raise ImportFailed(errors)
    return import_results(season, limited_text, dry_run=dry_run, **options)


# --- the upload, preview and confirm pages -------------------------------------------------------


@dataclass
class _Import:
    """One kind of import on one page of the admin."""

    title: str
    target: str  # what the upload is for; a confirmation made for another target is refused
    form_class: type[UploadForm]
    # (text, options, dry_run) -> (report, object the import wrote to: season or session)
    run: Callable[[str, dict, bool], tuple[ImportReport, models.Model | None]]
    cancel_url: str
    obj: models.Model | None = None
    file_help: str = ""
    intro: str = ""
    describe: Callable[[str], str] | None = None  # names what a file is about, for the preview


def _counts(report: ImportReport) -> list[tuple[str, str]]:
    return [
        (bucket, ", ".join(f"{n} {label}" for label, n in sorted(counts.items())))
        for bucket in ("created", "updated", "deleted")
        if (counts := getattr(report, bucket))
    ]


def _counts_text(report: ImportReport) -> str:
    return "; ".join(f"{bucket} {counts}" for bucket, counts in _counts(report)) or "no changes"


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

    form = flow.form_class(request.POST or None, request.FILES or None, file_help=flow.file_help)
    context["form"] = form
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, template, context)
    text, options = form.cleaned_data["file"], form.options()
    try:
        report, _ = flow.run(text, options, True)
    except ImportFailed as failure:
        context["errors"] = failure.errors
        return TemplateResponse(request, template, context)
    payload = {
        "target": flow.target,
        "file_name": form.file_name,
        "text": text,
        "options": options,
    }
    context.update(
        report=report,
        counts=_counts(report),
        file_name=form.file_name,
        described=flow.describe(text) if flow.describe else "",
        payload=signing.dumps(payload, salt=SIGNING_SALT, compress=True),
        form=None,
    )
    return TemplateResponse(request, template, context)


def _confirm(request, model_admin, flow: _Import, context: dict, template: str) -> HttpResponse:
    signed = request.POST["payload"]
    try:
        if len(signed) > MAX_PAYLOAD_CHARS:
            raise signing.BadSignature("payload too long")
        payload = signing.loads(signed, salt=SIGNING_SALT, max_age=CONFIRM_MAX_AGE)
        if not isinstance(payload, dict) or payload.get("target") != flow.target:
            raise signing.BadSignature("payload for another page")
    except signing.BadSignature:
        context["form"] = flow.form_class(file_help=flow.file_help)
        context["refused"] = (
            "This confirmation could not be checked: it was altered, made for another page, or "
            "is more than an hour old. Nothing was imported; upload the file again."
        )
        return TemplateResponse(request, template, context, status=400)
    try:
        report, obj = flow.run(payload["text"], payload["options"], False)
    except ImportFailed as failure:
        # The record changed since the preview (a driver renamed, a round removed...).
        context["form"] = flow.form_class(file_help=flow.file_help)
        context["errors"] = failure.errors
        return TemplateResponse(request, template, context)
    message = f"Imported {payload['file_name']}: {_counts_text(report)}."
    if obj is not None and report.changed_anything:
        if report.created.get("seasons"):
            model_admin.log_addition(request, obj, message)
        else:
            model_admin.log_change(request, obj, message)
    messages.success(request, message)
    if obj is None:
        return HttpResponseRedirect(flow.cancel_url)
    opts = obj._meta
    return HttpResponseRedirect(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
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


class SeasonImportMixin:
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
        ]
        return urls + super().get_urls()

    def import_results_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        _require(request, RESULT_PERMISSIONS)
        season = _object_or_404(self, request, object_id)

        def run(text: str, options: dict, dry_run: bool):
            return import_results(season, text, dry_run=dry_run, **options), season

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


class SessionImportMixin:
    """For SessionAdmin: "Import results" on a session's page, limited to that session."""

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        urls = [
            path(
                "<path:object_id>/import-results/",
                self.admin_site.admin_view(self.import_results_view),
                name=f"{prefix}_import_results",
            ),
        ]
        return urls + super().get_urls()

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
            report = import_session_results(session, text, dry_run=dry_run, **options)
            return report, session

        flow = _Import(
            title=f"Import results: {session} ({session.round.season})",
            target=f"results:session:{session.pk}",
            form_class=ResultsUploadForm,
            run=run,
            cancel_url=change_url,
            obj=session,
            file_help=f"A results CSV for this session only (UTF-8, at most 2 MB). The round and "
            f"session columns may be left out or blank: they mean round {session.round.number} "
            f"{session.kind} ({session.slug}). A row naming another round or session is refused "
            "with its line number; import those on the season's page.",
            intro=_RESULTS_INTRO,
        )
        return _run_import_page(request, self, flow)
