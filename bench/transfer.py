"""Bytes a first visit transfers, per page type: `python bench/transfer.py [--write]`.

The shipped facts (load_pyramid) in a fresh SQLite file, collectstatic, and gunicorn as
`make serve` starts it (production settings). For each page type a browser's first visit: the
document, then every stylesheet, script, icon and image the document links, each asked with
`Accept-Encoding: gzip, deflate, br` as browsers do, nothing in the browser's cache. The figure is
what crosses the wire: the body as sent (compressed when the server compresses) plus the status
line and headers. Assets are counted once per page (a first visit), even when pages share them.

Prints a table; with --write, puts it into docs/benchmarks.md between its transfer markers and the
raw figures into bench/results/. Binds and connects to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import PYTHON, ROOT, Server, manage, production_env  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "bench" / "results"
START, END = "<!-- transfer:start -->", "<!-- transfer:end -->"
# BENCH_PORT + 9: beside bench/run.py's servers (BENCH_PORT + 1 to + 5), never on them.
PORT = int(os.environ.get("BENCH_PORT", "8740")) + 9
BROWSER = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/html,*/*"}
# Targets of issue 12, item 8.
PAGE_LIMIT_KB, STANDINGS_LIMIT_KB = 100, 50


class Assets(HTMLParser):
    """The addresses a browser fetches on loading the document (not links it merely shows)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link":
            rel = (attributes.get("rel") or "").lower().split()
            if {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(rel):
                self._add(attributes.get("href"))
        elif tag in ("script", "img", "source"):
            self._add(attributes.get("src"))

    def _add(self, address: str | None) -> None:
        if address and not address.startswith("data:") and address not in self.found:
            self.found.append(address)


def _header_bytes(status: int, headers: dict) -> int:
    return len(f"HTTP/1.1 {status} OK\r\n") + sum(
        len(f"{name}: {value}\r\n") for name, value in headers.items()
    )


def first_visit(server: Server, path: str) -> dict:
    status, headers, body = server.get(path, BROWSER)
    assert status == 200, (path, status)
    document = {
        "address": path,
        "body": len(body),
        "headers": _header_bytes(status, headers),
        "encoding": headers.get("Content-Encoding", "identity"),
    }
    assets = []
    if headers.get("Content-Type", "").startswith("text/html"):
        html = _decoded(body, document["encoding"])
        parser = Assets()
        parser.feed(html)
        for address in parser.found:
            local = urlsplit(urljoin(server.base + path, address))
            if local.netloc != urlsplit(server.base).netloc:
                raise SystemExit(f"{path} loads {address} from another host")
            status, asset_headers, asset_body = server.get(local.path, BROWSER)
            assets.append(
                {
                    "address": local.path,
                    "status": status,
                    "body": len(asset_body),
                    "headers": _header_bytes(status, asset_headers),
                    "encoding": asset_headers.get("Content-Encoding", "identity"),
                }
            )
    total = document["body"] + document["headers"] + sum(a["body"] + a["headers"] for a in assets)
    return {"document": document, "assets": assets, "total": total}


def _decoded(body: bytes, encoding: str) -> str:
    if encoding == "gzip":
        import gzip

        return gzip.decompress(body).decode()
    if encoding == "identity":
        return body.decode()
    raise SystemExit(f"cannot read a document sent as {encoding}")


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="pcc-transfer-") as tmp:
        env = production_env(DATABASE_URL=f"sqlite:///{Path(tmp) / 'transfer.sqlite3'}")
        print("migrate, load_pyramid, collectstatic into a fresh SQLite file", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "load_pyramid")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        picked = subprocess.run(
            [str(PYTHON), str(ROOT / "bench" / "pick.py"), "pages"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        pages = json.loads(picked.stdout.strip().splitlines()[-1])
        figures = {}
        with Server(env, PORT) as server:
            for name, path in pages.items():
                figures[name] = first_visit(server, path)
                # And uncompressed, for comparison: a client that asks for no compression.
                _, _, plain = server.get(path, {"Accept-Encoding": "identity"})
                figures[name]["document_uncompressed"] = len(plain)
                visit = figures[name]
                print(
                    f"  {name:<22} {visit['total'] / 1024:7.1f} KB  (document "
                    f"{visit['document']['body'] / 1024:6.1f} KB {visit['document']['encoding']}, "
                    f"uncompressed {len(plain) / 1024:6.1f} KB; {len(visit['assets'])} assets)",
                    flush=True,
                )
    return figures


def table(figures: dict, when: str) -> str:
    lines = [
        f"Run of {when}: shipped facts, `make serve`'s production settings, a first visit with "
        "an empty browser cache, `Accept-Encoding: gzip, deflate, br`. Sizes in KB (1,024 bytes) "
        "as sent, headers included.",
        "",
        "| page type | address | document sent | document uncompressed | assets | "
        "first visit total | target |",
        "|---|---|--:|--:|--:|--:|---|",
    ]
    for name, visit in figures.items():
        document = visit["document"]
        assets = sum(a["body"] + a["headers"] for a in visit["assets"])
        limit = STANDINGS_LIMIT_KB if name == "standings" else PAGE_LIMIT_KB
        met = "met" if visit["total"] / 1024 < limit else "**missed**"
        lines.append(
            f"| {name} | `{document['address']}` | "
            f"{(document['body'] + document['headers']) / 1024:.1f} ({document['encoding']}) | "
            f"{visit['document_uncompressed'] / 1024:.1f} | "
            f"{assets / 1024:.1f} ({len(visit['assets'])}) | "
            f"{visit['total'] / 1024:.1f} | < {limit} KB: {met} |"
        )
    first = next(iter(figures.values()))
    lines += [
        "",
        "Assets of a page: "
        + ", ".join(
            f"`{a['address'].rsplit('/', 1)[-1]}` {(a['body'] + a['headers']) / 1024:.1f} KB "
            f"({a['encoding']})"
            for a in first["assets"]
        )
        + ".",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    figures = run()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = table(figures, when)
    print()
    print(text)
    if args.write:
        RESULTS.mkdir(exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        (RESULTS / f"transfer-{stamp}.json").write_text(json.dumps(figures, indent=2))
        docs = DOCS.read_text()
        if START not in docs:
            docs += f"\n## First visit transfer\n\n{START}\n{END}\n"
        head, rest = docs.split(START, 1)
        _, tail = rest.split(END, 1)
        DOCS.write_text(f"{head}{START}\n{text}\n{END}{tail}")
        print(f"\nwritten into {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
