"""generate_synthetic: the counts asked for, everything marked synthetic, kept out of every public
listing (pages, feeds, sitemap, calendars, API) yet reachable by address, and --clear removes it."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from series.models import (
    Circuit,
    Driver,
    Entry,
    Event,
    Result,
    Round,
    Season,
    Series,
    Session,
    SiteVersion,
    Team,
)
from series.selectors.cache import site_version
from tests import factories as f

pytestmark = pytest.mark.django_db

TINY = ["--series", "2", "--seasons", "2", "--rounds", "2", "--cars", "4"]

# Every public listing and feed; none may name a synthetic object.
LISTINGS = [
    "/",
    "/pyramid/",
    "/calendar/",
    "/calendar/?year=2024",
    "/champions/",
    "/drivers/",
    "/teams/",
    "/circuits/",
    "/events/",
    "/events/?year=2024",
    "/search/?q=Synthetic",
    "/search/?q=Race",
    "/watch/",
    "/sitemap.xml",
    "/sitemap-series.xml",
    "/sitemap-seasons.xml",
    "/sitemap-standings.xml",
    "/sitemap-results.xml",
    "/sitemap-events.xml",
    "/sitemap-sessions.xml",
    "/sitemap-drivers.xml",
    "/sitemap-teams.xml",
    "/sitemap-circuits.xml",
    "/feeds/results.atom",
    "/calendar.ics",
    "/api/v1/series/",
    "/api/v1/seasons/",
    "/api/v1/events/",
    "/api/v1/drivers/",
    "/api/v1/teams/",
    "/api/v1/circuits/",
    "/api/v1/champions/",
]


def _generate(*extra: str) -> str:
    out = io.StringIO()
    call_command("generate_synthetic", *TINY, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def real_season():
    """A little of the real record, so the listings have something to show."""
    season = f.make_season(f.make_series(name="Porsche Carrera Cup Realland"), year=2024)
    entry = f.make_entry(season, f.make_driver("Real Racer"), car_number=3)
    session = f.make_session(f.make_round(season, 1))
    f.make_result(session, entry, 1)
    return season


def test_tiny_history_has_the_counts_asked_for():
    _generate()
    assert Series.objects.count() == 2
    assert Season.objects.count() == 2 * 2
    assert Round.objects.count() == 2 * 2 * 2
    assert Session.objects.count() == 2 * 2 * 2
    assert Entry.objects.count() == 2 * 2 * 4
    assert Result.objects.count() == 2 * 2 * 2 * 4
    # Two rounds make one weekend per season.
    assert Event.objects.count() == 2 * 2
    # Every race has one winner and every car one result.
    assert Result.objects.filter(position=1).count() == 8
    for session in Session.objects.all():
        assert session.results.count() == 4


def test_everything_generated_is_marked_synthetic_and_named_so():
    _generate()
    for model in (Series, Season, Circuit, Event, Driver, Team):
        assert model.objects.exists(), model
        assert not model.objects.filter(is_synthetic=False).exists(), model
    for model in (Series, Circuit, Event, Driver, Team):
        assert all(
            name.startswith("Synthetic") for name in model.objects.values_list("name", flat=True)
        )


def test_site_version_is_raised_once_not_per_row():
    before = site_version()
    _generate()
    assert site_version() == before + 1
    assert SiteVersion.objects.count() == 1


@pytest.mark.parametrize("url", LISTINGS)
def test_public_listings_leave_synthetic_data_out(fan, real_season, url):
    _generate()
    response = fan.get(url)
    assert response.status_code == 200, url
    body = (b"".join(response) if response.streaming else response.content).decode()
    # The search page repeats the words searched for; a name or an address of a generated object
    # is what must not appear.
    for model in (Series, Circuit, Event, Driver, Team):
        for name, slug in model.objects.filter(is_synthetic=True).values_list("name", "slug"):
            assert name not in body, (url, name)
            assert f"/{slug}/" not in body and f"/{slug}." not in body, (url, slug)


def test_a_year_with_only_synthetic_races_is_not_offered_by_the_calendar(fan, real_season):
    _generate()
    assert fan.get("/calendar/?year=2023").status_code == 400


def test_the_real_record_still_shows_beside_synthetic_data(fan, real_season):
    _generate()
    assert b"Real Racer" in fan.get("/drivers/").content
    assert b"Porsche Carrera Cup Realland" in fan.get("/pyramid/").content


def test_synthetic_detail_pages_answer_by_address(fan):
    _generate()
    season = Season.objects.order_by("-year").first()
    driver = Entry.objects.filter(season=season).first().driver
    session = Session.objects.filter(round__season=season).select_related("event").first()
    for url in (
        f"/series/{season.series.slug}/",
        f"/series/{season.series.slug}/{season.year}/",
        f"/series/{season.series.slug}/{season.year}/standings/",
        f"/series/{season.series.slug}/{season.year}/results/",
        f"/events/{session.event.slug}/",
        f"/events/{session.event.slug}/{session.slug}/",
        f"/drivers/{driver.slug}/",
        f"/circuits/{session.event.circuit.slug}/",
    ):
        assert fan.get(url).status_code == 200, url


def test_second_run_without_clear_refuses_and_writes_nothing():
    _generate()
    with pytest.raises(CommandError, match="--clear"):
        _generate()
    assert Result.objects.count() == 32


def test_clear_removes_every_synthetic_row_and_keeps_the_real_record(real_season):
    _generate()
    out = _generate("--clear", "--series", "0")
    assert "Removed earlier synthetic data" in out
    for model in (Series, Season, Circuit, Event, Driver, Team):
        assert not model.objects.filter(is_synthetic=True).exists(), model
    assert list(Season.objects.all()) == [real_season]
    assert Result.objects.count() == 1
    assert Entry.objects.count() == 1
    assert Round.objects.count() == Session.objects.count() == 1


def test_clear_then_generate_replaces_the_history():
    _generate("--seed", "1")
    first_drivers = set(Driver.objects.values_list("name", flat=True))
    _generate("--clear", "--seed", "2")
    assert Result.objects.count() == 32
    assert set(Driver.objects.values_list("name", flat=True)) != first_drivers


def test_same_seed_makes_the_same_history():
    _generate("--seed", "7")
    first = list(
        Result.objects.order_by("session__event__slug", "position").values_list(
            "entry__car_number", flat=True
        )
    )
    _generate("--clear", "--seed", "7")
    again = list(
        Result.objects.order_by("session__event__slug", "position").values_list(
            "entry__car_number", flat=True
        )
    )
    assert first == again


@pytest.mark.parametrize(
    "option, value",
    [("--seasons", "0"), ("--seasons", "200"), ("--cars", "1"), ("--rounds", "0")],
)
def test_impossible_sizes_are_refused_with_a_message(option, value):
    with pytest.raises(CommandError, match=option):
        call_command("generate_synthetic", option, value, stdout=io.StringIO())
    assert not Series.objects.exists()


def test_seasons_end_in_2024_and_dates_stay_in_their_year():
    _generate()
    assert sorted(set(Season.objects.values_list("year", flat=True))) == [2023, 2024]
    for round_ in Round.objects.select_related("season", "event"):
        assert round_.date.year == round_.season.year
        assert round_.event.start_date <= round_.date <= round_.event.end_date
    assert Event.objects.filter(end_date__lt=dt.date(2023, 1, 1)).count() == 0
