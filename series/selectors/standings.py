"""Standings of a season: one loader turns the database into the engine's plain data, the engine
computes every table once per change of the season, and readers read the stored rows
(series/standings_store.py)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import QuerySet

from pcc.prepared import Prepared

from .. import standings as engine
from .. import standings_store
from ..models import (
    FINAL_STATUSES,
    PUBLISHED_STATUSES,
    SCORING_KINDS,
    Adjustment,
    Entry,
    Result,
    Round,
    ScoringRules,
    Season,
    SeasonClass,
    Session,
    SessionStatus,
    StandingsSnapshot,
    StoredStanding,
)

TABLES = ("drivers", "teams")


@dataclass(frozen=True)
class StandingsTable:
    table: str
    class_slug: str | None
    after_round: int | None
    rows: list[engine.StandingRow]
    round_numbers: list[int]
    all_rounds: list[int]
    classes: list[tuple[str, str]]
    complete: bool
    has_results: bool
    # The last round (up to after_round) with a result on record: "after round N" means this.
    last_round: int | None = None
    raced_rounds: frozenset[int] = frozenset()  # rounds with a result on record

    @property
    def has_unknown(self) -> bool:
        """Some row lacks a result that may exist: the table is partial, its rows say which."""
        return any(not row.complete for row in self.rows)


@dataclass(frozen=True)
class LoadedSeason:
    data: engine.SeasonData
    classes: list[tuple[str, str]]
    complete: bool
    rounds_with_results: frozenset[int]


def load_season(season: Season) -> LoadedSeason:
    """Everything the engine needs for one season (see load_seasons)."""
    return load_seasons([season])[season.pk]


def load_seasons(seasons: list[Season]) -> dict[int, LoadedSeason]:
    """Everything the engine needs for any number of seasons, in seven queries: rules, classes,
    rounds, their sessions, entries (+driver, team, class), results, adjustments."""
    ids = [season.pk for season in seasons]
    rules_by_season = {
        rules.season_id: rules for rules in ScoringRules.objects.filter(season_id__in=ids)
    }
    classes_by_season: dict[int, list[SeasonClass]] = defaultdict(list)
    for cls in SeasonClass.objects.filter(season_id__in=ids).order_by("order", "name"):
        classes_by_season[cls.season_id].append(cls)
    rounds_by_season: dict[int, list[Round]] = defaultdict(list)
    for round_ in (
        Round.objects.filter(season_id__in=ids).prefetch_related("sessions").order_by("number")
    ):
        rounds_by_season[round_.season_id].append(round_)
    entries_by_season: dict[int, list[Entry]] = defaultdict(list)
    entry_by_id: dict[int, Entry] = {}
    for entry in Entry.objects.filter(season_id__in=ids).select_related(
        "driver", "team", "season_class"
    ):
        entries_by_season[entry.season_id].append(entry)
        entry_by_id[entry.pk] = entry

    session_info: dict[int, tuple[Session, int, int]] = {}
    scoring_sessions_by_season: dict[int, list[int]] = defaultdict(list)
    for season_id, rounds in rounds_by_season.items():
        for round_ in rounds:
            for session in round_.sessions.all():
                if session.kind in SCORING_KINDS and session.status != SessionStatus.CANCELLED:
                    session_info[session.pk] = (session, round_.number, season_id)
                    scoring_sessions_by_season[season_id].append(session.pk)

    # Plain tuples, not model instances: a driver's page may load dozens of seasons' results.
    results_by_season: dict[int, list[engine.ResultRow]] = defaultdict(list)
    sessions_with_results: set[int] = set()
    extra_teams: dict[int, dict[str, str]] = defaultdict(dict)
    for (
        session_id,
        entry_id,
        position,
        status,
        pole,
        fastest_lap,
        team_slug,
        team_name,
    ) in Result.objects.filter(session_id__in=list(session_info)).values_list(
        "session_id",
        "entry_id",
        "position",
        "status",
        "pole",
        "fastest_lap",
        "team__slug",
        "team__name",
    ):
        entered = entry_by_id.get(entry_id)
        if entered is None:
            continue
        session, round_number, season_id = session_info[session_id]
        if team_slug:
            extra_teams[season_id].setdefault(team_slug, team_name)
        sessions_with_results.add(session_id)
        results_by_season[season_id].append(
            engine.ResultRow(
                round=round_number,
                session=session.slug,
                kind=session.kind,
                driver=entered.driver.slug,
                position=position,
                status=status,
                team=team_slug,
                pole=pole,
                fastest_lap=fastest_lap,
            )
        )
    adjustments_by_season: dict[int, list[engine.AdjustmentRow]] = defaultdict(list)
    for adjustment in Adjustment.objects.filter(season_id__in=ids).select_related("driver", "team"):
        adjustments_by_season[adjustment.season_id].append(
            engine.AdjustmentRow(
                points=Decimal(adjustment.points),
                reason=adjustment.reason,
                driver=adjustment.driver.slug if adjustment.driver else None,
                team=adjustment.team.slug if adjustment.team else None,
                excluded=adjustment.excluded,
            )
        )

    loaded: dict[int, LoadedSeason] = {}
    for season in seasons:
        rules_row = rules_by_season.get(season.pk)
        classes = classes_by_season.get(season.pk, [])
        rounds = rounds_by_season.get(season.pk, [])
        entries = entries_by_season.get(season.pk, [])
        scoring_sessions = scoring_sessions_by_season.get(season.pk, [])
        # Held: run (provisional or final) or with results; a scheduled one is still to come.
        held = tuple(
            engine.HeldSession(
                round=session_info[pk][1], session=session_info[pk][0].slug, kind=session.kind
            )
            for pk in scoring_sessions
            for session in (session_info[pk][0],)
            if pk in sessions_with_results or session.status in PUBLISHED_STATUSES
        )
        complete = (
            bool(rounds)
            and not season.results_partial
            and all(any(s.kind in SCORING_KINDS for s in r.sessions.all()) for r in rounds)
            and all(
                session_info[pk][0].status in FINAL_STATUSES and pk in sessions_with_results
                for pk in scoring_sessions
            )
        )
        teams = {entry.team.slug: entry.team.name for entry in entries if entry.team}
        for slug, name in extra_teams.get(season.pk, {}).items():
            teams.setdefault(slug, name)
        data = engine.SeasonData(
            rules=_rules(rules_row, classes),
            rounds=tuple(
                engine.RoundInfo(number=round_.number, multiplier=Decimal(round_.multiplier))
                for round_ in rounds
            ),
            competitors=tuple(
                engine.Competitor(
                    key=entry.driver.slug,
                    name=entry.driver.name,
                    class_slug=entry.season_class.slug if entry.season_class else None,
                    guest=entry.guest,
                    team_key=entry.team.slug if entry.team else None,
                    nationality=entry.driver.nationality,
                    # The contract of "unknown": only a partial season lacks results it may hold.
                    results_complete=entry.results_complete or not season.results_partial,
                )
                for entry in entries
            ),
            teams=tuple(engine.Team(key=key, name=name) for key, name in sorted(teams.items())),
            results=tuple(results_by_season.get(season.pk, ())),
            adjustments=tuple(adjustments_by_season.get(season.pk, ())),
            classes=tuple(cls.slug for cls in classes),
            held=held,
        )
        loaded[season.pk] = LoadedSeason(
            data=data,
            classes=[(cls.slug, cls.name) for cls in classes],
            complete=complete,
            rounds_with_results=frozenset(
                session_info[pk][1] for pk in scoring_sessions if pk in sessions_with_results
            ),
        )
    return loaded


def _rules(rules_row: ScoringRules | None, classes: list[SeasonClass]) -> engine.Rules:
    if rules_row is None:
        return engine.Rules(race_points=())
    class_drop = {
        cls.slug: (
            cls.drop_worst if cls.drop_worst is not None else rules_row.drop_worst,
            cls.undroppable_last
            if cls.undroppable_last is not None
            else rules_row.undroppable_last,
        )
        for cls in classes
        if cls.drop_worst is not None or cls.undroppable_last is not None
    }
    return engine.Rules(
        race_points=tuple(rules_row.race_points),
        sprint_points=tuple(rules_row.sprint_points or ()),
        pole_points=rules_row.pole_points,
        fastest_lap_points=rules_row.fastest_lap_points,
        fastest_lap_top=rules_row.fastest_lap_top,
        guests=rules_row.guests,
        drop_worst=rules_row.drop_worst,
        undroppable_last=rules_row.undroppable_last,
        team_cars=rules_row.team_cars,
        class_scoring=rules_row.class_scoring,
        class_drop=class_drop,
        countback_kinds=tuple(rules_row.countback_kinds or ()),
    )


def get_standings(
    season: Season,
    table: str = "drivers",
    class_slug: str | None = None,
    after_round: int | None = None,
    *,
    version: int | None = None,
) -> StandingsTable:
    """The table asked for, read from the season's stored rows (series/standings_store.py): one
    query, with the snapshot and its freshness joined. A season without rows, or whose rows are
    older than its last change, is computed and stored first (one season). Raises ValueError with
    a message a reader can act on for a bad table, class or round. `version` is accepted for the
    callers that read the site version once per page; stored rows need none."""
    if table not in TABLES:
        raise ValueError(f"table must be one of {', '.join(TABLES)}; got {table!r}.")
    for attempt in range(2):
        rows, snapshot, fresh = _stored_table(season, table, class_slug, after_round)
        if snapshot is not None and fresh:
            break
        if attempt == 0:
            standings_store.rebuild([season.pk])
    else:
        # The engine refuses the season's data (nothing stored): compute, and raise, as always.
        return _table(load_season(season), table, class_slug, after_round)
    classes = [(slug, name) for slug, name in snapshot.classes]
    all_rounds = list(snapshot.all_rounds)
    _check_asked(classes, all_rounds, class_slug, after_round)
    raced = frozenset(snapshot.raced_rounds)
    return StandingsTable(
        table=table,
        class_slug=class_slug,
        after_round=after_round,
        rows=rows,
        round_numbers=[n for n in all_rounds if after_round is None or n <= after_round],
        all_rounds=all_rounds,
        classes=classes,
        complete=snapshot.complete,
        has_results=bool(raced),
        last_round=max(
            (n for n in raced if after_round is None or n <= after_round),
            default=None,
        ),
        raced_rounds=raced,
    )


@dataclass(frozen=True)
class _Snapshot:
    """What a table's reader needs of the season's StandingsSnapshot."""

    version: int
    classes: list[list[str]]
    all_rounds: list[int]
    raced_rounds: list[int]
    complete: bool


# The stored row's fields standings_store.standing_values reads, then the season's snapshot's and
# its current version: read as plain values (no model instances: a table has up to ~60 rows, and
# the season's own columns were joined in for nothing).
_ROW_FIELDS = standings_store.ROW_FIELDS
_SNAPSHOT_FIELDS = tuple(
    f"season__standings_snapshot__{name}"
    for name in ("version", "classes", "all_rounds", "raced_rounds", "complete")
)


# Both queries of _stored_table, prepared (pcc/prepared.py): every season page reads a table.
_STORED_ROWS = Prepared(
    lambda season_id, table, class_slug, after_round: (
        StoredStanding.objects.filter(
            season_id=season_id, table=table, class_slug=class_slug, after_round=after_round
        )
        .annotate(current=standings_store.season_version())
        .order_by("order")
        .values_list(*_ROW_FIELDS, *_SNAPSHOT_FIELDS, "current")
    )
)
_STORED_SNAPSHOT = Prepared(
    lambda season_id: (
        StandingsSnapshot.objects.filter(season_id=season_id)
        .annotate(current=standings_store.season_version())
        .order_by("pk")
        .values_list("version", "classes", "all_rounds", "raced_rounds", "complete", "current")[:1]
    )
)


_INT_RANGE = 2**31


def _stored_table(
    season: Season, table: str, class_slug: str | None, after_round: int | None
) -> tuple[list[engine.StandingRow], _Snapshot | None, bool]:
    """The stored rows of one table with the season's snapshot and whether it is current: one
    query, or two for an empty table (a class or a season without entries)."""
    args = (season.pk, table, class_slug or "", after_round or standings_store.FINAL)
    # A round number no column holds: the ORM finds no row without asking the database.
    fits = -_INT_RANGE <= args[-1] < _INT_RANGE
    values = list(_STORED_ROWS(*args) if fits else _STORED_ROWS.build(*args))
    width = len(_ROW_FIELDS)
    snapshot: _Snapshot | None
    if values:
        first = values[0]
        # A row always has its snapshot (both are written in one transaction); None: never.
        snapshot = _Snapshot(*first[width:-1]) if first[width] is not None else None
        current = first[-1]
    else:
        found = next(iter(_STORED_SNAPSHOT(season.pk)), None)
        snapshot = _Snapshot(*found[:-1]) if found is not None else None
        current = found[-1] if found is not None else None
    fresh = snapshot is not None and (current is None or current <= snapshot.version)
    rows = [standings_store.standing_values(row[:width]) for row in values]
    return rows, snapshot, fresh


def _check_asked(
    classes: list[tuple[str, str]],
    all_rounds: list[int],
    class_slug: str | None,
    after_round: int | None,
) -> None:
    class_slugs = [slug for slug, _ in classes]
    if class_slug is not None and class_slug not in class_slugs:
        known = ", ".join(class_slugs) or "none"
        raise ValueError(f"No class {class_slug!r} in this season (classes: {known}).")
    if after_round is not None and after_round not in all_rounds:
        raise ValueError(
            f"No round {after_round} in this season (rounds {all_rounds[0]}–{all_rounds[-1]})."
            if all_rounds
            else "This season has no rounds yet."
        )


@dataclass(frozen=True)
class FinalPlace:
    position: int | None  # the row's place in the season's final overall table; None: unranked
    has_results: bool  # the season has any result on record


def final_places(seasons: list[Season], table: str, key: str) -> dict[int, FinalPlace]:
    """Where one driver or team (by slug) finished each of these seasons, from the stored final
    rows: one query for any number of seasons. A season without current rows (only in the moment
    between a save's commit and its computation) is computed and stored first."""
    if table not in TABLES:
        raise ValueError(f"table must be one of {', '.join(TABLES)}; got {table!r}.")
    ids = [season.pk for season in seasons]
    places = _final_places(ids, table, key)
    missing = [pk for pk in ids if pk not in places]
    if missing:
        standings_store.rebuild(missing)
        places.update(_final_places(missing, table, key, fresh_only=False))
    return places


@dataclass(frozen=True)
class FinalLeaders:
    """What the champion check needs of a season's final drivers' tables."""

    complete: bool
    classes: list[tuple[str, str]]
    # class slug (None: overall) -> (key, name) of the row in first place
    leaders: dict[str | None, tuple[str, str]]


def final_leaders(seasons: list[Season]) -> dict[int, FinalLeaders]:
    """The leaders of the final drivers' tables (overall and per class) of any number of seasons,
    from the stored rows: two queries (the snapshots, the first places). Seasons without current
    rows (only between a save's commit and its computation) are computed and stored first."""
    ids = [season.pk for season in seasons]
    snapshots = _current_snapshots(ids)
    stale = [pk for pk in ids if pk not in snapshots]
    if stale:
        standings_store.rebuild(stale)
        snapshots.update(_current_snapshots(stale))
    leaders: dict[int, dict[str | None, tuple[str, str]]] = defaultdict(dict)
    for season_id, class_slug, key, name in StoredStanding.objects.filter(
        season_id__in=ids, table="drivers", after_round=standings_store.FINAL, position=1
    ).values_list("season_id", "class_slug", "key", "name"):
        leaders[season_id][class_slug or None] = (key, name)
    return {
        pk: FinalLeaders(
            complete=snapshot.complete,
            classes=[tuple(pair) for pair in snapshot.classes],
            leaders=leaders[pk],
        )
        for pk, snapshot in snapshots.items()
    }


def _current_snapshots(ids: list[int]) -> dict[int, StandingsSnapshot]:
    snapshots = (
        StandingsSnapshot.objects.filter(season_id__in=ids)
        .annotate(current=standings_store.season_version())
        .only("season_id", "version", "complete", "classes")
    )
    return {
        snapshot.season_id: snapshot
        for snapshot in snapshots
        if snapshot.current is None or snapshot.current <= snapshot.version
    }


def _final_rows(table: str, key: str, *ids: int) -> QuerySet[StandingsSnapshot, tuple[Any, ...]]:
    """The seasons' snapshots with this driver's or team's place in each final overall table."""
    position = StoredStanding.objects.filter(
        season_id=models.OuterRef("season_id"),
        table=table,
        class_slug="",
        after_round=standings_store.FINAL,
        key=key,
    ).values("position")[:1]
    return (
        StandingsSnapshot.objects.filter(season_id__in=ids)
        .annotate(current=standings_store.season_version(), place=models.Subquery(position))
        .values_list("season_id", "version", "current", "raced_rounds", "place")
    )


# Compiled once per process and number of seasons (a career has a few dozen at most): building
# the query with its two subqueries cost more than a driver page's other queries together.
_FINAL_ROWS = Prepared(_final_rows)


def _final_places(
    ids: list[int], table: str, key: str, *, fresh_only: bool = True
) -> dict[int, FinalPlace]:
    places = {}
    for season_id, version, current, raced, place in _FINAL_ROWS(table, key, *ids):
        if fresh_only and current is not None and current > version:
            continue
        places[season_id] = FinalPlace(place, bool(raced))
    return places


def _table(
    loaded: LoadedSeason, table: str, class_slug: str | None, after_round: int | None
) -> StandingsTable:
    class_slugs = [slug for slug, _ in loaded.classes]
    if class_slug is not None and class_slug not in class_slugs:
        known = ", ".join(class_slugs) or "none"
        raise ValueError(f"No class {class_slug!r} in this season (classes: {known}).")
    all_rounds = [info.number for info in loaded.data.rounds]
    if after_round is not None and after_round not in all_rounds:
        raise ValueError(
            f"No round {after_round} in this season (rounds {all_rounds[0]}–{all_rounds[-1]})."
            if all_rounds
            else "This season has no rounds yet."
        )
    rows = engine.compute_standings(
        loaded.data, table=table, class_slug=class_slug, after_round=after_round
    )
    return StandingsTable(
        table=table,
        class_slug=class_slug,
        after_round=after_round,
        rows=rows,
        round_numbers=[n for n in all_rounds if after_round is None or n <= after_round],
        all_rounds=all_rounds,
        classes=loaded.classes,
        complete=loaded.complete,
        has_results=bool(loaded.rounds_with_results),
        last_round=max(
            (n for n in loaded.rounds_with_results if after_round is None or n <= after_round),
            default=None,
        ),
        raced_rounds=loaded.rounds_with_results,
    )
