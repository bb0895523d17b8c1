"""Single sign-on against a real OpenID Connect provider running in the test (oidc-provider-mock).

Each test does the whole round trip: our login button → the provider's authorize endpoint (the person
"signs in" there) → back to our callback with a code → allauth fetches the token and userinfo from the
provider over HTTP → signed in, or refused. Nothing of our own code is mocked.
"""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from oidc_provider_mock import User as IdentityUser
from oidc_provider_mock import run_server_in_thread

from accounts.models import AuthEvent, User

Kind = AuthEvent.Kind
OVERVIEW = "/oversikt/"
IDENTITIES = [
    IdentityUser(sub="entra-vest", claims={"email": "Vest@Bergen.kommune.no", "amr": ["pwd", "mfa"]}),
    IdentityUser(sub="entra-nord-pwd", claims={"email": "nord@bodo.kommune.no", "amr": ["pwd"]}),
    IdentityUser(sub="entra-stranger", claims={"email": "ukjent@example.org", "amr": ["pwd", "mfa"]}),
    IdentityUser(sub="idporten-koordinator", claims={"acr": "idporten-loa-substantial", "amr": ["BankID"]}),
]


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with run_server_in_thread(port=0, user_claims=IDENTITIES) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(autouse=True)
def _providers(settings, provider: str) -> None:
    common = {"server_url": provider, "oauth_pkce_enabled": True}
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {"provider_id": "entra", "name": "Microsoft Entra ID", "client_id": "alis-entra", "secret": "s1",
                 "settings": {**common, "match_email": True, "mfa_amr": ["mfa"]}},
                {"provider_id": "idporten", "name": "ID-porten", "client_id": "alis-idporten", "secret": "s2",
                 "settings": {**common, "match_email": False,
                              "mfa_acr": ["idporten-loa-substantial", "idporten-loa-high"]}},
            ]
        }
    }


def _sign_in_with(client, provider_id: str, subject: str):
    """Press our button, sign in at the provider as `subject`, and come back with the code."""
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": provider_id}))
    assert start.status_code == 302, start
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    at_provider = requests.post(authorize, data={"sub": subject}, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == reverse("openid_connect_callback", kwargs={"provider_id": provider_id})
    return client.get(f"{back.path}?{back.query}")


def _signed_in_as(client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).username if user_id else None


def test_the_login_page_offers_the_configured_providers(client, world):
    page = client.get(reverse("login"))

    assert "Eller logg inn med" in page.text
    assert "Microsoft Entra ID" in page.text and "ID-porten" in page.text
    assert reverse("openid_connect_login", kwargs={"provider_id": "entra"}) in page.text


def test_an_existing_user_signs_in_by_e_mail_and_the_providers_mfa_counts(client, vest_user, settings):
    vest_user.email = "vest@bergen.kommune.no"
    vest_user.save()
    settings.REQUIRE_2FA = True

    response = _sign_in_with(client, "entra", "entra-vest")

    assert response.status_code == 302
    assert response["Location"] == reverse("training:overview")
    assert _signed_in_as(client) == "vest"
    assert client.get(OVERVIEW).status_code == 200  # no second step: Entra did MFA (amr "mfa")
    login = AuthEvent.objects.get(kind=Kind.LOGIN)
    assert (login.user, login.method) == (vest_user, "sso:entra")
    # The identity is now linked: the next sign-in finds it by its subject.
    assert SocialAccount.objects.get(provider="entra").uid == "entra-vest"


def test_without_the_providers_mfa_the_user_must_set_up_two_factor(client, nord_user, settings):
    nord_user.email = "nord@bodo.kommune.no"
    nord_user.save()
    settings.REQUIRE_2FA = True

    _sign_in_with(client, "entra", "entra-nord-pwd")

    assert _signed_in_as(client) == "nord"
    response = client.get(OVERVIEW)
    assert response.status_code == 302 and response["Location"] == reverse("account")


def test_an_unknown_identity_is_refused_and_no_user_is_made(client, vest_user):
    users = User.objects.count()

    response = _sign_in_with(client, "entra", "entra-stranger")

    assert response.status_code == 403
    assert "Ingen bruker i ALIS-oversikt" in response.text
    assert "Det lages ikke brukere automatisk" in response.text
    assert _signed_in_as(client) is None
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    refused = AuthEvent.objects.get(kind=Kind.SSO_REFUSED)
    assert (refused.username, refused.method) == ("ukjent@example.org", "sso:entra")


def test_a_shared_e_mail_address_matches_nobody(client, vest_user, nord_user):
    User.objects.filter(pk__in=[vest_user.pk, nord_user.pk]).update(email="vest@bergen.kommune.no")

    assert _sign_in_with(client, "entra", "entra-vest").status_code == 403


def test_id_porten_signs_in_a_stored_identity_and_its_security_level_counts(client, coordinator, settings):
    settings.REQUIRE_2FA = True
    SocialAccount.objects.create(user=coordinator, provider="idporten", uid="idporten-koordinator")

    response = _sign_in_with(client, "idporten", "idporten-koordinator")

    assert response.status_code == 302
    assert _signed_in_as(client) == "koordinator"
    assert client.get(OVERVIEW).status_code == 200  # acr idporten-loa-substantial


def test_id_porten_never_matches_by_e_mail(client, vest_user):
    vest_user.email = "vest@bergen.kommune.no"
    vest_user.save()

    # The Entra identity with that address, presented through ID-porten's settings (no e-mail matching).
    assert _sign_in_with(client, "idporten", "entra-vest").status_code == 403
