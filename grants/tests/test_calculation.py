"""The grant calculation, checked against amounts computed by hand from the 2025/26 rate table (unverified).

Rates (grants/data/alis_tilskudd_satser_2025_2026_UNVERIFIED.csv): timesats 1 375 kr; practice compensation
0,60 × 160 h = 132 000; learning activities 14 000; reduced productivity 125 000 (24 months); supervision
1,15 × 57,75 h = 91 317,1875; facilitation 5 % of the four; centrality-6 supplement 200 000. Pro rata by
position share × whole months / 12, each element rounded to whole kroner.
"""

import random
from datetime import date
from decimal import Decimal

import pytest

from grants import calculation as calc
from grants.calculation import Element, GrantType, PositionType
from grants.rates import RATES_CSV, read_rates

VALUES, START, END, _SOURCE, VERIFIED = read_rates(RATES_CSV)
RATES = calc.Rates(**VALUES)


def amounts(breakdown: calc.Breakdown) -> dict[str, Decimal]:
    return {line.element: line.amount for line in breakdown.lines}


def compute(**kwargs) -> calc.Breakdown:
    arguments = {
        "rates": RATES,
        "position_type": PositionType.REGULAR_GP,
        "position_share": 100,
        "months": 12,
        "grant_type": GrantType.ALIS_AGREEMENT,
        "centrality": 5,
    } | kwargs
    return calc.calculate(**arguments)


def test_it_reads_the_rate_table_as_unverified_for_2025_26():
    assert (date(2025, 6, 1), date(2026, 5, 31)) == (START, END)
    assert VERIFIED is False
    assert VALUES["hourly_rate"] == Decimal(1375)
    assert VALUES["productivity_months"] == 24


def test_it_gives_the_csv_annual_maxima_for_a_full_year_at_full_time():
    # The CSV's derived_annual_max_nok_100pct column; facilitation is 18 115,86 there (of unrounded
    # elements), 18 116 here (5 % of the rounded elements, 18 115,85, rounded).
    result = amounts(compute(centrality=6))
    assert result[Element.PRACTICE_COMPENSATION] == 132000
    assert result[Element.LEARNING_ACTIVITIES] == 14000
    assert result[Element.REDUCED_PRODUCTIVITY] == 125000
    assert result[Element.SUPERVISION] == 91317
    assert result[Element.FACILITATION] == 18116
    assert result[Element.CENTRALITY_SUPPLEMENT] == 200000


def test_it_computes_full_time_full_year_in_centrality_5():
    # 132 000 + 14 000 + 125 000 + 91 317 + 18 116 = 380 433
    assert compute().total == Decimal(380433)


def test_it_adds_the_supplement_in_centrality_6_only():
    assert compute(centrality=6).total == Decimal(580433)
    assert compute(centrality=5).total == Decimal(380433)
    assert compute(centrality=None).total == Decimal(380433)


def test_it_prorates_part_time():
    # 60 %: 79 200 + 8 400 + 75 000 + 54 790 (54 790,3125) = 217 390; 5 % = 10 869,5 → 10 870
    breakdown = compute(position_share=60)
    assert amounts(breakdown)[Element.SUPERVISION] == 54790
    assert amounts(breakdown)[Element.FACILITATION] == 10870
    assert breakdown.total == Decimal(228260)


def test_it_prorates_partial_months_with_the_supplement():
    # 9 whole months, centrality 6: 99 000 + 10 500 + 93 750 + 68 488 (68 487,89) = 271 738;
    # 5 % = 13 586,9 → 13 587; supplement 200 000 × 9/12 = 150 000. Sum 435 325.
    breakdown = compute(months=9, centrality=6)
    assert amounts(breakdown)[Element.CENTRALITY_SUPPLEMENT] == 150000
    assert breakdown.total == Decimal(435325)


def test_it_pays_supervision_only_for_the_supervision_grant():
    breakdown = compute(
        position_type=PositionType.OUTSIDE_REGULAR_GP, grant_type=GrantType.SUPERVISION_ONLY, centrality=6
    )
    assert breakdown.total == Decimal(91317)
    assert [line.element for line in breakdown.lines if line.applies] == [Element.SUPERVISION]


def test_it_leaves_out_productivity_for_an_introduction_doctor():
    # 132 000 + 14 000 + 91 317 = 237 317; 5 % = 11 865,85 → 11 866
    breakdown = compute(position_type=PositionType.INTRODUCTION)
    assert amounts(breakdown)[Element.REDUCED_PRODUCTIVITY] == 0
    assert breakdown.total == Decimal(249183)


def test_it_leaves_out_practice_compensation_outside_the_regular_gp_scheme():
    # 14 000 + 91 317 = 105 317; 5 % = 5 265,85 → 5 266
    breakdown = compute(position_type=PositionType.OUTSIDE_REGULAR_GP)
    assert amounts(breakdown)[Element.PRACTICE_COMPENSATION] == 0
    assert breakdown.total == Decimal(110583)


def test_it_limits_reduced_productivity_to_the_months_in_the_window():
    # 125 000 × 5/12 = 52 083,33 → 52 083; 132 000 + 14 000 + 52 083 + 91 317 = 289 400; + 14 470
    breakdown = compute(productivity_months=5)
    assert amounts(breakdown)[Element.REDUCED_PRODUCTIVITY] == 52083
    assert breakdown.total == Decimal(303870)


def test_it_follows_the_rate_periods_applicability():
    rates = calc.Rates(**VALUES, applicability=calc.DEFAULT_APPLICABILITY | {
        Element.FACILITATION: {"positions": calc.ALL_POSITIONS, "grant_types": calc.BOTH_GRANT_TYPES},
    })
    breakdown = compute(rates=rates, grant_type=GrantType.SUPERVISION_ONLY)
    assert breakdown.total == Decimal(91317 + 4566)  # 5 % of 91 317 = 4 565,85


def test_it_writes_each_formula_in_norwegian_with_the_numbers():
    lines = {line.element: line for line in compute(position_share=80, months=9).lines}
    assert lines[Element.PRACTICE_COMPENSATION].formula == "1\xa0375 kr/t × 0,6 × 160 t/år × 80 % stilling × 9/12 mnd"
    assert "sentralitetsklasse 6" in lines[Element.CENTRALITY_SUPPLEMENT].formula


def test_it_gives_nothing_for_no_months():
    assert compute(months=0).total == 0


@pytest.mark.parametrize("share", [0, 101])
def test_it_rejects_a_share_outside_1_to_100(share):
    with pytest.raises(ValueError, match="position_share"):
        compute(position_share=share)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2025, 6, 1), date(2026, 5, 31), 12),
        (date(2025, 8, 15), date(2026, 5, 31), 9),
        (date(2025, 6, 1), date(2026, 5, 30), 11),
        (date(2025, 6, 1), date(2025, 6, 30), 1),
        (date(2025, 6, 2), date(2025, 6, 30), 0),
        (date(2025, 6, 15), date(2025, 7, 14), 0),
        (date(2024, 2, 1), date(2024, 2, 29), 1),
        (date(2024, 2, 1), date(2024, 2, 28), 0),
        (date(2025, 12, 15), date(2026, 3, 31), 3),
        (date(2026, 1, 1), date(2025, 12, 31), 0),
    ],
)
def test_it_counts_whole_calendar_months(start, end, months):
    assert calc.whole_months(start, end) == months


def test_it_counts_the_months_an_alis_worked_in_the_period():
    period = {"period_start": date(2025, 6, 1), "period_end": date(2026, 5, 31)}
    assert calc.months_in_period(**period, start=date(2020, 1, 1), end=None) == 12
    assert calc.months_in_period(**period, start=date(2025, 8, 15), end=None) == 9
    assert calc.months_in_period(**period, start=date(2020, 1, 1), end=date(2025, 12, 31)) == 7


def test_it_counts_productivity_months_within_24_months_of_the_first_gp_day():
    period = {"period_start": date(2025, 6, 1), "period_end": date(2026, 5, 31), "window": 24}
    # Window 1.1.2024–31.12.2025: June to December 2025.
    assert calc.productivity_months(**period, start=date(2024, 1, 1), end=None, first_gp_day=date(2024, 1, 1)) == 7
    # No first day known: from the start of training (1.9.2025): September to May.
    assert calc.productivity_months(**period, start=date(2025, 9, 1), end=None, first_gp_day=None) == 9
    assert calc.productivity_months(**period, start=date(2020, 1, 1), end=None, first_gp_day=date(2020, 1, 1)) == 0


def test_it_formats_kroner_the_norwegian_way():
    assert calc.kroner_text(Decimal("1234567.4")) == "kr\xa01\xa0234\xa0567"
    assert calc.number(Decimal("57.75")) == "57,75"
    assert calc.number(Decimal("0.0500")) == "0,05"


def test_it_gives_the_same_total_without_the_texts_on_many_cases():
    """`calc.total` (for lists of thousands) must never differ from the breakdown the calculator shows."""
    rng = random.Random(2026)  # noqa: S311 - reproducible test cases, not a secret
    narrow = calc.Rates(
        **{
            **VALUES,
            "applicability": {
                **calc.DEFAULT_APPLICABILITY,
                Element.FACILITATION: {
                    "positions": [PositionType.REGULAR_GP.value],
                    "grant_types": calc.BOTH_GRANT_TYPES,
                },
                Element.CENTRALITY_SUPPLEMENT: {"positions": calc.ALL_POSITIONS, "grant_types": calc.BOTH_GRANT_TYPES},
            },
        }
    )
    for _case in range(5000):
        args = {
            "rates": rng.choice([RATES, narrow]),
            "position_type": rng.choice(list(PositionType)).value,
            "grant_type": rng.choice(list(GrantType)).value,
            "position_share": rng.randint(1, 100),
            "months": rng.randint(0, 12),
            "centrality": rng.choice([None, 1, 2, 3, 4, 5, 6]),
            "productivity_months": rng.choice([None, *range(13)]),
        }
        assert calc.total(**args) == calc.calculate(**args).total, args
