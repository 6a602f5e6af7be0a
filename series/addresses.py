"""Addresses of many objects of one page kind, as reverse() gives them, at a fraction of its cost.

A listing or a sitemap file prints hundreds or thousands of addresses of a few kinds (an event's,
a season's). reverse() matches every argument against its converter and quotes it, about 20-40
microseconds a call: at scale it was a third of the calendar's time and most of a sitemap file's.
Here each page kind is reversed once, with stand-ins for its arguments, and the object's own
arguments are put in their places. A slug or a number needs no quoting, so the address is the one
reverse() gives; anything else goes to reverse() itself (and raises as it would).

- `slug_address(url_name)`, `slug_year_address(url_name)`: the address as a function of a slug
  (of a slug and a year), for a listing that knows the kind of each address it prints (0.3 µs an
  address).
- `Addresses()`: any kind, chosen by its name and the types of its arguments on each call (about
  0.6 µs), for a page or file that prints several kinds.

A page's few addresses printed again and again (the menu, a standings table's rounds) are
remembered whole instead: pcc/reversing.py's page_reverse().
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pcc.reversing import cached_reverse

_PLAIN = re.compile(r"[-a-zA-Z0-9_]+")
# Stand-ins for a slug and a number: they match <slug:> and <int:> and cannot occur in the fixed
# parts of an address.
_SLUG = "pcc-address-placeholder-{}-x"
_NUMBER = 9_876_543_210


def _plain(arg: Any) -> bool:
    kind = type(arg)
    if kind is int:
        return arg >= 0
    return kind is str and _PLAIN.fullmatch(arg) is not None


def _pieces(url_name: str, kinds: tuple[type, ...]) -> list[str]:
    """The fixed parts of the address around its arguments' places (one more than arguments)."""
    stand_ins = [_NUMBER + n if kind is int else _SLUG.format(n) for n, kind in enumerate(kinds)]
    pieces, rest = [], cached_reverse(url_name, stand_ins)
    for stand_in in stand_ins:
        before, found, rest = rest.partition(str(stand_in))
        if not found:
            raise ValueError(f"{url_name}: an argument does not appear in its address")
        pieces.append(before)
    pieces.append(rest)
    return pieces


def slug_address(url_name: str) -> Callable[[str], str]:
    """reverse(url_name, args=[slug]) as a function of the slug."""
    before, after = _pieces(url_name, (str,))

    def address(slug: str) -> str:
        if _PLAIN.fullmatch(slug):
            return before + slug + after
        return cached_reverse(url_name, (slug,))

    return address


def slug_year_address(url_name: str) -> Callable[[str, int], str]:
    """reverse(url_name, args=[slug, year]) as a function of the two (a season's address)."""
    before, middle, after = _pieces(url_name, (str, int))

    def address(slug: str, year: int) -> str:
        if _PLAIN.fullmatch(slug) and type(year) is int and year >= 0:
            return f"{before}{slug}{middle}{year}{after}"
        return cached_reverse(url_name, (slug, year))

    return address


def _address(url_name: str, kinds: tuple[type, ...]) -> Callable[..., str]:
    if kinds == (str,):
        return slug_address(url_name)
    if kinds == (str, int):
        return slug_year_address(url_name)
    pieces = _pieces(url_name, kinds)

    def address(*args: Any) -> str:
        if not all(_plain(arg) for arg in args):
            return cached_reverse(url_name, args)
        parts = [pieces[0]]
        for arg, piece in zip(args, pieces[1:], strict=True):
            parts += (str(arg), piece)
        return "".join(parts)

    return address


class Addresses:
    """reverse(url_name, args=args) for many objects: each page kind (url name and argument
    types) reversed once per instance. Make one per page or file, not per process."""

    def __init__(self) -> None:
        self._kinds: dict[tuple[str, tuple[type, ...]], Callable[..., str]] = {}

    def __call__(self, url_name: str, *args: Any) -> str:
        key = (url_name, tuple(map(type, args)))
        address = self._kinds.get(key)
        if address is None:
            kinds = key[1]
            if not all(kind is str or kind is int for kind in kinds):
                return cached_reverse(url_name, args)
            address = self._kinds[key] = _address(url_name, kinds)
        return address(*args)
