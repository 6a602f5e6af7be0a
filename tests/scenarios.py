"""Shared scenario builders: the seasons, worlds and records the tests build, in one place.

Every builder writes through the models (a real database, no mocks) and returns what the tests
then ask about. Pick the smallest one that holds what a test asserts:

- ``build_season``: a season of Carrera Cup Testland with two classes (Pro, Am), a guest and up
  to four raced rounds whose finishes are ``FINISHES`` (Anna wins, the guest Carla is second, Ben
  third, Dirk retires and is disqualified): the season pages, the home page and the coverage page.
- ``build_two_class_season``: ``cars`` entries of one team alternating Pro / Am, ``rounds``
  rounds of one race each in car order, and the winner's title on record: the API and downloads.
- ``make_pyramid``: four series feeding one another (Supercup, a Carrera Cup, two Sprint
  Challenges), no seasons.
- ``build_world``: a festival hosting a round of ``n_seasons`` seasons, one driver and one team
  in all of them: the directory pages and their query budgets.
- ``shipped_record``: the facts the site ships with (``load_pyramid``), loaded once for every test
  that asks for the ``shipped`` fixture (tests/conftest.py) and rolled back after them.

Small objects with defaults come from tests/factories.py; the builders compose them.
"""

import datetime as dt
import io
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

from series.data.build.writing import read_table, results_csv, toml_value
from series.imports.api import import_results, import_season
from series.models import (
    Champion,
    MediaKind,
    MediaLink,
    Season,
    SessionKind,
    SessionStatus,
    Tier,
)
from tests import factories as f
from tests.factories import (
    make_class,
    make_driver,
    make_entry,
    make_result,
    make_round,
    make_season,
    make_series,
    make_session,
    make_team,
)

# --- writing like the application ---------------------------------------------------------------


@contextmanager
def one_commit() -> Iterator[None]:
    """The saves inside behave as one transaction of the application that commits at the end: the
    stored standings of each season touched are computed once, after the block, as production
    computes them after a commit (series/standings_store.py), instead of once per saved row (a
    test case's own transaction never commits, so a save outside an application block computes its
    season at once). What the tests then read is the same; building it costs one computation per
    season instead of one per result."""
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        yield


# --- one season --------------------------------------------------------------------------------

# Four drivers over the rounds: (Anna, Ben, Carla the guest, Dirk). Anna wins every round, the
# guest is second, Ben third; Dirk retires in round 2 and is disqualified in round 3.
FINISHES = {
    1: [
        ("anna", 1, "finished"),
        ("carla", 2, "finished"),
        ("ben", 3, "finished"),
        ("dirk", 4, "finished"),
    ],
    2: [
        ("anna", 1, "finished"),
        ("carla", 2, "finished"),
        ("ben", 3, "finished"),
        ("dirk", None, "retired"),
    ],
    3: [
        ("anna", 1, "finished"),
        ("carla", 2, "finished"),
        ("ben", 3, "finished"),
        ("dirk", None, "dsq"),
    ],
    4: [("anna", 1, "finished"), ("ben", 2, "finished"), ("dirk", None, "dns")],
}


@one_commit()
def build_season(series=None, year=2023, rounds=3, *, results=True, rules=None, **season_kwargs):
    """A season with two classes, a guest and `rounds` raced rounds (results as FINISHES)."""
    series = series or make_series(name="Carrera Cup Testland", slug="carrera-cup-testland")
    season = make_season(series, year=year, rules=rules, car="911 GT3 Cup (992)", **season_kwargs)
    pro = make_class(season, "Pro", order=1)
    am = make_class(season, "Am", order=2)
    team = make_team(f"Team Red {year}-{series.pk}")
    drivers = {}
    for number, (key, cls, guest) in enumerate(
        [("anna", pro, False), ("ben", pro, False), ("carla", am, True), ("dirk", am, False)],
        start=1,
    ):
        slug = f"{key}-{series.pk}-{year}"
        driver = make_driver(f"{key.title()} Driver{series.pk}y{year}", slug=slug)
        drivers[key] = make_entry(
            season, driver, team=team, car_number=number, season_class=cls, guest=guest
        )
    for number in range(1, rounds + 1):
        round_ = make_round(season, number)
        session = make_session(round_, slug=f"race-{series.pk}-{year}-{number}")
        if not results:
            session.status = SessionStatus.SCHEDULED
            session.save()
            continue
        for key, position, status in FINISHES[min(number, 4)]:
            make_result(
                session,
                drivers[key],
                position,
                status=status,
                pole=key == "anna",
                fastest_lap=key == "ben",
            )
    return season


@one_commit()
def build_two_class_season(
    series=None, year: int = 2023, cars: int = 2, rounds: int = 1, **series_kwargs
):
    """A season with a Pro and an Am class, `cars` entries of one team and `rounds` rounds, each
    with one race and a result per car (car 1 wins, in Pro), and the winner's title on record."""
    series = series or f.make_series(**series_kwargs)
    season = f.make_season(series, year=year, car="911 GT3 Cup (992)")
    pro = f.make_class(season, "Pro")
    am = f.make_class(season, "Am", order=1)
    team = f.make_team()
    entries = [
        f.make_entry(season, car_number=n + 1, team=team, season_class=pro if n % 2 == 0 else am)
        for n in range(cars)
    ]
    for number in range(1, rounds + 1):
        session = f.make_session(f.make_round(season, number))
        for position, entry in enumerate(entries, start=1):
            f.make_result(session, entry, position, laps=20)
    Champion.objects.create(
        series=series,
        year=year,
        driver=entries[0].driver,
        driver_name=entries[0].driver.name,
        nationality="GER",
    )
    return season, entries


# --- series and worlds -------------------------------------------------------------------------


def make_pyramid():
    """Supercup on top, a Carrera Cup feeding it, two Sprint Challenges feeding that."""
    supercup = make_series(
        name="Porsche Supercup",
        slug="supercup",
        tier=Tier.SUPERCUP,
        country="International",
        first_year=1993,
    )
    cup = make_series(
        name="Carrera Cup Testland",
        slug="carrera-cup-testland",
        tier=Tier.CARRERA_CUP,
        feeds_into=supercup,
        first_year=1990,
    )
    sprint = make_series(
        name="Sprint Challenge Testland",
        slug="sprint-testland",
        tier=Tier.SPRINT_CHALLENGE,
        feeds_into=cup,
        country="Testland",
        first_year=2011,
    )
    other = make_series(
        name="GT3 Cup Challenge Elsewhere",
        slug="gt3-elsewhere",
        tier=Tier.SPRINT_CHALLENGE,
        feeds_into=cup,
        first_year=2005,
    )
    return supercup, cup, sprint, other


@dataclass
class World:
    """A festival hosting a round of every season, one driver and team in all of them."""

    festival: object
    circuit: object
    star: object
    team: object
    first_race: object
    seasons: list


@one_commit()
def build_world(n_seasons: int) -> World:
    circuit = f.make_circuit(
        name="WeatherTech Raceway Laguna Seca",
        place="Monterey, California",
        country="United States",
        time_zone="America/Los_Angeles",
    )
    festival = f.make_event(
        name="Rennsport Reunion 7",
        circuit=circuit,
        start=dt.date(2023, 9, 28),
        end_date=dt.date(2023, 10, 1),
        kind="festival",
        organiser="Porsche Cars North America",
        notes="Motor Authority says the final two rounds; they were rounds 13-14 of 16.",
        source="usatodaysports.com",
    )
    star = f.make_driver("Larry ten Voorde", nationality="NED")
    team = f.make_team("GP Elite")
    seasons = []
    first_race = None
    for i in range(n_seasons):
        series = f.make_series(name=f"Carrera Cup {i}", tier=Tier(1 + i % 3))
        season = f.make_season(series, year=2023 - i)
        pro = f.make_class(season, "Pro")
        proam = f.make_class(season, "Pro-Am", order=1)
        star_entry = f.make_entry(season, star, team=team, car_number=1, season_class=pro)
        rival = f.make_entry(season, team=team, car_number=2, season_class=proam)
        guest = f.make_entry(season, car_number=3, season_class=pro, guest=True)
        round_13 = f.make_round(season, 13, event=festival, date=dt.date(2023, 9, 30))
        f.make_round(season, 14, event=festival, date=dt.date(2023, 10, 1))
        f.make_round(season, 15)
        race = f.make_session(
            round_13,
            starts_at=dt.datetime(2023, 9, 30, 18, 5, tzinfo=dt.UTC),
            name=f"Race 13 {series.name}",
        )
        f.make_session(
            round_13,
            kind=SessionKind.QUALIFYING,
            name=f"Qualifying {series.name}",
            starts_at=None,
        )
        f.make_result(
            race,
            star_entry,
            1,
            laps=20,
            race_time=dt.timedelta(minutes=40, seconds=1.5),
            best_lap=dt.timedelta(minutes=1, seconds=24.321 + i),
            pole=True,
            fastest_lap=True,
        )
        f.make_result(race, guest, 2, gap="+1.234")
        f.make_result(race, rival, 3, gap="+2.5")
        Champion.objects.create(
            series=series,
            year=season.year,
            driver=star,
            driver_name=star.name,
            nationality="NED",
            source="porsche.com",
            notes="Sources disagree on the team name.",
        )
        MediaLink.objects.create(
            kind=MediaKind.LIVE, provider="IMSA.tv", url="https://imsa.tv", series=series
        )
        MediaLink.objects.create(
            kind=MediaKind.REPLAY,
            provider="YouTube",
            url="https://youtube.com",
            region="United States",
            season=season,
        )
        seasons.append(season)
        first_race = first_race or race
    MediaLink.objects.create(
        kind=MediaKind.RADIO, provider="IMSA Radio", url="https://imsa.com", event=festival
    )
    return World(festival, circuit, star, team, first_race, seasons)


# --- a published table with every race ----------------------------------------------------------

SHIPPED = Path(__file__).resolve().parent.parent / "series" / "data"
PUBLISHED = Path(__file__).resolve().parent / "data" / "partial_seasons"


def published_table_season(
    series: str,
    series_name: str,
    year: int,
    races: int,
    guest_rows: dict[str, list[int]] | None = None,
) -> Season:
    """A season holding every race of a published table (tests/data/partial_seasons/
    <series>-<year>/standings.csv), where the shipped file holds only the races whose dates are
    on record: the points do not depend on the dates, so each race gets a placeholder event, here
    only. Scale and guest rule come from the shipped season file, the results from the table's
    cells, both through the importers. guest_rows: drivers who were guests in some races only."""
    make_series(name=series_name, slug=series)
    shipped = tomllib.loads((SHIPPED / "seasons" / f"{series}-{year}.toml").read_text())
    lines = [
        f'series = "{series}"',
        f"year = {year}",
        "results_partial = true",
        f"classes = {toml_value(shipped.get('classes', []))}",
        "[scoring]",
        f"race = {toml_value(shipped['scoring']['race'])}",
        f"guests = {toml_value(shipped['scoring']['guests'])}",
        '[[circuits]]\nslug = "test-circuit"\nname = "Test circuit"\ntime_zone = "UTC"',
    ]
    for number in range(1, races + 1):
        day = dt.date(year, 3, 5) + dt.timedelta(weeks=number)
        lines.append(
            f'[[events]]\nslug = "placeholder-{number}"\nname = "Race {number}"\n'
            f'circuit = "test-circuit"\nstart_date = {day}\nend_date = {day}'
        )
        lines.append(f'[[rounds]]\nnumber = {number}\ndate = {day}\nevent = "placeholder-{number}"')
    season, _ = import_season("\n".join(lines) + "\n")
    cells, _ = read_table(
        PUBLISHED / f"{series}-{year}" / "standings.csv", series, year, guest_rows or {}
    )
    rows = [{"round": cell.pop("race"), **cell} for cell in cells]
    import_results(season, results_csv(rows), create_missing=True)
    return season


# --- the shipped record ------------------------------------------------------------------------


def shipped_record(django_db_blocker) -> Iterator[None]:
    """The shipped facts loaded once inside one transaction that is rolled back afterwards, so the
    tests that use them (each in its own savepoint, as pytest-django nests them) share one load and
    every other test still starts from an empty database. The block is marked as a test's wrapping
    block, as Django's TestCase marks its own: the code under test treats it as the test case's
    transaction that never commits (series/standings_store.py computes stored standings at once).
    Only non-transactional tests can use it (a TransactionTestCase would flush it)."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block._from_testcase = True  # Django's own marker of a test case's block
        block.__enter__()
        try:
            call_command("load_pyramid", stdout=io.StringIO())
        except BaseException:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
            raise
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
