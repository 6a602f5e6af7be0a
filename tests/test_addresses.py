"""series/addresses.py: an address filled in from a reversed placeholder is reverse()'s own."""

import pytest
from django.urls import NoReverseMatch, reverse

from series.addresses import Addresses, slug_address, slug_year_address


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("series:event-detail", ("rennsport-reunion-7",)),
        ("series:session-detail", ("imola-2022", "supercup-r1-race")),
        ("series:season-detail", ("supercup", 2022)),
        ("series:season-results", ("carrera-cup-north-america", 2023)),
        ("series:driver-detail", ("Larry_ten-Voorde-0",)),
        ("series-calendar-ics", ("supercup",)),
    ],
)
def test_an_address_filled_in_is_the_one_reverse_gives(url_name, args):
    addresses = Addresses()
    assert addresses(url_name, *args) == reverse(url_name, args=args)
    assert addresses(url_name, *args) == reverse(url_name, args=args)  # from its template


def test_arguments_that_are_not_plain_slugs_go_to_reverse_itself():
    addresses = Addresses()
    addresses("series:event-detail", "imola-2022")  # the template is made
    with pytest.raises(NoReverseMatch):
        addresses("series:event-detail", "no/such slug")
    with pytest.raises(NoReverseMatch):
        addresses("series:season-detail", "supercup", -1)


@pytest.mark.parametrize(
    "function, url_name, args",
    [
        (slug_address, "series:driver-detail", ("larry-ten-voorde",)),
        (slug_address, "series:driver-detail", ("Larry_ten-Voorde-0",)),
        (slug_address, "series:event-detail", ("rennsport-reunion-7",)),
        (slug_year_address, "series:season-detail", ("supercup", 2022)),
        (slug_year_address, "series:season-results", ("carrera-cup-north-america", 2023)),
    ],
)
def test_a_kinds_own_function_is_reverse(function, url_name, args):
    assert function(url_name)(*args) == reverse(url_name, args=args)


def test_a_kinds_function_hands_what_is_not_plain_to_reverse():
    season = slug_year_address("series:season-detail")
    driver = slug_address("series:driver-detail")
    with pytest.raises(NoReverseMatch):
        driver("no/such slug")
    with pytest.raises(NoReverseMatch):
        season("supercup", -1)
    # A name with a character a slug cannot hold is not written into the address unquoted.
    with pytest.raises(NoReverseMatch):
        driver("<script>")


def test_arguments_of_other_types_go_to_reverse_itself():
    addresses = Addresses()
    assert addresses("series:season-detail", "supercup", 2022) == "/series/supercup/2022/"
    with pytest.raises(NoReverseMatch):
        addresses("series:season-detail", "supercup", None)
