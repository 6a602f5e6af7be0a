"""The champion check: the champion computed from a complete season's results against the
champion on record, per class, on the season's admin page and its changelist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from series.models import Champion, Driver, Season, SessionStatus
from series.selectors.champion_check import (
    AGREES,
    DISAGREES,
    INCOMPLETE,
    NO_RECORD,
    NOT_A_CLASS,
    champion_check,
    champion_summaries,
    record_class_keys,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _season_won_by(winner: str, second: str, *, status=SessionStatus.FINAL, classes=None):
    """A one-race season: winner 1st, second 2nd. classes maps a driver's name to a class name."""
    season = f.make_season(series=f.make_series())
    season_classes = {name: f.make_class(season, name) for name in set((classes or {}).values())}
    race = f.make_session(f.make_round(season, 1), status=status)
    for position, name in enumerate([winner, second], start=1):
        driver = f.make_driver(name)
        season_class = season_classes.get((classes or {}).get(name))
        entry = f.make_entry(season, driver, car_number=position, season_class=season_class)
        f.make_result(race, entry, position)
    return season


def _record(season: Season, name: str, class_name: str = "overall", *, linked=True) -> Champion:
    driver = Driver.objects.filter(name=name).first() if linked else None
    return Champion.objects.create(
        series=season.series,
        year=season.year,
        class_name=class_name,
        driver=driver,
        driver_name=name,
    )


def _by_class(checks):
    return {check.class_name: check for check in checks}


def test_complete_season_whose_leader_is_on_record_agrees():
    season = _season_won_by("Bastian Buus", "Larry ten Voorde")
    _record(season, "Bastian Buus")

    [overall] = champion_check(season)

    assert overall.status == AGREES
    assert overall.computed.name == "Bastian Buus"
    assert overall.on_record == ("Bastian Buus",)
    assert overall.text == "✓ agrees: Bastian Buus"


def test_record_without_a_driver_link_is_matched_by_name():
    season = _season_won_by("Dylan Pereira", "Ayhancan Güven")
    _record(season, "dylan  pereira", linked=False)

    assert champion_check(season)[0].status == AGREES


def test_complete_season_whose_leader_is_not_on_record_disagrees():
    season = _season_won_by("Bastian Buus", "Larry ten Voorde")
    _record(season, "Larry ten Voorde")

    [overall] = champion_check(season)

    assert overall.status == DISAGREES
    assert overall.text == "✗ disagrees: computed Bastian Buus, on record Larry ten Voorde"


def test_season_with_a_provisional_race_is_results_incomplete():
    season = _season_won_by("Bastian Buus", "Larry ten Voorde", status=SessionStatus.PROVISIONAL)
    _record(season, "Larry ten Voorde")

    [overall] = champion_check(season)

    assert overall.status == INCOMPLETE
    assert overall.computed is None
    assert overall.on_record == ("Larry ten Voorde",)


def test_complete_season_without_a_record_says_so():
    season = _season_won_by("Bastian Buus", "Larry ten Voorde")

    [overall] = champion_check(season)

    assert overall.status == NO_RECORD
    assert overall.text == "no record (computed Bastian Buus)"


def test_each_class_is_checked_against_its_record_by_name_ignoring_punctuation():
    season = _season_won_by(
        "Riley Dickinson",
        "Efrin Castro",
        classes={"Riley Dickinson": "Pro", "Efrin Castro": "Pro-Am"},
    )
    _record(season, "Riley Dickinson", "Pro (overall, Al Holbert Cup)")
    _record(season, "Mark Kvamme", "ProAm", linked=False)

    checks = _by_class(champion_check(season))

    assert checks["Overall"].status == AGREES  # "overall" inside the brackets
    assert checks["Pro"].status == AGREES
    assert checks["Pro-Am"].status == DISAGREES
    assert checks["Pro-Am"].computed.name == "Efrin Castro"
    assert checks["Pro-Am"].on_record == ("Mark Kvamme",)


def test_record_of_a_class_the_season_does_not_have_is_flagged_not_compared():
    season = _season_won_by("Dylan Pereira", "Roar Lindland")
    _record(season, "Dylan Pereira")
    _record(season, "Roar Lindland", "Pro-Am")

    checks = _by_class(champion_check(season))

    assert checks["Overall"].status == AGREES
    assert checks["Pro-Am"].status == NOT_A_CLASS
    assert checks["Pro-Am"].on_record == ("Roar Lindland",)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("overall", {"overall"}),
        ("Pro-Am", {"proam"}),
        ("overall (Pro)", {"overall", "pro"}),
        ("Pro (overall, Al Holbert Cup)", {"pro", "overall", "alholbertcup"}),
        ("none", set()),
    ],
)
def test_record_class_text_names_its_classes(text, keys):
    assert record_class_keys(text) == keys


def test_summaries_name_every_disagreement_and_incomplete_seasons():
    agreeing = _season_won_by("Bastian Buus", "Larry ten Voorde")
    _record(agreeing, "Bastian Buus")
    disagreeing = _season_won_by("Harry King", "Loek Hartog")
    _record(disagreeing, "Loek Hartog")
    incomplete = _season_won_by("Alessandro Ghiretti", "Callum Hedge", status=SessionStatus.FINAL)
    incomplete.results_partial = True
    incomplete.save()
    empty = f.make_season()

    summaries = champion_summaries(Season.objects.all())

    assert summaries[agreeing.pk] == "✓ agrees"
    assert summaries[disagreeing.pk] == "✗ disagrees: computed Harry King, on record Loek Hartog"
    assert summaries[incomplete.pk] == INCOMPLETE
    assert summaries[empty.pk] == INCOMPLETE


# --- in the admin ---------------------------------------------------------------------------


def test_season_page_shows_the_disagreement(editor):
    season = _season_won_by("Harry King", "Loek Hartog")
    _record(season, "Loek Hartog")

    response = editor.get(reverse("admin:series_season_change", args=[season.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Champion check" in page
    assert "✗ disagrees: computed Harry King, on record Loek Hartog" in page


def test_season_page_shows_incomplete_results(editor):
    season = _season_won_by("Harry King", "Loek Hartog", status=SessionStatus.PROVISIONAL)

    response = editor.get(reverse("admin:series_season_change", args=[season.pk]))

    assert "results incomplete" in response.content.decode()


def test_season_changelist_flags_disagreements_in_words(editor):
    agreeing = _season_won_by("Bastian Buus", "Larry ten Voorde")
    _record(agreeing, "Bastian Buus")
    disagreeing = _season_won_by("Harry King", "Loek Hartog")
    _record(disagreeing, "Loek Hartog")

    response = editor.get(reverse("admin:series_season_changelist"))

    page = response.content.decode()
    assert "✓ agrees" in page
    assert "✗ disagrees: computed Harry King, on record Loek Hartog" in page


def _complete_seasons(n: int) -> None:
    for index in range(n):
        season = _season_won_by(f"Winner {f._n()}", f"Second {f._n()}")
        _record(season, season.entries.get(car_number=1 + index % 2).driver.name)


def test_season_changelist_queries_do_not_grow_with_complete_seasons_once_cached(editor):
    # Prevents an n+1: the check costs the rounds, the scoring sessions, the records and the site
    # version for the whole page; each complete season's standings are computed once per change of
    # the record and then come from the cache (the first visit after a change computes them).
    url = reverse("admin:series_season_changelist")
    _complete_seasons(3)
    editor.get(url)
    with CaptureQueriesContext(connection) as few:
        editor.get(url)

    _complete_seasons(12)
    editor.get(url)
    with CaptureQueriesContext(connection) as many:
        response = editor.get(url)

    assert response.context["cl"].result_count == 15
    assert "✗ disagrees" in response.content.decode()
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]
