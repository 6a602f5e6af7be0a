"""Stored standings (issue #12 item 2): a season's tables are computed once per change, right after
commit, and stored; pages, API, careers, the champion check and the home page read the rows."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from series import standings as engine
from series import standings_store
from series.models import (
    Adjustment,
    Result,
    SessionKind,
    SessionStatus,
    StandingsSnapshot,
    StoredStanding,
)
from series.selectors.standings import _table, get_standings, load_season
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

pytestmark = pytest.mark.django_db


@pytest.fixture
def engine_calls(monkeypatch):
    """Counts the engine's computations (every table computed goes through compute_standings)."""
    calls = []
    real = engine.compute_standings

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "compute_standings", counting)
    return calls


def every_rule_season():
    """Guests passing points down, a drop with an undroppable last round, classes (one with its
    own drop), teams scoring their best car, a deduction and an exclusion, half points, pole and
    fastest-lap points, a sprint, and unknown results (a partial season, a row known in part)."""
    season = make_season(
        year=2024,
        results_partial=True,
        rules={
            "sprint_points": [10, 8, 6, 5, 4, 3, 2, 1],
            "pole_points": 1,
            "fastest_lap_points": 1,
            "fastest_lap_top": 10,
            "drop_worst": 1,
            "undroppable_last": 1,
            "team_cars": 1,
        },
    )
    pro = make_class(season, "Pro")
    am = make_class(season, "Am", drop_worst=2)
    red, blue = make_team(name="Red Racing"), make_team(name="Blue Racing")
    cars = {}
    for number, (key, cls, team, extra) in enumerate(
        [
            ("anna", pro, red, {}),
            ("ben", pro, blue, {}),
            ("cat", am, red, {"results_complete": False}),
            ("dan", am, blue, {}),
            ("gus", pro, None, {"guest": True}),
            ("eve", am, blue, {}),
        ],
        start=1,
    ):
        driver = make_driver(name=f"{key.title()} Stored", slug=key, nationality="FRA")
        cars[key] = make_entry(
            season, driver, team=team, season_class=cls, car_number=number, **extra
        )
    finishes = {
        1: ["gus", "anna", "ben", "cat", "dan", "eve"],
        2: ["ben", "anna", "gus", "dan", "eve"],  # cat unknown here
        3: ["anna", "dan", "ben", "eve", "gus", "cat"],
        4: ["dan", "anna", "ben", "cat", "eve", "gus"],
    }
    for number, order in finishes.items():
        round_ = make_round(season, number, multiplier=Decimal("0.5") if number == 3 else 1)
        kinds = [SessionKind.SPRINT, SessionKind.RACE] if number == 2 else [SessionKind.RACE]
        for kind in kinds:
            session = make_session(round_, kind=kind)
            for position, key in enumerate(order, start=1):
                make_result(
                    session,
                    cars[key],
                    position if not (number == 4 and key == "gus") else None,
                    status="finished" if not (number == 4 and key == "gus") else "dsq",
                    pole=position == 2,
                    fastest_lap=position == 3,
                )
    make_round(season, 5)  # still to come
    Adjustment.objects.create(
        season=season, driver=cars["ben"].driver, points=Decimal("-5"), reason="Jump start"
    )
    Adjustment.objects.create(
        season=season, driver=cars["eve"].driver, excluded=True, reason="Technical"
    )
    Adjustment.objects.create(season=season, team=blue, points=Decimal("-2.5"), reason="Late")
    return season


def test_stored_rows_equal_a_fresh_computation_for_every_table(engine_calls):
    season = every_rule_season()
    loaded = load_season(season)
    assert not loaded.complete and loaded.data.adjustments and loaded.data.classes
    tables = 0
    for table in ("drivers", "teams"):
        for class_slug in (None, "pro", "am"):
            for after_round in (None, 1, 2, 3, 4, 5):
                engine_calls.clear()
                stored = get_standings(season, table, class_slug, after_round)
                assert engine_calls == [], "a read computed a table"
                fresh = _table(loaded, table, class_slug, after_round)
                # repr, not ==: Decimal("25") == Decimal("25.00"), but a page shows each as is.
                assert repr(stored) == repr(fresh), (table, class_slug, after_round)
                tables += 1
    assert tables == 36
    rows = {row.key: row for row in get_standings(season).rows}
    # The rules were exercised: an unknown round, a dropped round, a guest, an exclusion.
    assert rows["cat"].complete is False and rows["cat"].position is None
    assert any(item.points is None for item in rows["cat"].rounds)
    assert any(item.dropped for item in rows["anna"].rounds)
    assert rows["gus"].eligible is False and rows["eve"].excluded is True
    assert rows["ben"].adjustments[0].points == Decimal("-5")


def test_unknown_points_are_stored_as_null_never_zero():
    season = make_season(year=2021, rules={"race_points": []})  # the scale is not on record
    entry = make_entry(season, make_driver(name="Nil Points"), car_number=7)
    make_result(make_session(make_round(season, 1)), entry, 1)
    stored = StoredStanding.objects.get(season=season, table="drivers", after_round=0)
    assert stored.points is None and stored.position is None
    row = get_standings(season).rows[0]
    assert row.points_unknown and row.wins == 1
    assert row.rounds[0].points is None


def two_seasons():
    supercup = make_season(make_series(name="Stored Supercup"), year=2023)
    other = make_season(make_series(name="Stored GB"), year=2023)
    for season in (supercup, other):
        session = make_session(make_round(season, 1))
        for position in (1, 2):
            make_result(session, make_entry(season, make_driver(), car_number=position), position)
    return supercup, other


def test_a_result_saved_recomputes_its_season_after_commit_and_leaves_others_alone(
    django_capture_on_commit_callbacks,
):
    supercup, other = two_seasons()
    other_rows = list(StoredStanding.objects.filter(season=other).values_list("pk", flat=True))
    other_version = StandingsSnapshot.objects.get(season=other).version
    leader = get_standings(supercup).rows[0]
    first, second = Result.objects.filter(session__round__season=supercup).order_by("position")

    stores = []
    real_store = standings_store.store

    def counting_store(pk, loaded, version):
        stores.append(pk)
        return real_store(pk, loaded, version)

    standings_store.store, saved = counting_store, standings_store.store
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            first.position = 3
            first.save()
            second.position = 1
            second.save()
            first.position = 2
            first.save()
            Adjustment.objects.create(
                season=supercup, driver=first.entry.driver, points=-1, reason="Track limits"
            )
            assert stores == []  # nothing before the commit
    finally:
        standings_store.store = saved
    assert len(callbacks) == 1
    assert stores == [supercup.pk]  # once for three saves of the season, and only that season
    rows = get_standings(supercup).rows
    assert rows[0].key == second.entry.driver.slug != leader.key
    assert rows[1].points == Decimal(20 - 1)  # second place, less the deduction
    assert list(StoredStanding.objects.filter(season=other).values_list("pk", flat=True)) == (
        other_rows
    )
    assert StandingsSnapshot.objects.get(season=other).version == other_version


def test_a_rolled_back_change_stores_nothing(django_capture_on_commit_callbacks):
    supercup, _ = two_seasons()
    before = StandingsSnapshot.objects.get(season=supercup).version
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Result.objects.filter(session__round__season=supercup).first().delete()
        raise RuntimeError("the editor's save failed")
    assert callbacks == []
    assert StandingsSnapshot.objects.get(season=supercup).version == before
    assert len(get_standings(supercup).rows) == 2


def test_rows_of_a_change_not_yet_computed_are_recomputed_by_the_reader(engine_calls):
    supercup, other = two_seasons()
    # A change whose after-commit computation has not run (a test's transaction never commits).
    with transaction.atomic():
        Result.objects.filter(session__round__season=supercup, position=2).update(position=3)
        from series.versions import stamp_season_record

        stamp_season_record(supercup)
    engine_calls.clear()
    table = get_standings(supercup)
    assert engine_calls, "stale rows were served"
    assert repr(table) == repr(_table(load_season(supercup), "drivers", None, None))
    assert sorted(row.points for row in table.rows) == [17, 25]  # third place: 17 points
    engine_calls.clear()
    get_standings(other)
    get_standings(supercup, after_round=1)
    assert engine_calls == []  # the other season's rows, and the recomputed ones, are current


def test_a_drivers_rename_reaches_the_stored_rows():
    supercup, _ = two_seasons()
    driver = Result.objects.get(session__round__season=supercup, position=1).entry.driver
    driver.name = "Renamed Driver"
    driver.save()
    assert get_standings(supercup).rows[0].name == "Renamed Driver"


def career_of(seasons: int):
    driver = make_driver(name=f"Long Career {seasons}")
    for year in range(1990, 1990 + seasons):
        season = make_season(make_series(name=f"Career Cup {seasons} {year}"), year=year)
        session = make_session(make_round(season, 1))
        place = 1 + year % 2
        make_result(session, make_entry(season, driver, car_number=1), place)
        make_result(session, make_entry(season, make_driver(), car_number=2), 3 - place)
    return driver


def test_a_driver_page_with_30_seasons_reads_rows_in_fixed_queries_and_computes_nothing(
    fan, engine_calls
):
    counts = []
    for seasons in (1, 30):
        driver = career_of(seasons)
        engine_calls.clear()
        with CaptureQueriesContext(connection) as queries:
            response = fan.get(f"/drivers/{driver.slug}/")
        assert response.status_code == 200
        assert engine_calls == [], "the driver page computed a table"
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    stored = [q["sql"] for q in queries.captured_queries if "storedstanding" in q["sql"]]
    assert len(stored) == 1, stored  # every season's final row in one query


def test_a_career_season_without_rows_is_computed_once():
    driver = career_of(3)
    season = driver.entries.order_by("season__year").first().season
    StandingsSnapshot.objects.filter(season=season).delete()
    StoredStanding.objects.filter(season=season).delete()
    from series.selectors.drivers import driver_page

    page = driver_page(driver)
    assert [line.position for line in page.seasons if line.season.pk == season.pk] != [None]
    assert StandingsSnapshot.objects.filter(season=season).exists()


def test_rebuild_standings_command_rebuilds_all_or_one_season():
    supercup, other = two_seasons()
    StoredStanding.objects.all().delete()
    StandingsSnapshot.objects.all().delete()
    call_command("rebuild_standings", "--series", supercup.series.slug, "--year", "2023")
    assert (
        StoredStanding.objects.filter(season=supercup).count() == 2 * 2
    )  # drivers x (final, after round 1); no teams
    assert not StoredStanding.objects.filter(season=other).exists()
    call_command("rebuild_standings", "--stale")
    assert StoredStanding.objects.filter(season=other).exists()
    with pytest.raises(CommandError):
        call_command("rebuild_standings", "--series", supercup.series.slug)
    with pytest.raises(CommandError):
        call_command("rebuild_standings", "--series", "nope", "--year", "2023")


def test_data_the_engine_refuses_is_refused_as_before():
    season = make_season(year=2022)
    outsider = make_driver(name="No Entry Here")
    make_entry(season, make_driver(), car_number=1)
    Adjustment.objects.create(season=season, driver=outsider, points=-3, reason="Not entered")
    assert not StandingsSnapshot.objects.filter(season=season).exists()
    with pytest.raises(ValueError, match="no entry in this season"):
        get_standings(season)


def test_a_session_made_final_changes_the_stored_completeness():
    season = make_season(year=2020)
    session = make_session(make_round(season, 1), status=SessionStatus.PROVISIONAL)
    make_result(session, make_entry(season, make_driver(), car_number=1), 1)
    assert get_standings(season).complete is False
    session.status = SessionStatus.FINAL
    session.save()
    assert get_standings(season).complete is True


@pytest.mark.django_db(transaction=True)
def test_real_commits_leave_current_rows_that_readers_do_not_recompute(engine_calls):
    supercup, other = two_seasons()  # every factory save commits on its own (autocommit)
    assert standings_store.freshness([supercup.pk, other.pk]) == {
        supercup.pk: True,
        other.pk: True,
    }
    loser = Result.objects.get(session__round__season=supercup, position=2)
    with transaction.atomic():  # an editor's save: computed once, after its commit
        Adjustment.objects.create(
            season=supercup, driver=loser.entry.driver, points=30, reason="Appeal upheld"
        )
        assert standings_store.freshness([supercup.pk]) == {supercup.pk: False}
    assert standings_store.freshness([supercup.pk]) == {supercup.pk: True}
    engine_calls.clear()
    assert get_standings(supercup).rows[0].key == loser.entry.driver.slug
    assert engine_calls == []
