"""The language choice: bokmål, nynorsk or English, remembered on the user and in the language cookie."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD

OVERVIEW = "/oversikt/"
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.deactivate()


def _log_in(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def test_it_offers_nynorsk_beside_bokmal_and_english():
    assert [code for code, _name in settings.LANGUAGES] == ["nb", "nn", "en"]


def test_the_header_offers_the_other_two_languages(client, vest_user):
    _log_in(client, vest_user)

    page = client.get(OVERVIEW).content.decode()

    assert '<html lang="nb"' in page
    assert 'name="language" value="nn" lang="nn">Norsk nynorsk</button>' in page
    assert 'name="language" value="en" lang="en">English</button>' in page
    assert 'name="language" value="nb"' not in page


def test_choosing_nynorsk_is_stored_on_the_user_and_in_the_cookie(client, vest_user):
    _log_in(client, vest_user)

    response = client.post(reverse("set_language"), {"language": "nn", "next": OVERVIEW})

    assert (response.status_code, response.url) == (302, OVERVIEW)
    assert response.cookies[COOKIE].value == "nn"
    vest_user.refresh_from_db()
    assert vest_user.language == "nn"
    assert '<html lang="nn"' in client.get(OVERVIEW).content.decode()


def test_the_stored_choice_follows_the_user_to_another_browser(client, vest_user):
    vest_user.language = "nn"
    vest_user.save()
    _log_in(client, vest_user)  # a fresh client: no language cookie

    response = client.get(OVERVIEW)

    assert '<html lang="nn"' in response.content.decode()
    assert response.cookies[COOKIE].value == "nn"  # the public site, after signing out, keeps it
    assert response["Content-Language"] == "nn"


def test_the_cookie_works_like_the_choice_for_a_user_who_never_chose(client, vest_user):
    _log_in(client, vest_user)
    client.cookies[COOKIE] = "nn"

    page = client.get(OVERVIEW).content.decode()

    assert '<html lang="nn"' in page
    vest_user.refresh_from_db()
    assert vest_user.language == ""


def test_the_cookie_works_for_anonymous_visitors(client, world):
    client.cookies[COOKIE] = "nn"

    page = client.get(reverse("website:home")).content.decode()

    assert '<html lang="nn"' in page
    assert '<span aria-current="true" lang="nn">Norsk nynorsk</span>' in page


def test_the_public_language_link_stores_a_signed_in_users_choice(client, vest_user):
    _log_in(client, vest_user)

    response = client.get(reverse("website:language", args=["en"]), {"next": "/"})

    assert response.cookies[COOKIE].value == "en"
    vest_user.refresh_from_db()
    assert vest_user.language == "en"


def test_an_unknown_language_changes_nothing(client, vest_user):
    vest_user.language = "nn"
    vest_user.save()
    _log_in(client, vest_user)

    client.post(reverse("set_language"), {"language": "sv", "next": OVERVIEW})

    vest_user.refresh_from_db()
    assert vest_user.language == "nn"
