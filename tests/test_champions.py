"""The champions' history: gaps shown as "not on record", years without a title never counted,
one spelling per class, teams as Team records with their aliases, qualifiers from the editors'
flags, and the page paged by series."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from series.imports.facts_people import normalise_class, split_name, team_of
from series.models import Champion, Driver, Entry, Team, TeamAlias, Tier, TitleKind
from series.selectors.champions import ChampionFilters, champion_record, most_titles

from . import factories as f

pytestmark = pytest.mark.django_db


def load() -> None:
    call_command("load_pyramid", stdout=io.StringIO())


# --- the loader ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "spelled"),
    [
        ("ProAm", "Pro-Am"),
        ("Pro-Am", "Pro-Am"),
        ("none", "overall"),
        ("overall (Pro)", "overall"),
        ("Pro (overall, Al Holbert Cup)", "overall"),
        ("Gentlemen (B)", "B (Gentlemen)"),
        ("Championnat B (Gentlemen)", "B (Gentlemen)"),
        ("(class not stated)", "class not stated"),
        ("Rookie", "Rookie"),
    ],
)
def test_class_names_have_one_spelling(printed, spelled):
    assert normalise_class(printed) == spelled


def test_names_lose_their_asides_and_keep_their_own_script():
    assert split_name("Ryo Ogawa (小河 諒)") == ("Ryo Ogawa", "小河 諒", "")
    assert split_name("近藤翼 (Tsubasa Kondo — romanization ours)") == (
        "Tsubasa Kondo",
        "近藤翼",
        "romanization ours",
    )
    assert split_name('"Bankcy" (BANKCY)') == ("Bankcy", "", "")
    assert split_name("Juan Pablo (JP) Martinez") == ("Juan Pablo (JP) Martinez", "", "")
    assert team_of("Kellymoss (No. 53)") == "Kellymoss"


def test_shipped_champions_load_with_kinds_classes_teams_and_qualifiers(shipped):
    # 254 rows of champions.csv and the 56 additions.
    assert Champion.objects.count() == 310
    classes = set(Champion.objects.values_list("class_name", flat=True))
    assert "ProAm" not in classes and "none" not in classes and "Pro-Am" in classes
    spreng = Champion.objects.get(
        series__slug="carrera-cup-germany", year=2023, class_name="Pro-Am"
    )
    assert spreng.class_printed == "ProAm"
    # Years without a champion are rows of their own kind, never titles.
    assert Champion.objects.exclude(kind=TitleKind.TITLE).count() == 4
    asia_2020 = Champion.objects.get(series__slug="carrera-cup-asia", year=2020)
    assert asia_2020.kind == TitleKind.CANCELLED and asia_2020.driver is None
    assert (
        Champion.objects.filter(
            series__slug="carrera-cup-australia", year__in=[2009, 2010], kind=TitleKind.NOT_HELD
        ).count()
        == 2
    )
    # Dupuy's five French titles are in; Menzel 2009 is flagged as conflicting.
    dupuy = Driver.objects.get(name="Dominique Dupuy")
    assert sorted(dupuy.titles.values_list("year", flat=True)) == [1992, 1993, 1997, 1998, 1999]
    menzel = Champion.objects.get(series__slug="carrera-cup-asia", year=2009)
    assert menzel.qualifier == "sources conflict" and "CONFLICT" in menzel.notes
    # Teams: one record for CLRT / Schumacher CLRT / CLRT Schumacher, Team GP Elite for GP Elite.
    clrt = Team.objects.get(name="Schumacher CLRT")
    assert set(clrt.aliases.values_list("name", flat=True)) == {"CLRT", "CLRT Schumacher"}
    assert not Team.objects.filter(name__in=["CLRT", "CLRT Schumacher", "GP Elite"]).exists()
    assert Team.objects.get(name="Forestier Racing CLRT") != clrt  # another team: not merged
    printed = set(Champion.objects.filter(team_record=clrt).values_list("team", flat=True))
    assert {"CLRT", "Schumacher CLRT", "CLRT Schumacher"} <= printed  # printed as printed
    assert Champion.objects.filter(teams_champion_record=clrt, class_name="Teams").count() == 2
    assert TeamAlias.objects.get(name="GP Elite").team.name == "Team GP Elite"
    # The 2023 Supercup results printed "CLRT": the import found the team through its alias.
    assert Entry.objects.filter(team=clrt, season__year=2023).exists()
    # Japanese names: the Latin name on the title, the original script on the driver.
    kondo = Driver.objects.get(name="Tsubasa Kondo")
    assert kondo.name_original == "近藤翼"
    assert not Champion.objects.filter(driver_name__contains="romanization").exists()


def test_an_old_team_record_under_an_alias_is_merged_into_the_team():
    load()
    clrt = Team.objects.get(name="Schumacher CLRT")
    TeamAlias.objects.filter(name="CLRT").delete()
    old = Team.objects.create(name="CLRT", slug="clrt-old")
    Entry.objects.filter(team=clrt).update(team=old)
    load()
    assert not Team.objects.filter(pk=old.pk).exists()
    assert Entry.objects.filter(team=clrt).exists()
    assert TeamAlias.objects.get(name="CLRT").team == clrt


# --- the history --------------------------------------------------------------------------------


def test_gaps_between_first_year_and_the_records_last_year_are_shown():
    series = f.make_series(name="Carrera Cup France", first_year=1987)
    other = f.make_series(name="Supercup", tier=Tier.SUPERCUP, first_year=2024)
    Champion.objects.create(series=series, year=1987, driver_name="René Metge")
    Champion.objects.create(series=series, year=1990, driver_name="A")
    Champion.objects.create(series=series, year=1992, driver_name="B")
    Champion.objects.create(series=other, year=1995, driver_name="C")  # before its first_year
    Champion.objects.create(series=other, year=1996, driver_name="D")
    record = champion_record()
    france = record.for_series(series)
    assert [gap.label for gap in france.gaps] == ["1988–1989", "1991", "1993–1996"]
    assert france.missing_count == 7
    # The first title counts when it is earlier than the series' first year.
    assert record.for_series(other).gaps == []


def test_cancelled_and_not_held_years_are_neither_gaps_nor_titles(fan: Client):
    series = f.make_series(name="Carrera Cup Asia", first_year=2019)
    Champion.objects.create(series=series, year=2019, driver_name="A")
    Champion.objects.create(
        series=series, year=2020, driver_name="(season cancelled)", kind=TitleKind.CANCELLED
    )
    Champion.objects.create(series=series, year=2021, driver_name="A")
    history = champion_record().for_series(series)
    assert history.gaps == [] and history.title_count == 2
    assert [(t.name, t.count) for t in most_titles(champion_record().titles)] == [("A", 2)]
    html = fan.get(f"/champions/?series={series.slug}").content.decode()
    assert 'Titles <span class="muted dir-small">(2)</span>' in html
    assert "Season cancelled" in html and "no title" in html


def test_series_page_of_champions_shows_not_on_record_rows(fan: Client):
    series = f.make_series(name="Carrera Cup Germany", first_year=1990)
    for year in (1990, 1991, 1993, 1995):
        Champion.objects.create(series=series, year=year, driver_name=f"Driver {year}")
    html = fan.get(f"/champions/?series={series.slug}").content.decode()
    assert html.count('class="hist-gap"') == 2
    assert ">1992<" in html and ">1994<" in html and "Not on record" in html


def test_class_filter_offers_titles_classes_only(fan: Client):
    series = f.make_series(name="Carrera Cup Australia")
    Champion.objects.create(
        series=series, year=2009, driver_name="(not held)", kind=TitleKind.NOT_HELD, class_name="x"
    )
    Champion.objects.create(series=series, year=2011, driver_name="A", class_name="Pro-Am")
    html = fan.get("/champions/").content.decode()
    assert '<option value="Pro-Am"' in html and '<option value="x"' not in html
    ignored = fan.get("/champions/?class=x")
    assert ignored.status_code == 200 and "There is no class “x”" in ignored.content.decode()


def test_most_titles_says_what_it_counts_from_and_what_is_missing(fan: Client):
    france = f.make_series(name="Carrera Cup France", first_year=1990)
    for year in (1990, 1991, 1995):
        Champion.objects.create(series=france, year=year, driver_name="Dupuy")
    html = fan.get("/champions/").content.decode()
    assert "Counted from the 3 titles on record, 1990–1995" in html
    assert "Carrera Cup France</a>: 1992–1994" in html


def test_teams_titles_link_their_team_and_are_not_drivers_titles(fan: Client):
    series = f.make_series(name="Supercup", tier=Tier.SUPERCUP)
    team = f.make_team("Schumacher CLRT")
    Champion.objects.create(
        series=series,
        year=2025,
        class_name="Teams",
        driver_name="Schumacher CLRT",
        teams_champion="Schumacher CLRT",
        teams_champion_record=team,
    )
    Champion.objects.create(series=series, year=2024, class_name="Teams", driver_name="X")
    assert most_titles(champion_record().titles) == []
    html = fan.get(f"/champions/?series={series.slug}").content.decode()
    assert f'href="/teams/{team.slug}/"' in html


def test_the_shipped_champions_page_is_paged_under_about_100_kb(fan: Client, shipped):
    index = fan.get("/champions/")
    assert index.status_code == 200 and len(index.content) < 60_000
    assert "Dominique Dupuy" in index.content.decode()  # most titles
    for slug in ("supercup", "carrera-cup-germany", "carrera-cup-france", "carrera-cup-japan"):
        page = fan.get(f"/champions/?series={slug}")
        assert page.status_code == 200 and len(page.content) < 100_000, slug
    html = fan.get("/champions/?series=carrera-cup-france").content.decode()
    assert "Not on record" in html and "1994–1996" in html
    html = fan.get("/champions/?series=carrera-cup-asia").content.decode()
    assert "sources conflict" in html  # the qualifier; the detail stays in the editor's note
    assert "CONFLICT" not in html


def test_champion_filters_list_titles_only_for_a_series_class_or_decade():
    assert not ChampionFilters(tier=2).lists_titles
    assert ChampionFilters(decade=2020).lists_titles


def test_api_says_which_rows_are_titles_with_published_points(fan: Client):
    series = f.make_series(name="Carrera Cup Asia", first_year=2019)
    Champion.objects.create(
        series=series, year=2020, driver_name="(season cancelled)", kind=TitleKind.CANCELLED
    )
    Champion.objects.create(
        series=series, year=2024, driver_name="Alessandro Ghiretti", points=308, qualifier=""
    )
    items = {item["year"]: item for item in fan.get("/api/v1/champions/").json()["items"]}
    assert items[2020]["kind"] == "cancelled" and items[2020]["points"] is None
    assert items[2024]["kind"] == "title" and items[2024]["points"] == 308


def test_a_class_across_many_series_is_paged_by_whole_series(fan: Client):
    from series.selectors.champions import CHAMPIONS_SERIES_PER_PAGE

    names = [f"Carrera Cup {n:02d}" for n in range(CHAMPIONS_SERIES_PER_PAGE + 1)]
    for name in names:
        series = f.make_series(name=name, first_year=2020)
        for year in (2020, 2021):
            Champion.objects.create(series=series, year=year, driver_name=f"{name} {year}")
    first = fan.get("/champions/?class=overall").content.decode()
    assert "page 1 of 2" in first
    assert all(f"{name} 2021" in first for name in names[:-1])
    assert names[-1] not in first.split('id="titles-heading"')[1].split('class="pager"')[0]
    second = fan.get("/champions/?class=overall&page=2").content.decode()
    # The last series, both its titles on one page; the page links keep the filter.
    assert f"{names[-1]} 2020" in second and f"{names[-1]} 2021" in second
    assert f"{names[0]} 2021" not in second
    assert 'href="?class=overall&amp;page=1"' in second
    beyond = fan.get("/champions/?class=overall&page=3")
    assert beyond.status_code == 200
    assert "There is no page 3 (of 2)" in beyond.content.decode()
    assert f"{names[0]} 2021" in beyond.content.decode()


def test_the_index_of_series_ignores_a_page_past_its_last_with_a_notice(fan: Client):
    series = f.make_series(name="Carrera Cup France", first_year=1990)
    Champion.objects.create(series=series, year=1990, driver_name="Dupuy")
    html = fan.get("/champions/?page=2").content.decode()
    assert "There is no page 2 (of 1)" in html and "Carrera Cup France" in html
