"""The champions' index and the calendar read less than they did: the index reads TitleKey rows
(no teams, points or sources), the calendar's years are a date's first four characters on SQLite.
Each must give what the fuller reading (or the ORM's lookup) gave, on SQLite and PostgreSQL
alike."""

import dataclasses
import datetime as dt

import pytest
from django.db.models import Exists, OuterRef

from series.addresses import Addresses
from series.models import Champion, Event, Round, Tier, TitleKind
from series.selectors import calendar as calendar_selector
from series.selectors import champions
from series.selectors.hosted import EVENT_FIELDS, ROUND_FIELDS
from series.templatetags.directory_tags import event_dates
from tests import factories as f
from tests.event_lines import event_line
from tests.scenarios import build_world

pytestmark = pytest.mark.django_db


def test_the_calendars_years_are_the_orms_years_of_events_with_rounds():
    season = f.make_season(year=1999)
    for start in (dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2024, 6, 1)):
        f.make_round(season, start.year % 100 + start.month, event=f.make_event(start=start))
    f.make_event(start=dt.date(2011, 5, 1))  # no rounds: not a year of the calendar
    by_the_orm = (
        Event.objects.filter(Exists(Round.objects.filter(event=OuterRef("pk"))))
        .values_list("start_date__year", flat=True)
        .distinct()
    )
    assert calendar_selector.calendar_years() == sorted(by_the_orm, reverse=True)
    assert calendar_selector.calendar_years() == [2024, 2000, 1999]


@pytest.fixture
def titles():
    """Two series' titles: drivers linked and not, class titles, teams' titles, a year not held,
    and holders tied on their count."""
    supercup = f.make_series(name="Supercup", tier=Tier.SUPERCUP, first_year=2010)
    france = f.make_series(name="Carrera Cup France", first_year=2012)
    ace = f.make_driver("Ace Driver", name_original="エース")
    team = f.make_team("Title Team")
    rows = [
        (supercup, 2010, "overall", "Ace Driver", ace),
        (supercup, 2011, "overall", "Ace Driver", ace),
        (supercup, 2011, "Pro-Am", "Printed Name", None),
        (supercup, 2013, "overall", "Printed Name", None),
        (france, 2012, "overall", "Printed Name", None),
        (france, 2012, "Am", "Ace Driver", ace),
        (france, 2015, "overall", "Other Driver", None),
    ]
    for series, year, class_name, name, driver in rows:
        Champion.objects.create(
            series=series,
            year=year,
            class_name=class_name,
            driver_name=name,
            driver=driver,
            nationality="FRA",
            team="Some Team",
            team_record=team,
            points=100,
            source="champions.csv",
        )
    Champion.objects.create(
        series=france, year=2014, driver_name="(not held)", kind=TitleKind.NOT_HELD
    )
    Champion.objects.create(
        series=supercup, year=2012, class_name="Teams", driver_name="Title Team", team="Title Team"
    )
    return supercup, france


def _key_fields(row: champions.TitleKey) -> tuple:
    return tuple(getattr(row, field.name) for field in dataclasses.fields(champions.TitleKey))


def test_title_keys_are_the_title_rows_key_fields(titles):
    keys, rows = champions.title_keys(), champions.title_rows()
    assert [_key_fields(key) for key in keys] == [_key_fields(row) for row in rows]
    assert len(keys) == Champion.objects.count()
    ace = next(row for row in rows if row.driver_id)
    assert ace.driver_slug == ace.driver.slug and ace.driver.name_original == "エース"


@pytest.mark.parametrize(
    "filters",
    [
        champions.ChampionFilters(),
        champions.ChampionFilters(tier=Tier.SUPERCUP),
        champions.ChampionFilters(class_name="overall"),
        champions.ChampionFilters(decade=2010),
    ],
)
def test_the_index_counts_from_keys_what_it_counted_from_rows(titles, filters):
    keys, rows = champions.title_keys(), champions.title_rows()
    from_keys, from_rows = champions.record_of(keys, filters), champions.record_of(rows, filters)
    assert [
        (h.series.pk, h.span, h.gaps, [_key_fields(r) for r in h.rows]) for h in from_keys.histories
    ] == [
        (h.series.pk, h.span, h.gaps, [_key_fields(r) for r in h.rows]) for h in from_rows.histories
    ]
    assert (from_keys.first_year, from_keys.last_year) == (
        from_rows.first_year,
        from_rows.last_year,
    )
    held = [
        (h.name, h.driver_slug, h.count, h.summary)
        for h in champions.most_titles(from_keys.titles, minimum=1)
    ]
    assert held == [
        (h.name, h.driver_slug, h.count, h.summary)
        for h in champions.most_titles(from_rows.titles, minimum=1)
    ]
    assert champions.champion_class_names(keys) == champions.champion_class_names(rows)
    assert champions.champion_decades(keys) == champions.champion_decades(rows)


def test_most_titles_ranks_by_count_first_year_and_name(titles):
    held = champions.most_titles(champions.title_rows(), minimum=1)
    assert [(h.name, h.count) for h in held] == [
        ("Ace Driver", 3),
        ("Printed Name", 3),
        ("Other Driver", 1),
    ]
    # Teams' titles and years not held are not counted; a driver's titles by series, then year.
    assert held[0].summary == "Supercup 2010–2011; Carrera Cup France (Am) 2012"
    assert held[0].driver_slug and held[1].driver_slug is None


def test_the_calendars_events_are_the_event_lines_of_the_listings():
    """calendar_event() writes an event as hosted.event_line() does (the events listing's), its
    seasons as tuples: same addresses, dates, seasons and their order."""
    world = build_world(3)
    other = f.make_series(name="Alpha Sprint", tier=Tier.SPRINT_CHALLENGE)
    f.make_round(f.make_season(other, year=2023), 1, event=world.festival)
    months = calendar_selector.calendar(None, None, None, None)
    assert (
        sum(len(month.events) for month in months)
        == Event.objects.filter(rounds__isnull=False).distinct().count()
    )
    addresses = Addresses()
    for month in months:
        for line in month.events:
            event = Event.objects.get(name=line.name)
            rows = (
                Round.objects.filter(event=event)
                .order_by("season__series__tier", "number")
                .values_list(*ROUND_FIELDS)
            )
            values = Event.objects.filter(pk=event.pk).values_list(*EVENT_FIELDS).get()
            expected = event_line(values, rows, addresses)
            assert (
                line.url,
                line.name,
                line.start_date,
                line.date_precision,
                line.dates_label,
                line.circuit_url,
                line.circuit_name,
                line.circuit_country,
            ) == (
                expected.url,
                expected.name,
                expected.start_date,
                expected.date_precision,
                expected.dates_label,
                expected.circuit_url,
                expected.circuit_name,
                expected.circuit_country,
            )
            assert line.hosted == [
                (
                    season.series.tier,
                    season.tier_label,
                    season.series_url,
                    season.series.display_name,
                    season.season_url,
                    season.span,
                )
                for season in expected.hosted
            ]
            assert line.dates == event_dates(expected)
    festival = next(
        line for month in months for line in month.events if line.name == world.festival.name
    )
    assert len(festival.hosted) > 1
