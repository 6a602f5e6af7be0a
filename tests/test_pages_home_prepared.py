"""The home page's and the pyramid's prepared queries (series/selectors/home.py, pyramid.py) give
the rows the ORM's querysets gave, and are compiled once (not built again each call) on SQLite and
PostgreSQL alike."""

import datetime as dt

import pytest
import time_machine
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from series.models import (
    Champion,
    Event,
    MediaKind,
    MediaLink,
    Result,
    Round,
    Session,
    SessionStatus,
)
from series.selectors import home, pyramid, watch
from series.selectors.seasons import seasons_with_state
from tests.factories import (
    make_driver,
    make_entry,
    make_event,
    make_result,
    make_round,
    make_season,
    make_series,
    make_session,
    make_team,
)
from tests.scenarios import build_season, make_pyramid
from tests.test_pages_home import NOW, make_next_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    supercup, cup, sprint, other = make_pyramid()
    season = build_season(cup, year=2023)
    build_season(supercup, year=2022)
    build_season(sprint, year=2021, rounds=2)
    event = make_next_event(season)
    session = event.sessions.get(slug="race-5")

    def link(provider: str, **owner) -> None:
        MediaLink.objects.create(
            kind=MediaKind.LIVE, provider=provider, region="Europe", url="", **owner
        )

    link("Session TV", session=session)
    link("Season TV", season=season)
    link("Series TV", series=cup)
    link("Elsewhere TV", series=other)  # a series the event does not host
    return event


def _compiled(prepared) -> bool:
    """The query was compiled and kept (a call with ints and strs that fell back to building the
    queryset, as an argument outside a column's range would on PostgreSQL, keeps nothing)."""
    return bool(prepared._shapes)


def test_next_event_and_its_rounds_sessions_and_links_are_the_orms(record):
    event = record
    today = NOW.date()
    for day in (today, event.start_date, event.end_date, event.end_date + dt.timedelta(days=1)):
        expected = Event.objects.all().upcoming(day).select_related("circuit").first()
        found = next(iter(home._next_event_query(day)()), None)
        assert found == expected
        assert found is None or found.circuit.slug == "laguna-test"
        assert _compiled(home._next_event_query(day))
    assert next(iter(home._next_event_query(today)()), None) == event

    rounds = list(
        Round.objects.filter(event=event)
        .select_related("season__series")
        .order_by("season__series__tier", "season__series__name", "number")
    )
    assert list(home._NEXT_ROUNDS(event.pk)) == rounds
    assert [r.season.series.slug for r in home._NEXT_ROUNDS(event.pk)] == ["carrera-cup-testland"]
    sessions = list(event.sessions.order_by("date", "starts_at", "name"))
    assert list(home._NEXT_SESSIONS(event.pk)) == sessions
    season_ids = {r.season_id for r in rounds}
    series_ids = {r.season.series_id for r in rounds}
    links = list(
        MediaLink.objects.filter(
            Q(event=event)
            | Q(session__event=event)
            | Q(season_id__in=season_ids)
            | Q(series_id__in=series_ids)
        ).order_by(*watch.LINK_ORDER)
    )
    # The event page's query (watch.EVENT_LINKS): the home page lists the next event's links as
    # its page does.
    found_links = list(watch.EVENT_LINKS(event.pk))
    assert found_links == links
    assert {link.provider for link in found_links} == {
        "IMSA.tv",
        "Session TV",
        "Season TV",
        "Series TV",
    }
    assert list(watch.EVENT_LINKS(event.pk + 1000)) == []
    assert all(_compiled(p) for p in (home._NEXT_ROUNDS, home._NEXT_SESSIONS, watch.EVENT_LINKS))


def test_series_podiums_titles_and_seasons_are_the_orms(record):
    cup = record.rounds.get().season.series
    for year, class_name in ((2021, "overall"), (2022, "overall"), (2022, "Am")):
        Champion.objects.create(series=cup, year=year, class_name=class_name, driver_name="Ann")
    Champion.objects.create(series=cup, year=2023, kind="not-held", driver_name="")
    series = list(home._SERIES())
    assert series == list(home._SERIES.build())
    session_ids = [row[5] for row in series if row[5]]
    assert len(session_ids) == 3
    assert sorted(pk for pk, *_ in home._SESSIONS(*session_ids)) == sorted(
        Session.objects.filter(pk__in=session_ids).values_list("pk", flat=True)
    )
    assert list(home._SESSIONS(*session_ids)) == list(home._SESSIONS.build(*session_ids))
    podiums = list(home._PODIUMS(*session_ids))
    expected_podiums = Result.objects.filter(
        session__in=session_ids, position__lte=3
    ).select_related("entry__driver", "entry__team", "team")
    assert podiums == [
        (
            r.session_id,
            r.position,
            r.entry.guest,
            r.entry.driver.name,
            r.entry.driver.slug,
            r.team.name if r.team else None,
            r.entry.team.name if r.entry.team else None,
        )
        for r in expected_podiums.order_by("session", "position")
    ]
    assert len(podiums) == 9
    # Another number of ids is another compiled query, with its own rows.
    assert {r[0] for r in home._PODIUMS(session_ids[0])} == {session_ids[0]}
    # The titles of each series' latest year with titles, as the ORM finds them.
    series_years = [n for row in series if row[7] is not None for n in (row[0], row[7])]
    latest_year = (
        Champion.objects.titles()
        .filter(series=OuterRef("series"))
        .order_by("-year")
        .values("year")[:1]
    )
    expected_titles = list(
        Champion.objects.titles()
        .filter(year=Subquery(latest_year))
        .order_by("series__tier", "series__name", "class_name")
        .values_list(*home._TITLE_FIELDS)
    )
    assert list(home._TITLES(*series_years)) == expected_titles
    assert [(title[1], title[2]) for title in expected_titles] == [(2022, "Am"), (2022, "overall")]

    season_ids = [row[6] for row in series if row[6]]
    today = timezone.localdate()
    seasons = list(home._seasons_query(today)(*season_ids))
    expected = list(
        seasons_with_state().filter(pk__in=season_ids).order_by("series__tier", "series__name")
    )
    assert seasons == expected
    assert [s.has_results for s in seasons] == [s.has_results for s in expected]
    assert [s.has_to_run for s in seasons] == [s.has_to_run for s in expected]
    for prepared in (home._SERIES, home._SESSIONS, home._PODIUMS, home._TITLES):
        assert _compiled(prepared)
    assert _compiled(home._seasons_query(today))


def test_last_calendar_date_is_the_latest_end_of_a_round_event(record):
    def last_calendar_dates() -> set[dt.date | None]:
        return {row[8] for row in home._SERIES()}  # the same on every series' row

    expected = Round.objects.aggregate(last=Max(F("event__end_date")))["last"]
    assert last_calendar_dates() == {expected} == {dt.date(2023, 10, 1)}
    # An event hosting no round does not count.
    Event.objects.create(
        name="Later", slug="later", circuit=record.circuit, start_date=dt.date(2030, 1, 1),
        end_date=dt.date(2030, 1, 2),
    )  # fmt: skip
    assert last_calendar_dates() == {dt.date(2023, 10, 1)}
    Round.objects.all().delete()
    assert last_calendar_dates() == {None}


def test_the_pyramids_series_are_the_orms(record):
    rows = list(pyramid._PYRAMID_SERIES())
    expected = list(pyramid._PYRAMID_SERIES.build())
    assert rows == expected
    assert [(s.season_count, s.first_season, s.last_season) for s in rows] == [
        (s.season_count, s.first_season, s.last_season) for s in expected
    ]
    assert _compiled(pyramid._PYRAMID_SERIES)


def test_home_page_reads_the_same_with_the_queries_prepared_twice(fan, record):
    """The second request runs the compiled queries with the new arguments: same page."""
    with time_machine.travel(NOW, tick=False):
        first = fan.get("/").content
        second = fan.get("/").content
    assert first == second
    html = first.decode()
    hero = html[html.index('class="hero"') : html.index("latest-heading")]
    for provider in ("IMSA.tv", "Session TV", "Season TV", "Series TV"):
        assert provider in hero
    assert "Elsewhere TV" not in hero
    assert "calendars up to October 2023" in html


def test_the_podiums_shown_are_the_latest_of_every_series_sessions():
    """More series than podiums: the database keeps the ones the page's sort of every series'
    session kept (latest day, timed before untimed, latest start, then event and name)."""
    shared = make_event(start=dt.date(2023, 6, 1), name="Shared Weekend", slug="shared-weekend")
    starts = [None, dt.time(9), dt.time(15), None]
    for n in range(12):
        season = make_season(make_series(name=f"Cup {n:02}", slug=f"cup-{n:02}"), year=2023)
        # Four series race the same day, two timed and two not; the others a day apart each.
        if n < 4:
            round_ = make_round(season, 1, event=shared)
            day, start = dt.date(2023, 6, 3), starts[n]
        else:
            round_ = make_round(season, 1)
            day, start = dt.date(2023, 5, 1) + dt.timedelta(days=n), None
        session = make_session(
            round_,
            name=f"Race {12 - n:02}",  # names sort against the order of creation
            date=day,
            starts_at=dt.datetime.combine(day, start, tzinfo=dt.UTC) if start else None,
            status=SessionStatus.FINAL,
        )
        make_result(session, make_entry(season), 1)
    session_ids = [row[5] for row in home._SERIES() if row[5]]
    assert len(session_ids) == 12
    every = sorted(
        Session.objects.filter(pk__in=session_ids).select_related("event"),
        key=lambda session: (session.date, session.starts_at is not None, session.starts_at),
        reverse=True,
    )
    shown = list(home._SESSIONS(*session_ids))
    assert len(shown) == home.HOME_PODIUMS
    assert [pk for pk, *_ in shown] == [session.pk for session in every[: home.HOME_PODIUMS]]
    assert [starts_at is not None for _, _, _, _, starts_at, *_ in shown[:4]] == [
        True,
        True,
        False,
        False,
    ]


def test_the_pages_series_addresses_are_reverses(record):
    page = pyramid.pyramid_page()
    shown = [s for tier in page.tiers for s in tier.series]
    shown += [s.feeds_into for s in shown if s.feeds_into is not None]
    assert len(shown) > 4
    for series in shown:
        assert series.address == reverse("series:series-detail", args=[series.slug])
        assert series.coverage_address == reverse("series:coverage-series", args=[series.slug])
    assert {s.address for s in shown} >= {"/series/supercup/", "/series/sprint-testland/"}


def test_the_latest_champions_row_reads_the_plain_titles(fan):
    """Pro stands for the overall champion where none is on record; the team as entered is shown
    by its record's name; the qualifier and the teams' title as printed."""
    _, cup, _, _ = make_pyramid()
    driver = make_driver("Paula Pro", slug="paula-pro")
    team = make_team("Recorded Racing")
    Champion.objects.create(series=cup, year=2021, class_name="overall", driver_name="Old One")
    for class_name, name, extra in (
        ("Pro", "Paula Pro", {"driver": driver, "team": "Printed", "team_record": team}),
        ("Am", "Andy Am", {"qualifier": "provisional"}),
        ("Teams", "Team Driver", {"teams_champion": "Champion Team Ltd"}),
    ):
        Champion.objects.create(
            series=cup, year=2022, class_name=class_name, driver_name=name, **extra
        )
    html = fan.get("/").content.decode()
    table = html[html.index('id="champions-heading"') : html.index('id="leaders-heading"')]
    row = table[table.index(">Carrera Cup Testland<") :]
    row = row[: row.index("</tr>")]
    assert '<a href="/drivers/paula-pro/">Paula Pro</a>' in row
    assert '<span class="muted small">(Pro)</span>' in row
    assert '<span class="muted small">Recorded Racing</span>' in row and "Printed" not in row
    assert "Am: Andy Am (provisional)" in row and "Teams: Champion Team Ltd" in row
    assert "Old One" not in table
    assert 'href="/series/carrera-cup-testland/2022/">2022<' in row
