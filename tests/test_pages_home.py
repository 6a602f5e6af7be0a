"""The home page, the pyramid and the error pages."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from series.models import Champion, MediaKind, MediaLink, SessionKind, SessionStatus
from tests.factories import (
    make_circuit,
    make_event,
    make_round,
    make_season,
    make_session,
)
from tests.scenarios import build_season, make_pyramid

NOW = dt.datetime(2023, 9, 20, 12, 0, tzinfo=dt.UTC)


def make_next_event(season):
    """A weekend a week after NOW hosting round 5 of `season`, with two timed sessions."""
    circuit = make_circuit(name="Laguna Test", slug="laguna-test", time_zone="America/Los_Angeles")
    event = make_event(
        circuit,
        start=dt.date(2023, 9, 28),
        name="Reunion Test",
        slug="reunion-test",
        end_date=dt.date(2023, 10, 1),
    )
    round_ = make_round(season, 5, event=event)
    make_session(
        round_,
        kind=SessionKind.QUALIFYING,
        name="Qualifying",
        slug="qualifying",
        status=SessionStatus.SCHEDULED,
        date=dt.date(2023, 9, 29),
        starts_at=dt.datetime(2023, 9, 29, 18, 5, tzinfo=dt.UTC),
    )
    make_session(
        round_,
        name="Race 5",
        slug="race-5",
        status=SessionStatus.SCHEDULED,
        date=dt.date(2023, 9, 30),
        starts_at=dt.datetime(2023, 9, 30, 18, 5, tzinfo=dt.UTC),
    )
    MediaLink.objects.create(
        kind=MediaKind.LIVE,
        provider="IMSA.tv",
        url="https://example.com/imsa",
        region="Worldwide",
        event=event,
    )
    return event


@pytest.mark.django_db
def test_home_renders_with_an_empty_database(fan):
    response = fan.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "No event to come in the calendar yet" in html
    assert "No race results entered yet" in html
    assert "No championship is under way" in html
    assert "No champions are on record yet" in html
    assert html.count('class="pyramid-tier ') == 3


@pytest.mark.django_db
def test_home_shows_next_event_countdown_sessions_and_where_to_watch(fan):
    _, cup, _, _ = make_pyramid()
    season = build_season(cup)
    make_next_event(season)
    with time_machine.travel(NOW, tick=False):
        html = fan.get("/").content.decode()
    hero = html[html.index('class="hero"') : html.index("latest-heading")]
    assert "Reunion Test" in hero
    assert 'data-countdown="2023-09-29T18:05:00+00:00"' in hero
    # The time at the circuit (Pacific), machine-readable in UTC for the reader's conversion.
    assert (
        '<time datetime="2023-09-29T18:05:00Z" data-local data-tz="America/Los_Angeles">'
        "Fri 29 Sep, 11:05" in hero
    )
    assert "IMSA.tv" in hero
    assert "round 5" in hero


@pytest.mark.django_db
def test_home_shows_latest_podium_and_leaders(fan):
    _, cup, _, _ = make_pyramid()
    season = build_season(cup)
    make_next_event(season)  # a round to come: the season is under way
    with time_machine.travel(NOW, tick=False):
        html = fan.get("/").content.decode()
    latest = html[html.index('id="latest-heading"') : html.index('id="champions-heading"')]
    podium = re.findall(r"(Anna|Carla|Ben) Driver", latest)
    assert podium == ["Anna", "Carla", "Ben"]  # round 3's podium, the guest marked
    assert "badge-guest" in latest
    leaders = html[html.index('id="leaders-heading"') : html.index('id="glance-heading"')]
    assert "Anna Driver" in leaders and ">75<" in leaders
    assert f"/series/{season.series.slug}/2023/standings/" in leaders


@pytest.mark.django_db
def test_home_query_count_is_the_same_with_1_and_30_seasons(fan):
    """Prevents an n+1. Queries: next event, its rounds, sessions, watch links; the series with
    their latest session and season (subqueries); those sessions; their podiums; the running
    seasons; the site version; the standings loader once per running season (one per series)."""
    _, cup, _, _ = make_pyramid()
    season = build_season(cup, year=2023)
    make_next_event(season)

    def count() -> int:
        cache.clear()
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
            assert fan.get("/").status_code == 200
        return len(queries)

    one = count()
    for year in range(1993, 2022):
        build_season(cup, year=year, rounds=2)
    assert cup.seasons.count() == 30
    assert count() == one


@pytest.mark.django_db
def test_pyramid_draws_tiers_and_the_path_from_feeds_into(fan):
    make_pyramid()
    response = fan.get("/pyramid/")
    html = response.content.decode()
    assert response.status_code == 200
    tiers = [html.index(f'id="tier-{n}"') for n in (1, 2, 3)]
    assert tiers == sorted(tiers)
    assert "2011" in html and "Testland" in html
    ladders = html[html.index('id="ladders-heading"') :]
    path = re.findall(r'<a href="/series/([a-z0-9-]+)/">', ladders.split("</ol></li>")[0])
    assert path in (
        ["gt3-elsewhere", "carrera-cup-testland", "supercup"],
        ["sprint-testland", "carrera-cup-testland", "supercup"],
    )
    assert ladders.count('<ol class="ladder"') == 2
    # Every way into the top: the Carrera Cup, fed by both base series.
    climb = ladders[ladders.index("Every way into Porsche Supercup") :]
    row = climb[: climb.index("Carrera Cup Testland</a></th>")].split("<tr>")[-1]
    assert "GT3 Cup Challenge Elsewhere" in row and "Sprint Challenge Testland" in row


@pytest.mark.django_db
def test_pyramid_renders_with_an_empty_database(fan):
    response = fan.get("/pyramid/")
    assert response.status_code == 200
    assert b"No series loaded yet" in response.content


@pytest.mark.django_db
def test_pyramid_query_count_is_the_same_with_1_and_30_seasons(fan):
    """Prevents an n+1: one query, the series with what they feed into and their season counts."""
    _, cup, _, _ = make_pyramid()
    build_season(cup)
    with CaptureQueriesContext(connection) as one:
        fan.get("/pyramid/")
    for year in range(1993, 2022):
        build_season(cup, year=year, rounds=1)
    with CaptureQueriesContext(connection) as thirty:
        fan.get("/pyramid/")
    assert len(thirty) == len(one) == 1


@pytest.mark.django_db
def test_main_menu_marks_the_current_section(fan):
    make_pyramid()
    html = fan.get("/pyramid/").content.decode()
    assert '<a href="/pyramid/" aria-current="page">Pyramid</a>' in html
    assert 'action="/search/"' in html
    assert 'class="skip-link" href="#main"' in html


@pytest.mark.django_db
def test_not_found_page_offers_a_way_back(fan):
    response = fan.get("/no/such/page/")
    assert response.status_code == 404
    assert b'href="/"' in response.content
    assert b"Back to the home page" in response.content


def test_server_error_page_renders_without_the_database():
    """The 500 page must render when the database is down: no test database is set up here, so any
    query would raise."""
    from django.test import RequestFactory

    from series.views.errors import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b'href="/"' in response.content


def test_bad_request_page_shows_the_message():
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    html = render_to_string(
        "400.html", {"message": "There is no round 99."}, request=RequestFactory().get("/")
    )
    assert "There is no round 99." in html


# --- the off-season and the record's edge (issue 13 item 3, issue 9 item 2) ----------------------

OFF_SEASON = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def make_finished_2025(cup):
    """A 2025 season with three raced rounds (March to April 2025), its champion on record."""
    season = build_season(cup, year=2025)
    champion = season.entries.get(car_number=2).driver  # not the computed leader (Anna)
    Champion.objects.create(
        series=cup,
        year=2025,
        driver=champion,
        driver_name=champion.name,
        points=Decimal("122"),
        source="example.com/2025-review",
    )
    Champion.objects.create(series=cup, year=2025, class_name="Am", driver_name="Am Champion")
    return season, champion


@pytest.mark.django_db
def test_off_season_home_shows_champions_not_computed_leaders(fan):
    _, cup, _, _ = make_pyramid()
    season, champion = make_finished_2025(cup)
    with time_machine.travel(OFF_SEASON, tick=False):
        html = fan.get("/").content.decode()
    titles = html[html.index('id="champions-heading"') : html.index('id="leaders-heading"')]
    assert champion.name in titles and ">122<" in titles  # the published points
    assert f'href="/series/{cup.slug}/2025/"' in titles
    assert "Am: Am Champion" in titles
    leaders = html[html.index('id="leaders-heading"') : html.index('id="glance-heading"')]
    assert "No championship is under way" in leaders
    assert "Anna Driver" not in leaders and "<table" not in leaders
    # Where the record stops, said plainly, with the coverage view linked.
    edge = html[html.index('class="notice home-edge"') : html.index('class="hero"')]
    assert "Where the record stops" in edge and "April 2025" in edge
    assert "champions up to 2025" in edge and 'href="/coverage/"' in edge
    assert "no 2027 calendar has been entered yet" in html


@pytest.mark.django_db
def test_off_season_home_names_the_next_seasons_first_event(fan):
    _, cup, _, _ = make_pyramid()
    make_finished_2025(cup)
    season_2027 = make_season(cup, year=2027)
    round_ = make_round(season_2027, 1)  # 15 March 2027
    with time_machine.travel(OFF_SEASON, tick=False):
        html = fan.get("/").content.decode()
    hero = html[html.index('class="hero"') : html.index('id="latest-heading"')]
    assert "Next season&#x27;s first event" in hero or "Next season's first event" in hero
    assert round_.event.name in hero


@pytest.mark.django_db
def test_a_season_with_its_champion_on_record_shows_no_leader_even_with_rounds_to_come(fan):
    _, cup, _, _ = make_pyramid()
    season = build_season(cup)
    make_next_event(season)
    Champion.objects.create(series=cup, year=2023, driver_name="Early Champion")
    with time_machine.travel(NOW, tick=False):
        html = fan.get("/").content.decode()
    leaders = html[html.index('id="leaders-heading"') : html.index('id="glance-heading"')]
    assert "No championship is under way" in leaders


@pytest.mark.django_db
def test_partial_badge_sits_where_a_phone_does_not_cut_it(fan):
    """The leaders' season cell is not the ellipsised driver column (.col-driver)."""
    _, cup, _, _ = make_pyramid()
    season = build_season(cup, results_partial=True)
    make_next_event(season)
    with time_machine.travel(NOW, tick=False):
        html = fan.get("/").content.decode()
    leaders = html[html.index('id="leaders-heading"') : html.index('id="glance-heading"')]
    body = leaders[leaders.index("<tbody>") :]
    cell = body[: body.index("</th>")]
    assert "badge-partial" in cell and "col-driver" not in cell
    assert 'class="data home-leaders"' in leaders


@pytest.mark.django_db
def test_pyramid_shows_the_years_of_each_series_seasons_and_links_its_coverage(fan):
    _, cup, _, _ = make_pyramid()
    for year in (2024, 2025, 2026):
        make_season(cup, year=year)
    html = fan.get("/pyramid/").content.decode()
    card = html[html.index(">Carrera Cup Testland</a></h3>") :]
    card = card[: card.index("</li>")]
    assert "<dd>3 <span" in card and "(2024–2026)" in card
    assert f'href="/coverage/{cup.slug}/"' in card
