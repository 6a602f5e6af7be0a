"""citations() is remembered per text: a text an editor changes gives its own citations, and what
is remembered cannot be altered by a caller."""

import dataclasses

import pytest

from series.selectors.citations import citations


def test_a_changed_text_gives_its_own_citations():
    before = citations("fiaformula.com/supercup; results.csv")
    after = citations("porsche.com/motorsport; results.csv")
    assert [c.urls for c in before] == [["https://fiaformula.com/supercup"]]
    assert [c.urls for c in after] == [["https://porsche.com/motorsport"]]
    assert citations("fiaformula.com/supercup; results.csv") == before


def test_what_is_remembered_cannot_be_altered():
    found = citations("porsche.com/motorsport (the calendar)")
    assert isinstance(found, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].parts = ()  # type: ignore[misc]
    assert citations("porsche.com/motorsport (the calendar)")[0].text == (
        "porsche.com/motorsport (the calendar)"
    )
