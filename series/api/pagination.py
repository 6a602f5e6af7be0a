"""Page-number pagination of every API list, and the adapter that lets the paginator count and
slice a queryset (or a selector's list) whose items come out as response dicts."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


class Mapped:
    """A queryset (or a list a selector loaded) the paginator can count and slice, whose items
    come out as response dicts: the API says exactly what it serialises instead of leaning on
    attribute lookups that may query."""

    def __init__(self, items: QuerySet | Sequence, to_item: Callable[[Any], dict]) -> None:
        self.items = items
        self.to_item = to_item

    def all(self) -> "Mapped":
        return self

    def count(self) -> int:
        if isinstance(self.items, QuerySet):
            return self.items.count()
        return len(self.items)

    def __getitem__(self, window: slice) -> list[dict]:
        return [self.to_item(obj) for obj in self.items[window]]


class Pages(PageNumberPagination):
    """Page-number pagination: ?page=1..N and ?page_size=1..200 (default 50). The body says how many
    items there are in all and links the next and previous pages."""

    class Input(Schema):
        # Bounded so that a page far beyond any data is a 400, not an overflow of the offset.
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, description="at most 200; default 50")

    class Output(Schema):
        count: int
        page: int
        page_size: int
        next: str | None
        previous: str | None
        items: list[Any]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=50, max_page_size=200, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        count = self._items_count(queryset)
        return {
            "count": count,
            "page": pagination.page,
            "page_size": page_size,
            "next": _page_link(request, pagination.page + 1)
            if offset + page_size < count
            else None,
            "previous": _page_link(request, pagination.page - 1) if pagination.page > 1 else None,
            "items": queryset[offset : offset + page_size],
        }


def _page_link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"{request.path}?{query.urlencode()}"
