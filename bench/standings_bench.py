"""Times the standings engine on a synthetic season with every rule on.

Run: .venv/bin/python bench/standings_bench.py
Synthetic data only (random but seeded): 20 rounds x (sprint + race) x 60 cars, pole and
fastest-lap (top 10) bonuses, guests passing down, drop 2 with the last 2 undroppable, three classes
with their own drops, best two cars per team, a deduction and a half-points round.
Target: the drivers' table in under 10 ms (median). Both clocks are printed: wall time
(perf_counter) and CPU time of this process (process_time). The verdict uses CPU time, because on a
shared, loaded machine the wall clock also counts the time spent waiting for a core; on an idle
machine the two agree.
"""

import os
import random
import statistics
import sys
import time
import timeit
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from series.standings import (  # noqa: E402 (the path above makes the project importable)
    AdjustmentRow,
    Competitor,
    ResultRow,
    RoundInfo,
    Rules,
    SeasonData,
    Team,
    compute_standings,
)

ROUNDS = 20
CARS = 60
GUESTS = 4
CLASSES = ("pro", "pro-am", "am")
TEAMS = 20
REPEAT = 7
NUMBER = 20
TARGET_MS = 10.0


def synthetic_season(seed: int = 2023) -> SeasonData:
    rng = random.Random(seed)
    competitors = tuple(
        Competitor(
            key=f"synthetic-driver-{n:02}",
            name=f"Synthetic Driver {n:02}",
            class_slug=CLASSES[n % len(CLASSES)],
            guest=n < GUESTS,
            team_key=f"synthetic-team-{n % TEAMS:02}",
            nationality="XX",
        )
        for n in range(CARS)
    )
    keys = [competitor.key for competitor in competitors]
    results = []
    for number in range(1, ROUNDS + 1):
        for session, kind in (("sprint", "sprint"), ("race", "race")):
            order = keys[:]
            rng.shuffle(order)
            pole, fastest = rng.choice(order), rng.choice(order[:15])
            for index, key in enumerate(order):
                # A few cars retire unclassified or do not start in every session.
                classified = index < CARS - 3
                results.append(
                    ResultRow(
                        round=number,
                        session=session,
                        kind=kind,
                        driver=key,
                        position=index + 1 if classified else None,
                        status="finished" if classified else rng.choice(("retired", "dns")),
                        pole=kind == "race" and key == pole,
                        fastest_lap=key == fastest,
                    )
                )
    return SeasonData(
        rules=Rules(
            race_points=(25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1),
            sprint_points=(10, 8, 6, 5, 4, 3, 2, 1),
            pole_points=2,
            fastest_lap_points=1,
            fastest_lap_top=10,
            guests="pass-down",
            drop_worst=2,
            undroppable_last=2,
            team_cars=2,
            class_scoring="class-position",
            class_drop={"pro": (0, 0), "am": (3, 2)},
        ),
        rounds=tuple(
            RoundInfo(number, Decimal("0.5") if number == 7 else Decimal(1))
            for number in range(1, ROUNDS + 1)
        ),
        competitors=competitors,
        teams=tuple(Team(f"synthetic-team-{n:02}", f"Synthetic Team {n:02}") for n in range(TEAMS)),
        results=tuple(results),
        adjustments=(AdjustmentRow(Decimal(-10), "Synthetic deduction", driver=keys[GUESTS + 1]),),
        classes=CLASSES,
    )


def median_ms(call, timer) -> float:
    timings = timeit.repeat(call, repeat=REPEAT, number=NUMBER, timer=timer)
    return statistics.median(timings) / NUMBER * 1000


def main() -> int:
    season = synthetic_season()
    print(
        f"synthetic season: {ROUNDS} rounds x 2 sessions x {CARS} cars = {len(season.results)} "
        f"results, {GUESTS} guests, {len(CLASSES)} classes, {TEAMS} teams"
    )
    cases = [
        ("drivers", None),
        ("teams", None),
        ("drivers", "am"),
    ]
    drivers_cpu_ms = None
    for table, class_slug in cases:

        def call(table=table, class_slug=class_slug):
            return compute_standings(season, table=table, class_slug=class_slug)

        wall_ms = median_ms(call, time.perf_counter)
        cpu_ms = median_ms(call, time.process_time)
        label = table + (f" (class {class_slug})" if class_slug else "")
        print(
            f"{label:<20} median {wall_ms:6.2f} ms wall, {cpu_ms:6.2f} ms CPU "
            f"({REPEAT}x{NUMBER} runs each)"
        )
        if drivers_cpu_ms is None:
            drivers_cpu_ms = cpu_ms
    leader = compute_standings(season)[0]
    print(f"leader: {leader.name}, {leader.points} points, {leader.wins} wins")
    print(f"load average: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")
    verdict = "OK" if drivers_cpu_ms < TARGET_MS else "TOO SLOW"
    print(f"drivers' table: {drivers_cpu_ms:.2f} ms CPU (target < {TARGET_MS:.0f} ms): {verdict}")
    return 0 if drivers_cpu_ms < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
