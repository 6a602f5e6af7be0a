"""pcc/prepared.py: a queryset compiled once gives, for any arguments, what the queryset gives."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.test.utils import CaptureQueriesContext

from pcc.prepared import NotPreparable, Prepared
from series.models import Driver, Entry, Result, Round, Season
from tests.factories import (
    make_driver,
    make_entry,
    make_result,
    make_round,
    make_season,
    make_series,
    make_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    seasons = {}
    for slug in ("supercup", "carrera-cup-gb"):
        series = make_series(slug=slug, name=slug.title())
        for year in (2022, 2023):
            season = make_season(series=series, year=year)
            seasons[slug, year] = season
            race = make_session(make_round(season, 1))
            for position in (1, 2, 3):
                driver = make_driver(f"{slug} {year} driver {position}")
                make_result(race, make_entry(season, driver), position)
            make_round(season, 2)
    return seasons


ROUNDS = Prepared(
    lambda series, year: (
        Round.objects.filter(season__series__slug=series, season__year=year)
        .order_by("number")
        .values("number", "season__year", "season__series__slug")
    )
)
WINNERS = Prepared(
    lambda series, position: (
        Result.objects.filter(session__round__season__series__slug=series, position=position)
        .select_related("entry__driver", "session__round__season")
        .order_by("session__round__season__year")
    )
)
NAMES = Prepared(
    lambda season_id: (
        Entry.objects.filter(season_id=season_id)
        .order_by("driver__name")
        .values_list("driver__name", flat=True)
    )
)
COUNTS = Prepared(
    lambda series: (
        Season.objects.filter(series__slug=series)
        .annotate(n_entries=Count("entries"))
        .order_by("-year")
        .values_list("year", "n_entries")
    )
)


def test_rows_are_the_querysets_for_every_argument(record):
    for slug in ("supercup", "carrera-cup-gb", "nothing"):
        for year in (2022, 2023, 1999):
            expected = list(ROUNDS.build(slug, year))
            assert list(ROUNDS(slug, year)) == expected
            with pytest.raises(TypeError):  # its query holds the stand-ins
                ROUNDS(slug, year).count()
    assert [row["number"] for row in ROUNDS("supercup", 2023)] == [1, 2]
    season = record["carrera-cup-gb", 2023]
    assert list(NAMES(season.pk)) == list(NAMES.build(season.pk))
    assert list(NAMES(season.pk))[0].startswith("carrera-cup-gb 2023 driver")
    assert list(COUNTS("supercup")) == [(2023, 3), (2022, 3)]


def test_model_instances_come_with_their_related_objects(record):
    winners = list(WINNERS("carrera-cup-gb", 1))
    assert [w.session.round.season.year for w in winners] == [2022, 2023]
    with CaptureQueriesContext(connection) as queries:
        names = [w.entry.driver.name for w in winners]
    assert names == ["carrera-cup-gb 2022 driver 1", "carrera-cup-gb 2023 driver 1"]
    assert len(queries) == 0  # select_related kept
    assert [w.pk for w in WINNERS("supercup", 3)] == [w.pk for w in WINNERS.build("supercup", 3)]


def test_prefetched_relations_are_kept(record):
    seasons = Prepared(
        lambda slug: (
            Season.objects.filter(series__slug=slug)
            .order_by("year")
            .prefetch_related(Prefetch("entries", queryset=Entry.objects.order_by("driver__name")))
        )
    )
    found = list(seasons("supercup"))
    with CaptureQueriesContext(connection) as queries:
        counts = [len(season.entries.all()) for season in found]
    assert counts == [3, 3] and len(queries) == 0


def test_compiled_once_then_only_run(record):
    ROUNDS("supercup", 2022)
    shape = next(iter(ROUNDS._shapes.values()))
    compiled = shape.compiler.as_sql
    ROUNDS("carrera-cup-gb", 2023)
    assert shape.compiler.as_sql == compiled  # the shared compiler is never rebound
    with CaptureQueriesContext(connection) as queries:
        list(ROUNDS("carrera-cup-gb", 2023))
    (query,) = queries.captured_queries
    assert "carrera-cup-gb" in query["sql"] and "2023" in query["sql"]


def test_other_kinds_of_argument_build_the_queryset_as_usual(record):
    year_of = Prepared(lambda year: Round.objects.filter(season__year=year))
    assert list(year_of(None)) == []  # IS NULL, as the queryset says
    assert len(year_of(2022)) == 4
    after = Prepared(lambda day: Round.objects.filter(event__start_date__gte=day))
    assert len(after(dt.date(1990, 1, 1))) == 8
    pks = Prepared(lambda ids: Driver.objects.filter(pk__in=ids).order_by("pk"))
    assert list(pks([])) == []
    first = Driver.objects.order_by("pk").first()
    assert list(pks([first.pk])) == [first]


def test_a_constant_equal_to_a_stand_in_stays_a_constant(record):
    """The stand-ins are only ever compared: a query's own number equal to one is not replaced."""
    from pcc import prepared

    constant = prepared._INT_STAND_INS[0]
    either = Prepared(
        lambda number: Round.objects.filter(Q(number=number) | Q(number=constant)).order_by("pk")
    )
    assert [r.pk for r in either(2)] == [r.pk for r in either.build(2)]
    assert len(either(2)) == 4


def test_numbers_no_column_holds_are_no_rows(record):
    """A hostile ?round=99999999999999999999999 finds nothing rather than failing."""
    for number in (2**15, 2**31, 2**63, -(2**70), 10**30):
        assert list(ROUNDS("supercup", number)) == []


def test_an_argument_the_orm_rewrites_is_refused(record):
    like = Prepared(lambda text: Driver.objects.filter(name__icontains=text))
    with pytest.raises(NotPreparable):
        list(like("driver"))
    unused = Prepared(lambda text: Driver.objects.all())
    with pytest.raises(NotPreparable):
        list(unused("driver"))


@pytest.mark.django_db(transaction=True)
def test_threads_get_their_own_connection_and_arguments(record):
    """A shape compiled on one thread runs on another with that thread's connection."""
    ROUNDS("supercup", 2022)
    answers = {}

    def ask(slug, year):
        try:
            answers[slug, year] = [row["season__series__slug"] for row in ROUNDS(slug, year)]
        finally:
            connection.close()

    threads = [
        threading.Thread(target=ask, args=key)
        for key in (("supercup", 2023), ("carrera-cup-gb", 2022))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {
        ("supercup", 2023): ["supercup", "supercup"],
        ("carrera-cup-gb", 2022): ["carrera-cup-gb", "carrera-cup-gb"],
    }


def test_the_series_filter_lists_every_series_top_tier_first(record):
    from series.models import Series
    from series.selectors.pyramid import _SERIES_OPTIONS, series_options

    assert series_options() == list(Series.objects.order_by("tier", "name"))
    assert len(series_options()) == 2 and _SERIES_OPTIONS._shapes
