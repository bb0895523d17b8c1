"""Import of a regular-GP list from the browser: upload, preview with errors, corrected file, confirm; export link."""

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login
from registry.models import Doctor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Kommunenummer;Legekontor;Lege;HPR-nummer;Listelengde;Listetak\r\n"


def test_it_imports_a_regular_gp_list_from_upload_to_confirmation(
    page: Page, vest_user, vest_training, tmp_path
) -> None:
    login(page, vest_user)
    page.get_by_role("link", name="Import og eksport").click()
    expect(page.get_by_role("heading", name="Import og eksport")).to_be_visible()
    assert_accessible(page)

    bad = tmp_path / "fastleger-feil.csv"
    bad.write_bytes((HEADER + "4601;Åsane legesenter;Ødegård, Åse;9876543;mange;1 000\r\n").encode("cp1252"))
    page.get_by_role("link", name="Importer fastlegeliste").click()
    assert_accessible(page)
    page.get_by_label("Fil").set_input_files(bad)
    page.get_by_role("button", name="Last opp og kontroller").click()
    expect(page.get_by_text("Rad 2, kolonne «Listelengde»: «mange» er ikke et helt tall.").first).to_be_visible()
    expect(page.get_by_role("button", name="Bekreft og lagre")).to_have_count(0)
    assert_accessible(page)

    good = tmp_path / "fastleger.csv"
    good.write_bytes((HEADER + "4601;Åsane legesenter;Ødegård, Åse;9876543;800;1 000\r\n").encode("cp1252"))
    page.goto("/import/fastlegeliste/")
    page.get_by_label("Fil").set_input_files(good)
    page.get_by_role("button", name="Last opp og kontroller").click()
    expect(page.get_by_text("Nytt legekontor: Åsane legesenter")).to_be_visible()
    assert_accessible(page)
    assert not Doctor.objects.filter(hpr_number="9876543").exists()
    page.get_by_role("button", name="Bekreft og lagre").click()
    expect(page.get_by_text("Importen er lagret.")).to_be_visible()
    assert_accessible(page)
    assert Doctor.objects.get(hpr_number="9876543").gp_office.name == "Åsane legesenter"

    page.goto("/import/")
    expect(page.get_by_role("cell", name="fastleger.csv")).to_be_visible()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Register", exact=True).click()
    page.get_by_role("navigation", name="Register").get_by_role("link", name="Leger", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.startswith("leger-")
    assert_accessible(page)


SESSIONS = "HPR ALIS;HPR veileder;Dato;Minutter;Type;Tema\r\n1234567;1111111;01.03.2025;60;individuell;Journal\r\n"


def test_it_imports_supervision_sessions_once_however_often_the_list_comes(page: Page, vest_user, records, tmp_path):
    from supervision.models import SupervisionSession

    path = tmp_path / "timer.csv"
    path.write_text(SESSIONS, encoding="utf-8")
    login(page, vest_user)
    for attempt in range(2):
        page.goto("/import/veiledningstimer/")
        expect(page.locator("h1")).to_have_text("Importer veiledningstimer")
        assert_accessible(page)
        page.get_by_label("Fil").set_input_files(path)
        page.get_by_role("button", name="Last opp og kontroller").click()
        expect(page.locator("h1")).to_have_text("Veiledningstimer")
        if attempt == 1:
            expect(page.get_by_text("Finnes fra før (importert fra liste); hoppes over.")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Bekreft og lagre").click()
        expect(page.get_by_text("Importen er lagret.")).to_be_visible()
    assert SupervisionSession.objects.count() == 1
