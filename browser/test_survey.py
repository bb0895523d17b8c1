"""One municipality answers its mapping through the task list on a phone (390 px), and the office accepts its
changes; axe-core on every page visited."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login
from survey import services
from training.models import ServicePeriod

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_a_municipality_answers_through_the_task_list_on_a_phone(page: Page, records, vest_user) -> None:
    campaign = services.campaign_start(
        office=vest_user.office,
        by=vest_user,
        data={"title": "Kartlegging 2026", "deadline": date.today() + timedelta(days=14)},
        municipalities=[records.vest_training.employer],
        now=timezone.now(),
    )
    invitation = campaign.invitations.get()
    contact, training = records.vest_contact, records.vest_training
    page.set_viewport_size({"width": 390, "height": 844})

    # The municipality: no account, only the link. The overview lists the sections, none started.
    page.goto(f"/kartlegging/{invitation.token}/")
    expect(page.locator("h1")).to_have_text("Kartlegging 2026: Bergen")
    expect(page.get_by_text("Dere har fullført 0 av 6 deler.")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)

    # Contacts: a phone number, saved as a draft first and found again.
    page.get_by_role("link", name="Kontaktpersoner").click()
    expect(page.locator("h1")).to_have_text("Kontaktpersoner")
    expect(page.locator(f"#id_kontakt-{contact.pk}-name")).to_have_value("Vera Vestre")
    page.locator(f"#id_kontakt-{contact.pk}-phone").fill("55 55 55 55")
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Lagre utkast").click()
    expect(page.get_by_role("status").first).to_contain_text("Utkastet er lagret")
    expect(page.locator("#status-kontaktpersoner")).to_have_text("Påbegynt")
    page.get_by_role("link", name="Kontaktpersoner").click()
    expect(page.locator(f"#id_kontakt-{contact.pk}-phone")).to_have_value("55 55 55 55")
    page.get_by_role("button", name="Lagre og gå videre").click()
    expect(page.locator("#status-kontaktpersoner")).to_have_text("Ferdig")

    page.get_by_role("link", name="Legekontorer").click()
    page.get_by_role("button", name="Lagre og gå videre").click()

    # The ALIS: a wrong share gives an error linked to its field; the hospital service as dates and a trust.
    page.get_by_role("link", name="ALIS: Kari Nordmann").click()
    expect(page.locator("h1")).to_have_text("ALIS: Kari Nordmann")
    page.get_by_label("Stillingsandel (%)").fill("150")
    page.get_by_label("Fra").fill("2027-03-01")
    page.get_by_label("Til", exact=True).fill("2027-08-31")
    page.get_by_label("Helseforetak").select_option(value=str(records.helse_bergen.pk))
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Lagre og gå videre").click()
    summary = page.locator(".ds-error-summary")
    expect(summary).to_contain_text("Stillingsandel (%)")
    expect(page).to_have_title(r"Feil: ALIS: Kari Nordmann – Bergen – ALIS-oversikt")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Stillingsandel (%)")).to_be_focused()
    page.get_by_label("Stillingsandel (%)").fill("80")
    page.get_by_role("button", name="Lagre og gå videre").click()
    expect(page.locator(f"#status-alis-{training.pk}")).to_have_text("Ferdig")

    for name in ("Veiledere", "Registrering og avtaler"):
        page.get_by_role("link", name=name, exact=True).click()
        assert_accessible(page)
        page.get_by_role("button", name="Lagre og gå videre").click()
    # A new ALIS the office does not know of.
    page.get_by_role("link", name="Nye ALIS").click()
    page.get_by_label("Fornavn").fill("Nina")
    page.get_by_label("Etternavn").fill("Nyhus")
    page.get_by_label("Startet som ALIS i kommunen").fill("2026-09-01")
    page.get_by_label("Tilknytning").select_option(label="Fastlønn")
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Legg til ALIS-en").click()
    expect(page.get_by_text("Nina Nyhus, Allmennmedisin, startet 01.09.2026")).to_be_visible()
    page.get_by_role("button", name="Lagre og gå videre").click()
    expect(page.get_by_text("Dere har fullført 6 av 6 deler.")).to_be_visible()

    # «Sjekk svarene dine», then send.
    page.get_by_role("link", name="Sjekk svarene dine").click()
    expect(page.locator("h1")).to_have_text("Sjekk svarene dine")
    expect(page.get_by_text("01.03.2027–31.08.2027, Helse Bergen HF")).to_be_visible()
    expect(page.get_by_text("Ny ALIS: Nina Nyhus")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_label("Ditt navn").fill("Vera Vestre")
    page.get_by_role("button", name="Send svaret").click()
    expect(page.locator("h1")).to_have_text("Takk for svaret")
    assert_accessible(page)

    # The office: the answer side by side, accepting field by field.
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, vest_user)
    page.goto(f"/kartlegging/kampanjer/{campaign.pk}/")
    expect(page.locator("h1")).to_have_text("Kartlegging 2026")
    assert_accessible(page)
    page.get_by_role("link", name="4601 Bergen").click()
    expect(page.locator("h1")).to_have_text("Svar fra Bergen")
    assert_accessible(page)
    page.locator("tr", has_text="55 55 55 55").get_by_role("button", name="Godta").click()
    expect(page.get_by_role("status").first).to_contain_text("Godtatt")
    page.locator("tr", has_text="Planlagt sykehustjeneste").get_by_role("button", name="Godta").click()
    page.locator("tr", has_text="Stillingsandel").get_by_role("button", name="Avvis").click()
    expect(page.locator("tr", has_text="Stillingsandel")).to_contain_text("Avvist")
    page.get_by_role("link", name="Avvis alle som gjenstår").click()
    expect(page.locator("h1")).to_have_text("Avvise alle forslag fra Bergen?")
    assert_accessible(page)
    page.get_by_role("button", name="Avvis alle").click()
    expect(page.locator("tr", has_text="Nina Nyhus")).to_contain_text("Avvist")

    contact.refresh_from_db()
    assert contact.phone == "55 55 55 55"
    training.refresh_from_db()
    assert training.position_share == 100
    period = ServicePeriod.objects.get(training=training, kind=ServicePeriod.Kind.HOSPITAL)
    assert (period.start, period.end, period.health_trust) == (
        date(2027, 3, 1),
        date(2027, 8, 31),
        records.helse_bergen,
    )
