"""OWASP ASVS 4.0 7.2.2: refused requests in the security log: a page the user may not open (403) and a form
that failed its CSRF check, with user, page and address, once per user and page within a few minutes."""

from datetime import timedelta

from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from accounts import events
from accounts.models import AuthEvent

Kind = AuthEvent.Kind
ADDRESS = "192.0.2.10"  # a documentation address (RFC 5737)


def test_a_refused_page_is_logged_with_user_page_and_address_once(client, vest_user):
    client.force_login(vest_user)
    url = reverse("auth_event_list")

    for _ in range(3):
        response = client.get(url, {"bruker": "Kari Nordmann"}, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT="Test/1.0")
        assert response.status_code == 403
        assert "Du har ikke tilgang til dette" in response.text

    (event,) = AuthEvent.objects.filter(kind=Kind.ACCESS_DENIED)
    assert (event.user, event.username, event.path, event.ip, event.user_agent) == (
        vest_user, "vest", url, ADDRESS, "Test/1.0",
    )  # fmt: skip
    # Once the quiet period has passed, the next refusal is logged again; another page at once.
    AuthEvent.objects.update(at=event.at - events.REFUSAL_QUIET_PERIOD - timedelta(seconds=1))
    client.get(url, REMOTE_ADDR=ADDRESS)
    client.get(reverse("privacy:read_list"), REMOTE_ADDR=ADDRESS)
    assert AuthEvent.objects.filter(kind=Kind.ACCESS_DENIED).count() == 3


def test_a_form_without_its_csrf_token_is_refused_and_logged(vest_user):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "vest", "password": "x"}, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 403
    assert "<h1" in response.text and "Skjemaet ble ikke sendt" in response.text  # the app's page, in Norwegian
    assert "Det du skrev, er ikke lagret" in response.text
    event = AuthEvent.objects.get(kind=Kind.CSRF_FAILED)
    assert (event.user, event.username, event.path, event.ip) == (None, "", "/logg-inn/", ADDRESS)
    assert not AuthEvent.objects.filter(kind=Kind.LOGIN_FAILED).exists()  # refused before the password was read

    client.force_login(vest_user)
    client.post(reverse("account_change_password"), {}, REMOTE_ADDR=ADDRESS)
    assert AuthEvent.objects.get(kind=Kind.CSRF_FAILED, user=vest_user).path == reverse("account_change_password")


def test_the_log_keeps_no_private_link_token_nor_file_name():
    for path, logged in (
        ("/veiledning/veileder/hemmelig-nokkel-123/", "/veiledning/veileder/…/"),
        ("/arkiv/filer/7/Avtale Kari Nordmann.pdf", "/arkiv/filer/7/…"),
        ("/alis/12/", "/alis/12/"),
    ):
        request = RequestFactory().get(path, {"q": "Kari"})
        request.resolver_match = resolve(path)
        assert events.logged_path(request) == logged


def test_the_administrator_sees_refusals_in_the_security_log(client, vest_user, admin_user):
    client.force_login(vest_user)
    client.get(reverse("auth_event_list"), REMOTE_ADDR=ADDRESS)
    client.force_login(admin_user)

    page = client.get(reverse("auth_event_list"), {"hendelse": Kind.ACCESS_DENIED})

    assert [(e.kind, e.username) for e in page.context["events"]] == [(Kind.ACCESS_DENIED, "vest")]
    assert "Avvist: ingen tilgang til siden" in page.text
    assert f"<code>{reverse('auth_event_list')}</code>" in page.text and ADDRESS in page.text
