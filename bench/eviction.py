"""How much of the site one save evicts: `python bench/eviction.py`.

The shipped facts (load_pyramid) in a fresh SQLite file; every public page of every series,
season, event, session, driver, team and circuit, plus the listings and the calendar files, is
requested twice (the second answer must come from the page cache); then one Supercup result is
saved through the ORM (as the admin does), and every page is requested again: the figure is how
many are still answered from the cache, by page family. Before issue 12 every save evicted every
page. Prints a table (Markdown) for docs/benchmarks.md.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="pcc-eviction-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="pcc.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp}/eviction.sqlite3",
        PAGE_CACHE="1",
        REDIS_URL="",
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="testserver",
    )
    import django

    django.setup()
    from django.conf import settings

    # Room for every page: the local-memory cache keeps 300 entries by default.
    settings.CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 100_000}
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_pyramid", verbosity=0)

    from django.test import Client

    from series.models import Circuit, Driver, Event, Result, Season, Series, Session, Team

    addresses: dict[str, str] = {}
    for path in ("/", "/pyramid/", "/drivers/", "/teams/", "/circuits/", "/events/"):
        addresses[path] = "listings"
    for path in ("/champions/", "/calendar/", "/watch/", "/calendar.ics"):
        addresses[path] = "listings"
    for series in Series.objects.all():
        addresses[f"/series/{series.slug}/"] = "series"
        addresses[f"/series/{series.slug}/calendar.ics"] = "series calendar"
    for season in Season.objects.select_related("series"):
        base = f"/series/{season.series.slug}/{season.year}/"
        for suffix in ("", "standings/", "results/"):
            addresses[base + suffix] = "season"
    for event in Event.objects.all():
        addresses[f"/events/{event.slug}/"] = "event"
    for session in Session.objects.select_related("event"):
        addresses[f"/events/{session.event.slug}/{session.slug}/"] = "session"
    for driver in Driver.objects.all():
        addresses[f"/drivers/{driver.slug}/"] = "driver"
    for team in Team.objects.all():
        addresses[f"/teams/{team.slug}/"] = "team"
    for circuit in Circuit.objects.all():
        addresses[f"/circuits/{circuit.slug}/"] = "circuit"

    client = Client()
    cached = []
    for address in addresses:
        client.get(address)
        if client.get(address).get("X-Page-Cache") == "hit":
            cached.append(address)

    result = (
        Result.objects.filter(session__round__season__series__slug="supercup")
        .select_related("session__round__season")
        .order_by("-session__date")
        .first()
    )
    season = result.session.round.season
    result.laps = (result.laps or 0) + 1
    result.save()
    print(f"saved one result of {season} ({result.session}); {len(cached)} pages were cached")

    kept, total = Counter(), Counter()
    for address in cached:
        family = addresses[address]
        total[family] += 1
        if client.get(address).get("X-Page-Cache") == "hit":
            kept[family] += 1
    lines = [
        "| page family | pages cached before the save | still cached after it |",
        "|---|--:|--:|",
    ]
    for family in sorted(total, key=lambda name: -total[name]):
        lines.append(f"| {family} | {total[family]} | {kept[family]} |")
    lines.append(
        f"| **all** | **{sum(total.values())}** | **{sum(kept.values())}** "
        f"({sum(kept.values()) / sum(total.values()):.0%}) |"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
