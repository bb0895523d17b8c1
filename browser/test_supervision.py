"""Supervision in a real browser: from the pool to a region-wide proposal, confirmed; axe-core on every page."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login
from registry.models import Doctor
from supervision.models import SupervisorProfile
from training.models import Contract, SupervisorAssignment, Training

pytestmark = pytest.mark.browser


@pytest.fixture
def unsupervised(world):
    alis = Doctor.objects.create(
        first_name="Ida", last_name="Utenveileder", hpr_number="3333333", municipality=world.bergen
    )
    training = Training.objects.create(
        doctor=alis,
        employer=world.bergen,
        contract=Contract.SALARIED,
        start=date(2024, 1, 1),
        expected_end=date(2029, 1, 1),
    )
    supervisor = Doctor.objects.create(
        first_name="Siv", last_name="Spesialist", hpr_number="4444444", municipality=world.bergen, is_specialist=True
    )
    SupervisorProfile.objects.create(doctor=supervisor, capacity=2)
    return type("U", (), {"training": training, "supervisor": supervisor})


def test_it_confirms_a_proposed_match(page: Page, vest_user, unsupervised) -> None:
    login(page, vest_user)
    page.goto("/veiledning/")
    expect(page.locator("h1")).to_contain_text("Veilederpool")
    expect(page.locator("main")).to_contain_text("Utenveileder")
    assert_accessible(page)

    page.get_by_role("link", name="Foreslå veiledere for alle i regionen").click()
    expect(page.locator("h1")).to_contain_text("Forslag til veiledere")
    checkbox = page.get_by_label(re.compile("Bekreft Siv Spesialist som veileder for Ida Utenveileder"))
    expect(checkbox).to_be_checked()
    assert_accessible(page)

    page.get_by_role("button", name="Bekreft valgte forslag").click()
    expect(page.locator("main")).to_contain_text("1 veiledere er oppnevnt.")
    assert_accessible(page)
    assignment = SupervisorAssignment.objects.get(training=unsupervised.training)
    assert assignment.supervisor == unsupervised.supervisor

    page.goto(f"/veiledning/alis/{unsupervised.training.pk}/timer/")
    expect(page.locator("main")).to_contain_text("Siv Spesialist")
    assert_accessible(page)
