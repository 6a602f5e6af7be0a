"""Golden tests over every season of the shipped facts that has a published table or results: the
facts are loaded once (the `shipped` fixture, `load_pyramid`), and every published row, every
round of it and every round's winner is compared with what the engine computes from them.

No shipped season is complete (series/data/README.md, partial-seasons/README.md: "no season here
is complete"): only some rows of each published table were read. So the comparison is row by row:

- every published row is in exactly one of the groups below, each named with its reason, so no
  row is skipped silently (test_every_published_row_is_compared_in_exactly_one_group);
- a complete row of a season whose races are all on record reproduces its published total exactly,
  or falls short by the amount CHECK.txt explains (points passed down by guests whose results
  were not read, or bonus points whose marks were not readable), never more and never forced;
- every round of such a row gives the place of the published cell and that place's points on the
  published scale (tests/data/partial_seasons/<season>/scoring.json), and the table after every
  round adds them up;
- every round's winner in the shipped results is the winner of that round in the computed table.

The published tables (standings.csv, scoring.json, CHECK.txt) are copied verbatim from
shared/data/facts/partial-seasons to tests/data/partial_seasons/, so the test runs from any clone.
No team table was read for any season: published_standings.csv holds drivers' rows only.
"""

import csv
import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from series.data.build.spec import SAME_PERSON
from series.models import PublishedStanding, Season
from series.selectors.standings import get_standings

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parent.parent / "series" / "data"
PUBLISHED = Path(__file__).resolve().parent / "data" / "partial_seasons"


def _published_rows() -> list[dict[str, str]]:
    with (SHIPPED / "published_standings.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


PUBLISHED_ROWS = _published_rows()
ROW_IDS = [f"{row['series']}-{row['year']}-{row['driver']}" for row in PUBLISHED_ROWS]

# Seasons whose published rows are compared total by total: every race of the table is a round
# on record, and the season's scale was read.
WHOLE = {"supercup-2022", "supercup-2023", "carrera-cup-asia-2024"}
# Seasons whose shipped file holds only the races whose dates are on record (each season file's
# description says which): the published totals count races the site does not hold. Their rounds
# on record are still compared cell by cell; the totals with every race are compared in
# tests/test_golden_partial.py (Supercup 2017, all eleven races).
SOME_RACES = {
    "supercup-2017": "races 3-9 have no date on record (season file's description)",
    "carrera-cup-great-britain-2016": "races 2-15 have no date on record (season's description)",
}
# Complete rows of those seasons whose every race is off record: no result of theirs is held.
OFF_RECORD_ONLY = {
    ("supercup-2017", "Nick Yelloly"): "raced only R7-R8 (Spa), no date on record (row's notes)",
}
# Seasons whose points scale was not read: no total can be computed; the rows' points are unknown.
NO_SCALE = {
    "supercup-2019",
    "supercup-2020",
    "carrera-cup-france-2022",
    "carrera-cup-germany-2020",
    "carrera-cup-germany-2021",
}
# Seasons with a scale whose published rows give a position only (no total read).
POSITION_ONLY = {"supercup-2024"}


def _season_name(row: dict[str, str]) -> str:
    return f"{row['series']}-{row['year']}"


@cache
def check_txt() -> dict[tuple[str, str], tuple[int, int, int]]:
    """(season, driver) -> (CHECK.txt's sum of the cells, published total, published minus sum)
    for every complete row CHECK.txt compares (partial-seasons/check.py)."""
    text = (PUBLISHED / "CHECK.txt").read_text(encoding="utf-8")
    rows = {}
    for section in text.split("\n== ")[1:]:
        season = section.split("\n", 1)[0].strip()
        for match in re.finditer(
            r"^   - (.+?): computed (\d+), published (\d+) -> ", section, re.MULTILINE
        ):
            driver, computed, published = match.groups()
            driver = SAME_PERSON.get(driver, driver)
            rows[(season, driver)] = (int(computed), int(published), int(published) - int(computed))
    return rows


# The rows of WHOLE seasons that fall short of their published total, and why (CHECK.txt's
# verdicts, partial-seasons/CHECK.txt): the engine gives the sum of the cells read, never more.
EXPLAINED_SHORTFALL = {
    ("supercup-2023", "Bastian Buus"): (3, "points passed down by guests ahead, not read"),
    ("supercup-2023", "Harry King"): (1, "points passed down by guests ahead, not read"),
    ("supercup-2023", "Morris Schuring"): (1, "points passed down by guests ahead, not read"),
    ("supercup-2023", "Dorian Boccolacci"): (3, "points passed down by guests ahead, not read"),
    ("carrera-cup-asia-2024", "Alessandro Ghiretti"): (16, "pole/fastest-lap marks not readable"),
    ("carrera-cup-asia-2024", "Dylan Pereira"): (12, "pole/fastest-lap marks not readable"),
    ("carrera-cup-asia-2024", "Mathys Jaubert"): (11, "pole/fastest-lap marks not readable"),
}


@cache
def published_table(season: str) -> dict[str, dict[str, str]]:
    """driver -> the published row of partial-seasons/<season>/standings.csv (cells R1..Rn)."""
    with (PUBLISHED / season / "standings.csv").open(encoding="utf-8") as handle:
        return {
            SAME_PERSON.get(row["driver"], row["driver"]): row for row in csv.DictReader(handle)
        }


@cache
def published_scale(season: str) -> tuple[int, ...] | None:
    scale = json.loads((PUBLISHED / season / "scoring.json").read_text(encoding="utf-8"))["scale"]
    return tuple(scale) if scale else None


def cell_place(cell: str) -> int | None:
    """A published cell's classified place: "3" and "27†" (classified, not running at the end)
    are places; "Ret", "DNS", "DSQ" and an empty cell (did not take part) are none."""
    match = re.fullmatch(r"(\d+)†?", cell.strip())
    return int(match.group(1)) if match else None


def cell_points(cell: str, scale: tuple[int, ...]) -> Decimal:
    place = cell_place(cell)
    return Decimal(scale[place - 1]) if place and place <= len(scale) else Decimal(0)


def _season(name: str) -> Season:
    series, year = name.rsplit("-", 1)
    return Season.objects.select_related("series", "scoring").get(series__slug=series, year=year)


def _rows(season: Season, after_round: int | None = None) -> dict:
    return {row.name: row for row in get_standings(season, after_round=after_round).rows}


def _complete_rows(group: set[str] | dict[str, str]) -> list[tuple[str, str]]:
    return [
        (_season_name(row), row["driver"])
        for row in PUBLISHED_ROWS
        if _season_name(row) in group and row["row_complete"] == "yes"
    ]


# --- every published row is compared -------------------------------------------------------------


def test_every_published_row_is_compared_in_exactly_one_group():
    groups = [WHOLE, set(SOME_RACES), NO_SCALE, POSITION_ONLY]
    for row in PUBLISHED_ROWS:
        season = _season_name(row)
        assert sum(season in group for group in groups) == 1, season
    # Every complete row of a whole season is either exact in CHECK.txt or explained above.
    for key in _complete_rows(WHOLE):
        assert key in check_txt(), key
        assert (check_txt()[key][2] == 0) != (key in EXPLAINED_SHORTFALL), key
    assert {key[0] for key in EXPLAINED_SHORTFALL} <= WHOLE


def test_the_published_rows_are_on_record_as_published(shipped):
    on_record = {
        (row.season.series.slug, row.season.year, row.driver_name): row
        for row in PublishedStanding.objects.select_related("season__series")
    }
    assert len(on_record) == len(PUBLISHED_ROWS)
    for row in PUBLISHED_ROWS:
        record = on_record[(row["series"], int(row["year"]), row["driver"])]
        assert record.class_name == "overall"  # no class or team table was read
        assert record.position == (int(row["published_position"] or 0) or None), row["driver"]
        points = Decimal(row["published_points"]) if row["published_points"] else None
        assert record.points == points, row["driver"]


@pytest.mark.parametrize("season", sorted(WHOLE | set(SOME_RACES) | POSITION_ONLY))
def test_the_shipped_scale_is_the_published_one(shipped, season):
    assert tuple(_season(season).scoring.race_points) == published_scale(season)


def _rows_of(group: set[str]) -> list[tuple[str, str]]:
    return [
        (_season_name(row), row["driver"]) for row in PUBLISHED_ROWS if _season_name(row) in group
    ]


@pytest.mark.parametrize(("season", "driver"), _rows_of(NO_SCALE))
def test_a_season_without_a_published_scale_ranks_no_row(shipped, season, driver):
    assert published_scale(season) is None
    record = _season(season)
    assert not record.scoring.race_points
    table = get_standings(record)
    assert table.complete is False
    computed = {row.name: row for row in table.rows}[driver]
    assert computed.complete is False and computed.position is None


@pytest.mark.parametrize(("season", "driver"), _rows_of(NO_SCALE))
def test_a_season_without_a_published_scale_knows_no_points(shipped, season, driver):
    computed = _rows(_season(season))[driver]
    assert computed.points_unknown


# --- totals and positions ------------------------------------------------------------------------


@pytest.mark.parametrize(("season", "driver"), _complete_rows(WHOLE))
def test_a_complete_row_reproduces_its_published_total_and_position(shipped, season, driver):
    published = published_table(season)[driver]
    computed = _rows(_season(season))[driver]
    shortfall, _reason = EXPLAINED_SHORTFALL.get((season, driver), (0, "exact"))
    assert computed.complete
    assert computed.points == Decimal(published["published_points"]) - shortfall
    assert computed.points == check_txt()[(season, driver)][0]
    assert computed.position == int(published["published_position"])


def _held_rows(group: set[str] | dict[str, str]) -> list[tuple[str, str]]:
    return [key for key in _complete_rows(group) if key not in OFF_RECORD_ONLY]


@pytest.mark.parametrize(("season", "driver"), sorted(OFF_RECORD_ONLY))
def test_a_row_that_raced_only_off_record_is_not_in_the_table(shipped, season, driver):
    published = published_table(season)[driver]
    held = get_standings(_season(season)).round_numbers
    assert all(not published[f"R{n}"].strip() for n in held)
    assert driver not in _rows(_season(season))


@pytest.mark.parametrize(("season", "driver"), _held_rows(SOME_RACES))
def test_a_row_of_a_season_with_races_off_record_sums_only_the_races_on_record(
    shipped, season, driver
):
    record = _season(season)
    table = get_standings(record)
    held = set(table.round_numbers)
    published = published_table(season)[driver]
    races = [int(key[1:]) for key in published if re.fullmatch(r"R\d+", key)]
    assert held < set(races), SOME_RACES[season]
    computed = _rows(record)[driver]
    scale = published_scale(season)
    assert computed.points == sum(cell_points(published[f"R{n}"], scale) for n in held)
    # Less than published: the races off record are not counted, and the table says it is partial.
    assert computed.points < Decimal(published["published_points"])
    assert table.complete is False


@pytest.mark.parametrize("season", sorted(POSITION_ONLY))
def test_a_position_only_row_is_never_ranked_from_partial_results(shipped, season):
    rows = _rows(_season(season))
    for row in PUBLISHED_ROWS:
        if _season_name(row) == season and row["driver"] in rows:
            assert row["published_points"] == "" and row["row_complete"] == "no"
            assert rows[row["driver"]].complete is False
            assert rows[row["driver"]].position is None


# --- round by round ------------------------------------------------------------------------------


@pytest.mark.parametrize(("season", "driver"), _complete_rows(WHOLE) + _held_rows(SOME_RACES))
def test_every_round_of_a_complete_row_gives_the_published_place_and_its_points(
    shipped, season, driver
):
    published = published_table(season)[driver]
    scale = published_scale(season)
    computed = _rows(_season(season))[driver]
    assert computed.rounds
    for item in computed.rounds:
        cell = published[f"R{item.round}"]
        assert item.positions == (cell_place(cell),), (item.round, cell)
        assert item.points == cell_points(cell, scale), (item.round, cell)
    assert computed.points == sum(item.points for item in computed.rounds)


@pytest.mark.parametrize("season", sorted(WHOLE))
def test_the_table_after_every_round_adds_the_published_cells_up(shipped, season):
    record = _season(season)
    scale = published_scale(season)
    drivers = [driver for name, driver in _complete_rows(WHOLE) if name == season]
    rounds = get_standings(record).round_numbers
    assert drivers and rounds
    for after in rounds:
        rows = _rows(record, after_round=after)
        for driver in drivers:
            cells = published_table(season)[driver]
            expected = sum(cell_points(cells[f"R{n}"], scale) for n in rounds if n <= after)
            assert rows[driver].points == expected, (after, driver)


def _shipped_winners() -> list[tuple[str, int, str]]:
    """(season, round, driver) of every winner in series/data/results/*.csv."""
    winners = []
    for path in sorted((SHIPPED / "results").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["position"] == "1":
                    winners.append((path.stem, int(row["round"]), row["driver"]))
    return winners


WINNERS = _shipped_winners()


@pytest.mark.parametrize("season", sorted({season for season, _, _ in WINNERS}))
def test_every_rounds_winner_in_the_shipped_results_wins_it_in_the_table(shipped, season):
    expected = sorted((number, driver) for name, number, driver in WINNERS if name == season)
    computed = sorted(
        (item.round, row.name)
        for row in get_standings(_season(season)).rows
        for item in row.rounds
        for position in item.positions
        if position == 1
    )
    assert expected
    assert computed == expected
