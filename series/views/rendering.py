"""The one way a page view answers: the page, or its htmx fragment, with the notices of the filters
it ignored and the canonical address of what it shows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from pcc.jinja2 import render_block

from ..filters import QueryFilters


def canonical_url(request: HttpRequest, filters: QueryFilters | None = None) -> str:
    """The address of the page shown: its path and the filters it used, nothing else (no
    campaign parameter, no ignored filter), for og:url and <link rel=canonical>."""
    url = request.build_absolute_uri(request.path)
    query = filters.canonical_query() if filters is not None else ""
    return f"{url}?{query}" if query else url


def render_page(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    fragment: str | None = None,
    filters: QueryFilters | None = None,
) -> HttpResponse:
    """The page, or only its fragment (a `{% block name scoped %}` of the template, `-` in the
    fragment's name written `_`) for an htmx swap.

    A history restore (the reader went Back and htmx had no copy) gets the whole page, since htmx
    swaps it in as the body. A filter the page ignored is named in `notices`, inside the fragment,
    and the answer is a 200: htmx swaps it (it would not swap a 400), the page cache keeps it, and
    its canonical address is the page actually shown."""
    htmx = request.htmx  # type: ignore[attr-defined]  # set by django-htmx's HtmxMiddleware
    context["notices"] = filters.notices if filters is not None else []
    context["canonical_url"] = canonical_url(request, filters)
    if fragment and htmx and not htmx.history_restore_request:
        block = fragment.replace("-", "_")
        response = HttpResponse(render_block(request, template, block, context))
    else:
        response = render(request, template, context)
    if fragment:
        patch_vary_headers(response, ("HX-Request",))
    return response
