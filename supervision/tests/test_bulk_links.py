"""E-mail every chosen supervisor their own private link: the confirmation page, then the task worker."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import PASSWORD
from registry.models import Doctor
from supervision import links
from supervision.models import SupervisorLink, SupervisorProfile
from training.models import SupervisorAssignment, Training

URL = reverse("supervision:profile_links_send")


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def _supervisors(world, municipality, count: int, *, prefix: str = "Veileder") -> list[Doctor]:
    """Supervisors in the pool, each supervising an ALIS of their own now, each with an e-mail address."""
    found = []
    for i in range(count):
        doctor = Doctor.objects.create(
            first_name=f"{prefix}{i:02}", last_name="Pool", municipality=municipality, is_specialist=True,
            email=f"{prefix.lower()}{i:02}@example.no",
        )
        SupervisorProfile.objects.create(doctor=doctor, capacity=2)
        alis = Doctor.objects.create(first_name=f"Alis{i:02}", last_name="Lege", municipality=municipality)
        training = Training.objects.create(
            doctor=alis, employer=municipality, start=date(2024, 1, 1), expected_end=date(2029, 1, 1)
        )
        SupervisorAssignment.objects.create(training=training, supervisor=doctor, start=date(2024, 1, 1))
        found.append(doctor)
    return found


def _ids(doctors) -> list[str]:
    return [str(d.pk) for d in doctors]


# Committed for real: the worker closes its database connections when done, and the links are e-mailed only once
# the request has saved them (on commit).
@pytest.mark.django_db(transaction=True)
def test_it_mails_20_supervisors_each_their_own_link_through_the_task_worker(client, settings, world, vest_user,
                                                                             mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    vest = _supervisors(world, world.bergen, 20)
    nord = _supervisors(world, world.bodo, 1, prefix="Nord")
    login(client, vest_user)

    page = client.get(URL, {"valgt": _ids(vest + nord)}).content.decode()
    assert "Send personlig lenke til veiledere" in page and "Gjelder 20 rader" in page
    assert "veileder00@example.no" in page and "nord00@example.no" not in page  # another region: not found at all
    assert SupervisorLink.objects.count() == 0 and mailoutbox == []

    response = client.post(URL, {"valgt": _ids(vest + nord), "confirm": "1"})
    assert response.status_code == 302 and response.url == reverse("supervision:profile_list")
    assert SupervisorLink.objects.count() == 20
    assert not SupervisorLink.objects.filter(supervisor__in=nord).exists()
    assert mailoutbox == []  # queued for the worker, not sent in the request

    call_command("db_worker", "--batch", "--no-startup-delay")
    assert len(mailoutbox) == 20
    tokens = set()
    for message in mailoutbox:
        (address,) = message.to
        token = re.search(r"/veiledning/veileder/([^/\s]+)/", message.body).group(1)
        link = links.link_from_token(token)
        assert link is not None and link.supervisor.email == address  # each their own link
        tokens.add(token)
    assert {m.to[0] for m in mailoutbox} == {d.email for d in vest}
    assert len(tokens) == 20


def test_it_shows_who_is_left_out_and_why(client, world, vest_user, mailoutbox, django_capture_on_commit_callbacks):
    with_alis, without_email, without_alis = _supervisors(world, world.bergen, 3)
    Doctor.objects.filter(pk=without_email.pk).update(email="")
    SupervisorAssignment.objects.filter(supervisor=without_alis).delete()
    login(client, vest_user)
    page = client.get(URL, {"valgt": _ids([with_alis, without_email, without_alis])}).content.decode()
    assert "Gjelder 1 rad" in page
    assert "Veileder01 Pool: har ingen e-postadresse" in page
    assert "Veileder02 Pool: veileder ingen ALIS nå; lenken ville vært tom" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"valgt": _ids([with_alis, without_email, without_alis]), "confirm": "1"})
    assert [m.to for m in mailoutbox] == [[with_alis.email]]


def test_it_takes_all_rows_of_the_lists_filter(client, world, vest_user):
    _supervisors(world, world.bergen, 3)
    login(client, vest_user)
    page = client.get(URL, {"alle": "1", "q": "Veileder01"}).content.decode()
    assert "Gjelder 1 rad" in page and "veileder01@example.no" in page


def test_it_offers_the_action_on_the_list_only_to_those_who_may(client, world, vest_user, coordinator):
    _supervisors(world, world.bergen, 1)
    page = login(client, vest_user).get(reverse("supervision:profile_list")).content.decode()
    assert 'form="valg"' in page and "Send personlig lenke: alle 1 treff" in page
    page = login(client, coordinator).get(reverse("supervision:profile_list")).content.decode()
    assert 'form="valg"' not in page
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"valgt": ["1"], "confirm": "1"}).status_code == 403
