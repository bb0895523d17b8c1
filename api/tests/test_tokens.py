"""Personal API tokens: made and revoked by their user, stored hashed, refused when no longer good, throttled."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.tests.conftest import ApiClient, problem
from api.tokens import MAX_DAYS, digest, token_create
from conftest import PASSWORD

ME = "/api/v1/me/"


def test_it_stores_only_a_digest_of_the_token(vest_user):
    row, token = token_create(user=vest_user, name="Skript")
    row.refresh_from_db()
    assert token.startswith("alis_") and len(token) > 40
    assert row.digest == digest(token) and token not in (row.digest, row.prefix)
    assert token.startswith(row.prefix)
    assert not ApiToken.objects.filter(digest=token).exists()


def test_a_token_acts_as_its_user(vest_user):
    _row, token = token_create(user=vest_user, name="Skript")
    body = ApiClient(token).get(ME).json()
    assert body["username"] == "vest" and body["role"] == "office_staff"
    assert body["office"]["code"] == "vest" and body["token_name"] == "Skript"


def test_it_records_when_a_token_was_last_used(vest_user):
    row, token = token_create(user=vest_user, name="Skript")
    assert row.last_used_at is None
    ApiClient(token).get(ME)
    row.refresh_from_db()
    assert row.last_used_at is not None


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer alis_feil", "Basic dmVzdDp4", "Bearer " + "x" * 5000])
def test_it_answers_401_without_a_good_token(world, header):
    client = ApiClient()
    response = client.get(ME, headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert problem(response)["code"] == "unauthenticated"


@pytest.mark.parametrize("spoil", ["revoke", "expire", "deactivate"])
def test_it_refuses_a_revoked_or_expired_token_and_an_inactive_user(vest_user, spoil):
    row, token = token_create(user=vest_user, name="Skript")
    client = ApiClient(token)
    assert client.get(ME).status_code == 200
    if spoil == "revoke":
        row.revoked_at = timezone.now()
        row.save()
    elif spoil == "expire":
        now = timezone.now()
        spoiled = {"created_at": now - timedelta(days=2), "expires_at": now - timedelta(seconds=1)}
        ApiToken.objects.filter(pk=row.pk).update(**spoiled)
    else:
        vest_user.is_active = False
        vest_user.save()
    response = client.get(ME)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_token_lives_at_most_a_year(vest_user):
    with pytest.raises(ValueError):
        token_create(user=vest_user, name="For lenge", days=MAX_DAYS + 1)
    row, _token = token_create(user=vest_user, name="Et år", days=MAX_DAYS)
    assert row.expires_at - row.created_at <= timedelta(days=MAX_DAYS, seconds=1)


def test_the_command_prints_a_working_token(vest_user):
    out = StringIO()
    call_command("api_token", "--user", "vest", "--name", "Rapport", "--days", "30", stdout=out)
    token = out.getvalue().strip()
    assert ApiClient(token).get(ME).json()["token_name"] == "Rapport"
    row = ApiToken.objects.get(user=vest_user)
    assert timedelta(days=29) < row.expires_at - timezone.now() <= timedelta(days=30)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "finnes-ikke", "--name", "x"], "Fant ingen bruker"),
        (["--user", "vest", "--name", "x", "--days", "400"], "--days"),
        (["--user", "vest", "--name", " "], "--name"),
    ],
)
def test_the_command_refuses_bad_arguments(vest_user, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("api_token", *args, stdout=StringIO())


def _page_client(user):
    from django.test import Client

    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_page_makes_a_token_and_shows_it_once(vest_user):
    client = _page_client(vest_user)
    url = reverse("api:token_list")
    page = client.get(url)
    assert page.status_code == 200
    assert "API-nøkler" in page.content.decode() and "Du har ingen API-nøkler." in page.content.decode()
    response = client.post(url, {"name": "Årsstatistikk", "days": "90"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    token = response.context["created"]
    assert token in response.content.decode()
    assert ApiClient(token).get(ME).json()["token_name"] == "Årsstatistikk"
    again = client.get(url).content.decode()
    assert "Årsstatistikk" in again and token not in again


def test_the_page_refuses_more_than_a_year(vest_user):
    response = _page_client(vest_user).post(reverse("api:token_list"), {"name": "x", "days": "366"})
    assert response.status_code == 200
    assert response.context["form"].errors["days"]
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_own_token_but_no_one_elses(vest_user, nord_user):
    row, token = token_create(user=vest_user, name="Skript")
    nord = _page_client(nord_user)
    assert nord.post(reverse("api:token_revoke", args=[row.pk])).status_code == 404
    assert ApiClient(token).get(ME).status_code == 200
    vest = _page_client(vest_user)
    response = vest.post(reverse("api:token_revoke", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert ApiClient(token).get(ME).status_code == 401
    assert "Trukket tilbake" in vest.get(reverse("api:token_list")).content.decode()


def test_the_page_needs_a_signed_in_user(world):
    from django.test import Client

    response = Client().get(reverse("api:token_list"))
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


def test_it_throttles_per_token_with_retry_after(vest_user, nord_user, settings):
    settings.API_THROTTLE_RATE = "3/min"
    _row, vest_token = token_create(user=vest_user, name="a")
    _row, nord_token = token_create(user=nord_user, name="b")
    vest, nord = ApiClient(vest_token), ApiClient(nord_token)
    assert [vest.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    response = vest.get(ME)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 61
    assert problem(response)["code"] == "throttled"
    assert nord.get(ME).status_code == 200  # another token has its own count
