"""One municipality answers its mapping form by the private link, and the office accepts its changes;
axe-core on every page visited."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login
from survey import services

pytestmark = pytest.mark.browser


def test_it_lets_a_municipality_answer_and_the_office_accept(page: Page, records, vest_user) -> None:
    campaign = services.campaign_start(
        office=vest_user.office,
        by=vest_user,
        data={"title": "Kartlegging 2026", "deadline": date.today() + timedelta(days=14)},
        municipalities=[records.vest_training.employer],
        now=timezone.now(),
    )
    invitation = campaign.invitations.get()
    contact = records.vest_contact

    # The municipality: no account, only the link.
    page.goto(f"/kartlegging/{invitation.token}/")
    expect(page.locator("h1")).to_have_text("Kartlegging 2026: Bergen")
    expect(page.locator(f"#id_kontakt-{contact.pk}-name")).to_have_value("Vera Vestre")
    assert_accessible(page)

    page.locator(f"#id_kontakt-{contact.pk}-phone").fill("55 55 55 55")
    page.locator(f"#id_alis-{records.vest_training.pk}-position_share").fill("80")
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Send inn").click()
    # The name of the one who answers is required: a Norwegian error next to the field.
    expect(page.locator("#id_svar-answered_by_error")).to_be_visible()
    expect(page.locator("#id_svar-answered_by")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Ditt navn").fill("Vera Vestre")
    page.get_by_role("button", name="Send inn").click()
    expect(page.locator("h1")).to_have_text("Takk for svaret")
    assert_accessible(page)

    # The office: the campaign, then the answer side by side, accepting field by field.
    login(page, vest_user)
    page.goto(f"/kartlegging/kampanjer/{campaign.pk}/")
    expect(page.locator("h1")).to_have_text("Kartlegging 2026")
    assert_accessible(page)
    page.get_by_role("link", name="4601 Bergen").click()
    expect(page.locator("h1")).to_have_text("Svar fra Bergen")
    assert_accessible(page)
    row = page.locator("tr", has_text="55 55 55 55")
    row.get_by_role("button", name="Godta").click()
    expect(page.get_by_role("status")).to_contain_text("Godtatt")
    row = page.locator("tr", has_text="Stillingsandel")
    row.get_by_role("button", name="Avvis").click()
    expect(page.locator("tr", has_text="Stillingsandel")).to_contain_text("Avvist")
    assert_accessible(page)

    contact.refresh_from_db()
    assert contact.phone == "55 55 55 55"
    records.vest_training.refresh_from_db()
    assert records.vest_training.position_share == 100
