"""The grant calculation, checked against amounts computed by hand from the 2025/26 rate table (unverified).

Rates (grants/data/alis_tilskudd_satser_2025_2026_UNVERIFIED.csv): timesats 1 375 kr; practice compensation
0,60 × 160 h = 132 000; learning activities 14 000; reduced productivity 125 000 (24 months); supervision
1,15 × 57,75 h = 91 317,1875; facilitation 5 % of the four; centrality-6 supplement 200 000. Pro rata by
position share × whole months / 12, each element rounded to whole kroner.
"""

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
    assert compute(centrality=5).complete


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


def test_it_shows_an_unknown_centrality_as_unknown_not_as_a_class():
    # Class unknown: the four elements and facilitation are known (380 433); the supplement is neither
    # 0 nor 200 000 but unknown, and the breakdown says so.
    breakdown = compute(centrality=None)
    supplement = {line.element: line for line in breakdown.lines}[Element.CENTRALITY_SUPPLEMENT]
    assert supplement.amount is None and supplement.missing_centrality
    assert breakdown.total == Decimal(380433)
    assert not breakdown.complete and breakdown.centrality_unknown
    assert breakdown.missing_rates == []


def test_it_needs_no_centrality_where_the_supplement_does_not_apply():
    breakdown = compute(grant_type=GrantType.SUPERVISION_ONLY, centrality=None)
    assert breakdown.complete and breakdown.total == Decimal(91317)


def test_it_shows_elements_with_a_missing_rate_as_unknown():
    # No hourly rate: practice compensation and supervision are unknown, and so is facilitation (a share of
    # them); learning activities 14 000 and reduced productivity 125 000 are still known.
    rates = calc.Rates(**{**VALUES, "hourly_rate": None})
    breakdown = compute(rates=rates)
    result = amounts(breakdown)
    assert result[Element.PRACTICE_COMPENSATION] is None
    assert result[Element.SUPERVISION] is None
    assert result[Element.FACILITATION] is None
    assert (result[Element.LEARNING_ACTIVITIES], result[Element.REDUCED_PRODUCTIVITY]) == (14000, 125000)
    assert breakdown.total == Decimal(139000) and not breakdown.complete
    assert breakdown.missing_rates == ["hourly_rate"]
    assert "timesats" in {line.element: line for line in breakdown.lines}[Element.SUPERVISION].formula


def test_it_knows_nothing_without_a_rate_period():
    breakdown = compute(rates=calc.NO_RATES, centrality=6)
    assert [line.amount for line in breakdown.lines] == [None] * 6
    assert breakdown.total == 0 and not breakdown.complete
    assert breakdown.missing_rates == list(calc.RATE_LABELS)


def test_it_gives_the_most_a_position_can_bring_in_a_year():
    # Fastlege, class 3: 132 000 + 14 000 + 125 000 + 91 317 + 18 116 = 380 433; in class 6 + 200 000.
    fastlege = calc.annual_maximum(rates=RATES, position_type=PositionType.REGULAR_GP, centrality=3)
    assert (fastlege.low, fastlege.high, fastlege.known) == (380433, 380433, True)
    assert calc.annual_maximum(rates=RATES, position_type=PositionType.REGULAR_GP, centrality=6).high == 580433
    # Outside the regular-GP scheme: 14 000 + 91 317 + 5 % (5 266) = 110 583.
    outside = calc.annual_maximum(rates=RATES, position_type=PositionType.OUTSIDE_REGULAR_GP, centrality=1)
    assert outside.high == 110583
    # Class unknown: a range, never a guess.
    unknown = calc.annual_maximum(rates=RATES, position_type=PositionType.REGULAR_GP, centrality=None)
    assert (unknown.low, unknown.high, unknown.centrality_unknown, unknown.known) == (380433, 580433, True, False)
    missing = calc.annual_maximum(rates=calc.NO_RATES, position_type=PositionType.REGULAR_GP, centrality=3)
    assert not missing.complete and not missing.known


def test_it_names_the_grant_year():
    assert calc.year_label(date(2025, 6, 1), date(2026, 5, 31)) == "2025/26"
    assert calc.year_label(date(2099, 6, 1), date(2100, 5, 31)) == "2099/00"
    assert calc.year_label(date(2024, 1, 1), date(2024, 12, 31)) == "2024"


def test_it_gives_the_same_amounts_without_the_explanations():
    """Lists compute without the formula texts; the arithmetic must be the very same."""
    for kwargs in (
        {}, {"centrality": 6, "months": 9, "position_share": 37}, {"centrality": None, "productivity_months": 5},
        {"rates": calc.Rates(**{**VALUES, "hourly_rate": None})}, {"grant_type": GrantType.SUPERVISION_ONLY},
    ):  # fmt: skip
        explained, bare = compute(**kwargs), compute(explain=False, **kwargs)
        assert [line.amount for line in explained.lines] == [line.amount for line in bare.lines]
        assert all(line.formula for line in explained.lines) and not any(line.formula for line in bare.lines)
