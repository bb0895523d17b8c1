"""Numbers and money one way on every page: «1 806» and «kr 32 084 508» (no-break spaces)."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.formatting import cell, kroner, number

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1806, f"1{NBSP}806"),
        (1806000, f"1{NBSP}806{NBSP}000"),
        (999, "999"),
        (0, "0"),
        (-2500, f"-2{NBSP}500"),
        (12.5, "12,5"),
        (Decimal("200000.00"), f"200{NBSP}000"),
        (None, ""),
    ],
)
def test_numbers_are_grouped_by_thousands_with_a_decimal_comma(value, shown: str) -> None:
    assert number(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (32084508, f"kr{NBSP}32{NBSP}084{NBSP}508"),
        (Decimal("1234.50"), f"kr{NBSP}1{NBSP}235"),
        (Decimal("1234.49"), f"kr{NBSP}1{NBSP}234"),
        (0, f"kr{NBSP}0"),
        (None, ""),
    ],
)
def test_money_is_whole_kroner(value, shown: str) -> None:
    assert kroner(value) == shown


def test_english_pages_group_the_english_way() -> None:
    with translation.override("en"):
        assert number(1806) == "1,806"
        assert kroner(32084508) == f"NOK{NBSP}32,084,508"


def test_the_template_filters_give_the_same() -> None:
    rendered = Template("{{ n|num }} · {{ m|kr }} · {{ p|percent }} · {{ h|num:1 }}").render(
        Context({"n": 1806, "m": 32084508, "p": 75, "h": 4})
    )

    assert rendered == f"1{NBSP}806 · kr{NBSP}32{NBSP}084{NBSP}508 · 75{NBSP}% · 4,0"


def test_a_table_cell_shows_each_kind_of_value() -> None:
    assert cell(True) == "ja" and cell(False) == "nei"
    assert cell(date(2026, 3, 2)) == "02.03.2026"
    assert cell(None) == "" and cell("") == ""
    assert cell(1806) == f"1{NBSP}806"
    assert cell("<b>") == "&lt;b&gt;"
