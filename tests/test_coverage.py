"""The coverage view: per series and year, calendar, winners, full results and champion, each held,
partial or missing, computed from the rows; and a season page for every year with a champion."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from series.models import Champion, Result, Season, TitleKind
from series.selectors.coverage import HELD, MISSING, PARTIAL, TO_COME, coverage, year_coverage
from tests.factories import make_round, make_season, make_series, make_session
from tests.test_pages_season import build_season

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def cells(series, year):
    item = year_coverage(series, year, TODAY)
    return (item.calendar.state, item.winners.state, item.results.state, item.champion.state)


def test_cells_follow_the_rows():
    series = make_series(name="Carrera Cup Testland", first_year=2020)
    # 2023: three rounds with full results, champion on record -> all held.
    build_season(series, year=2023)
    Champion.objects.create(series=series, year=2023, driver_name="Champ")
    assert cells(series, 2023) == (HELD, HELD, HELD, HELD)
    # 2024: rounds 1, 2 and 4 entered (3 missing), only round 1's winner, partial season.
    season = make_season(series, year=2024, results_partial=True)
    for number in (1, 2, 4):
        make_session(make_round(season, number))
    winner_source = Season.objects.get(series=series, year=2023).entries.first()
    first_race = season.rounds.get(number=1).sessions.get()
    entry = season.entries.create(driver=winner_source.driver)
    Result.objects.create(session=first_race, entry=entry, position=1)
    Champion.objects.create(series=series, year=2024, class_name="Am", driver_name="Am Champ")
    item = year_coverage(series, 2024, TODAY)
    assert (item.calendar.state, item.calendar.detail) == (PARTIAL, "3 of 4 rounds")
    assert (item.winners.state, item.winners.detail) == (PARTIAL, "1 of 3 races")
    assert item.results.state == PARTIAL
    assert (item.champion.state, item.champion.detail) == (PARTIAL, "classes only")
    # 2022: nothing -> a year between the first year and the latest, all missing.
    assert cells(series, 2022) == (MISSING, MISSING, MISSING, MISSING)
    assert not year_coverage(series, 2022, TODAY).has_page
    # 2026: a calendar whose races are still to come by the given day.
    future = make_season(series, year=2026)
    make_session(make_round(future, 1, date=dt.date(2026, 12, 20)), date=dt.date(2026, 12, 20))
    assert cells(series, 2026) == (HELD, TO_COME, TO_COME, TO_COME)
    # The years run from the series' first year to its latest season.
    years = [item.year for item in coverage(TODAY, series)[0].years]
    assert years == [2026, 2025, 2024, 2023, 2022, 2021, 2020]


def test_a_cancelled_year_is_no_title_not_missing():
    series = make_series(name="Carrera Cup Asia Test", first_year=2019)
    Champion.objects.create(
        series=series, year=2020, driver_name="(season cancelled)", kind=TitleKind.CANCELLED
    )
    item = year_coverage(series, 2020, TODAY)
    assert item.champion.label == "no title" and item.has_page


def test_coverage_pages_render_and_link_every_series(fan):
    series = make_series(name="Carrera Cup Testland", first_year=2021)
    build_season(series, year=2023)
    empty = make_series(name="Empty Cup")
    html = fan.get("/coverage/").content.decode()
    assert f'href="/coverage/{series.slug}/"' in html and f'href="/coverage/{empty.slug}/"' in html
    assert "nothing on record yet" in html
    html = fan.get(f"/coverage/{series.slug}/").content.decode()
    assert f'href="/series/{series.slug}/2023/"' in html
    assert ">2021<" in html  # a year with nothing: no link
    assert "cov-missing" in html and "cov-held" in html
    assert fan.get("/coverage/no-such-series/").status_code == 404


def test_coverage_query_count_does_not_grow_with_seasons(fan):
    """Prevents an n+1. Queries: the series; the seasons with their rounds; their races run;
    the champion rows."""
    series = make_series(name="Carrera Cup Testland", first_year=1990)
    build_season(series, year=2023)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert fan.get("/coverage/").status_code == 200
        return len(queries)

    one = count()
    for year in range(2000, 2010):
        build_season(series, year=year, rounds=2)
    assert count() == one == 4


def test_a_year_with_only_a_champion_gets_a_page_not_a_404(fan):
    series = make_series(name="Porsche Supercup Test", first_year=1993)
    Champion.objects.create(
        series=series, year=2024, driver_name="Larry ten Voorde", team="Schumacher CLRT"
    )
    response = fan.get(f"/series/{series.slug}/2024/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Larry ten Voorde" in html and "calendar and results are not on the site yet" in html
    assert "Calendar: <strong>missing</strong>" in html
    assert fan.get(f"/series/{series.slug}/2019/").status_code == 404


def test_shipped_facts_supercup_2024_answers():
    call_command("load_pyramid", stdout=io.StringIO())
    from django.test import Client

    client = Client()
    response = client.get("/series/supercup/2024/")
    assert response.status_code == 200
    assert "Larry ten Voorde" in response.content.decode()
    rows = {item.series.slug: item for item in coverage(TODAY)}
    supercup = rows["supercup"]
    assert supercup.summary["champion"][0] >= 33  # 1993-2025 overall titles
    assert client.get("/coverage/").status_code == 200
