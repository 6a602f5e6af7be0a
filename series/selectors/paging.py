"""Listings that grow with the record are shown a page at a time (drivers, teams, events,
champions): at 30 series × 40 seasons the drivers directory alone holds over 10,000 names, far more
than one page can render quickly or a phone should download.

A listing's selector takes the page number the reader asked for (`?page=N`, read by the page's
form) and returns its rows with a `Paged`: which page is shown, how many there are, and whether
the number asked for was beyond the last page (then the first page is shown and the view says so in
a notice). Pages are plain links (`?page=N`, keeping the page's other filters), so a listing works
without JavaScript; htmx swaps the same fragment.

Paging is by offset (Django's Paginator: a COUNT and a LIMIT/OFFSET query): the listings are
ordered by indexed names or dates, and the deepest page of the largest listing (drivers, page 36
of 300 names) costs the database a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet


@dataclass(frozen=True)
class Paged:
    number: int  # the page shown, from 1
    pages: int  # how many there are (1 when the listing is empty)
    count: int  # rows in the whole listing
    per_page: int
    asked_beyond: int | None = None  # a page number asked for past the last page

    @property
    def is_paged(self) -> bool:
        return self.pages > 1

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    @property
    def first_row(self) -> int:
        """The 1-based position of the first row shown (0 for an empty listing)."""
        return (self.number - 1) * self.per_page + 1 if self.count else 0

    @property
    def last_row(self) -> int:
        return min(self.number * self.per_page, self.count)

    @property
    def numbers(self) -> list[int | None]:
        """The page links to offer: the first, the last and two either side of this one, None
        where two or more numbers are skipped (a single one is shown rather than an ellipsis)."""
        wanted = {1, self.pages, *range(self.number - 2, self.number + 3)}
        shown: list[int | None] = []
        last = 0
        for number in sorted(n for n in wanted if 1 <= n <= self.pages):
            if number == last + 2:
                shown.append(last + 1)
            elif number > last + 2 and last:
                shown.append(None)
            shown.append(number)
            last = number
        return shown


def page_of(
    rows: QuerySet[Any] | Sequence[Any], number: int | None, per_page: int
) -> tuple[list[Any], Paged]:
    """The rows of page `number` (1 when None) and its Paged. A number past the last page shows
    the first and is reported in `asked_beyond`. Two queries for a queryset (its count, the
    page's rows), none for a list."""
    paginator = Paginator(rows, per_page, allow_empty_first_page=True)
    asked = number or 1
    beyond = asked if asked > paginator.num_pages else None
    page = paginator.page(1 if beyond else asked)
    paged = Paged(page.number, paginator.num_pages, paginator.count, per_page, beyond)
    return list(page.object_list), paged
