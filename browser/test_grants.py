"""The grants flow as an office adviser: rates, calculator, money left on the table, an application, a cost sheet."""

import re

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login
from grants.models import ApplicationLine, CostSheet
from grants.rates import load_rates

pytestmark = pytest.mark.browser


def test_it_applies_for_an_alis_left_on_the_table(page: Page, vest_user, vest_training) -> None:
    load_rates()
    login(page, vest_user)

    page.get_by_role("link", name="Tilskudd", exact=True).click()
    expect(page.get_by_role("heading", name="Tilskudd", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="01.06.2025–31.05.2026").click()
    expect(page.get_by_text("Satsene er ikke kontrollert.")).to_be_visible()
    expect(page.get_by_text("kr\xa0580\xa0433")).to_be_visible()
    assert_accessible(page)

    page.goto("/tilskudd/kalkulator/")
    page.get_by_label("Stillingsandel (%)").fill("60")
    page.get_by_role("button", name="Beregn").click()
    expect(page.get_by_role("row", name=re.compile("Sum tilskudd"))).to_contain_text("kr\xa0228\xa0260")
    assert_accessible(page)

    page.goto("/tilskudd/soknader/ikke-sokt/")
    expect(page.get_by_role("row", name=re.compile("Nordmann, Kari"))).to_contain_text("kr\xa0249\xa0183")
    assert_accessible(page)
    page.get_by_role("link", name="Opprett søknad med disse").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", name="Søknad fra Bergen")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Endre Kari Nordmann").click()
    page.get_by_label("Overstyrt beløp (kr)").fill("200000")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Skriv hvorfor beløpet overstyres.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Begrunnelse for overstyring").fill("Permisjon i tre måneder")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("row", name=re.compile("Sum søkt"))).to_contain_text("kr\xa0200\xa0000")
    assert ApplicationLine.objects.get().override_amount == 200000

    page.get_by_role("link", name="Kostnadsark Kari Nordmann").click()
    page.get_by_label("Lønn eller garantiinntekt").fill("1000000")
    page.get_by_label("ALIS-tilskudd").fill("200000")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Kommunens kostnad: kr\xa0800\xa0000")).to_be_visible()
    assert_accessible(page)
    assert CostSheet.objects.get().net_cost == 800000

    page.goto("/tilskudd/kostnader/")
    expect(page.get_by_role("link", name="Last ned Excel")).to_be_visible()
    assert_accessible(page)
