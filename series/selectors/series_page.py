"""The series page: its seasons with their state, its titles, its links and the current season's
calendar and table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.shortcuts import get_object_or_404

from ..models import (
    Champion,
    MediaLink,
    Round,
    Season,
    Series,
)
from .cache import site_version
from .seasons import (
    SeasonChampion,
    _seasons_with_state,
    mark_round_places,
    mark_round_states,
    mark_state,
    season_record,
    with_round_count,
)
from .standings import StandingsTable, get_standings


@dataclass
class ChampionYear:
    year: int
    titles: list[Champion]


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


def series_page(slug: str, today: dt.date) -> SeriesPage:
    # 1: the series and what it feeds into.
    series = get_object_or_404(Series.objects.select_related("feeds_into"), slug=slug)
    # 2: the series that feed into it.
    feeders = list(series.feeders.all().order_by("tier", "name"))
    # 3: its seasons, with whether results are entered, provisional, and how many rounds.
    seasons = list(
        with_round_count(_seasons_with_state())
        .filter(series=series)
        .select_related("car_generation")
        .order_by("-year")
    )
    for season in seasons:
        season.series = series  # saves a query per season in get_absolute_url and title
        mark_state(season)
    # 4: the titles, with the driver where the record links one.
    champion_years: list[ChampionYear] = []
    for champion in (
        Champion.objects.filter(series=series).select_related("driver").order_by("-year", "pk")
    ):
        if not champion_years or champion_years[-1].year != champion.year:
            champion_years.append(ChampionYear(year=champion.year, titles=[]))
        champion_years[-1].titles.append(champion)
    for year in champion_years:
        year.titles.sort(key=lambda title: (not title.is_overall, title.class_name))
    # 5: links of the series and of each of its seasons.
    links = list(
        MediaLink.objects.filter(Q(series=series) | Q(season__series=series))
        .select_related("season")
        .order_by("-season__year", "kind", "region", "provider")
    )
    current = seasons[0] if seasons else None
    current_rounds: list[Round] = []
    current_table = None
    current_champions: list[SeasonChampion] = []
    if current is not None:
        # 6: the current season's calendar.
        current_rounds = list(
            Round.objects.filter(season=current).select_related("event__circuit").order_by("number")
        )
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
