"""The teams directory and the team page, counted over the same seats (an entry for the team, or
a race the team ran)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from ..models import (
    Driver,
    Entry,
    Result,
    Team,
)
from .careers import (
    Career,
    RaceCounts,
    SeasonLine,
    _fill_lines,
    career,
    counted_results,
    race_counts_by_season,
)
from .paging import Paged, page_of

TEAMS_PER_PAGE = 200  # the shipped record's teams fit on one page


@dataclass
class TeamList:
    teams: list[Team]
    paged: Paged


def team_list(page: int | None = None) -> TeamList:
    """One page of the teams A–Z with their seasons, drivers and years, counted over the same
    seats as the team's page: a seat entered for the team, or one the team ran in a race (a
    result's own team). Four queries whatever the page."""
    # queries: how many teams; the teams of the page
    teams, paged = page_of(Team.objects.all().order_by("name", "pk"), page, TEAMS_PER_PAGE)
    ids = [team.pk for team in teams]
    seats: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
    # query: the seats entered for those teams
    for team_id, season_id, year, driver_id in Entry.objects.filter(team__in=ids).values_list(
        "team_id", "season_id", "season__year", "driver_id"
    ):
        seats[team_id].add((season_id, year, driver_id))
    # query: the seats they ran in a race without having entered them
    for team_id, season_id, year, driver_id in (
        Result.objects.filter(team__in=ids)
        .values_list("team_id", "entry__season_id", "entry__season__year", "entry__driver_id")
        .distinct()
    ):
        seats[team_id].add((season_id, year, driver_id))
    for team in teams:
        held = seats.get(team.pk, set())
        years = [year for _, year, _ in held]
        team.season_count = len({season for season, _, _ in held})
        team.driver_count = len({driver for _, _, driver in held})
        team.first_year = min(years) if years else None
        team.last_year = max(years) if years else None
    return TeamList(teams, paged)


@dataclass
class TeamPage:
    team: Team
    seasons: list[SeasonLine]

    @property
    def has_results(self) -> bool:
        return any(line.counts_known for line in self.seasons)

    @property
    def career(self) -> Career:
        return career(self.seasons)

    @property
    def starts(self) -> int:
        return self.career.starts

    @property
    def wins(self) -> int:
        return self.career.wins

    @property
    def podiums(self) -> int:
        return self.career.podiums

    @property
    def drivers(self) -> list[Driver]:
        seen: dict[int, Driver] = {}
        for line in self.seasons:
            for entry in line.entries:
                seen.setdefault(entry.driver_id, entry.driver)
        return sorted(seen.values(), key=lambda d: (d.sort_name, d.name))


def team_race_counts(team: Team, seats: list[int]) -> dict[int, RaceCounts]:
    """Starts, wins and podiums per season of the cars run by the team: a result's own team
    overrides the entry's, so a driver who changed team counts for the team of that race.
    `seats` are the ids of the team's own entries (they keep the query on the indexes)."""
    return race_counts_by_season(
        counted_results().filter(Q(team=team) | Q(team__isnull=True, entry_id__in=seats))
    )


def team_page(team: Team) -> TeamPage:
    # query: the team's seats, by entry or by a race run for it, with season, series and driver.
    # A subquery rather than a join through the results: no DISTINCT over every result, and each
    # side uses its index (a join-OR scanned all 768,000 results of the scale run).
    entries = list(
        Entry.objects.filter(
            Q(team=team) | Q(pk__in=Result.objects.filter(team=team).values("entry_id"))
        )
        .all()
        .select_related("season__series", "driver", "season_class")
        .order_by("-season__year", "season__series__tier", "car_number")
    )
    # query: wins and podiums per season of the cars run by the team (a result's own team
    # overrides the entry's: a driver who changed team counts for the team of that race). The
    # team's own seats are already loaded: their ids keep the query on the indexes.
    seats = [entry.pk for entry in entries if entry.team_id == team.pk]
    counts = team_race_counts(team, seats)
    lines: dict[int, SeasonLine] = {}
    for entry in entries:
        lines.setdefault(entry.season_id, SeasonLine(entry.season, [])).entries.append(entry)
    # query: the stored final rows of the team's seasons (one query)
    _fill_lines(lines, counts, team.slug, "teams")
    return TeamPage(team=team, seasons=list(lines.values()))
