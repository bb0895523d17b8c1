"""OWASP ASVS 4.0 2.2.3: a user is mailed when their password, second factor or e-mail address changes, by
themselves (allauth's notifications, with our Norwegian texts) or by an administrator in Django admin."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from accounts.models import AuthEvent
from conftest import PASSWORD

NEW_PASSWORD = "Fjell-og-fjord-1234"
Kind = AuthEvent.Kind


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    caches["default"].clear()  # allauth's limit on password changes counts there, across tests


def _with_email(user, email: str = "vest@bergen.kommune.no"):
    user.email = email
    user.save()
    return user


def test_a_changed_password_is_mailed_in_norwegian_with_where_it_was_changed(client, vest_user, mailoutbox):
    _with_email(vest_user)
    client.force_login(vest_user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_USER_AGENT="Testnettleser/1.0",
    )

    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["vest@bergen.kommune.no"]
    assert mail.subject == "ALIS-oversikt: Passordet ditt er endret"
    assert "Du får denne e-posten fordi dette ble endret på kontoen din i ALIS-oversikt:" in mail.body
    assert "Passordet ditt er endret." in mail.body
    assert "- IP-adresse: 127.0.0.1" in mail.body and "- Nettleser: Testnettleser/1.0" in mail.body
    assert "Kjenner du ikke igjen endringen" in mail.body
    assert AuthEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, user=vest_user).count() == 1


def test_a_refused_password_change_sends_nothing(client, vest_user, mailoutbox):
    _with_email(vest_user)
    client.force_login(vest_user)

    client.post(reverse("account_change_password"), {"oldpassword": "feil", "password1": NEW_PASSWORD,
                                                     "password2": NEW_PASSWORD})  # fmt: skip

    assert mailoutbox == []
    assert not AuthEvent.objects.filter(kind=Kind.PASSWORD_CHANGED).exists()


def test_a_user_without_an_address_changes_the_password_without_a_mail(client, vest_user, mailoutbox):
    client.force_login(vest_user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert mailoutbox == []
    assert AuthEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, user=vest_user).exists()


@pytest.fixture
def superuser(admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    return admin_user


def test_an_address_changed_by_the_administrator_is_mailed_to_the_old_and_the_new(
    client, superuser, vest_user, mailoutbox
):
    _with_email(vest_user, "gammel@bergen.kommune.no")
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[vest_user.pk])
    data = {
        "username": "vest", "first_name": "Vest", "last_name": "", "email": "ny@bergen.kommune.no",
        "is_active": "on", "role": vest_user.role, "office": vest_user.office_id,
        "last_login_0": "", "last_login_1": "", "date_joined_0": "01.01.2025", "date_joined_1": "12:00:00",
    }  # fmt: skip

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sorted(mail.to[0] for mail in mailoutbox) == ["gammel@bergen.kommune.no", "ny@bergen.kommune.no"]
    assert {mail.subject for mail in mailoutbox} == {"ALIS-oversikt: E-postadressen din er endret"}
    assert "endret fra gammel@bergen.kommune.no til ny@bergen.kommune.no." in mailoutbox[0].body

    mailoutbox.clear()
    assert client.post(url, data).status_code == 302  # saved again unchanged: nothing to tell
    assert mailoutbox == []


def test_a_password_set_by_the_administrator_is_mailed_and_logged_in_the_users_language(
    client, superuser, vest_user, mailoutbox
):
    _with_email(vest_user)
    vest_user.language = "en"
    vest_user.save()
    client.force_login(superuser)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[vest_user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    vest_user.refresh_from_db()
    assert vest_user.check_password(NEW_PASSWORD)
    (mail,) = mailoutbox
    assert mail.to == ["vest@bergen.kommune.no"]
    assert mail.subject == "ALIS-oversikt: Your password has been reset"
    assert "An administrator has set a new password" in mail.body
    event = AuthEvent.objects.get(kind=Kind.PASSWORD_CHANGED)
    assert (event.user, event.username, event.method) == (vest_user, "vest", "admin")
