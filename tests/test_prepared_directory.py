"""The event, session, circuit, calendar, events and watch pages run their queries prepared
(pcc/prepared.py): each must give, for any event, session, circuit, year or filter, the rows the
ORM's queryset gives, and an unknown address must still be a 404 (SQLite and PostgreSQL alike)."""

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client

from series.addresses import Addresses
from series.models import (
    SCORING_KINDS,
    DatePrecision,
    Event,
    MediaKind,
    MediaLink,
    Result,
    Round,
    Season,
    Series,
    Session,
    SessionStatus,
    Tier,
)
from series.selectors import calendar as calendar_selector
from series.selectors import circuits, events, sessions, watch
from series.selectors.hosted import EVENT_FIELDS, ROUND_FIELDS, _rounds_with_series
from series.selectors.paging import page_of
from series.templatetags.directory_tags import event_dates
from series.views import directory
from tests import factories as f
from tests.event_lines import event_line
from tests.scenarios import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    """Two worlds' worth of weekends: the festival of build_world and another event at another
    circuit in the same year, with sessions, podiums, links and a support event of each."""
    world = build_world(3)
    other_circuit = f.make_circuit(name="Imola")
    other = f.make_event(name="Imola weekend", circuit=other_circuit, start=dt.date(2023, 4, 21))
    for n, season in enumerate(world.seasons[:2]):
        round_ = f.make_round(season, 7, event=other)
        race = f.make_session(round_, slug="race" if n == 0 else "race-2")
        for position in (1, 2, 3):
            f.make_result(race, f.make_entry(season), position, best_lap=dt.timedelta(seconds=90))
    f.make_event(name="Support of the festival", parent=world.festival, start=dt.date(2023, 9, 29))
    f.make_event(name="Support of Imola", parent=other, start=dt.date(2023, 4, 22))
    f.make_event(name="No rounds weekend", start=dt.date(2023, 4, 21))
    f.make_event(name="Older weekend", start=dt.date(2021, 4, 21))
    MediaLink.objects.create(kind=MediaKind.LIVE, provider="A", url="", event=world.festival)
    MediaLink.objects.create(kind=MediaKind.LIVE, provider="B", url="", event=other)
    series = world.seasons[0].series
    MediaLink.objects.create(kind=MediaKind.LIVE, provider="C", url="", series=series)
    MediaLink.objects.create(kind=MediaKind.LIVE, provider="D", url="", season=world.seasons[1])
    return world, other


def _pks(rows: Any) -> list[int]:
    return [row.pk for row in rows]


def test_the_event_pages_queries_give_the_orms_rows_for_each_event(record):
    world, other = record
    for event in (world.festival, other):
        assert _pks(events._EVENT_ROUNDS(event.pk)) == _pks(
            _rounds_with_series().filter(event=event)
        )
        assert _pks(events._EVENT_SESSIONS(event.pk)) == _pks(
            Session.objects.filter(event=event).order_by("date", "starts_at", "name")
        )
        podiums = (
            Result.objects.filter(
                session__event=event, session__kind__in=SCORING_KINDS, position__lte=3
            )
            .exclude(session__status=SessionStatus.CANCELLED)
            .order_by("session", "position")
        )
        assert _pks(events._EVENT_PODIUMS(event.pk)) == _pks(podiums)
        links = MediaLink.objects.filter(
            Q(event=event)
            | Q(session__event=event)
            | Q(season_id__in=Round.objects.filter(event=event).values("season_id"))
            | Q(series_id__in=Season.objects.filter(rounds__event=event).values("series_id"))
        )
        # Sorted: links tied on the model's ordering may come in either order.
        assert sorted(_pks(watch.EVENT_LINKS(event.pk))) == sorted(_pks(links))
        assert _pks(events._SUPPORT_EVENTS(event.pk)) == _pks(
            event.support_events.order_by("start_date")
        )
    # Not the same rows for both: the argument is the event's.
    assert _pks(events._EVENT_ROUNDS(world.festival.pk)) != _pks(events._EVENT_ROUNDS(other.pk))
    assert _pks(watch.EVENT_LINKS(other.pk)) != []
    [support] = events.event_page(other).support_events
    assert support.name == "Support of Imola" and support.parent == other


def test_the_session_pages_queries_give_the_orms_rows(record):
    world, other = record
    for event, session in (
        (world.festival, world.first_race),
        (other, other.sessions.get(slug="race")),
    ):
        [found] = directory._SESSION(event.slug, session.slug)
        assert found == session and found.event == event and found.round == session.round
        assert _pks(sessions._SESSION_RESULTS(session.pk)) == _pks(
            Result.objects.filter(session=session)
        )
        assert _pks(sessions._SIBLINGS(event.pk)) == _pks(
            Session.objects.filter(event=event).order_by("date", "starts_at", "name")
        )
        organisers = (
            Series.objects.filter(seasons__rounds__event=event)
            .exclude(organiser="")
            .values_list("organiser", flat=True)
            .distinct()
            .order_by("organiser")
        )
        assert list(sessions._SERIES_ORGANISERS(event.pk)) == list(organisers)
    for season in world.seasons:
        series = season.series
        info = watch.watch_links_for(series, 2023)
        expected = MediaLink.objects.filter(
            Q(series__isnull=False) | Q(season__isnull=False),
            Q(series=series) | Q(season__series=series),
        )
        assert sorted(_pks(info.links + info.lasting + info.earlier)) == sorted(_pks(expected))


@pytest.mark.parametrize(
    "url",
    [
        "/events/no-such-weekend/",
        "/events/no-such-weekend/race/",
        "/circuits/no-such-circuit/",
        "/events/" + "a" * 400 + "/",
        "/circuits/" + "a" * 400 + "/",
    ],
)
def test_unknown_events_sessions_and_circuits_are_404(fan: Client, record, url: str):
    assert fan.get(url).status_code == 404


def test_a_session_of_another_event_is_404(fan: Client, record):
    world, other = record
    assert fan.get(f"/events/{other.slug}/race/").status_code == 200
    assert fan.get(f"/events/{world.festival.slug}/race/").status_code == 404
    assert fan.get(f"/events/{other.slug}/{world.first_race.slug}/").status_code == 404
    assert fan.get(f"/events/{world.festival.slug}/").status_code == 200
    assert fan.get(f"/circuits/{other.circuit.slug}/").status_code == 200


def test_the_circuit_pages_queries_give_the_orms_rows(record):
    world, other = record
    for circuit in (world.circuit, other.circuit):
        [found] = directory._CIRCUIT(circuit.slug)
        assert found == circuit
        assert _pks(circuits._CIRCUIT_EVENTS(circuit.pk)) == _pks(
            circuit.events.order_by("-start_date")
        )
        assert _pks(circuits._CIRCUIT_ROUNDS(circuit.pk)) == _pks(
            _rounds_with_series().filter(event__circuit=circuit)
        )
        page = circuits.circuit_page(circuit)
        assert all(row.event.circuit == circuit for row in page.events)
    [record_at_imola] = circuits.circuit_page(other.circuit).lap_records
    assert record_at_imola.result.session.event == other
    [imola] = [row for row in circuits.circuit_list() if row.name == "Imola"]
    assert imola.event_count == 1 and imola.years == "2023"


def _event_list_by_the_orm(year: int, page: int | None) -> events.EventList:
    """What event_list gave before it was one prepared query (three ORM queries)."""
    queryset = Event.objects.filter(start_date__year=year).order_by("-start_date", "name", "pk")
    shown, paged = page_of(queryset.values_list("pk", *EVENT_FIELDS), page, events.EVENTS_PER_PAGE)
    rounds: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for event_id, *round_ in (
        Round.objects.filter(event__in=[row[0] for row in shown])
        .order_by("season__series__tier", "number")
        .values_list("event_id", *ROUND_FIELDS)
    ):
        rounds[event_id].append(tuple(round_))
    addresses = events._ListingAddresses()
    return events.EventList(
        [events.listing_row(row[1:], rounds[row[0]], addresses) for row in shown], paged
    )


def test_the_events_listing_prints_what_the_other_listings_lines_say(record):
    """The events directory writes its rows in tuples of its own (listing_row): the same facts
    as hosted.event_line gives the calendar and circuit listings."""
    for year in events.event_years():
        queryset = Event.objects.filter(start_date__year=year).order_by("-start_date", "pk")
        for pk, *event in queryset.values_list("pk", *EVENT_FIELDS):
            rounds = [
                tuple(row)
                for row in Round.objects.filter(event_id=pk)
                .order_by("season__series__tier", "number")
                .values_list(*ROUND_FIELDS)
            ]
            row = events.listing_row(tuple(event), rounds, events._ListingAddresses())
            line = event_line(tuple(event), rounds, Addresses())
            assert (row.url, row.name, row.circuit_url, row.circuit_name, row.circuit_country) == (
                line.url,
                line.name,
                line.circuit_url,
                line.circuit_name,
                line.circuit_country,
            )
            assert row.dates == event_dates(line)
            assert [tuple(h) for h in row.hosted] == [
                (
                    h.series.tier,
                    h.tier_label,
                    h.series_url,
                    h.series.display_name,
                    h.season_url,
                    h.span,
                )
                for h in line.hosted
            ]
            assert len(row.hosted) == len({r[0] for r in rounds})


@pytest.mark.parametrize("precision", list(DatePrecision))
@pytest.mark.parametrize(
    "start,end",
    [
        (dt.date(2023, 4, 14), dt.date(2023, 4, 16)),
        (dt.date(2023, 9, 28), dt.date(2023, 10, 1)),
        (dt.date(2023, 12, 30), dt.date(2024, 1, 2)),
        (dt.date(2004, 4, 1), dt.date(2004, 4, 1)),
    ],
)
def test_the_events_listing_writes_dates_as_the_event_dates_tag(start, end, precision):
    event = Event(start_date=start, end_date=end, date_precision=precision)
    assert events.dates_html(start, end, precision) == event_dates(event)


@pytest.mark.parametrize("per_page", [2, 250])
def test_the_events_listing_gives_what_the_orm_gave_page_by_page(record, monkeypatch, per_page):
    monkeypatch.setattr(events, "EVENTS_PER_PAGE", per_page)
    for year in events.event_years():
        for page in (None, 1, 2, 3, 9):
            assert events.event_list(year, page) == _event_list_by_the_orm(year, page)
    listing = events.event_list(2023, None)
    assert "No rounds weekend" in [row.name for row in listing.rows] or per_page == 2
    years = events.event_years()
    assert years == sorted(years, reverse=True) and {2023, 2021} <= set(years)
    # read off the stored date on SQLite, extracted on PostgreSQL: the years of the ORM
    assert years == sorted({e.start_date.year for e in Event.objects.all()}, reverse=True)


def _calendar_by_the_orm(year, month, tier, series) -> list[calendar_selector.CalendarMonth]:
    """What calendar() gave before its query was prepared."""
    rounds = Round.objects.order_by(
        "event__start_date", "event__name", "season__series__tier", "number"
    )
    if year is not None:
        rounds = rounds.filter(event__start_date__year=year)
    if month is not None:
        rounds = rounds.filter(event__start_date__month=month)
    if tier is not None:
        rounds = rounds.filter(season__series__tier=tier)
    if series is not None:
        rounds = rounds.filter(season__series=series)
    event_fields = tuple(f"event__{name}" for name in EVENT_FIELDS)
    found: dict[int, tuple[tuple[Any, ...], list[tuple[Any, ...]]]] = {}
    for row in rounds.values_list("event_id", *event_fields, *ROUND_FIELDS):
        event, round_ = row[1 : len(event_fields) + 1], row[len(event_fields) + 1 :]
        found.setdefault(row[0], (event, []))[1].append(round_)
    months: dict[dt.date, list[Any]] = {}
    for event, event_rounds in found.values():
        line = calendar_selector.calendar_event(event, event_rounds)
        months.setdefault(line.start_date.replace(day=1), []).append(line)
    return [calendar_selector.CalendarMonth(key, lines) for key, lines in sorted(months.items())]


def test_the_calendar_gives_the_orms_rounds_for_every_filter(record):
    world, _ = record
    series = world.seasons[0].series
    sizes = set()
    for year in (2023, 2022, None):
        for month in (None, 4, 9):
            for tier in (None, Tier.SUPERCUP, 1, 2):
                for chosen in (None, series):
                    months = calendar_selector.calendar(year, month, tier, chosen)
                    assert months == _calendar_by_the_orm(year, month, tier, chosen)
                    sizes.add(sum(len(m.events) for m in months))
    assert len(sizes) > 2  # the filters made a difference
    april = calendar_selector.calendar(2023, 4, None, None)
    assert [line.name for m in april for line in m.events] == ["Imola weekend"]
    assert calendar_selector.calendar_years() == [2023, 2022, 2021]


def test_the_watch_page_reads_every_series_and_link(record):
    page = watch.watch()
    assert [info.slug for _, infos in page.tiers for info in infos] == list(
        Series.objects.order_by("tier", "name").values_list("slug", flat=True)
    )
    assert page.series_count == Series.objects.count()
    assert sorted(event.name for event in page.events) == [
        "Imola weekend",
        "Rennsport Reunion 7",
    ]
    shown = [link for event in page.events for link in event.links] + [
        link
        for _, infos in page.tiers
        for info in infos
        for link in info.links + info.lasting + info.earlier
    ]
    # Every link once, with what the ORM's instance says of it.
    printed = [
        (row.provider, row.kind_label, row.url, row.region, row.note, row.as_of_year, row.season)
        for row in shown
    ]
    stored = [
        (
            link.provider,
            link.get_kind_display(),
            link.url,
            link.region,
            link.note,
            link.as_of_year,
            None if link.season is None else (link.season.year,),
        )
        for link in MediaLink.objects.select_related("season")
    ]
    assert sorted(printed, key=repr) == sorted(stored, key=repr)


def test_every_query_of_these_pages_is_compiled_once_on_this_database(record):
    """None falls back to building its queryset on every call (as a stand-in the database refuses
    would make it: PostgreSQL's small integer columns)."""
    world, other = record
    event, session, circuit = world.festival, world.first_race, world.circuit
    calls = [
        (directory._EVENT, (event.slug,)),
        (directory._SESSION, (event.slug, session.slug)),
        (directory._CIRCUIT, (circuit.slug,)),
        *((query, (event.pk,)) for query in (events._EVENT_ROUNDS, events._EVENT_SESSIONS)),
        *((query, (event.pk,)) for query in (events._EVENT_PODIUMS, watch.EVENT_LINKS)),
        (events._SUPPORT_EVENTS, (event.pk,)),
        (events._EVENT_YEARS, ()),
        (events._year_events(2023), ()),
        (sessions._SESSION_RESULTS, (session.pk,)),
        (sessions._SIBLINGS, (event.pk,)),
        (sessions._SERIES_ORGANISERS, (event.pk,)),
        (watch._LINKS_OF_SERIES, (world.seasons[0].series.pk,)),
        (watch._ALL_SERIES, ()),
        (watch._ALL_LINKS, ()),
        (circuits._CIRCUITS, ()),
        *((query, (circuit.pk,)) for query in (circuits._CIRCUIT_EVENTS, circuits._CIRCUIT_ROUNDS)),
        (circuits._FASTEST_LAPS, (circuit.pk,)),
        (calendar_selector._YEARS, ()),
        (calendar_selector._calendar_rounds(2023, True, 1, True), (4, world.seasons[0].series.pk)),
        (calendar_selector._calendar_rounds(None, False, None, False), ()),
    ]
    for query, args in calls:
        list(query(*args))
        assert query._shapes, query.build
