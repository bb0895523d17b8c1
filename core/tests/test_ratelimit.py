"""Rate limits on the public pages: per address, a Norwegian 429 page, and the proxy's address behind it."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import DatabaseError
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from core import ratelimit
from courses.models import Registration
from courses.tests.conftest import make_course
from supervision import links
from supervision.models import SupervisorLink

pytestmark = pytest.mark.django_db


def _signup_data(world, n: int) -> dict:
    return {
        "name": f"Lege {n}", "email": f"lege{n}@example.no", "phone": "912 34 567", "municipality": world.bergen.pk,
        "hpr_number": "", "supervises": "alis", "website": "",
    }  # fmt: skip


def test_the_course_sign_up_stops_a_flood_from_one_address(world, monkeypatch) -> None:
    monkeypatch.setitem(ratelimit.LIMITS, "course-signup", ratelimit.Limit("course-signup", 3, 3600, ("POST",)))
    course = make_course(world.vest, capacity=100)
    url = reverse("courses:signup", args=[course.pk])
    bot = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(3):
        assert bot.post(url, _signup_data(world, n)).status_code == 302
    refused = bot.post(url, _signup_data(world, 3))
    assert refused.status_code == 429
    assert "For mange forespørsler" in refused.text
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "no-store" in refused["Cache-Control"]
    assert Registration.objects.count() == 3
    assert bot.get(url).status_code == 200  # reading the form is not counted
    other = Client(REMOTE_ADDR="198.51.100.20")  # another address has its own count
    assert other.post(url, _signup_data(world, 4)).status_code == 302


def test_the_default_limit_lets_an_office_sign_up_a_room_full(world) -> None:
    course = make_course(world.vest, capacity=100)
    url = reverse("courses:signup", args=[course.pk])
    client = Client(REMOTE_ADDR="203.0.113.8")
    statuses = [client.post(url, _signup_data(world, n)).status_code for n in range(21)]
    assert statuses == [302] * 20 + [429]


def test_the_private_links_are_limited_per_address(records, monkeypatch) -> None:
    monkeypatch.setitem(ratelimit.LIMITS, "supervisor-link", ratelimit.Limit("supervisor-link", 2, 3600))
    monkeypatch.setitem(ratelimit.LIMITS, "mapping-link", ratelimit.Limit("mapping-link", 2, 3600))
    link = SupervisorLink.objects.create(supervisor=records.vest_supervisor, expires_on=date.today() + timedelta(7))
    client = Client(REMOTE_ADDR="203.0.113.9")
    supervisor_url = reverse("supervision:link_page", args=[links.token_for(link)])
    assert [client.get(supervisor_url).status_code for _ in range(3)] == [200, 200, 429]
    # Guessing mapping links: every guess counts, found or not.
    guesses = [client.get(reverse("survey:answer", args=[f"gjett{n}"])).status_code for n in range(3)]
    assert guesses == [404, 404, 429]


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    return RequestFactory().get("/", **meta)


def test_it_counts_the_address_the_proxy_saw_not_what_the_client_claims() -> None:
    assert ratelimit.client_address(_request("203.0.113.5")) == "203.0.113.5"
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1):
        # The client wrote the first entry itself; the proxy appended the address it saw.
        assert ratelimit.client_address(_request("127.0.0.1", "10.9.9.9, 203.0.113.5")) == "203.0.113.5"


def test_an_ipv6_visitor_counts_as_their_whole_64() -> None:
    assert ratelimit.client_address(_request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert ratelimit.client_address(_request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"
    assert ratelimit.client_address(_request("::ffff:203.0.113.5")) == "203.0.113.5"


def test_it_lets_requests_through_when_the_counters_are_unreachable(world, caplog) -> None:
    course = make_course(world.vest, capacity=100)
    with mock.patch("core.ratelimit.caches") as caches:
        caches.__getitem__.return_value.add.side_effect = DatabaseError("no such table: core_ratelimit_cache")
        response = Client().post(reverse("courses:signup", args=[course.pk]), _signup_data(world, 1))
    assert response.status_code == 302
    assert "Rate limit counters unavailable" in caplog.text


def test_allauths_own_limits_answer_with_the_norwegian_page(vest_user) -> None:
    """allauth limits a password change to 5 a minute per user and renders 429.html without `minutes`: it
    answered 500 (found by the fuzz of every form, test_security_sweep.py)."""
    caches["default"].clear()  # allauth counts in the default cache, which outlives a test's database
    client = Client()
    client.force_login(vest_user)
    url = reverse("account_change_password")
    wrong = {"oldpassword": "feil", "password1": "x", "password2": "y"}
    statuses = [client.post(url, wrong).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    refused = client.post(url, wrong)
    assert refused.status_code == 429
    assert "For mange forespørsler" in refused.text
    assert "Vent litt og prøv igjen." in refused.text
