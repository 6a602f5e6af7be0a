import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from series.models import MediaKind, MediaLink, Session, SessionKind, SessionStatus

from .factories import (
    make_circuit,
    make_driver,
    make_entry,
    make_event,
    make_round,
    make_season,
    make_series,
    make_session,
)

pytestmark = pytest.mark.django_db

BERLIN = "Europe/Berlin"


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events_by_uid(calendar: Calendar) -> dict:
    return {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}


@pytest.fixture
def weekend():
    """Two races of one series a week apart at a German circuit: either side of the end of
    summer time on 29 October 2023 (01:00 UTC)."""
    series = make_series(name="Carrera Cup Deutschland", short_name="Carrera Cup Germany")
    season = make_season(series, 2023)
    circuit = make_circuit(
        name="Hockenheimring", place="Hockenheim", country="Germany", time_zone=BERLIN
    )
    summer_event = make_event(circuit, start=dt.date(2023, 10, 20), name="Hockenheim Finale A")
    winter_event = make_event(circuit, start=dt.date(2023, 10, 27), name="Hockenheim Finale B")
    summer = make_session(
        make_round(season, 1, summer_event, date=dt.date(2023, 10, 22)),
        name="Race 1",
        slug="race-1",
        status=SessionStatus.SCHEDULED,
        starts_at=dt.datetime(2023, 10, 22, 1, 30, tzinfo=dt.UTC),
        duration_minutes=30,
    )
    winter = make_session(
        make_round(season, 2, winter_event, date=dt.date(2023, 10, 29)),
        name="Race 2",
        slug="race-2",
        status=SessionStatus.SCHEDULED,
        starts_at=dt.datetime(2023, 10, 29, 1, 30, tzinfo=dt.UTC),
    )
    return series, season, summer, winter


def test_series_calendar_start_times_match_the_database_across_a_dst_change(fan, weekend):
    series, _, summer, winter = weekend

    response = fan.get(f"/series/{series.slug}/calendar.ics")
    events = _events_by_uid(_parse(response))

    summer_vevent = events[f"{summer.event.slug}/race-1@pcc"]
    winter_vevent = events[f"{winter.event.slug}/race-2@pcc"]
    # The same moment as stored, whatever zone it is written in.
    assert summer_vevent.start == summer.starts_at
    assert winter_vevent.start == winter.starts_at
    # At the circuit, 01:30 UTC is 03:30 in summer time and 02:30 a week later.
    berlin = ZoneInfo(BERLIN)
    assert summer_vevent.start.astimezone(berlin).hour == 3
    assert winter_vevent.start.astimezone(berlin).hour == 2
    # Summer: written in the circuit's zone, which the file defines so a phone need not guess it.
    assert b"DTSTART;TZID=Europe/Berlin:20231022T033000" in response.content
    assert [tz.tz_name for tz in _parse(response).timezones] == [BERLIN]
    # 02:30 happened twice in Berlin that night; a TZID time would be read as the first (00:30
    # UTC), an hour early, so this start is written in UTC.
    assert b"DTSTART:20231029T013000Z" in response.content
    assert b"DTSTART;TZID=Europe/Berlin:20231029" not in response.content


def test_a_winter_start_outside_the_repeated_hour_keeps_the_circuit_zone(fan, weekend):
    series, _, _, winter = weekend
    winter.starts_at = dt.datetime(2023, 10, 29, 12, 0, tzinfo=dt.UTC)
    winter.save()

    response = fan.get(f"/series/{series.slug}/calendar.ics")
    vevent = _events_by_uid(_parse(response))[f"{winter.event.slug}/race-2@pcc"]

    assert b"DTSTART;TZID=Europe/Berlin:20231029T130000" in response.content
    assert vevent.start == winter.starts_at


def test_end_comes_from_the_duration_with_an_hour_when_none_is_given(fan, weekend):
    series, _, summer, winter = weekend

    events = _events_by_uid(_parse(fan.get(f"/series/{series.slug}/calendar.ics")))

    summer_vevent = events[f"{summer.event.slug}/race-1@pcc"]
    winter_vevent = events[f"{winter.event.slug}/race-2@pcc"]
    assert summer_vevent.end - summer_vevent.start == dt.timedelta(minutes=30)
    assert winter_vevent.end - winter_vevent.start == dt.timedelta(minutes=60)


def test_a_session_without_a_published_time_is_an_all_day_event(fan):
    season = make_season()
    session = make_session(
        make_round(season, 1, date=dt.date(2023, 5, 28)),
        status=SessionStatus.SCHEDULED,
        starts_at=None,
    )

    response = fan.get(f"/series/{season.series.slug}/calendar.ics")
    (vevent,) = _parse(response).walk("VEVENT")

    assert vevent.start == dt.date(2023, 5, 28)
    assert not isinstance(vevent.start, dt.datetime)
    assert vevent.end == dt.date(2023, 5, 29)
    assert b"DTSTART;VALUE=DATE:20230528" in response.content
    assert "Start time not published yet." in str(vevent["DESCRIPTION"])
    assert session.starts_at is None


def test_a_cancelled_session_is_marked_cancelled_and_the_others_confirmed(fan, weekend):
    series, _, summer, winter = weekend
    winter.status = SessionStatus.CANCELLED
    winter.save()

    events = _events_by_uid(_parse(fan.get(f"/series/{series.slug}/calendar.ics")))

    assert str(events[f"{winter.event.slug}/race-2@pcc"]["STATUS"]) == "CANCELLED"
    assert str(events[f"{summer.event.slug}/race-1@pcc"]["STATUS"]) == "CONFIRMED"


def test_moving_a_session_raises_its_sequence_and_keeps_its_uid(fan, weekend):
    series, _, summer, _ = weekend
    uid = f"{summer.event.slug}/race-1@pcc"
    before = _events_by_uid(_parse(fan.get(f"/series/{series.slug}/calendar.ics")))[uid]

    summer.starts_at += dt.timedelta(hours=2)
    summer.save()
    after = _events_by_uid(_parse(fan.get(f"/series/{series.slug}/calendar.ics")))[uid]

    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.start == dt.datetime(2023, 10, 22, 3, 30, tzinfo=dt.UTC)


def test_summary_location_description_and_url_name_the_race(fan, weekend):
    series, season, summer, _ = weekend
    MediaLink.objects.create(
        kind=MediaKind.LIVE,
        provider="Sky Sport",
        url="https://example.com/sky",
        region="Germany",
        season=season,
    )
    MediaLink.objects.create(
        kind=MediaKind.ARCHIVE,
        provider="YouTube",
        url="https://example.com/archive",
        series=series,
    )
    # The source names the service only: no address, and the description says so.
    MediaLink.objects.create(kind=MediaKind.LIVE, provider="ITV4", region="UK", series=series)

    events = _events_by_uid(_parse(fan.get(f"/series/{series.slug}/calendar.ics")))
    vevent = events[f"{summer.event.slug}/race-1@pcc"]

    assert str(vevent["SUMMARY"]) == "Carrera Cup Germany — Race 1 (Hockenheim Finale A)"
    assert str(vevent["LOCATION"]) == "Hockenheimring, Hockenheim, Germany"
    event_url = f"http://testserver/events/{summer.event.slug}/"
    assert str(vevent["URL"]) == event_url
    description = str(vevent["DESCRIPTION"])
    assert event_url in description
    assert "Sky Sport (Live stream, Germany): https://example.com/sky" in description
    assert "YouTube (Archive, Worldwide): https://example.com/archive" in description
    assert "ITV4 (Live stream, UK): no address on record" in description


def test_a_drivers_calendar_holds_the_seasons_they_are_entered_in(fan, weekend):
    _, season, summer, winter = weekend
    driver = make_driver("Laurin Heinrich")
    make_entry(season, driver)
    elsewhere = make_session(make_round(make_season(), 1), slug="not-their-race")

    response = fan.get(f"/drivers/{driver.slug}/calendar.ics")
    uids = set(_events_by_uid(_parse(response)))

    assert uids == {f"{summer.event.slug}/race-1@pcc", f"{winter.event.slug}/race-2@pcc"}
    assert f"{elsewhere.event.slug}/not-their-race@pcc" not in uids
    assert str(_parse(response)["X-WR-CALNAME"]) == "Laurin Heinrich's races (pcc)"


@pytest.mark.parametrize(
    "address",
    ["/series/no-such-series/calendar.ics", "/drivers/no-such-driver/calendar.ics"],
)
def test_an_unknown_series_or_driver_is_not_found(fan, address):
    assert fan.get(address).status_code == 404


def test_an_unchanged_calendar_answers_not_modified(fan, weekend):
    series, _, summer, _ = weekend
    first = fan.get(f"/series/{series.slug}/calendar.ics")
    etag = first["ETag"]

    again = fan.get(f"/series/{series.slug}/calendar.ics", HTTP_IF_NONE_MATCH=etag)
    summer.starts_at += dt.timedelta(minutes=15)
    summer.save()
    after_change = fan.get(f"/series/{series.slug}/calendar.ics", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert after_change.status_code == 200
    assert after_change["ETag"] != etag


def test_the_calendar_costs_the_same_queries_for_many_sessions(
    fan, weekend, django_assert_num_queries
):
    series, season, _, _ = weekend
    for number in range(3, 13):
        round_ = make_round(season, number)
        for kind in (SessionKind.QUALIFYING, SessionKind.RACE):
            make_session(round_, kind=kind, status=SessionStatus.SCHEDULED)

    # 1 site version (ETag), 2 the series, 3 the sessions with event, circuit, round, season and
    # series joined, 4 the watch links of all of them: prevents an n+1.
    with django_assert_num_queries(4):
        response = fan.get(f"/series/{series.slug}/calendar.ics")
    assert len(_parse(response).walk("VEVENT")) == 22


def test_the_shipped_carrera_cup_north_america_calendar_has_sixteen_races_in_2023(fan, shipped):
    sessions = {
        f"{session.event.slug}/{session.slug}@pcc": session
        for session in Session.objects.filter(
            round__season__series__slug="carrera-cup-north-america"
        ).select_related("event", "round")
    }

    calendar = _parse(fan.get("/series/carrera-cup-north-america/calendar.ics"))
    vevents = calendar.walk("VEVENT")
    races_2023 = [
        vevent
        for vevent in vevents
        if sessions[str(vevent["UID"])].kind == SessionKind.RACE and vevent.start.year == 2023
    ]

    assert len(races_2023) == 16
    assert "Carrera Cup North America — Race 13 (Rennsport Reunion 7)" in {
        str(vevent["SUMMARY"]) for vevent in races_2023
    }
    for vevent in vevents:
        session = sessions[str(vevent["UID"])]
        # A race whose day is not known (Long Beach, COTA...) spans its weekend from its first day.
        weekend_only = session.round.date_precision == "weekend"
        expected = session.starts_at or (session.event.start_date if weekend_only else session.date)
        assert vevent.start == expected, vevent["UID"]


def test_a_head_request_is_answered_and_a_post_refused(fan, weekend):
    series, _, _, _ = weekend
    address = f"/series/{series.slug}/calendar.ics"

    assert fan.head(address).status_code == 200
    assert fan.post(address).status_code == 405


def test_time_zones_are_listed_a_to_z_whatever_the_process(fan, weekend):
    # icalendar adds VTIMEZONEs in a set's order (per process); the file must be the same in every
    # process, or its body and ETag would change with the server that answered.
    series, season, _, _ = weekend
    for number, zone in enumerate(("Asia/Tokyo", "America/New_York", "Pacific/Auckland"), 3):
        circuit = make_circuit(name=f"Track {number}", time_zone=zone)
        event = make_event(circuit, start=dt.date(2023, 11, number), name=f"Round {number}")
        make_session(
            make_round(season, number, event),
            starts_at=dt.datetime(2023, 11, number, 12, tzinfo=dt.UTC),
        )
    calendar = _parse(fan.get(f"/series/{series.slug}/calendar.ics"))
    zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    assert (
        zones
        == sorted(zones)
        == [
            "America/New_York",
            "Asia/Tokyo",
            "Europe/Berlin",
            "Pacific/Auckland",
        ]
    )
    assert [c.name for c in calendar.subcomponents][:4] == ["VTIMEZONE"] * 4
