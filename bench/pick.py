"""Addresses for the benchmark, read from the database the environment names (bench/run.py runs it
with the server's environment): `pick.py session`, `pick.py scale`, `pick.py counts` or
`pick.py pages`, one line of JSON on stdout."""

import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcc.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from series.models import Driver, Entry, Result, Season, Series, Session, Team  # noqa: E402


def session() -> str:
    """The first race of the 2022 Supercup with results."""
    found = (
        Session.objects.filter(
            round__season__series__slug="supercup",
            round__season__year=2022,
            results__isnull=False,
        )
        .select_related("event")
        .distinct()
        .order_by("date", "starts_at")
        .first()
    )
    return found.get_absolute_url()


# bench/synthetic.py names its series "Synthetic Cup NNN".
SYNTHETIC = "synthetic-cup-"


def counts() -> dict:
    """What the bench database holds: the shipped facts (load_pyramid) and the synthetic history,
    all of it visible on every page."""
    return {
        "shipped": Series.objects.filter(slug="supercup").exists(),
        "series": Series.objects.count(),
        "synthetic_series": Series.objects.filter(slug__startswith=SYNTHETIC).count(),
        "results": Result.objects.count(),
        "drivers": Driver.objects.count(),
        "teams": Team.objects.count(),
    }


def scale() -> dict:
    """Ten synthetic seasons picked with a fixed seed, and from them an event, a session, a
    driver, a team and a circuit each; plus the driver and the team with the most entries (the
    heaviest career pages), and every listing (first page, a later page, a filter)."""
    rng = random.Random(7)
    ids = sorted(
        Season.objects.filter(series__slug__startswith=SYNTHETIC).values_list("pk", flat=True)
    )
    seasons = list(
        Season.objects.filter(pk__in=rng.sample(ids, min(10, len(ids)))).select_related("series")
    )
    sessions, entries = [], []
    for season in seasons:
        in_season = list(Session.objects.filter(round__season=season).select_related("event"))
        sessions.append(rng.choice(in_season))
        entries.append(
            rng.choice(list(Entry.objects.filter(season=season).select_related("driver", "team")))
        )
    busiest_driver = Driver.objects.all().annotate(n=Count("entries")).order_by("-n").first()
    busiest_team = Team.objects.all().annotate(n=Count("entries")).order_by("-n").first()
    circuit_slugs = Session.objects.filter(pk__in=[s.pk for s in sessions]).values_list(
        "event__circuit__slug", flat=True
    )
    seasons_paths = [f"/series/{s.series.slug}/{s.year}/" for s in seasons]
    return {
        "home": ["/"],
        "pyramid": ["/pyramid/"],
        "series": [f"/series/{s.series.slug}/" for s in seasons],
        "season": seasons_paths,
        "standings": [path + "standings/" for path in seasons_paths],
        "results matrix": [path + "results/" for path in seasons_paths],
        "event": [f"/events/{s.event.slug}/" for s in sessions],
        "session": [f"/events/{s.event.slug}/{s.slug}/" for s in sessions],
        "driver": [f"/drivers/{e.driver.slug}/" for e in entries]
        + [f"/drivers/{busiest_driver.slug}/"],
        "team": [f"/teams/{e.team.slug}/" for e in entries] + [f"/teams/{busiest_team.slug}/"],
        "circuit": [f"/circuits/{slug}/" for slug in circuit_slugs],
        # The listings, with the whole history visible: they grow with the data.
        "drivers": ["/drivers/", "/drivers/?page=2", f"/drivers/?series={seasons[0].series.slug}"],
        "teams": ["/teams/", "/teams/?page=2"],
        "circuits": ["/circuits/"],
        "events": ["/events/", f"/events/?year={seasons[0].year}"],
        "champions": ["/champions/", "/champions/?page=2"],
        "calendar": ["/calendar/", f"/calendar/?year={seasons[0].year}"],
        "search": ["/search/?q=ten", "/search/?q=Porsche", "/search/?q=Anna", "/search/?q=ring"],
        "watch": ["/watch/"],
        "sitemap": ["/sitemap.xml", "/sitemap-drivers.xml", "/sitemap-sessions.xml?p=5"],
        "busiest": [busiest_driver.slug, busiest_driver.n, busiest_team.slug, busiest_team.n],
    }


def pages() -> dict:
    """One address of each page type on the shipped facts (bench/transfer.py)."""
    race = session()
    team = Team.objects.filter(entries__season__series__slug="supercup").order_by("slug").first()
    event = race.rsplit("/", 2)[0] + "/"
    circuit = (
        Session.objects.filter(round__season__series__slug="supercup", round__season__year=2022)
        .values_list("event__circuit__slug", flat=True)
        .first()
    )
    return {
        "home": "/",
        "pyramid": "/pyramid/",
        "series": "/series/supercup/",
        "season": "/series/supercup/2022/",
        "standings": "/series/supercup/2022/standings/",
        "results matrix": "/series/supercup/2022/results/",
        "event": event,
        "session": race,
        "drivers": "/drivers/",
        "driver": "/drivers/larry-ten-voorde/",
        "teams": "/teams/",
        "team": f"/teams/{team.slug}/",
        "circuits": "/circuits/",
        "circuit": f"/circuits/{circuit}/",
        "events": "/events/",
        "champions": "/champions/",
        "calendar": "/calendar/",
        "search": "/search/?q=ten",
        "watch": "/watch/",
        "standings API (JSON)": "/api/v1/series/supercup/2022/standings/",
        "standings CSV": "/series/supercup/2022/standings.csv",
        "calendar (iCal)": "/calendar.ics",
    }


if __name__ == "__main__":
    what = {"session": session, "counts": counts, "scale": scale, "pages": pages}[sys.argv[1]]
    print(json.dumps(what()))
