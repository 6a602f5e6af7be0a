"""The entry list: import (command, function), car changes from a round on, near-match choices,
copying the previous season's list, and every bad line reported with nothing written."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from series.imports.entries import copy_entries, import_entries
from series.imports.report import ImportFailed
from series.models import Driver, Entry, SiteVersion, Team
from tests import factories as f

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture
def season():
    season = f.make_season(series=f.make_series(name="Fictional Cup", slug="fictional-cup"))
    for number in range(1, 7):
        f.make_round(season, number)
    f.make_class(season, "Pro", order=1)
    f.make_class(season, "Pro-Am", order=2)
    return season


def test_entry_list_from_file_creates_entries_and_a_mid_season_driver_change(season):
    report = import_entries(
        season, (DATA / "entries_fictional.csv").read_text(), create_missing=True
    )

    assert report.created == 13
    car7 = list(Entry.objects.filter(season=season, car_number=7))
    assert [(e.driver.name, e.from_round, e.to_round) for e in car7] == [
        ("Anna Vermeer", None, 2),
        ("Mia Sandoval", 3, None),
    ]
    assert car7[1].rookie and car7[1].season_class.name == "Pro"
    assert Driver.objects.get(name="Mia Sandoval").nationality == "MEX"
    assert Team.objects.filter(name="Polder Motorsport").count() == 1


def test_entry_list_again_changes_nothing_and_a_dry_run_writes_nothing(season):
    text = (DATA / "entries_fictional.csv").read_text()
    dry = import_entries(season, text, create_missing=True, dry_run=True)
    assert dry.created == 13 and not Entry.objects.exists() and not Driver.objects.exists()

    import_entries(season, text, create_missing=True)
    version = SiteVersion.objects.get().version
    again = import_entries(season, text)
    assert again.created == again.updated == 0 and not again.removed
    assert Entry.objects.count() == 13
    # Nothing changed: no new version, so no cache is thrown away.
    assert SiteVersion.objects.get().version == version


def test_entry_list_from_a_spreadsheet_paste_with_header_variants(season):
    f.make_driver("Larry ten Voorde")
    f.make_team("Team GP Elite")
    paste = "No.\tDriver\tTeam\tCat\n1\tLarry ten Voorde\tTeam GP Elite\tPro\n"

    import_entries(season, paste)

    entry = Entry.objects.get(season=season)
    assert (entry.car_number, entry.team.name, entry.season_class.name) == (
        1,
        "Team GP Elite",
        "Pro",
    )


def test_entries_not_in_the_file_are_removed_unless_they_have_results(season):
    kept = f.make_entry(season, f.make_driver("Kept Driver"), car_number=50)
    gone = f.make_entry(season, f.make_driver("Gone Driver"), car_number=51)
    session = f.make_session(season.rounds.get(number=1))
    f.make_result(session, kept, 1)
    f.make_driver("Larry ten Voorde")

    report = import_entries(season, "number,driver\n1,Larry ten Voorde\n")

    assert report.removed == ["Gone Driver"] and report.kept == ["Kept Driver"]
    assert not Entry.objects.filter(pk=gone.pk).exists()
    assert Entry.objects.filter(pk=kept.pk).exists()


def test_bad_lines_are_all_reported_and_nothing_is_written(season):
    f.make_driver("Larry ten Voorde")
    text = (
        "number,driver,class,from_round,guest\n"
        "1,Larry ten Voorde,Pro,,no\n"
        "1,Lary ten Vorde,Gold,9,maybe\n"  # unknown driver, class, round, yes/no
        "2,Larry ten Voorde,Pro,,\n"  # twice
        f"3,{'x' * 200},Pro,,\n"  # longer than the column
    )
    with pytest.raises(ImportFailed) as failed:
        import_entries(season, text)

    messages = [str(error) for error in failed.value.errors]
    assert any("line 3" in m and "did you mean Larry ten Voorde" in m for m in messages)
    assert any("line 3" in m and "unknown class 'Gold'" in m for m in messages)
    assert any("line 3" in m and "no round 9" in m for m in messages)
    assert any("line 3" in m and "'maybe'" in m for m in messages)
    assert any("line 4" in m and "twice" in m for m in messages)
    assert any("line 5" in m and "longer than 120" in m for m in messages)
    assert not Entry.objects.exists()


def test_one_car_for_two_drivers_needs_from_round(season):
    f.make_driver("Anna Vermeer")
    f.make_driver("Mia Sandoval")
    with pytest.raises(ImportFailed) as failed:
        import_entries(season, "number,driver\n7,Anna Vermeer\n7,Mia Sandoval\n")
    assert "give from_round" in str(failed.value)


def test_a_new_name_close_to_a_known_one_needs_a_choice_even_with_create_missing(season):
    noble = f.make_driver("Scott Noble")
    f.make_team("MDK Motorsports")
    text = "number,driver,team\n4,Scot Nobel,MDK Motorsport\n"

    with pytest.raises(ImportFailed) as failed:
        import_entries(season, text, create_missing=True)
    kinds = {(near.kind, near.name) for near in failed.value.near_matches}
    assert kinds == {("driver", "Scot Nobel"), ("team", "MDK Motorsport")}
    assert "close to the existing 'Scott Noble'" in str(failed.value)
    assert not Driver.objects.filter(name="Scot Nobel").exists()

    choices = {"driver:Scot Nobel": noble.slug, "team:MDK Motorsport": "create"}
    import_entries(season, text, create_missing=True, choices=choices)
    entry = Entry.objects.get(season=season)
    assert entry.driver == noble
    assert entry.team.name == "MDK Motorsport"
    assert Team.objects.filter(name="MDK Motorsports").exists()


def test_command_refuses_a_near_match_until_told(season, tmp_path):
    f.make_driver("Scott Noble")
    path = tmp_path / "entries.csv"
    path.write_text("number,driver\n4,Scot Nobel\n")
    with pytest.raises(CommandError, match="--create"):
        call_command("import_entries", "fictional-cup", "2023", str(path), "--create-missing")

    out = StringIO()
    call_command(
        "import_entries", "fictional-cup", "2023", str(path), "--create", "Scot Nobel", stdout=out
    )
    assert "Driver Scot Nobel created" in out.getvalue()
    assert Driver.objects.filter(name__in=["Scot Nobel", "Scott Noble"]).count() == 2


def test_copy_previous_season_keeps_seats_at_season_end(season):
    previous = f.make_season(series=season.series, year=2022)
    f.make_class(previous, "Pro")
    team = f.make_team("Polder Motorsport")
    anna = f.make_entry(previous, f.make_driver("Anna Vermeer"), car_number=7, to_round=4)
    mia = f.make_entry(
        previous, f.make_driver("Mia Sandoval"), car_number=7, from_round=5, team=team, rookie=True
    )
    mia.season_class = previous.classes.get()
    mia.save()

    copies = copy_entries(previous, season)

    assert [c.driver_id for c in copies] == [mia.driver_id]
    copied = Entry.objects.get(season=season)
    assert (copied.car_number, copied.team, copied.season_class.season) == (7, team, season)
    assert not copied.rookie and anna.driver_id != copied.driver_id


def test_a_driver_is_found_by_the_name_in_its_own_script_and_by_its_folded_letters(season):
    """One folding rule (people.fold_letters) for the search and for an import: ø is o, and a
    driver whose name in its own script is on record is that driver, not a new one."""
    ukyo = f.make_driver("Ukyo Sasahara", name_original="笹原右京", nationality="JPN")
    soren = f.make_driver("Soren Lund", nationality="DEN")
    team = f.make_team("Polder Motorsport")
    text = (
        "number,driver,team,class,nationality,guest,rookie,from_round\n"
        f"7,笹原右京,{team.name},Pro,JPN,no,no,\n"
        f"8,SØREN LUND,{team.name},Pro,DEN,no,no,\n"
    )

    report = import_entries(season, text)

    assert report.created == 2
    assert Driver.objects.count() == 2
    by_number = {e.car_number: e.driver for e in Entry.objects.filter(season=season)}
    assert by_number == {7: ukyo, 8: soren}
