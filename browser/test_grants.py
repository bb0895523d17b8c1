"""The grants flow as an office adviser: rates, calculator, money left on the table, an application, a cost sheet.

Today is frozen at 29 November 2026, after the last rate period (2025/26): the pages must say that the
2026/27 rates are missing, and the adviser picks 2025/26 on purpose to apply for it.
"""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login
from grants.models import ApplicationLine, CostSheet
from grants.rates import load_rates

pytestmark = pytest.mark.browser


@pytest.fixture
def late_november_2026(monkeypatch) -> None:
    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kw: real(*args, **kw) if args else date(2026, 11, 29))


def test_it_applies_for_an_alis_left_on_the_table(page: Page, late_november_2026, vest_user, vest_training) -> None:
    load_rates()
    login(page, vest_user)

    page.get_by_role("link", name="Tilskudd", exact=True).click()
    expect(page.get_by_role("heading", name="Tilskudd", exact=True)).to_be_visible()
    expect(page.get_by_text("Satser for 2026/27 mangler.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="01.06.2025–31.05.2026").click()
    expect(page.get_by_text("Satsene er ikke kontrollert.")).to_be_visible()
    expect(page.get_by_text("kr\xa0580\xa0433")).to_be_visible()
    assert_accessible(page)

    page.goto("/tilskudd/kalkulator/")
    expect(page.get_by_text("Velg satsperioden å regne med.")).to_be_visible()  # nothing computed with old rates
    page.get_by_label("Satsperiode").select_option(label="Nasjonal ALIS og veiledning 01.06.2025–31.05.2026")
    page.get_by_label("Stillingsandel (%)").fill("60")
    page.get_by_label("Kommunens sentralitet").select_option("5")
    page.get_by_role("button", name="Beregn").click()
    expect(page.get_by_role("row", name=re.compile("Sum tilskudd"))).to_contain_text("kr\xa0228\xa0260")
    assert_accessible(page)

    page.goto("/tilskudd/soknader/ikke-sokt/")
    expect(page.get_by_text("Satser for 2026/27 mangler.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Nordmann, Kari"))).to_contain_text("ukjent")
    assert_accessible(page)
    page.get_by_label("Satsperiode").select_option(label="Nasjonal ALIS og veiledning 01.06.2025–31.05.2026")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("row", name=re.compile("Nordmann, Kari"))).to_contain_text("kr\xa0249\xa0183")
    page.get_by_role("link", name="Opprett søknad med disse").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", name="Søknad fra Bergen")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Endre Kari Nordmann").click()
    expect(page.get_by_text("Tom: utdanningsløpets stillingsandel (nå 100 %).")).to_be_visible()
    page.get_by_label("Overstyrt beløp (kr)").fill("200000")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Skriv hvorfor beløpet overstyres.", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Begrunnelse for overstyring").fill("Permisjon i tre måneder")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("row", name=re.compile("Sum søkt"))).to_contain_text("kr\xa0200\xa0000")
    expect(page.get_by_text("skrevet inn for hånd")).to_be_visible()
    assert ApplicationLine.objects.get().override_amount == 200000

    page.get_by_role("link", name="Kostnadsark Kari Nordmann").click()
    page.get_by_label("År").fill("2025")
    page.get_by_label("Lønn eller garantiinntekt").fill("1000000")
    page.get_by_label("Utbetalt etter ALIS-avtalen").fill("50000")
    page.get_by_label("Basistilskudd (per innbygger på listen)").fill("100000")
    page.get_by_label("ALIS-tilskudd").fill("200000")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("#id_per_capita_error")).to_contain_text(
        "Basistilskudd gis bare for innbyggere på en pasientliste"
    )
    assert_accessible(page)
    page.get_by_label("Listelengde").fill("700")
    page.get_by_role("button", name="Lagre").click()
    # 1 000 000 + 50 000 expenses; 100 000 + 200 000 financing: the municipality's cost 750 000.
    expect(page.get_by_text("Kommunens kostnad: kr\xa0750\xa0000")).to_be_visible()
    assert_accessible(page)
    assert CostSheet.objects.get().net_cost == 750000

    page.goto("/tilskudd/kostnader/?aar=2025")
    expect(page.get_by_role("columnheader", name=re.compile("ALIS A"))).to_be_visible()
    expect(page.get_by_role("link", name="Last ned (Excel)")).to_be_visible()
    assert_accessible(page)

    # Taking the ALIS out of the application again: the page asks first.
    page.goto(f"/tilskudd/soknader/{ApplicationLine.objects.get().application_id}/")
    page.get_by_role("link", name="Ta ut av søknaden: Kari Nordmann").click()
    expect(page.get_by_role("heading", name="Ta Kari Nordmann ut av søknaden?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Slett").click()
    expect(page.get_by_text("ALIS er tatt ut av søknaden.")).to_be_visible()
    assert not ApplicationLine.objects.exists()
