"""The grant rules of a cost sheet, with the 2025/26 rates (see test_calculation.py for the arithmetic)."""

from decimal import Decimal

from grants import calculation as calc
from grants import costs
from grants.calculation import PositionType
from grants.rates import RATES_CSV, read_rates
from training.models import Contract

VALUES, *_rest = read_rates(RATES_CSV)
RATES = calc.Rates(**VALUES)


def _cap(position_type=PositionType.REGULAR_GP, centrality: int | None = 3, rates=RATES) -> costs.GrantCap:
    return costs.grant_cap(rates=rates, year_label="2025/26", position_type=position_type, centrality=centrality)


def _check(cap=None, **values) -> costs.Check:
    sheet = {"contract": Contract.SALARIED, "list_length": 800, "per_capita": Decimal(0),
             "agreement_payment": Decimal(0), "alis_grant": Decimal(0)} | values  # fmt: skip
    return costs.check_sheet(cap=cap or _cap(), **sheet)


def test_it_allows_basistilskudd_only_with_a_patient_list():
    assert "per_capita" in _check(list_length=None, per_capita=Decimal(400000)).errors
    assert "per_capita" in _check(contract=Contract.MUNICIPAL_NO_LIST, per_capita=Decimal(1)).errors
    assert _check(list_length=800, per_capita=Decimal(400000)).errors == {}
    assert _check(list_length=None, per_capita=Decimal(0)).errors == {}


def test_it_caps_the_grant_at_the_most_the_position_and_class_give():
    # Fastlege in class 3: at most 380 433 (132 000 + 14 000 + 125 000 + 91 317 + 18 116).
    assert _check(alis_grant=Decimal(380433)).errors == {}
    assert "alis_grant" in _check(alis_grant=Decimal(380434)).errors
    assert "kr\xa0380\xa0433" in _check(alis_grant=Decimal(380434)).errors["alis_grant"]
    # Class 6: 580 433. Outside the regular-GP scheme: 110 583 (14 000 + 91 317 + 5 266).
    assert _check(cap=_cap(centrality=6), alis_grant=Decimal(580433)).errors == {}
    assert "alis_grant" in _check(cap=_cap(PositionType.OUTSIDE_REGULAR_GP), alis_grant=Decimal(110584)).errors


def test_it_does_not_guess_the_class_when_it_is_unknown():
    cap = _cap(centrality=None)
    # Between the top without the supplement (380 433) and with it (580 433): not refused, said plainly.
    check = _check(cap=cap, alis_grant=Decimal(500000))
    assert check.errors == {}
    assert "ikke er kjent" in check.notes[0]
    assert "alis_grant" in _check(cap=cap, alis_grant=Decimal(580434)).errors
    assert _check(cap=cap, alis_grant=Decimal(300000)).notes == []


def test_it_says_the_cap_is_unknown_when_the_rates_are():
    cap = costs.grant_cap(rates=None, year_label="2026/27", position_type=PositionType.REGULAR_GP, centrality=3)
    check = _check(cap=cap, alis_grant=Decimal(900000))
    assert check.errors == {}
    assert "Satser for 2026/27 mangler" in check.notes[0]


def test_it_has_an_agreement_line_for_a_self_employed_alis_only():
    assert costs.has_agreement_line(Contract.SELF_EMPLOYED)
    assert not costs.has_agreement_line(Contract.SALARIED)
    assert "agreement_payment" in _check(agreement_payment=Decimal(50000)).errors
    assert _check(contract=Contract.SELF_EMPLOYED, agreement_payment=Decimal(50000)).errors == {}
