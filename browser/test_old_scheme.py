"""The old scheme's deadline in a real browser: from the overview to the list, an outcome recorded, the training
page with its rules; axe-core on every page visited."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login
from registry.models import Doctor
from training.models import Contract, OldSchemeOutcome, Scheme, ServicePeriod, ShiftCount, Training

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _before_the_deadline(monkeypatch) -> None:
    """A month before the deadline (the live server runs in this process, so the pages see it too)."""
    monkeypatch.setattr("training.views._today", lambda: date(2026, 11, 29))


@pytest.fixture
def old_scheme_alis(world) -> Training:
    doctor = Doctor.objects.create(first_name="Gunn", last_name="Gammelsen", municipality=world.bergen)
    training = Training.objects.create(
        doctor=doctor,
        employer=world.bergen,
        scheme=Scheme.OLD,
        contract=Contract.SALARIED,
        start=date(2018, 5, 1),
        expected_end=date(2023, 4, 30),
    )
    ServicePeriod.objects.create(training=training, kind="open_practice", start=date(2018, 5, 1), end=date(2022, 4, 30))
    ShiftCount.objects.create(training=training, counted_on=date(2025, 6, 1), shifts=25)
    return training


def test_it_records_the_outcome_of_an_old_scheme_alis(page: Page, vest_user, old_scheme_alis) -> None:
    login(page, vest_user)
    page.goto("/oversikt/")
    page.locator("main").get_by_role("link", name=re.compile("i gammel ordning – frist 31.12.2026")).click()

    expect(page.locator("h1")).to_have_text("Gammel ordning – frist 31.12.2026")
    row = page.locator("main tbody tr", has_text="Gammelsen")
    expect(row).to_contain_text("Sykehustjeneste: 1,0 år")
    expect(row).to_contain_text("Legevakter: 15 (har 25 av 40)")
    expect(row).to_contain_text("Mangler sykehusåret")
    assert_accessible(page)

    row.get_by_role("link", name=re.compile("Registrer utfall")).click()
    expect(page.locator("h1")).to_contain_text("Utfall av gammel ordning for Gunn Gammelsen")
    assert_accessible(page)
    page.get_by_label("Utfall").select_option("continues_new")
    page.get_by_label("Dato").fill("2025-06-02")
    page.get_by_label("Merknad").fill("Enighet med kommunen om overgang")
    page.get_by_role("button", name="Lagre").click()

    expect(page.locator("h1")).to_have_text("Gammel ordning – frist 31.12.2026")
    expect(page.locator("main tbody tr", has_text="Gammelsen")).to_contain_text(
        "Fortsetter i ny ordning etter overgangsreglene (02.06.2025)"
    )
    assert OldSchemeOutcome.objects.get(training=old_scheme_alis).outcome == "continues_new"

    page.locator("main").get_by_role("link", name="Gammelsen, Gunn").click()
    expect(page.locator("main")).to_contain_text("Allmennmedisin, ny ordning (fra 1. mars 2019)")
    expect(page.locator("main")).to_contain_text("fortsetter i ny ordning etter overgangsreglene")
    assert_accessible(page)
