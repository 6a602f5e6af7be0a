"""Where to watch: a series' links for a year (or the latest earlier year, said so), the watch
page, and the links an event page shows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from django.db.models import Q, QuerySet

from pcc.prepared import Prepared

from ..addresses import slug_address
from ..models import (
    MediaKind,
    MediaLink,
    Round,
    Series,
    Tier,
)
from ..models.pyramid import series_display_name

KIND_ORDER = {kind.value: i for i, kind in enumerate(MediaKind)}


class SeasonYear(NamedTuple):
    year: int


class WatchLink(NamedTuple):
    """A link as the watch page prints it: plain values in a tuple, which the page unpacks into
    names (a model's field through the template's lookup costs about 1 µs, its kind's label
    5 µs). The fields the page prints come first; kind, as_of_year and season are what
    links_for_year reads of a MediaLink, under the same names."""

    kind_label: str
    url: str
    text: str  # the title, or the provider where there is none
    title: str
    provider: str
    region: str
    note: str
    year_note: str  # " · as of 2019", " · 2019 season", or "" (printed under "Earlier years")
    kind: str
    as_of_year: int | None
    season: SeasonYear | None


# A MediaLink, or a WatchLink of the watch page.
LinkT = TypeVar("LinkT", MediaLink, WatchLink)


def _link_year(link: LinkT) -> int | None:
    """The year a link describes: its own, or its season's (needs select_related season)."""
    if link.as_of_year:
        return link.as_of_year
    if link.season is not None:
        return link.season.year
    return None


def _sorted(links: list[LinkT]) -> list[LinkT]:
    return sorted(links, key=lambda lk: (KIND_ORDER.get(lk.kind, 99), lk.region, lk.provider))


@dataclass
class WatchInfo:
    """A series' links for one year: the links of that year, or of the latest earlier year the
    record knows (`as_of` says which, so "as of 2021" is never passed off as this year's), and
    its lasting links (an archive, the official site) that carry no year."""

    series: Series
    year: int | None
    as_of: int | None
    links: list[MediaLink]
    lasting: list[MediaLink]
    earlier: list[MediaLink] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.as_of is not None and self.as_of == self.year

    @property
    def empty(self) -> bool:
        return not self.links and not self.lasting


def links_for_year(series: Series, links: list[MediaLink], year: int | None) -> WatchInfo:
    """From one series' links (series- and season-owned), those for `year` (None: the latest)."""
    as_of, chosen, lasting, earlier = _choose(links, year)
    return WatchInfo(series, year, as_of, chosen, lasting, earlier)


def _choose(
    links: list[LinkT], year: int | None
) -> tuple[int | None, list[LinkT], list[LinkT], list[LinkT]]:
    """The year the links shown are from, the links of that year, the lasting ones and those of
    earlier years (links_for_year's, for the links of the models or of the watch page)."""
    dated = [(link_year, link) for link in links if (link_year := _link_year(link)) is not None]
    lasting = _sorted([link for link in links if _link_year(link) is None])
    usable = sorted({y for y, _ in dated if year is None or y <= year}, reverse=True)
    as_of = usable[0] if usable else None
    chosen = _sorted([link for y, link in dated if y == as_of])
    earlier = [
        link
        for _, link in sorted(
            ((y, link) for y, link in dated if as_of is not None and y < as_of),
            key=lambda item: (-item[0], KIND_ORDER.get(item[1].kind, 99), item[1].provider),
        )
    ]
    return as_of, chosen, lasting, earlier


# The links' order (MediaLink.Meta.ordering), with the id last: two links of one region, kind,
# provider and year came back in either order on PostgreSQL, so the watch page and an event's page
# could list them differently.
LINK_ORDER = ("region", "kind", "provider", "-as_of_year", "pk")


# query: the links of an event's sessions, the event, and the seasons and series it hosted (its
# rounds'), for the event page and the home page's next event alike
EVENT_LINKS = Prepared(
    lambda event_id: (
        MediaLink.objects.filter(
            Q(event_id=event_id)
            | Q(session__event_id=event_id)
            | Q(season_id__in=Round.objects.filter(event_id=event_id).values("season_id"))
            | Q(series_id__in=Round.objects.filter(event_id=event_id).values("season__series_id"))
        )
        .select_related("series", "season__series", "session")
        .order_by(*LINK_ORDER)
    )
)


def _series_links() -> QuerySet[MediaLink]:
    return (
        MediaLink.objects.filter(Q(series__isnull=False) | Q(season__isnull=False))
        .select_related("series", "season__series")
        .order_by(*LINK_ORDER)
    )


# query: the series' own links and its seasons' links (compiled once: pcc/prepared.py)
_LINKS_OF_SERIES = Prepared(
    lambda series_id: _series_links().filter(
        Q(series_id=series_id) | Q(season__series_id=series_id)
    )
)


def watch_links_for(series: Series, year: int) -> WatchInfo:
    """Where to watch `series` in `year`: what event and session pages show (one query)."""
    links = list(_LINKS_OF_SERIES(series.pk))
    return links_for_year(series, links, year)


class SeriesWatch(NamedTuple):
    """A series' card on the watch page: its latest links (links_for_year with no year)."""

    slug: str
    name: str
    url: str
    display_name: str
    as_of: int | None
    links: list[WatchLink]
    lasting: list[WatchLink]
    earlier: list[WatchLink]


class EventWatch(NamedTuple):
    url: str
    name: str
    links: list[WatchLink]


@dataclass
class WatchPage:
    tiers: list[tuple[str, list[SeriesWatch]]]  # the tier's label, its series
    series_count: int
    with_nothing: list[str]  # the series with no link at all, by display name
    events: list[EventWatch]


# The watch page's queries, compiled once per process (pcc/prepared.py).
# query: the real series, top of the pyramid first
_ALL_SERIES = Prepared(
    lambda: Series.objects.order_by("tier", "name").values_list(
        "pk", "slug", "name", "short_name", "tier"
    )
)
# query: every link with the year of its season, or the event it belongs to (its own or its
# session's), only the fields the page shows
_ALL_LINKS = Prepared(
    lambda: MediaLink.objects.order_by(*LINK_ORDER).values_list(
        "kind",
        "provider",
        "url",
        "region",
        "title",
        "note",
        "as_of_year",
        "series_id",
        "season__year",
        "season__series_id",
        "event_id",
        "event__name",
        "event__slug",
        "event__start_date",
        "session__event_id",
        "session__event__name",
        "session__event__slug",
        "session__event__start_date",
    )
)

_KIND_LABELS: dict[str, str] = {kind.value: str(kind.label) for kind in MediaKind}


def watch() -> WatchPage:
    """Every series with its latest known links and the year they are from, and the links that
    belong to one event or session."""
    by_series: dict[int, list[WatchLink]] = defaultdict(list)
    by_event: dict[int, list[WatchLink]] = defaultdict(list)
    events: dict[int, tuple[str, str, dt.date]] = {}
    for (
        kind,
        provider,
        url,
        region,
        title,
        note,
        as_of_year,
        series_id,
        season_year,
        season_series_id,
        *owners,
    ) in _ALL_LINKS():
        if as_of_year:
            year_note = f" · as of {as_of_year}"
        elif season_year is not None:
            year_note = f" · {season_year} season"
        else:
            year_note = ""
        link = WatchLink(
            # as get_kind_display() gives it: the stored value where it is no choice
            str(_KIND_LABELS.get(kind, kind)),
            url,
            title or provider,
            title,
            provider,
            region,
            note,
            year_note,
            kind,
            as_of_year,
            None if season_year is None else SeasonYear(season_year),
        )
        if series_id:
            by_series[series_id].append(link)
        elif season_year is not None:
            by_series[season_series_id].append(link)
        else:
            # a link has exactly one owner (MediaLink.clean): here an event or a session
            event_id, event_name, event_slug, start = owners[:4] if owners[0] else owners[4:]
            events[event_id] = (event_name, event_slug, start)
            by_event[event_id].append(link)
    series_address = slug_address("series:series-detail")
    tiers: dict[int, list[SeriesWatch]] = defaultdict(list)
    with_nothing = []
    series_count = 0
    for pk, slug, name, short_name, tier in _ALL_SERIES():
        series_count += 1
        display_name = series_display_name(name, short_name)
        as_of, chosen, lasting, earlier = _choose(by_series.get(pk, []), None)
        if not chosen and not lasting:
            with_nothing.append(display_name)
        tiers[tier].append(
            SeriesWatch(
                slug, name, series_address(slug), display_name, as_of, chosen, lasting, earlier
            )
        )
    event_address = slug_address("series:event-detail")
    return WatchPage(
        tiers=[(Tier(tier).label, infos) for tier, infos in sorted(tiers.items())],
        series_count=series_count,
        with_nothing=with_nothing,
        events=[
            EventWatch(event_address(events[pk][1]), events[pk][0], _sorted(event_links))
            for pk, event_links in sorted(by_event.items(), key=lambda i: events[i[0]][2])
        ],
    )


def event_links(links: list[MediaLink], year: int) -> list[MediaLink]:
    """An event's links: its own and its sessions', and of each series it hosts only those for
    the event's year (or the latest earlier ones) and the lasting ones, never every year's."""
    own = [link for link in links if link.event_id or link.session_id]
    by_series: dict[int, list[MediaLink]] = defaultdict(list)
    series: dict[int, Series] = {}
    for link in links:
        owner = link.series or (link.season.series if link.season is not None else None)
        if owner is not None:
            series[owner.pk] = owner
            by_series[owner.pk].append(link)
    for pk, series_links in by_series.items():
        info = links_for_year(series[pk], series_links, year)
        own += info.links + info.lasting
    return own
