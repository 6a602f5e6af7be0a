"""The points engine: plain frozen dataclasses in, ordered standings rows out. No ORM, no HTTP.

`compute_standings(season, table=..., class_slug=..., after_round=...)` gives the drivers' or teams'
table, overall or for one class, as it stood after any round. The rules it applies, and the choices
it makes where the regulations we read are silent:

Scoring a session
    Points come from the session's scale (`sprint_points` for a sprint, else `race_points`), to any
    depth; a position past the scale scores 0. A session with no scale at all (the season's scale
    is not on record) has unknown points: its places still count as wins and podiums. A car
    without a position (dns, dsq, nc, dnq, ex, or retired and not classified) scores nothing;
    a retired car with a position is classified.
    Guests never score. With guests="pass-down" an eligible car gets the points of its position
    less the number of guests classified ahead of it (Supercup: guests 4th-6th, so the 7th-placed
    car gets 4th place's points); counting guests, not ranking eligible cars, means a gap in the
    positions (partial data) moves no one up. With "skip" an eligible car keeps the points of its
    own position and the guests' points go to no one.
    Pole points go to the eligible car with the pole flag, classified or not (pole is won in
    qualifying). Fastest-lap points go to the eligible car with the flag only if it is classified
    and, when `fastest_lap_top` is N > 0, its position (as scored in the table) is at most N.
    Bonuses are never passed down. A round's points (all its sessions, bonuses included) are
    multiplied by the round's multiplier (0.5 for half points, 2 for double), in Decimal.

Class tables
    Only the class's competitors are listed. With class_scoring="class-position" each session is
    scored by the position among that class's classified cars (guest handling applies within the
    class) and wins, podiums and countback count class positions; with "overall-position" the
    class's drivers keep exactly the points of the overall table.

Drops (best-N)
    A row's N lowest round scores (after the multiplier) are dropped, except rounds among the last K
    of the season (K counted from the season's final round in `rounds`, also for `after_round`). A
    round the driver missed counts as 0 and may be dropped. When several rounds tie for lowest, the
    earliest is dropped. Drops apply only once more than N rounds are counted, so a table after
    round 1 of a drop-2 season is not emptied. Which rule applies: `class_drop` of the row's class
    if it has one, else the season's; for the overall drivers' table, too, each driver's own class
    rule applies (an Am driver whose class drops two also drops two in the overall table), because
    the regulations we read state one drop rule per competitor, not per table.

Teams table
    In each session the best `team_cars` eligible cars of a team score (0: all of them), each with
    its points as in the overall drivers' table (or the class table when a class is asked for),
    pass-down and bonuses included. A car's team is `ResultRow.team`, else its competitor's
    `team_key`. Wins, podiums and countback count every eligible car of the team. Teams drop no
    rounds: the team championships we read (Supercup, Carrera Cups) count every race. A team whose
    cars are all guests is listed unranked.

Adjustments
    Added after drops. `excluded` keeps the row listed with its points but unranked; the other rows'
    points are not recomputed (a championship exclusion does not reallocate race points). Totals are
    not clamped at zero: a deduction larger than the points scored shows as a negative total, as
    the stewards' arithmetic gives it.

Known, unknown, not taking part
    A held session (`SeasonData.held`, or any session with a result) is known for a car with a
    result row. A car without one is UNKNOWN there when its competitor is not `results_complete`
    (a partial season's row read only in part), else it did not take part (0 points, "·"). A
    round with an unknown session has points None, never 0; a row with an unknown round is
    `complete=False`: listed with the points, wins and podiums of its known rounds (no drops,
    since which rounds would drop is unknown), never ranked. A team's round is unknown when one
    of its eligible cars is unknown there.

Which places count (countback_kinds)
    `Rules.countback_kinds` names the session kinds whose places count as wins and podiums, in
    the countback and in the final latest-round tie-break; empty means every scoring kind. Points
    still come from every kind (F1 since 2021: sprint places score but are not wins).

Ranking and ties
    Ranked rows by points; ties by countback: most wins, then most second places, then thirds and
    so on over every classified result counted (rounds up to `after_round`, dropped rounds included,
    positions as scored in that table). Still tied: the better result (best position in the round,
    a missing or unclassified result being worst) in the latest round in which the two differ; then
    name, then key. Tied rows get distinct positions, as published tables show them. Unranked rows
    (guests, excluded, incomplete rows, all-guest teams) follow in the same order, with position
    and gap None.

Why one module (~875 lines, over the ~500 the rest of the code keeps to)
    It is one computation, read top to bottom: the input dataclasses, compute_standings, then its
    steps in the order it calls them (sessions, scoring, driver and team tallies, drops,
    adjustments, ranking). The steps share the private _Tally, _Session and _Row types and each
    rule above touches several of them (pass-down changes scoring, the team tallies and the
    countback alike), so a split along the rules would leave every module importing the others'
    private types. Its inputs and outputs are plain data and it has no ORM: the stored standings
    (series/standings_store.py) and the selectors (series/selectors/standings.py) load and keep it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

TABLES = ("drivers", "teams")
GUEST_RULES = ("pass-down", "skip")
CLASS_SCORINGS = ("class-position", "overall-position")
SESSION_KINDS = ("race", "sprint")

# Worse than any real position: a round without a classified result loses the final tie-break.
_NO_RESULT = 1_000_000


@dataclass(frozen=True)
class Rules:
    race_points: tuple[int, ...]
    sprint_points: tuple[int, ...] = ()  # empty: use race_points
    pole_points: int = 0
    fastest_lap_points: int = 0
    fastest_lap_top: int = 0  # 0: any classified finisher; N: only if position <= N
    guests: str = "pass-down"  # "pass-down" or "skip"
    drop_worst: int = 0
    undroppable_last: int = 0
    team_cars: int = 0  # best N cars of a team score per session; 0 = all
    class_scoring: str = "class-position"  # or "overall-position"
    # class slug -> (drop_worst, undroppable_last)
    class_drop: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Session kinds whose places count as wins and podiums and in the countback; empty: every
    # kind. F1 since 2021: ("race",), so a sprint's places score points but win nothing.
    countback_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoundInfo:
    number: int
    multiplier: Decimal = Decimal(1)


@dataclass(frozen=True)
class Competitor:
    """A driver's entry in the season."""

    key: str
    name: str
    class_slug: str | None = None
    guest: bool = False
    team_key: str | None = None
    nationality: str = ""
    # False: the record may lack some of this driver's results, so a held session without one of
    # them is UNKNOWN (None, never 0). True: no result means the driver did not take part.
    results_complete: bool = True


@dataclass(frozen=True)
class Team:
    key: str
    name: str


@dataclass(frozen=True)
class ResultRow:
    """One car in one scoring session."""

    round: int
    session: str  # key of the session within the round ("race", "race-2", "sprint")
    kind: str  # "race" or "sprint"
    driver: str  # Competitor.key
    position: int | None  # classified overall position; None when not classified
    status: str = "finished"  # finished, retired, dns, dsq, nc, dnq, ex
    team: str | None = None  # None: the competitor's team_key
    pole: bool = False
    fastest_lap: bool = False


@dataclass(frozen=True)
class HeldSession:
    """A scoring session that was run (results expected), whether or not any result is on record.
    A driver whose results are not known complete and who has no result in it is unknown there."""

    round: int
    session: str
    kind: str = "race"


@dataclass(frozen=True)
class AdjustmentRow:
    points: Decimal
    reason: str
    driver: str | None = None
    team: str | None = None
    excluded: bool = False


@dataclass(frozen=True)
class SeasonData:
    rules: Rules
    rounds: tuple[RoundInfo, ...]
    competitors: tuple[Competitor, ...]
    teams: tuple[Team, ...] = ()
    results: tuple[ResultRow, ...] = ()
    adjustments: tuple[AdjustmentRow, ...] = ()
    # Every class slug of the season, so a class with no entries yet gives an empty table rather
    # than an error; the competitors' classes and class_drop's keys are known classes anyway.
    classes: tuple[str, ...] = ()
    # The sessions held, in running order; sessions with results are held whether listed or not.
    held: tuple[HeldSession, ...] = ()


@dataclass(frozen=True)
class RoundPoints:
    round: int
    # All the round's sessions, bonuses and multiplier; None: UNKNOWN (a held session of the round
    # lacks this row's result and the row is not known complete). Never 0 for unknown.
    points: Decimal | None
    dropped: bool = False
    # The row's positions in the round's sessions (drivers only), as scored in the table (class
    # positions in a class-position table), aligned with `sessions`; None: not classified or absent.
    positions: tuple[int | None, ...] = ()
    sessions: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # aligned with `sessions`; "" where the driver has no result
    # Aligned with `sessions`: the points the finishing place earned (pass-down applied, bonuses
    # and multiplier not), 0 where none; what the results matrix colours as "points".
    place_points: tuple[int, ...] = ()


@dataclass(frozen=True)
class StandingRow:
    position: int | None  # None for rows not ranked (guests, excluded)
    key: str
    name: str
    # After drops and adjustments. For an incomplete row (complete=False): the points of the
    # known rounds only, no drops applied, so a reader must show it qualified, never as the total.
    points: Decimal
    wins: int  # of an incomplete row: the known wins only
    podiums: int
    rounds: tuple[RoundPoints, ...]  # one per round up to after_round, in round order
    gap: Decimal | None  # to the leader; None for the leader and unranked rows
    eligible: bool  # False for guests and excluded rows
    excluded: bool = False
    class_slug: str | None = None
    nationality: str = ""
    adjustments: tuple[AdjustmentRow, ...] = ()
    # False: some counted round is unknown for this row; the row is listed but not ranked.
    complete: bool = True

    @property
    def unknown_rounds(self) -> tuple[int, ...]:
        return tuple(item.round for item in self.rounds if item.points is None)

    @property
    def points_unknown(self) -> bool:
        """No round's points are known (no scale on record, or no result known): the total is
        unknown, not zero."""
        return not self.complete and all(item.points is None for item in self.rounds)


class _Tally:
    """What one row (driver or team) collects while the sessions are scored. Per-round values are
    lists indexed by the round's slot among the counted rounds: the inner loop runs once per car
    and session, so it avoids dict look-ups."""

    __slots__ = (
        "key",
        "name",
        "eligible",
        "class_slug",
        "nationality",
        "raw_points",
        "finishes",
        "best",
        "cells",
        "unknown",
    )

    def __init__(
        self,
        key: str,
        name: str,
        eligible: bool,
        slots: int,
        class_slug: str | None = None,
        nationality: str = "",
    ) -> None:
        self.key = key
        self.name = name
        self.eligible = eligible
        self.class_slug = class_slug
        self.nationality = nationality
        self.raw_points = [0] * slots  # points before the multiplier
        self.finishes: list[int] = []  # every classified position counted
        self.best = [_NO_RESULT] * slots  # best position in the round
        # (positions, statuses, place points), one entry per session of the round (drivers only)
        self.cells: list[tuple[list[int | None], list[str], list[int]] | None] = [None] * slots
        self.unknown = [False] * slots  # a held session of the round lacks this row's result


@dataclass(frozen=True)
class _Session:
    round: int
    key: str
    scale: tuple[int, ...]
    results: tuple[ResultRow, ...]  # classified cars in position order, then the others
    counts_back: bool  # its places count as wins, podiums and in the countback
    slot: int  # the round's place among the counted rounds
    index: int  # its place among the round's sessions
    count: int  # how many sessions the round has


def compute_standings(
    season: SeasonData,
    *,
    table: str = "drivers",
    class_slug: str | None = None,
    after_round: int | None = None,
) -> list[StandingRow]:
    """The drivers' or teams' table, overall or for one class, after `after_round` (default: all
    rounds). Raises ValueError with a plain message for a bad table, class, round or input row."""
    rules = season.rules
    if table not in TABLES:
        raise ValueError(f"table must be one of {', '.join(TABLES)}; got {table!r}.")
    if rules.guests not in GUEST_RULES:
        raise ValueError(f"guests must be one of {', '.join(GUEST_RULES)}; got {rules.guests!r}.")
    if rules.class_scoring not in CLASS_SCORINGS:
        raise ValueError(
            f"class_scoring must be one of {', '.join(CLASS_SCORINGS)}; "
            f"got {rules.class_scoring!r}."
        )
    rounds = sorted(season.rounds, key=lambda info: info.number)
    numbers = [info.number for info in rounds]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"Round numbers must be distinct; got {numbers}.")
    if after_round is not None and after_round not in numbers:
        raise ValueError(f"No round {after_round} in this season (rounds: {numbers or 'none'}).")
    competitors = _competitors_by_key(season.competitors)
    if class_slug is not None:
        known = set(season.classes) | set(rules.class_drop)
        known.update(c.class_slug for c in season.competitors if c.class_slug is not None)
        if class_slug not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise ValueError(f"No class {class_slug!r} in this season (classes: {listed}).")

    counted = [info for info in rounds if after_round is None or info.number <= after_round]
    slots = {info.number: slot for slot, info in enumerate(counted)}
    sessions = _sessions(season, competitors, set(numbers), slots)

    if table == "drivers":
        tallies = _driver_tallies(season, competitors, sessions, class_slug, len(counted))
        drop_rules = {
            tally.key: _drop_rule(rules, tally.class_slug if class_slug is None else class_slug)
            for tally in tallies
        }
    else:
        tallies = _team_tallies(season, competitors, sessions, class_slug, len(counted))
        drop_rules = {tally.key: (0, 0) for tally in tallies}
    if sessions and not any(session.scale for session in sessions):
        # No points scale on record for any counted session: nobody's points are known, not even
        # the 0 of a round a row did not race (a total of "0+?" would pass for a figure).
        for tally in tallies:
            tally.unknown = [True] * len(counted)

    # per slot: the round's session keys, and the positions and statuses of a driver absent
    keys_by_slot: list[list[str]] = [[] for _ in counted]
    for session in sessions:
        keys_by_slot[session.slot].append(session.key)
    round_sessions: list[
        tuple[tuple[str, ...], tuple[int | None, ...], tuple[str, ...], tuple[int, ...]]
    ] = [
        (tuple(keys), (None,) * len(keys), ("",) * len(keys), (0,) * len(keys))
        for keys in keys_by_slot
    ]
    protected_by_k = {}  # undroppable_last -> round numbers it protects, computed once per K
    adjustments = _adjustments_by_key(season, competitors, table)

    rows = []
    for tally in tallies:
        drop_worst, undroppable_last = drop_rules[tally.key]
        if undroppable_last not in protected_by_k:
            protected_by_k[undroppable_last] = (
                frozenset(numbers[-undroppable_last:]) if undroppable_last > 0 else frozenset()
            )
        rows.append(
            _finish_row(
                tally,
                counted,
                round_sessions,
                drop_worst,
                protected_by_k[undroppable_last],
                adjustments.get(tally.key, ()),
                with_positions=table == "drivers",
            )
        )
    return _rank(rows)


def _competitors_by_key(competitors: tuple[Competitor, ...]) -> dict[str, Competitor]:
    by_key: dict[str, Competitor] = {}
    for competitor in competitors:
        if competitor.key in by_key:
            raise ValueError(f"Competitor {competitor.key!r} is listed twice in the season.")
        by_key[competitor.key] = competitor
    return by_key


def _sessions(
    season: SeasonData,
    competitors: dict[str, Competitor],
    round_numbers: set[int],
    slots: dict[int, int],
) -> list[_Session]:
    """The counted scoring sessions, each with its cars sorted once (classified first, by position),
    in round order and, within a round, in the order of `season.held`, then in the order the other
    sessions first appear in the results. A held session without any result is listed, empty."""
    rules = season.rules
    results = season.results
    _check_results(results, competitors, round_numbers)
    countback_kinds = set(rules.countback_kinds)
    unknown_kinds = countback_kinds - set(SESSION_KINDS)
    if unknown_kinds:
        raise ValueError(
            f"countback_kinds may name only {', '.join(SESSION_KINDS)}; "
            f"got {', '.join(sorted(unknown_kinds))}."
        )
    grouped: dict[tuple[int, str], list[ResultRow]] = {}
    kinds: dict[tuple[int, str], str] = {}
    for held in season.held:
        if held.round not in round_numbers:
            raise ValueError(
                f"Held session {held.session!r} is in round {held.round}, not a round."
            )
        if held.kind not in SESSION_KINDS:
            raise ValueError(
                f"Session {held.session!r} of round {held.round} has kind {held.kind!r}; "
                f"expected one of {', '.join(SESSION_KINDS)}."
            )
        if held.round in slots:
            grouped.setdefault((held.round, held.session), [])
            kinds.setdefault((held.round, held.session), held.kind)
    for result in results:
        if result.round not in slots:
            continue  # after the round asked for
        session_key = (result.round, result.session)
        cars = grouped.get(session_key)
        if cars is None:
            grouped[session_key] = [result]
            kinds[session_key] = result.kind
        else:
            cars.append(result)

    by_round: dict[int, list[tuple[str, list[ResultRow]]]] = defaultdict(list)
    for (round_number, key), cars in grouped.items():
        by_round[round_number].append((key, cars))
    sessions = []
    for round_number in sorted(by_round):
        round_sessions = by_round[round_number]
        for index, (key, cars) in enumerate(round_sessions):
            kind = kinds[round_number, key]
            scale = rules.sprint_points if kind == "sprint" else ()
            classified = [car for car in cars if car.position is not None]
            classified.sort(key=_by_position)
            classified += [car for car in cars if car.position is None]
            sessions.append(
                _Session(
                    round=round_number,
                    key=key,
                    scale=tuple(scale or rules.race_points),
                    results=tuple(classified),
                    counts_back=not countback_kinds or kind in countback_kinds,
                    slot=slots[round_number],
                    index=index,
                    count=len(round_sessions),
                )
            )
    return sessions


_by_position = attrgetter("position")


def _check_results(
    results: tuple[ResultRow, ...], competitors: dict[str, Competitor], round_numbers: set[int]
) -> None:
    """Refuses a result the engine can't place, naming it. Whole-set checks first (this runs for
    every table asked for); the row-by-row search only when one of them fails."""
    if (
        {result.round for result in results} <= round_numbers
        and {result.driver for result in results} <= competitors.keys()
        and {result.kind for result in results} <= set(SESSION_KINDS)
        and min((r.position for r in results if r.position is not None), default=1) >= 1
        and len({(r.round, r.session, r.driver) for r in results}) == len(results)
    ):
        return
    for result in results:
        if result.round not in round_numbers:
            raise ValueError(
                f"Result of {result.driver!r} is for round {result.round}, "
                "which is not a round of this season."
            )
        if result.driver not in competitors:
            raise ValueError(
                f"Result in round {result.round} {result.session!r} is for {result.driver!r}, "
                "who has no entry in this season."
            )
        if result.kind not in SESSION_KINDS:
            raise ValueError(
                f"Session {result.session!r} of round {result.round} has kind {result.kind!r}; "
                f"expected one of {', '.join(SESSION_KINDS)}."
            )
        if result.position is not None and result.position < 1:
            raise ValueError(
                f"{result.driver!r} has position {result.position} in round {result.round} "
                f"{result.session!r}; positions start at 1."
            )
    seen: set[tuple[int, str, str]] = set()
    for result in results:
        identity = (result.round, result.session, result.driver)
        if identity in seen:
            raise ValueError(
                f"{result.driver!r} has two results in round {result.round} {result.session!r}."
            )
        seen.add(identity)


def _score_session(
    session: _Session,
    rules: Rules,
    competitors: dict[str, Competitor],
    class_members: set[str] | None,
) -> list[tuple[ResultRow, int | None, int, int]]:
    """Each car of the session with its position as scored, its points (bonuses included) and
    the points of its place alone.

    With `class_members`, only those cars are scored, by their position among the class's
    classified cars; without, every car by its overall position."""
    scale = session.scale
    depth = len(scale)
    pass_down = rules.guests == "pass-down"
    pole_points = rules.pole_points
    fastest_lap_points = rules.fastest_lap_points
    fastest_lap_top = rules.fastest_lap_top
    scored = []
    place = 0  # position among the cars scored together (the class, in a class-position table)
    # Pass-down pays a car the points of its position less the guests classified ahead of it.
    # Counting guests rather than ranking the eligible cars keeps a gap in the positions (a car
    # missing from partial data) from moving anyone up.
    guests_ahead = 0
    for result in session.results:
        if class_members is not None and result.driver not in class_members:
            continue
        position = result.position
        if position is not None and class_members is not None:
            place += 1
            position = place
        points = 0
        place_points = 0
        if competitors[result.driver].guest:
            if position is not None:
                guests_ahead += 1
        else:
            if position is not None:
                paid = position - guests_ahead if pass_down else position
                if paid <= depth:
                    points = place_points = scale[paid - 1]
                if result.fastest_lap and (fastest_lap_top == 0 or position <= fastest_lap_top):
                    points += fastest_lap_points
            if result.pole:
                points += pole_points
        scored.append((result, position, points, place_points))
    return scored


def _scoring_scope(
    rules: Rules, competitors: dict[str, Competitor], class_slug: str | None
) -> tuple[set[str] | None, set[str] | None]:
    """(cars scored together, cars listed): None means every car."""
    if class_slug is None:
        return None, None
    members = {key for key, c in competitors.items() if c.class_slug == class_slug}
    if rules.class_scoring == "class-position":
        return members, members
    return None, members


def _driver_tallies(
    season: SeasonData,
    competitors: dict[str, Competitor],
    sessions: list[_Session],
    class_slug: str | None,
    slots: int,
) -> list[_Tally]:
    scored_together, listed = _scoring_scope(season.rules, competitors, class_slug)
    tallies = {
        key: _Tally(
            key,
            competitor.name,
            not competitor.guest,
            slots,
            competitor.class_slug,
            competitor.nationality,
        )
        for key, competitor in competitors.items()
        if listed is None or key in listed
    }
    maybe_unknown = [
        tally for tally in tallies.values() if not competitors[tally.key].results_complete
    ]
    for session in sessions:
        slot, index, count = session.slot, session.index, session.count
        counts_back = session.counts_back
        for result, position, points, place_points in _score_session(
            session, season.rules, competitors, scored_together
        ):
            tally = tallies.get(result.driver)
            if tally is None:
                continue
            tally.raw_points[slot] += points
            cells = tally.cells[slot]
            if cells is None:
                cells = tally.cells[slot] = ([None] * count, [""] * count, [0] * count)
            cells[0][index] = position
            cells[1][index] = result.status
            cells[2][index] = place_points
            if position is not None and counts_back:
                tally.finishes.append(position)
                if position < tally.best[slot]:
                    tally.best[slot] = position
        if maybe_unknown:
            present = {result.driver for result in session.results}
            for tally in maybe_unknown:
                if tally.key not in present:
                    tally.unknown[slot] = True
        if not session.scale:
            # No points scale on record for the session: its places are known, its points not.
            for result in session.results:
                if result.driver in tallies:
                    tallies[result.driver].unknown[slot] = True
    return list(tallies.values())


def _team_tallies(
    season: SeasonData,
    competitors: dict[str, Competitor],
    sessions: list[_Session],
    class_slug: str | None,
    slots: int,
) -> list[_Tally]:
    rules = season.rules
    scored_together, listed = _scoring_scope(rules, competitors, class_slug)
    names = {team.key: team.name for team in season.teams}
    # A team is ranked unless every car it ran in scope was a guest's.
    has_eligible_car: dict[str, bool] = {}

    def note_car(team_key: str, guest: bool) -> None:
        has_eligible_car[team_key] = has_eligible_car.get(team_key, False) or not guest

    for key, competitor in competitors.items():
        if competitor.team_key is not None and (listed is None or key in listed):
            note_car(competitor.team_key, competitor.guest)
    for result in season.results:
        if result.team is not None and (listed is None or result.driver in listed):
            note_car(result.team, competitors[result.driver].guest)
    team_keys = set(has_eligible_car)
    if class_slug is None:
        team_keys.update(names)  # the overall table lists every team of the season
    tallies = {
        key: _Tally(key, names.get(key, key), has_eligible_car.get(key, True), slots)
        for key in team_keys
    }

    # A team's round is unknown when one of its eligible cars (by the entry's team: with no result
    # there is no other) may have raced in a held session without a result on record.
    maybe_unknown = [
        competitor
        for key, competitor in competitors.items()
        if not competitor.results_complete
        and not competitor.guest
        and competitor.team_key is not None
        and (listed is None or key in listed)
    ]
    team_cars = rules.team_cars
    for session in sessions:
        slot = session.slot
        _mark_unknown_team_rounds(session, maybe_unknown, competitors, tallies)
        by_team: dict[str, list[int]] = defaultdict(list)
        for result, position, points, _ in _score_session(
            session, rules, competitors, scored_together
        ):
            if listed is not None and result.driver not in listed:
                continue
            competitor = competitors[result.driver]
            team_key = result.team or competitor.team_key
            if team_key is None or competitor.guest:
                continue
            by_team[team_key].append(points)
            if position is not None and session.counts_back:
                tally = tallies[team_key]
                tally.finishes.append(position)
                if position < tally.best[slot]:
                    tally.best[slot] = position
        for team_key, car_points in by_team.items():
            if team_cars:
                car_points = sorted(car_points, reverse=True)[:team_cars]
            tallies[team_key].raw_points[slot] += sum(car_points)
    return list(tallies.values())


def _mark_unknown_team_rounds(
    session: _Session,
    maybe_unknown: list[Competitor],
    competitors: dict[str, Competitor],
    tallies: dict[str, _Tally],
) -> None:
    """A team's round is unknown when one of its eligible cars may have raced the session
    without a result on record, or when the session has no points scale on record."""
    slot = session.slot
    if maybe_unknown:
        present = {result.driver for result in session.results}
        for competitor in maybe_unknown:
            if competitor.key not in present and competitor.team_key in tallies:
                tallies[competitor.team_key].unknown[slot] = True
    if not session.scale:
        for result in session.results:
            team_key = result.team or competitors[result.driver].team_key
            if team_key in tallies:
                tallies[team_key].unknown[slot] = True


def _drop_rule(rules: Rules, class_slug: str | None) -> tuple[int, int]:
    if class_slug is not None and class_slug in rules.class_drop:
        drop_worst, undroppable_last = rules.class_drop[class_slug]
        return drop_worst, undroppable_last
    return rules.drop_worst, rules.undroppable_last


def _adjustments_by_key(
    season: SeasonData, competitors: dict[str, Competitor], table: str
) -> dict[str, tuple[AdjustmentRow, ...]]:
    team_keys = {team.key for team in season.teams}
    team_keys.update(c.team_key for c in competitors.values() if c.team_key)
    team_keys.update(r.team for r in season.results if r.team)
    by_key: dict[str, list[AdjustmentRow]] = defaultdict(list)
    for adjustment in season.adjustments:
        if adjustment.driver is None and adjustment.team is None:
            raise ValueError(f"Adjustment {adjustment.reason!r} names neither a driver nor a team.")
        if adjustment.driver is not None and adjustment.driver not in competitors:
            raise ValueError(
                f"Adjustment {adjustment.reason!r} is for {adjustment.driver!r}, "
                "who has no entry in this season."
            )
        if adjustment.team is not None and adjustment.team not in team_keys:
            raise ValueError(
                f"Adjustment {adjustment.reason!r} is for team {adjustment.team!r}, "
                "which has no car in this season."
            )
        key = adjustment.driver if table == "drivers" else adjustment.team
        if key is not None:
            by_key[key].append(adjustment)
    return {key: tuple(rows) for key, rows in by_key.items()}


@dataclass(frozen=True)
class _Row:
    """A finished row before ranking: the row's fields but its position and gap, and what the
    tie-break needs. The StandingRow is built once, when its position is known."""

    fields: dict[str, Any]
    points: Decimal
    ranked: bool
    finishes: tuple[int, ...]
    latest_first: tuple[int, ...]  # best position per counted round, latest round first


def _finish_row(
    tally: _Tally,
    counted: list[RoundInfo],
    round_sessions: list[
        tuple[tuple[str, ...], tuple[int | None, ...], tuple[str, ...], tuple[int, ...]]
    ],
    drop_worst: int,
    protected: frozenset[int],
    adjustments: tuple[AdjustmentRow, ...],
    *,
    with_positions: bool,
) -> _Row:
    round_points = [
        Decimal(raw) * info.multiplier for raw, info in zip(tally.raw_points, counted, strict=True)
    ]
    unknown = tally.unknown
    complete = not any(unknown)
    dropped: set[int] = set()
    # Which rounds an incomplete row drops can't be known (an unknown round may be the lowest).
    if complete and drop_worst and len(counted) > drop_worst:
        droppable = [
            (points, slot)
            for slot, (info, points) in enumerate(zip(counted, round_points, strict=True))
            if info.number not in protected
        ]
        # Lowest first; among equal scores the earliest round (lowest slot) goes first.
        droppable.sort()
        dropped = {slot for _, slot in droppable[:drop_worst]}

    rounds = []
    for slot, (info, points) in enumerate(zip(counted, round_points, strict=True)):
        if with_positions:
            sessions, positions, statuses, place_points = round_sessions[slot]
            cells = tally.cells[slot]
            if cells is not None:
                positions, statuses, place_points = (
                    tuple(cells[0]),
                    tuple(cells[1]),
                    tuple(cells[2]),
                )
        else:
            sessions, positions, statuses, place_points = (), (), (), ()
        rounds.append(
            RoundPoints(
                info.number,
                None if unknown[slot] else points,
                slot in dropped,
                positions,
                sessions,
                statuses,
                place_points,
            )
        )

    total = sum(
        (
            points
            for slot, points in enumerate(round_points)
            if slot not in dropped and not unknown[slot]
        ),
        Decimal(0),
    )
    total += sum((adjustment.points for adjustment in adjustments), Decimal(0))
    excluded = any(adjustment.excluded for adjustment in adjustments)
    finishes = tuple(tally.finishes)
    eligible = tally.eligible and not excluded
    fields = {
        "key": tally.key,
        "name": tally.name,
        "points": total,
        "wins": finishes.count(1),
        "podiums": sum(1 for position in finishes if position <= 3),
        "rounds": tuple(rounds),
        "eligible": eligible,
        "excluded": excluded,
        "class_slug": tally.class_slug,
        "nationality": tally.nationality,
        "adjustments": adjustments,
        "complete": complete,
    }
    # An incomplete row is listed, not ranked: its place among the complete rows is not known.
    return _Row(fields, total, eligible and complete, finishes, tuple(reversed(tally.best)))


def countback(finishes: tuple[int, ...] | list[int], depth: int) -> tuple[int, ...]:
    """How many 1st places, 2nd places, ... up to `depth`: the larger tuple wins the countback."""
    counts = [0] * depth
    for position in finishes:
        if position <= depth:
            counts[position - 1] += 1
    return tuple(counts)


def _rank(rows: list[_Row]) -> list[StandingRow]:
    depth = max((max(r.finishes) for r in rows if r.finishes), default=0)

    def order(entry: _Row) -> tuple[Decimal, list[int], tuple[int, ...], str, str]:
        # Negated counts: more wins (then seconds, ...) sorts first.
        counts = [0] * depth
        for position in entry.finishes:
            counts[position - 1] -= 1
        return (
            -entry.points,
            counts,
            entry.latest_first,
            entry.fields["name"],
            entry.fields["key"],
        )

    ordered = sorted(rows, key=order)
    ranked = [entry for entry in ordered if entry.ranked]
    leader_points = ranked[0].points if ranked else None
    standings = [
        StandingRow(
            position=position,
            gap=leader_points - entry.points
            if position > 1 and leader_points is not None
            else None,
            **entry.fields,
        )
        for position, entry in enumerate(ranked, start=1)
    ]
    standings.extend(
        StandingRow(position=None, gap=None, **entry.fields)
        for entry in ordered
        if not entry.ranked
    )
    return standings
