"""The first thing a person does: sign in and land on a Norwegian, accessible page."""

import pytest
from playwright.sync_api import Page, expect

from browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def test_it_logs_in_and_lands_on_a_norwegian_page(page: Page, vest_user) -> None:
    page.goto("/logg-inn/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    assert_accessible(page)

    login(page, vest_user)

    expect(page.locator("html")).to_have_attribute("lang", "nb")
    assert_accessible(page)
