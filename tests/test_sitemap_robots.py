import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from series.models import Event, Season, Session
from series.sitemaps import SITEMAPS, URLS_PER_SITEMAP, SessionSitemap

from .factories import (
    make_circuit,
    make_driver,
    make_event,
    make_round,
    make_season,
    make_series,
    make_session,
    make_team,
)

pytestmark = pytest.mark.django_db

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _locations(response) -> list[str]:
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own server's output)
    return [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]


def test_the_sitemap_index_lists_every_section(fan):
    locations = _locations(fan.get("/sitemap.xml"))

    assert locations == [f"http://testserver/sitemap-{section}.xml" for section in SITEMAPS]
    assert {"pages", "series", "seasons", "events", "sessions", "drivers"} <= set(SITEMAPS)


def test_sections_list_the_pages_of_the_record(fan):
    season = make_season(make_series(name="Carrera Cup North America"), 2023)
    event = make_event(make_circuit(name="Laguna Seca"), name="Rennsport Reunion 7")
    make_session(make_round(season, 13, event), slug="race-13")
    make_driver("Riley Dickinson")
    make_team("Kellymoss")

    def section(name):
        return _locations(fan.get(f"/sitemap-{name}.xml"))

    base = "http://testserver"
    assert f"{base}/series/carrera-cup-north-america/" in section("series")
    assert section("seasons") == [f"{base}/series/carrera-cup-north-america/2023/"]
    assert section("standings") == [f"{base}/series/carrera-cup-north-america/2023/standings/"]
    assert section("results") == [f"{base}/series/carrera-cup-north-america/2023/results/"]
    assert section("events") == [f"{base}/events/rennsport-reunion-7/"]
    assert section("sessions") == [f"{base}/events/rennsport-reunion-7/race-13/"]
    assert section("drivers") == [f"{base}/drivers/riley-dickinson/"]
    assert section("teams") == [f"{base}/teams/kellymoss/"]
    assert f"{base}/circuits/laguna-seca/" in section("circuits")
    assert f"{base}/pyramid/" in section("pages")
    assert f"{base}/events/" in section("pages")


def test_an_unknown_section_is_not_found(fan):
    assert fan.get("/sitemap-nonsense.xml").status_code == 404


def test_a_section_pages_past_its_limit_and_the_index_lists_every_page(fan, monkeypatch):
    # The protocol caps one sitemap file at 50,000 addresses; ours hold 2,000 (quick to render).
    assert all(sitemap.limit == 2_000 for sitemap in SITEMAPS.values())
    # The same paging, shown at a size a test can fill: 5 sessions at 2 per file.
    monkeypatch.setattr(SessionSitemap, "limit", 2)
    for number in range(1, 6):
        make_session(make_round(make_season(), number), slug=f"race-{number}")

    index = _locations(fan.get("/sitemap.xml"))
    last_page = _locations(fan.get("/sitemap-sessions.xml?p=3"))

    sessions = "http://testserver/sitemap-sessions.xml"
    assert [loc for loc in index if loc.startswith(sessions)] == [
        sessions,
        f"{sessions}?p=2",
        f"{sessions}?p=3",
    ]
    assert len(last_page) == 1
    assert fan.get("/sitemap-sessions.xml?p=4").status_code == 404


def test_robots_allows_all_but_the_admin_and_names_the_sitemap(fan):
    response = fan.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    # The API is open data: crawlers may read it.
    assert not any(line.startswith("Disallow: /api") for line in lines)
    assert [line for line in lines if line.startswith("Disallow:")] == ["Disallow: /admin/"]


def test_the_shipped_facts_are_listed(fan, shipped):
    events = _locations(fan.get("/sitemap-events.xml"))
    series = _locations(fan.get("/sitemap-series.xml"))
    drivers = _locations(fan.get("/sitemap-drivers.xml"))

    assert "http://testserver/events/rennsport-reunion-7/" in events
    assert "http://testserver/series/carrera-cup-north-america/" in series
    assert "http://testserver/drivers/larry-ten-voorde/" in drivers
    assert len(events) == Event.objects.count()


def test_addresses_filled_in_are_the_addresses_reverse_gives(fan, shipped):
    # The sections fill one reversed address per section with each item's slugs and year.
    base = "http://testserver"
    sessions = Session.objects.select_related("event").order_by("pk")[:URLS_PER_SITEMAP]
    seasons = Season.objects.select_related("series").order_by("pk")[:URLS_PER_SITEMAP]
    assert _locations(fan.get("/sitemap-sessions.xml")) == [
        base + s.get_absolute_url() for s in sessions
    ]
    assert _locations(fan.get("/sitemap-results.xml")) == [
        base + reverse("series:season-results", args=[s.series.slug, s.year]) for s in seasons
    ]
