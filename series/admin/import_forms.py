"""The upload forms of the admin's imports: a text file of at most 2 MB or the same text pasted,
with each kind's options (results, entries, a season table), and the permissions each import
needs."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator

from ..imports.entries import (
    ENTRY_COLUMNS,
    MAX_ENTRY_ROWS,
)
from ..imports.result_rows import MAX_RESULT_ROWS
from ..imports.timing import to_results_csv

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
PASTED = "pasted text"  # the "file name" of a paste in previews and the history
# A signed payload carries the file (at most 2 MB of text, compressed, base64) and the options;
# anything longer was not made by this page.
MAX_PAYLOAD_CHARS = 4 * 1024 * 1024
CONFIRM_MAX_AGE = 60 * 60  # seconds an editor has to read a preview and confirm it
# Named after the module it was first in: a preview signed before the move still confirms.
SIGNING_SALT = "series.admin_import"

# The keyword arguments a form's options give its importer (create_missing, mark_final, reason,
# source, the editor's choices for near-matching names): one bag for every kind of import, carried
# through the signed preview and passed on as **options, so its values are of several types.
ImportOptions = dict[str, Any]

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

    def __init__(
        self, *args: Any, file_help: str = "", paste_help: str = "", **kwargs: Any
    ) -> None:
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
        raw: bytes = upload.read()
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
        text: str = self.cleaned_data.get("text", "")
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

    def options(self) -> ImportOptions:
        return {}


def _looks_tabular(text: str, known_columns: Callable[[str], bool]) -> bool:
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

    def options(self) -> ImportOptions:
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

    def options(self) -> ImportOptions:
        return {"create_missing": self.cleaned_data["create_missing"]}


class SeasonUploadForm(UploadForm):
    extensions = ("toml", "txt")
