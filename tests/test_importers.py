import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from series.imports.api import import_results, import_season
from series.imports.report import ImportFailed
from series.models import (
    Driver,
    Entry,
    Result,
    ResultStatus,
    Round,
    ScoringRules,
    Season,
    SeasonClass,
    Session,
    SessionStatus,
    SiteVersion,
    Team,
)
from tests.factories import (
    make_circuit,
    make_class,
    make_driver,
    make_event,
    make_round,
    make_season,
    make_series,
    make_session,
    make_team,
)

pytestmark = pytest.mark.django_db

HEADER = "round,session,position,status,number,driver,team,class,guest,time,best_lap,pole\n"


# --- seasons ------------------------------------------------------------------------------------


@pytest.fixture
def calendar():
    """A series and two events to hang a season on."""
    series = make_series(name="Carrera Cup North America", slug="carrera-cup-north-america")
    circuit = make_circuit(name="Laguna Seca", slug="laguna-seca", time_zone="America/Los_Angeles")
    rr7 = make_event(circuit, start=dt.date(2023, 9, 28), end_date=dt.date(2023, 10, 1), slug="rr7")
    cota = make_event(start=dt.date(2023, 10, 20), end_date=dt.date(2023, 10, 22), slug="cota")
    return series, rr7, cota


SEASON_TOML = """\
series = "carrera-cup-north-america"
year = 2023
name = "2023 Porsche Deluxe Carrera Cup North America"
car = "911 GT3 Cup (type 992)"
classes = ["Pro", "Pro-Am", "Am"]
results_partial = false
results_note = ""
source = "pccna_2023_format_and_points.md"

[scoring]
race = [25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
pole = 5
guests = "pass-down"
class_scoring = "class-position"

[scoring.class.pro-am]
drop_worst = 2
undroppable_last = 2

[[rounds]]
number = 13
date = 2023-10-01
event = "rr7"
circuit = "laguna-seca"
multiplier = 1
sessions = ["qualifying", { kind = "race", starts_at = 2023-10-01T11:00:00-07:00 }]

[[rounds]]
number = 14
date = 2023-10-01
event = "rr7"
multiplier = 1

[[rounds]]
number = 15
date = 2023-10-22
event = "cota"
multiplier = 0.5
"""


def test_import_season_creates_rules_classes_rounds_and_named_sessions(calendar):
    season, report = import_season(SEASON_TOML)

    assert season.year == 2023 and season.name.startswith("2023 Porsche Deluxe")
    assert season.scoring.pole_points == 5
    assert [c.slug for c in season.classes.all()] == ["pro", "pro-am", "am"]
    assert season.classes.get(slug="pro-am").drop_worst == 2
    assert season.classes.get(slug="pro").drop_worst is None
    assert list(season.rounds.values_list("number", flat=True)) == [13, 14, 15]
    assert season.rounds.get(number=15).multiplier == 0.5
    race = Session.objects.get(slug="carrera-cup-north-america-r13-race")
    assert race.name == "Race 13" and race.event.slug == "rr7"
    assert race.starts_at == dt.datetime(2023, 10, 1, 18, 0, tzinfo=dt.UTC)
    assert Session.objects.get(slug="carrera-cup-north-america-r13-qualifying").name == (
        "Qualifying 13"
    )
    assert report.created == {
        "seasons": 1,
        "scoring rules": 1,
        "classes": 3,
        "rounds": 3,
        "sessions": 4,
    }


def test_importing_the_same_season_again_changes_nothing(calendar):
    import_season(SEASON_TOML)
    version = SiteVersion.objects.get(pk=1).version

    season, report = import_season(SEASON_TOML)

    assert not report.changed_anything
    assert Round.objects.filter(season=season).count() == 3
    assert Session.objects.count() == 4
    assert SiteVersion.objects.get(pk=1).version == version


def test_season_reimport_updates_and_removes_rounds_no_longer_listed(calendar):
    import_season(SEASON_TOML)
    shorter = SEASON_TOML.split("[[rounds]]\nnumber = 15")[0].replace(
        "number = 14\ndate = 2023-10-01", "number = 14\ndate = 2023-09-30"
    )

    season, report = import_season(shorter)

    assert list(season.rounds.values_list("number", flat=True)) == [13, 14]
    assert season.rounds.get(number=14).date == dt.date(2023, 9, 30)
    assert report.deleted["rounds"] == 1
    assert report.updated["rounds"] == 1


def test_unknown_season_key_is_named_with_its_line(calendar):
    text = SEASON_TOML.replace('car = "911', 'colour = "red"\ncar = "911')

    with pytest.raises(ImportFailed) as failed:
        import_season(text)

    [error] = failed.value.errors
    assert error.row == 4
    assert "unknown key 'colour'" in error.message
    assert not Season.objects.exists()


def test_bad_values_name_their_keys_and_rounds(calendar):
    text = (
        SEASON_TOML.replace('guests = "pass-down"', 'guests = "sometimes"')
        .replace("multiplier = 0.5", 'multiplier = "half"')
        .replace("drop_worst = 2", "drop_worst = -1")
    )

    with pytest.raises(ImportFailed) as failed:
        import_season(text)

    messages = {error.row: error.message for error in failed.value.errors}
    assert "scoring.guests must be one of pass-down, skip" in messages[13]
    assert "scoring.class.pro-am.drop_worst" in messages[17]
    assert "round 15.multiplier must be a number" in messages[38]
    assert not Season.objects.exists()


def test_unknown_event_and_wrong_circuit_stop_the_season_import(calendar):
    text = SEASON_TOML.replace('event = "cota"', 'event = "cotaa"').replace(
        'circuit = "laguna-seca"', 'circuit = "monza"'
    )

    with pytest.raises(ImportFailed) as failed:
        import_season(text)

    text_of_errors = str(failed.value)
    assert "unknown event 'cotaa'" in text_of_errors
    assert "event rr7 is at laguna-seca, not 'monza'" in text_of_errors
    assert not Season.objects.exists() and not Round.objects.exists()


def test_toml_syntax_error_names_its_line(calendar):
    with pytest.raises(ImportFailed) as failed:
        import_season('series = "x"\nyear = = 2023\n')

    assert failed.value.errors[0].row == 2


def test_season_dry_run_reports_but_writes_nothing(calendar):
    season, report = import_season(SEASON_TOML, dry_run=True)

    assert season is None
    assert report.dry_run and report.created["rounds"] == 3
    assert not Season.objects.exists() and not ScoringRules.objects.exists()
    assert not Session.objects.exists()


def test_import_season_command_exits_with_the_error_list(calendar, tmp_path):
    path = tmp_path / "season.toml"
    path.write_text(SEASON_TOML.replace("year = 2023", "year = 2023\nfoo = 1"))

    with pytest.raises(CommandError, match="line 3: unknown key 'foo'"):
        call_command("import_season", str(path), stdout=StringIO())


# --- results ------------------------------------------------------------------------------------


@pytest.fixture
def season():
    """A full-results season: rounds 1 and 2 with a race each, round 1 also a qualifying."""
    series = make_series(name="Supercup Test", slug="supercup-test", tier=1)
    season = make_season(series, year=2023)
    make_class(season, "Pro")
    make_class(season, "Pro-Am")
    for number in (1, 2):
        round_ = make_round(season, number)
        make_session(round_, status=SessionStatus.SCHEDULED)
    make_session(season.rounds.get(number=1), kind="qualifying", status=SessionStatus.SCHEDULED)
    for name in ("Larry ten Voorde", "Bastian Buus", "Harry King"):
        make_driver(name)
    make_team("Team GP Elite")
    make_team("BWT Lechner Racing")
    return season


GOOD = HEADER + (
    "1,race,1,,7,Harry King,BWT Lechner Racing,Pro,no,38:12.345,1:38.765,yes\n"
    "1,race,2,,1,Larry ten Voorde,Team GP Elite,Pro,no,,,no\n"
    "1,race,,Ret,11,Bastian Buus,BWT Lechner Racing,Pro-Am,yes,,,\n"
    "2,,1,,1,larry-ten-voorde,team-gp-elite,pro,,,,\n"
)


def test_results_import_creates_entries_and_results(season):
    report = import_results(season, GOOD)

    race = Session.objects.get(round__season=season, round__number=1, kind="race")
    results = list(race.results.select_related("entry__driver"))
    assert [(r.entry.driver.name, r.position, r.status) for r in results] == [
        ("Harry King", 1, ResultStatus.FINISHED),
        ("Larry ten Voorde", 2, ResultStatus.FINISHED),
        ("Bastian Buus", None, ResultStatus.RETIRED),
    ]
    king = results[0]
    assert king.race_time == dt.timedelta(minutes=38, seconds=12.345)
    assert king.best_lap == dt.timedelta(minutes=1, seconds=38.765)
    assert king.pole and king.car_number == 7
    buus = Entry.objects.get(season=season, driver__name="Bastian Buus")
    assert buus.guest and buus.season_class.slug == "pro-am" and buus.car_number == 11
    assert Entry.objects.filter(season=season).count() == 3
    assert race.status == SessionStatus.PROVISIONAL
    assert report.created == {"entries": 3, "results": 4}
    assert "Round 1 race: 3 results" in report.changes


def test_reimporting_a_session_replaces_its_results_instead_of_duplicating(season):
    import_results(season, GOOD)
    corrected = HEADER + (
        "1,race,1,,7,Harry King,BWT Lechner Racing,Pro,no,,,\n"
        "1,race,2,,11,Bastian Buus,BWT Lechner Racing,Pro-Am,no,,,\n"
    )

    report = import_results(season, corrected)

    race = Session.objects.get(round__season=season, round__number=1, kind="race")
    assert race.results.count() == 2
    assert race.results.get(position=2).entry.driver.name == "Bastian Buus"
    # Round 2 is not in the corrected file: its result is untouched.
    assert Result.objects.filter(session__round__number=2).count() == 1
    assert Entry.objects.filter(season=season).count() == 3
    assert "Round 1 race: 2 results replace 3" in report.changes
    assert report.deleted == {"results": 3}


def test_importing_the_same_results_again_changes_nothing(season):
    import_results(season, GOOD)
    ids = set(Result.objects.values_list("pk", flat=True))

    report = import_results(season, GOOD)

    assert not report.changed_anything
    assert set(Result.objects.values_list("pk", flat=True)) == ids


def test_results_dry_run_writes_nothing(season):
    report = import_results(season, GOOD, dry_run=True, create_missing=True)

    assert report.dry_run and report.created["results"] == 4
    assert not Result.objects.exists() and not Entry.objects.exists()
    assert Session.objects.filter(status=SessionStatus.PROVISIONAL).count() == 0


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        ("9,race,3,,,Harry King,,,,,,", 3, "unknown round 9"),
        ("1,sprint,3,,,Harry King,,,,,,", 3, "unknown session 'sprint' in round 1"),
        ("1,race,3,,,Harry King,,Gold,,,,", 3, "unknown class 'Gold' (classes: Pro, Pro-Am)"),
        (
            "1,race,2,,,Harry King,,,,,,",
            3,
            "position 2 is given twice in Round 1 race (also line 2)",
        ),
        ("1,race,4,,,Harry King,,,,,,", 3, "skip from 2 to 4 (position 3 is missing"),
        ("1,race,3,,1,Harry King,,,,,,", 3, "car number 1 is given twice in Round 1 race"),
        ("1,race,3,,,Larry ten Voorde,,,,,,", 3, "Larry ten Voorde is given twice in Round 1 race"),
        ("1,race,3,,,Mick Schumacher,,,,,,", 3, "unknown driver 'Mick Schumacher'"),
        ("1,race,3,,,Harry King,Ferrari,,,,,", 3, "unknown team 'Ferrari'"),
        ("1,race,3,,seven,Harry King,,,,,,", 3, "number: 'seven' is not a whole number"),
        ("1,race,3,,,Harry King,,,,38:1x,,", 3, "time: '38:1x' is not a time"),
        ("1,race,3,,,Harry King,,,perhaps,,,", 3, "guest: 'perhaps' is not yes/no"),
        ("1,race,3,DSQ,,Harry King,,,,,,", 3, "position 3 given with status 'DSQ'"),
        ("1,race,3,Crashed,,Harry King,,,,,,", 3, "unknown status 'Crashed'"),
        ("1,race,,,,Harry King,,,,,,", 3, "give a position or a status"),
    ],
)
def test_bad_row_is_named_and_nothing_is_written(season, rows, line, message):
    text = HEADER + "1,race,2,,1,Larry ten Voorde,,,,,,\n1,race,1,,2,Bastian Buus,,,,,,\n"
    # The bad row goes in as line 3, between the two good ones.
    first, second = text.splitlines(keepends=True)[1:]
    text = HEADER + first + rows + "\n" + second

    with pytest.raises(ImportFailed) as failed:
        import_results(season, text)

    assert any(e.row == line and message in e.message for e in failed.value.errors), str(
        failed.value
    )
    assert not Result.objects.exists() and not Entry.objects.exists()


def test_every_bad_row_is_listed_at_once(season):
    text = HEADER + "9,race,1,,,Harry King,,,,,,\n1,race,1,,,Nobody Known,,,,,,\n"

    with pytest.raises(ImportFailed) as failed:
        import_results(season, text)

    assert [error.row for error in failed.value.errors] == [2, 3]
    assert str(failed.value).splitlines()[0].startswith("line 2: round: unknown round 9")


def test_unknown_driver_gets_a_near_match_suggestion(season):
    text = HEADER + "1,race,1,,,Lary ten Vorde,,,,,,\n"

    with pytest.raises(ImportFailed) as failed:
        import_results(season, text)

    assert "did you mean Larry ten Voorde?" in failed.value.errors[0].message


def test_unknown_team_gets_a_near_match_suggestion(season):
    text = HEADER + "1,race,1,,,Harry King,BWT Lechner Racin,,,,,\n"

    with pytest.raises(ImportFailed) as failed:
        import_results(season, text)

    assert "did you mean BWT Lechner Racing" in failed.value.errors[0].message


def test_create_missing_adds_drivers_and_teams_with_unique_slugs(season):
    make_driver("Someone Else", slug="morris-schuring")
    text = HEADER + "1,race,1,,,Morris Schuring,Fach Auto Tech,,,,,\n"

    report = import_results(season, text, create_missing=True)

    driver = Driver.objects.get(name="Morris Schuring")
    assert driver.slug == "morris-schuring-2"
    assert Team.objects.get(name="Fach Auto Tech").slug == "fach-auto-tech"
    assert report.created["drivers"] == 1 and report.created["teams"] == 1


def test_drivers_and_teams_an_import_creates_can_be_searched(season):
    text = HEADER + "1,race,1,,,Kalle Rovanperä,Team Zöchling,,,,,\n"

    import_results(season, text, create_missing=True)

    driver = Driver.objects.get(name="Kalle Rovanperä")
    assert driver.search_name == "kalle rovanpera | rovanpera, kalle"
    assert Team.objects.get(name="Team Zöchling").search_name == "team zochling"


def test_nothing_is_half_written_when_a_later_row_fails(season):
    text = HEADER + "1,race,1,,,New Driver,New Team,,,,,\n2,race,1,,,Harry King,,,maybe,,,\n"

    with pytest.raises(ImportFailed):
        import_results(season, text, create_missing=True)

    assert not Driver.objects.filter(name="New Driver").exists()
    assert not Team.objects.filter(name="New Team").exists()
    assert not Entry.objects.exists() and not Result.objects.exists()


def test_partial_season_accepts_positions_with_gaps(season):
    Season.objects.filter(pk=season.pk).update(results_partial=True)
    season.refresh_from_db()
    text = HEADER + "1,race,4,,,Harry King,,,,,,\n1,race,27†,,,Larry ten Voorde,,,,,,\n"

    import_results(season, text)

    positions = dict(Result.objects.values_list("entry__driver__name", "position"))
    assert positions == {"Harry King": 4, "Larry ten Voorde": 27}
    dagger = Result.objects.get(position=27)
    assert dagger.status == ResultStatus.RETIRED and dagger.classified


def test_partial_season_still_refuses_a_position_twice(season):
    Season.objects.filter(pk=season.pk).update(results_partial=True)
    season.refresh_from_db()
    text = HEADER + "1,race,4,,,Harry King,,,,,,\n1,race,4,,,Larry ten Voorde,,,,,,\n"

    with pytest.raises(ImportFailed, match="position 4 is given twice"):
        import_results(season, text)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("DNF", ResultStatus.RETIRED),
        ("retired", ResultStatus.RETIRED),
        ("dns", ResultStatus.NOT_STARTED),
        ("DQ", ResultStatus.DISQUALIFIED),
        ("NC", ResultStatus.NOT_CLASSIFIED),
        ("Ex", ResultStatus.EXCLUDED),
    ],
)
def test_status_codes_are_read_in_any_case(season, status, expected):
    text = HEADER + f"1,race,1,,,Harry King,,,,,,\n1,race,,{status},,Bastian Buus,,,,,,\n"

    import_results(season, text)

    assert Result.objects.get(entry__driver__name="Bastian Buus").status == expected


def test_session_named_by_kind_or_slug(season):
    text = HEADER + (
        "1,qualifying,1,,,Harry King,,,,,,\n1,supercup-test-r1-qualifying,2,,,Bastian Buus,,,,,,\n"
    )

    import_results(season, text)

    qualifying = Session.objects.get(slug="supercup-test-r1-qualifying")
    assert qualifying.results.count() == 2


def test_unknown_column_is_an_error_on_the_header(season):
    with pytest.raises(ImportFailed) as failed:
        import_results(season, "round,driver,position,speed\n1,Harry King,1,fast\n")

    assert failed.value.errors[0].row == 1
    assert "unknown column(s) 'speed'" in failed.value.errors[0].message


def test_import_results_command_prints_report_and_fails_with_errors(season, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "1,race,1,,,Lary ten Vorde,,,,,,\n")
    out = StringIO()

    call_command("import_results", "supercup-test", "2023", str(good), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "4 results" in out.getvalue()
    assert not Result.objects.exists()

    with pytest.raises(CommandError, match="line 2: unknown driver 'Lary ten Vorde'"):
        call_command("import_results", "supercup-test", "2023", str(bad), stdout=StringIO())

    call_command("import_results", "supercup-test", "2023", str(good), "--final", stdout=out)
    assert Session.objects.filter(status=SessionStatus.FINAL).count() == 2
    assert SeasonClass.objects.filter(season=season).count() == 2
