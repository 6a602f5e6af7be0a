"""The season family's prepared queries (series, season, standings, results matrix pages) give
what the ORM's querysets give, on every database; the pages' 404s and the chart's escaping."""

from decimal import Decimal

import pytest
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from series.charts import progression_svg
from series.models import (
    Champion,
    MediaKind,
    MediaLink,
    PublishedStanding,
    Result,
    Season,
    Session,
    SessionKind,
    SessionStatus,
)
from series.selectors import results_matrix, revisions, series_page, standings
from series.selectors.seasons import (
    _CALENDAR_RACES,
    _SEASON_ENTRIES,
    _SEASON_LINKS,
    _SEASON_PUBLISHED,
    _SEASON_TITLES,
    SEASON_ROUNDS,
    season_records,
)
from series.selectors.standings import get_standings
from series.views.season import _ROUND_NAMES
from tests.factories import make_round, make_series, make_session
from tests.scenarios import build_season

pytestmark = pytest.mark.django_db


@pytest.fixture
def seasons():
    """Two series, two seasons each, with titles, published rows, links and a cancelled race."""
    made = []
    for slug in ("cup-one", "cup-two"):
        series = make_series(name=slug.title(), slug=slug)
        for year in (2022, 2023):
            season = build_season(series, year=year, rounds=2)
            made.append(season)
            Champion.objects.create(
                series=series, year=year, driver_name=f"Champ {slug} {year}", class_name="overall"
            )
            Champion.objects.create(
                series=series, year=year, driver_name=f"Am {slug} {year}", class_name="Am"
            )
            for position in (1, 2):
                PublishedStanding.objects.create(
                    season=season,
                    class_name="Overall",
                    position=position,
                    driver_name=f"Champ {slug} {year}" if position == 1 else "Second",
                    points=Decimal(100 - position),
                )
            MediaLink.objects.create(
                kind=MediaKind.LIVE,
                provider=f"TV {year}",
                url="https://example.com/",
                season=season,
            )
            MediaLink.objects.create(
                kind=MediaKind.ARCHIVE,
                provider="Archive",
                url="https://example.com/a",
                series=series,
            )
            cancelled = make_round(season, 3)
            make_session(cancelled, status=SessionStatus.CANCELLED)
            make_session(cancelled, kind=SessionKind.SPRINT, name="Sprint")
    return made


def _rows(queryset) -> list:
    """Rows comparable whatever the queryset gives: values as they are, instances by pk and the
    related objects select_related() loaded."""
    rows = []
    for row in queryset:
        if hasattr(row, "pk"):
            related = sorted(row._state.fields_cache)
            rows.append((row.pk, *(getattr(getattr(row, name), "pk", None) for name in related)))
        else:
            rows.append(row)
    return rows


def test_season_queries_give_the_orms_rows(seasons):
    checked = 0
    for season in seasons:
        for prepared, args in (
            (SEASON_ROUNDS, (season.pk,)),
            (series_page._CALENDAR, (season.pk,)),
            (_CALENDAR_RACES, (season.pk,)),
            (_SEASON_ENTRIES, (season.pk,)),
            (_SEASON_LINKS, (season.pk,)),
            (_SEASON_TITLES, (season.series_id, season.year)),
            (_SEASON_PUBLISHED, (season.pk,)),
            (_ROUND_NAMES, (season.pk,)),
            (revisions._AMENDED, (season.pk,)),
            (results_matrix._COLUMNS, (season.pk,)),
            (results_matrix._ENTRIES, (season.pk,)),
            (results_matrix._RESULTS, (season.pk,)),
            (standings._STORED_SNAPSHOT, (season.pk,)),
            (standings._STORED_ROWS, (season.pk, "drivers", "", 0)),
            (standings._STORED_ROWS, (season.pk, "teams", "", 1)),
        ):
            expected = _rows(prepared.build(*args))
            assert _rows(prepared(*args)) == expected, (prepared.build, args)
            checked += bool(expected)
    assert checked >= 13 * len(seasons)  # the rows compared are not all empty


def test_series_queries_give_the_orms_rows(seasons):
    today = timezone.localdate()
    for season in seasons:
        series = season.series
        assert _rows(series_page._SERIES(series.slug)) == _rows(
            series_page._SERIES.build(series.slug)
        )
        for prepared in (
            series_page._FEEDERS,
            series_page._CHAMPIONS,
            series_page._LINKS,
            series_page._seasons(today),
        ):
            assert _rows(prepared(series.pk)) == _rows(prepared.build(series.pk))
        # The round count (a subquery per season) is the join's count.
        assert {s.pk: s.round_count for s in series_page._seasons(today)(series.pk)} == dict(
            Season.objects.filter(series=series)
            .annotate(n=Count("rounds", distinct=True))
            .values_list("pk", "n")
        )
        assert {s.round_count for s in series_page._seasons(today)(series.pk)} == {3}
    assert [s.year for s in series_page._seasons(today)(seasons[0].series_id)] == [2023, 2022]


def test_matrix_results_by_join_are_those_of_its_columns(seasons):
    for season in seasons:
        columns = results_matrix._columns(season)
        by_ids = Result.objects.filter(
            session_id__in=[column.session_pk for column in columns]
        ).values_list("session_id", "entry_id", "position", "status", "pole", "fastest_lap")
        joined = list(results_matrix._RESULTS(season.pk))
        assert sorted(joined) == sorted(by_ids)
        assert joined
    # A cancelled race is no column, and its results (if any) not in the matrix.
    cancelled = Session.objects.filter(
        round__season=seasons[0], status=SessionStatus.CANCELLED
    ).get()
    assert cancelled.pk not in {column.session_pk for column in results_matrix._columns(seasons[0])}


def test_one_seasons_record_is_as_in_a_list_of_seasons(seasons):
    together = season_records(seasons)
    for season in seasons:
        alone = season_records([season])[season.pk]
        assert alone == together[season.pk]
        assert [champion.name for champion in alone.champions][0].startswith("Champ")
        assert alone.champions[0].published_points == Decimal(99)
        assert alone.champions[0].margin == Decimal(1)


def test_unknown_series_raises_the_same_404(seasons):
    with pytest.raises(Http404, match="No Series matches the given query."):
        series_page.series_page("no-such-series", timezone.localdate())
    assert series_page.series_page("cup-one", timezone.localdate()).series.slug == "cup-one"


@pytest.mark.parametrize("after_round", [10**30, -(10**30), 2**31])
def test_absurd_round_is_refused_not_a_database_error(seasons, after_round):
    with pytest.raises(ValueError, match="No round"):
        get_standings(seasons[0], after_round=after_round)


def test_hostile_standings_and_series_addresses_are_never_a_500(fan, seasons):
    season = seasons[0]
    base = f"/series/{season.series.slug}/{season.year}/standings/"
    for query in ("?after=99999999999999999999", "?class=%00", "?table=%FF", "?after=1&class=x"):
        assert fan.get(base + query).status_code in (200, 400, 404), query
    assert fan.get("/series/" + "x" * 500 + "/").status_code == 404


def test_chart_escapes_names_and_title():
    class Row:
        def __init__(self, name, position, points):
            self.name, self.position, self.complete = name, position, True
            self.rounds = [type("R", (), {"round": 1, "points": points})()]

    svg = progression_svg(
        [Row("<b>Anna & 'Ben'</b>", 1, Decimal(25)), Row("Carla", None, Decimal(18))],
        [1],
        title='Cup "2023" <x>',
    )
    assert "<b>" not in svg
    assert "&lt;b&gt;Anna &amp; &#x27;Ben&#x27;&lt;/b&gt;" in svg
    assert "Cup &quot;2023&quot; &lt;x&gt;" in svg
    assert "1. &lt;b&gt;Anna" in svg and "Carla (not ranked)" in svg
    assert svg.count('<g class="chart-series">') == 2
    assert "25 points after round 1" in svg


def test_pages_of_the_family_answer(fan, seasons):
    season = seasons[1]
    slug, year = season.series.slug, season.year
    for path in ("", f"{year}/", f"{year}/standings/", f"{year}/results/"):
        response = fan.get(f"/series/{slug}/{path}")
        assert response.status_code == 200, path
    html = fan.get(f"/series/{slug}/{year}/").content.decode()
    assert f"TV {year}" in html  # the season's link, read by the prepared query
