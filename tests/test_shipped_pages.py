"""Every page type renders over the shipped facts (issue 13): the 2024–2026 seasons, winners-only
and calendar-only seasons, champion-only years, weekend- and month-precision dates. Each page
answers 200 (never a 500) and says what it holds; a season's pages keep a fixed query count
whatever the season."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from series.models import Champion, Circuit, Driver, Event, Season, Session, Team


def _addresses() -> list[str]:
    addresses = [
        "/",
        "/pyramid/",
        "/coverage/",
        "/calendar/",
        "/champions/",
        "/watch/",
        "/drivers/",
        "/teams/",
        "/circuits/",
        "/search/?q=muller",
        "/feeds/results.atom",
        "/calendar.ics",
    ]
    for season in Season.objects.select_related("series").filter(year__gte=2024):
        base = f"/series/{season.series.slug}/{season.year}/"
        addresses += [base, base + "standings/", base + "results/", base + "standings.csv"]
        addresses.append(f"/api/v1/series/{season.series.slug}/{season.year}/standings/")
    for series_slug, year in Champion.objects.values_list("series__slug", "year").distinct()[:40]:
        addresses.append(f"/series/{series_slug}/{year}/")
    for event in Event.objects.filter(start_date__year__gte=2024)[:30]:
        addresses.append(event.get_absolute_url())
    for session in Session.objects.filter(results__isnull=False).select_related("event")[:30]:
        addresses.append(session.get_absolute_url())
    addresses += [d.get_absolute_url() for d in Driver.objects.exclude(name_original="")]
    addresses += [d.get_absolute_url() for d in Driver.objects.order_by("-pk")[:20]]
    addresses += [t.get_absolute_url() for t in Team.objects.order_by("-pk")[:10]]
    addresses += [c.get_absolute_url() for c in Circuit.objects.order_by("-pk")[:10]]
    addresses.append(Event.objects.get(slug="rennsport-reunion-2").get_absolute_url())
    return addresses


@pytest.mark.django_db
def test_every_page_type_renders_over_the_shipped_facts(shipped, fan):
    addresses = _addresses()
    assert len(addresses) > 200
    for address in addresses:
        response = fan.get(address)
        assert response.status_code == 200, address


@pytest.mark.django_db
def test_month_and_weekend_precision_are_worded_not_guessed(shipped, fan):
    rennsport = fan.get("/events/rennsport-reunion-2/").content.decode()
    assert "April 2004" in rennsport
    assert "1–30 April 2004" not in rennsport
    long_beach = fan.get("/series/carrera-cup-north-america/2023/").content.decode()
    assert "weekend of" in long_beach


@pytest.mark.django_db
def test_season_pages_cost_the_same_queries_for_every_shipped_season(shipped, fan):
    counts = {}
    for season in Season.objects.select_related("series").filter(year__gte=2024):
        address = f"/series/{season.series.slug}/{season.year}/standings/"
        with CaptureQueriesContext(connection) as queries:
            assert fan.get(address).status_code == 200
        counts[address] = len(queries)
    # The same budget for a 16-race season with results as for a calendar-only one (those skip
    # the queries of tables they don't have): the size of a season never adds a query.
    assert max(counts.values()) <= 13, counts
    assert len(set(counts.values())) <= 2, counts
