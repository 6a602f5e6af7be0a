"""CSV downloads: standings as a spreadsheet, and session results that import again unchanged."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from series.imports.api import import_results
from series.imports.result_rows import RESULT_COLUMNS
from series.models import Result, ResultStatus
from tests import factories as f
from tests.scenarios import build_two_class_season as build_season

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_standings_csv_is_an_attachment_with_a_header_and_a_column_per_round(fan):
    season, entries = build_season(year=2023, cars=4, rounds=2)
    url = reverse("season-standings-csv", args=[season.series.slug, 2023])
    response = fan.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{season.series.slug}-2023-drivers-standings.csv"'
    )
    header = response.content.decode().splitlines()[0].split(",")
    assert header == [
        "position",
        "driver",
        "name",
        "nationality",
        "points",
        "wins",
        "podiums",
        "gap",
        "eligible",
        "excluded",
        "complete",
        "points_known",
        "wins_known",
        "podiums_known",
        "r1",
        "r2",
    ]
    leader = _rows(response)[0]
    assert leader["driver"] == entries[0].driver.slug
    assert (leader["position"], leader["points"], leader["wins"]) == ("1", "50", "2")
    assert (leader["r1"], leader["r2"]) == ("25", "25")
    assert _rows(response)[1]["gap"] == "10"


def test_standings_csv_narrows_by_table_class_and_round(fan):
    season, entries = build_season(year=2023, cars=4, rounds=2)
    url = reverse("season-standings-csv", args=[season.series.slug, 2023])
    response = fan.get(url, {"class": "am", "after": "1"})
    assert "am-after-round-1" in response["Content-Disposition"]
    rows = _rows(response)
    assert {row["driver"] for row in rows} == {entries[1].driver.slug, entries[3].driver.slug}
    assert "r2" not in rows[0]
    teams = _rows(fan.get(url, {"table": "teams"}))
    assert teams[0]["team"] == entries[0].team.slug


def test_standings_csv_brackets_dropped_rounds(fan):
    season, entries = build_season(year=2023, cars=2, rounds=3)
    season.scoring.drop_worst = 1
    season.scoring.save()
    # The leader finishes second once: that round is the one dropped.
    session = season.rounds.get(number=2).sessions.get()
    first, second = session.results.get(entry=entries[0]), session.results.get(entry=entries[1])
    first.position, second.position = None, None
    first.save()
    second.save()
    first.position, second.position = 2, 1
    first.save()
    second.save()
    url = reverse("season-standings-csv", args=[season.series.slug, 2023])
    leader = _rows(fan.get(url))[0]
    assert leader["driver"] == entries[0].driver.slug
    assert (leader["r1"], leader["r2"], leader["r3"]) == ("25", "(20)", "25")
    assert leader["points"] == "50"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"table": "cars"}, "table"),
        ({"class": "rookie"}, "rookie"),
        ({"after": "x"}, "after"),
        ({"after": "0"}, "after"),
        ({"after": "9"}, "9"),
    ],
)
def test_standings_csv_bad_parameters_get_a_400_in_words(fan, query, words):
    season, _ = build_season(year=2023)
    response = fan.get(reverse("season-standings-csv", args=[season.series.slug, 2023]), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert words in response.content.decode()


def test_unknown_season_or_session_is_a_404(fan):
    season, _ = build_season(year=2023)
    assert (
        fan.get(reverse("season-standings-csv", args=[season.series.slug, 1999])).status_code == 404
    )
    assert (
        fan.get(reverse("session-results-csv", args=["no-event", "no-session"])).status_code == 404
    )


def _session_with_details():
    season, entries = build_season(year=2023, cars=3, rounds=1)
    session = season.rounds.get().sessions.get()
    winner = session.results.get(entry=entries[0])
    winner.race_time = dt.timedelta(minutes=38, seconds=12.345)
    winner.best_lap = dt.timedelta(minutes=1, seconds=38.765)
    winner.grid, winner.pole, winner.fastest_lap = 1, True, True
    winner.save()
    last = session.results.get(entry=entries[2])
    last.position, last.status, last.gap = None, ResultStatus.RETIRED, "5 laps"
    last.save()
    return season, session, entries


def test_results_csv_uses_the_import_columns(fan):
    season, session, entries = _session_with_details()
    response = fan.get(reverse("session-results-csv", args=[session.event.slug, session.slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{session.event.slug}-{session.slug}-results.csv"'
    )
    assert response.content.decode().splitlines()[0] == ",".join(RESULT_COLUMNS)
    rows = _rows(response)
    assert [row["position"] for row in rows] == ["1", "2", ""]
    winner = rows[0]
    assert winner["round"] == "1"
    assert winner["session"] == session.slug
    assert winner["driver"] == entries[0].driver.name
    assert winner["class"] == "Pro"
    assert winner["time"] == "38:12.345"
    assert winner["best_lap"] == "1:38.765"
    assert (winner["pole"], winner["fastest_lap"], winner["guest"]) == ("yes", "yes", "no")
    assert rows[2]["status"] == "retired"


def test_results_csv_imports_again_to_the_same_results(fan):
    season, session, _ = _session_with_details()
    url = reverse("session-results-csv", args=[session.event.slug, session.slug])
    before = fan.get(url).content

    fields = ["entry_id", "position", "status", "race_time", "best_lap", "grid", "pole", "laps"]
    stored = sorted(Result.objects.filter(session=session).values_list(*fields))
    import_results(season, before.decode())

    assert sorted(Result.objects.filter(session=session).values_list(*fields)) == stored
    assert fan.get(url).content == before


def test_results_csv_of_a_session_without_results_is_just_the_header(fan):
    season, _ = build_season(year=2023)
    extra = f.make_session(season.rounds.get(), kind="qualifying", name="Qualifying 1")
    response = fan.get(reverse("session-results-csv", args=[extra.event.slug, extra.slug]))
    assert response.content.decode() == ",".join(RESULT_COLUMNS) + "\n"
