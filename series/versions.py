"""Versions of the parts of the record, so a save evicts the cached pages of what it touched only.

Every change to the record raises SiteVersion (as it always has: the standings cache, the feeds and
the calendar files key on it) and stamps the parts it touched with that new number:

    a result      -> its season, series, event, circuit, driver and team(s)
    a session     -> its season (if it scores), series, event, circuit
    a round       -> its season, series, event, circuit
    an entry      -> its season, series, driver, team
    an adjustment -> its season, series, driver, team
    a season's classes or scoring rules -> the season and its series
    a champion    -> its series, the seasons of that series and year, its driver

and always the listings (the home page and the list pages, which show a bit of everything). A save
to a season itself, a driver's or team's name, an event's or circuit's details, a series or a media
link shows on pages all over the site: it stamps SITE, which every page depends on. A model added
later is stamped through what it points to (a revision's session, a penalty's entry, a stored
standings row's season), or stamps SITE when it points to none of the record.

A cached page's key carries the highest version among the parts it shows (page_token below): a
season page its season; a driver page the driver and every season of their career; home and the
lists the listings. Since every stamp is a new SiteVersion, which only grows, a touched part is
always newer than any key computed before the save, and untouched parts keep their pages cached.

Within one transaction a part is stamped once: an import or an admin form saving many rows touches
each season a single time (the stamps are in the transaction, so nothing outside it can read them
before the rows they describe). A read of versions on the same connection (the only reader that
could see the transaction's rows early) starts the count again.
"""

# The token queries are built from model metadata (table and column names) once per process; every
# value from a request is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypedDict, TypeVar, cast

from django.db import connection, models, transaction

from .models import (
    Adjustment,
    CacheVersion,
    Champion,
    Entry,
    Event,
    MediaLink,
    Result,
    Round,
    ScoringRules,
    Season,
    SeasonClass,
    Session,
    SiteVersion,
)

Kind = CacheVersion.Kind
Part = tuple[str, int]
SITE: Part = (Kind.SITE, 0)
LISTINGS: Part = (Kind.LISTINGS, 0)
_STATE = "_pcc_versions"
_T = TypeVar("_T")


# --- which parts a change touches -----------------------------------------------------------------


def _memo(what: str, key: object, look_up: Callable[[], _T]) -> _T:
    """One lookup per row per transaction: deleting a season cascades to every result, each of
    which asks for the same session and season."""
    state = _state()
    if state is None:
        return look_up()
    memo = state["memo"]
    if (what, key) not in memo:
        memo[(what, key)] = look_up()
    # What one `what` stores is what its look_up returns.
    return cast(_T, memo[(what, key)])


def _season_parts(season_id: int | None) -> set[Part]:
    if not season_id:
        return set()
    series_id = _memo(
        "season",
        season_id,
        lambda: Season.objects.filter(pk=season_id).values_list("series_id", flat=True).first(),
    )
    parts: set[Part] = {(Kind.SEASON, season_id)}
    if series_id:
        parts.add((Kind.SERIES, series_id))
    return parts


def _event_parts(event_id: int | None) -> set[Part]:
    if not event_id:
        return set()
    circuit_id = _memo(
        "event",
        event_id,
        lambda: Event.objects.filter(pk=event_id).values_list("circuit_id", flat=True).first(),
    )
    parts: set[Part] = {(Kind.EVENT, event_id)}
    if circuit_id:
        parts.add((Kind.CIRCUIT, circuit_id))
    return parts


def _session_parts(session_id: int | None) -> set[Part]:
    if session_id is None:
        return {SITE}
    row = _memo(
        "session",
        session_id,
        lambda: (
            Session.objects.filter(pk=session_id)
            .values_list("event_id", "round__season_id")
            .first()
        ),
    )
    if row is None:
        return {SITE}
    event_id, season_id = row
    return _event_parts(event_id) | _season_parts(season_id)


def _people_parts(driver_id: int | None, *team_ids: int | None) -> set[Part]:
    parts = {(Kind.DRIVER, driver_id)} if driver_id else set()
    return parts | {(Kind.TEAM, team_id) for team_id in team_ids if team_id}


def parts_touched(instance: models.Model, created: bool = False) -> set[Part]:
    """The parts whose pages show this row (costs a few small queries)."""
    own_kind = _OWN_KIND.get(type(instance))
    if created and own_kind is not None:
        # A new driver, team, circuit or event shows nowhere but the lists (and its own page,
        # which had no copy) until an entry or a round links it.
        return {(own_kind, instance.pk)}
    if isinstance(instance, Result):
        return (
            _session_parts(instance.session_id)
            | _entry_parts(instance.entry_id)
            | _people_parts(None, instance.team_id)
        )
    if isinstance(instance, Session):
        season_id = (
            None
            if instance.round_id is None
            else Round.objects.filter(pk=instance.round_id)
            .values_list("season_id", flat=True)
            .first()
        )
        return _event_parts(instance.event_id) | _season_parts(season_id)
    if isinstance(instance, Round):
        return _event_parts(instance.event_id) | _season_parts(instance.season_id)
    if isinstance(instance, Entry | Adjustment):
        return _season_parts(instance.season_id) | _people_parts(
            instance.driver_id, instance.team_id
        )
    if isinstance(instance, Season):
        # Its name and year show on the pages of its events, drivers, teams and circuits, and
        # its siblings link to it: rare enough (a season file a year) to evict everything.
        return {SITE}
    if isinstance(instance, SeasonClass | ScoringRules):
        return _season_parts(instance.season_id)
    if isinstance(instance, Champion):
        seasons = Season.objects.filter(series_id=instance.series_id, year=instance.year)
        return (
            {(Kind.SERIES, instance.series_id)}
            | {(Kind.SEASON, pk) for pk in seasons.values_list("pk", flat=True)}
            | _people_parts(instance.driver_id)
        )
    if type(instance) in _OWN_KIND or isinstance(instance, MediaLink):
        # A driver's, team's, event's or circuit's own details (a name shows on the pages of
        # every season it appears in); a media link (a series' links show on its events' pages).
        return {SITE}
    # Models added later (revisions, penalties, stored standings rows...): the parts of the
    # sessions, seasons, entries... they point to; with no such link, the whole site.
    return _linked_parts(instance) or {SITE}


def _entry_parts(entry_id: int | None) -> set[Part]:
    if entry_id is None:
        return set()
    row = _memo(
        "entry",
        entry_id,
        lambda: (
            Entry.objects.filter(pk=entry_id)
            .values_list("driver_id", "team_id", "season_id")
            .first()
        ),
    )
    if row is None:
        return set()
    driver_id, team_id, season_id = row
    return _people_parts(driver_id, team_id) | _season_parts(season_id)


def _round_parts(round_id: int | None) -> set[Part]:
    if round_id is None:
        return set()
    row = _memo(
        "round",
        round_id,
        lambda: Round.objects.filter(pk=round_id).values_list("event_id", "season_id").first(),
    )
    if row is None:
        return set()
    event_id, season_id = row
    return _event_parts(event_id) | _season_parts(season_id)


def _linked_parts(instance: models.Model) -> set[Part]:
    from .models import Circuit, Driver, Series, Team

    by_target: dict[type[models.Model], Callable[[int], set[Part]]] = {
        Session: _session_parts,
        Season: _season_parts,
        Round: _round_parts,
        Entry: _entry_parts,
        Event: _event_parts,
        Result: lambda pk: _memo(
            "result",
            pk,
            lambda: (
                parts_touched(Result.objects.get(pk=pk))
                if Result.objects.filter(pk=pk).exists()
                else set()
            ),
        ),
        Driver: lambda pk: {(Kind.DRIVER, pk)},
        Team: lambda pk: {(Kind.TEAM, pk)},
        Circuit: lambda pk: {(Kind.CIRCUIT, pk)},
        Series: lambda pk: {(Kind.SERIES, pk)},
    }
    parts: set[Part] = set()
    for field in instance._meta.concrete_fields:
        if not field.many_to_one:
            continue
        value = getattr(instance, field.attname)
        target = field.related_model
        part_of = by_target.get(target) if isinstance(target, type) else None
        if value is not None and part_of is not None:
            parts |= part_of(value)
    return parts


def _own_kinds() -> dict[type[models.Model], str]:
    from .models import Circuit, Driver, Team

    return {Driver: Kind.DRIVER, Team: Kind.TEAM, Circuit: Kind.CIRCUIT, Event: Kind.EVENT}


_OWN_KIND = _own_kinds()


# --- stamping -------------------------------------------------------------------------------------


class _Stamps(TypedDict):
    clock: int | None  # the SiteVersion this transaction stamps with, once it has ticked
    stamped: set[Part]
    memo: dict[tuple[str, object], object]  # _memo's lookups


def _state() -> _Stamps | None:
    """What this transaction has stamped, kept on its innermost atomic block (so a rolled-back
    savepoint takes its record with it); None outside a transaction."""
    if not connection.in_atomic_block or not connection.atomic_blocks:
        return None
    block = connection.atomic_blocks[-1]
    state: _Stamps | None = getattr(block, _STATE, None)
    if state is None:
        state = {"clock": None, "stamped": set(), "memo": {}}
        setattr(block, _STATE, state)
    return state


def forget_stamps() -> None:
    """Called before versions are read on this connection: a page computed from here on must see
    later saves of this transaction as newer."""
    for block in connection.atomic_blocks:
        if hasattr(block, _STATE):
            delattr(block, _STATE)


def _tick() -> int:
    """SiteVersion + 1, the number every part touched now is stamped with."""
    updated = SiteVersion.objects.filter(pk=1).update(version=models.F("version") + 1)
    if not updated:
        SiteVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    return SiteVersion.objects.filter(pk=1).values_list("version", flat=True).get()


def stamp(parts: Iterable[Part]) -> None:
    """Stamps the parts (and the listings) with a new SiteVersion, once per transaction each."""
    parts = set(parts) | {LISTINGS}
    _stamp(set(parts))  # it removes what this transaction stamped already
    # The seasons touched get their stored standings recomputed after commit (once each), after
    # the stamps: rows computed at once (autocommit) must not be older than their season's stamp.
    _schedule_standings(object_id for kind, object_id in parts if kind == Kind.SEASON)


def _stamp(parts: set[Part]) -> None:
    state = _state()
    if state is not None:
        parts -= state["stamped"]
        if not parts:
            return
    if state is None:
        # Autocommit: the tick and the stamps land together or not at all.
        with transaction.atomic():
            _write(parts, _tick())
        return
    clock = state["clock"]
    if clock is None:
        clock = state["clock"] = _tick()
    _write(parts, clock)
    state["stamped"] |= parts


def _schedule_standings(season_ids: Iterable[int]) -> None:
    from .standings_store import schedule

    schedule(season_ids)


def _write(parts: set[Part], clock: int) -> None:
    matching = models.Q()
    for kind, object_id in parts:
        matching |= models.Q(kind=kind, object_id=object_id)
    existing = set(CacheVersion.objects.filter(matching).values_list("kind", "object_id"))
    if existing:
        CacheVersion.objects.filter(matching).update(version=clock)
    missing = parts - existing
    if missing:
        CacheVersion.objects.bulk_create(
            [CacheVersion(kind=kind, object_id=pk, version=clock) for kind, pk in missing],
            ignore_conflicts=True,
        )
        # Another transaction may have created one meanwhile (ignored above): stamp it too.
        CacheVersion.objects.filter(matching, version__lt=clock).update(version=clock)


def stamp_site() -> None:
    """A change that shows everywhere, or whose extent is unknown: every page is evicted."""
    state = _state()
    if state is None:
        with transaction.atomic():
            _write({SITE, LISTINGS}, _tick())
        return
    if SITE in state["stamped"]:
        return
    clock = state["clock"] = _tick()
    _write({SITE, LISTINGS}, clock)
    state["stamped"] |= {SITE, LISTINGS}


def stamp_instances(*instances: models.Model) -> None:
    """For code that writes in bulk (no signals), e.g. an import: one stamp at its end for the
    seasons, drivers... it touched, instead of the whole site."""
    parts: set[Part] = set()
    for instance in instances:
        parts |= parts_touched(instance)
    stamp(parts)


def stamp_season_record(season: Season) -> None:
    """After a bulk write to a season's results or entry list (an import, a revert): one stamp
    for the season, its series, its events and circuits, and the drivers and teams of its entries
    and results (three queries), instead of the whole site. Other series' pages stay cached."""
    parts: set[Part] = set(_season_parts(season.pk))
    for event_id, circuit_id in (
        Round.objects.filter(season=season).values_list("event_id", "event__circuit_id").distinct()
    ):
        parts.add((Kind.EVENT, event_id))
        if circuit_id:
            parts.add((Kind.CIRCUIT, circuit_id))
    for driver_id, team_id in Entry.objects.filter(season=season).values_list(
        "driver_id", "team_id"
    ):
        parts |= _people_parts(driver_id, team_id)
    for team_id in (
        Result.objects.filter(session__round__season=season, team__isnull=False)
        .values_list("team_id", flat=True)
        .distinct()
    ):
        parts.add((Kind.TEAM, team_id))
    stamp(parts)


# --- reading: a page's token ----------------------------------------------------------------------


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], field: str) -> str:
    concrete = model._meta.get_field(field)
    assert isinstance(concrete, models.Field) and concrete.column is not None  # a real column
    return connection.ops.quote_name(concrete.column)


# URL name (series/urls.py) -> the family of parts its page shows.
PAGE_FAMILIES = {
    "home": "listings",
    "pyramid": "listings",
    "series-detail": "series",
    "season-detail": "season",
    "season-standings": "season",
    "season-results": "season",
    "event-list": "listings",
    "event-detail": "event",
    "session-detail": "event",
    "driver-list": "listings",
    "driver-detail": "driver",
    "team-list": "listings",
    "team-detail": "team",
    "circuit-list": "listings",
    "circuit-detail": "circuit",
    "champions": "listings",
    "calendar": "listings",
    "search": "listings",
    "watch": "listings",
    # What the record holds per series and year (pages of the history branch).
    "coverage": "listings",
    "coverage-series": "series",
    # The calendar files (series/views/subscriptions.py).
    "calendar-ics": "listings",
    "series-calendar-ics": "series",
    "driver-calendar-ics": "driver",
}


def token_args(family: str, kwargs: Mapping[str, str | int]) -> list[str | int]:
    """The SQL parameters of a family's token query, from the page's URL arguments."""
    if family == "listings":
        return []
    if family == "series":
        return [kwargs["series"]]
    if family == "season":
        return [kwargs["series"], kwargs["year"], kwargs["series"], kwargs["year"]]
    if family == "circuit":
        return [kwargs["circuit"]]
    slug = kwargs[family]
    return [slug, slug]


def token_sql() -> dict[str, str]:
    """Per page family: SQL giving the highest version among the parts the page shows (SITE
    included), or NULL when none was ever stamped. Built once per process (pcc/cache.py)."""
    from .models import Circuit, Driver, Series, Team

    q = connection.ops.quote_name
    cv = _table(CacheVersion)
    kind, object_id, version = (_column(CacheVersion, f) for f in ("kind", "object_id", "version"))

    def part(k: str, ids_sql: str) -> str:
        return f"({kind} = '{k}' AND {object_id} IN ({ids_sql}))"

    def by_slug(model: type[models.Model]) -> str:
        return f"SELECT {q('id')} FROM {_table(model)} WHERE {_column(model, 'slug')} = %s"

    def seasons_of(column: str, model: type[models.Model]) -> str:
        # The seasons of a driver's or team's entries, by the driver's or team's slug.
        return (
            f"SELECT e.{_column(Entry, 'season')} FROM {_table(Entry)} e "
            f"JOIN {_table(model)} o ON o.{q('id')} = e.{_column(Entry, column)} "
            f"WHERE o.{_column(model, 'slug')} = %s"
        )

    season_by_address = (
        f"SELECT s.{q('id')} FROM {_table(Season)} s "
        f"JOIN {_table(Series)} r ON r.{q('id')} = s.{_column(Season, 'series')} "
        f"WHERE r.{_column(Series, 'slug')} = %s AND s.{_column(Season, 'year')} = %s"
    )
    # A year of a series with no season entered (a title on record only): the series' parts.
    series_without_season = (
        f"SELECT r.{q('id')} FROM {_table(Series)} r WHERE r.{_column(Series, 'slug')} = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {_table(Season)} s "
        f"WHERE s.{_column(Season, 'series')} = r.{q('id')} AND s.{_column(Season, 'year')} = %s)"
    )
    seasons_at_event = (
        f"SELECT rd.{_column(Round, 'season')} FROM {_table(Round)} rd "
        f"JOIN {_table(Event)} ev ON ev.{q('id')} = rd.{_column(Round, 'event')} "
        f"WHERE ev.{_column(Event, 'slug')} = %s"
    )
    site = f"({kind} = '{Kind.SITE}' AND {object_id} = 0)"

    def query(*parts: str) -> str:
        where = " OR ".join((site, *parts))
        return f"SELECT MAX({version}) FROM {cv} WHERE {where}"  # noqa: S608

    listings = f"({kind} = '{Kind.LISTINGS}' AND {object_id} = 0)"
    return {
        "listings": query(listings),
        "series": query(part(Kind.SERIES, by_slug(Series))),
        "season": query(
            part(Kind.SEASON, season_by_address), part(Kind.SERIES, series_without_season)
        ),
        "event": query(part(Kind.EVENT, by_slug(Event)), part(Kind.SEASON, seasons_at_event)),
        "driver": query(
            part(Kind.DRIVER, by_slug(Driver)), part(Kind.SEASON, seasons_of("driver", Driver))
        ),
        "team": query(part(Kind.TEAM, by_slug(Team)), part(Kind.SEASON, seasons_of("team", Team))),
        "circuit": query(part(Kind.CIRCUIT, by_slug(Circuit))),
    }
