"""Who may do what to the grant records: every role × action (accounts.abilities, the rules of grants' models)."""

import pytest

from accounts.abilities import may
from accounts.tests.test_abilities import PERSONAS, ROLES, N, Y
from grants.models import ApplicationLine, CostSheet, GrantApplication, GrantProfile, GrantScheme, RatePeriod
from grants.rates import load_rates


@pytest.fixture
def rows(world, vest_training):
    """One record of each kind: the national scheme and rate period, and a Vest (Bergen) ALIS's grant records."""
    period = load_rates()[0]
    application = GrantApplication.objects.create(municipality=world.bergen, period=period)
    return {
        "scheme": period.scheme,
        "period": period,
        "profile": GrantProfile.objects.create(training=vest_training),
        "application": application,
        "line": ApplicationLine.objects.create(application=application, training=vest_training),
        "cost_sheet": CostSheet.objects.create(training=vest_training, year=2025),
    }


# Per record: may (view, change, delete) per role, in the order of ROLES.
REFERENCE = {"view": (Y, Y, Y, Y, Y), "change": (N, N, Y, N, Y), "delete": (N, N, Y, N, Y)}
REGIONS_PERSONAL = {"view": (Y, N, Y, N, Y), "change": (Y, N, N, N, Y), "delete": (Y, N, N, N, Y)}
EXPECTED = {
    # The scheme and its rates: everyone reads them; the coordinator (and the administrator) keep them.
    "scheme": REFERENCE,
    "period": REFERENCE,
    # An ALIS's grant records: the region's office keeps them, the coordinator reads them, the reader neither.
    "profile": REGIONS_PERSONAL,
    "application": REGIONS_PERSONAL,
    "line": REGIONS_PERSONAL,
    "cost_sheet": REGIONS_PERSONAL,
}


@pytest.mark.parametrize("row", EXPECTED)
@pytest.mark.parametrize("action", ["view", "change", "delete"])
@pytest.mark.parametrize("role", ROLES)
def test_it_answers_each_role_and_action(request, rows, row: str, action: str, role: str) -> None:
    user = request.getfixturevalue(PERSONAS[role])

    assert may(user, action, rows[row]) is EXPECTED[row][action][ROLES.index(role)]


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_who_may_add(request, rows, vest_training, role: str) -> None:
    """New rates for the coordinator; an application in one's own region; a line or sheet in the ALIS's region."""
    user = request.getfixturevalue(PERSONAS[role])
    expected = [
        (RatePeriod, (N, N, Y, N, Y)),
        (GrantScheme, (N, N, Y, N, Y)),
        (GrantApplication, (Y, Y, N, N, Y)),
        (ApplicationLine(application=rows["application"]), (Y, N, N, N, Y)),
        (CostSheet(training=vest_training), (Y, N, N, N, Y)),
        (GrantProfile(training=vest_training), (Y, N, N, N, Y)),
    ]
    for target, answers in expected:
        assert may(user, "add", target) is answers[ROLES.index(role)], target
