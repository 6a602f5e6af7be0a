"""The pages' query-parameter forms (series/filters.py): the shape a field checks alone (what the
page cache keys on), the choices a view gives from its data, and what is said of a bad value."""

import pytest
from django.http import QueryDict

from series.filters import (
    CalendarFilters,
    ChampionsFilters,
    SearchFilters,
    StandingsFilters,
)


def _standings(query: str) -> StandingsFilters:
    return StandingsFilters(QueryDict(query), {"class": ["pro", "am"], "after": [1, 2, 3]})


def test_good_values_are_read_cleaned_and_make_the_canonical_query():
    filters = _standings("after=02&class=am&table=teams&utm_source=x")
    assert (filters.value("table"), filters.value("class"), filters.value("after")) == (
        "teams",
        "am",
        2,
    )
    assert filters.notices == [] and filters.problems == {}
    assert filters.canonical_query() == "table=teams&class=am&after=2"


def test_a_value_the_data_does_not_offer_is_ignored_and_named():
    filters = _standings("class=rookie&after=9")
    assert filters.value("class") is None and filters.value("after") is None
    assert filters.notices == [
        "This season has no class “rookie”; showing every class.",
        "There is no round “9” this season; showing every round.",
    ]
    assert filters.problems == {
        "class": "This season has no class “rookie”.",
        "after": "There is no round “9” this season.",
    }
    assert filters.canonical_query() == ""


@pytest.mark.parametrize(
    "raw", ["a\x00b", "x" * 5000, "9" * 400, "\ufffd\ufffd", "drivers\n", "-1", "1.5"]
)
def test_a_value_of_the_wrong_shape_is_ignored_and_never_repeated(raw):
    for name in ("table", "class", "after", "before"):
        filters = StandingsFilters({name: raw}, {"class": ["pro"], "after": [1]})
        assert filters.value(name) is None
        assert StandingsFilters.shape(name, raw) is None
        (notice,) = filters.notices
        assert raw not in notice


def test_shape_is_what_the_field_reads_without_data():
    assert StandingsFilters.shape("after", "007") == "7"
    assert StandingsFilters.shape("class", "rookie") == "rookie"  # a slug: the data decides
    assert StandingsFilters.shape("table", "cars") is None
    assert StandingsFilters.shape("after", "") == ""
    assert StandingsFilters.parameters() == ("table", "class", "after", "before")
    assert ChampionsFilters.parameters() == ("series", "tier", "class", "decade", "page")
    assert (
        CalendarFilters.shape("month", "13") is None and CalendarFilters.shape("tier", "2") == "2"
    )


def test_the_view_can_reject_a_value_it_found_names_nothing():
    filters = _standings("before=42&table=teams")
    filters.reject(["before"], "There is no change “42” to this season’s results")
    assert filters.value("before") is None and filters.value("table") == "teams"
    assert filters.notices == [
        "There is no change “42” to this season’s results; showing them now."
    ]
    assert filters.canonical_query() == "table=teams"


def test_a_search_query_is_cleaned_never_refused():
    filters = SearchFilters(QueryDict("q=ten%00%20%20voorde"))
    assert filters.value("q") == "ten voorde"
    assert SearchFilters(QueryDict("q=" + "a" * 500)).value("q") == "a" * 100
    assert SearchFilters(QueryDict("q=%00")).value("q") is None
    assert SearchFilters(QueryDict("q=%00")).notices == []
