"""The driver and team pages' prepared queries (pcc/prepared.py) give what the ORM gives: the rows
of the queries as Django builds them, the counts and final places of every driver and team, a
stale season's places recomputed, and a missing slug still a 404."""

import pytest
from django.db import transaction
from django.db.models import Q
from django.http import Http404

from series.models import Entry, Result, Season
from series.selectors import careers, drivers, standings, teams
from series.selectors.careers import counted_results, race_counts_by_season
from series.selectors.standings import final_places
from tests import factories as f
from tests.scenarios import build_world

pytestmark = pytest.mark.django_db


def _world():
    world = build_world(3)
    # A second team and driver: a seat entered for one team and raced for the other (the
    # result's own team), and a team holding no seat of its own.
    season = world.seasons[0]
    other_team = f.make_team("Raced Only")
    guest = f.make_driver("Guest Driver")
    entry = f.make_entry(season, guest, team=world.team, car_number=77)
    race = Result.objects.filter(entry__season=season).first().session
    f.make_result(race, entry, 9, team=other_team)
    return world, other_team, guest


def _rows(prepared, *args):
    return [getattr(row, "__dict__", row) for row in prepared(*args)]


def _orm_rows(prepared, *args):
    return [getattr(row, "__dict__", row) for row in prepared.build(*args)]


def _clean(rows):
    # Model instances: their fields and annotations, without Django's state.
    return [
        {k: v for k, v in row.items() if k != "_state" and not k.startswith("_")}
        if isinstance(row, dict)
        else row
        for row in rows
    ]


def test_prepared_queries_give_the_orms_rows_for_every_driver_and_team():
    world, other_team, guest = _world()
    checked = 0
    for driver in [world.star, guest, *[e.driver for e in Entry.objects.all()[:3]]]:
        for prepared in (
            drivers._DRIVER_ENTRIES,
            drivers._DRIVER_TITLES,
            drivers._DRIVER_TEAMS,
            drivers._DRIVER_COUNTS,
        ):
            assert _clean(_rows(prepared, driver.pk)) == _clean(_orm_rows(prepared, driver.pk))
            checked += 1
        assert drivers.get_driver(driver.slug).pk == driver.pk
    for team in (world.team, other_team):
        rows = _clean(_rows(teams._TEAM_ENTRIES, team.pk))
        assert rows == _clean(_orm_rows(teams._TEAM_ENTRIES, team.pk))
        assert rows, "every team here holds a seat"
        assert teams.get_team(team.slug).pk == team.pk
    assert checked == 20
    # Each was compiled once and run as compiled (PostgreSQL refuses a stand-in out of a column's
    # range, which leaves a query unprepared: none of these).
    for prepared in (
        drivers._DRIVER,
        drivers._DRIVER_ENTRIES,
        drivers._DRIVER_TITLES,
        drivers._DRIVER_TEAMS,
        drivers._DRIVER_COUNTS,
        teams._TEAM,
        teams._TEAM_ENTRIES,
    ):
        assert len(prepared._shapes) >= 1, prepared.build


def test_counts_and_places_are_the_orms():
    world, other_team, guest = _world()
    for team in (world.team, other_team):
        entries = list(teams._TEAM_ENTRIES(team.pk))
        seats = [e.pk for e in entries if e.team_id == team.pk]
        expected = race_counts_by_season(
            counted_results().filter(Q(team=team) | Q(team__isnull=True, entry_id__in=seats)),
            {e.pk: e.season_id for e in entries},
        )
        assert teams.team_race_counts(team, entries) == expected
    # The guest raced for the other team only: its page counts that race, the entered team's not.
    assert (
        sum(
            c.starts
            for c in teams.team_race_counts(
                other_team, list(teams._TEAM_ENTRIES(other_team.pk))
            ).values()
        )
        == 1
    )
    for driver in (world.star, guest):
        entries = list(drivers._DRIVER_ENTRIES(driver.pk))
        expected = race_counts_by_season(
            counted_results().filter(entry__driver=driver), {e.pk: e.season_id for e in entries}
        )
        assert drivers.driver_race_counts(driver, entries) == expected
        assert expected, "the driver has starts"
        seasons = [e.season for e in entries]
        places = careers.season_standings(seasons, driver.slug, "drivers")
        assert {pk: (p.position, p.has_results) for pk, p in places.items()} == {
            pk: (p.position, p.has_results)
            for pk, p in final_places(seasons, "drivers", driver.slug).items()
        }
        assert set(places) == {s.pk for s in seasons}
    assert standings._FINAL_ROWS._shapes and teams._TEAM_COUNTS._shapes


def test_a_stale_seasons_place_is_recomputed(monkeypatch):
    world = build_world(2)
    season = Season.objects.get(pk=world.seasons[0].pk)
    seasons = list(Season.objects.filter(pk__in=[s.pk for s in world.seasons]))
    before = careers.season_standings(seasons, world.star.slug, "drivers")
    assert before[season.pk].position == 1
    # A change whose after-commit computation has not run: the stored rows are stale.
    with transaction.atomic():
        Result.objects.filter(session__round__season=season, entry__driver=world.star).update(
            position=50
        )
        from series.versions import stamp_season_record

        stamp_season_record(season)
    rebuilt = []
    from series import standings_store

    rebuild = standings_store.rebuild
    monkeypatch.setattr(standings_store, "rebuild", lambda ids: rebuilt.append(ids) or rebuild(ids))
    after = careers.season_standings(seasons, world.star.slug, "drivers")
    assert rebuilt == [[season.pk]]
    assert after[season.pk].position != 1
    assert {pk: p for pk, p in after.items() if pk != season.pk} == {
        pk: p for pk, p in before.items() if pk != season.pk
    }


@pytest.mark.parametrize("url", ["/drivers/nobody/", "/teams/nobody/"])
def test_a_missing_slug_is_still_a_404(fan, url):
    assert fan.get(url).status_code == 404
    kind = drivers.get_driver if "drivers" in url else teams.get_team
    with pytest.raises(Http404, match="No (Driver|Team) matches the given query."):
        kind("nobody")


def test_the_teams_first_page_and_its_count_are_page_ofs():
    from series.selectors.paging import page_of

    for n in range(6):
        for per_page in (1, 2, 3, 200):
            expected = page_of(teams._teams_a_to_z(), 1, per_page)
            assert teams._first_page(per_page) == expected, (n, per_page)
        f.make_team(f"Team {5 - n}")
    assert teams._first_page(4)[1].pages == 2
    assert [row[2] for row in teams._first_page(4)[0]] == ["Team 0", "Team 1", "Team 2", "Team 3"]


@pytest.mark.parametrize(
    "texts",
    [
        ("Porsche Carrera Cup Germany", "CC Germany"),
        ("  Spa |  Francorchamps ", ""),
        ("", ""),
        ("|",),
        ("Nürburgring", "Nürburg"),
        ("Sørensen",),
        ("笹原右京", "Ukyo Sasahara"),
        ("STRAßE",),
        ("Mixed Case\tTabs\nLines",),
    ],
)
def test_the_searchs_folding_is_search_text(texts):
    from series.models.people import search_text
    from series.selectors.search import _folded

    assert _folded(*texts) == search_text(*texts)


def test_search_finds_series_events_and_circuits_by_folded_name(fan):
    world = build_world(1)
    body = fan.get("/search/?q=LAGUNA seca").content.decode()
    assert f"/circuits/{world.circuit.slug}/" in body
    body = fan.get("/search/?q=rennsport").content.decode()
    assert f"/events/{world.festival.slug}/" in body
    assert "Nothing matches" in fan.get("/search/?q=zzzz").content.decode()
