"""Addresses of the rows of a long listing (the drivers and events directories), as reverse()
gives them, for a fraction of even series/addresses.py's cost.

Addresses looks up each call's page kind by its arguments' types (about 1.3 µs a call: 0.3 ms on
the 237 drivers of the shipped record). A listing knows the kind of each address it prints, so it
reverses it once a page with a stand-in and puts each row's slug in its place; anything but a
plain slug or number goes to Addresses, which hands it to reverse() itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pcc.reversing import cached_reverse

from ..addresses import Addresses

_PLAIN = re.compile(r"[-a-zA-Z0-9_]+")
# A stand-in that matches <slug:> and cannot occur in the fixed parts of an address.
_SLUG = "pcc-listing-slug-x"


def slug_address(url_name: str) -> Callable[[str], str]:
    """reverse(url_name, args=[slug]) as a function of the slug."""
    before, _, after = cached_reverse(url_name, (_SLUG,)).partition(_SLUG)
    addresses = Addresses()

    def address(slug: str) -> str:
        if _PLAIN.fullmatch(slug):
            return before + slug + after
        return addresses(url_name, slug)

    return address


def slug_year_address(url_name: str) -> Callable[[str, int], str]:
    """reverse(url_name, args=[slug, year]) as a function of the two (a season's address)."""
    stand_in_year = 987_654_321
    before, _, rest = cached_reverse(url_name, (_SLUG, stand_in_year)).partition(_SLUG)
    middle, _, after = rest.partition(str(stand_in_year))
    addresses = Addresses()

    def address(slug: str, year: int) -> str:
        if _PLAIN.fullmatch(slug) and year >= 0:
            return f"{before}{slug}{middle}{year}{after}"
        return addresses(url_name, slug, year)

    return address
