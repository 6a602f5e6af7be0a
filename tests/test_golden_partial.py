"""Golden tests from the real published tables of the partial seasons (issue #13 item 2).

For each season, the rows that partial-seasons/CHECK.txt reports as reproducing exactly must be
reproduced by the engine through the import path (import_season, import_results, the standings
selector). The rows that need results not read (points passed down from guests whose rows are
not in the table) are marked as such: the test asserts they fall short of the published total by
the few points CHECK.txt explains, never that they match.

The table and CHECK.txt are copied verbatim from shared/data/facts/partial-seasons to tests/data/,
so the test runs from any clone.
"""

import csv
import datetime as dt
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from series.data.build_seasons import SAME_PERSON, read_table, results_csv, toml_value
from series.importers import import_results, import_season
from series.models import Season
from series.selectors.standings import get_standings
from tests.factories import make_series

pytestmark = pytest.mark.django_db

TESTS_DATA = Path(__file__).resolve().parent / "data"
SHIPPED = Path(__file__).resolve().parent.parent / "series" / "data"


def check_txt_rows(season: str) -> dict[str, tuple[int, int, str]]:
    """driver -> (computed, published, verdict) as CHECK.txt reports them for one season."""
    text = (TESTS_DATA / "partial_seasons" / "CHECK.txt").read_text(encoding="utf-8")
    section = text.split(f"== {season}\n", 1)[1].split("\n== ", 1)[0]
    rows = {}
    for match in re.finditer(
        r"^   - (.+?): computed (\d+), published (\d+) -> (.*)$", section, re.M
    ):
        driver, computed, published, said = match.groups()
        # "EXACT", "+3 published above our sum ...", "consistent with ... (+16; ...)".
        verdict = "EXACT" if said.startswith("EXACT") else re.search(r"[+-]\d+", said).group()
        rows[SAME_PERSON.get(driver, driver)] = (int(computed), int(published), verdict)
    return rows


def supercup_2017() -> Season:
    """The 2017 season with all eleven races. Its shipped file holds only the four races whose
    dates are on record (1, 2, 10, 11); the points do not depend on the dates, so the races in
    between get one placeholder event each, here only. Scale and rules come from the shipped
    file, the results from the published table, both through the importers."""
    make_series(name="Porsche Supercup", slug="supercup")
    shipped = tomllib.loads((SHIPPED / "seasons" / "supercup-2017.toml").read_text())
    lines = [
        'series = "supercup"',
        "year = 2017",
        "results_partial = true",
        "[scoring]",
        f"race = {toml_value(shipped['scoring']['race'])}",
        f"guests = {toml_value(shipped['scoring']['guests'])}",
        '[[circuits]]\nslug = "test-circuit"\nname = "Test circuit"\ntime_zone = "UTC"',
    ]
    for number in range(1, 12):
        day = dt.date(2017, 5, 13) + dt.timedelta(weeks=2 * number)
        lines.append(
            f'[[events]]\nslug = "placeholder-{number}"\nname = "Race {number}"\n'
            f'circuit = "test-circuit"\nstart_date = {day}\nend_date = {day}'
        )
        lines.append(f'[[rounds]]\nnumber = {number}\ndate = {day}\nevent = "placeholder-{number}"')
    season, _ = import_season("\n".join(lines) + "\n")
    cells, _ = read_table(
        TESTS_DATA / "partial_seasons" / "supercup-2017" / "standings.csv",
        "supercup",
        2017,
        {"Thomas Preining": [6, 9]},  # guest #41 in races 6 and 9 only (entry list)
    )
    rows = [{"round": cell.pop("race"), **cell} for cell in cells]
    import_results(season, results_csv(rows), create_missing=True)
    return season


def test_check_txt_says_which_2017_rows_reproduce():
    rows = check_txt_rows("supercup-2017")
    assert len(rows) == 18
    assert {d for d, (_, _, verdict) in rows.items() if verdict == "EXACT"} == {
        "Dan Cammish",  # printed "Daniel Cammish" in the 2017 table: one driver, one name
        "Dennis Olsen",
        "Dylan Pereira",
        "Mattia Drudi",
        "Matt Campbell",
        "Michael Ammermüller",
        "Nick Yelloly",
    }


def test_supercup_2017_exact_rows_reproduce_the_published_totals():
    table = get_standings(supercup_2017())
    computed = {row.name: row.points for row in table.rows}

    for driver, (_, published, verdict) in check_txt_rows("supercup-2017").items():
        if verdict == "EXACT":
            assert computed[driver] == Decimal(published), driver


def test_supercup_2017_rows_needing_unread_guests_fall_short_as_check_txt_explains():
    table = get_standings(supercup_2017())
    computed = {row.name: row.points for row in table.rows}

    short = {
        driver: (published, verdict)
        for driver, (_, published, verdict) in check_txt_rows("supercup-2017").items()
        if verdict != "EXACT"
    }
    assert len(short) == 11
    # Two cells of the table clash (race 4: two rows read 16th; race 11: Di Amato and Rees both
    # read 13th): neither is entered, so those rows fall further short.
    misread = {"Daniele Di Amato": 3, "Paul Rees": 3}
    for driver, (published, verdict) in short.items():
        # Not forced: the missing points are those guests classified ahead would pass down.
        expected = Decimal(published) - int(verdict) - misread.get(driver, 0)
        assert computed[driver] == expected, driver
    # The table is computed from a partial season: never presented as the published one.
    assert table.complete is False


def test_supercup_2017_guest_scores_nothing_and_passes_his_points_down():
    season = supercup_2017()
    rows = {row.name: row for row in get_standings(season).rows}
    assert rows["Thomas Preining"].eligible is False
    # Race 9: Preining (guest) 8th, Cammish 9th is paid as 8th (8 points, not 7).
    cammish = {rp.round: rp.points for rp in rows["Dan Cammish"].rounds}
    assert cammish[9] == 8


def test_shipped_2022_and_2023_rows_reproduce_what_check_txt_says(shipped):
    published = {}
    with (SHIPPED / "published_standings.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            published[(row["series"], int(row["year"]), row["driver"])] = row
    for year, season_name in ((2022, "supercup-2022"), (2023, "supercup-2023")):
        season = Season.objects.get(series__slug="supercup", year=year)
        computed = {row.name: row.points for row in get_standings(season).rows}
        for driver, (ours, total, verdict) in check_txt_rows(season_name).items():
            assert int(published[("supercup", year, driver)]["published_points"]) == total
            if verdict == "EXACT":
                assert computed[driver] == Decimal(total), (year, driver)
            else:
                # Needs unread guests' results: short by what CHECK.txt says, not forced.
                assert computed[driver] == Decimal(ours) < Decimal(total), (year, driver)


def test_shipped_asia_2024_rows_fall_short_only_by_the_unreadable_bonus_points(shipped):
    # CHECK.txt: 0 of 3 exact; the published totals hold pole and fastest-lap points whose marks
    # were not readable. The engine gives exactly CHECK.txt's sums of the cells, never more.
    season = Season.objects.get(series__slug="carrera-cup-asia", year=2024)
    computed = {row.name: row.points for row in get_standings(season).rows}
    rows = check_txt_rows("carrera-cup-asia-2024")
    assert len(rows) == 3
    for driver, (ours, published, verdict) in rows.items():
        assert verdict != "EXACT"
        assert computed[driver] == Decimal(ours) < Decimal(published), driver
