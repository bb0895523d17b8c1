"""The administrator reads the read log in the app: all of it, per user and per doctor, by date, paged."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Read


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reads(records, vest_user, coordinator):
    """Vest read Kari Nordmann's training yesterday and today; the coordinator listed the doctors last year."""
    now = timezone.now()
    training = records.vest_training
    made = [
        Read.objects.create(
            user=vest_user, doctor=records.vest_doctor, at=now - timedelta(days=1), view="training:detail",
            page=f"/alis/{training.pk}/", content_type_id=_ct(training), object_id=training.pk,
        ),
        Read.objects.create(
            user=vest_user, doctor=records.vest_doctor, at=now, view="registry:doctor_detail",
            page=f"/register/leger/{records.vest_doctor.pk}/", content_type_id=_ct(records.vest_doctor),
            object_id=records.vest_doctor.pk,
        ),
        Read.objects.create(
            user=coordinator, at=now - timedelta(days=400), kind="list", view="registry:doctor_list",
            page="/register/leger/?q=Hansen", label="Leger i regionen", rows=1,
        ),
        Read.objects.create(
            user=coordinator, doctor=records.nord_doctor, at=now, view="registry:doctor_detail",
            page=f"/register/leger/{records.nord_doctor.pk}/", content_type_id=_ct(records.nord_doctor),
            object_id=records.nord_doctor.pk,
        ),
    ]  # fmt: skip
    return made


def _ct(instance) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(instance).pk


def test_only_the_administrator_opens_the_read_log(records, vest_user, coordinator, reader, admin_user) -> None:
    urls = [
        reverse("privacy:read_list"),
        reverse("privacy:user_reads", args=[vest_user.pk]),
        reverse("privacy:doctor_reads", args=[records.vest_doctor.pk]),
    ]
    for user in (vest_user, coordinator, reader):
        assert [_client(user).get(url).status_code for url in urls] == [403, 403, 403]
    assert [_client(admin_user).get(url).status_code for url in urls] == [200, 200, 200]
    assert Client().get(urls[0]).status_code == 302


def test_the_whole_log_shows_who_read_what_newest_first(reads, admin_user) -> None:
    page = _client(admin_user).get(reverse("privacy:read_list"))

    assert "<h1" in page.text and "Lesingslogg" in page.text
    rows = page.context["listing"].rows
    assert list(rows)[:2] == [reads[3], reads[1]] or list(rows)[:2] == [reads[1], reads[3]]
    assert [r.pk for r in rows][-1] == reads[2].pk  # last year's list, last
    assert "Kari Nordmann" in page.text and "Liste: Leger i regionen, 1 rad" in page.text
    assert "/register/leger/?q=Hansen" in page.text


def test_the_log_is_filtered_by_date_user_and_kind(reads, admin_user, coordinator) -> None:
    client = _client(admin_user)
    url = reverse("privacy:read_list")
    today = timezone.localdate()

    assert client.get(url, {"start": today.isoformat()}).context["listing"].count == 2
    assert client.get(url, {"end": (today - timedelta(days=2)).isoformat()}).context["listing"].count == 1
    assert client.get(url, {"user": coordinator.pk}).context["listing"].count == 2
    assert client.get(url, {"kind": "list"}).context["listing"].count == 1
    refused = client.get(url, {"start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat()})
    assert refused.context["listing"].count == 0
    assert "Til-datoen kan ikke være før fra-datoen." in refused.text


def test_per_doctor_who_read_them_when_and_on_which_page(reads, admin_user, records, vest_user) -> None:
    page = _client(admin_user).get(reverse("privacy:doctor_reads", args=[records.vest_doctor.pk]))

    assert "Hvem har lest om Kari Nordmann" in page.text
    # Opening the page is itself a read of the doctor: the newest.
    own = Read.objects.get(user=admin_user, doctor=records.vest_doctor)
    assert [r.pk for r in page.context["listing"].rows] == [own.pk, reads[1].pk, reads[0].pk]
    assert f"/alis/{records.vest_training.pk}/" in page.text and vest_user.username in page.text
    assert "Ola Hansen" not in page.text


def test_per_user_what_they_read(reads, admin_user, coordinator) -> None:
    page = _client(admin_user).get(reverse("privacy:user_reads", args=[coordinator.pk]))

    assert [r.pk for r in page.context["listing"].rows] == [reads[3].pk, reads[2].pk]
    assert "Ola Hansen" in page.text and "Kari Nordmann" not in page.text


def test_the_log_is_paged_with_a_bounded_number_of_queries(records, admin_user, vest_user,
                                                           django_assert_max_num_queries) -> None:  # fmt: skip
    Read.objects.bulk_create(Read(user=vest_user, doctor=records.vest_doctor, page=f"/{n}/") for n in range(120))
    client = _client(admin_user)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("privacy:read_list"), {"page": 2})
    assert page.context["listing"].count == 120 and len(page.context["listing"].rows) == 50


def test_the_doctor_page_links_to_privacy_for_the_administrator_only(records, admin_user, vest_user) -> None:
    url = reverse("registry:doctor_detail", args=[records.vest_doctor.pk])
    link = reverse("privacy:doctor", args=[records.vest_doctor.pk])

    assert link in _client(admin_user).get(url).text
    assert link not in _client(vest_user).get(url).text


def test_the_security_log_links_to_the_read_log(admin_user) -> None:
    from accounts.models import AuthEvent

    AuthEvent.objects.create(kind="login", user=admin_user, username=admin_user.username)
    page = _client(admin_user).get(reverse("auth_event_list"))

    assert reverse("privacy:read_list") in page.text
    assert reverse("privacy:user_reads", args=[admin_user.pk]) in page.text
