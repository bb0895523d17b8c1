"""The «Veiledere» page: the pool with capacity and load, adding a doctor, editing the capacity."""

import re
from datetime import date

import pytest
from django.urls import reverse

from core.models import Change
from registry.models import Doctor
from supervision.models import SupervisorLink, SupervisorProfile


@pytest.fixture
def pool(records, world):
    """Per Veileder (Bergen) supervises Kari; Anne Veiledersen (Bodø) is in Nord's pool."""
    SupervisorProfile.objects.create(doctor=records.vest_supervisor, capacity=3, remote_ok=True)
    SupervisorProfile.objects.create(doctor=records.nord_supervisor, capacity=1)
    return records


def _main(html: str) -> str:
    return re.search(r"<main[^>]*>(.*)</main>", html, re.DOTALL).group(1)


def test_it_shows_its_heading_and_the_region_s_supervisors(client, pool, vest_user) -> None:
    client.force_login(vest_user)

    html = client.get(reverse("supervision:profile_list")).content.decode()

    main = _main(html)
    assert '<h1 class="ds-heading" data-size="lg">Veiledere</h1>' in main
    # The row starts with its tick box for the bulk actions (core.lists.Selection), then its header.
    row = re.search(r"<tr><td class=\"select\".*?<th scope=\"row\" data-label=\"Veileder\">.*?</tr>", main, re.DOTALL)
    row = row.group(0)
    assert 'aria-label="Velg Per Veileder"' in row
    assert ">Veileder, Per</a>" in row
    assert '<td data-label="Kapasitet" class="num">3</td>' in row
    assert '<td data-label="Veileder nå" class="num">1</td>' in row
    assert '<td data-label="Ledige plasser" class="num">2</td>' in row
    assert '<td data-label="Video">ja</td>' in row
    assert reverse("supervision:profile_edit", args=[pool.vest_supervisor.pk]) in row
    assert "Veiledersen" not in main
    assert "1 treff" in main
    assert reverse("supervision:profile_create") in main


def test_the_coordinator_sees_every_region_but_changes_none(client, pool, coordinator) -> None:
    client.force_login(coordinator)

    main = _main(client.get(reverse("supervision:profile_list")).content.decode())

    assert "Veileder, Per" in main and "Veiledersen, Anne" in main
    assert "/veiledning/veiledere/lege/" not in main and reverse("supervision:profile_create") not in main


def test_it_filters_those_with_a_free_place(client, pool, vest_user, world) -> None:
    full = Doctor.objects.create(first_name="Full", last_name="Fullsen", municipality=world.bergen)
    SupervisorProfile.objects.create(doctor=full, capacity=0)
    client.force_login(vest_user)

    main = _main(client.get(reverse("supervision:profile_list"), {"free": "on"}).content.decode())

    assert "Veileder, Per" in main and "Fullsen" not in main


def test_the_reader_gets_403(client, pool, reader) -> None:
    client.force_login(reader)

    assert client.get(reverse("supervision:profile_list")).status_code == 403


def test_it_adds_a_doctor_of_the_region_to_the_pool(client, pool, vest_user, world) -> None:
    candidate = Doctor.objects.create(
        first_name="Nora", last_name="Ny", hpr_number="5555555", municipality=world.bergen
    )
    client.force_login(vest_user)
    url = reverse("supervision:profile_create")
    assert "Legg til veileder i poolen" in client.get(url).content.decode()

    response = client.post(url, {"doctor": "", "doctor_text": "5555555", "capacity": "2", "supervises_alis": "on"})

    assert response.status_code == 302 and response["Location"] == reverse("supervision:profile_list")
    profile = SupervisorProfile.objects.get(doctor=candidate)
    assert profile.capacity == 2
    change = Change.objects.get(object_id=profile.pk, action=Change.Action.CREATE)
    assert (change.parent_id, change.user) == (candidate.pk, vest_user)


def test_it_refuses_a_doctor_already_in_the_pool_or_of_another_region(client, pool, vest_user) -> None:
    client.force_login(vest_user)
    url = reverse("supervision:profile_create")

    for doctor in (pool.vest_supervisor, pool.nord_supervisor):
        response = client.post(url, {"doctor": str(doctor.pk), "doctor_text": "x", "capacity": "1"})
        assert response.status_code == 200
    response = client.post(url, {"doctor": str(pool.nord_supervisor.pk), "capacity": "1"})
    assert "Legen er allerede i veilederpoolen, eller arbeider ikke i regionen." in response.content.decode()
    assert SupervisorProfile.objects.count() == 2


def test_only_the_region_may_add(client, pool, coordinator, reader) -> None:
    for user in (coordinator, reader):
        client.force_login(user)
        assert client.get(reverse("supervision:profile_create")).status_code == 403


def test_saving_a_profile_lands_on_the_page_that_shows_it(client, pool, vest_user, form_data) -> None:
    client.force_login(vest_user)
    url = reverse("supervision:profile_edit", args=[pool.vest_supervisor.pk])
    data = form_data(client.get(url).context["form"]) | {"capacity": "4"}

    response = client.post(url, data, follow=True)

    assert response.redirect_chain[-1][0] == reverse("supervision:profile_list")
    assert '<td data-label="Kapasitet" class="num">4</td>' in response.content.decode()


def test_revoking_a_link_asks_first(client, pool, vest_user) -> None:
    link = SupervisorLink.objects.create(supervisor=pool.vest_supervisor, expires_on=date(2030, 1, 1))
    client.force_login(vest_user)
    url = reverse("supervision:link_revoke", args=[link.pk])

    page = client.get(url).content.decode()
    assert "Trekk tilbake lenken til Per Veileder" in page and "01.01.2030" in page
    link.refresh_from_db()
    assert link.revoked_at is None

    client.post(url)
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert "Lenken er allerede trukket tilbake." in client.get(url).content.decode()


def test_the_supervisor_lists_rows_follow_every_table_they_are_read_from(client, pool, vest_user, world) -> None:
    """Kept until a table they are read from is written to (core.lists, keep_rows), also outside the forms."""
    from training.models import SupervisorAssignment

    client.force_login(vest_user)

    def row() -> str:
        html = client.get(reverse("supervision:profile_list")).content.decode()
        return re.search(r"<tr><td class=\"select\".*?Veileder, Per.*?</tr>", html, re.DOTALL).group(0)

    assert row() == row()
    assert '<td data-label="Veileder nå" class="num">1</td>' in row()
    SupervisorAssignment.objects.filter(supervisor=pool.vest_supervisor).update(end=date(2023, 1, 1))
    assert '<td data-label="Veileder nå" class="num">0</td>' in row()
    SupervisorProfile.objects.filter(doctor=pool.vest_supervisor).update(capacity=5)
    assert '<td data-label="Kapasitet" class="num">5</td>' in row()
    Doctor.objects.filter(pk=pool.vest_supervisor.pk).update(first_name="Pål")
    assert "Veileder, Pål" in client.get(reverse("supervision:profile_list")).content.decode()
