"""The pyramid page (the tiers and the ladders a driver climbs, read from feeds_into) and the
list of series the filters offer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import (
    Count,
    Max,
    Min,
)

from pcc.prepared import Prepared

from ..addresses import Addresses
from ..models import (
    Series,
    Tier,
)
from ..models.pyramid import series_display_name


def series_options() -> list[Series]:
    # query: the real series, top of the pyramid first (the drivers', champions' and calendar's
    # series filter)
    return list(_SERIES_OPTIONS())


_SERIES_OPTIONS = Prepared(lambda: Series.objects.all().order_by("tier", "name"))


class SeriesKey(NamedTuple):
    """A series as the champions page reads it (its filter, histories and index), as plain
    values: building the 29 Series models, every field of each, was a tenth of that page."""

    pk: int
    slug: str
    name: str
    short_name: str
    tier: int
    first_year: int | None
    last_year: int | None

    @property
    def id(self) -> int:
        return self.pk

    @property
    def display_name(self) -> str:
        return series_display_name(self.name, self.short_name)

    def get_tier_display(self) -> str:
        return str(Tier(self.tier).label)


# query: every series, top of the pyramid first, as series_options() orders them
_SERIES_KEYS = Prepared(
    lambda: Series.objects.order_by("tier", "name").values_list(*SeriesKey._fields)
)


def series_keys() -> list[SeriesKey]:
    return [SeriesKey(*row) for row in _SERIES_KEYS()]


@dataclass
class TierGroup:
    tier: int
    label: str
    series: list[Series]


def _tiers(series_list: Sequence[Series]) -> list[TierGroup]:
    groups = [TierGroup(tier=value, label=label, series=[]) for value, label in Tier.choices]
    by_tier = {group.tier: group for group in groups}
    for series in series_list:
        if series.tier in by_tier:
            by_tier[series.tier].series.append(series)
    return groups


def mark_addresses(series_list: Iterable[Series], addresses: Addresses | None = None) -> None:
    """`series.address` (its page, as get_absolute_url() gives it) and `series.coverage_address`
    (what is on record of it) on each series, filled in from one reverse() of each kind instead
    of one a link (a tenth of the pyramid's render)."""
    addresses = addresses or Addresses()
    # Not declared on Series (series/models is not this page's to change): set as a page's marks.
    for series in series_list:
        series.address = addresses("series:series-detail", series.slug)  # type: ignore[attr-defined]
        series.coverage_address = addresses("series:coverage-series", series.slug)  # type: ignore[attr-defined]


def _ladders(series_list: Sequence[Series]) -> list[list[Series]]:
    """The paths a driver climbs, read from feeds_into: one ladder per series at the foot of a path
    (a series nothing feeds into), followed upwards until the top (or a loop in bad data)."""
    real = {series.pk: series for series in series_list}
    fed = {series.feeds_into_id for series in series_list if series.feeds_into_id}
    ladders = []
    for series in series_list:
        if series.pk in fed or not series.feeds_into_id:
            continue
        ladder = [series]
        seen = {series.pk}
        step = series
        while step.feeds_into_id and step.feeds_into_id in real and step.feeds_into_id not in seen:
            step = real[step.feeds_into_id]
            ladder.append(step)
            seen.add(step.pk)
        if len(ladder) > 1:
            ladders.append(ladder)
    ladders.sort(key=lambda ladder: (-len(ladder), [step.tier for step in ladder], ladder[0].name))
    return ladders


@dataclass
class ClimbStep:
    series: Series
    feeders: list[Series]


@dataclass
class Climb:
    """The series feeding one top series, each with the series feeding it in turn."""

    top: Series
    steps: list[ClimbStep]


def _climbs(series_list: Sequence[Series]) -> list[Climb]:
    feeders = defaultdict(list)
    for series in series_list:
        if series.feeds_into_id:
            feeders[series.feeds_into_id].append(series)
    climbs = []
    for top in series_list:
        if top.feeds_into_id or not feeders[top.pk]:
            continue
        steps = [
            ClimbStep(series=step, feeders=feeders[step.pk])
            for step in sorted(feeders[top.pk], key=lambda s: (not feeders[s.pk], s.tier, s.name))
        ]
        climbs.append(Climb(top=top, steps=steps))
    return climbs


@dataclass
class PyramidPage:
    tiers: list[TierGroup]
    ladders: list[list[Series]]
    climbs: list[Climb]
    unlinked: list[Series]
    series_count: int


# 1: every real series with what it feeds into, how many seasons it has and their years
# (compiled once per process: pcc/prepared.py).
_PYRAMID_SERIES = Prepared(
    lambda: (
        Series.objects.all()
        .select_related("feeds_into")
        .annotate(
            season_count=Count("seasons"),
            first_season=Min("seasons__year"),
            last_season=Max("seasons__year"),
        )
        .order_by("tier", "name")
    )
)


def pyramid_page() -> PyramidPage:
    series_list = list(_PYRAMID_SERIES())  # 1
    mark_addresses(series_list + [s.feeds_into for s in series_list if s.feeds_into is not None])
    linked = {s.feeds_into_id for s in series_list} | {s.pk for s in series_list if s.feeds_into_id}
    ladders = _ladders(series_list)
    longest = max((len(ladder) for ladder in ladders), default=0)
    return PyramidPage(
        tiers=_tiers(series_list),
        ladders=[ladder for ladder in ladders if len(ladder) == longest],
        climbs=_climbs(series_list),
        unlinked=[s for s in series_list if s.pk not in linked],
        series_count=len(series_list),
    )
