"""The drivers directory and the driver page: seasons, totals per series, titles and the ladder
of a career. The figures shared with the team page are in careers.py."""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf, Substr
from django.http import Http404

from pcc.prepared import Prepared

from ..addresses import slug_address
from ..models import (
    Champion,
    Driver,
    Entry,
    Result,
    Season,
    Series,
    Team,
    Tier,
)
from ..models.pyramid import series_display_name
from .careers import (
    CareerFigures,
    RaceCounts,
    SeasonLine,
    _fill_lines,
    counted_results,
    counts_by_season,
    counts_per_entry,
)
from .paging import Paged, page_of


class DriverRow(NamedTuple):
    """A driver as the directory prints it: plain values in a tuple, which the template unpacks
    into names in its loop (a lookup into a dict, model or dataclass costs about 1 µs a field:
    1.2 ms on the 237 names of the shipped record)."""

    url: str  # the driver page's
    name: str
    name_original: str
    nationality: str
    # The series raced in, by tier and name, as one line ("Supercup, CC Germany").
    series: str
    slug: str


def _initial(name: str) -> str:
    """A–Z, accents folded (Évora under E); anything else (Ogawa's kanji sort name) under #."""
    folded = unicodedata.normalize("NFKD", name[:1]).upper()[:1]
    return folded if "A" <= folded <= "Z" else "#"


def _anchor(initial: str) -> str:
    return "drivers-other" if initial == "#" else f"drivers-{initial}"


DRIVERS_PER_PAGE = 300  # the shipped record's drivers fit on one page


_new_row = tuple.__new__


class InitialGroup(NamedTuple):
    """The drivers of the page under one initial, and the id of their section."""

    initial: str
    anchor: str
    rows: list[DriverRow]


class InitialLink(NamedTuple):
    """A letter of the index: the page holding the letter's first driver (None: the page shown)
    and the section's anchor there, so every letter reaches its drivers whatever the page."""

    initial: str
    anchor: str
    page: int | None


@dataclass
class DriverList:
    groups: list[InitialGroup]
    initials: list[InitialLink]
    paged: Paged


def _drivers_of(series_id: int | None) -> QuerySet[Driver]:
    drivers = Driver.objects.all()
    if series_id is not None:
        drivers = drivers.filter(
            Exists(Entry.objects.filter(driver=OuterRef("pk"), season__series=series_id))
        )
    return drivers


def _in_order(series_id: int | None) -> QuerySet[Driver]:
    # the listing's order (the directory_order index)
    return _drivers_of(series_id).order_by("sort_name", "name", "pk")


def _lead() -> Substr:
    # a driver's first letter, of the name the listing sorts by
    return Substr(Coalesce(NullIf("sort_name", Value("")), "name"), 1, 1)


def _leads(series_id: int | None) -> QuerySet[Driver, tuple[int, str]]:
    # every driver of the listing in order, id and first letter only: it counts them, places
    # each initial on its page and picks the page's ids (10,872 short rows at scale)
    return _in_order(series_id).annotate(lead=_lead()).values_list("pk", "lead")


_DRIVER_FIELDS = ("pk", "slug", "name", "name_original", "nationality")
_RACED_FIELDS = (
    "driver_id",
    "season__series__tier",
    "season__series__name",
    "season__series__short_name",
)


def _first_page(series_id: int | None, limit: int) -> QuerySet[Driver, tuple[Any, ...]]:
    # the first `limit` drivers of the listing in order, with their first letter and the fields
    # the directory prints
    listing = _in_order(series_id).annotate(lead=_lead())
    return listing.values_list("pk", "lead", *_DRIVER_FIELDS[1:])[:limit]


def _whole_listing(series_id: int | None) -> QuerySet[Driver, tuple[int, str, str, str, str]]:
    # The page's drivers when the page is the whole listing: by the listing's own filter.
    return _drivers_of(series_id).order_by().values_list(*_DRIVER_FIELDS)


@functools.lru_cache(maxsize=8)
def _first_pages(limit: int) -> tuple[Prepared[QuerySet[Driver, tuple[Any, ...]]], ...]:
    """The first drivers of every driver's listing and of a series', compiled once per process
    and length (a limit is the query's shape, not an argument)."""
    return Prepared(lambda: _first_page(None, limit)), Prepared(lambda id: _first_page(id, limit))


def _raced_in(entries: QuerySet[Entry]) -> QuerySet[Entry, tuple[int, int, str, str]]:
    return entries.order_by().values_list(*_RACED_FIELDS).distinct()


def _whole_listing_raced(series_id: int | None) -> QuerySet[Entry, tuple[int, int, str, str]]:
    return _raced_in(Entry.objects.filter(driver__in=_drivers_of(series_id).values("pk")))


# The listing's queries compiled once per process (pcc/prepared.py): every driver, or those of a
# series (by its id). A page of a longer listing binds its ids, one shape per page length.
_LEADS = Prepared(lambda: _leads(None))
_SERIES_LEADS = Prepared(_leads)
_WHOLE = Prepared(lambda: _whole_listing(None))
_SERIES_WHOLE = Prepared(_whole_listing)
_WHOLE_RACED = Prepared(lambda: _whole_listing_raced(None))
_SERIES_WHOLE_RACED = Prepared(_whole_listing_raced)
_ON_PAGE = Prepared(lambda *ids: Driver.objects.filter(pk__in=ids).values_list(*_DRIVER_FIELDS))
_ON_PAGE_RACED = Prepared(lambda *ids: _raced_in(Entry.objects.filter(driver__in=ids)))


class SeriesChoice(NamedTuple):
    """A series as the directory's filter offers it."""

    pk: int
    slug: str
    name: str


# query: the real series, top of the pyramid first, what the filter shows of them (as
# pyramid.series_options() orders them, without building 29 models)
_SERIES_CHOICES = Prepared(
    lambda: Series.objects.order_by("tier", "name").values_list("pk", "slug", "name")
)


def series_choices() -> list[SeriesChoice]:
    return [SeriesChoice(*row) for row in _SERIES_CHOICES()]


def _in_listing_order(
    shown: list[tuple[int, str]], drivers: Iterable[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """The drivers (id first, then the fields printed) in the order of `shown` (id, initial),
    each with its initial; one deleted between the two queries is left out."""
    found = {row[0]: row[1:] for row in drivers}
    return [(pk, lead, *found[pk]) for pk, lead in shown if pk in found]


def driver_list(series: Series | SeriesChoice | None, page: int | None = None) -> DriverList:
    """One page of the drivers A–Z by family name (of those who raced in `series`), grouped by
    initial, each with the series they raced in, and the index of every initial of the whole
    listing with the page it starts on. Three queries whatever the page; two when the listing
    fits one page (the shipped record, most series)."""
    # The page's drivers in order: (id, initial, slug, name, name_original, nationality).
    on_page: list[tuple[Any, ...]] | None = None
    listing: list[tuple[int, str]] | None = None
    if not page or page == 1:
        # query: the first page's drivers in order with the fields the directory prints, and
        # one more: is there a second page? (by the directory_order index at any size)
        every, of_series = _first_pages(DRIVERS_PER_PAGE + 1)
        first = list(every() if series is None else of_series(series.pk))
        on_page = first[:DRIVERS_PER_PAGE]
        if len(first) <= DRIVERS_PER_PAGE:
            listing = [row[:2] for row in first]  # the whole listing
    if listing is None:
        # query: every driver of the listing in order, id and first letter only
        listing = list(_LEADS() if series is None else _SERIES_LEADS(series.pk))
    shown, paged = page_of(listing, page, DRIVERS_PER_PAGE)
    folded: dict[str, str] = {}
    first_page: dict[str, int] = {}
    for position, (_, lead) in enumerate(listing):
        initial = folded.get(lead)
        if initial is None:
            initial = folded[lead] = _initial(lead or "")
        if initial not in first_page:
            first_page[initial] = position // DRIVERS_PER_PAGE + 1
    # The page's drivers and the series each of them raced in: by their ids, or, when the page
    # is the whole listing (the shipped record, most series), by the listing's own filter: no
    # list of hundreds of ids to bind (about 0.5 ms on the 237 shipped drivers).
    # query: the series they raced in, from the entries' side: a join from the drivers read all
    # 48,000 entries at scale (18 ms) where this reads the page's by index (2 ms)
    if paged.pages == 1:
        their_series = _WHOLE_RACED() if series is None else _SERIES_WHOLE_RACED(series.pk)
        if on_page is None:
            # query (a page asked for past the last): the drivers, the fields printed
            on_page = _in_listing_order(
                shown, _WHOLE() if series is None else _SERIES_WHOLE(series.pk)
            )
    else:
        ids = [pk for pk, _ in shown]
        their_series = _ON_PAGE_RACED(*ids)
        if on_page is None:
            # query: the page's drivers, the fields the directory prints
            on_page = _in_listing_order(shown, _ON_PAGE(*ids))
    raced: dict[int, set[tuple[int, str, str]]] = defaultdict(set)
    for driver_id, tier, series_name, short_name in their_series:
        raced[driver_id].add((tier, series_name, series_display_name(series_name, short_name)))
    lines = {
        pk: ", ".join(display for _, _, display in sorted(names)) for pk, names in raced.items()
    }
    address = slug_address("series:driver-detail")
    groups: dict[str, list[DriverRow]] = {}
    for pk, lead, slug, name, name_original, nationality in on_page:
        # DriverRow(...) without its Python-level __new__ (0.4 µs a row, a tenth of the loop)
        row = _new_row(
            DriverRow, (address(slug), name, name_original, nationality, lines.get(pk, ""), slug)
        )
        groups.setdefault(folded[lead], []).append(row)
    return DriverList(
        groups=[InitialGroup(i, _anchor(i), rows) for i, rows in sorted(groups.items())],
        initials=[
            InitialLink(i, _anchor(i), None if number == paged.number else number)
            for i, number in sorted(first_page.items())
        ],
        paged=paged,
    )


@dataclass
class SeriesTotals:
    series: Series
    seasons: int = 0
    starts: int = 0
    wins: int = 0
    podiums: int = 0
    titles: int = 0
    has_results: bool = False
    partial: bool = False
    # Some season has results entered, though not this driver's rows (a partial season).
    rows_missing: bool = False


@dataclass
class LadderCell:
    series: Series
    position: int | None = None
    title: bool = False
    season: Season | None = None


@dataclass
class LadderRow:
    tier: int
    label: str
    cells: list[list[LadderCell]]


@dataclass(frozen=True)
class TitleLine:
    """A title on record, with the season page it links to where the season is on the site."""

    title: Champion
    season_url: str

    @property
    def series(self) -> Series:
        return self.title.series

    @property
    def year(self) -> int:
        return self.title.year


if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations

    class _SeasonOnSite(TypedDict):
        season_on_site: bool

    # A title with whether its season is on the site (driver_page's query annotates it).
    TitleOnRecord = WithAnnotations[Champion, _SeasonOnSite]


@dataclass
class DriverPage(CareerFigures):
    driver: Driver
    seasons: list[SeasonLine]
    totals: list[SeriesTotals]
    titles: list[TitleLine]
    teams: list[Team]
    ladder_years: list[int]
    ladder: list[LadderRow]


def _driver_counts(driver_id: int) -> QuerySet[Result, tuple[int, int, int, int]]:
    return counts_per_entry(counted_results().filter(entry__driver=driver_id))


# The driver page's queries, compiled once per process (pcc/prepared.py): building them cost more
# than the page's template.
_DRIVER = Prepared(lambda slug: Driver.objects.filter(slug=slug).order_by()[:1])
_DRIVER_COUNTS = Prepared(_driver_counts)
_DRIVER_ENTRIES = Prepared(
    lambda driver_id: (
        Entry.objects.filter(driver=driver_id)
        .select_related("season__series", "team", "season_class")
        .order_by("season__year", "season__series__tier")
    )
)
_DRIVER_TITLES = Prepared(
    lambda driver_id: (
        Champion.objects.filter(driver=driver_id)
        .select_related("series")
        .annotate(
            season_on_site=Exists(
                Season.objects.filter(series_id=OuterRef("series_id"), year=OuterRef("year"))
            )
        )
    )
)
# (two lists of team ids rather than an OR across joins, which read every result of every team:
# 38 ms for a 36-season career at 768,000 results)
_DRIVER_TEAMS = Prepared(
    lambda driver_id: Team.objects.filter(
        Q(pk__in=Entry.objects.filter(driver=driver_id).values("team_id"))
        | Q(pk__in=Result.objects.filter(entry__driver=driver_id).values("team_id"))
    ).order_by("name")
)


def get_driver(slug: str) -> Driver:
    """The driver page's driver (one prepared query), or 404 as get_object_or_404 says it."""
    driver = next(iter(_DRIVER(slug)), None)  # slugs are unique
    if driver is None:
        raise Http404("No Driver matches the given query.")
    return driver


def driver_race_counts(driver: Driver, entries: list[Entry]) -> dict[int, RaceCounts]:
    """Starts, wins and podiums per season of the driver, whose `entries` are all loaded
    (driver_page's). Filtered through the entries' driver, not a list of their ids: PostgreSQL
    then reads the results by entry instead of hashing every session (2 ms, not 35, at scale)."""
    # query: starts, wins and podiums per entry, counted by the database
    return counts_by_season(
        _DRIVER_COUNTS(driver.pk), {entry.pk: entry.season_id for entry in entries}
    )


def _title_lines(titles: list[TitleOnRecord]) -> list[TitleLine]:
    """Each title with the address of its season page, or of its series page when the season is
    not on the site (most titles before results were kept). The titles carry `season_on_site`
    (driver_page's query asks the database)."""
    from django.urls import reverse

    lines = []
    for title in titles:
        if title.season_on_site:
            url = reverse("series:season-detail", args=[title.series.slug, title.year])
        else:
            url = title.series.get_absolute_url()
        lines.append(TitleLine(title, url))
    return lines


def driver_page(driver: Driver) -> DriverPage:
    # query: the driver's entries with season, series, team and class
    entries = list(_DRIVER_ENTRIES(driver.pk))
    counts = driver_race_counts(driver, entries)
    # query: the titles on record linked to this driver, and whether each one's season is on the
    # site (for its link)
    titles: list[TitleOnRecord] = list(_DRIVER_TITLES(driver.pk))
    # query: every team the driver drove for, by entry or by a race's team
    teams = list(_DRIVER_TEAMS(driver.pk))

    lines: dict[int, SeasonLine] = {}
    for entry in entries:
        line = lines.setdefault(entry.season_id, SeasonLine(entry.season, []))
        line.entries.append(entry)
    # query: the stored final rows of the career's seasons (one query)
    _fill_lines(lines, counts, driver.slug, "drivers")
    titles_by_key: dict[tuple[int, int], list[Champion]] = defaultdict(list)
    for title in titles:
        titles_by_key[(title.series_id, title.year)].append(title)
    for line in lines.values():
        line.titles = titles_by_key.get((line.season.series_id, line.season.year), [])

    totals: dict[int, SeriesTotals] = {}
    for line in lines.values():
        total = totals.setdefault(line.series.pk, SeriesTotals(line.series))
        total.seasons += 1
        if line.counts_known:
            total.starts += line.starts
            total.wins += line.wins
            total.podiums += line.podiums
            total.has_results = True
            total.partial = total.partial or line.partial
        elif line.has_results:
            total.rows_missing = True
    for title in titles:
        totals.setdefault(title.series_id, SeriesTotals(title.series)).titles += 1

    # The ladder: one row per tier (Supercup on top), one column per year with anything in it.
    cells: dict[tuple[int, int], list[LadderCell]] = defaultdict(list)
    for line in lines.values():
        cells[(line.series.tier, line.season.year)].append(
            LadderCell(line.series, line.position, bool(line.titles), line.season)
        )
    for title in titles:
        placed = cells[(title.series.tier, title.year)]
        if not any(c.series.pk == title.series_id for c in placed):
            placed.append(LadderCell(title.series, None, True, None))
    years = sorted({year for _, year in cells})
    tiers = sorted({tier for tier, _ in cells})
    ladder = [
        LadderRow(tier, Tier(tier).label, [cells.get((tier, year), []) for year in years])
        for tier in tiers
    ]
    seasons_sorted = sorted(
        lines.values(), key=lambda line: (-line.season.year, line.series.tier, line.series.name)
    )
    return DriverPage(
        driver=driver,
        seasons=seasons_sorted,
        totals=sorted(totals.values(), key=lambda t: (t.series.tier, t.series.name)),
        titles=_title_lines(sorted(titles, key=lambda t: (t.year, t.series.tier))),
        teams=teams,
        ladder_years=years,
        ladder=ladder,
    )
