"""The search in the header, and a document kept on an ALIS, in a real browser (axe-core on the pages)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login
from core.models import Read

pytestmark = pytest.mark.browser


def test_it_shows_results_while_typing_and_opens_one(page: Page, vest_user, records) -> None:
    login(page, vest_user)
    page.goto("/oversikt/")

    page.get_by_role("searchbox", name="Søk i alt").fill("Nordm")
    results = page.locator("#site-search-results")
    expect(results.get_by_role("heading", name="ALIS")).to_be_visible()
    expect(results).not_to_contain_text("Hansen")
    assert_accessible(page)

    page.keyboard.press("Escape")
    expect(results).to_be_empty()

    page.get_by_role("searchbox", name="Søk i alt").fill("Nordmann")
    results.get_by_role("link", name="Kari Nordmann").nth(1).click()
    expect(page).to_have_url(re.compile(rf"/alis/{records.vest_training.pk}/$"))
    assert Read.objects.filter(content_type__model="training", object_id=records.vest_training.pk).exists()


def test_the_search_works_as_a_page_without_waiting_for_scripts(page: Page, vest_user, records) -> None:
    login(page, vest_user)
    page.goto("/sok/?q=Bergen")

    expect(page.locator("h1")).to_have_text("Søk")
    expect(page.locator("main").get_by_role("heading", name="Kommuner")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name="Bergen")).to_be_visible()
    assert_accessible(page)


def test_it_uploads_a_document_and_a_new_version_on_the_alis_page(
    page: Page, vest_user, vest_training, tmp_path: Path
) -> None:
    agreement = tmp_path / "avtale.pdf"
    agreement.write_bytes(b"%PDF-1.4\n% avtale\n")
    wrong = tmp_path / "avtale.txt"
    wrong.write_text("ikke en pdf")
    login(page, vest_user)
    page.goto(f"/alis/{vest_training.pk}/")

    page.get_by_role("link", name="Last opp dokument").click()
    page.get_by_label("Tittel").fill("Signert ALIS-avtale")
    page.get_by_label("Type dokument").select_option("alis_agreement")
    page.locator("input[name=dated]").fill("2024-08-01")
    page.get_by_label("Fil").set_input_files(str(wrong))
    page.locator("main").get_by_role("button", name="Lagre").click()
    expect(page.locator("main")).to_contain_text("Filtypen er ikke tillatt")
    assert_accessible(page)

    page.get_by_label("Fil").set_input_files(str(agreement))
    page.locator("main").get_by_role("button", name="Lagre").click()
    expect(page.locator("main")).to_contain_text("Dokumentet er lagret.")
    expect(page.get_by_role("link", name="avtale.pdf")).to_be_visible()

    page.get_by_role("link", name=re.compile("^Ny versjon")).click()
    page.get_by_label("Fil").set_input_files(str(agreement))
    page.locator("main").get_by_role("button", name="Lagre").click()
    expect(page.locator("main")).to_contain_text("Versjon 2 av dokumentet er lagret.")
    expect(page.locator("main")).to_contain_text("1 tidligere versjon")
    assert_accessible(page)
