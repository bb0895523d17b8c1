"""The edge checks of core.validation: whole numbers, dates and formulas as they come in."""

from datetime import date

import pytest
from django.http import QueryDict

from core.validation import looks_like_formula, parse_int, query_date, query_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), (" 7 ", 7), ("-1", -1), ("0", 0), ("²", None), ("٣", None), ("1e3", None), ("4.0", None),
     ("", None), (None, None), ("9" * 18, int("9" * 18)), ("9" * 19, None), ("\x00", None), ("12abc", None)],
)  # fmt: skip
def test_it_reads_only_plain_whole_numbers(text, expected) -> None:
    assert parse_int(text) == expected


def test_a_query_parameter_that_is_not_a_number_gives_the_default() -> None:
    query = QueryDict("alis=²&aar=2025")
    assert query_int(query, "alis", 0) == 0
    assert query_int(query, "aar") == 2025
    assert query_int(query, "missing") is None


def test_a_query_date_is_an_iso_date_within_1900_to_2100() -> None:
    query = QueryDict("fra=2025-01-01&til=9999-12-31&gammel=0001-01-01&feil=31.12.2025")
    assert query_date(query, "fra") == date(2025, 1, 1)
    assert query_date(query, "til") is None
    assert query_date(query, "gammel") is None
    assert query_date(query, "feil") is None


@pytest.mark.parametrize("value", ["=1+1", "+47 55", "-x", "@SUM(A1)", "\tx", "\rx", "\nx"])
def test_it_knows_what_a_spreadsheet_takes_for_a_formula(value) -> None:
    assert looks_like_formula(value)


@pytest.mark.parametrize("value", ["Kari", "Ås", "", "1 200", "x=y", 42, None])
def test_ordinary_values_are_not_formulas(value) -> None:
    assert not looks_like_formula(value)
