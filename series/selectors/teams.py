"""The teams directory and the team page, counted over the same seats (an entry for the team, or
a race the team ran)."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import TypedDict

from django.db.models import Count, Q, QuerySet, Window
from django.http import Http404

from pcc.prepared import Prepared

from ..addresses import Addresses
from ..models import (
    Driver,
    Entry,
    Result,
    Team,
)
from .careers import (
    CareerFigures,
    RaceCounts,
    SeasonLine,
    _fill_lines,
    counted_results,
    counts_by_season,
    counts_per_entry,
    race_counts_by_season,
    year_span,
)
from .paging import Paged, page_of

TEAMS_PER_PAGE = 200  # the shipped record's teams fit on one page


class TeamRow(TypedDict):
    """A team as the directory prints it: plain values in a dict, the cheapest thing for a
    template to look into."""

    slug: str
    url: str  # the team page's
    name: str
    country: str
    season_count: int
    driver_count: int
    years: str  # "2019–2023", "2023" or "" (no seat on record)


@dataclass
class TeamList:
    teams: list[TeamRow]
    paged: Paged


def _teams_a_to_z() -> QuerySet[Team, tuple[int, str, str, str]]:
    return Team.objects.order_by("name", "pk").values_list("pk", "slug", "name", "country")


def _seats_of(*ids: int) -> QuerySet[Entry, tuple[int, int, int, int]]:
    # The seats entered for those teams, and those they ran in a race without having entered
    # them, in one UNION. No ordering: the models' default order joined every driver (entries)
    # and every session and event (results) at scale, 45 ms of the page.
    entered = (
        Entry.objects.filter(team__in=ids)
        .order_by()
        .values_list("team_id", "season_id", "season__year", "driver_id")
    )
    raced = (
        Result.objects.filter(team__in=ids)
        .order_by()
        .values_list("team_id", "entry__season_id", "entry__season__year", "entry__driver_id")
    )
    return entered.union(raced)


# The directory's queries compiled once per process (pcc/prepared.py): its first page with the
# count of every team (a window over the same rows: one query, not a COUNT and the page), and the
# seats of a page's teams (one shape per number of teams on a page).
@functools.lru_cache(maxsize=2)
def _first_page_query(per_page: int) -> Prepared[QuerySet[Team, tuple[int, str, str, str, int]]]:
    return Prepared(
        lambda: (
            _teams_a_to_z()
            .annotate(total=Window(Count("pk")))
            .values_list("pk", "slug", "name", "country", "total")[:per_page]
        )
    )


_SEATS = Prepared(_seats_of)


def _first_page(per_page: int) -> tuple[list[tuple[int, str, str, str]], Paged]:
    """The first page and its Paged as page_of() gives them, in one query."""
    rows = list(_first_page_query(per_page)())
    count = rows[0][4] if rows else 0
    pages = max(1, -(-count // per_page))
    return [row[:4] for row in rows], Paged(1, pages, count, per_page)


def team_list(page: int | None = None) -> TeamList:
    """One page of the teams A–Z with their seasons, drivers and years, counted over the same
    seats as the team's page: a seat entered for the team, or one the team ran in a race (a
    result's own team). Two queries for the first page, three for another."""
    if not page or page == 1:
        # query: the teams of the first page (the fields printed) and how many teams there are
        shown, paged = _first_page(TEAMS_PER_PAGE)
    else:
        # queries: how many teams; the teams of the page (the fields printed)
        shown, paged = page_of(_teams_a_to_z(), page, TEAMS_PER_PAGE)
    ids = [pk for pk, _, _, _ in shown]
    seats: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
    # query: the seats of those teams
    for team_id, season_id, year, driver_id in _SEATS(*ids):
        seats[team_id].add((season_id, year, driver_id))
    address = Addresses()
    rows = []
    for pk, slug, name, country in shown:
        held = seats.get(pk, set())
        years = [year for _, year, _ in held]
        rows.append(
            TeamRow(
                slug=slug,
                url=address("series:team-detail", slug),
                name=name,
                country=country,
                season_count=len({season for season, _, _ in held}),
                driver_count=len({driver for _, _, driver in held}),
                years=year_span(min(years), max(years)) if years else "",
            )
        )
    return TeamList(rows, paged)


@dataclass
class TeamPage(CareerFigures):
    team: Team
    seasons: list[SeasonLine]

    @cached_property
    def drivers(self) -> list[Driver]:
        seen: dict[int, Driver] = {}
        for line in self.seasons:
            for entry in line.entries:
                seen.setdefault(entry.driver_id, entry.driver)
        return sorted(seen.values(), key=lambda d: (d.sort_name, d.name))


def _team_entries(team_id: int) -> QuerySet[Entry]:
    # The seats' ids are one UNION subquery: an OR of the two sides read all 48,000 entries and
    # joined every driver at scale (33 ms); the UNION keeps both on their indexes (0.6 ms).
    seats_held = (
        Entry.objects.filter(team=team_id)
        .order_by()
        .values("pk")
        .union(Result.objects.filter(team=team_id).order_by().values("entry_id"))
    )
    return (
        Entry.objects.filter(pk__in=seats_held)
        .select_related("season__series", "driver", "season_class")
        .order_by("-season__year", "season__series__tier", "car_number")
    )


# The team page's queries, compiled once per process (pcc/prepared.py); the counts once per
# number of the team's own seats (the ids are bound one by one).
_TEAM = Prepared(lambda slug: Team.objects.filter(slug=slug).order_by()[:1])
_TEAM_ENTRIES = Prepared(_team_entries)
_TEAM_COUNTS = Prepared(
    lambda team_id, *seats: counts_per_entry(
        counted_results().filter(Q(team=team_id) | Q(team__isnull=True, entry_id__in=seats))
    )
)


def get_team(slug: str) -> Team:
    """The team page's team (one prepared query), or 404 as get_object_or_404 says it."""
    team = next(iter(_TEAM(slug)), None)  # slugs are unique
    if team is None:
        raise Http404("No Team matches the given query.")
    return team


def team_race_counts(team: Team, entries: list[Entry]) -> dict[int, RaceCounts]:
    """Starts, wins and podiums per season of the cars run by the team: a result's own team
    overrides the entry's, so a driver who changed team counts for the team of that race.
    `entries` are the team's seats, by entry or by a race run for it (team_page's): the ids of
    its own keep the query on the indexes."""
    seats = [entry.pk for entry in entries if entry.team_id == team.pk]
    season_of = {entry.pk: entry.season_id for entry in entries}
    if not seats:  # `in` nothing: the ORM drops the arm, a shape of its own
        return race_counts_by_season(counted_results().filter(team=team), season_of)
    return counts_by_season(_TEAM_COUNTS(team.pk, *seats), season_of)


def team_page(team: Team) -> TeamPage:
    # query: the team's seats, by entry or by a race run for it, with season, series and driver
    entries = list(_TEAM_ENTRIES(team.pk))
    # query: wins and podiums per season of the cars run by the team (a result's own team
    # overrides the entry's: a driver who changed team counts for the team of that race). The
    # team's own seats are already loaded: their ids keep the query on the indexes.
    counts = team_race_counts(team, entries)
    lines: dict[int, SeasonLine] = {}
    for entry in entries:
        lines.setdefault(entry.season_id, SeasonLine(entry.season, [])).entries.append(entry)
    # query: the stored final rows of the team's seasons (one query)
    _fill_lines(lines, counts, team.slug, "teams")
    return TeamPage(team=team, seasons=list(lines.values()))
