"""Stored standings: a season's tables are computed by the engine once per change and stored as rows
(series/models/standings.py); readers turn the rows back into the engine's StandingRow.

When the rows are computed
    A save that touches a season (series/versions.py stamps its SEASON part; a season's own save
    and a driver's or team's rename call schedule() from series/signals.py; bulk imports call it at
    their end) schedules the season. The seasons scheduled in one transaction are computed once
    each, right after it commits (transaction.on_commit). Where no transaction of the application
    is open (autocommit, or only a test case's wrapping transaction, which never commits) the
    season is computed at once: the tests see their rows as production does after a commit.

Stale rows are never served
    A snapshot records the site version it was computed at. A season stamped later (a save whose
    after-commit computation has not run yet, or never ran: a crash, a rollback of a test) has
    stale rows; a reader of one season recomputes it (one season) and stores the rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal

from django.db import DatabaseError, IntegrityError, connection, models, transaction

from . import standings as engine
from .models import CacheVersion, Season, SiteVersion, StandingsSnapshot, StoredStanding

log = logging.getLogger(__name__)

TABLES = ("drivers", "teams")
FINAL = 0  # after_round of the final table
_PENDING = "_pcc_standings_pending"
_REGISTERED = "_pcc_standings_flush"
BATCH = 20  # seasons loaded together by a rebuild


# --- scheduling -----------------------------------------------------------------------------------


def _application_transaction_open() -> bool:
    """An atomic block of the application is open (a test case's own wrapping blocks don't count:
    they never commit, so their on_commit callbacks never run)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def schedule(season_ids: Iterable[int]) -> None:
    """Compute these seasons' tables after the current transaction commits (at once outside one)."""
    season_ids = {pk for pk in season_ids if pk}
    if not season_ids:
        return
    if not _application_transaction_open():
        _rebuild_logged(season_ids)
        return
    # The seasons wait on the outermost block of the transaction: a rollback discards them with it.
    outermost = next(
        block for block in connection.atomic_blocks if not getattr(block, "_from_testcase", False)
    )
    pending: set[int] | None = getattr(outermost, _PENDING, None)
    if pending is None:
        pending = set()
        setattr(outermost, _PENDING, pending)
    pending |= season_ids
    # One callback per atomic block that schedules (a rolled-back savepoint drops its own); the
    # first to run computes every pending season once, the others find nothing to do.
    block = connection.atomic_blocks[-1]
    registered = getattr(block, _REGISTERED, None)
    if registered is not pending:
        setattr(block, _REGISTERED, pending)
        transaction.on_commit(lambda: _flush(pending), robust=True)


def _flush(pending: set[int]) -> None:
    if not pending:
        return
    season_ids = set(pending)
    pending.clear()
    _rebuild_logged(season_ids)


def _rebuild_logged(season_ids: set[int]) -> None:
    # The change itself is committed: a failure here must not turn the editor's save into an
    # error. The rows stay stale, and the next reader of the season recomputes them.
    try:
        rebuild(season_ids)
    except DatabaseError:
        log.exception("standings of seasons %s not stored", sorted(season_ids))


def seasons_of_people(driver_id: int | None = None, team_id: int | None = None) -> set[int]:
    """The seasons a driver or team appears in (their names are stored in the rows)."""
    from .models import Entry, Result

    if driver_id:
        return set(Entry.objects.filter(driver_id=driver_id).values_list("season_id", flat=True))
    if team_id:
        return set(Entry.objects.filter(team_id=team_id).values_list("season_id", flat=True)) | set(
            Result.objects.filter(team_id=team_id)
            .values_list("session__round__season_id", flat=True)
            .distinct()
        )
    return set()


# --- computing and storing ------------------------------------------------------------------------


def _site_version() -> int:
    return SiteVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def rebuild(season_ids: Iterable[int] | None = None, *, stale_only: bool = False) -> int:
    """Computes and stores the tables of these seasons (all when None), seven queries to load any
    number of seasons in batches, then one write per season. With stale_only, seasons whose rows
    are current are left alone. Returns how many seasons were stored."""
    from .selectors.standings import load_seasons

    if season_ids is None:
        pks = list(Season.objects.order_by("pk").values_list("pk", flat=True))
    else:
        pks = sorted(set(season_ids))
    if stale_only:
        fresh = {pk for pk, is_fresh in freshness(pks).items() if is_fresh}
        pks = [pk for pk in pks if pk not in fresh]
    stored = 0
    for start in range(0, len(pks), BATCH):
        # Seasons deleted meanwhile (a rolled-back transaction's, a cascade's) are not found.
        batch = list(Season.objects.filter(pk__in=pks[start : start + BATCH]))
        version = _site_version()
        for pk, loaded in load_seasons(batch).items():
            stored += store(pk, loaded, version)
    return stored


def freshness(season_ids: list[int]) -> dict[int, bool]:
    """Season pk -> whether its stored rows are current (absent: no rows stored). One query."""
    return {
        pk: current is None or current <= version
        for pk, version, current in StandingsSnapshot.objects.filter(season_id__in=season_ids)
        .annotate(current=season_version())
        .values_list("season_id", "version", "current")
    }


def season_version() -> models.Subquery:
    return models.Subquery(
        CacheVersion.objects.filter(
            kind=CacheVersion.Kind.SEASON, object_id=models.OuterRef("season_id")
        ).values("version")[:1]
    )


def compute_rows(pk: int, loaded) -> list[StoredStanding]:
    """Every table of the season: drivers and teams, overall and per class, final and after every
    round. Raises ValueError (the engine's) for data it refuses."""
    rows: list[StoredStanding] = []
    class_slugs = [None, *(slug for slug, _ in loaded.classes)]
    after_rounds = [None, *(info.number for info in loaded.data.rounds)]
    for table in TABLES:
        for class_slug in class_slugs:
            for after_round in after_rounds:
                computed = engine.compute_standings(
                    loaded.data, table=table, class_slug=class_slug, after_round=after_round
                )
                rows.extend(
                    _stored_row(pk, table, class_slug, after_round, order, row)
                    for order, row in enumerate(computed)
                )
    return rows


def store(pk: int, loaded, version: int) -> bool:
    """Stores the season's rows computed from `loaded` (read at site version `version`), unless a
    newer computation is stored already. An engine error (data it refuses) removes the rows, so
    readers recompute and raise it as before."""
    try:
        rows = compute_rows(pk, loaded)
    except ValueError as error:
        log.warning("standings of season %s not stored: %s", pk, error)
        with transaction.atomic():
            StandingsSnapshot.objects.filter(season_id=pk).delete()
            StoredStanding.objects.filter(season_id=pk).delete()
        return False
    try:
        with transaction.atomic():
            stored_version = (
                StandingsSnapshot.objects.select_for_update()
                .filter(season_id=pk)
                .values_list("version", flat=True)
                .first()
            )
            if stored_version is not None and stored_version > version:
                return False  # a later computation got there first
            StandingsSnapshot.objects.filter(season_id=pk).delete()
            StoredStanding.objects.filter(season_id=pk).delete()
            StandingsSnapshot.objects.create(
                season_id=pk,
                version=version,
                classes=[list(pair) for pair in loaded.classes],
                all_rounds=[info.number for info in loaded.data.rounds],
                raced_rounds=sorted(loaded.rounds_with_results),
                complete=loaded.complete,
            )
            StoredStanding.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        # The season was deleted meanwhile (its rows went with it), or another process stored
        # the same season at the same moment: either way there is nothing left to store.
        return False
    return True


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _stored_row(
    pk: int,
    table: str,
    class_slug: str | None,
    after_round: int | None,
    order: int,
    row: engine.StandingRow,
) -> StoredStanding:
    return StoredStanding(
        season_id=pk,
        table=table,
        class_slug=class_slug or "",
        after_round=after_round or FINAL,
        order=order,
        key=row.key,
        name=row.name,
        position=row.position,
        points=None if row.points_unknown else row.points,
        wins=row.wins,
        podiums=row.podiums,
        complete=row.complete,
        eligible=row.eligible,
        excluded=row.excluded,
        gap=row.gap,
        detail={
            "points": str(row.points),
            "gap": _text(row.gap),
            "class": row.class_slug,
            "nationality": row.nationality,
            "adjustments": [
                [str(a.points), a.reason, a.driver, a.team, a.excluded] for a in row.adjustments
            ],
            "rounds": [
                [
                    item.round,
                    _text(item.points),
                    item.dropped,
                    list(item.positions),
                    list(item.sessions),
                    list(item.statuses),
                    list(item.place_points),
                ]
                for item in row.rounds
            ],
        },
    )


def standing_row(stored: StoredStanding) -> engine.StandingRow:
    """The engine's row back from a stored one, exactly (Decimals from their text)."""
    return standing_values(tuple(getattr(stored, name) for name in ROW_FIELDS))


# What standing_values reads of a stored row, in its order (a reader may ask values_list for them).
ROW_FIELDS = (
    "position",
    "key",
    "name",
    "wins",
    "podiums",
    "eligible",
    "excluded",
    "complete",
    "detail",
)


def standing_values(values: tuple) -> engine.StandingRow:
    """The engine's row back from a stored row's ROW_FIELDS values, exactly (Decimals from their
    text)."""
    position, key, name, wins, podiums, eligible, excluded, complete, detail = values
    return engine.StandingRow(
        position=position,
        key=key,
        name=name,
        points=Decimal(detail["points"]),
        wins=wins,
        podiums=podiums,
        rounds=tuple(
            engine.RoundPoints(
                number,
                _decimal(points),
                dropped,
                tuple(positions),
                tuple(sessions),
                tuple(statuses),
                tuple(place_points),
            )
            for number, points, dropped, positions, sessions, statuses, place_points in detail[
                "rounds"
            ]
        ),
        gap=_decimal(detail["gap"]),
        eligible=eligible,
        excluded=excluded,
        class_slug=detail["class"],
        nationality=detail["nationality"],
        adjustments=tuple(
            engine.AdjustmentRow(Decimal(points), reason, driver, team, excluded)
            for points, reason, driver, team, excluded in detail["adjustments"]
        ),
        complete=complete,
    )
