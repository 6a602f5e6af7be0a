"""bench/synthetic.py: the counts asked for, named as made up, reproducible by seed, its pages
answering like any other, its standings stored; a second run and a database that is not the
benchmark's are refused."""

import datetime as dt

import pytest
from django.db import transaction

from bench import synthetic
from series.models import (
    Circuit,
    Driver,
    Entry,
    Event,
    Result,
    Round,
    Season,
    Series,
    Session,
    SiteVersion,
    StoredStanding,
    Team,
)
from series.selectors.cache import site_version
from tests import factories as f

pytestmark = pytest.mark.django_db


def _generate(seed: int = 1) -> synthetic.Counts:
    return synthetic.generate(series=2, seasons=2, rounds=2, cars=4, seed=seed)


@pytest.fixture
def real_season():
    """A little of the real record, so the listings have something to show."""
    season = f.make_season(f.make_series(name="Porsche Carrera Cup Realland"), year=2024)
    entry = f.make_entry(season, f.make_driver("Real Racer"), car_number=3)
    session = f.make_session(f.make_round(season, 1))
    f.make_result(session, entry, 1)
    return season


def test_tiny_history_has_the_counts_asked_for():
    _generate()
    assert Series.objects.count() == 2
    assert Season.objects.count() == 2 * 2
    assert Round.objects.count() == 2 * 2 * 2
    assert Session.objects.count() == 2 * 2 * 2
    assert Entry.objects.count() == 2 * 2 * 4
    assert Result.objects.count() == 2 * 2 * 2 * 4
    # Two rounds make one weekend per season.
    assert Event.objects.count() == 2 * 2
    # Every race has one winner and every car one result.
    assert Result.objects.filter(position=1).count() == 8
    for session in Session.objects.all():
        assert session.results.count() == 4


def test_everything_generated_is_named_synthetic():
    _generate()
    for model in (Series, Season, Circuit, Event, Driver, Team):
        assert model.objects.exists(), model
    for model in (Series, Circuit, Event, Driver, Team):
        assert all(
            name.startswith("Synthetic") for name in model.objects.values_list("name", flat=True)
        )


def test_site_version_is_raised_once_not_per_row():
    before = site_version()
    _generate()
    assert site_version() == before + 1
    assert SiteVersion.objects.count() == 1


def test_listings_show_the_generated_history_beside_the_record(fan, real_season):
    """The scale benchmark measures the listings with the history visible: nothing hides it."""
    _generate()
    assert b"Synthetic Cup 001" in fan.get("/pyramid/").content
    assert b"Real Racer" in fan.get("/drivers/").content
    assert b"Porsche Carrera Cup Realland" in fan.get("/pyramid/").content


def test_synthetic_detail_pages_answer_by_address(fan):
    _generate()
    season = Season.objects.order_by("-year").first()
    driver = Entry.objects.filter(season=season).first().driver
    session = Session.objects.filter(round__season=season).select_related("event").first()
    for url in (
        f"/series/{season.series.slug}/",
        f"/series/{season.series.slug}/{season.year}/",
        f"/series/{season.series.slug}/{season.year}/standings/",
        f"/series/{season.series.slug}/{season.year}/results/",
        f"/events/{session.event.slug}/",
        f"/events/{session.event.slug}/{session.slug}/",
        f"/drivers/{driver.slug}/",
        f"/circuits/{session.event.circuit.slug}/",
    ):
        assert fan.get(url).status_code == 200, url


def test_second_run_refuses_and_writes_nothing():
    _generate()
    with pytest.raises(synthetic.Refused, match="already loaded"):
        _generate()
    assert Result.objects.count() == 32


def _history_of_seed(seed: int) -> list[int]:
    """The car numbers of every result of a history generated with `seed`, then undone (a
    savepoint rolled back: nothing of it stays for the next generation)."""
    with transaction.atomic():
        _generate(seed=seed)
        numbers = list(
            Result.objects.order_by(
                "session__event__slug", "session__slug", "position", "entry__car_number"
            ).values_list("entry__car_number", flat=True)
        )
        transaction.set_rollback(True)
    return numbers


def test_same_seed_makes_the_same_history():
    first = _history_of_seed(7)
    assert first and not Result.objects.exists()
    assert _history_of_seed(7) == first


@pytest.mark.parametrize(
    "option, value",
    [("--seasons", 0), ("--seasons", 200), ("--cars", 1), ("--rounds", 0)],
)
def test_impossible_sizes_are_refused_with_a_message(option, value):
    sizes = {"series": 2, "seasons": 2, "rounds": 2, "cars": 4, option.strip("-"): value}
    with pytest.raises(synthetic.Refused, match=option):
        synthetic.generate(**sizes)
    assert not Series.objects.exists()


@pytest.mark.parametrize(
    "name, is_bench",
    [
        ("pcc_bench", True),
        ("/var/cache/pcc-bench/bench.sqlite3", True),
        ("pcc", False),
        ("/srv/pcc/var/pcc.sqlite3", False),
        ("/srv/bench/pcc.sqlite3", False),
        ("", False),
        (None, False),
    ],
)
def test_only_a_benchmark_database_is_accepted(name, is_bench):
    assert synthetic.is_bench_database(name) is is_bench


def test_the_script_refuses_the_test_database_and_writes_nothing(capsys):
    """The test database has no "bench" in its name: the script stops before writing."""
    assert synthetic.main(["--series", "1", "--seasons", "1", "--cars", "2"]) == 2
    assert "not a benchmark database" in capsys.readouterr().err
    assert not Series.objects.exists()


def test_every_generated_season_gets_its_stored_standings():
    _generate()
    assert not StoredStanding.objects.exists()
    assert synthetic.store_standings() == 4
    seasons = set(StoredStanding.objects.values_list("season_id", flat=True))
    assert seasons == set(Season.objects.values_list("pk", flat=True))
    # Stored already: a second call computes nothing.
    assert synthetic.store_standings() == 0


def test_seasons_end_in_2024_and_dates_stay_in_their_year():
    _generate()
    assert sorted(set(Season.objects.values_list("year", flat=True))) == [2023, 2024]
    for round_ in Round.objects.select_related("season", "event"):
        assert round_.date.year == round_.season.year
        assert round_.event.start_date <= round_.date <= round_.event.end_date
    assert Event.objects.filter(end_date__lt=dt.date(2023, 1, 1)).count() == 0
