"""Standings of a season: one loader turns the database into the engine's plain data, the engine
computes, and the result is cached under the site version (recomputed once per change)."""

from dataclasses import dataclass
from decimal import Decimal

from .. import standings as engine
from ..models import (
    SCORING_KINDS,
    Adjustment,
    Entry,
    Result,
    Round,
    Season,
    SeasonClass,
    SessionStatus,
)
from .cache import cached, versioned_key

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


@dataclass(frozen=True)
class LoadedSeason:
    data: engine.SeasonData
    classes: list[tuple[str, str]]
    complete: bool
    rounds_with_results: frozenset[int]


def load_season(season: Season) -> LoadedSeason:
    """Everything the engine needs, in seven queries whatever the season's size: rules, classes,
    rounds, their sessions, entries (+driver, team, class), results, adjustments."""
    rules_row = getattr(season, "scoring", None)  # 1: scoring rules (one-to-one)
    classes = list(SeasonClass.objects.filter(season=season).order_by("order", "name"))  # 2
    class_drop = {
        cls.slug: (
            cls.drop_worst
            if cls.drop_worst is not None
            else (rules_row.drop_worst if rules_row else 0),
            cls.undroppable_last
            if cls.undroppable_last is not None
            else (rules_row.undroppable_last if rules_row else 0),
        )
        for cls in classes
        if cls.drop_worst is not None or cls.undroppable_last is not None
    }
    if rules_row is not None:
        rules = engine.Rules(
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
        )
    else:
        rules = engine.Rules(race_points=())

    rounds = list(
        Round.objects.filter(season=season).prefetch_related("sessions").order_by("number")
    )  # 3 + 4: rounds and their sessions
    scoring_sessions = [
        session
        for round_ in rounds
        for session in round_.sessions.all()
        if session.kind in SCORING_KINDS and session.status != SessionStatus.CANCELLED
    ]
    complete = (
        bool(rounds)
        and not season.results_partial
        and all(any(s.kind in SCORING_KINDS for s in round_.sessions.all()) for round_ in rounds)
        and all(session.status == SessionStatus.FINAL for session in scoring_sessions)
    )

    entries = list(
        Entry.objects.filter(season=season).select_related("driver", "team", "season_class")
    )  # 5
    entry_by_id = {entry.pk: entry for entry in entries}
    competitors = tuple(
        engine.Competitor(
            key=entry.driver.slug,
            name=entry.driver.name,
            class_slug=entry.season_class.slug if entry.season_class else None,
            guest=entry.guest,
            team_key=entry.team.slug if entry.team else None,
            nationality=entry.driver.nationality,
        )
        for entry in entries
    )
    teams = {entry.team.slug: entry.team.name for entry in entries if entry.team}

    session_info = {
        session.pk: (session, round_.number)
        for round_ in rounds
        for session in round_.sessions.all()
    }
    results = []
    result_rows = Result.objects.filter(
        session_id__in=[session.pk for session in scoring_sessions]
    ).select_related("team")  # 6
    sessions_with_results: set[int] = set()
    for result in result_rows:
        session, round_number = session_info[result.session_id]
        entry = entry_by_id.get(result.entry_id)
        if entry is None:
            continue
        if result.team is not None:
            teams.setdefault(result.team.slug, result.team.name)
        sessions_with_results.add(session.pk)
        results.append(
            engine.ResultRow(
                round=round_number,
                session=session.slug,
                kind=session.kind,
                driver=entry.driver.slug,
                position=result.position,
                status=result.status,
                team=result.team.slug if result.team else None,
                pole=result.pole,
                fastest_lap=result.fastest_lap,
            )
        )
    complete = complete and all(session.pk in sessions_with_results for session in scoring_sessions)
    adjustments = tuple(
        engine.AdjustmentRow(
            points=Decimal(adjustment.points),
            reason=adjustment.reason,
            driver=adjustment.driver.slug if adjustment.driver else None,
            team=adjustment.team.slug if adjustment.team else None,
            excluded=adjustment.excluded,
        )
        for adjustment in Adjustment.objects.filter(season=season).select_related("driver", "team")
    )  # 7
    data = engine.SeasonData(
        rules=rules,
        rounds=tuple(
            engine.RoundInfo(number=round_.number, multiplier=Decimal(round_.multiplier))
            for round_ in rounds
        ),
        competitors=competitors,
        teams=tuple(engine.Team(key=key, name=name) for key, name in sorted(teams.items())),
        results=tuple(results),
        adjustments=adjustments,
        classes=tuple(cls.slug for cls in classes),
    )
    rounds_with_results = frozenset(session_info[pk][1] for pk in sessions_with_results)
    return LoadedSeason(
        data=data,
        classes=[(cls.slug, cls.name) for cls in classes],
        complete=complete,
        rounds_with_results=rounds_with_results,
    )


def _loaded(season: Season, version: int | None = None) -> LoadedSeason:
    key = versioned_key("season-data", season.pk, version=version)
    return cached(key, lambda: load_season(season))


def get_standings(
    season: Season,
    table: str = "drivers",
    class_slug: str | None = None,
    after_round: int | None = None,
    *,
    version: int | None = None,
) -> StandingsTable:
    """The table asked for, computed once per change of the record. Raises ValueError with a
    message a reader can act on for a bad table, class or round."""
    if table not in TABLES:
        raise ValueError(f"table must be one of {', '.join(TABLES)}; got {table!r}.")
    key = versioned_key(
        "standings", season.pk, table, class_slug or "-", after_round or "-", version=version
    )

    def compute() -> StandingsTable:
        loaded = _loaded(season, version)
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
        counted = [n for n in all_rounds if after_round is None or n <= after_round]
        return StandingsTable(
            table=table,
            class_slug=class_slug,
            after_round=after_round,
            rows=rows,
            round_numbers=counted,
            all_rounds=all_rounds,
            classes=loaded.classes,
            complete=loaded.complete,
            has_results=bool(loaded.rounds_with_results),
        )

    return cached(key, compute)
