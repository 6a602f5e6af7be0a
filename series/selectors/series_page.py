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

from ..models import (
    Champion,
    MediaKind,
    MediaLink,
    Round,
    Season,
    Series,
)
from ..models.history import is_overall_class
from .cache import site_version
from .seasons import (
    LeaderLine,
    SeasonChampion,
    _state_query,
    leader_lines,
    mark_state,
    page_address_book,
    place_bits,
    round_dates,
    round_states,
    season_record,
    with_round_count,
)
from .standings import StandingsTable, get_standings


class ChampionLine(NamedTuple):
    """A title as the series page's table unpacks it (plain values: no model instances, no
    attribute lookups in the loop). `driver_url` is "" where the record links no driver; `label`
    is the class as printed (its first letter capitalised, as the template's capfirst did)."""

    class_name: str
    driver_url: str
    driver_name: str
    label: str
    nationality: str
    qualifier: str
    team: str
    teams_champion: str


class SeasonLine(NamedTuple):
    """A season as the series page's table prints it: `standings_url` and `results_url` are ""
    where the season has no results (the row links neither)."""

    url: str
    year: int
    car: str
    round_count: int
    state: str
    standings_url: str
    results_url: str


class CalendarLine(NamedTuple):
    """A round of the current season as the series page's calendar prints it: `date_iso` is ""
    where the race day is not on record (the label then names the weekend or month)."""

    number: int
    event_url: str
    event_name: str
    place: str
    date_iso: str
    date_label: str
    state: str


class LinkLine(NamedTuple):
    """A link of the series or of one of its seasons, as the page prints it. `season_year` is None
    for the series' own links."""

    url: str
    text: str
    kind: str
    region: str
    season_year: int | None
    as_of_year: int | None
    note: str


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
    current_rounds: list[CalendarLine]
    current_table: StandingsTable | None
    links: list[LinkLine]
    today: dt.date
    current_champions: list[SeasonChampion] = field(default_factory=list)
    season_lines: list[SeasonLine] = field(default_factory=list)
    current_leaders: list[LeaderLine] = field(default_factory=list)


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
        .order_by("-season__year", "kind", "region", "provider")
        .values_list(
            "url", "title", "provider", "kind", "region", "season__year", "as_of_year", "note"
        )
    )
)
# The current season's calendar, as plain values (the season page's SEASON_ROUNDS made a round,
# an event and a circuit instance of every row, for the seven fields printed).
_CALENDAR = Prepared(
    lambda season_id: (
        Round.objects.filter(season_id=season_id)
        .order_by("number")
        .values_list(
            "number",
            "name",
            "date",
            "date_precision",
            "event__slug",
            "event__name",
            "event__start_date",
            "event__end_date",
            "event__circuit__name",
        )
    )
)
_KIND_LABELS = {kind.value: str(kind.label) for kind in MediaKind}


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
    addresses = page_address_book()
    season_lines = []
    for season in seasons:
        season.series = series  # saves a query per season in get_absolute_url and title
        mark_state(season)
        year = season.year
        with_results = bool(season.has_results)
        if season.car:
            car = season.car
        elif season.car_generation is not None:
            car = season.car_generation.model_name
        else:
            car = "—"
        season_lines.append(
            SeasonLine(
                addresses("series:season-detail", series.slug, year),
                year,
                car,
                season.round_count,  # type: ignore[attr-defined]  # with_round_count
                season.state,
                addresses("series:season-standings", series.slug, year) if with_results else "",
                addresses("series:season-results", series.slug, year) if with_results else "",
            )
        )
    # 4: the titles, with the driver where the record links one.
    champion_years: list[ChampionYear] = []
    for year, class_name, driver_slug, *printed in _CHAMPIONS(series.pk):
        if not champion_years or champion_years[-1].year != year:
            champion_years.append(ChampionYear(year=year, titles=[]))
        driver_url = addresses("series:driver-detail", driver_slug) if driver_slug else ""
        champion_years[-1].titles.append(
            ChampionLine(
                class_name,
                driver_url,
                printed[0],
                class_name[:1].upper() + class_name[1:],
                *printed[1:],
            )
        )
    for champion_year in champion_years:
        champion_year.titles.sort(
            key=lambda title: (not is_overall_class(title.class_name), title.class_name)
        )
    # 5: links of the series and of each of its seasons.
    links = [
        LinkLine(url, title or provider, _KIND_LABELS.get(kind, kind), region, year, as_of, note)
        for url, title, provider, kind, region, year, as_of, note in _LINKS(series.pk)
    ]
    current = seasons[0] if seasons else None
    current_rounds: list[CalendarLine] = []
    current_table = None
    current_champions: list[SeasonChampion] = []
    if current is not None:
        # 6: the current season's calendar.
        rows = list(_CALENDAR(current.pk))
        states = round_states([row[2] for row in rows], today)
        for state, row in zip(states, rows, strict=True):
            number, name, day, precision, event_slug, event_name, start, end, circuit = row
            date_iso, date_label = round_dates(day, precision, start, end)
            current_rounds.append(
                CalendarLine(
                    number,
                    addresses("series:event-detail", event_slug),
                    event_name,
                    " · ".join(place_bits(event_name, circuit, name)),
                    date_iso,
                    date_label,
                    state,
                )
            )
        if current.has_results:
            version = site_version()  # once for both cached reads below
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
        season_lines=season_lines,
        current_leaders=leader_lines(current_table, 5),
    )
