"""The standings API: the contract of the standings issue, bad parameters, caching, query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from series.models import Result, SessionStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def _season_with_results(rounds: int = 2, cars: int = 4, year: int = 2023):
    season = f.make_season(year=year)
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
            f.make_result(session, entry, position)
    return season, entries


def _url(season, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/v1/series/{season.series.slug}/{season.year}/standings/" + (
        f"?{query}" if query else ""
    )


def test_drivers_table_follows_the_contract(fan):
    season, entries = _season_with_results()
    response = fan.get(_url(season))
    assert response.status_code == 200
    body = response.json()
    assert body["series"] == season.series.slug
    assert body["year"] == 2023
    assert body["table"] == "drivers"
    assert body["class"] is None
    assert body["after_round"] is None
    assert body["complete"] is True
    leader = body["rows"][0]
    assert leader["position"] == 1
    assert leader["driver"]["slug"] == entries[0].driver.slug
    assert leader["points"] == 50
    assert leader["wins"] == 2
    assert leader["eligible"] is True
    assert [r["round"] for r in leader["rounds"]] == [1, 2]
    assert leader["rounds"][0] == {"round": 1, "points": 25, "dropped": False}


def test_class_and_after_round_narrow_the_table(fan):
    season, entries = _season_with_results()
    body = fan.get(_url(season, **{"class": "am", "after": 1})).json()
    assert body["class"] == "am"
    assert body["after_round"] == 1
    assert {row["driver"]["slug"] for row in body["rows"]} == {
        entries[1].driver.slug,
        entries[3].driver.slug,
    }
    assert all(len(row["rounds"]) == 1 for row in body["rows"])


def test_teams_table_names_teams(fan):
    season, entries = _season_with_results()
    body = fan.get(_url(season, table="teams")).json()
    assert body["rows"][0]["team"]["slug"] == entries[0].team.slug
    assert "driver" not in body["rows"][0] or body["rows"][0]["driver"] is None


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"table": "x"}, "table"),
        ({"class": "nope"}, "nope"),
        ({"after": "abc"}, "after"),
        ({"after": "0"}, "after"),
        ({"after": "99"}, "99"),
    ],
)
def test_bad_parameters_get_a_400_with_a_message(fan, params, words):
    season, _ = _season_with_results()
    response = fan.get(_url(season, **params))
    assert response.status_code == 400
    assert words in response.json()["detail"]


def test_unknown_season_is_a_404(fan):
    season, _ = _season_with_results()
    assert fan.get(f"/api/v1/series/{season.series.slug}/1999/standings/").status_code == 404
    assert fan.get("/api/v1/series/no-such-series/2023/standings/").status_code == 404


def test_incomplete_season_says_so(fan):
    season, entries = _season_with_results()
    session = season.rounds.get(number=2).sessions.get()
    session.status = SessionStatus.PROVISIONAL
    session.save()
    assert fan.get(_url(season)).json()["complete"] is False


def test_a_saved_result_shows_at_once(fan):
    season, entries = _season_with_results()
    assert fan.get(_url(season)).json()["rows"][0]["points"] == 50
    # The cached table must not survive an editor's save.
    result = Result.objects.get(session__round__number=2, entry=entries[0])
    other = Result.objects.get(session__round__number=2, entry=entries[1])
    result.position, other.position = None, 1
    result.status = "retired"
    result.save()
    other.save()
    rows = fan.get(_url(season)).json()["rows"]
    assert rows[0]["points"] == 45  # 20 + 25 for the second car
    assert rows[0]["driver"]["slug"] == entries[1].driver.slug


def test_standings_are_computed_once_per_change(fan):
    season, _ = _season_with_results()
    fan.get(_url(season))
    with CaptureQueriesContext(connection) as cached:
        fan.get(_url(season))
    # Once the answer is cached (series/api/middleware.py), only the season's version is read.
    assert len(cached) == 1


def test_query_budget_does_not_grow_with_the_season(fan):
    small, _ = _season_with_results(rounds=1, cars=2, year=2022)
    large, _ = _season_with_results(rounds=6, cars=20, year=2023)
    counts = []
    for season in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert fan.get(_url(season)).status_code == 200
        counts.append(len(queries))
    # season (+series, scoring, state), the site version, the stored overall table (the asked
    # one when it is not that), titles, published rows — the same whatever the size.
    assert counts[0] == counts[1]
