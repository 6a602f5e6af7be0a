"""CSV cells a spreadsheet cannot run.

Spreadsheets read a cell beginning with `=`, `+`, `-` or `@` as a formula, and a leading tab or
carriage return can hide one (`=HYPERLINK(...)` in a driver's name, `@SUM(...)` in a team's): such a
cell is written with a leading `'`, which spreadsheets read as "this is text" (OWASP's advice for
CSV injection). A cell that is wholly a number (`-3`, `+1.234`, `-0.5`) is no formula and is
written as it is, so points, gaps and deductions stay numbers in the sheet.
"""

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text):
        return "'" + text
    return value


class SafeWriter:
    """csv.writer with every cell passed through safe_cell."""

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: Any, **kwargs: Any) -> SafeWriter:
    return SafeWriter(stream, **kwargs)
