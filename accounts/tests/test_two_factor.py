"""Two-factor authentication: required with DJANGO_REQUIRE_2FA, set up before anything else, then asked at sign-in."""

import json
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse

from accounts.models import AuthEvent
from conftest import PASSWORD

Kind = AuthEvent.Kind
OVERVIEW = "/oversikt/"


@pytest.fixture(autouse=True)
def _required(settings, django_capture_on_commit_callbacks) -> None:
    settings.REQUIRE_2FA = True
    cache.clear()  # allauth remembers used codes in the cache
    global _committed
    _committed = django_capture_on_commit_callbacks


def _post(client, url: str, data: dict):
    """A POST whose on-commit work runs (allauth reports a new authenticator when the transaction commits)."""
    with _committed(execute=True):
        return client.post(url, data)


def _code(secret: str) -> str:
    """What an authenticator app shows now (RFC 6238), computed with allauth's own HOTP function."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _sign_in(client, username: str = "vest"):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _confirm_password(client) -> None:
    """allauth asks for the password again before a change to how one signs in."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def _activate_totp(client) -> str:
    _confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = _post(client, reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return secret


def test_a_user_without_two_factor_is_sent_to_set_it_up_first(client, vest_user):
    response = _sign_in(client)
    assert response.status_code == 302
    assert _signed_in(client)

    for path in (OVERVIEW, reverse("registry:municipality_list"), "/admin/"):
        blocked = client.get(path)
        assert blocked.status_code == 302, path
        assert blocked["Location"] == reverse("account")

    page = client.get(reverse("account"))
    assert page.status_code == 200
    assert "Du må slå på totrinnsbekreftelse" in page.text
    assert "ALIS-oversikt krever totrinnsbekreftelse" in page.text


def test_it_sets_up_an_authenticator_app_and_then_asks_for_its_code(client, vest_user):
    _sign_in(client)
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert "Bekreft at det er deg" in client.get(asked["Location"]).text
    _confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert "Slå på autentiseringsapp" in page.text
    assert page.context["totp_svg_data_uri"].startswith("data:image/svg+xml")
    secret = page.context["form"].secret
    assert secret in page.text

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000" if _code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=vest_user, type="totp").exists()

    _post(client, reverse("mfa_activate_totp"), {"code": _code(secret)})

    assert Authenticator.objects.filter(user=vest_user, type="totp").exists()
    assert AuthEvent.objects.filter(kind=Kind.MFA_ADDED, user=vest_user, method="totp").exists()
    assert client.get(OVERVIEW).status_code == 200  # set up in this session: the way is open

    # Recovery codes come with the app; the page shows them.
    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    assert "Gjenopprettingskoder" in codes_page.text
    codes = codes_page.context["unused_codes"]
    assert len(codes) == 10

    client.post(reverse("logout"))

    # Next sign-in: the password alone does not sign in.
    response = _sign_in(client)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not _signed_in(client)
    code_page = client.get(reverse("mfa_authenticate"))
    assert "Totrinnsbekreftelse" in code_page.text
    assert client.get(OVERVIEW).status_code == 302 and not _signed_in(client)

    wrong = client.post(reverse("mfa_authenticate"), {"code": "12345x"})
    assert "Feil kode" in wrong.text
    assert AuthEvent.objects.filter(kind=Kind.MFA_FAILED, user=vest_user).count() == 1

    code = _code(secret)
    signed_in = client.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in.status_code == 302
    assert _signed_in(client)
    assert client.get(OVERVIEW).status_code == 200
    login = AuthEvent.objects.filter(kind=Kind.LOGIN, user=vest_user).latest("pk")
    assert login.method == "password+totp"

    # The same code does not work twice; a recovery code works once.
    client.post(reverse("logout"))
    _sign_in(client)
    assert "Feil kode" in client.post(reverse("mfa_authenticate"), {"code": code}).text
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert _signed_in(client)
    client.post(reverse("logout"))
    _sign_in(client)
    assert "Feil kode" in client.post(reverse("mfa_authenticate"), {"code": codes[0]}).text
    assert not _signed_in(client)


def test_wrong_codes_count_towards_the_lockout(client, vest_user, settings):
    secret = _activate_after_sign_in(client)
    client.post(reverse("logout"))
    _sign_in(client)
    for _ in range(settings.LOCKOUT_FAILURES_PER_ACCOUNT):
        client.post(reverse("mfa_authenticate"), {"code": "99999x"})

    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})

    assert "For mange mislykkede innloggingsforsøk" in response.text
    assert not _signed_in(client)


def _activate_after_sign_in(client) -> str:
    _sign_in(client)
    return _activate_totp(client)


def test_a_session_from_before_the_requirement_must_sign_in_again(client, vest_user, settings):
    settings.REQUIRE_2FA = False
    _activate_after_sign_in(client)
    client.post(reverse("logout"))
    _sign_in(client)
    client.post(reverse("mfa_authenticate"), {"code": "wrong"})  # leave the second step unfinished
    client.force_login(vest_user)  # a session that never saw the second factor
    settings.REQUIRE_2FA = True

    response = client.get(OVERVIEW)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not _signed_in(client)


def test_demo_users_are_not_asked(client, vest_user):
    vest_user.is_demo = True
    vest_user.save()
    _sign_in(client)

    assert client.get(OVERVIEW).status_code == 200


def test_it_is_off_unless_the_setting_asks(client, vest_user, settings):
    settings.REQUIRE_2FA = False
    _sign_in(client)

    assert client.get(OVERVIEW).status_code == 200


def test_the_account_page_shows_the_methods(client, vest_user):
    _activate_after_sign_in(client)

    page = client.get(reverse("account"))

    assert page.status_code == 200
    assert "Min konto" in page.text
    assert "Autentiseringsapp" in page.text and "Slå av" in page.text
    assert "10 ubrukte koder" in page.text
    assert "Sikkerhetsnøkler og passnøkler" in page.text


def test_the_security_key_page_offers_registration_options(client, vest_user):
    """WebAuthn without an authenticator: the page, and the options the browser would be given."""
    _sign_in(client)
    _confirm_password(client)

    page = client.get(reverse("mfa_add_webauthn"))

    assert page.status_code == 200
    assert "Legg til sikkerhetsnøkkel eller passnøkkel" in page.text
    options = page.context["js_data"]["creation_options"]["publicKey"]
    assert options["rp"] == {"id": "testserver", "name": "ALIS-oversikt"}
    assert options["user"]["name"] == "vest"
    assert options["challenge"]
    assert {"type": "public-key", "alg": -7} in options["pubKeyCredParams"]  # ES256
    assert json.loads(page.context["js_data"] and json.dumps(page.context["js_data"]))
    assert 'src="/static/mfa/js/webauthn.js"' in page.text
    # Without the authenticator's answer nothing is added.
    response = client.post(reverse("mfa_add_webauthn"), {"name": "Nøkkel", "credential": "{}"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=vest_user, type="webauthn").exists()


@pytest.mark.django_db(transaction=True)
def test_a_second_factor_turned_on_or_off_and_new_recovery_codes_are_mailed(client, vest_user, settings, mailoutbox):
    """OWASP ASVS 4.0 2.2.3: the user hears of every change to how they sign in, in Norwegian. (Committed for
    real: allauth mails a new authenticator once the transaction commits, inside the request.)"""
    settings.REQUIRE_2FA = False
    vest_user.email = "vest@bergen.kommune.no"
    vest_user.save()
    _activate_after_sign_in(client)
    assert [mail.subject for mail in mailoutbox] == ["ALIS-oversikt: Autentiseringsapp slått på"]
    assert "En autentiseringsapp er slått på som andre trinn ved innlogging." in mailoutbox[0].body

    assert _post(client, reverse("mfa_generate_recovery_codes"), {}).status_code == 302
    assert mailoutbox[-1].subject == "ALIS-oversikt: Nye gjenopprettingskoder"
    assert "de gamle virker ikke lenger" in mailoutbox[-1].body

    assert _post(client, reverse("mfa_deactivate_totp"), {}).status_code == 302
    assert mailoutbox[-1].subject == "ALIS-oversikt: Autentiseringsapp slått av"
    assert {mail.to[0] for mail in mailoutbox} == {"vest@bergen.kommune.no"} and len(mailoutbox) == 3
