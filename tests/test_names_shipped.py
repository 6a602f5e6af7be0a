"""One rule for people's names: the shipped facts (champions, their teams, names in their own
script, published tables) find a driver or team as an editor's import does (names.NameBook:
case, accents, dots and spacing aside; the teams' aliases; name_choices.csv's answers), so one
person is one Driver however the record reached the site."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from series.models import Champion, Driver, PublishedStanding, Team

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "series" / "data"


def load(data_dir: Path = DATA) -> None:
    call_command("load_pyramid", "--data-dir", str(data_dir), stdout=StringIO())


def test_a_champion_is_the_driver_an_import_made_under_another_spelling():
    # An editor's import made these before the shipped facts were loaded.
    larry = Driver.objects.create(name="LARRY TEN  VOORDE", slug="larry-import")
    rene = Driver.objects.create(name="Rene Rast", slug="rene-import")

    load()

    titles = Champion.objects.filter(driver_name="Larry ten Voorde")
    assert titles.count() >= 5 and {t.driver_id for t in titles} == {larry.pk}
    assert {t.driver_id for t in Champion.objects.filter(driver_name="René Rast")} == {rene.pk}
    assert not Driver.objects.filter(name__in=["Larry ten Voorde", "René Rast"]).exists()
    # The results and the published tables find him by the same rule.
    assert larry.entries.filter(season__series__slug="supercup", season__year=2022).exists()
    assert PublishedStanding.objects.filter(driver_name="Larry ten Voorde", driver=larry).exists()


def test_a_champions_spelling_that_differs_only_by_case_and_accents_is_one_driver(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    champions = data / "champions.csv"
    text = champions.read_text(encoding="utf-8")
    text = text.replace("supercup,2011,overall,René Rast,", "supercup,2011,overall,RENE RAST,")
    text = text.replace(
        "supercup,2021,overall,Larry ten Voorde,", "supercup,2021,overall,Larry Ten Voorde,"
    )
    champions.write_text(text, encoding="utf-8")

    load(data)

    assert Driver.objects.filter(name__iexact="rené rast").count() == 1
    rene = Driver.objects.get(name="René Rast")
    assert Champion.objects.get(series__slug="supercup", year=2011).driver == rene
    assert Driver.objects.filter(name__iexact="larry ten voorde").count() == 1
    larry = Driver.objects.get(slug="larry-ten-voorde")
    assert Champion.objects.get(series__slug="supercup", year=2021).driver == larry


def test_a_champions_team_is_the_team_an_import_made_under_another_spelling():
    lechner = Team.objects.create(name="BWT Lechner-Racing", slug="bwt-import")
    martinet = Team.objects.create(name="Martinet by Almeras", slug="martinet-import")

    load()

    assert not Team.objects.filter(name__in=["BWT Lechner Racing", "Martinet by Alméras"]).exists()
    title = Champion.objects.get(series__slug="supercup", year=2019, class_name="overall")
    assert title.team_record == lechner
    # The aliases of team_aliases.csv ("Lechner Racing", "Pierre Martinet by Alméras") are
    # given to the same teams.
    title = Champion.objects.get(series__slug="supercup", year=2010, class_name="overall")
    assert title.teams_champion_record == lechner
    title = Champion.objects.get(series__slug="supercup", year=2019, class_name="Pro-Am")
    assert title.team_record == martinet


def test_a_new_champion_close_to_a_known_name_waits_for_the_editors_choice(tmp_path):
    Driver.objects.create(name="Larry ten Voorden", slug="larry-ten-voorden")

    with pytest.raises(CommandError) as failed:
        load()

    message = str(failed.value)
    assert "champions.csv line 30" in message
    assert "close to the existing 'Larry ten Voorden'" in message
    assert "name_choices.csv" in message
    assert not Champion.objects.exists()

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    with (data / "name_choices.csv").open("a", encoding="utf-8") as choices:
        choices.write('driver,Larry ten Voorde,create,"a test: another driver"\n')
    load(data)
    assert Driver.objects.filter(name__startswith="Larry ten Voorde").count() == 2
    assert Champion.objects.filter(driver__slug="larry-ten-voorde").exists()
