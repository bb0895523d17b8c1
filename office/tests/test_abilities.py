"""Who may do what to the office's records: every role × action (accounts.abilities, the rules of office's models)."""

from datetime import date

import pytest

from accounts.abilities import may
from accounts.tests.test_abilities import PERSONAS, ROLES, N, Y
from office.models import (
    Activity,
    AnnualReport,
    Inquiry,
    InquiryTopic,
    Institution,
    InstitutionRegistration,
    Partner,
    StaffMember,
)


@pytest.fixture
def rows(world):
    """One record of each kind, in Vest; the topics are national."""
    institution = Institution.objects.create(office=world.vest, name="Statsforvalteren i Vestland")
    return {
        "topic": InquiryTopic.objects.first(),
        "inquiry": Inquiry.objects.create(office=world.vest, date=date(2025, 1, 2)),
        "activity": Activity.objects.create(office=world.vest, date=date(2025, 1, 5), kind="meeting", theme="Tilskudd"),
        "partner": Partner.objects.create(office=world.vest, name="KS Vest", kind="ks"),
        "staff": StaffMember.objects.create(office=world.vest, name="Anne", title="Rådgiver", start=date(2020, 1, 1)),
        "report": AnnualReport.objects.create(office=world.vest, year=2024),
        "institution": institution,
        "registration": InstitutionRegistration.objects.create(
            institution=institution, status="registered", valid_from=date(2024, 1, 1)
        ),
    }


OFFICES_OWN = {"view": (Y, N, Y, N, Y), "change": (Y, N, N, N, Y), "delete": (Y, N, N, N, Y)}
EXPECTED = {
    # The topics every office counts by: national reference data.
    "topic": {"view": (Y, Y, Y, Y, Y), "change": (N, N, Y, N, Y), "delete": (N, N, Y, N, Y)},
    # The office's own work: its staff keep it, the coordinator reads it, the aggregate reader neither.
    **dict.fromkeys(("inquiry", "activity", "partner", "staff", "report", "institution", "registration"), OFFICES_OWN),
}


@pytest.mark.parametrize("row", EXPECTED)
@pytest.mark.parametrize("action", ["view", "change", "delete"])
@pytest.mark.parametrize("role", ROLES)
def test_it_answers_each_role_and_action(request, rows, row: str, action: str, role: str) -> None:
    user = request.getfixturevalue(PERSONAS[role])

    assert may(user, action, rows[row]) is EXPECTED[row][action][ROLES.index(role)]


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_who_may_add(request, world, rows, role: str) -> None:
    """New records belong to the creator's office: the administrator, who has none, adds none."""
    user = request.getfixturevalue(PERSONAS[role])
    own = user.office_id
    expected = [
        (Inquiry(office_id=own), (Y, Y, N, N, N)),
        (Activity(office_id=own), (Y, Y, N, N, N)),
        (Partner(office_id=own), (Y, Y, N, N, N)),
        (StaffMember(office_id=own), (Y, Y, N, N, N)),
        (Institution(office_id=own), (Y, Y, N, N, N)),
        (AnnualReport(office=world.vest), (Y, N, N, N, N)),
        (InstitutionRegistration(institution=rows["institution"]), (Y, N, N, N, Y)),
        (InquiryTopic, (N, N, Y, N, Y)),
    ]
    for target, answers in expected:
        assert may(user, "add", target) is answers[ROLES.index(role)], target
