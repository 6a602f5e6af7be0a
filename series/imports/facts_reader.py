"""Reading the shipped fact tables (the CSV files of series/data/, described in its README.md):
each file's header checked against its columns, each row with its line, each cell through the one
rule of its kind (values.py: a whole number, a date, a choice, a published total), and each row
saved through the imports' upsert after the model's own validation. A fault names the file and
the line (DataError)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models

from .report import ImportFailed
from .values import parse_choice, parse_date, parse_points, parse_whole
from .writing import upsert

_M = TypeVar("_M", bound=models.Model)
_V = TypeVar("_V")


class DataError(Exception):
    def __init__(self, path: Path, line: int, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path} line {line}: {message}" if line else f"{path}: {message}")


class Counts:
    def __init__(self, name: str):
        self.name = name
        self.rows = self.created = self.updated = 0

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.rows} rows "
            f"({self.created} created, {self.updated} updated, "
            f"{self.rows - self.created - self.updated} unchanged)"
        )


def cell(path: Path, line: int, column: str, raw: str, parse: Callable[[str], _V]) -> _V:
    """The parsed cell; a cell that does not parse stops the load, naming its file and line."""
    try:
        return parse(raw)
    except ValueError as exc:
        raise DataError(path, line, f"{column}: {exc}") from None


class FactReader:
    """Reads the files of one data folder, counting each file's rows and what they changed."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.counts: list[Counts] = []
        self.changed = False

    def rows(
        self, name: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> Iterator[tuple[Path, int, dict[str, str], Counts]]:
        path = self.data_dir / name
        counts = Counts(name)
        self.counts.append(counts)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(path, 0, str(exc)) from exc
        reader = csv.DictReader(text.splitlines())
        header = reader.fieldnames or []
        unknown = sorted(set(header) - set(required) - set(optional))
        missing = [column for column in required if column not in header]
        if unknown or missing:
            problems = []
            if unknown:
                problems.append(f"unknown column(s) {', '.join(unknown)}")
            if missing:
                problems.append(f"missing column(s) {', '.join(missing)}")
            raise DataError(path, 1, "; ".join(problems))
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                raise DataError(
                    path, reader.line_num, f"the row does not have the {len(header)} columns"
                )
            counts.rows += 1
            yield path, reader.line_num, {key: value.strip() for key, value in row.items()}, counts

    @staticmethod
    def whole(path: Path, line: int, column: str, raw: str) -> int | None:
        return cell(path, line, column, raw, parse_whole)

    @staticmethod
    def points(path: Path, line: int, raw: str) -> Decimal | None:
        return cell(path, line, "points", raw, parse_points)

    @staticmethod
    def date(path: Path, line: int, column: str, raw: str) -> dt.date:
        return cell(path, line, column, raw, parse_date)

    @staticmethod
    def choice(path: Path, line: int, column: str, raw: str, choices: type[models.Choices]) -> str:
        return cell(path, line, column, raw, lambda text: parse_choice(text, choices))

    def save(
        self,
        path: Path,
        line: int,
        counts: Counts,
        model: type[_M],
        lookup: dict[str, Any],
        values: dict[str, Any],
        existing: dict[tuple[Any, ...], _M] | None = None,
    ) -> _M:
        """Creates or updates one row after the model's own validation; a row whose values are
        already in the database is not saved again. `existing` (natural key -> object) spares a
        query per row in the long files."""
        key = tuple(lookup.values())
        found = existing.get(key) if existing is not None else None
        try:
            obj, state, _ = upsert(
                model, lookup, values, found, search=existing is None, validate=True
            )
        except ValidationError as exc:
            raise DataError(path, line, describe_validation(exc)) from None
        except IntegrityError as exc:
            raise DataError(path, line, f"the database refused the row: {exc}") from None
        if state == "unchanged":
            return obj
        if state == "created":
            counts.created += 1
        else:
            counts.updated += 1
        if existing is not None:
            existing[key] = obj
        self.changed = True
        return obj


def describe_validation(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def describe_import(exc: ImportFailed) -> str:
    return "\n" + "\n".join(f"  {error}" for error in exc.errors)
