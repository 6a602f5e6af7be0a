"""Truth audit, standings side (issue #9): a partial season with unknown results, a guest, a
cancelled round, a provisional race and a round to come. No unknown result is rendered or exported
as 0 on the season overview, the standings page and its fragment, the results matrix, the
standings API and CSV; computed figures beside official ones are labelled; page, API and CSV give
the same figure for every standings cell (points, position, per-round cells, completeness)."""

import csv
import io
import re
from decimal import Decimal

import pytest

from series.models import Champion, PublishedStanding, SessionStatus
from tests.factories import (
    make_driver,
    make_entry,
    make_result,
    make_round,
    make_season,
    make_series,
    make_session,
    make_team,
)

SERIES = "truth-cup"
BASE = f"/series/{SERIES}/2023/"
API = f"/api/v1/series/{SERIES}/2023/standings/"
CSV = f"/series/{SERIES}/2023/standings.csv"

# Round by round (R3 cancelled, R4 provisional, R5 to come). Cat's row is known for R1 only; Dan
# (complete) raced only R1, so he did not take part later; Gus is a guest.
FINISHES = {
    1: ["anna", "gus", "ben", "cat", "dan"],
    2: ["ben", "anna", "gus"],
    4: ["anna", "ben"],
}


@pytest.fixture
def partial(db):
    return build_partial()


def build_partial():
    """The partial season of the module docstring: (season, sessions by round number)."""
    series = make_series(name="Truth Cup", slug=SERIES)
    season = make_season(series, 2023, results_partial=True, results_note="Cat's row: R1 only.")
    red, blue = make_team(name="Red"), make_team(name="Blue")
    drivers = {
        key: make_driver(name=f"{key.title()} Driver", slug=key)
        for key in ("anna", "ben", "cat", "dan", "gus")
    }
    entries = {
        "anna": make_entry(season, drivers["anna"], team=red, car_number=1),
        "ben": make_entry(season, drivers["ben"], team=blue, car_number=2),
        "cat": make_entry(season, drivers["cat"], team=red, car_number=3, results_complete=False),
        "dan": make_entry(season, drivers["dan"], team=blue, car_number=4),
        "gus": make_entry(season, drivers["gus"], car_number=5, guest=True),
    }
    sessions = {}
    for number in range(1, 6):
        round_ = make_round(season, number)
        status = {
            3: SessionStatus.CANCELLED,
            4: SessionStatus.PROVISIONAL,
            5: SessionStatus.SCHEDULED,
        }.get(number, SessionStatus.FINAL)
        sessions[number] = make_session(round_, status=status)
    for number, order in FINISHES.items():
        for position, key in enumerate(order, start=1):
            make_result(sessions[number], entries[key], position)
    return season, sessions


def _finish(season, sessions):
    """The same season, finished: R4 final, R5 dropped; a champion and a published table."""
    sessions[4].status = SessionStatus.FINAL
    sessions[4].save()
    sessions[5].round.delete()
    Champion.objects.create(
        series=season.series, year=2023, driver_id=None, driver_name="Anna Driver"
    )
    PublishedStanding.objects.create(
        season=season, position=1, driver_name="Anna Driver", points=Decimal(99)
    )
    PublishedStanding.objects.create(
        season=season, position=2, driver_name="Ben Driver", points=Decimal(80)
    )


HIDDEN = re.compile(r'<span class="visually-hidden">.*?</span>', re.S)
TAGS = re.compile(r"<[^>]+>")


def _text(html: str, joiner: str = " ") -> str:
    return " ".join(TAGS.sub(joiner, HIDDEN.sub("", html)).split())


def _row(html: str, key: str) -> list[str]:
    """The visible text of each cell of the row of `key`."""
    match = re.search(rf'<tr[^>]*data-key="{key}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row for {key}"
    return [
        _text(cell, "") for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", match.group(1), re.S)
    ]


def _hidden(html: str, key: str) -> str:
    match = re.search(rf'<tr[^>]*data-key="{key}"[^>]*>(.*?)</tr>', html, re.S)
    return match.group(1)


def _csv(client, url=CSV) -> dict[str, dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    return {
        row.get("driver") or row.get("team"): row
        for row in csv.DictReader(io.StringIO(response.content.decode()))
    }


# --- no unknown result is a 0 ------------------------------------------------------------------


def test_standings_page_and_fragment_mark_unknown_never_zero(fan, partial):
    for headers in ({}, {"HX-Request": "true"}):
        html = fan.get(BASE + "standings/", headers=headers).content.decode()
        # Pos, Driver, Points, Gap, W, Pod, R1..R5
        cells = _row(html, "cat")
        assert cells[0] == "?"
        # R1: 4th behind a guest, so 3rd place's 17 points (pass-down); the known rounds only.
        assert cells[2] == "17+?"
        rounds = cells[6:]
        assert rounds == ["17", "?", "·", "?", "·"]  # R3 cancelled, R5 not run: not unknown
        assert "result unknown" in _hidden(html, "cat")
        # Dan did not take part after R1: "·", not "?" (his row is complete).
        assert _row(html, "dan")[6:] == ["14", "·", "·", "·", "·"]
        assert "Some results unknown" in html


def test_teams_table_is_unknown_where_a_car_is(fan, partial):
    html = fan.get(BASE + "standings/?table=teams").content.decode()
    red = _row(html, "red")
    assert red[0] == "?" and red[2].endswith("+?")
    assert red[6:8] == ["42", "?"]  # R1: Anna 25 + Cat 17; R2 unknown (Cat's result)
    assert "After round None" not in html and "after round None" not in html


def test_overview_and_series_page_mark_the_incomplete_row(fan, partial):
    for url in (BASE, f"/series/{SERIES}/"):
        html = fan.get(url).content.decode()
        cells = _row(html, "cat")
        assert cells[0] == "?" and cells[2] == "17+?"
        assert not re.fullmatch(r"0", cells[2])


def test_results_matrix_marks_unknown_apart_from_not_taking_part(fan, partial):
    html = fan.get(BASE + "results/").content.decode()
    cat = _hidden(html, "cat")
    assert cat.count("res-unknown") == 2  # R2 and R4 (R3 cancelled is not a column)
    assert _row(html, "cat")[0] == "?"
    assert _row(html, "cat")[-1] == "17+?"
    dan = _hidden(html, "dan")
    assert "res-unknown" not in dan and "did not take part" in dan


def test_api_gives_null_for_unknown_and_a_complete_flag(fan, partial):
    body = fan.get(API).json()
    rows = {row["driver"]["slug"]: row for row in body["rows"]}
    cat = rows["cat"]
    assert cat["complete"] is False
    assert cat["points"] is None and cat["points_known"] == 17
    assert cat["position"] is None
    assert [r["points"] for r in cat["rounds"]] == [17, None, 0, None, 0]
    assert rows["dan"]["complete"] is True
    assert [r["points"] for r in rows["dan"]["rounds"]] == [14, 0, 0, 0, 0]
    assert body["in_progress"] is True and body["state"] == "partial"
    assert body["basis"] == "computed from the results on record"


def test_csv_leaves_unknown_cells_empty(fan, partial):
    rows = _csv(fan)
    cat = rows["cat"]
    assert cat["complete"] == "no" and cat["points"] == "" and cat["wins"] == ""
    assert cat["points_known"] == "17"
    assert [cat[f"r{n}"] for n in range(1, 6)] == ["17", "", "0", "", "0"]
    assert rows["anna"]["complete"] == "yes" and rows["anna"]["points"] == "70"


# --- page, API and CSV agree ----------------------------------------------------------------------


@pytest.mark.parametrize("table", ["drivers", "teams"])
def test_page_api_and_csv_agree_on_every_standings_figure(fan, partial, table):
    html = fan.get(BASE + f"standings/?table={table}").content.decode()
    api_rows = fan.get(API + f"?table={table}").json()["rows"]
    csv_rows = _csv(fan, CSV + f"?table={table}")
    who = "driver" if table == "drivers" else "team"
    assert len(api_rows) == len(csv_rows)
    for api in api_rows:
        key = api[who]["slug"]
        page = _row(html, key)
        from_csv = csv_rows[key]
        # completeness
        assert (from_csv["complete"] == "yes") is api["complete"]
        assert page[2].endswith("+?") is (not api["complete"])
        # position
        page_position = None if page[0] in ("?", "–") else int(page[0])
        assert page_position == api["position"]
        assert from_csv["position"] == ("" if api["position"] is None else str(api["position"]))
        # points (the known figure, qualified where incomplete)
        known = Decimal(str(api["points_known"]))
        assert Decimal(page[2].removesuffix("+?")) == known == Decimal(from_csv["points_known"])
        if api["points"] is None:
            assert from_csv["points"] == ""
        else:
            assert Decimal(from_csv["points"]) == Decimal(str(api["points"])) == known
        # per-round cells: API null <-> page "?" <-> CSV empty
        for index, item in enumerate(api["rounds"]):
            cell = page[6 + index]
            column = from_csv[f"r{item['round']}"]
            if item["points"] is None:
                assert (cell, column) == ("?", "")
            else:
                points = Decimal(str(item["points"]))
                assert Decimal(column) == points
                assert cell == "·" and points == 0 or Decimal(cell) == points


# --- one state on every tab; official beats computed ---------------------------------------------


def test_provisional_is_shown_the_same_on_every_tab(fan, partial):
    for tab in ("", "standings/", "results/"):
        html = fan.get(BASE + tab).content.decode()
        assert "<strong>Provisional</strong>" in html, tab
        assert "<strong>Partial results</strong>" in html, tab
    matrix = fan.get(BASE + "results/").content.decode()
    assert matrix.count('<sup aria-hidden="true">prov</sup>') == 1  # R4's column


def test_a_finished_season_is_not_provisional_anywhere(fan, partial):
    season, sessions = partial
    _finish(season, sessions)
    for tab in ("", "standings/", "results/"):
        html = fan.get(BASE + tab).content.decode()
        assert "Provisional" not in html and "provisional" not in html, tab


def test_a_running_season_has_leaders_and_no_champion(fan, partial):
    html = fan.get(BASE).content.decode()
    assert "Leaders:" in html
    assert "the season is still running" in html
    assert 'class="season-champions' not in html


def test_finished_season_names_its_champion_with_published_points(fan, partial):
    season, sessions = partial
    _finish(season, sessions)
    for tab in ("", "standings/", "results/"):
        html = fan.get(BASE + tab).content.decode()
        header = _text(html.split('class="tabs"', 1)[0])
        assert "Champion Anna Driver 99 points, 19 ahead (published)" in header, tab
        assert "Leaders" not in html
        assert "not final" not in html
    standings = fan.get(BASE + "standings/").content.decode()
    # The computed figure is labelled as such next to the published one.
    assert "Computed from the results on record" in standings
    assert ">Computed</abbr>" in standings and "Published" in standings
    anna = _row(standings, "anna")
    assert anna[2] == "70" and anna[3] == "99"
    overview = fan.get(BASE).content.decode()
    assert "computed from the results on record" in overview
    series_page = fan.get(f"/series/{SERIES}/").content.decode()
    assert "<h3>Champions</h3>" in series_page and "<h3>Leaders</h3>" not in series_page
    assert "99 points" in series_page


def test_finished_season_api_names_the_champion_and_the_published_points(fan, partial):
    season, sessions = partial
    _finish(season, sessions)
    body = fan.get(API).json()
    assert body["in_progress"] is False
    rows = {row["driver"]["slug"]: row for row in body["rows"]}
    assert rows["anna"]["published_points"] == 99 and rows["anna"]["points"] == 70
    assert rows["dan"]["published_points"] is None
    assert body["champions"] == [
        {"class": "overall", "name": "Anna Driver", "driver": None, "published_points": 99}
    ]
    detail = fan.get(f"/api/v1/series/{SERIES}/2023/").json()
    assert detail["champions"][0]["published_points"] == 99
    assert detail["state"] == "partial" and detail["in_progress"] is False
    first = detail["rounds"][0]
    assert first["date_precision"] == "day"
    assert first["date_label"] == f"{first['date'][8:].lstrip('0')} March 2023"


def test_cancelled_season_line_is_not_a_champion(fan, partial):
    season, sessions = partial
    _finish(season, sessions)
    Champion.objects.create(
        series=season.series, year=2023, class_name="Am", driver_name="(season cancelled)"
    )
    html = fan.get(BASE).content.decode()
    assert "(season cancelled)" not in _text(html.split('class="tabs"', 1)[0])
