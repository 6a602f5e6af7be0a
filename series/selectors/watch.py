"""Where to watch: a series' links for a year (or the latest earlier year, said so), the watch
page, and the links an event page shows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from pcc.prepared import Prepared

from ..models import (
    Event,
    MediaKind,
    MediaLink,
    Series,
    Session,
    Tier,
)

KIND_ORDER = {kind.value: i for i, kind in enumerate(MediaKind)}


def _link_year(link: MediaLink) -> int | None:
    """The year a link describes: its own, or its season's (needs select_related season)."""
    if link.as_of_year:
        return link.as_of_year
    if link.season is not None:
        return link.season.year
    return None


def _sorted(links: list[MediaLink]) -> list[MediaLink]:
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
    return WatchInfo(series, year, as_of, chosen, lasting, earlier)


def _series_links() -> QuerySet[MediaLink]:
    return MediaLink.objects.filter(
        Q(series__isnull=False) | Q(season__isnull=False)
    ).select_related("series", "season__series")


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


@dataclass
class WatchPage:
    series: list[WatchInfo]
    events: list[tuple[object, list[MediaLink]]]

    @property
    def tiers(self) -> list[tuple[str, list[WatchInfo]]]:
        by_tier: dict[int, list[WatchInfo]] = defaultdict(list)
        for info in self.series:
            by_tier[info.series.tier].append(info)
        return [(Tier(tier).label, infos) for tier, infos in sorted(by_tier.items())]

    @property
    def with_nothing(self) -> list[Series]:
        return [info.series for info in self.series if info.empty]


# The watch page's queries, compiled once per process (pcc/prepared.py).
# query: the real series, top of the pyramid first
_ALL_SERIES = Prepared(lambda: Series.objects.all().order_by("tier", "name"))
# query: every link with the season, event or session it belongs to (the series it belongs to is
# one of the series), only the fields the page shows
_ALL_LINKS = Prepared(
    lambda: MediaLink.objects.select_related("season", "event", "session__event").only(
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
        "event__name",
        "event__slug",
        "event__start_date",
        "session__event__name",
        "session__event__slug",
        "session__event__start_date",
    )
)


def watch() -> WatchPage:
    """Every series with its latest known links and the year they are from, and the links that
    belong to one event or session."""
    series_list = list(_ALL_SERIES())
    links = list(_ALL_LINKS())
    by_pk = {series.pk: series for series in series_list}
    by_series: dict[int, list[MediaLink]] = defaultdict(list)
    by_event: dict[int, list[MediaLink]] = defaultdict(list)
    events: dict[int, Event] = {}
    for link in links:
        if link.series_id:
            link.series = by_pk[link.series_id]
            by_series[link.series_id].append(link)
        elif link.season is not None:
            by_series[link.season.series_id].append(link)
        else:
            event = link.event if link.event is not None else _owning_session(link).event
            events[event.pk] = event
            by_event[event.pk].append(link)
    return WatchPage(
        series=[links_for_year(s, by_series.get(s.pk, []), None) for s in series_list],
        events=[
            (events[pk], _sorted(event_links))
            for pk, event_links in sorted(by_event.items(), key=lambda i: events[i[0]].start_date)
        ],
    )


def _owning_session(link: MediaLink) -> Session:
    """The session a link belongs to when it belongs to no series, season or event (a link has
    exactly one owner: MediaLink.clean)."""
    assert link.session is not None
    return link.session


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
