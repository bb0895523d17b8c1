"""The office's main flow in a browser: quick inquiry entry, retention, the annual report; axe-core on each page."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login
from office.models import InquiryTopic

pytestmark = pytest.mark.browser


def test_it_logs_inquiries_one_after_another(page: Page, vest_user, vest_training) -> None:
    # The topics come from a data migration, and live-server tests empty the tables between them.
    InquiryTopic.objects.get_or_create(name="Tellende tjenestetid", defaults={"ordering": 40})
    login(page, vest_user)
    page.goto("/kontoret/henvendelser/")
    expect(page.locator("h1")).to_have_text("Henvendelser")
    assert_accessible(page)

    for note in ("Spør om tellende tjenestetid", "Mal for ALIS-avtale"):
        form = page.locator("#quick")
        form.get_by_label("Tellende tjenestetid").check()
        form.get_by_label("Kort notat").fill(note)
        form.get_by_role("button", name="Lagre henvendelse").click()
        expect(page.locator("#quick [role=status]")).to_contain_text("Lagret")
        expect(page.locator("#results")).to_contain_text(note)
        # Ready for the next: the form is empty again with today's date, and the focus is in it.
        expect(page.locator("#quick_note")).to_have_value("")
        expect(page.locator("#quick_date")).to_have_value(timezone.localdate().isoformat())
        expect(page.locator("#quick_channel")).to_be_focused()
        # Let HTMX finish swapping and settling (and the list refresh) before the next entry, as a person would.
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
        )
    assert_accessible(page)

    # A doctor of the region among a thousand: typed, then chosen among the suggestions the server sends.
    form = page.locator("#quick")
    form.get_by_label("Fra").select_option(label="ALIS")
    doctor = page.locator("#quick_doctor")
    doctor.click()
    doctor.press_sequentially("Nordm", delay=50)
    page.get_by_role("option", name="Nordmann, Kari (HPR 1234567)").click()
    form.get_by_label("Tellende tjenestetid").check()
    form.get_by_label("Kort notat").fill("Spør om veileder")
    form.get_by_role("button", name="Lagre henvendelse").click()
    expect(page.locator("#results")).to_contain_text("ALIS: Kari Nordmann")
    assert_accessible(page)

    page.goto("/kontoret/henvendelser/tall/")
    expect(page.locator("main")).to_contain_text("Tellende tjenestetid")
    assert_accessible(page)


def test_it_shows_retention_and_the_annual_report(page: Page, vest_user, vest_training) -> None:
    login(page, vest_user)
    page.goto("/kontoret/stabilitet/")
    expect(page.locator("svg.km-chart__svg").first).to_be_visible()
    assert_accessible(page)

    expect(page.locator("main")).to_contain_text("Fortsatt fastlege etter fullført spesialisering")

    year = timezone.localdate().year - 1
    page.goto(f"/kontoret/arsrapport/vest/{year}/")
    expect(page.locator("main")).to_contain_text("Ikke skrevet ennå.")
    page.get_by_role("link", name="Skriv tekstene").click()
    expect(page.locator("h1")).to_have_text(f"Tekstene i årsrapporten {year}")
    assert_accessible(page)
    page.get_by_label("Måloppnåelse").fill("Alle kommuner er fulgt opp.")
    page.get_by_label("Budsjett (kroner)").fill("6700000")
    page.get_by_label("Navn (for kontoret)").fill("Kari Leder")
    page.get_by_role("button", name="Lagre tekstene").click()
    expect(page.locator("[role=status]").first).to_contain_text("Tekstene er lagret")
    main = page.locator("main")
    expect(main).to_contain_text("Alle kommuner er fulgt opp.")
    expect(main).to_contain_text(f"Budsjettet for {year} var 6\u00a0700\u00a0000 kroner.")
    expect(main).to_contain_text("Antall registrerte utdanningsvirksomheter")
    expect(page.locator(".report-signature")).to_contain_text("Kari Leder")
    assert_accessible(page)
