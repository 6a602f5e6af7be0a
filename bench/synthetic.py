"""python bench/synthetic.py [--series 30] [--seasons 40] [--rounds 16] [--cars 40] [--seed N]

A made-up history at the scale of a long-lived pyramid, to measure the site under load: by default
30 series × 40 seasons × 16 rounds × 40 cars = 768,000 results, with their entries, rounds,
sessions, weekends, circuits, drivers and teams, all named "Synthetic ...".

Why a script of the benchmark and not a command of the app: nothing in the models marks these rows
(every page, listing and feed shows them like any other history, which is what the scale run must
measure), so they must never reach the record's database. A management command would ship with
the site and could be run against production by mistake; this script lives with the benchmark and
refuses a database whose name does not contain "bench" (`make bench` uses pcc_bench on
PostgreSQL). It reads the database from DATABASE_URL, as manage.py does.

Fast by construction: rows go in with bulk_create in large batches, and the results through COPY
on PostgreSQL; nothing sends the per-row signals, so the site version is raised once at the end.
One transaction: a failure leaves nothing half-written. A second run refuses rather than mix two
histories. After the commit every new season's standings are computed and stored
(series/standings_store.py), as a save would have done: the database is then in the state a site
with this history would be in (about 1.5 s a season on a busy machine; `--no-standings` skips it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcc.settings")

import django  # noqa: E402
from django.apps import apps  # noqa: E402

if not apps.ready:
    django.setup()

from django.db import connection, transaction  # noqa: E402

from series.models import (  # noqa: E402
    SUPERCUP_SCALE,
    Circuit,
    Driver,
    Entry,
    Event,
    Result,
    ResultStatus,
    Round,
    ScoringRules,
    Season,
    SeasonClass,
    Series,
    Session,
    SessionKind,
    SessionStatus,
    Team,
    Tier,
)
from series.models.season import FIRST_SEASON_YEAR  # noqa: E402
from series.signals import bump_site_version  # noqa: E402
from series.standings_store import rebuild as rebuild_standings  # noqa: E402

LAST_YEAR = 2024
FIRST_ALLOWED_YEAR = FIRST_SEASON_YEAR
BATCH = 5000
# Each season, this share of the seats goes to a newcomer: careers of about five seasons, as in
# the real national cups, rather than one driver racing all forty years (which would make every
# driver page a forty-season page).
DRIVER_TURNOVER = 0.2
TEAM_TURNOVER = 0.1
CIRCUITS_PER_SERIES = 4
# fmt: off
FIRST_NAMES = (
    "Anna", "Ben", "Carla", "Dirk", "Emil", "Frida", "Gustav", "Hanna", "Ivo", "Jana", "Karl",
    "Lena", "Max", "Nora", "Otto", "Paula", "Quentin", "Rosa", "Sven", "Tilda", "Udo", "Vera",
)
FAMILY_NAMES = (
    "Berg", "Claes", "Dorn", "Eck", "Falk", "Graf", "Horn", "Iske", "Jost", "Kamp", "Lind",
    "Moll", "Nagel", "Ost", "Pohl", "Quast", "Rode", "Stein", "Thal", "Ulm", "Vogt", "Wendt",
)
TEAM_WORDS = (
    "Apex", "Brake", "Camber", "Downforce", "Exhaust", "Flat-Six", "Gearbox", "Heel-Toe", "Kerb",
)
# fmt: on
TIME_ZONES = (
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
)


@dataclass
class Counts:
    series: int = 0
    seasons: int = 0
    circuits: int = 0
    events: int = 0
    rounds: int = 0
    sessions: int = 0
    drivers: int = 0
    teams: int = 0
    entries: int = 0
    results: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{value:,} {name}" for name, value in vars(self).items())


@dataclass
class Pools:
    """The drivers and teams of one series, season to season (seat index -> current holder)."""

    drivers: list[Driver] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)


class Refused(Exception):
    """Nothing was written: the options or the database are not acceptable."""


def check_sizes(series: int, seasons: int, rounds: int, cars: int) -> None:
    if not 0 <= series <= 999:
        raise Refused("--series must be between 0 and 999.")
    if not 1 <= seasons <= LAST_YEAR - FIRST_ALLOWED_YEAR + 1:
        raise Refused(
            f"--seasons must be between 1 and {LAST_YEAR - FIRST_ALLOWED_YEAR + 1} "
            f"(seasons end in {LAST_YEAR} and cannot start before {FIRST_ALLOWED_YEAR})."
        )
    if not 1 <= rounds <= 40:
        raise Refused("--rounds must be between 1 and 40.")
    if not 2 <= cars <= 999:
        raise Refused("--cars must be between 2 and 999 (car numbers 1 to 999).")


def is_bench_database(name: object) -> bool:
    """The database's NAME (a PostgreSQL database or an SQLite file) is the benchmark's: "bench"
    in its last part (pcc_bench, /tmp/pcc-bench-x/bench.sqlite3)."""
    return "bench" in Path(str(name or "")).name.lower()


def generate(
    series: int = 30, seasons: int = 40, rounds: int = 16, cars: int = 40, *, seed: int = 1
) -> Counts:
    """Writes the history in one transaction (refused when one is already there), raises the site
    version once, refreshes the planner's statistics. Returns what it wrote."""
    check_sizes(series, seasons, rounds, cars)
    with transaction.atomic():
        if synthetic_exists():
            raise Refused("Synthetic data is already loaded. Nothing written.")
        generator = Generator(random.Random(seed), seasons, rounds, cars)
        for number in range(1, series + 1):
            generator.series(number, series)
        # bulk_create and COPY send no signals: one raise of the site version for all of it.
        bump_site_version()
    # Fresh statistics for the query planner: until autovacuum gets round to it, PostgreSQL
    # plans for the empty tables it last saw, and the pages run several times slower.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return generator.counts


def store_standings() -> int:
    """Computes and stores the tables of every synthetic season without current rows."""
    ids = Season.objects.filter(series__slug__startswith=SLUG_PREFIX).values_list("pk", flat=True)
    return rebuild_standings(list(ids), stale_only=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--series", type=int, default=30, help="How many series (30).")
    parser.add_argument("--seasons", type=int, default=40, help="Seasons per series (40).")
    parser.add_argument("--rounds", type=int, default=16, help="Rounds per season (16).")
    parser.add_argument("--cars", type=int, default=40, help="Cars per race (40).")
    parser.add_argument("--seed", type=int, default=1, help="Random seed (1).")
    parser.add_argument(
        "--no-standings", action="store_true", help="Do not compute the stored standings."
    )
    args = parser.parse_args(argv)
    name = connection.settings_dict["NAME"]
    if not is_bench_database(name):
        sys.stderr.write(f"Refused: {name} is not a benchmark database (no 'bench' in its name).\n")
        return 2
    started = time.monotonic()
    try:
        counts = generate(args.series, args.seasons, args.rounds, args.cars, seed=args.seed)
    except Refused as refused:
        sys.stderr.write(f"Refused: {refused}\n")
        return 2
    print(f"Synthetic history: {counts} in {time.monotonic() - started:.1f} s.", flush=True)
    if not args.no_standings:
        started = time.monotonic()
        stored = store_standings()
        print(f"Stored the standings of {stored:,} seasons in {time.monotonic() - started:.1f} s.")
    return 0


# The series are "Synthetic Cup NNN"; bench/pick.py finds them by this slug.
SLUG_PREFIX = "synthetic-cup-"


def synthetic_exists() -> bool:
    return Series.objects.filter(slug__startswith=SLUG_PREFIX).exists()


class Generator:
    def __init__(self, rng: random.Random, seasons: int, rounds: int, cars: int) -> None:
        self.rng = rng
        self.years = list(range(LAST_YEAR - seasons + 1, LAST_YEAR + 1))
        self.rounds = rounds
        self.cars = cars
        self.counts = Counts()
        self.circuits: list[Circuit] = []
        self.top: Series | None = None
        self.national: list[Series] = []
        self.copy = connection.vendor == "postgresql"

    # --- the pyramid -------------------------------------------------------------------------

    def _tier(self, number: int, total: int) -> int:
        """One synthetic Supercup on top, about a third national cups, the rest at the base."""
        if number == 1:
            return Tier.SUPERCUP
        if number <= 1 + max(1, (total - 1) // 3):
            return Tier.CARRERA_CUP
        return Tier.SPRINT_CHALLENGE

    def _feeds_into(self, tier: int) -> Series | None:
        if tier == Tier.CARRERA_CUP:
            return self.top
        if tier == Tier.SPRINT_CHALLENGE and self.national:
            return self.rng.choice(self.national)
        return None

    def _add_circuits(self, how_many: int) -> None:
        start = len(self.circuits) + 1
        circuits = [
            Circuit(
                name=f"Synthetic Ring {n:03d}",
                slug=f"synthetic-ring-{n:03d}",
                place="Synthville",
                country="Synthland",
                time_zone=self.rng.choice(TIME_ZONES),
                length_km=Decimal(self.rng.randint(2800, 7000)) / 1000,
                turns=self.rng.randint(9, 21),
                source="Synthetic: made by bench/synthetic.py.",
            )
            for n in range(start, start + how_many)
        ]
        self.circuits += Circuit.objects.bulk_create(circuits, batch_size=BATCH)
        self.counts.circuits += how_many

    # --- one series and its history ------------------------------------------------------------

    def series(self, number: int, total: int) -> None:
        rng = self.rng
        tier = self._tier(number, total)
        self._add_circuits(CIRCUITS_PER_SERIES)
        (series,) = Series.objects.bulk_create(
            [
                Series(
                    name=f"Synthetic Cup {number:03d}",
                    short_name=f"Synthetic {number:03d}",
                    slug=f"synthetic-cup-{number:03d}",
                    tier=tier,
                    country="Synthland",
                    region="Synthetic",
                    first_year=self.years[0],
                    feeds_into=self._feeds_into(tier),
                    description="Made up by bench/synthetic.py for scale tests.",
                    source="Synthetic: made by bench/synthetic.py.",
                )
            ]
        )
        if tier == Tier.SUPERCUP:
            self.top = series
        elif tier == Tier.CARRERA_CUP:
            self.national.append(series)
        self.counts.series += 1
        # A drop rule on some series, as real ones have, so the engine does that work too.
        drop_worst = rng.choice((0, 0, 1, 2))

        seasons = Season.objects.bulk_create(
            [
                Season(
                    series=series,
                    year=year,
                    name=f"Synthetic Cup {number:03d} {year}",
                    car="911 GT3 Cup (synthetic)",
                    source="Synthetic: made by bench/synthetic.py.",
                )
                for year in self.years
            ],
            batch_size=BATCH,
        )
        self.counts.seasons += len(seasons)
        ScoringRules.objects.bulk_create(
            [
                ScoringRules(
                    season=season,
                    race_points=list(SUPERCUP_SCALE),
                    pole_points=1,
                    drop_worst=drop_worst,
                )
                for season in seasons
            ],
            batch_size=BATCH,
        )
        classes = SeasonClass.objects.bulk_create(
            [
                SeasonClass(season=season, name=name, slug=slug, order=order)
                for season in seasons
                for order, (name, slug) in enumerate((("Pro", "pro"), ("Pro-Am", "pro-am")), 1)
            ],
            batch_size=BATCH,
        )
        classes_by_season: dict[int, list[SeasonClass]] = {}
        for season_class in classes:
            classes_by_season.setdefault(season_class.season_id, []).append(season_class)

        sessions_by_season = self._calendar(series, seasons)
        entries_by_season = self._entries(series, seasons, classes_by_season)
        for season in seasons:
            self._results(sessions_by_season[season.pk], entries_by_season[season.pk])

    def _calendar(self, series: Series, seasons: list[Season]) -> dict[int, list[Session]]:
        """Weekends of two rounds each at the series' circuits; one race per round."""
        weekends = (self.rounds + 1) // 2
        spacing = min(14, 300 // weekends)
        venues = self.circuits[-CIRCUITS_PER_SERIES:] + self.rng.sample(
            self.circuits, min(len(self.circuits), 4)
        )
        events, plan = [], []
        for season in seasons:
            for weekend in range(1, weekends + 1):
                start = dt.date(season.year, 3, 1) + dt.timedelta(days=spacing * (weekend - 1))
                circuit = venues[(weekend - 1) % len(venues)]
                events.append(
                    Event(
                        name=f"{series.name} {season.year} weekend {weekend}",
                        slug=f"{series.slug}-{season.year}-w{weekend}",
                        circuit=circuit,
                        start_date=start,
                        end_date=start + dt.timedelta(days=2),
                        source="Synthetic: made by bench/synthetic.py.",
                    )
                )
                plan.append(season)
        events = Event.objects.bulk_create(events, batch_size=BATCH)
        self.counts.events += len(events)

        rounds = []
        for index, (event, season) in enumerate(zip(events, plan, strict=True)):
            weekend = index % weekends
            for number in (2 * weekend + 1, 2 * weekend + 2):
                if number > self.rounds:
                    continue
                rounds.append(
                    Round(
                        season=season,
                        number=number,
                        event=event,
                        name=f"Race {number}",
                        date=event.start_date + dt.timedelta(days=1 + (number + 1) % 2),
                    )
                )
        rounds = Round.objects.bulk_create(rounds, batch_size=BATCH)
        self.counts.rounds += len(rounds)

        sessions = Session.objects.bulk_create(
            [
                Session(
                    event=round_.event,
                    round=round_,
                    kind=SessionKind.RACE,
                    name=f"Race {round_.number}",
                    slug=f"race-{round_.number}",
                    date=round_.date,
                    starts_at=dt.datetime.combine(round_.date, dt.time(13, 0), tzinfo=dt.UTC),
                    duration_minutes=30,
                    status=SessionStatus.FINAL,
                )
                for round_ in rounds
            ],
            batch_size=BATCH,
        )
        self.counts.sessions += len(sessions)
        by_season: dict[int, list[Session]] = {season.pk: [] for season in seasons}
        for round_, session in zip(rounds, sessions, strict=True):
            by_season[round_.season_id].append(session)
        return by_season

    def _new_drivers(self, how_many: int) -> list[Driver]:
        drivers = []
        for _ in range(how_many):
            self.counts.drivers += 1
            n = self.counts.drivers
            first, family = self.rng.choice(FIRST_NAMES), self.rng.choice(FAMILY_NAMES)
            name = f"Synthetic {first} {family} {n}"
            drivers.append(
                Driver(
                    name=name,
                    # bulk_create skips Driver.save(), which would fill this in.
                    sort_name=f"{family} {n}, Synthetic {first}",
                    slug=f"synthetic-{first}-{family}-{n}".lower(),
                    nationality="SYN",
                )
            )
        return Driver.objects.bulk_create(drivers, batch_size=BATCH)

    def _new_teams(self, how_many: int) -> list[Team]:
        teams = []
        for _ in range(how_many):
            self.counts.teams += 1
            n = self.counts.teams
            word = self.rng.choice(TEAM_WORDS)
            teams.append(
                Team(
                    name=f"Synthetic {word} Racing {n}",
                    slug=f"synthetic-{word}-racing-{n}".lower(),
                    country="Synthland",
                )
            )
        return Team.objects.bulk_create(teams, batch_size=BATCH)

    def _entries(
        self, series: Series, seasons: list[Season], classes: dict[int, list[SeasonClass]]
    ) -> dict[int, list[Entry]]:
        """Seat n is car n all history long; its driver and team change with the turnover."""
        rng = self.rng
        team_count = max(1, self.cars // 2)
        pools = Pools(self._new_drivers(self.cars), self._new_teams(team_count))
        entries = []
        for index, season in enumerate(seasons):
            leaving = list(range(self.cars)) if index == 0 else []
            if index:
                leaving = [seat for seat in range(self.cars) if rng.random() < DRIVER_TURNOVER]
                for seat, driver in zip(leaving, self._new_drivers(len(leaving)), strict=True):
                    pools.drivers[seat] = driver
                folding = [slot for slot in range(team_count) if rng.random() < TEAM_TURNOVER]
                for slot, team in zip(folding, self._new_teams(len(folding)), strict=True):
                    pools.teams[slot] = team
            pro, pro_am = classes[season.pk]
            for seat in range(self.cars):
                entries.append(
                    Entry(
                        season=season,
                        driver=pools.drivers[seat],
                        team=pools.teams[seat % team_count],
                        car_number=seat + 1,
                        season_class=pro if seat % 3 else pro_am,
                        # The last car is a guest: the pass-down rule has work to do.
                        guest=seat == self.cars - 1,
                        rookie=seat in leaving,
                    )
                )
        entries = Entry.objects.bulk_create(entries, batch_size=BATCH)
        self.counts.entries += len(entries)
        by_season: dict[int, list[Entry]] = {season.pk: [] for season in seasons}
        for entry in entries:
            by_season[entry.season_id].append(entry)
        return by_season

    def _results(self, sessions: list[Session], entries: list[Entry]) -> None:
        rng = self.rng
        rows = []
        for session in sessions:
            order = entries[:]
            rng.shuffle(order)
            grid = entries[:]
            rng.shuffle(grid)
            grid_of = {entry.pk: slot for slot, entry in enumerate(grid, 1)}
            retired = rng.randint(0, min(3, len(order) - 1))
            classified = len(order) - retired
            base = dt.timedelta(minutes=30, seconds=rng.randint(0, 300))
            fastest = rng.randrange(classified)
            for index, entry in enumerate(order):
                position = index + 1 if index < classified else None
                best = dt.timedelta(seconds=95 + index * 0.05 + rng.random())
                if index == fastest:
                    best = dt.timedelta(seconds=94)
                rows.append(
                    {
                        "session_id": session.pk,
                        "entry_id": entry.pk,
                        "team_id": None,
                        "car_number": entry.car_number,
                        "position": position,
                        "status": (
                            ResultStatus.FINISHED if position else ResultStatus.RETIRED
                        ).value,
                        "laps": 18 if position else rng.randint(1, 17),
                        "race_time": base + dt.timedelta(seconds=index * 1.1) if position else None,
                        "gap": f"+{index * 1.1:.3f}" if position and index else "",
                        "best_lap": best,
                        "grid": grid_of[entry.pk],
                        "pole": grid_of[entry.pk] == 1,
                        "fastest_lap": index == fastest,
                        "penalty": "",
                    }
                )
        self._write_results(rows)
        self.counts.results += len(rows)

    def _write_results(self, rows: list[dict]) -> None:
        if not rows:
            return
        if not self.copy:
            Result.objects.bulk_create((Result(**row) for row in rows), batch_size=BATCH)
            return
        # PostgreSQL: COPY is several times faster than INSERT for hundreds of thousands of rows.
        columns = list(rows[0])
        table = connection.ops.quote_name(Result._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        # cursor.cursor is psycopg's own cursor under Django's wrapper.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([row[column] for column in columns])


if __name__ == "__main__":
    sys.exit(main())
