"""Uncached time of the heaviest career pages: the driver and the team with the most entries, each
requested `BENCH_REQUESTS` times (30 by default, after 3 warm-up requests) through Django's test
client with the benchmark's uncached settings (no page cache, a cache that keeps nothing), on the
database DATABASE_URL names. Prints one line of JSON: median and p95 in ms, and queries per request.

    DATABASE_URL=... SECRET_KEY=x ALLOWED_HOSTS=testserver .venv/bin/python bench/careers.py
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.nocache_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from series.models import Driver, Team  # noqa: E402


def measure(client: Client, url: str, requests: int) -> dict:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "queries": len(queries),
    }


def main() -> None:
    requests = int(os.environ.get("BENCH_REQUESTS", "30"))
    driver = Driver.objects.annotate(n=Count("entries")).order_by("-n", "pk").first()
    team = Team.objects.annotate(n=Count("entries")).order_by("-n", "pk").first()
    client = Client()
    print(
        json.dumps(
            {
                "driver": measure(client, f"/drivers/{driver.slug}/", requests),
                "driver_entries": driver.n,
                "team": measure(client, f"/teams/{team.slug}/", requests),
                "team_entries": team.n,
            }
        )
    )


if __name__ == "__main__":
    main()
