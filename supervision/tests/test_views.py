import re
from datetime import date, timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from core.models import Change
from registry.models import Doctor
from supervision import links
from supervision.models import SupervisionSession, SupervisorLink, SupervisorProfile
from training.models import Contract, SupervisorAssignment, Training


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def unsupervised(world, vest_user):
    """An ALIS in Bergen without a supervisor, and a specialist in the pool with two free places."""
    alis = Doctor.objects.create(first_name="Ida", last_name="Uten", hpr_number="3333333", municipality=world.bergen)
    training = Training.objects.create(
        doctor=alis,
        employer=world.bergen,
        contract=Contract.SALARIED,
        start=date(2024, 1, 1),
        expected_end=date(2029, 1, 1),
    )
    supervisor = Doctor.objects.create(
        first_name="Siv",
        last_name="Spesialist",
        hpr_number="4444444",
        municipality=world.bergen,
        is_specialist=True,
        email="siv@example.no",
    )
    SupervisorProfile.objects.create(doctor=supervisor, capacity=2)
    return type("U", (), {"training": training, "supervisor": supervisor})


def test_it_shows_the_pool_with_capacity_and_alis_without_supervisor(client, vest_user, unsupervised):
    response = login(client, vest_user).get(reverse("supervision:pool"))
    assert response.status_code == 200
    row = response.context["summary"].rows[0]
    assert (row.capacity, row.load, row.free, row.without_supervisor) == (2, 0, 2, 1)
    assert unsupervised.training in list(response.context["without"])


def test_it_shows_readers_only_numbers(client, reader, unsupervised):
    response = login(client, reader).get(reverse("supervision:pool"))
    assert response.status_code == 200
    assert response.context["without"] == []
    assert b"Uten" not in response.content


def test_it_ranks_proposals_and_hides_other_regions(client, vest_user, nord_user, unsupervised):
    url = reverse("supervision:proposals", args=[unsupervised.training.pk])
    response = login(client, vest_user).get(url)
    assert [doctor for _p, doctor in response.context["rows"]] == [unsupervised.supervisor]
    client.logout()
    assert login(client, nord_user).get(url).status_code == 404


def test_the_kept_proposals_carry_the_requests_own_csrf_token(vest_user, unsupervised):
    """The ranking is kept by the write counters (core.tableversions); its forms get each session's own token, and
    a supervisor leaving the pool outside the forms is no longer proposed."""
    url = reverse("supervision:proposals", args=[unsupervised.training.pk])
    pages = []
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(vest_user)
        pages.append(client.get(url).content.decode())
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1) for page in pages]
    offered = f'name="supervisor" value="{unsupervised.supervisor.pk}"'
    assert tokens[0] != tokens[1] and offered in pages[1]
    confirm = reverse("supervision:proposal_confirm", args=[unsupervised.training.pk])
    response = client.post(confirm, {"supervisor": unsupervised.supervisor.pk, "csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302 and SupervisorAssignment.objects.filter(training=unsupervised.training).exists()
    SupervisorAssignment.objects.filter(training=unsupervised.training).delete()
    SupervisorProfile.objects.filter(doctor=unsupervised.supervisor).delete()
    assert offered not in client.get(url).content.decode()


def test_it_confirms_chosen_region_proposals_in_one_go(client, vest_user, unsupervised):
    url = reverse("supervision:region_proposal") + "?office=vest"
    response = login(client, vest_user).get(url)
    assert len(response.context["pairs"]) == 1
    value = f"{unsupervised.training.pk}:{unsupervised.supervisor.pk}"
    response = client.post(reverse("supervision:region_proposal"), {"office": "vest", "pair": [value]})
    assert response.status_code == 302
    assignment = SupervisorAssignment.objects.get(training=unsupervised.training)
    assert assignment.supervisor == unsupervised.supervisor
    assert Change.objects.filter(content_type__model="supervisorassignment", object_id=assignment.pk).exists()


def _second_alis_for_a_full_supervisor(unsupervised, world, first_name: str, last_name: str) -> Training:
    """The supervisor takes one ALIS; a second ALIS in Bergen wants one too."""
    profile = unsupervised.supervisor.supervisor_profile
    profile.capacity = 1
    profile.save()
    return Training.objects.create(
        doctor=Doctor.objects.create(first_name=first_name, last_name=last_name, municipality=world.bergen),
        employer=world.bergen,
        contract=Contract.SALARIED,
        start=date(2024, 1, 1),
        expected_end=date(2029, 1, 1),
    )


def test_it_refuses_to_exceed_capacity_on_confirm(client, vest_user, unsupervised, world):
    other = _second_alis_for_a_full_supervisor(unsupervised, world, "B", "B")
    pairs = [f"{t.pk}:{unsupervised.supervisor.pk}" for t in (unsupervised.training, other)]
    login(client, vest_user).post(reverse("supervision:region_proposal"), {"office": "vest", "pair": pairs})
    assert not SupervisorAssignment.objects.exists()


def test_it_refuses_confirmation_by_other_regions_and_readers(client, nord_user, reader, unsupervised):
    url = reverse("supervision:proposal_confirm", args=[unsupervised.training.pk])
    assert login(client, nord_user).post(url, {"supervisor": unsupervised.supervisor.pk}).status_code == 404
    client.logout()
    assert login(client, reader).post(url, {"supervisor": unsupervised.supervisor.pk}).status_code == 404
    assert not SupervisorAssignment.objects.exists()


def test_it_records_a_session_and_rejects_bad_minutes(client, vest_user, records, form_data):
    url = reverse("supervision:session_create", args=[records.vest_training.pk])
    data = {"date": "2025-03-01", "minutes": "2", "kind": "individual", "supervisor": records.vest_supervisor.pk}
    response = login(client, vest_user).post(url, data)
    assert "Oppgi mellom 5 og 600 minutter." in response.content.decode()
    assert not SupervisionSession.objects.exists()
    response = client.post(url, {**data, "minutes": "60"})
    assert response.status_code == 302
    assert SupervisionSession.objects.get().minutes == 60


def test_it_hides_sessions_of_other_regions(client, nord_user, records):
    assert (
        login(client, nord_user).get(reverse("supervision:session_list", args=[records.vest_training.pk])).status_code
        == 404
    )


def test_it_lists_who_is_behind_with_bounded_queries(client, vest_user, records, django_assert_max_num_queries):
    login(client, vest_user)
    url = reverse("supervision:compliance") + "?behind=on"
    client.get(url)
    # The page and the read log; the write counters (core.tableversions); the group meetings (three, whatever the
    # rows).
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert [r.training_id for r in response.context["listing"].rows] == [records.vest_training.pk]
    row = _rows_by_name(str(response.context["listing"].tbody))["Nordmann"]
    assert re.search(r'data-label="Måneder uten" class="num">\d+<', row)  # counted for the rows shown
    for i in range(5):
        Training.objects.create(
            doctor=Doctor.objects.create(
                first_name=f"X{i}", last_name="Y", municipality=records.vest_training.employer
            ),
            employer=records.vest_training.employer,
            contract=Contract.SALARIED,
            start=date(2024, 1, 1),
            expected_end=date(2029, 1, 1),
        )
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert len(response.context["listing"].rows) == 6


def test_it_sends_a_private_link_that_confirms_and_adds_only_own_sessions(client, vest_user, records, world):
    records.vest_supervisor.email = "per@example.no"
    records.vest_supervisor.save()
    own = SupervisionSession.objects.create(
        training=records.vest_training, supervisor=records.vest_supervisor, date=date(2025, 5, 1), minutes=60
    )
    other = SupervisionSession.objects.create(
        training=records.nord_training, supervisor=records.nord_supervisor, date=date(2025, 5, 1), minutes=60
    )
    login(client, vest_user).post(reverse("supervision:link_create", args=[records.vest_training.pk]))
    assert len(mail.outbox) == 1
    link = SupervisorLink.objects.get()
    # The mailed address carries the link's signed token (signed with the second it was made: read it from the
    # mail rather than sign it again, which a new second would make differ).
    prefix = reverse("supervision:link_page", args=["TOKEN"]).split("TOKEN")[0]
    url = re.search(rf"{re.escape(prefix)}[^/\s]+/", mail.outbox[0].body).group(0)
    assert signing.loads(url.removeprefix(prefix).rstrip("/"), salt=links.SALT) == link.pk
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["sessions"]) == [own]
    assert client.post(url, {"confirm": other.pk}).status_code == 403
    client.post(url, {"confirm": own.pk})
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.confirmed and not other.confirmed
    data = {
        "ny-training": records.vest_training.pk,
        "ny-date": "2025-06-01",
        "ny-minutes": "45",
        "ny-kind": "individual",
    }
    assert client.post(url, data).status_code == 302
    assert SupervisionSession.objects.filter(source="supervisor_link", minutes=45, confirmed=True).count() == 1
    assert client.post(url, {**data, "ny-training": records.nord_training.pk}).status_code == 200
    assert SupervisionSession.objects.filter(training=records.nord_training).count() == 1


def test_it_refuses_forged_expired_and_revoked_links(client, vest_user, records):
    link = SupervisorLink.objects.create(supervisor=records.vest_supervisor, expires_on=timezone.localdate())
    assert client.get(reverse("supervision:link_page", args=["forged"])).status_code == 404
    login(client, vest_user).post(reverse("supervision:link_revoke", args=[link.pk]))
    client.logout()
    assert client.get(reverse("supervision:link_page", args=[links.token_for(link)])).status_code == 404
    expired = SupervisorLink.objects.create(
        supervisor=records.vest_supervisor, expires_on=timezone.localdate() - timedelta(days=1)
    )
    assert client.get(reverse("supervision:link_page", args=[links.token_for(expired)])).status_code == 404


def test_it_edits_a_supervisor_profile_with_history(client, vest_user, nord_user, records, form_data):
    url = reverse("supervision:profile_edit", args=[records.vest_supervisor.pk])
    response = login(client, vest_user).get(url)
    data = {**form_data(response.context["form"]), "capacity": "3", "remote_ok": "on"}
    assert client.post(url, data).status_code == 302
    profile = SupervisorProfile.objects.get(doctor=records.vest_supervisor)
    assert (profile.capacity, profile.remote_ok) == (3, True)
    response = client.post(url, {**data, "capacity": "25"})
    assert "Ingen veileder kan ha mer enn 20 ALIS." in response.content.decode()
    client.logout()
    assert login(client, nord_user).get(url).status_code == 404


# Supervision judged by each scheme's own rule: where the rule sets no hours, «ikke vurdert» and why.


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def schemes(world, records):
    """In Bergen, besides the new-scheme Kari Nordmann: «Gammel» (allmennmedisin, old scheme) and «Samfunn»
    (samfunnsmedisin, new scheme), each with a supervisor and an hour of individual and of group supervision."""
    today = timezone.localdate()

    def training(last_name: str, **fields) -> Training:
        doctor = Doctor.objects.create(first_name="Alis", last_name=last_name, municipality=world.bergen)
        values = {"contract": Contract.SALARIED, "start": date(2018, 5, 1), "expected_end": today + timedelta(400)}
        training = Training.objects.create(doctor=doctor, employer=world.bergen, **(values | fields))
        SupervisorAssignment.objects.create(training=training, supervisor=records.vest_supervisor, start=training.start)
        for kind in ("individual", "group"):
            SupervisionSession.objects.create(
                training=training, supervisor=records.vest_supervisor, date=today - timedelta(30), minutes=60, kind=kind
            )
        return training

    return type(
        "Schemes",
        (),
        {
            "old": training("Gammel", scheme="old"),
            "community": training(
                "Samfunn",
                specialty="community_medicine",
                start=today - timedelta(200),
                expected_end=today + timedelta(1600),  # time enough for the 90 hours of group supervision
            ),
        },
    )


def test_an_old_scheme_alis_is_not_judged_and_the_page_says_why(client, vest_user, schemes):
    response = login(client, vest_user).get(reverse("supervision:session_list", args=[schemes.old.pk]))

    page = _text(response)
    assert response.context["status"].judged is False
    assert "1 timer registrert" in page
    assert "ikke vurdert Kravet: ikke et krav i gammel ordning." in page
    assert "ikke vurdert Kravet: 2 år i veiledningsgruppe (kilden oppgir ikke timer)." in page
    assert "Kilde: alis.no «Gammel spesialistutdanning»" in page
    assert "I rute" not in page and "None" not in page and "Ligger etter" not in page


def test_community_medicine_judges_group_supervision_only(client, vest_user, schemes):
    response = login(client, vest_user).get(reverse("supervision:session_list", args=[schemes.community.pk]))

    page = _text(response)
    assert "ikke vurdert Kravet: i hele utdanningsløpet (kilden oppgir ikke timer)." in page
    assert "Gruppeveiledning 1 av 90 timer" in page
    assert "None" not in page


def test_the_new_scheme_is_still_judged_in_hours(client, vest_user, records):
    response = login(client, vest_user).get(reverse("supervision:session_list", args=[records.vest_training.pk]))

    page = _text(response)
    assert "0 av 42 timer" in page and "Ligger etter" in page
    assert "0 av 120 timer" in page
    assert "ikke vurdert" not in page


def test_the_compliance_list_says_not_judged_for_both_schemes(client, vest_user, records, schemes):
    response = login(client, vest_user).get(reverse("supervision:compliance"))

    table = str(response.context["listing"].tbody)
    cells = {name: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for name, row in _rows_by_name(table).items()}
    assert set(cells) == {"Nordmann", "Gammel", "Samfunn"}
    assert "ikke vurdert: ikke et krav i gammel ordning" in cells["Gammel"]
    assert "1 ikke vurdert: 2 år i veiledningsgruppe (kilden oppgir ikke timer)" in cells["Gammel"]
    assert "Ikke vurdert" in cells["Gammel"] and "I rute" not in cells["Gammel"]
    assert "ikke vurdert: i hele utdanningsløpet (kilden oppgir ikke timer)" in cells["Samfunn"]
    assert "1 / 90" in cells["Samfunn"] and "I rute for gruppeveiledning" in cells["Samfunn"]
    assert "Ligger etter" in cells["Nordmann"]
    assert "None" not in table


def _rows_by_name(tbody: str) -> dict[str, str]:
    return {re.search(r">([^<>,]+),", row).group(1): row for row in re.findall(r"<tr>.*?</tr>", tbody, re.DOTALL)}


def test_the_region_proposal_is_made_again_after_a_confirmation(client, vest_user, unsupervised):
    """The region's matching is kept per data version (core.dataversion): a confirmed pair leaves the proposal."""
    url = reverse("supervision:region_proposal") + "?office=vest"
    login(client, vest_user)
    first, again = client.get(url), client.get(url)
    assert [t for _p, t, _d in first.context["pairs"]] == [unsupervised.training]
    assert again.context["pairs"] == first.context["pairs"]
    value = f"{unsupervised.training.pk}:{unsupervised.supervisor.pk}"
    client.post(reverse("supervision:region_proposal"), {"office": "vest", "pair": [value]})
    assert client.get(url).context["pairs"] == []


def test_the_pool_lists_the_first_without_a_supervisor_and_links_to_all(
    client, vest_user, unsupervised, world, monkeypatch
):
    from supervision import views

    monkeypatch.setattr(views, "WITHOUT_SHOWN", 1)
    Training.objects.create(
        doctor=Doctor.objects.create(first_name="Berit", last_name="Aasen", municipality=world.bergen),
        employer=world.bergen,
        contract=Contract.SALARIED,
        start=date(2024, 1, 1),
        expected_end=date(2029, 1, 1),
    )
    response = login(client, vest_user).get(reverse("supervision:pool"))
    page = response.content.decode()
    assert len(response.context["without"]) == 1
    assert "Viser de 1 første av 2." in page
    assert f"{reverse('training:list')}?no_supervisor=on&amp;office=vest" in page


def test_the_region_proposal_rows_show_the_pair_and_only_the_region_may_tick(
    client, vest_user, coordinator, unsupervised
):
    url = reverse("supervision:region_proposal") + "?office=vest"
    training, supervisor = unsupervised.training, unsupervised.supervisor
    page = login(client, vest_user).get(url).content.decode()
    row = re.search(r"<tr><td><input[^\n]*?</tr>", page).group(0)
    assert f'value="{training.pk}:{supervisor.pk}"' in row and " disabled" not in row
    assert f"Bekreft {supervisor.full_name} som veileder for {training.doctor.full_name}" in row
    assert reverse("supervision:proposals", args=[training.pk]) in row
    client.logout()
    page = login(client, coordinator).get(url).content.decode()
    assert re.search(r"<tr><td><input[^\n]*? disabled>", page)


def test_the_region_proposal_lists_the_alis_it_finds_no_supervisor_for(client, vest_user, unsupervised, world):
    other = _second_alis_for_a_full_supervisor(unsupervised, world, "Berit", "Aasen")
    response = login(client, vest_user).get(reverse("supervision:region_proposal") + "?office=vest")
    left = response.context["unmatched"][0]
    assert len(response.context["pairs"]) == 1 and left in (unsupervised.training, other)
    page = response.content.decode()
    assert "ALIS uten forslag" in page
    link = reverse("supervision:proposals", args=[left.pk])
    assert f'<li><a class="ds-link" href="{link}">{left.doctor.full_name}</a>, {world.bergen.name}</li>' in page


def test_the_pools_alis_without_a_supervisor_are_kept_until_their_tables_change(
    client, vest_user, nord_user, unsupervised, world
):
    """Kept by the write counters (core.tableversions): a write outside the forms is seen at once."""
    url = reverse("supervision:pool")
    login(client, vest_user)

    def names() -> list[str]:
        return [t.doctor.last_name for t in client.get(url).context["without"]]

    assert names() == names() == ["Uten"]
    SupervisorAssignment.objects.bulk_create(
        [
            SupervisorAssignment(
                training=unsupervised.training, supervisor=unsupervised.supervisor, start=date(2024, 1, 1)
            )
        ]
    )
    assert names() == []
    SupervisorAssignment.objects.filter(training=unsupervised.training).delete()
    Doctor.objects.filter(pk=unsupervised.training.doctor_id).update(last_name="Omdøpt")  # the rows show the name
    assert names() == ["Omdøpt"]
    login(client, nord_user)
    assert names() == []  # another region's pool, its own rows


def test_the_compliance_rows_are_kept_until_their_tables_change(client, vest_user, records):
    """Kept by the write counters (core.tableversions): a session written outside the forms is counted at once."""
    url = reverse("supervision:compliance")
    login(client, vest_user)

    def logged() -> str:
        row = _rows_by_name(str(client.get(url).context["listing"].tbody))["Nordmann"]
        return re.search(r'data-label="Timer siste 12 mnd." class="num">([^<]*)<', row).group(1)

    before = logged()
    assert logged() == before
    SupervisionSession.objects.bulk_create(
        [
            SupervisionSession(
                training=records.vest_training,
                supervisor=records.vest_supervisor,
                date=timezone.localdate() - timedelta(days=10),
                minutes=600,
            )
        ]
    )
    assert logged() != before


def test_the_session_list_is_kept_until_its_tables_change(client, vest_user, records):
    """The status and the rows are written once per data change (core.tableversions): a session written outside the
    forms is listed at once."""
    url = reverse("supervision:session_list", args=[records.vest_training.pk])
    login(client, vest_user)
    assert "Ingen veiledningstimer registrert." in client.get(url).text
    (session,) = SupervisionSession.objects.bulk_create(
        [
            SupervisionSession(
                training=records.vest_training, supervisor=records.vest_supervisor, date=date(2025, 6, 2), minutes=45
            )
        ]
    )
    page = client.get(url).text
    assert "02.06.2025" in page and reverse("supervision:session_edit", args=[session.pk]) in page
