"""The cell rules both the editors' imports and load_pyramid read through
(series/imports/values.py): one rule per kind of value, its fault said the same way wherever the
cell comes from."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from series.imports.facts_reader import DataError, FactReader
from series.imports.values import parse_choice, parse_date, parse_points, parse_whole
from series.models import SessionKind


def test_a_date_is_iso_and_anything_else_names_the_expected_form():
    assert parse_date("2023-09-28") == dt.date(2023, 9, 28)
    with pytest.raises(ValueError, match="'28/09/2023' is not a date like 2023-09-28"):
        parse_date("28/09/2023")


def test_a_choice_is_a_stored_value_spelled_exactly():
    assert parse_choice("race", SessionKind) == "race"
    with pytest.raises(ValueError, match="'Race' is not one of"):
        parse_choice("Race", SessionKind)


@pytest.mark.parametrize("raw", ["-1", "12.25", "NaN", "Infinity", "ten"])
def test_points_are_a_published_total(raw):
    with pytest.raises(ValueError):
        parse_points(raw)


def test_points_keep_a_half_and_blank_is_unknown_not_zero():
    assert parse_points("12.5") == Decimal("12.5")
    assert parse_points("") is None


def test_a_whole_number_is_bounded_and_blank_is_unknown():
    assert parse_whole("") is None
    assert parse_whole("2024") == 2024
    with pytest.raises(ValueError, match="not a whole number"):
        parse_whole("-3")
    with pytest.raises(ValueError, match="outside"):
        parse_whole("99999999999999999999")


def test_a_shipped_cell_that_breaks_a_rule_names_its_file_line_and_column():
    path = Path("events.csv")
    with pytest.raises(DataError) as failed:
        FactReader.date(path, 4, "start_date", "2022-07-32")
    assert (
        str(failed.value)
        == "events.csv line 4: start_date: '2022-07-32' is not a date like 2023-09-28"
    )
    with pytest.raises(DataError, match="events.csv line 5: kind: 'rally' is not one of"):
        FactReader.choice(path, 5, "kind", "rally", SessionKind)
