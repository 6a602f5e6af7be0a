"""The series page: its seasons with their state, its titles, its links and the current season's
calendar and table."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from pcc.prepared import Prepared

from ..addresses import Addresses
from ..models import (
    Champion,
    MediaLink,
    Round,
    Season,
    Series,
)
from ..models.history import is_overall_class
from .cache import site_version
from .seasons import (
    SEASON_ROUNDS,
    SeasonChampion,
    _state_query,
    mark_round_places,
    mark_round_states,
    mark_state,
    season_record,
    with_round_count,
)
from .standings import StandingsTable, get_standings


class ChampionLine(NamedTuple):
    """A title as the series page's table unpacks it (plain values: no model instances, no
    attribute lookups in the loop). `driver_url` is "" where the record links no driver."""

    class_name: str
    driver_url: str
    driver_name: str
    nationality: str
    qualifier: str
    team: str
    teams_champion: str


@dataclass
class ChampionYear:
    year: int
    titles: list[ChampionLine]


@dataclass
class SeriesPage:
    series: Series
    feeders: list[Series]
    seasons: list[Season]
    champion_years: list[ChampionYear]
    current: Season | None
    current_rounds: list[Round]
    current_table: StandingsTable | None
    links: list[MediaLink]
    today: dt.date
    current_champions: list[SeasonChampion] = field(default_factory=list)


# The page's queries, prepared (pcc/prepared.py): by the series' slug, then its id.
_SERIES = Prepared(
    lambda slug: Series.objects.select_related("feeds_into").filter(slug=slug).order_by()[:1]
)
_FEEDERS = Prepared(
    lambda series_id: Series.objects.filter(feeds_into_id=series_id).order_by("tier", "name")
)
_CHAMPIONS = Prepared(
    lambda series_id: (
        Champion.objects.filter(series_id=series_id)
        .order_by("-year", "pk")
        .values_list(
            "year",
            "class_name",
            "driver__slug",
            "driver_name",
            "nationality",
            "qualifier",
            "team",
            "teams_champion",
        )
    )
)
_LINKS = Prepared(
    lambda series_id: (
        MediaLink.objects.filter(Q(series_id=series_id) | Q(season__series_id=series_id))
        .select_related("season")
        .order_by("-season__year", "kind", "region", "provider")
    )
)


@functools.lru_cache(maxsize=2)
def _seasons(today: dt.date) -> Prepared[QuerySet[Season]]:
    """The series' seasons with their state, which bakes in the day (as the state's query does)."""
    return Prepared(
        lambda series_id: (
            with_round_count(_state_query(today))
            .filter(series_id=series_id)
            .select_related("car_generation")
            .order_by("-year")
        )
    )


def series_page(slug: str, today: dt.date) -> SeriesPage:
    # 1: the series and what it feeds into.
    series = next(iter(_SERIES(slug)), None)
    if series is None:
        raise Http404("No Series matches the given query.")
    # 2: the series that feed into it.
    feeders = list(_FEEDERS(series.pk))
    for feeder in feeders:
        feeder.feeds_into = series  # as series.feeders gave them
    # 3: its seasons, with whether results are entered, provisional, and how many rounds.
    seasons = list(_seasons(timezone.localdate())(series.pk))
    for season in seasons:
        season.series = series  # saves a query per season in get_absolute_url and title
        mark_state(season)
    # 4: the titles, with the driver where the record links one.
    champion_years: list[ChampionYear] = []
    addresses = Addresses()
    for year, class_name, driver_slug, *printed in _CHAMPIONS(series.pk):
        if not champion_years or champion_years[-1].year != year:
            champion_years.append(ChampionYear(year=year, titles=[]))
        driver_url = addresses("series:driver-detail", driver_slug) if driver_slug else ""
        champion_years[-1].titles.append(ChampionLine(class_name, driver_url, *printed))
    for champion_year in champion_years:
        champion_year.titles.sort(
            key=lambda title: (not is_overall_class(title.class_name), title.class_name)
        )
    # 5: links of the series and of each of its seasons.
    links = list(_LINKS(series.pk))
    current = seasons[0] if seasons else None
    current_rounds: list[Round] = []
    current_table = None
    current_champions: list[SeasonChampion] = []
    if current is not None:
        # 6: the current season's calendar.
        current_rounds = list(SEASON_ROUNDS(current.pk))
        mark_round_states(current_rounds, today)
        mark_round_places(current_rounds)
        version = site_version()  # once for both cached reads below
        if current.has_results:
            # The standings loader (cached per change of the record).
            current_table = get_standings(current, version=version)
        if current.finished:
            # Its titles, which a finished season's summary names (cached per change).
            current_champions = season_record(current, version=version).champions
    return SeriesPage(
        series=series,
        feeders=feeders,
        seasons=seasons,
        champion_years=champion_years,
        current=current,
        current_rounds=current_rounds,
        current_table=current_table,
        links=links,
        today=today,
        current_champions=current_champions,
    )
