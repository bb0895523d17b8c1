"""The main flows of an office user, in a real browser, with axe-core on every page visited."""

import re

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser

LISTS = [
    ("/oversikt/", "Bergen"),
    ("/alis/", "Nordmann"),
    ("/register/kommuner/", "Bergen"),
    ("/register/legekontorer/", "Sentrum legekontor"),
    ("/register/leger/", "Nordmann"),
]


def _open(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.ok, f"GET {path} gave HTTP {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator("h1")).to_have_count(1)


@pytest.mark.parametrize(("path", "expected"), LISTS, ids=[path for path, _ in LISTS])
def test_it_opens_the_overview_and_the_lists(page: Page, vest_user, vest_training, path: str, expected: str) -> None:
    login(page, vest_user)

    _open(page, path)

    expect(page.locator("main")).to_contain_text(expected)
    assert_accessible(page)


def test_it_clicks_through_from_a_list_to_a_detail_page(page: Page, vest_user, vest_training) -> None:
    login(page, vest_user)
    _open(page, "/alis/")
    assert_accessible(page)

    page.locator("main").get_by_role("link", name=re.compile("Nordmann")).first.click()

    expect(page).to_have_url(re.compile(rf"/alis/{vest_training.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Nordmann")
    assert_accessible(page)

    _open(page, "/register/legekontorer/")
    page.locator("main").get_by_role("link", name="Sentrum legekontor").click()

    expect(page).to_have_url(re.compile(rf"/register/legekontorer/{vest_training.gp_office.pk}/$"))
    expect(page.locator("h1")).to_have_text("Sentrum legekontor")
    assert_accessible(page)


def test_it_edits_a_record_and_shows_the_change_in_the_history(page: Page, vest_user, vest_training) -> None:
    gp_office = vest_training.gp_office
    login(page, vest_user)
    _open(page, f"/register/legekontorer/{gp_office.pk}/")

    page.get_by_role("link", name="Endre legekontor").click()
    expect(page.locator("h1")).to_have_text("Endre legekontor")
    assert_accessible(page)

    # A required field left empty: the form says so, and stays accessible in its error state.
    page.get_by_label("Navn").fill("")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("ds-error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile("^Feil: Endre legekontor"))
    expect(page.get_by_label("Navn")).to_have_attribute("aria-invalid", "true")
    page.get_by_role("link", name="Navn – Fyll ut feltet.").click()
    expect(page.get_by_label("Navn")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Navn").fill("Sentrum legekontor")
    page.get_by_label("Adresse").fill("Kaigaten 1")
    page.get_by_role("button", name="Lagre").click()

    expect(page).to_have_url(re.compile(rf"/register/legekontorer/{gp_office.pk}/(#id_name)?$"))
    expect(page.get_by_role("status")).to_contain_text("Legekontoret er lagret")
    expect(page.locator("dl.facts")).to_contain_text("Kaigaten 1")
    history = page.locator("section", has=page.get_by_role("heading", name="Endringshistorikk"))
    change = history.locator("table").filter(has_text="Kaigaten 1").first
    expect(change.get_by_role("row", name=re.compile("Adresse"))).to_contain_text("Kaigaten 1")
    assert_accessible(page)
    gp_office.refresh_from_db()
    assert gp_office.address == "Kaigaten 1"


def test_it_can_be_used_with_the_keyboard_alone(page: Page, vest_user) -> None:
    login(page, vest_user)
    _open(page, "/oversikt/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hopp til hovedinnhold")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # From the top of the page again: the main navigation comes within a few presses of Tab.
    _open(page, "/oversikt/")
    nav = page.get_by_role("navigation", name="Hovedmeny")
    for _ in range(4):
        page.keyboard.press("Tab")
        if nav.evaluate("nav => nav.contains(document.activeElement)"):
            break
    else:
        pytest.fail("Four presses of Tab did not reach the main navigation")

    # Through the menu to «Register», and Enter opens its first page, the municipalities.
    for _ in range(12):
        if page.evaluate("document.activeElement.textContent.trim()") == "Register":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab did not reach «Register» in the main navigation")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/register/kommuner/$"))
    expect(nav.get_by_role("link", name="Register")).to_have_attribute("aria-current", "page")
    register_nav = page.get_by_role("navigation", name="Register")
    expect(register_nav.get_by_role("link", name="Kommuner")).to_have_attribute("aria-current", "page")
    assert_accessible(page)
