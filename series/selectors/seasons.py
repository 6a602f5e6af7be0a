"""A season: its state (the one place it is worked out for the pages and the API), its titles
and published points, and the season page. Loaded in a fixed number of queries
(tests/test_pages_season.py counts them)."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from pcc.prepared import Prepared
from pcc.reversing import page_addresses, page_reverse

from ..dates import round_date_label
from ..models import (
    SCORING_KINDS,
    Champion,
    DatePrecision,
    Entry,
    MediaLink,
    PublishedStanding,
    Result,
    Round,
    Season,
    Session,
    SessionStatus,
)
from ..templatetags.pcc_tags import points as points_text
from .cache import cached, site_version, versioned_key
from .standings import StandingsTable, get_standings


def results_state(season: Season) -> str:
    """none, partial, provisional, running (races still to come) or final, from the annotations
    of _seasons_with_state()."""
    if not season.has_results:
        return "none"
    if season.results_partial:
        return "partial"
    if season.has_provisional:
        return "provisional"
    if season.has_to_run:
        return "running"
    return "final"


def in_progress(season: Season) -> bool:
    """A race still to run (today or later) or a result not yet final, and no champion on record:
    the only time a table has "leaders". A past race whose results were never entered does not
    keep a season running. Reads the annotations of _seasons_with_state(); the home page, the
    season pages and the API all ask this one function."""
    return not season.has_champion and bool(season.has_to_run or season.has_provisional)


def finished(season: Season) -> bool:
    """Results on record and nothing left to run or to confirm (annotations of
    _seasons_with_state())."""
    return bool(season.has_results) and not in_progress(season)


def mark_state(season: Season) -> None:
    """The one place a season's state is worked out for the pages (overview, standings, results,
    series) and the API: `state` (results_state), `in_progress`, `finished`, `provisional`."""
    season.state = results_state(season)
    season.in_progress = in_progress(season)
    season.finished = finished(season)
    # Shown on its own even when the partial notice wins the badge: both are true.
    season.provisional = bool(season.has_provisional)


@dataclass(frozen=True)
class SeasonChampion:
    """A title of the season on record, with the published points where we hold them."""

    class_name: str  # "overall" or the class as published
    name: str
    driver_slug: str | None
    team: str
    published_points: Decimal | None
    runner_up_points: Decimal | None  # the published second place's, for the margin

    @property
    def is_overall(self) -> bool:
        return self.class_name.lower().startswith("overall")

    @property
    def label(self) -> str:
        return "Champion" if self.is_overall else f"{self.class_name} champion"

    @property
    def margin(self) -> Decimal | None:
        """Points ahead of the published runner-up (both published figures), or None."""
        if self.published_points is None or self.runner_up_points is None:
            return None
        return self.published_points - self.runner_up_points


def _class_key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum()) or "overall"


@dataclass(frozen=True)
class SeasonRecord:
    """What the record holds about a season's outcome besides its results: its titles (overall
    first) and the published overall table's points by driver slug (or name, if not linked)."""

    champions: list[SeasonChampion]
    published: dict[str, Decimal]


_TITLE_FIELDS = (
    "series_id",
    "year",
    "class_name",
    "driver_id",
    "driver_name",
    "driver__name",
    "driver__slug",
    "team",
)
_PUBLISHED_FIELDS = (
    "season_id",
    "class_name",
    "driver_id",
    "driver__slug",
    "driver_name",
    "position",
    "points",
)
# One season's titles and published rows (season_record, on every season page): prepared.
_SEASON_TITLES = Prepared(
    lambda series_id, year: (
        Champion.objects.filter(series_id=series_id, year=year)
        .order_by("pk")
        .values_list(*_TITLE_FIELDS)
    )
)
_SEASON_PUBLISHED = Prepared(
    lambda season_id: PublishedStanding.objects.filter(season_id=season_id).values_list(
        *_PUBLISHED_FIELDS
    )
)


def season_records(seasons: list[Season]) -> dict[int, SeasonRecord]:
    """The titles and published points of each season, two queries for any number of seasons:
    titles, published rows (plain values: a page reads a few fields of each). A "(season
    cancelled)" line names no champion."""
    records = {season.pk: SeasonRecord(champions=[], published={}) for season in seasons}
    if not seasons:
        return records
    by_pair = {(season.series_id, season.year): season.pk for season in seasons}
    if len(seasons) == 1:
        # One season (a season's pages): the same two queries, prepared.
        [(series_id, year)] = by_pair
        titles = list(_SEASON_TITLES(series_id, year))
        published_rows = list(_SEASON_PUBLISHED(seasons[0].pk))
    else:
        query = Q()
        for series_id, year in by_pair:
            query |= Q(series_id=series_id, year=year)
        titles = list(Champion.objects.filter(query).order_by("pk").values_list(*_TITLE_FIELDS))
        published_rows = list(
            PublishedStanding.objects.filter(season_id__in=list(records)).values_list(
                *_PUBLISHED_FIELDS
            )
        )
    # class key -> rows (driver id, name as printed, position, points) of each season
    published: dict[int, dict[str, list[tuple[int | None, str, int | None, Decimal | None]]]] = (
        defaultdict(lambda: defaultdict(list))
    )
    for (
        season_id,
        class_name,
        driver_id,
        driver_slug,
        driver_name,
        position,
        points,
    ) in published_rows:
        class_key = _class_key(class_name)
        published[season_id][class_key].append((driver_id, driver_name, position, points))
        if points is not None and class_key == "overall":
            # By driver slug where the row is linked, else by the name as printed.
            records[season_id].published[driver_slug or driver_name] = points
    for series_id, year, class_name, driver_id, printed, name, slug, team in titles:
        if driver_id is None and printed.startswith("("):
            continue
        season_id = by_pair[(series_id, year)]
        rows = published[season_id].get(_class_key(class_name), [])
        mine = next(
            (row for row in rows if (driver_id and row[0] == driver_id) or row[1] == printed),
            None,
        )
        second = next((row for row in rows if row[2] == 2), None)
        records[season_id].champions.append(
            SeasonChampion(
                class_name=class_name,
                name=name if driver_id else printed,
                driver_slug=slug if driver_id else None,
                team=team,
                published_points=mine[3] if mine else None,
                runner_up_points=second[3] if second and mine else None,
            )
        )
    for record in records.values():
        record.champions.sort(key=lambda line: (not line.is_overall, line.class_name))
    return records


def season_record(season: Season, *, version: int | None = None) -> SeasonRecord:
    """One season's titles and published points, cached per change of the record (uncached: the
    two queries of season_records)."""
    key = versioned_key("season-record", season.pk, version=version)
    return cached(key, lambda: season_records([season])[season.pk])


def seasons_with_state() -> QuerySet[Season]:
    """Seasons annotated for mark_state (and results_state): the one source of a season's state."""
    return _seasons_with_state()


# A season's rounds counted in a subquery of its own row (for with_round_count).
_ROUND_COUNT = Coalesce(
    Subquery(
        Round.objects.filter(season_id=OuterRef("pk"))
        .order_by()
        .values("season_id")
        .annotate(n=Count("pk"))
        .values("n")
    ),
    0,
)


def with_round_count(seasons: QuerySet[Season]) -> QuerySet[Season]:
    """`round_count` on each season, for a list of seasons (the series page). Not part of the
    state, and not a join and GROUP BY: those made PostgreSQL expect eight times the seasons and
    plan the state's EXISTS as hashed scans of every session (5 ms for one season at scale,
    15 ms for a series of 40 at scale), where a subquery per row keeps them index lookups."""
    return seasons.annotate(round_count=_ROUND_COUNT)


def _seasons_with_state() -> QuerySet[Season]:
    # A fresh clone each call: the shared query below is never evaluated itself, so it never holds
    # rows (no data is kept between requests, only the query's shape).
    return _state_query(timezone.localdate()).all()


@functools.lru_cache(maxsize=2)
def _state_query(today: dt.date) -> QuerySet[Season]:
    """The state's annotations, built once per process and day: building and resolving the four
    subqueries cost more than a season page's own query did (1.3 of 2.2 ms)."""
    # The annotations' names are declared on Season (it documents what they mean); the stubs'
    # plugin refuses an annotation named like a declared attribute.
    return Season.objects.annotate(  # type: ignore[no-redef]
        has_results=Exists(Result.objects.filter(session__round__season=OuterRef("pk"))),
        has_provisional=Exists(
            Session.objects.scoring().filter(
                round__season=OuterRef("pk"), status=SessionStatus.PROVISIONAL
            )
        ),
        has_to_run=Exists(
            Session.objects.scoring().filter(
                round__season=OuterRef("pk"),
                status=SessionStatus.SCHEDULED,
                date__gte=today,
            )
        ),
        has_champion=Exists(
            Champion.objects.titles().filter(
                series=OuterRef("series"), year=OuterRef("year"), class_name="overall"
            )
        ),
    )


def _fold(text: str) -> str:
    return "".join(filter(str.isalnum, text.casefold()))


def place_bits(event_name: str, circuit_name: str, round_name: str) -> list[str]:
    """The circuit and the round's own name where they add something to the event's name
    ("Silverstone 2023 · Silverstone · Silverstone" says the place three times)."""
    shown = _fold(event_name)
    bits = []
    for bit in (circuit_name, round_name):
        folded = _fold(bit)
        if folded and folded not in shown:
            bits.append(bit)
            shown += folded
    return bits


def mark_round_places(rounds: Sequence[Round]) -> None:
    """`round.place_bits` (place_bits). Needs event__circuit loaded."""
    for round_ in rounds:
        round_.place_bits = place_bits(round_.event.name, round_.event.circuit.name, round_.name)


def round_states(days: Sequence[dt.date], today: dt.date) -> list[str]:
    """Each round's done (raced), next (the first still to come) or to-come, relative to today,
    from the rounds' days in the calendar's order."""
    states = []
    next_marked = False
    for day in days:
        if day < today:
            states.append("done")
        elif not next_marked:
            states.append("next")
            next_marked = True
        else:
            states.append("to-come")
    return states


def mark_round_states(rounds: Sequence[Round], today: dt.date) -> None:
    """`round.state` (round_states)."""
    for round_, state in zip(rounds, round_states([r.date for r in rounds], today), strict=True):
        round_.state = state


def _one_season(seasons: QuerySet[Season]) -> Prepared[QuerySet[Season]]:
    return Prepared(
        lambda series_slug, year: (
            seasons.select_related("series", "scoring", "car_generation")
            .filter(series__slug=series_slug, year=year)
            .order_by()[:1]
        )
    )


_SEASON = _one_season(Season.objects.all())


@functools.lru_cache(maxsize=2)
def _season_with_state(today: dt.date) -> Prepared[QuerySet[Season]]:
    return _one_season(_state_query(today))


def get_season(series_slug: str, year: int, *, with_state: bool = False) -> Season:
    """One query: the season with its series and scoring rules, or 404."""
    found = _season_with_state(timezone.localdate()) if with_state else _SEASON
    season = next(iter(found(series_slug, year)), None)
    if season is None:
        raise Http404("No Season matches the given query.")
    if with_state:
        mark_state(season)
    return season


class EntryLine(NamedTuple):
    """An entry as the entry list prints it (`team_url` "" without a team; `car` "–" without a
    number, as the template's default filter printed it)."""

    car: int | str
    driver_url: str
    driver_name: str
    nationality: str
    team_url: str
    team_name: str
    guest: bool
    rookie: bool


@dataclass
class ClassEntries:
    name: str
    entries: list[Entry]
    lines: list[EntryLine] = field(default_factory=list)


def page_address_book() -> Callable[..., str]:
    """reverse() for the lines a page's selector formats: the scope checked once (as the pages'
    context processor does), then each address remembered for the page (pcc/reversing.py:
    0.3 µs, where an Addresses cost 3.6 µs an address and 24 µs a kind on a new instance)."""
    page_addresses()
    return lambda view_name, *args: page_reverse(view_name, args)


class LeaderLine(NamedTuple):
    """A row of the top of a drivers' table (series/_season_leaders.html), its figures formatted
    once here: `gap` None for the leader and unranked rows."""

    row_class: str
    key: str
    position: int | None
    complete: bool
    url: str
    name: str
    nationality: str
    excluded: bool
    eligible: bool
    points_unknown: bool
    points: str
    gap: str | None
    wins: int


def leader_lines(table: StandingsTable | None, count: int) -> list[LeaderLine]:
    """The first `count` rows of a drivers' table, as its top prints them."""
    if table is None:
        return []
    addresses = page_address_book()
    return [
        LeaderLine(
            ("is-unranked" if row.position is None else "")
            + ("" if row.complete else " is-incomplete"),
            row.key,
            row.position,
            row.complete,
            addresses("series:driver-detail", row.key),
            row.name,
            row.nationality,
            row.excluded,
            row.eligible,
            row.points_unknown,
            points_text(row.points),
            points_text(row.gap) if row.gap is not None else None,
            row.wins,
        )
        for row in table.rows[:count]
    ]


def round_dates(
    day: dt.date, precision: str, start: dt.date | None, end: dt.date | None
) -> tuple[str, str]:
    """A round's (date_iso, date_label) as the calendars print them: `date_iso` "" where the race
    day is not on record (the label then names the weekend or month: Round.date_label)."""
    if precision == DatePrecision.DAY:
        return day.isoformat(), round_date_label(day, precision, None, None)
    return "", round_date_label(day, precision, start, end)


@dataclass
class SeasonPage:
    season: Season
    rounds: Sequence[Round]
    calendar: list[CalendarRound]
    next_round: Round | None
    classes: list[ClassEntries]
    entry_count: int
    links: list[MediaLink]
    table: StandingsTable | None
    champions: list[SeasonChampion] = field(default_factory=list)
    leaders: list[LeaderLine] = field(default_factory=list)


@dataclass
class RoundRace:
    """A race or sprint of a round as the season's calendar shows it: its winners' names (none
    on record: an empty list; a dead heat: two)."""

    slug: str
    name: str
    status: str
    winners: list[str] = field(default_factory=list)
    url: str = ""


class CalendarRound(NamedTuple):
    """A line of the season's calendar as it prints it: the round and its races (by day, start
    and name); `date_iso` as round_dates gives it."""

    number: int
    event_url: str
    event_name: str
    place: str
    date_iso: str
    date_label: str
    state: str
    races: list[RoundRace]
    several_races: bool


# The season page's queries, prepared (pcc/prepared.py): by the season's id.
SEASON_ROUNDS = Prepared(
    lambda season_id: (
        Round.objects.filter(season_id=season_id)
        .select_related("event__circuit")
        .order_by("number")
    )
)
_CALENDAR_RACES = Prepared(
    lambda season_id: (
        Session.objects.filter(round__season_id=season_id, kind__in=SCORING_KINDS)
        .annotate(first=FilteredRelation("results", condition=Q(results__position=1)))
        .order_by("round_id", "date", "starts_at", "name", "pk", "first__car_number")
        .values_list("pk", "round_id", "slug", "name", "status", "first__entry__driver__name")
    )
)
_SEASON_ENTRIES = Prepared(
    lambda season_id: (
        Entry.objects.filter(season_id=season_id)
        .select_related("driver", "team", "season_class")
        .order_by("season_class__order", "season_class__name", "car_number", "driver__sort_name")
    )
)
_SEASON_LINKS = Prepared(
    lambda season_id: MediaLink.objects.filter(season_id=season_id).order_by(
        "kind", "region", "provider"
    )
)


def calendar_rounds(rounds: Sequence[Round], season: Season) -> list[CalendarRound]:
    """The calendar's lines: one query, the season's scoring sessions joined to their first-placed
    results, as plain values."""
    by_round: dict[int, list[RoundRace]] = defaultdict(list)
    races: dict[int, RoundRace] = {}
    for pk, round_id, slug, name, status, winner in _CALENDAR_RACES(season.pk):
        race = races.get(pk)
        if race is None:
            race = races[pk] = RoundRace(slug=slug, name=name, status=status)
            by_round[round_id].append(race)
        if winner is not None:
            race.winners.append(winner)
    addresses = page_address_book()
    lines = []
    for round_ in rounds:
        event = round_.event
        event_url = addresses("series:event-detail", event.slug)
        races_of = by_round.get(round_.pk, [])
        for race in races_of:
            race.url = addresses("series:session-detail", event.slug, race.slug)
        date_iso, date_label = round_dates(
            round_.date, round_.date_precision, event.start_date, event.end_date
        )
        lines.append(
            CalendarRound(
                round_.number,
                event_url,
                event.name,
                " · ".join(round_.place_bits),
                date_iso,
                date_label,
                round_.state,
                races_of,
                len(races_of) > 1,
            )
        )
    return lines


def season_page(series_slug: str, year: int, today: dt.date) -> SeasonPage:
    season = get_season(series_slug, year, with_state=True)  # 1
    # 2: rounds with event and circuit.
    rounds = list(SEASON_ROUNDS(season.pk))
    mark_round_states(rounds, today)
    mark_round_places(rounds)
    next_round = next((round_ for round_ in rounds if round_.state == "next"), None)
    calendar = calendar_rounds(rounds, season)  # 3: their races and sprints, with the winners
    # 4: the entry list, by class.
    entries = list(_SEASON_ENTRIES(season.pk))
    classes: list[ClassEntries] = []
    addresses = page_address_book()
    for entry in entries:
        name = entry.season_class.name if entry.season_class else "Entries"
        if not classes or classes[-1].name != name:
            classes.append(ClassEntries(name=name, entries=[]))
        classes[-1].entries.append(entry)
        driver, team = entry.driver, entry.team
        classes[-1].lines.append(
            EntryLine(
                entry.car_number or "–",
                addresses("series:driver-detail", driver.slug),
                driver.name,
                driver.nationality,
                addresses("series:team-detail", team.slug) if team else "",
                team.name if team else "",
                entry.guest,
                entry.rookie,
            )
        )
    # 5: where to watch the season.
    links = list(_SEASON_LINKS(season.pk))
    for link in links:
        link.season = season  # as season.media_links gave them
    version = site_version()  # 6: once for both cached reads below
    # The standings loader, cached per change of the record.
    table = get_standings(season, version=version) if season.has_results else None
    # The titles of the season and the published table's rows (cached per change of the record).
    champions = season_record(season, version=version).champions
    return SeasonPage(
        season=season,
        rounds=rounds,
        calendar=calendar,
        next_round=next_round,
        classes=classes,
        entry_count=len(entries),
        links=links,
        table=table,
        champions=champions,
        leaders=leader_lines(table, 10),
    )
