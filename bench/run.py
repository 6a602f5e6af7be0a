"""`make bench`: the load run and the scale run, figures into docs/benchmarks.md.

Load run: the shipped facts (load_pyramid) in a fresh SQLite file, served by two gunicorns like
`make serve`'s with production settings on 127.0.0.1: one with the page cache, one without any
cache (bench/nocache_settings.py: every request renders its page and recomputes its standings).
wrk measures the home page, a season's standings, its htmx fragment, a driver, a session's results
and a static CSS file at 1, 8 and 32 clients.

Scale run: PostgreSQL (BENCH_DATABASE_URL, by default the pcc_bench database on 127.0.0.1) holding
the shipped facts and the synthetic history (bench/synthetic.py, made here if absent: it refuses a
database without "bench" in its name), all of it visible, uncached, one client: every page type,
listings included, with addresses of synthetic objects, then the resident memory of each worker.

Each wrk run is bounded in time (BENCH_SECONDS, 5 by default); the whole takes about six minutes,
plus about half an hour the first time the synthetic history is generated (most of it
computing and storing the standings of its 1,200 seasons). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import PYTHON, ROOT, Measure, Server, manage, production_env, wrk  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "bench" / "results"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"
CLIENTS = (1, 8, 32)
STANDINGS = "/series/supercup/2022/standings/"
DRIVER = "/drivers/larry-ten-voorde/"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/pcc_bench"
# Servers listen on PORT + 1 to PORT + 5; BENCH_PORT moves them (several runs on one machine).
PORT = int(os.environ.get("BENCH_PORT", "8740"))
# Campaign links: each request a new utm_ value (the page cache keys on known parameters only).
UTM_VARIANTS = 200
# A database of its own on the machine's Redis; keys carry the site version and expire in 60 s.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
SCALE_REDIS_URL = os.environ.get("BENCH_SCALE_REDIS_URL", "redis://127.0.0.1:6379/10")
# Targets of the brief (docs/benchmarks.md says where they come from).
CACHED_SHARE, UNCACHED_SHARE = 0.5, 0.15
# Cached under the record's versions (with an ETag): at least half the static file, unchanged.
VERSIONED_SHARE = 0.5
VERSIONED = ("standings API", "calendar.ics")
# The page types of bench/pick.py pages() measured uncached, every one at 8 clients.
HTML_PAGES = (
    "home", "pyramid", "series", "season", "standings", "results matrix", "event", "session",
    "drivers", "driver", "teams", "team", "circuits", "circuit", "events", "champions",
    "calendar", "search", "watch",
)  # fmt: skip
P95_AT_8_MS, SCALE_P95_MS, WORKER_RSS_MB = 50.0, 100.0, 150.0


def pick(env: dict[str, str], what: str):
    """Addresses and counts from the database the environment names (bench/pick.py)."""
    result = subprocess.run(
        [str(PYTHON), str(ROOT / "bench" / "pick.py"), what],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _measure(server: Server, name: str, paths: list[str], headers: dict, seconds: float) -> list:
    # Warm up both workers (templates compiled, connections open) outside the figures.
    wrk(server, name, paths, 2, 1, headers)
    runs = []
    for clients in CLIENTS:
        measure = wrk(server, name, paths, clients, seconds, headers)
        runs.append(measure)
        print(
            f"  {name:<16} {clients:>2} clients: {measure.rps:8.1f} req/s  "
            f"p50 {measure.p50_ms:6.1f}  p95 {measure.p95_ms:6.1f}  p99 {measure.p99_ms:6.1f} ms  "
            f"errors {measure.errors}",
            flush=True,
        )
    return runs


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def load_run(seconds: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="pcc-bench-") as tmp:
        return _load_run(seconds, Path(tmp) / "bench.sqlite3")


def _load_run(seconds: float, database: Path) -> dict:
    env = production_env(DATABASE_URL=f"sqlite:///{database}")
    print("Load run: migrate, load_pyramid, collectstatic into a fresh SQLite file", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_pyramid")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    session_url = pick(env, "session")
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    css = "/static/" + manifest["paths"]["css/site.css"]
    pages = [
        ("home", ["/"], {}),
        ("standings", [STANDINGS], {}),
        ("standings htmx", [STANDINGS], {"HX-Request": "true"}),
        ("driver", [DRIVER], {}),
        ("session", [session_url], {}),
        (
            "standings utm",
            [f"{STANDINGS}?utm_source=bench&utm_content={n}" for n in range(UTM_VARIANTS)],
            {},
        ),
        ("standings API", [f"/api/v1{STANDINGS}"], {}),
        ("calendar.ics", ["/calendar.ics"], {}),
    ]
    figures: dict = {"urls": {name: paths[0] for name, paths, _ in pages}, "static": css}

    print("Cached server (page cache on, local-memory cache per worker)", flush=True)
    with Server(env, PORT + 1) as server:
        for name, paths, headers in pages:
            # Each worker has its own local-memory cache: a few requests reach both.
            answers = [server.get(paths[0], headers) for _ in range(6)]
            assert all(status == 200 for status, _, _ in answers), name
            assert any(
                "hit" in (answer.get("X-Page-Cache"), answer.get("X-Api-Cache"))
                for _, answer, _ in answers
            ), name
        runs = _measure(server, "static css", [css], {}, seconds)
        for name, paths, headers in pages:
            runs += _measure(server, name, paths, headers, seconds)
        figures["cached"] = [asdict(m) for m in runs]

    if redis_answers():
        print("Cached server sharing Redis (REDIS_URL, database 9)", flush=True)
        with Server(dict(env, REDIS_URL=REDIS_URL), PORT + 4) as server:
            for name, paths, headers in pages:
                server.get(paths[0], headers)
                _, answer, _ = server.get(paths[0], headers)
                assert "hit" in (answer.get("X-Page-Cache"), answer.get("X-Api-Cache")), name
            runs = []
            for name, paths, headers in pages:
                runs += _measure(server, name, paths, headers, seconds)
            figures["redis"] = [asdict(m) for m in runs]

    every_type = {name: path for name, path in pick(env, "pages").items() if name in HTML_PAGES}
    figures["page_types"] = every_type
    print("Uncached server (PAGE_CACHE=0, dummy cache: every request renders)", flush=True)
    uncached_env = dict(env, PAGE_CACHE="0", DJANGO_SETTINGS_MODULE="bench.nocache_settings")
    with Server(uncached_env, PORT + 2) as server:
        _, answer, _ = server.get("/")
        assert "X-Page-Cache" not in answer, answer
        runs = []
        for name, paths, headers in pages:
            runs += _measure(server, name, paths, headers, seconds)
        figures["uncached"] = [asdict(m) for m in runs]
        figures["types_cold"] = _every_type(server, every_type, seconds, css)

    # The page cache off, the data caches (standings tables, API and iCal bodies under the record's
    # versions) kept in each worker's local memory and warm: the state between two saves for a
    # page whose own cached copy is missing (a new variant, an evicted entry).
    print("Warm data caches (PAGE_CACHE=0, local-memory cache)", flush=True)
    with Server(dict(env, PAGE_CACHE="0"), PORT + 5) as server:
        _, answer, _ = server.get("/")
        assert "X-Page-Cache" not in answer, answer
        figures["types_warm"] = _every_type(server, every_type, seconds, css)
    return figures


def _every_type(
    server: Server, every_type: dict[str, str], seconds: float, static: str
) -> list[dict]:
    """Each page type of the shipped facts at 8 clients (after both workers have seen it), against
    the static file from the same server, in alternating one-second slices (static, page, static,
    page, ...): the machines are shared, and their speed drifts within a run (a page measured ten
    minutes after the static file read 0.16x in one run and 0.23x in the next; measured for 5 s
    after 5 s of the static file, the season read 0.136x while the machine slowed in between, and
    0.18x in the run before). Slices of each, interleaved, put the page and its reference in the
    same stretch of the machine's speed. The figures are the sums over the slices (`static_rps`
    the reference's); each slice's own ratio is kept (`slice_ratios`), and the latencies are the
    median of the page's slices."""
    runs = []
    slices = max(2, round(seconds))
    for name, path in every_type.items():
        status, _, _ = server.get(path)
        assert status == 200, (name, path, status)
        # Both workers see the page (a second each, as _measure warms up) outside the figures.
        wrk(server, name, [path], 2, 1)
        references, pages = [], []
        for _ in range(slices):
            references.append(wrk(server, "static css", [static], 8, 1))
            pages.append(wrk(server, name, [path], 8, 1))
        measure = _summed(name, pages)
        reference = _summed("static css", references)
        runs.append(
            asdict(measure)
            | {
                "static_rps": reference.rps,
                "slice_ratios": [
                    round(page.rps / ref.rps, 4)
                    for page, ref in zip(pages, references, strict=True)
                ],
            }
        )
        print(
            f"  {name:<16}  8 clients: {measure.rps:8.1f} req/s  p50 {measure.p50_ms:6.1f}  "
            f"p95 {measure.p95_ms:6.1f} ms  errors {measure.errors}  (static in the slices "
            f"between {reference.rps:.0f} req/s: {measure.rps / reference.rps:.3f}x)",
            flush=True,
        )
    return runs


def _summed(name: str, slices: list[Measure]) -> Measure:
    """One measure of several slices: requests, seconds and errors summed (so the rate is over
    all of them), latencies the median of the slices' own."""
    return Measure(
        name=name,
        clients=slices[0].clients,
        requests=sum(m.requests for m in slices),
        seconds=sum(m.seconds for m in slices),
        errors=sum(m.errors for m in slices),
        p50_ms=statistics.median(m.p50_ms for m in slices),
        p95_ms=statistics.median(m.p95_ms for m in slices),
        p99_ms=statistics.median(m.p99_ms for m in slices),
        max_ms=max(m.max_ms for m in slices),
    )


def scale_run(seconds: float) -> dict:
    database = os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT)
    env = production_env(
        DATABASE_URL=database, PAGE_CACHE="0", DJANGO_SETTINGS_MODULE="bench.nocache_settings"
    )
    print(f"Scale run on {database}", flush=True)
    try:
        manage(env, "migrate", "--noinput")
    except SystemExit:
        print("  the database does not answer: scale run skipped", flush=True)
        return {"skipped": f"{database} did not answer"}
    counts = pick(env, "counts")
    if not counts["shipped"]:
        manage(env, "load_pyramid")
    if not counts["synthetic_series"]:
        print(
            "  generating the synthetic history (bench/synthetic.py, about 30 minutes)", flush=True
        )
        synthetic(env)
    # Stored standings of seasons without current rows (none, unless a run was interrupted);
    # BENCH_SKIP_REBUILD=1 leaves them to the pages, which compute and store one season each.
    if os.environ.get("BENCH_SKIP_REBUILD") != "1":
        manage(env, "rebuild_standings", "--stale")
    counts = pick(env, "counts")
    urls = pick(env, "scale")
    busiest = urls.pop("busiest")
    figures: dict = {
        "database": database.rsplit("@", 1)[-1],
        "counts": counts,
        "busiest": busiest,
        "urls": urls,
    }
    print("  uncached (PAGE_CACHE=0, dummy cache)", flush=True)
    with Server(env, PORT + 3) as server:
        server.failures = []
        figures["pages"] = _scale_pages(server, urls, seconds, warm_passes=1)
        figures["failures"] = server.failures
        figures["worker_rss_mb"] = server.worker_rss_mb()
        print(f"  worker resident memory: {figures['worker_rss_mb']} MB", flush=True)
    # The steady state between saves: no page cache, but the standings tables cached per season
    # (as every process has them once computed), so a career page costs a cache read per season.
    # Through Redis, as production shares it (a database of its own: keys carry the site version
    # and season ids, which another database's could repeat); local memory, whose 300 entries
    # would be culled mid-run, only when no Redis answers.
    warm_env = production_env(DATABASE_URL=database, PAGE_CACHE="0")
    if redis_answers():
        warm_env["REDIS_URL"] = SCALE_REDIS_URL
    figures["warm_cache"] = "Redis" if redis_answers() else "local memory"
    print(f"  standings cache warm (PAGE_CACHE=0, {figures['warm_cache']})", flush=True)
    with Server(warm_env, PORT + 5) as server:
        server.failures = []
        figures["pages_warm"] = _scale_pages(server, urls, seconds, warm_passes=2)
        figures["failures_warm"] = server.failures
        figures["worker_rss_mb_warm"] = server.worker_rss_mb()
        print(f"  worker resident memory: {figures['worker_rss_mb_warm']} MB", flush=True)
    return figures


def synthetic(env: dict[str, str]) -> None:
    """bench/synthetic.py into the bench database (it refuses any other)."""
    subprocess.run(
        [str(PYTHON), str(ROOT / "bench" / "synthetic.py")], cwd=ROOT, env=env, check=True
    )


def _scale_pages(server: Server, urls: dict, seconds: float, warm_passes: int) -> list[dict]:
    # Every address answers 200 first; then each worker has seen each page (several passes,
    # since either of the two workers may take a request).
    for _ in range(warm_passes):
        for name, paths in urls.items():
            for path in paths:
                status, _, _ = server.get(path)
                if status != 200:
                    # Named in the figures and the report, never skipped silently.
                    print(f"    NOT 200: {name} {path} answered {status}", flush=True)
                    server.failures.append([name, path, status])
    runs = []
    for name, paths in urls.items():
        measure = wrk(server, name, paths, 1, seconds)
        runs.append(measure)
        print(
            f"    {name:<16} p50 {measure.p50_ms:6.1f}  p95 {measure.p95_ms:6.1f}  "
            f"p99 {measure.p99_ms:6.1f} ms  {measure.rps:6.1f} req/s  errors {measure.errors}",
            flush=True,
        )
    return [asdict(m) for m in runs]


# --- the report -----------------------------------------------------------------------------------


def _by(runs: list[dict], name: str, clients: int) -> Measure:
    return next(Measure(**run) for run in runs if run["name"] == name and run["clients"] == clients)


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def markdown(report: dict) -> str:
    lines = [
        f"Run of {report['date']} on {report['machine']} "
        f"(load average before the run: {report['load_before']}).",
        "",
    ]
    load = report.get("load")
    if load:
        lines += [
            "### Load run: shipped facts, SQLite, 2 sync workers",
            "",
            "Servers: *cached* is `make serve` as shipped (page cache in each worker's local "
            "memory, workers recycled after 100,000 requests); *redis* the same sharing Redis "
            "(REDIS_URL); "
            "*uncached* has no page cache and a cache that keeps nothing, so every request "
            "renders and recomputes standings.",
            "",
            "| page | server | clients | req/s | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---|--:|--:|--:|--:|--:|--:|",
        ]
        for server in ("cached", "cached_long_lived", "redis", "uncached"):
            for run in load.get(server, []):
                m = Measure(**run)
                lines.append(
                    f"| {m.name} | {server} | {m.clients} | {m.rps:.0f} | {m.p50_ms:.1f} | "
                    f"{m.p95_ms:.1f} | {m.p99_ms:.1f} | {m.errors} |"
                )
        addresses = ", ".join(f"{name} `{url}`" for name, url in load["urls"].items())
        lines += ["", f"Addresses: {addresses}; static `{load['static']}`.", ""]
        lines += ["Targets:", ""]
        pages = [name for name in load["urls"] if name not in VERSIONED]
        servers = [server for server in ("cached", "redis", "uncached") if server in load]
        for clients in CLIENTS:
            static = _by(load["cached"], "static css", clients).rps
            parts = []
            for server in ("cached", "redis"):
                if server not in load:
                    continue
                rps = {name: _by(load[server], name, clients).rps for name in pages}
                worst = min(rps, key=rps.get)
                parts.append(
                    f"slowest {server} page ({worst}) {rps[worst] / static:.0%} of it, target "
                    f"{CACHED_SHARE:.0%}: {_verdict(rps[worst] >= CACHED_SHARE * static)}"
                )
                versioned = ", ".join(
                    f"{name} {_by(load[server], name, clients).rps / static:.2f}×"
                    for name in VERSIONED
                )
                ok = all(
                    _by(load[server], name, clients).rps >= VERSIONED_SHARE * static
                    for name in VERSIONED
                )
                parts.append(
                    f"{server}, unchanged record: {versioned} (target {VERSIONED_SHARE}×): "
                    f"{_verdict(ok)}"
                )
            lines.append(f"- {clients} clients: static {static:.0f} req/s; " + "; ".join(parts))
        lines += _type_lines(load)
        for server in servers:
            worst = max((_by(load[server], n, 8) for n in pages), key=lambda m: m.p95_ms)
            lines.append(
                f"- p95 at 8 clients, {server}: worst {worst.p95_ms:.1f} ms ({worst.name}), "
                f"target under {P95_AT_8_MS:.0f} ms: {_verdict(worst.p95_ms < P95_AT_8_MS)}."
            )
        if "cached_long_lived" in load:
            worst = max(
                (Measure(**run) for run in load["cached_long_lived"] if run["name"] in pages),
                key=lambda m: m.p95_ms,
            )
            lines.append(
                f"- p95 at 8 clients, cached, workers recycled after 100,000 requests: worst "
                f"{worst.p95_ms:.1f} ms ({worst.name}): {_verdict(worst.p95_ms < P95_AT_8_MS)}."
            )
            servers.append("cached_long_lived")
        errors = sum(run["errors"] for server in servers for run in load[server])
        lines += [f"- Errors: {errors}: {_verdict(errors == 0)}.", ""]
    scale = report.get("scale")
    if scale and "skipped" in scale:
        lines += ["### Scale run", "", f"Skipped: {scale['skipped']}.", ""]
    elif scale:
        driver, driver_seasons, team, team_seasons = scale["busiest"]
        c = scale["counts"]
        lines += [
            f"### Scale run: PostgreSQL ({scale['database']}), synthetic history, 1 client",
            "",
            f"The shipped facts and a synthetic history of {c['synthetic_series']} series, all "
            f"visible on every page: {c['series']} series, {c['results']:,} results, "
            f"{c['drivers']:,} drivers, {c['teams']:,} teams. Detail pages cycle through 10 "
            f"synthetic objects of each kind, plus the busiest driver ({driver}, "
            f"{driver_seasons} seasons) and team ({team}, {team_seasons} entries); listings "
            f"are measured on their first page, a later page and a filter.",
            "",
            "| page type | addresses | uncached p50 ms | p95 ms | p99 ms | under 100 ms | "
            "warm p50 ms | p95 ms | p99 ms | errors |",
            "|---|--:|--:|--:|--:|---|--:|--:|--:|--:|",
        ]
        warm = {run["name"]: Measure(**run) for run in scale["pages_warm"]}
        for run in scale["pages"]:
            m, w = Measure(**run), warm[run["name"]]
            lines.append(
                f"| {m.name} | {len(scale['urls'][m.name])} | {m.p50_ms:.1f} | {m.p95_ms:.1f} | "
                f"{m.p99_ms:.1f} | {_verdict(m.p95_ms < SCALE_P95_MS)} | {w.p50_ms:.1f} | "
                f"{w.p95_ms:.1f} | {w.p99_ms:.1f} | {m.errors + w.errors} |"
            )
        failures = scale.get("failures", []) + scale.get("failures_warm", [])
        if failures:
            named = ", ".join(f"{name} `{path}` {status}" for name, path, status in failures)
            lines += ["", f"**Answers other than 200 before the measurement**: {named}."]
        rss = scale["worker_rss_mb"] + scale["worker_rss_mb_warm"]
        lines += [
            "",
            "*Uncached*: no page cache and a cache that keeps nothing. *Warm*: no page cache, "
            f"standings tables cached in {scale['warm_cache']} (the state between two saves).",
            "",
            f"Worker resident memory after the runs (VmRSS): "
            f"{', '.join(f'{mb:.0f} MB' for mb in rss)}; target under {WORKER_RSS_MB:.0f} MB: "
            f"{_verdict(max(rss) < WORKER_RSS_MB)}.",
            "",
        ]
    return "\n".join(lines)


def _type_lines(load: dict) -> list[str]:
    """Every page type uncached at 8 clients, cold and with warm data caches, each against the
    static file measured in slices alternating with it on the same server (runs from before
    that: the static file just before it, or of the run's start)."""
    if "types_cold" not in load:
        return []
    static = _by(load["cached"], "static css", 8).rps

    def measured(run: dict) -> tuple[Measure, float]:
        run = dict(run)
        fields = {k: v for k, v in run.items() if k not in ("static_rps", "slice_ratios")}
        return Measure(**fields), run.get("static_rps", static)

    warm = {run["name"]: measured(run) for run in load.get("types_warm", [])}
    lines = [
        "",
        f"Every page type without the page cache, 8 clients, each against the static file served "
        f"by the same server in one-second slices alternating with the page's (target "
        f"{UNCACHED_SHARE}×; the static file read "
        f"{static:.0f} req/s at the run's start). *Cold*: a cache that "
        "keeps nothing (every request loads and renders everything, as the first request after a "
        "save does). *Warm*: no page cache, the data caches (standings tables, under the "
        "record's versions) warm in each worker's local memory.",
        "",
        "| page type | address | cold req/s | static beside it | cold × static | its slices × | "
        "cold p95 ms | "
        "warm req/s | static beside it | warm × static | warm p95 ms | cold ≥ 0.15× | "
        "warm ≥ 0.15× |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    missed, missed_warm = [], []
    for run in load["types_cold"]:
        cold, cold_static = measured(run)
        hot, hot_static = warm.get(cold.name, (None, static))
        ok = cold.rps >= UNCACHED_SHARE * cold_static
        if not ok:
            missed.append(f"{cold.name} {cold.rps / cold_static:.3f}×")
        warm_ok = hot is not None and hot.rps >= UNCACHED_SHARE * hot_static
        if hot is not None and not warm_ok:
            missed_warm.append(f"{hot.name} {hot.rps / hot_static:.3f}×")
        warm_cells = (
            f"{hot.rps:.0f} | {hot_static:.0f} | {hot.rps / hot_static:.2f} | {hot.p95_ms:.1f}"
            if hot
            else "– | – | – | –"
        )
        lines.append(
            f"| {cold.name} | `{load['page_types'][cold.name]}` | {cold.rps:.0f} | "
            f"{cold_static:.0f} | {cold.rps / cold_static:.2f} | {_slices(run)} | "
            f"{cold.p95_ms:.1f} | "
            f"{warm_cells} | {_verdict(ok)} | {_verdict(warm_ok) if hot else '–'} |"
        )
    lines += [
        "",
        "- Every page type cold at least 0.15× the static file: "
        + (_verdict(True) if not missed else f"**missed** by {', '.join(missed)}")
        + ".",
        # The issue measured its figures with PAGE_CACHE=0 and the data caches in place: warm.
        "- Every page type warm (PAGE_CACHE=0, the issue's own measurement) at least 0.15×: "
        + (_verdict(True) if not missed_warm else f"**missed** by {', '.join(missed_warm)}")
        + ".",
    ]
    return lines


def _slices(run: dict) -> str:
    """The lowest and highest of a page's one-second ratios to the static file beside it."""
    ratios = run.get("slice_ratios")
    return f"{min(ratios):.2f}–{max(ratios):.2f}" if ratios else "–"


def write_docs(report: dict) -> None:
    figures = f"{START}\n{markdown(report)}\n{END}"
    if DOCS.exists() and START in DOCS.read_text() and END in DOCS.read_text():
        text = DOCS.read_text()
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        DOCS.write_text(before + figures + after)
    else:
        DOCS.parent.mkdir(exist_ok=True)
        DOCS.write_text(f"# Benchmarks\n\n{figures}\n")


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} GB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 5)))
    parser.add_argument("--only", choices=("load", "scale"), help="Run one of the two.")
    parser.add_argument("--no-docs", action="store_true", help="Do not touch docs/benchmarks.md.")
    parser.add_argument(
        "--report", type=Path, help="Only rewrite the figures from a saved bench/results/*.json."
    )
    args = parser.parse_args()
    if args.report:
        write_docs(json.loads(args.report.read_text()))
        return

    report = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_before": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split(
            "\n"
        )[0],
    }
    if args.only in (None, "load"):
        report["load"] = load_run(args.seconds)
    if args.only in (None, "scale"):
        report["scale"] = scale_run(args.seconds)
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"{stamp}.json").write_text(json.dumps(report, indent=2))
    print()
    print(markdown(report))
    if not args.no_docs:
        write_docs(report)
        print(f"Figures written to {DOCS.relative_to(ROOT)}; raw figures in bench/results/.")


if __name__ == "__main__":
    main()
