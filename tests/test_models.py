"""The rules the data must keep are database constraints: they hold whatever writes the row."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from series.models import Adjustment, Entry, Event, MediaLink, Result, Round, Season, Session
from tests import factories as f

pytestmark = pytest.mark.django_db


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.fixture
def race():
    season = f.make_season()
    session = f.make_session(f.make_round(season, 1))
    first = f.make_entry(season, car_number=7)
    second = f.make_entry(season, car_number=12)
    f.make_result(session, first, 1)
    return season, session, first, second


def test_one_result_per_entry_per_session(race):
    _, session, first, _ = race
    _refused(lambda: Result.objects.create(session=session, entry=first, position=2))


def test_one_car_per_position_in_a_session(race):
    _, session, _, second = race
    _refused(lambda: Result.objects.create(session=session, entry=second, position=1))


def test_one_car_number_per_session_though_a_car_may_change_drivers(race):
    season, session, first, second = race
    _refused(lambda: Result.objects.create(session=session, entry=second, position=2, car_number=7))
    # The same number in the next round, driven by someone else, is fine.
    later = f.make_session(f.make_round(season, 2))
    Result.objects.create(session=later, entry=second, position=1, car_number=7)


def test_positions_start_at_one(race):
    _, session, _, second = race
    _refused(lambda: Result.objects.create(session=session, entry=second, position=0))


def test_only_a_finished_or_retired_car_has_a_position(race):
    _, session, _, second = race
    _refused(lambda: Result.objects.create(session=session, entry=second, position=2, status="dsq"))
    Result.objects.create(session=session, entry=second, position=2, status="retired")


def test_round_numbers_are_unique_within_a_season(race):
    season, session, _, _ = race
    _refused(
        lambda: Round.objects.create(
            season=season, number=1, event=session.event, date=session.date
        )
    )


def test_one_season_per_series_and_year(race):
    season, *_ = race
    _refused(lambda: Season.objects.create(series=season.series, year=season.year))


def test_one_entry_per_driver_and_season(race):
    season, _, first, _ = race
    _refused(lambda: Entry.objects.create(season=season, driver=first.driver))


def test_an_event_cannot_end_before_it_starts():
    circuit = f.make_circuit()
    _refused(
        lambda: Event.objects.create(
            name="Backwards",
            slug="backwards",
            circuit=circuit,
            start_date=dt.date(2023, 5, 3),
            end_date=dt.date(2023, 5, 1),
        )
    )


def test_session_slugs_are_unique_within_an_event(race):
    _, session, _, _ = race
    _refused(
        lambda: Session.objects.create(
            event=session.event, name="Again", slug=session.slug, date=session.date
        )
    )


def test_a_media_link_has_exactly_one_owner(race):
    season, session, _, _ = race
    _refused(
        lambda: MediaLink.objects.create(
            kind="live", provider="X", url="https://example.com/", season=season, session=session
        )
    )
    _refused(
        lambda: MediaLink.objects.create(kind="live", provider="X", url="https://example.com/")
    )


def test_an_adjustment_names_a_driver_or_a_team(race):
    season, *_ = race
    _refused(lambda: Adjustment.objects.create(season=season, points=-5, reason="No one"))


def test_changing_a_session_time_raises_its_revision(race):
    _, session, _, _ = race
    session = Session.objects.get(pk=session.pk)
    assert session.revision == 0
    session.notes = "Only a note"
    session.save()
    assert Session.objects.get(pk=session.pk).revision == 0
    session.starts_at = dt.datetime(2023, 5, 28, 13, 0, tzinfo=dt.UTC)
    session.save()
    assert Session.objects.get(pk=session.pk).revision == 1


def test_dates_say_how_precise_they_are():
    import datetime as dt

    from series.dates import event_dates_label, round_date_label

    start, end = dt.date(2023, 4, 14), dt.date(2023, 4, 16)
    assert event_dates_label(start, end, "day") == "14–16 April 2023"
    assert event_dates_label(dt.date(2004, 4, 1), dt.date(2004, 4, 30), "month") == "April 2004"
    assert round_date_label(end, "weekend", start, end) == "weekend of 14–16 April 2023"
    assert round_date_label(end, "day", start, end) == "16 April 2023"
    assert round_date_label(end, "month", start, end) == "April 2023"
    assert (
        event_dates_label(dt.date(2023, 9, 28), dt.date(2023, 10, 1), "day")
        == "28 September–1 October 2023"
    )
