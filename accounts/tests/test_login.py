"""Sign-in at /logg-inn/: lockout counts failures only, per username and per address; answers give nothing away."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuthEvent
from conftest import PASSWORD

LOGIN = "/logg-inn/"
HOME = "192.0.2.10"  # documentation addresses (RFC 5737): only written into REMOTE_ADDR, never contacted
ELSEWHERE = "198.51.100.20"
LOCKED = "For mange mislykkede innloggingsforsøk"
WRONG = "Feil brukernavn eller passord."
Kind = AuthEvent.Kind


def _post(client, username: str, password: str, ip: str = HOME, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip,
                       HTTP_USER_AGENT="Testnettleser/1.0", **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_it_signs_in_and_lands_on_the_overview(client, vest_user):
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert "Logg inn i ALIS-oversikt" in page.text
    assert 'name="username"' in page.text and 'name="password"' in page.text

    response = _post(client, "vest", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert _signed_in(client)
    event = AuthEvent.objects.get(kind=Kind.LOGIN)
    assert (event.user, event.username, event.ip, event.user_agent, event.method) == (
        vest_user, "vest", HOME, "Testnettleser/1.0", "password"
    )


def test_it_follows_next_to_the_page_asked_for(client, vest_user):
    response = client.post(f"{LOGIN}?next=/register/kommuner/", {"username": "vest", "password": PASSWORD,
                                                                 "next": "/register/kommuner/"})
    assert response["Location"] == "/register/kommuner/"


def test_known_and_unknown_usernames_are_answered_alike(client, vest_user):
    known = _post(client, "vest", "feil-passord")
    unknown = _post(client, "finnes-ikke", "feil-passord")

    assert known.status_code == unknown.status_code == 200
    assert WRONG in known.text and WRONG in unknown.text
    # The same page but for the username typed, the form's CSRF token and the script nonce.
    assert _without(known.text, "vest") == _without(unknown.text, "finnes-ikke")
    failures = AuthEvent.objects.filter(kind=Kind.LOGIN_FAILED).order_by("pk")
    assert [(event.username, event.user_id) for event in failures] == [("vest", vest_user.pk), ("finnes-ikke", None)]
    assert not _signed_in(client)


def _without(page: str, username: str) -> str:
    page = re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "", page)
    return page.replace(f'value="{username}"', "")


def test_thirty_wrong_passwords_lock_the_account_until_the_period_ends(client, vest_user, nord_user):
    for _ in range(30):
        last = _post(client, "vest", "feil-passord")

    assert LOCKED in last.text
    assert f"{settings.LOCKOUT_MINUTES} minutter" in last.text
    failed = AuthEvent.objects.filter(kind=Kind.LOGIN_FAILED, username="vest").count()
    locked = AuthEvent.objects.filter(kind=Kind.LOCKED_OUT, username="vest").count()
    assert (failed, locked) == (settings.LOCKOUT_FAILURES_PER_ACCOUNT, 30 - settings.LOCKOUT_FAILURES_PER_ACCOUNT)

    # The right password is refused too, from this address and from any other.
    assert LOCKED in _post(client, "vest", PASSWORD).text
    assert LOCKED in _post(client, "vest", PASSWORD, ip=ELSEWHERE).text
    assert not _signed_in(client)

    # Another account from the same address is not affected.
    assert _post(client, "nord", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    # When the failures are older than the period, the account opens again (the clock moved by hand).
    AuthEvent.objects.update(at=timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES + 1))
    assert _post(client, "vest", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_an_unknown_username_is_locked_alike(client, world):
    for _ in range(settings.LOCKOUT_FAILURES_PER_ACCOUNT):
        _post(client, "finnes-ikke", "feil-passord")

    assert LOCKED in _post(client, "finnes-ikke", "feil-passord").text


def test_many_failures_from_one_address_lock_that_address_only(client, nord_user):
    for number in range(settings.LOCKOUT_FAILURES_PER_ADDRESS):
        _post(client, f"gjett{number}", "feil-passord", ip=HOME)

    assert LOCKED in _post(client, "nord", PASSWORD, ip=HOME).text
    assert not _signed_in(client)
    assert _post(client, "nord", PASSWORD, ip=ELSEWHERE).status_code == 302


def test_successful_sign_ins_do_not_count(client, vest_user):
    for _ in range(settings.LOCKOUT_FAILURES_PER_ACCOUNT * 2):
        assert _post(client, "vest", PASSWORD).status_code == 302
        client.post(reverse("logout"))
    for _ in range(settings.LOCKOUT_FAILURES_PER_ACCOUNT - 1):
        _post(client, "vest", "feil-passord")

    assert _post(client, "vest", PASSWORD).status_code == 302  # nine failures: still open
    client.post(reverse("logout"))
    _post(client, "vest", "feil-passord")
    assert LOCKED in _post(client, "vest", PASSWORD).text  # the tenth failure locks


def test_an_inactive_user_is_answered_like_a_wrong_password(client, vest_user):
    vest_user.is_active = False
    vest_user.save()

    response = _post(client, "vest", PASSWORD)

    assert WRONG in response.text
    assert not _signed_in(client)


def test_django_admin_signs_in_through_our_page(client, admin_user):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"


def test_sign_out_is_logged(client, vest_user):
    _post(client, "vest", PASSWORD)
    client.post(reverse("logout"))

    assert not _signed_in(client)
    assert list(AuthEvent.objects.order_by("pk").values_list("kind", flat=True)) == [Kind.LOGIN, Kind.LOGOUT]


@pytest.mark.parametrize(("clock", "message"), [
    ("alis_seen_at", "uten aktivitet"),
    ("alis_signed_in_at", "Innloggingen varer i høyst"),
])
def test_an_idle_or_too_old_session_ends(client, vest_user, clock, message):
    _post(client, "vest", PASSWORD)
    assert client.get(reverse("training:overview")).status_code == 200
    session = client.session
    minutes = settings.SESSION_IDLE_MINUTES + 1 if clock == "alis_seen_at" else settings.SESSION_COOKIE_AGE // 60 + 1
    session[clock] -= minutes * 60
    if clock == "alis_signed_in_at":
        session["alis_seen_at"] = session[clock] + settings.SESSION_COOKIE_AGE  # active, but for too long
    session.save()

    response = client.get(reverse("training:overview"), follow=True)

    assert response.redirect_chain[0][0].startswith(f"{LOGIN}?next=")
    assert message in response.text
    assert not _signed_in(client)
    assert AuthEvent.objects.filter(kind=Kind.SESSION_EXPIRED, user=vest_user).count() == 1


def test_an_active_session_stays(client, vest_user):
    _post(client, "vest", PASSWORD)
    session = client.session
    session["alis_seen_at"] -= (settings.SESSION_IDLE_MINUTES - 1) * 60
    session.save()

    assert client.get(reverse("training:overview")).status_code == 200
    assert _signed_in(client)


def test_the_security_log_is_for_the_administrator(client, vest_user, admin_user):
    _post(client, "vest", "feil-passord")
    _post(client, "vest", PASSWORD)
    client.post(reverse("logout"))

    client.force_login(vest_user)
    assert client.get(reverse("auth_event_list")).status_code == 403

    client.force_login(admin_user)
    page = client.get(reverse("auth_event_list"))
    assert page.status_code == 200
    assert "Sikkerhetslogg" in page.text
    rows = [(event.kind, event.username) for event in page.context["events"]]
    assert (Kind.LOGIN_FAILED, "vest") in rows and (Kind.LOGIN, "vest") in rows and (Kind.LOGOUT, "vest") in rows
    assert "Feil brukernavn eller passord" in page.text and HOME in page.text
    assert "<td>passord</td>" in page.text

    filtered = client.get(reverse("auth_event_list"), {"hendelse": Kind.LOGIN_FAILED, "bruker": "vest"})
    assert [event.kind for event in filtered.context["events"]] == [Kind.LOGIN_FAILED]


def test_the_security_log_is_read_only_in_django_admin(client, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)

    listing = client.get("/admin/accounts/authevent/")
    assert listing.status_code == 200
    assert client.get("/admin/accounts/authevent/add/").status_code == 403


def test_a_new_password_has_at_least_twelve_characters(client, vest_user):
    """OWASP ASVS 4.0 2.1.1: passwords of at least 12 characters (Django's default was 8)."""
    caches["default"].clear()  # allauth's limit on password changes counts there, across tests
    client.force_login(vest_user)
    url = reverse("account_change_password")
    short = client.post(url, {"oldpassword": PASSWORD, "password1": "Fjell-1234", "password2": "Fjell-1234"})
    assert short.status_code == 200
    assert "minst 12 tegn" in short.text
    vest_user.refresh_from_db()
    assert vest_user.check_password(PASSWORD)
    longer = "Fjell-og-fjord-1234"
    assert client.post(url, {"oldpassword": PASSWORD, "password1": longer, "password2": longer}).status_code == 302
    vest_user.refresh_from_db()
    assert vest_user.check_password(longer)


def test_a_signed_in_request_reads_the_user_and_the_office_in_one_query(
    client, vest_user, django_assert_num_queries
) -> None:
    from accounts.backends import UserBackend

    with django_assert_num_queries(1):
        user = UserBackend().get_user(vest_user.pk)
        assert user == vest_user and user.office.code == "vest"
    vest_user.is_active = False
    vest_user.save()
    assert UserBackend().get_user(vest_user.pk) is None  # as Django's backend: an inactive user is signed out
    assert UserBackend().get_user(-1) is None
    client.force_login(vest_user)
    assert client.get(reverse("training:overview")).status_code == 302  # inactive: sent to sign in
