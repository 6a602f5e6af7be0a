"""Outcomes of an import: a fault at a line (RowError), the refusal listing every fault
(ImportFailed) and the report of what was (or, on a dry run, would be) written (ImportReport)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .names import NearMatch

if TYPE_CHECKING:
    from .preview import SessionPreview


@dataclass
class RowError:
    row: int  # line number in the file, the header (or first line) being 1; 0 when no line applies
    message: str

    def __str__(self) -> str:
        return f"line {self.row}: {self.message}" if self.row else self.message


class ImportFailed(Exception):
    """The file has errors; nothing was written. `errors` lists every one, in line order."""

    def __init__(self, errors: list[RowError], near_matches: list[NearMatch] | None = None):
        self.errors = sorted(errors, key=lambda error: error.row)
        # New names close to existing ones (imports.names.NearMatch): the editor chooses.
        self.near_matches = near_matches or []
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


@dataclass
class ImportReport:
    dry_run: bool = False
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    # The classification of each imported session as it would be published (imports.preview).
    sessions: list[SessionPreview] = field(default_factory=list)
    sessions_not_shown: int = 0

    def count(self, bucket: str, label: str, n: int = 1) -> None:
        if n:
            counts = getattr(self, bucket)
            counts[label] = counts.get(label, 0) + n

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        lines = ["Dry run: nothing was written." if self.dry_run else "Imported."]
        for bucket in ("created", "updated", "deleted"):
            counts = getattr(self, bucket)
            if counts:
                parts = ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))
                lines.append(f"{bucket.capitalize()}: {parts}")
        if not self.changed_anything:
            lines.append("Nothing changed.")
        lines.extend(f"  {change}" for change in self.changes)
        return "\n".join(lines)
