"""A `source` text as citations: addresses as links, our own file names left out. The pages and
the API show sources through `citations`."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Our own data files (champions.csv, seed-....txt) are where a fact was compiled, not a source a fan
# can read: they are never shown.
_FILE_NAME = re.compile(
    r"(?<![/\w.-])[\w.-]+\.(?:csv|md|txt|json|toml|tsv|xlsx?|py)\b", re.IGNORECASE
)
_ADDRESS = re.compile(
    r"(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:/[^\s;,'\"()]*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CitationPart:
    text: str
    url: str | None = None


@dataclass(frozen=True)
class Citation:
    parts: tuple[CitationPart, ...]

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)

    @property
    def urls(self) -> list[str]:
        return [part.url for part in self.parts if part.url]


def _source_items(source: str) -> list[str]:
    """Split on ";" and line ends, but not inside parentheses: "(2.238 mi; montereyherald.com)"
    is one remark."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in source:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char == "\n" or (char == ";" and depth == 0):
            items.append("".join(current))
            current = []
            depth = 0 if char == "\n" else depth
        else:
            current.append(char)
    items.append("".join(current))
    return items


@functools.lru_cache(maxsize=4096)
def citations(source: str | None) -> tuple[Citation, ...]:
    """A `source` text as citations: one per item (items are split on ";" and lines), addresses as
    links, our own file names left out (an item that named only a file, or a file and a remark
    about it, is dropped). The pages and the API show sources through this one function.

    Remembered per process by the text itself (the answer is a pure function of it, and frozen):
    splitting and matching cost 0.1-0.2 ms a text, paid on every page with a sources block. A text
    an editor changes is a new key, so no page shows citations of an older text."""
    found: list[Citation] = []
    for raw in _source_items(source or ""):
        item = raw.strip()
        named_file = bool(_FILE_NAME.search(item))
        # "pccna_2023_calendar.csv: en.wikipedia.org/..." keeps what follows the file's name.
        item = re.sub(rf"^(?:{_FILE_NAME.pattern}[\s,+&]*)+:\s*", "", item, flags=re.IGNORECASE)
        addresses = [
            match
            for match in _ADDRESS.finditer(item)
            if not _FILE_NAME.fullmatch(match.group().rstrip("."))
        ]
        if named_file and not addresses:
            continue
        item = _FILE_NAME.sub("", item).strip(" ,:+&")
        if not item:
            continue
        parts: list[CitationPart] = []
        position = 0
        for match in _ADDRESS.finditer(item):
            address = match.group().rstrip(".")
            if _FILE_NAME.fullmatch(address):
                continue
            if match.start() > position:
                parts.append(CitationPart(item[position : match.start()]))
            url = address if re.match(r"https?://", address, re.I) else f"https://{address}"
            parts.append(CitationPart(address, url))
            position = match.start() + len(address)
        if position < len(item):
            parts.append(CitationPart(item[position:]))
        found.append(Citation(tuple(parts)))
    return tuple(found)
