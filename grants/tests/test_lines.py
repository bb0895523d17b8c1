"""A line's inputs come from the training unless typed; its amount is the breakdown's total unless overridden.

Rates: the 2025/26 table (see test_calculation.py); period 1.6.2025–31.5.2026, productivity window 24 months.
"""

from datetime import date
from decimal import Decimal

from grants import calculation as calc
from grants import lines
from grants.calculation import GrantType, PositionType
from grants.rates import RATES_CSV, read_rates
from training.models import Contract

VALUES, START, END, _SOURCE, _VERIFIED = read_rates(RATES_CSV)
RATES = calc.Rates(**VALUES)
PERIOD = {"period_start": START, "period_end": END, "window": 24}


def _facts(**changes) -> lines.TrainingFacts:
    values = {"start": date(2022, 8, 1), "end": None, "contract": Contract.SELF_EMPLOYED, "position_share": 100}
    return lines.TrainingFacts(**(values | changes))


def test_it_takes_the_inputs_from_the_training():
    inputs = lines.inputs(**PERIOD, facts=_facts(position_share=80, end=date(2026, 2, 15)))
    # 80 %, June 2025 – January 2026 = 8 whole months; the window (from 1.8.2022) ended 31.7.2024: 0 months.
    assert (inputs.position_type, inputs.position_share, inputs.months, inputs.productivity_months) == (
        PositionType.REGULAR_GP, 80, 8, 0,
    )  # fmt: skip
    assert inputs.typed == frozenset()


def test_it_suggests_the_position_type_from_the_contract_and_the_profile():
    assert lines.inputs(**PERIOD, facts=_facts(contract=Contract.MUNICIPAL_NO_LIST)).position_type == (
        PositionType.OUTSIDE_REGULAR_GP
    )
    assert lines.inputs(**PERIOD, facts=_facts(position_type=PositionType.INTRODUCTION)).position_type == (
        PositionType.INTRODUCTION
    )


def test_it_keeps_what_the_office_typed():
    typed = {"position_share": 50, "months": None, "position_type": "", "productivity_months": None}
    inputs = lines.inputs(**PERIOD, facts=_facts(position_share=100), typed=typed)
    assert (inputs.position_share, inputs.months, inputs.typed) == (50, 12, frozenset({"position_share"}))


def test_it_does_not_know_the_productivity_months_without_the_window():
    inputs = lines.inputs(**(PERIOD | {"window": None}), facts=_facts(start=date(2025, 6, 1)))
    assert inputs.productivity_months is None


def test_it_computes_the_amount_and_lets_an_override_stand():
    estimator = lines.Estimator(RATES)
    inputs = lines.inputs(**PERIOD, facts=_facts())
    # Bergen-like class 1, self-employed full time since 2022: 132 000 + 14 000 + 91 317 = 237 317 + 5 % 11 866.
    line = estimator.line(inputs, 1)
    assert (line.computed, line.amount, line.value, line.complete) == (249183, 249183, 249183, True)
    overridden = estimator.line(inputs, 1, override=Decimal(200000), reason="Permisjon")
    assert (overridden.computed, overridden.amount, overridden.overridden) == (249183, 200000, True)


def test_it_shows_a_line_with_a_missing_rate_as_unknown_unless_overridden():
    estimator = lines.Estimator(calc.NO_RATES)
    inputs = lines.inputs(**(PERIOD | {"window": None}), facts=_facts())
    line = estimator.line(inputs, 1)
    assert line.value is None and not line.complete
    assert estimator.line(inputs, 1, override=Decimal(1000), reason="Avtalt").value == 1000


def test_it_sums_lines_and_says_what_the_sum_leaves_out():
    estimator = lines.Estimator(RATES)
    full = lines.inputs(**PERIOD, facts=_facts())
    supervision = lines.inputs(**PERIOD, facts=_facts(), grant_type=GrantType.SUPERVISION_ONLY)
    totals = lines.Totals()
    totals.add(estimator.line(full, None))  # class unknown: 249 183 without the supplement
    totals.add(estimator.line(supervision, None))  # supervision only: no supplement to miss, 91 317
    totals.add(estimator.line(full, 6, override=Decimal(100000), reason="Avtalt"))
    # 249 183 + 91 317 + 100 000 = 440 500; computed 249 183 + 91 317 + (249 183 + 200 000 × 12/12) = 789 683
    assert (totals.lines, totals.amount, totals.computed) == (3, Decimal(440500), Decimal(789683))
    assert (totals.overridden, totals.incomplete, totals.centrality_unknown, totals.rates_unknown) == (1, 1, 1, 0)
    assert totals.value == Decimal(440500)
