"""Events, sessions, drivers, teams, circuits, champions, calendar, search, watch.

Query parameters are read through the pages' forms (series/filters.py): a malformed filter
(?year=abc, ?tier=9, ?month=13, an unknown series) is ignored and named in a notice, in the
fragment too; never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from pcc.cache import page_cache
from pcc.prepared import Prepared

from ..filters import (
    CalendarFilters,
    ChampionsFilters,
    CircuitFilters,
    DriverFilters,
    EventFilters,
    QueryFilters,
    SearchFilters,
    TeamFilters,
)
from ..models import Circuit, Event, Series, Session, Tier
from ..selectors import calendar as calendar_months
from ..selectors import champions as champion_history
from ..selectors import circuits, drivers, events, pyramid, sessions, teams
from ..selectors import search as name_search
from ..selectors import watch as watch_links
from ..selectors.paging import Paged
from ..selectors.revisions import session_changelog
from .rendering import render_page

MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]


def _reject_page_beyond(filters: QueryFilters, paged: Paged) -> None:
    """A page number past the listing's last: the first page is shown, and the notice says so."""
    if paged.asked_beyond is not None:
        filters.reject(["page"], f"There is no page {paged.asked_beyond} (of {paged.pages})")


def _page_query(filters: QueryFilters) -> str:
    """The page's filters as a query string ending in "&" (or empty), for its page links."""
    query = filters.canonical_query(without=("page",))
    return f"{query}&" if query else ""


# --- events ---------------------------------------------------------------------------------------


@page_cache(EventFilters)
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    years = events.event_years()
    filters = EventFilters(request.GET, {"year": years})
    # A year at a time, the newest with events unless another is asked for: a fan looks for a
    # season's weekends, and the whole record (9,826 events at scale) is forty pages of 250.
    year = filters.value("year") or (years[0] if years else None)
    listing = events.event_list(year, filters.value("page"))
    _reject_page_beyond(filters, listing.paged)
    context = {
        "rows": listing.rows,
        "paged": listing.paged,
        "page_query": _page_query(filters),
        "year": year,
        # (value, label, selected), unpacked by the template
        "year_options": [(str(y), str(y), y == year) for y in years],
    }
    return render_page(
        request, "series/event_list.html", context, fragment="event-list", filters=filters
    )


# query: the event with its circuit and the event it is part of (compiled once: pcc/prepared.py)
_EVENT = Prepared(
    lambda slug: Event.objects.select_related("circuit", "parent").filter(slug=slug).order_by()[:1]
)


def _get_event(slug: str) -> Event:
    event = next(iter(_EVENT(slug)), None)
    if event is None:
        raise Http404("No Event matches the given query.")
    return event


@page_cache()
@require_safe
def event_detail(request: HttpRequest, event: str) -> HttpResponse:
    page = events.event_page(_get_event(event))
    return render_page(request, "series/event_detail.html", {"page": page, "event": page.event})


# query: the session with its event, circuit, round, season and series
_SESSION = Prepared(
    lambda event, session: (
        Session.objects.select_related("event__circuit", "round__season__series")
        .filter(event__slug=event, slug=session)
        .order_by()[:1]
    )
)


def _get_session(event: str, session: str) -> Session:
    found = next(iter(_SESSION(event, session)), None)
    if found is None:
        raise Http404("No Session matches the given query.")
    return found


@page_cache()
@require_safe
def session_detail(request: HttpRequest, event: str, session: str) -> HttpResponse:
    found = _get_session(event, session)
    page = sessions.session_page(found)
    context = {
        "page": page,
        "session": found,
        "event": found.event,
        "changelog": session_changelog(found),  # revisions hook
    }
    return render_page(request, "series/session_detail.html", context)


# --- drivers and teams ----------------------------------------------------------------------------


@page_cache(DriverFilters)
@require_safe
def driver_list(request: HttpRequest) -> HttpResponse:
    choices = drivers.series_choices()
    by_slug = {s.slug: s for s in choices}
    filters = DriverFilters(request.GET, {"series": by_slug})
    series = by_slug.get(filters.value("series") or "")
    listing = drivers.driver_list(series, filters.value("page"))
    _reject_page_beyond(filters, listing.paged)
    context = {
        "groups": listing.groups,
        "initials": listing.initials,
        "paged": listing.paged,
        "page_query": _page_query(filters),
        "series": series,
        # (value, label, selected), unpacked by the template
        "series_options": [(s.slug, s.name, s is series) for s in choices],
    }
    return render_page(
        request, "series/driver_list.html", context, fragment="driver-list", filters=filters
    )


@page_cache()
@require_safe
def driver_detail(request: HttpRequest, driver: str) -> HttpResponse:
    page = drivers.driver_page(drivers.get_driver(driver))
    return render_page(request, "series/driver_detail.html", {"page": page, "driver": page.driver})


@page_cache(TeamFilters)
@require_safe
def team_list(request: HttpRequest) -> HttpResponse:
    filters = TeamFilters(request.GET)
    listing = teams.team_list(filters.value("page"))
    _reject_page_beyond(filters, listing.paged)
    context = {"teams": listing.teams, "paged": listing.paged, "page_query": _page_query(filters)}
    return render_page(
        request, "series/team_list.html", context, fragment="team-list", filters=filters
    )


@page_cache()
@require_safe
def team_detail(request: HttpRequest, team: str) -> HttpResponse:
    page = teams.team_page(teams.get_team(team))
    return render_page(request, "series/team_detail.html", {"page": page, "team": page.team})


# --- circuits -------------------------------------------------------------------------------------


@page_cache()
@require_safe
def circuit_list(request: HttpRequest) -> HttpResponse:
    return render_page(request, "series/circuit_list.html", {"circuits": circuits.circuit_list()})


# query: the circuit (compiled once: pcc/prepared.py)
_CIRCUIT = Prepared(lambda slug: Circuit.objects.filter(slug=slug).order_by()[:1])


def _get_circuit(slug: str) -> Circuit:
    found = next(iter(_CIRCUIT(slug)), None)
    if found is None:
        raise Http404("No Circuit matches the given query.")
    return found


@page_cache(CircuitFilters)
@require_safe
def circuit_detail(request: HttpRequest, circuit: str) -> HttpResponse:
    filters = CircuitFilters(request.GET)
    page = circuits.circuit_page(_get_circuit(circuit), filters.value("page"))
    _reject_page_beyond(filters, page.paged)
    context = {"page": page, "circuit": page.circuit, "paged": page.paged}
    context["page_query"] = _page_query(filters)
    return render_page(
        request,
        "series/circuit_detail.html",
        context,
        fragment="circuit-events",
        filters=filters,
    )


# --- champions and calendar -----------------------------------------------------------------------


# The directory pages' selects (series/_filter_select.html) unpack (value, label, selected)
# tuples.
Choice = tuple[str, str, bool]


def _choices(values: list[tuple[str, str]], selected: object) -> list[Choice]:
    selected = "" if selected is None else str(selected)
    return [(value, label, value == selected) for value, label in values]


def _series_choices(
    series_list: Sequence[Series | pyramid.SeriesKey], chosen: Series | pyramid.SeriesKey | None
) -> list[Choice]:
    return _choices([(s.slug, s.name) for s in series_list], chosen.slug if chosen else None)


def _tier_options(selected: int | None) -> list[Choice]:
    return _choices([(str(t.value), t.label) for t in Tier], selected)


@page_cache(ChampionsFilters)
@require_safe
def champions(request: HttpRequest) -> HttpResponse:
    series_list = pyramid.series_keys()
    by_slug = {s.slug: s for s in series_list}
    # The record's rows, read once: the filters' classes and decades and the titles shown. Only a
    # series, class or decade lists titles (ChampionFilters.lists_titles), with their teams and
    # sources; the index of series reads the rows' years, classes and holders alone.
    lists_titles = any(request.GET.get(name) for name in ("series", "class", "decade"))
    rows: Sequence[champion_history.TitleKey] = (
        champion_history.title_rows(series_list)
        if lists_titles
        else champion_history.title_keys(series_list)
    )
    class_names = champion_history.champion_class_names(rows)
    decades = champion_history.champion_decades(rows)
    filters = ChampionsFilters(
        request.GET, {"series": by_slug, "class": class_names, "decade": decades}
    )
    chosen = champion_history.ChampionFilters(
        series=by_slug.get(filters.value("series") or ""),
        tier=filters.value("tier"),
        class_name=filters.value("class"),
        decade=filters.value("decade"),
    )
    record = champion_history.record_of(rows, chosen)
    histories, paged = champion_history.champions_page_of(record, chosen, filters.value("page"))
    _reject_page_beyond(filters, paged)
    titles = record.titles
    context = {
        "record": record,
        "histories": histories,
        # The index and the lists' header as plain lines (series/selectors/champions.py).
        "index": [] if chosen.lists_titles else champion_history.index_lines(histories),
        "missing": champion_history.missing_lines(record.histories),
        "paged": paged,
        "page_query": _page_query(filters),
        "chosen": chosen,
        "title_count": len(titles),
        # Counted over every page; shown above the first.
        "most_titles": champion_history.most_titles_lines(champion_history.most_titles(titles))
        if paged.number == 1
        else [],
        "filtered": any(vars(chosen).values()),
        "series_options": _series_choices(series_list, chosen.series),
        "tier_options": _tier_options(chosen.tier),
        "class_options": _choices([(c, c) for c in class_names], chosen.class_name),
        "decade_options": _choices([(str(d), f"{d}s") for d in decades], chosen.decade),
    }
    return render_page(
        request, "series/champions.html", context, fragment="champions-list", filters=filters
    )


def _calendar_year(years: list[int], asked: int | None) -> int | None:
    """With no (usable) year asked for, this year's calendar, or the latest on record."""
    if asked is not None or not years:
        return asked
    this_year = timezone.localdate().year
    return this_year if this_year in years else years[0]


@page_cache(CalendarFilters)
@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    years = calendar_months.calendar_years()
    # The series as the filter offers them (id, slug and name: the page prints no more of them)
    series_list = drivers.series_choices()
    by_slug = {s.slug: s for s in series_list}
    filters = CalendarFilters(request.GET, {"year": years, "series": by_slug})
    year = _calendar_year(years, filters.value("year"))
    month = filters.value("month")
    tier = filters.value("tier")
    series = by_slug.get(filters.value("series") or "")
    context = {
        "months": calendar_months.calendar(year, month, tier, series),
        "year": year,
        "month_name": MONTHS[month - 1] if month else None,
        "tier": tier,
        "series": series,
        "year_options": _choices([(str(y), str(y)) for y in years], year),
        "month_options": _choices([(str(i), name) for i, name in enumerate(MONTHS, 1)], month),
        "tier_options": _tier_options(tier),
        "series_options": [(s.slug, s.name, s is series) for s in series_list],
    }
    return render_page(
        request, "series/calendar.html", context, fragment="calendar-list", filters=filters
    )


# --- search and watch -----------------------------------------------------------------------------


@page_cache(SearchFilters)
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    filters = SearchFilters(request.GET)
    query = filters.value("q") or ""
    context = {
        "query": query,
        "results": name_search.search(query),
        "too_short": 0 < len(query) < name_search.SEARCH_MIN_LENGTH,
        "min_length": name_search.SEARCH_MIN_LENGTH,
    }
    return render_page(
        request, "series/search.html", context, fragment="search-results", filters=filters
    )


@page_cache()
@require_safe
def watch(request: HttpRequest) -> HttpResponse:
    context = {"page": watch_links.watch(), "this_year": timezone.localdate().year}
    return render_page(request, "series/watch.html", context)
