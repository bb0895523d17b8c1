"""The ALIS page in a real browser: a supervisor chosen from the pool by typing, a period deleted through its
confirmation page, the page at a phone's width; axe-core on every page visited."""

import re

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login
from supervision.models import SupervisorProfile
from training.models import ServicePeriod

pytestmark = pytest.mark.browser


def test_it_appoints_a_supervisor_from_the_pool_and_deletes_a_period(page: Page, vest_user, records) -> None:
    training = records.vest_training
    records.vest_assignment.delete()
    SupervisorProfile.objects.create(doctor=records.vest_supervisor)
    login(page, vest_user)
    page.goto(f"/alis/{training.pk}/")
    expect(page.locator("h1")).to_have_text("Kari Nordmann")
    assert_accessible(page)

    page.get_by_role("link", name="Registrer veileder").click()
    expect(page.locator("h1")).to_have_text("Ny veileder")
    expect(page.locator("main")).to_contain_text("Veilederen velges blant legene i veilederpoolen.")
    supervisor = page.locator("#id_supervisor")
    supervisor.click()
    supervisor.press_sequentially("Veil", delay=50)
    page.get_by_role("option", name="Veileder, Per (HPR 1111111)").click()
    expect(page.locator('input[name="supervisor"]')).to_have_value(str(records.vest_supervisor.pk))
    page.get_by_label("Fra").fill("2025-01-01")
    assert_accessible(page)
    page.get_by_role("button", name="Lagre").click()

    expect(page.get_by_role("status").first).to_contain_text("Veilederen er registrert.")
    expect(page.locator("main")).to_contain_text("Per Veileder")

    page.get_by_role("link", name=re.compile("^Slett Åpen uselektert allmennpraksis")).click()
    expect(page.locator("h1")).to_have_text("Slette tjenesteperioden?")
    expect(page.locator("main")).to_contain_text("Åpen uselektert allmennpraksis 01.08.2022–31.07.2023")
    assert_accessible(page)
    page.get_by_role("button", name="Slett").click()

    expect(page.locator("h1")).to_have_text("Kari Nordmann")
    expect(page.get_by_role("status").first).to_contain_text("Perioden er slettet.")
    assert not ServicePeriod.objects.filter(training=training).exists()


def test_the_alis_page_fits_a_phone(page: Page, vest_user, records) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    login(page, vest_user)
    page.goto(f"/alis/{records.vest_training.pk}/")

    expect(page.get_by_role("link", name="Tilbake til ALIS")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Each period is a card: the value follows its column's heading.
    period = page.locator("section", has_text="Tjenesteperioder").locator("tbody tr").first
    expect(period).to_contain_text("Åpen uselektert allmennpraksis")
    assert period.evaluate("row => getComputedStyle(row).display") == "block"
    assert_accessible(page)
