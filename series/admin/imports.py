"""Imports in the admin: an editor uploads a results CSV on a season's or a session's page (or a
season table on the seasons' list, an entry list on a season's page), sees a dry run of what
would change or every bad row, then confirms (import_flow.py, forms in import_forms.py). Also
the champion check shown on the season pages."""

from __future__ import annotations

import csv
import tomllib
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse

from ..imports.api import import_results, import_season
from ..imports.entries import (
    ENTRY_COLUMNS,
    MAX_ENTRY_ROWS,
    EntriesReport,
    copy_entries,
    import_entries,
    previous_season,
)
from ..imports.report import ImportReport
from ..imports.result_rows import RESULT_COLUMNS
from ..imports.session import import_session_results
from ..models import Entry, Result, Season, Session
from ..selectors.champion_check import champion_check, champion_summaries
from .guard import record_fingerprint
from .import_flow import (
    ImportFlow,
    entry_cells,
    object_or_404,
    require,
    revision_reason,
    run_import_page,
)
from .import_forms import (
    ENTRY_PERMISSIONS,
    RESULT_PERMISSIONS,
    SEASON_PERMISSIONS,
    EntriesUploadForm,
    ImportOptions,
    ResultsUploadForm,
    SeasonUploadForm,
)

# The mixins are used with ModelAdmin (SeasonAdmin, SessionAdmin): type them as one.
if TYPE_CHECKING:
    _SeasonAdminBase = admin.ModelAdmin[Season]
    _SessionAdminBase = admin.ModelAdmin[Session]
else:
    _SeasonAdminBase = _SessionAdminBase = object


_RESULTS_INTRO = (
    "The import replaces the results of every session the file names and creates or updates "
    "each driver's entry. You see what would change before anything is written."
)


def _season_table_title(text: str) -> str:
    data = tomllib.loads(text)  # the dry run has already parsed it
    return f"Season table of {data.get('series', '?')} {data.get('year', '?')}"


class SeasonImportMixin(_SeasonAdminBase):
    """For SeasonAdmin: "Import results" on a season's page, "Import season" on the list, and
    the champion check (a column on the list, a section on the page)."""

    def get_urls(self) -> list[URLPattern]:
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
        require(request, ENTRY_PERMISSIONS)
        season = object_or_404(self, request, object_id)

        def run(text: str, options: ImportOptions, dry_run: bool) -> tuple[EntriesReport, Season]:
            return import_entries(season, text, dry_run=dry_run, **options), season

        columns = ", ".join(ENTRY_COLUMNS)
        flow = ImportFlow(
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
        return run_import_page(request, self, flow)

    def entries_template_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        season = object_or_404(self, request, object_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="entries-{season.series.slug}-{season.year}.csv"'
        )
        writer = csv.writer(response, lineterminator="\n")
        writer.writerow(ENTRY_COLUMNS)
        for entry in season.entries.select_related("driver", "team", "season_class"):
            writer.writerow(entry_cells(entry))
        return response

    @admin.action(description="Copy the previous season's entry list into the selected seasons")
    def copy_previous_entries(self, request: HttpRequest, queryset: QuerySet[Season]) -> None:
        require(request, ENTRY_PERMISSIONS)
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
        require(request, RESULT_PERMISSIONS)
        season = object_or_404(self, request, object_id)

        def run(text: str, options: ImportOptions, dry_run: bool) -> tuple[ImportReport, Season]:
            with revision_reason(request, options) as options:
                report = import_results(season, text, dry_run=dry_run, preview=dry_run, **options)
            return report, season

        flow = ImportFlow(
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
        return run_import_page(request, self, flow)

    def import_season_view(self, request: HttpRequest) -> HttpResponse:
        require(request, SEASON_PERMISSIONS)

        def run(
            text: str, options: ImportOptions, dry_run: bool
        ) -> tuple[ImportReport, Season | None]:
            season, report = import_season(text, dry_run=dry_run)
            return report, season

        flow = ImportFlow(
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
        return run_import_page(request, self, flow)

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
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

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        self.result_list = list(self.result_list)
        summaries = champion_summaries(self.result_list)
        for season in self.result_list:
            season.champion_summary = summaries[season.pk]


class SessionImportMixin(_SessionAdminBase):
    """For SessionAdmin: "Import results" on a session's page, limited to that session."""

    def get_urls(self) -> list[URLPattern]:
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
        session = object_or_404(self, request, object_id)
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
        require(request, RESULT_PERMISSIONS)
        session = object_or_404(self, request, object_id)
        change_url = reverse("admin:series_session_change", args=[session.pk])
        if session.round is None:
            messages.error(
                request,
                "This session belongs to no round of a season, so it has no entries to import "
                "results for. Give it a round first.",
            )
            return HttpResponseRedirect(change_url)
        session_round = session.round  # narrowed, for the state's lambda

        def run(text: str, options: ImportOptions, dry_run: bool) -> tuple[ImportReport, Session]:
            with revision_reason(request, options) as options:
                report = import_session_results(
                    session, text, dry_run=dry_run, preview=dry_run, **options
                )
            return report, session

        flow = ImportFlow(
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
                session, [session.results.all(), Entry.objects.filter(season=session_round.season)]
            ),
        )
        return run_import_page(request, self, flow)
