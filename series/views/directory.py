"""Events, sessions, drivers, teams, circuits, champions, calendar, search, watch.

A malformed filter (?year=abc, ?tier=9, ?month=13, an unknown series) is ignored and named in a
notice on the full page, answered with status 400 so the address is honest; never a 500.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from ..models import Circuit, Driver, Event, Session, Team, Tier
from ..selectors import calendar as calendar_months
from ..selectors import champions as champion_history
from ..selectors import circuits, drivers, events, pyramid, sessions, teams
from ..selectors import search as name_search
from ..selectors import watch as watch_links
from ..selectors.revisions import session_changelog

MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]


@dataclass
class Option:
    value: str
    label: str
    selected: bool


class Filters:
    """Reads query parameters against the values a page offers; a bad one becomes a notice."""

    def __init__(self, request: HttpRequest) -> None:
        self.params = request.GET
        self.notices: list[str] = []

    def raw(self, name: str) -> str:
        return self.params.get(name, "").strip()

    def choice(self, name: str, allowed: dict[str, object], what: str):
        """The object for ?name=value among `allowed` (value -> object), None when absent."""
        value = self.raw(name)
        if not value:
            return None
        if value in allowed:
            return allowed[value]
        self.notices.append(f"There is no {what} “{value[:60]}”; the filter was ignored.")
        return None

    def number(self, name: str, allowed: list[int], what: str) -> int | None:
        return self.choice(name, {str(n): n for n in allowed}, what)


def _options(values: list[tuple[str, str]], selected: object) -> list[Option]:
    selected = "" if selected is None else str(selected)
    return [Option(value, label, value == selected) for value, label in values]


def _render(
    request: HttpRequest,
    template: str,
    context: dict,
    fragment: str | None = None,
    notices: list[str] | None = None,
) -> HttpResponse:
    """The page, or its fragment for htmx (a history restore gets the full page)."""
    htmx = request.htmx  # type: ignore[attr-defined]  # set by django-htmx's HtmxMiddleware
    if fragment and htmx and not htmx.history_restore_request:
        template += f"#{fragment}"
    context["notices"] = notices or []
    response = render(request, template, context, status=400 if notices else 200)
    if fragment:
        patch_vary_headers(response, ["HX-Request"])
    return response


# --- events ---------------------------------------------------------------------------------------


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    filters = Filters(request)
    years = events.event_years()
    year = filters.number("year", years, "year with events")
    context = {
        "rows": events.event_list(year),
        "year": year,
        "year_options": _options([(str(y), str(y)) for y in years], year),
    }
    return _render(request, "series/event_list.html", context, "event-list", filters.notices)


def _get_event(slug: str) -> Event:
    return get_object_or_404(Event.objects.select_related("circuit", "parent"), slug=slug)


@require_safe
def event_detail(request: HttpRequest, event: str) -> HttpResponse:
    page = events.event_page(_get_event(event))
    return _render(request, "series/event_detail.html", {"page": page, "event": page.event})


@require_safe
def session_detail(request: HttpRequest, event: str, session: str) -> HttpResponse:
    found = get_object_or_404(
        Session.objects.select_related("event__circuit", "round__season__series"),
        event__slug=event,
        slug=session,
    )
    page = sessions.session_page(found)
    return _render(
        request,
        "series/session_detail.html",
        {
            "page": page,
            "session": found,
            "event": found.event,
            "changelog": session_changelog(found),  # revisions hook
        },
    )


# --- drivers and teams ----------------------------------------------------------------------------


@require_safe
def driver_list(request: HttpRequest) -> HttpResponse:
    filters = Filters(request)
    series_list = pyramid.series_options()
    series = filters.choice("series", {s.slug: s for s in series_list}, "series")
    context = {
        "groups": drivers.driver_list(series),
        "series": series,
        "series_options": _options(
            [(s.slug, s.name) for s in series_list], series.slug if series else None
        ),
    }
    return _render(request, "series/driver_list.html", context, "driver-list", filters.notices)


@require_safe
def driver_detail(request: HttpRequest, driver: str) -> HttpResponse:
    page = drivers.driver_page(get_object_or_404(Driver, slug=driver))
    return _render(request, "series/driver_detail.html", {"page": page, "driver": page.driver})


@require_safe
def team_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "series/team_list.html", {"teams": teams.team_list()})


@require_safe
def team_detail(request: HttpRequest, team: str) -> HttpResponse:
    page = teams.team_page(get_object_or_404(Team, slug=team))
    return _render(request, "series/team_detail.html", {"page": page, "team": page.team})


# --- circuits -------------------------------------------------------------------------------------


@require_safe
def circuit_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "series/circuit_list.html", {"circuits": circuits.circuit_list()})


@require_safe
def circuit_detail(request: HttpRequest, circuit: str) -> HttpResponse:
    page = circuits.circuit_page(get_object_or_404(Circuit, slug=circuit))
    return _render(request, "series/circuit_detail.html", {"page": page, "circuit": page.circuit})


# --- champions and calendar -----------------------------------------------------------------------


def _tier_options(selected: int | None) -> list[Option]:
    return _options([(str(t.value), t.label) for t in Tier], selected)


@require_safe
def champions(request: HttpRequest) -> HttpResponse:
    filters = Filters(request)
    series_list = pyramid.series_options()
    class_names = champion_history.champion_class_names()
    decades = champion_history.champion_decades()
    chosen = champion_history.ChampionFilters(
        series=filters.choice("series", {s.slug: s for s in series_list}, "series"),
        tier=filters.number("tier", [t.value for t in Tier], "tier"),
        class_name=filters.choice("class", {c: c for c in class_names}, "class"),
        decade=filters.number("decade", decades, "decade with titles"),
    )
    record = champion_history.champion_record(chosen)
    titles = record.titles
    context = {
        "record": record,
        "chosen": chosen,
        "title_count": len(titles),
        "most_titles": champion_history.most_titles(titles),
        "filtered": any(vars(chosen).values()),
        "series_options": _options(
            [(s.slug, s.name) for s in series_list], chosen.series.slug if chosen.series else None
        ),
        "tier_options": _tier_options(chosen.tier),
        "class_options": _options([(c, c) for c in class_names], chosen.class_name),
        "decade_options": _options([(str(d), f"{d}s") for d in decades], chosen.decade),
    }
    return _render(request, "series/champions.html", context, "champions-list", filters.notices)


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    filters = Filters(request)
    years = calendar_months.calendar_years()
    series_list = pyramid.series_options()
    year = filters.number("year", years, "year with races")
    if year is None and years:
        # With no (usable) year asked for, show this year's calendar, or the latest on record.
        this_year = timezone.localdate().year
        year = this_year if this_year in years else years[0]
    month = filters.number("month", list(range(1, 13)), "month")
    tier = filters.number("tier", [t.value for t in Tier], "tier")
    series = filters.choice("series", {s.slug: s for s in series_list}, "series")
    context = {
        "months": calendar_months.calendar(year, month, tier, series),
        "year": year,
        "month_name": MONTHS[month - 1] if month else None,
        "tier": tier,
        "series": series,
        "year_options": _options([(str(y), str(y)) for y in years], year),
        "month_options": _options([(str(i), name) for i, name in enumerate(MONTHS, 1)], month),
        "tier_options": _tier_options(tier),
        "series_options": _options(
            [(s.slug, s.name) for s in series_list], series.slug if series else None
        ),
    }
    return _render(request, "series/calendar.html", context, "calendar-list", filters.notices)


# --- search and watch -----------------------------------------------------------------------------


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = name_search.clean_query(request.GET.get("q", ""))
    context = {
        "query": query,
        "results": name_search.search(query),
        "too_short": 0 < len(query) < name_search.SEARCH_MIN_LENGTH,
        "min_length": name_search.SEARCH_MIN_LENGTH,
    }
    return _render(request, "series/search.html", context, "search-results")


@require_safe
def watch(request: HttpRequest) -> HttpResponse:
    context = {"page": watch_links.watch(), "this_year": timezone.localdate().year}
    return _render(request, "series/watch.html", context)
