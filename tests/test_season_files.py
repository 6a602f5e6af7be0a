"""A season from one file: circuits and events defined in the season file (issue #10 item 1), local
start times, date precision, and hostile or wrong input answered with every error at once."""

import csv
import datetime as dt
import tomllib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from series.imports.api import import_season
from series.imports.report import ImportFailed
from series.models import Circuit, Event, Result, Round, Season, Session, SiteVersion
from tests.factories import make_circuit, make_event, make_series

pytestmark = pytest.mark.django_db

NEW_CHAMPIONSHIP = """\
series = "gt3-cup-challenge-usa"
year = 2027
name = "2027 Porsche Sprint Challenge USA"
description = "The first season on record."
notes = "Private: calendar read from the launch article."

[scoring]
race = [25, 20, 17]

[[circuits]]
slug = "sebring"
name = "Sebring International Raceway"
country = "United States"
time_zone = "America/New_York"
length_km = 6.019

[[circuits]]
slug = "road-atlanta"
name = "Michelin Raceway Road Atlanta"
time_zone = "America/New_York"

[[events]]
slug = "sebring-2027"
name = "Sebring 2027"
circuit = "sebring"
start_date = 2027-03-16
end_date = 2027-03-18
supports = "IMSA Sebring 12 Hours"

[[events]]
slug = "road-atlanta-2027"
name = "Road Atlanta 2027"
circuit = "road-atlanta"
start_date = 2027-10-07
end_date = 2027-10-09
date_precision = "weekend"

[[rounds]]
number = 1
date = 2027-03-17
event = "sebring-2027"
sessions = [{ kind = "qualifying", starts_at = "09:45" }, { kind = "race", starts_at = "14:05" }]
description = "Opening race."
notes = "Private: start time from the timetable PDF."

[[rounds]]
number = 2
date = 2027-10-09
date_precision = "weekend"
event = "road-atlanta-2027"
"""


@pytest.fixture
def series():
    return make_series(name="Porsche GT3 Cup Challenge USA", slug="gt3-cup-challenge-usa")


def test_a_new_championship_comes_from_one_file_with_its_circuits_and_events(series):
    season, report = import_season(NEW_CHAMPIONSHIP)

    assert report.created == {
        "circuits": 2,
        "events": 2,
        "seasons": 1,
        "scoring rules": 1,
        "rounds": 2,
        "sessions": 3,
    }
    sebring = Circuit.objects.get(slug="sebring")
    assert sebring.time_zone == "America/New_York" and str(sebring.length_km) == "6.019"
    event = Event.objects.get(slug="sebring-2027")
    assert event.circuit == sebring and event.supports == "IMSA Sebring 12 Hours"
    assert Event.objects.get(slug="road-atlanta-2027").date_precision == "weekend"
    assert season.description == "The first season on record."
    assert season.notes.startswith("Private")
    first = season.rounds.get(number=1)
    assert first.description == "Opening race." and first.notes.startswith("Private")
    assert season.rounds.get(number=2).date_precision == "weekend"
    # 14:05 at Sebring on 17 March 2027 is daylight time (UTC-4): 18:05 UTC.
    race = Session.objects.get(round=first, kind="race")
    assert race.starts_at == dt.datetime(2027, 3, 17, 18, 5, tzinfo=dt.UTC)
    qualifying = Session.objects.get(round=first, kind="qualifying")
    assert qualifying.starts_at == dt.datetime(2027, 3, 17, 13, 45, tzinfo=dt.UTC)


def test_importing_the_new_championship_again_changes_nothing(series):
    import_season(NEW_CHAMPIONSHIP)
    version = SiteVersion.objects.get(pk=1).version

    _, report = import_season(NEW_CHAMPIONSHIP)

    assert not report.changed_anything
    assert SiteVersion.objects.get(pk=1).version == version


def test_a_file_updates_only_the_circuit_keys_it_gives(series):
    make_circuit(name="Sebring", slug="sebring", time_zone="America/New_York", source="kept")
    text = NEW_CHAMPIONSHIP.replace('time_zone = "America/New_York"\nlength_km', "length_km", 1)

    import_season(text)

    sebring = Circuit.objects.get(slug="sebring")
    assert sebring.name == "Sebring International Raceway" and sebring.source == "kept"


def test_the_same_file_in_an_empty_database_says_how_to_add_the_series_and_every_other_error():
    text = NEW_CHAMPIONSHIP.replace('event = "road-atlanta-2027"', 'event = "road-atlant-2027"')
    text = text.replace('circuit = "road-atlanta"', 'circuit = "road-atlnta"')

    with pytest.raises(ImportFailed) as failure:
        import_season(text)

    messages = [str(error) for error in failure.value.errors]
    assert any(
        message.startswith("line 1: series: unknown series 'gt3-cup-challenge-usa'")
        and "add it first" in message
        and "series.csv" in message
        for message in messages
    ), messages
    assert any(
        "unknown circuit 'road-atlnta' — did you mean road-atlanta?" in m for m in messages
    ), messages
    assert any(
        "unknown event 'road-atlant-2027' — did you mean road-atlanta-2027?" in m for m in messages
    ), messages
    assert Circuit.objects.count() == 0 and Event.objects.count() == 0
    assert Season.objects.count() == 0


def test_an_unknown_event_in_the_database_gets_a_near_match(series):
    make_event(slug="monaco-2027", start=dt.date(2027, 5, 27), end_date=dt.date(2027, 5, 30))
    text = (
        'series = "gt3-cup-challenge-usa"\nyear = 2027\n[scoring]\nrace = [1]\n'
        '[[rounds]]\nnumber = 1\ndate = 2027-05-30\nevent = "monaco-2026"\n'
    )
    with pytest.raises(ImportFailed) as failure:
        import_season(text)
    assert "line 5: round 1.event: unknown event 'monaco-2026' — did you mean monaco-2027?" in str(
        failure.value
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('time_zone = "America/New_York"\nlength_km = 6.019', "length_km = 6.019"),
            "line 10: circuit sebring: missing key 'time_zone' (required for a new circuit)",
        ),
        (
            ('time_zone = "America/New_York"\nlength_km', 'time_zone = "Mars/Olympus"\nlength_km'),
            "line 14: circuit sebring.time_zone: 'Mars/Olympus' is not an IANA time zone",
        ),
        (
            ("end_date = 2027-03-18", "end_date = 2027-03-01"),
            "line 27: event sebring-2027: end_date is before start_date",
        ),
        (
            (
                'date_precision = "weekend"\n\n[[rounds]]',
                'date_precision = "fortnight"\n\n[[rounds]]',
            ),
            "line 36: event road-atlanta-2027.date_precision must be one of day, weekend, month",
        ),
        (
            (
                '\ndate = 2027-10-09\ndate_precision = "weekend"',
                "\ndate = 2027-10-09\ndate_precision = 3",
            ),
            "line 49: round 2.date_precision must be one of day, weekend, month, got 3",
        ),
        (
            ('starts_at = "14:05"', 'starts_at = "25:05"'),
            "line 42: round 1.sessions.starts_at must be a local time at the circuit",
        ),
        (
            ('name = "Sebring 2027"', 'name = "' + "S" * 161 + '"'),
            "line 24: events[1].name is 161 characters long; at most 160 are allowed",
        ),
        (
            ('name = "2027 Porsche Sprint Challenge USA"', 'name = "' + "x" * 200 + '"'),
            "line 3: name is 200 characters long; at most 160 are allowed",
        ),
        (
            ('slug = "sebring"', 'slug = "Sebring Raceway"'),
            "line 11: circuit Sebring Raceway: a slug is lower-case letters, digits and hyphens",
        ),
        (
            ('[[circuits]]\nslug = "road-atlanta"', '[[circuits]]\nslug = "sebring"'),
            "line 17: circuit sebring is defined twice (also line 10)",
        ),
        (
            ("[[events]]\nslug", "[[events]]\nsurface = 'asphalt'\nslug"),
            "line 23: unknown key 'events[1].surface'",
        ),
    ],
)
def test_each_bad_definition_names_its_line_and_nothing_is_written(series, change, message):
    old, new = change
    assert old in NEW_CHAMPIONSHIP
    with pytest.raises(ImportFailed) as failure:
        import_season(NEW_CHAMPIONSHIP.replace(old, new, 1))
    assert message in str(failure.value)
    assert Circuit.objects.count() == 0 and Event.objects.count() == 0
    assert Round.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('series = "x"\x00\nyear = 2023\n', "line 1: the file contains a NUL byte"),
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nests tables or lists too deeply"),
        ('notes = "' + "x" * 1_000_001 + '"\n', "a season file may have 1,000,000 at most"),
        ('series = "x"\nyear = 2023\nnotes = "' + "n" * 20_001 + '"\n', "line 3: notes is 20,001"),
    ],
)
def test_hostile_files_get_a_clear_error_and_nothing_is_written(series, text, message):
    with pytest.raises(ImportFailed) as failure:
        import_season(text)
    assert message in str(failure.value)
    assert Season.objects.count() == 0


def test_a_local_time_needs_a_known_day(series):
    text = NEW_CHAMPIONSHIP.replace(
        'event = "road-atlanta-2027"',
        'event = "road-atlanta-2027"\nsessions = [{ kind = "race", starts_at = "11:00" }]',
    )
    with pytest.raises(ImportFailed) as failure:
        import_season(text)
    assert "a local start time needs its day" in str(failure.value)


# --- the shipped season files (series/data/seasons, built by series/data/build_seasons.py) -------

DATA = Path(__file__).resolve().parent.parent / "series" / "data"

# Hand-checked against shared/data/facts: (rounds on the calendar, races with a known winner).
EXPECTED = {
    # recent/calendar_supercup_2024.csv: 8 races, 8 winners; rounds 5-6 are not dated.
    ("supercup", 2024): (6, 6),
    ("supercup", 2025): (8, 8),
    # round 7's venue and date were not read.
    ("supercup", 2026): (7, 0),
    # 16 races; R7 Klein, R8 Haverkort.
    ("carrera-cup-germany", 2024): (16, 2),
    ("carrera-cup-germany", 2025): (16, 0),
    ("carrera-cup-japan", 2024): (11, 11),
    ("carrera-cup-japan", 2025): (11, 3),
    # The table rows of the top three give 14 winners; races 7-8 (Bangsaen) are not known.
    ("carrera-cup-asia", 2024): (16, 14),
    ("carrera-cup-asia", 2025): (14, 6),
    ("carrera-cup-north-america", 2024): (16, 1),
    ("carrera-cup-north-america", 2025): (16, 1),
    ("carrera-cup-north-america", 2026): (16, 0),
    ("carrera-cup-france", 2024): (12, 4),
    ("carrera-cup-great-britain", 2024): (0, 0),
    ("carrera-cup-australia", 2024): (1, 0),
    # The older seasons: Supercup 2017's dated races (1, 2, 10, 11) with the table's cells.
    ("supercup", 2017): (4, 4),
    ("carrera-cup-asia", 2018): (12, 10),
    ("carrera-cup-france", 2022): (12, 7),
    ("carrera-cup-germany", 2021): (16, 5),
    # Hand-made before the builder: the three winners read in race reports (issue #9).
    ("carrera-cup-north-america", 2023): (16, 3),
    ("supercup", 2023): (8, 7),  # round 3's winner is not among the rows read
}


def test_the_shipped_facts_give_the_seasons_rounds_and_winners_the_files_hold(shipped):
    files = {
        (data["series"], data["year"]): data
        for data in (
            tomllib.loads(path.read_text(encoding="utf-8"))
            for path in (DATA / "seasons").glob("*.toml")
        )
    }
    # 31 calendars of recent/ and 15 partial seasons (five of them the same seasons as a recent
    # calendar, two shipped before), plus CCNA 2023: 42 seasons.
    assert len(files) == Season.objects.count() == 42
    for (series, year), data in files.items():
        season = Season.objects.get(series__slug=series, year=year)
        assert season.rounds.count() == len(data.get("rounds", [])), (series, year)
        winners = Result.objects.filter(session__round__season=season, position=1).count()
        path = DATA / "results" / f"{series}-{year}.csv"
        in_file = 0
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                in_file = sum(1 for row in csv.DictReader(handle) if row["position"] == "1")
        assert winners == in_file, (series, year)
        # A season with any result says it is partial, and what it holds.
        if winners:
            assert season.results_partial and season.results_note, (series, year)
        if (series, year) in EXPECTED:
            assert (season.rounds.count(), winners) == EXPECTED[(series, year)], (series, year)


def test_the_shipped_facts_keep_precision_local_times_and_original_names(shipped):
    # Rennsport Reunion II: only April 2004 is known (issue #9).
    assert Event.objects.get(slug="rennsport-reunion-2").date_precision == "month"
    # Supercup 2024 round 3: "the last weekend of June", no day.
    red_bull_ring = Round.objects.get(season__series__slug="supercup", season__year=2024, number=3)
    assert red_bull_ring.date_precision == "month" and red_bull_ring.date.month == 6
    # Japan 2024 race 6: formation lap 16:35 JST on 20 July = 07:35 UTC.
    race = Session.objects.get(
        round__season__series__slug="carrera-cup-japan", round__season__year=2024, round__number=6
    )
    assert race.starts_at == dt.datetime(2024, 7, 20, 7, 35, tzinfo=dt.UTC)
    assert race.round.event.circuit.time_zone == "Asia/Tokyo"
    ito = Result.objects.filter(position=1, entry__driver__name="Reimei Ito").first()
    assert ito.entry.driver.name_original == "伊東黎明"
    # An inferred winner says so to fans; the research stays in the private notes.
    monza = Round.objects.get(season__series__slug="supercup", season__year=2024, number=8)
    assert "inferred" in monza.description and "nl.motorsport.com" in monza.notes
    # No name carries a research note in the files this branch ships.
    for path in (DATA / "results").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                assert "(" not in row["driver"] and "—" not in row["driver"], (path, row)


def test_an_editor_imports_the_new_championship_through_the_admin(editor, series):
    url = reverse("admin:series_season_import_season")
    upload = SimpleUploadedFile("usa-2027.toml", NEW_CHAMPIONSHIP.encode(), "application/toml")

    preview = editor.post(url, {"file": upload})

    assert preview.status_code == 200
    assert "2 circuits" in preview.content.decode() and "2 events" in preview.content.decode()
    assert not Circuit.objects.exists() and not Event.objects.exists()
    editor.post(url, {"payload": preview.context["payload"]})
    season = Season.objects.get(series=series, year=2027)
    assert season.rounds.count() == 2
    assert set(Event.objects.values_list("slug", flat=True)) == {
        "sebring-2027",
        "road-atlanta-2027",
    }


def test_the_admin_shows_every_error_of_a_file_with_nothing_written(editor):
    url = reverse("admin:series_season_import_season")
    text = NEW_CHAMPIONSHIP.replace('circuit = "road-atlanta"', 'circuit = "road-atlnta"')
    upload = SimpleUploadedFile("usa-2027.toml", text.encode(), "application/toml")

    page = editor.post(url, {"file": upload}).content.decode()

    assert "add it first" in page and "did you mean road-atlanta?" in page
    assert not Circuit.objects.exists() and not Season.objects.exists()
