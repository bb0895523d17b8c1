"""The municipality answers through a short task list: a page per section, drafts, a check page, then send;
its changes become proposals the office accepts through its own forms."""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD
from core.history import history_of
from registry.models import Doctor
from survey.models import Invitation, Proposal
from survey.tests.answering import check_url, finish, finish_all, overview, section_url, send, shown
from training.models import Contract, Scheme, ServicePeriod, Status, SupervisorAssignment, Training

pytestmark = pytest.mark.django_db
Target = Proposal.Target


@pytest.fixture
def leaving(records, world) -> Training:
    """A second ALIS in Bergen, who has left."""
    doctor = Doctor.objects.create(
        first_name="Lars", last_name="Reiser", hpr_number="5555555", municipality=world.bergen
    )
    return Training.objects.create(
        doctor=doctor,
        employer=world.bergen,
        scheme=Scheme.NEW,
        contract=Contract.SALARIED,
        position_share=100,
        start=date(2023, 1, 1),
        expected_end=date(2028, 1, 1),
    )


def _statuses(client, invitation) -> dict[str, str]:
    return {s.key: s.status for s in client.get(overview(invitation)).context["answer"].sections}


def test_the_overview_lists_every_section_with_its_status(client, bergen_invitation, records):
    page = client.get(overview(bergen_invitation))
    body = page.content.decode()
    titles = [s.title for s in page.context["answer"].sections]
    assert titles == [
        "Kontaktpersoner",
        "Legekontorer",
        "ALIS: Kari Nordmann",
        "Veiledere",
        "Nye ALIS",
        "Registrering og avtaler",
    ]
    assert "Dere har fullført 0 av 6 deler." in body and body.count("Ikke startet") == 6
    contacts = f"kontakt-{records.vest_contact.pk}"
    finish(client, bergen_invitation, "kontaktpersoner", {f"{contacts}-phone": "55"}, action="draft")
    finish(client, bergen_invitation, "legekontorer")
    assert _statuses(client, bergen_invitation) | {} == {
        "kontaktpersoner": "started",
        "legekontorer": "done",
        f"alis-{records.vest_training.pk}": "not_started",
        "veiledere": "not_started",
        "nye-alis": "not_started",
        "registrering-og-avtaler": "not_started",
    }
    body = client.get(overview(bergen_invitation)).content.decode()
    assert "Dere har fullført 1 av 6 deler." in body and "Påbegynt" in body and "Ferdig" in body
    assert "Sjekk svarene dine</a>" not in body  # not before every section is finished
    finish_all(client, bergen_invitation)
    assert "Alle delene er ferdige." in client.get(overview(bergen_invitation)).content.decode()


def test_lagre_utkast_is_on_every_page_and_keeps_only_the_sections_own_fields(client, bergen_invitation, records):
    for key in [*_statuses(client, bergen_invitation), None]:
        url = section_url(bergen_invitation, key) if key else check_url(bergen_invitation)
        body = client.get(url).content.decode()
        assert 'name="action" value="draft">Lagre utkast</button>' in body, key
        # Up to the task list by its heading (the breadcrumb, «Tilbake til …» on a phone).
        up = f'href="{overview(bergen_invitation)}">{bergen_invitation.campaign.title}: Bergen</a>'
        assert up in body, key
    contact = f"kontakt-{records.vest_contact.pk}"
    data = {
        **shown(client.get(section_url(bergen_invitation, "kontaktpersoner"))),
        f"{contact}-phone": "99 88 77 66",
        f"{contact}-seen_version": "7",  # a locked field: not the municipality's to change
        f"legekontor-{records.vest_gp_office.pk}-name": "From another page",
        "anything": "x" * 10_000,
        "action": "draft",
    }
    response = client.post(section_url(bergen_invitation, "kontaktpersoner"), data)
    assert response.url == overview(bergen_invitation)
    draft = Invitation.objects.get(pk=bergen_invitation.pk).draft
    assert draft["sections"]["kontaktpersoner"] == {
        "done": False,
        "data": {
            f"{contact}-role": "training_lead",
            f"{contact}-name": "Vera Vestre",
            f"{contact}-email": "vera@bergen.kommune.no",
            f"{contact}-phone": "99 88 77 66",
        },
    }
    assert set(draft) == {"sections", "new_trainings"}
    assert 'value="99 88 77 66"' in client.get(section_url(bergen_invitation, "kontaktpersoner")).content.decode()
    assert not Proposal.objects.exists()


def test_the_whole_flow_becomes_proposals_the_office_accepts(client, bergen_invitation, records, leaving, vest_user):
    training, trust = records.vest_training, records.helse_bergen
    alis, departed = f"alis-{training.pk}", f"alis-{leaving.pk}"
    finish_all(
        client,
        bergen_invitation,
        {
            "kontaktpersoner": {
                f"kontakt-{records.vest_contact.pk}-phone": "55 55 55 55",
                "kontakt-ny-role": "post_box",
                "kontakt-ny-email": "post@bergen.kommune.no",
            },
            alis: {
                f"{alis}-position_share": "80",
                f"{alis}-sykehus-0-start": "2027-03-01",
                f"{alis}-sykehus-0-end": "2027-08-31",
                f"{alis}-sykehus-0-health_trust": str(trust.pk),
            },
            departed: {
                f"{departed}-status-working": "left",
                f"{departed}-status-ended_on": "2026-10-31",
                f"{departed}-status-leaving_reason": "municipal_job",
                f"{departed}-status-leaving_destination": "same_municipality",
            },
            "veiledere": {f"veileder-{training.pk}-name": "Nina Ny", f"veileder-{training.pk}-hpr_number": "3333333"},
            "registrering-og-avtaler": {
                "registrering-general_practice": "registered",
                "avtale-has_trust_agreement": "yes",
                "avtale-trust_agreement_text": "Avtale med Helse Bergen fra 2024.",
            },
        },
    )
    # A new ALIS, added on its own page, then the section finished.
    new = {
        "ny-alis-first_name": "Kari",
        "ny-alis-last_name": "Ny",
        "ny-alis-hpr_number": "4444444",
        "ny-alis-specialty": "general_practice",
        "ny-alis-start": "2026-09-01",
        "ny-alis-scheme": "new",
        "ny-alis-contract": "salaried",
        "ny-alis-position_share": "100",
        "ny-alis-gp_office": str(records.vest_gp_office.pk),
        "ny-alis-supervisor_name": "Per Veileder",
        "ny-alis-supervisor_hpr": "1111111",
    }
    assert client.post(section_url(bergen_invitation, "nye-alis"), {**new, "action": "add"}).status_code == 302
    assert (
        "Kari Ny (HPR 4444444), Allmennmedisin, startet 01.09.2026"
        in client.get(section_url(bergen_invitation, "nye-alis")).content.decode()
    )
    client.post(section_url(bergen_invitation, "nye-alis"), {"action": "done"})

    check = client.get(check_url(bergen_invitation)).content.decode()
    assert "<h1" in check and "Sjekk svarene dine</h1>" in check
    for line in (
        "Vera Vestre (Utdanningsansvarlig): Telefon",
        "01.03.2027–31.08.2027, Helse Bergen HF",
        "Sluttet 31.10.2026: Annen stilling i kommunen; gikk til samme kommune, annen stilling",
        "Nina Ny (3333333)",
        "Ny ALIS: Kari Ny",
        "Har kommunen avtale med helseforetaket om sykehustjenesten for ALIS?",
    ):
        assert line in check, line
    assert not Proposal.objects.exists()  # nothing is sent before «Send svaret»
    assert send(client, bergen_invitation, comment="Takk!").url == overview(bergen_invitation)

    invitation = Invitation.objects.get(pk=bergen_invitation.pk)
    assert invitation.answered_at is not None and invitation.draft == {}
    assert (invitation.has_trust_agreement, invitation.answered_by, invitation.comment) == (
        True,
        "Vera Vestre",
        "Takk!",
    )
    proposals = {(p.target, p.object_id, p.field): p for p in Proposal.objects.all()}
    assert set(proposals) == {
        (Target.CONTACT, records.vest_contact.pk, "phone"),
        (Target.CONTACT, None, ""),
        (Target.TRAINING, training.pk, "position_share"),
        (Target.NOTE, training.pk, "hospital"),
        (Target.DEPARTURE, leaving.pk, "status"),
        (Target.NOTE, training.pk, "supervisor"),
        (Target.TRAINING, None, ""),
        (Target.REGISTRATION, bergen_invitation.municipality_id, "general_practice"),
    }
    hospital = proposals[(Target.NOTE, training.pk, "hospital")]
    assert json.loads(hospital.new_value) == [
        {"start": "2027-03-01", "end": "2027-08-31", "health_trust": str(trust.pk)}
    ]
    assert hospital.old_value == "[]"
    # Nothing in the registry changes before the office accepts.
    training.refresh_from_db()
    leaving.refresh_from_db()
    assert (training.position_share, leaving.status) == (100, Status.ACTIVE)

    client.login(username=vest_user.username, password=PASSWORD)
    Doctor.objects.create(
        first_name="Nina",
        last_name="Ny",
        hpr_number="3333333",
        municipality=records.vest_doctor.municipality,
        is_specialist=True,
    )
    for proposal in Proposal.objects.all():
        response = client.post(reverse("survey:proposal_decide", args=[proposal.pk]), {"decision": "accept"})
        assert response.status_code == 302
    assert set(Proposal.objects.values_list("decision", flat=True)) == {"accepted"}, [
        (p.object_repr, p.label) for p in Proposal.objects.exclude(decision="accepted")
    ]
    leaving.refresh_from_db()
    assert (leaving.status, leaving.ended_on, leaving.leaving_reason) == (
        Status.LEFT,
        date(2026, 10, 31),
        "municipal_job",
    )
    period = ServicePeriod.objects.get(training=training, kind=ServicePeriod.Kind.HOSPITAL)
    assert (period.start, period.end, period.health_trust, period.planned) == (
        date(2027, 3, 1),
        date(2027, 8, 31),
        trust,
        True,
    )
    assert SupervisorAssignment.objects.current(date.today()).get(training=training).supervisor.hpr_number == "3333333"
    kari = Doctor.objects.get(hpr_number="4444444")
    new_training = kari.trainings.get()
    assert (new_training.employer, new_training.start, new_training.contract) == (
        bergen_invitation.municipality,
        date(2026, 9, 1),
        Contract.SALARIED,
    )
    assert SupervisorAssignment.objects.get(training=new_training).supervisor == records.vest_supervisor
    assert history_of(new_training, user=vest_user)[0].user == vest_user


def test_hospital_periods_are_rows_to_add_change_and_remove(client, nord_invitation, records, nord_user):
    training, nlsh = records.nord_training, records.nlsh
    key = f"alis-{training.pk}"
    page = client.get(section_url(nord_invitation, key))
    body = page.content.decode()
    assert 'type="date"' in body and 'value="2026-01-01"' in body and "Fjern perioden" in body
    # «Lagre og legg til en periode til» keeps what is typed and gives one more row.
    data = {**shown(page), f"{key}-sykehus-0-end": "2026-05-31", "action": "add_row"}
    assert client.post(section_url(nord_invitation, key), data).status_code == 302
    page = client.get(section_url(nord_invitation, key))
    assert page.context["built"].parts["hospital"].total_form_count() == 3
    data = {
        **shown(page),
        f"{key}-sykehus-1-start": "2026-09-01",
        f"{key}-sykehus-1-health_trust": str(nlsh.pk),
        f"{key}-sykehus-2-start": "2026-12-01",
        f"{key}-sykehus-2-end": "2026-11-01",  # before its start
        f"{key}-sykehus-2-health_trust": str(nlsh.pk),
    }
    response = finish(client, nord_invitation, key, data)
    assert response.status_code == 200
    assert "Til – Til-dato kan ikke være før fra-dato." in response.content.decode()
    # The third row emptied again (a None removes the field from what is posted), the first one removed.
    data |= {f"{key}-sykehus-2-{name}": None for name in ("start", "end", "health_trust")}
    data[f"{key}-sykehus-0-DELETE"] = "on"
    assert finish(client, nord_invitation, key, data).status_code == 302
    finish_all(client, nord_invitation)
    send(client, nord_invitation)
    proposal = Proposal.objects.get(field="hospital")
    assert proposal.new_shown == "01.09.2026–…, Nordlandssykehuset HF"
    assert proposal.old_shown == "01.01.2026–30.06.2026, Nordlandssykehuset HF"
    client.login(username=nord_user.username, password=PASSWORD)
    client.post(reverse("survey:proposal_decide", args=[proposal.pk]), {"decision": "accept"})
    periods = list(ServicePeriod.objects.filter(training=training))
    assert [(p.start, p.end) for p in periods] == [(date(2026, 9, 1), None)]  # the one period changed in place
    assert periods[0].pk == records.nord_period.pk and periods[0].version == 2


def test_errors_are_norwegian_next_to_the_field_and_the_draft_keeps_what_was_typed(client, bergen_invitation, records):
    training = records.vest_training
    alis = f"alis-{training.pk}"
    response = finish(
        client,
        bergen_invitation,
        alis,
        {f"{alis}-position_share": "150", f"{alis}-status-working": "left"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Feil: ALIS: Kari Nordmann" in body
    assert "For å gå videre må du rette dette:" in body
    assert "Stillingsandel (%) – " in body
    assert "Skriv den siste dagen ALIS-en arbeidet i kommunen." in body
    assert "Velg hvorfor ALIS-en sluttet." in body
    assert _statuses(client, bergen_invitation)[alis] == "started"
    assert 'value="150"' in client.get(section_url(bergen_invitation, alis)).content.decode()
    response = finish(client, bergen_invitation, "veiledere", {f"veileder-{training.pk}-hpr_number": "12ab"})
    assert "Skriv HPR-nummeret med sifre (4 til 9), uten mellomrom." in response.content.decode()


def test_it_will_not_send_before_every_section_is_finished(client, bergen_invitation, records):
    finish(client, bergen_invitation, "kontaktpersoner")
    response = send(client, bergen_invitation)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Disse delene er ikke ferdige ennå." in body and "Legekontorer" in body
    assert "Send svaret</button>" not in body
    bergen_invitation.refresh_from_db()
    assert bergen_invitation.answered_at is None and not Proposal.objects.exists()
    finish_all(client, bergen_invitation)
    response = client.post(check_url(bergen_invitation), {"action": "send", "svar-answered_by": ""})
    assert "Ditt navn – Fyll ut feltet." in response.content.decode()
    assert Invitation.objects.get(pk=bergen_invitation.pk).answered_at is None


def test_new_alis_are_added_one_by_one_and_can_be_removed(client, bergen_invitation, records):
    url = section_url(bergen_invitation, "nye-alis")
    response = client.post(url, {"ny-alis-first_name": "Ola", "ny-alis-start": "2010-01-01", "action": "add"})
    body = response.content.decode()
    assert "Etternavn – Fyll ut feltet." in body and "Tilknytning – Velg et alternativ." in body
    base = {
        "ny-alis-last_name": "Ny",
        "ny-alis-specialty": "community_medicine",
        "ny-alis-start": "2026-08-01",
        "ny-alis-scheme": "old",
        "ny-alis-contract": "locum",
        "ny-alis-position_share": "50",
    }
    response = client.post(url, {**base, "ny-alis-first_name": "Ola", "action": "add"})
    assert "Gammel ordning gjelder bare ALIS som startet før 1. mars 2019." in response.content.decode()
    base["ny-alis-scheme"] = "new"
    client.post(url, {**base, "ny-alis-first_name": "Ola", "action": "add"})
    client.post(url, {**base, "ny-alis-first_name": "Per", "action": "add"})
    page = client.get(url).content.decode()
    assert "For å gå videre må du rette dette" not in page  # an empty form to add the next one
    assert "Ola Ny, Samfunnsmedisin, startet 01.08.2026, Ny ordning, Vikariat, 50 %" in page
    draft = Invitation.objects.get(pk=bergen_invitation.pk).draft
    assert [row["first_name"] for row in draft["new_trainings"]] == ["Ola", "Per"]
    client.post(url, {"action": "remove-0"})
    draft = Invitation.objects.get(pk=bergen_invitation.pk).draft
    assert [row["first_name"] for row in draft["new_trainings"]] == ["Per"]
    assert _statuses(client, bergen_invitation)["nye-alis"] == "started"
    client.post(url, {"action": "done"})
    assert _statuses(client, bergen_invitation)["nye-alis"] == "done"


def test_a_draft_saved_by_the_one_page_form_is_carried_into_the_sections(client, bergen_invitation, records):
    contact = f"kontakt-{records.vest_contact.pk}"
    Invitation.objects.filter(pk=bergen_invitation.pk).update(
        draft={f"{contact}-phone": "12 34 56 78", "svar-answered_by": "Vera", "csrfmiddlewaretoken": "x"}
    )
    assert _statuses(client, bergen_invitation)["kontaktpersoner"] == "started"
    assert 'value="12 34 56 78"' in client.get(section_url(bergen_invitation, "kontaktpersoner")).content.decode()
    check = client.get(check_url(bergen_invitation)).content.decode()
    assert 'value="Vera"' in check and "For å gå videre må du rette dette" not in check


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_overview_reads_the_same_number_of_queries_with_few_and_many_alis(
    client, bergen_invitation, records, world
):
    url = overview(bergen_invitation)
    client.get(url)  # the first opening is recorded; count the later ones
    few = _queries(client, url)
    for n in range(5):
        doctor = Doctor.objects.create(first_name=f"Alis{n}", last_name="Bergensen", municipality=world.bergen)
        Training.objects.create(
            doctor=doctor,
            employer=world.bergen,
            scheme=Scheme.NEW,
            contract=Contract.SELF_EMPLOYED,
            position_share=100,
            start=date(2024, 8, 1),
            expected_end=date(2029, 7, 31),
        )
    assert client.get(url).content.decode().count("Bergensen") == 5
    assert _queries(client, url) == few
    supervisors = section_url(bergen_invitation, "veiledere")
    assert _queries(client, supervisors) <= few + 3


def test_the_office_sees_departures_and_new_alis_with_what_accepting_does(
    client, bergen_invitation, records, vest_user
):
    Invitation.objects.filter(pk=bergen_invitation.pk).update(
        answered_at=bergen_invitation.expires_at - timedelta(days=40)
    )
    Proposal.objects.create(
        invitation=bergen_invitation,
        target=Target.TRAINING,
        object_repr="Ny ALIS: Kari Ny",
        label="ny",
        new_value="{}",
        new_shown="Kari Ny, startet 01.09.2026",
    )
    client.login(username=vest_user.username, password=PASSWORD)
    body = client.get(reverse("survey:invitation_detail", args=[bergen_invitation.pk])).content.decode()
    assert "Ny ALIS: Kari Ny" in body and "«Godta» registrerer dette på ALIS-en, med historikk." in body


def test_a_city_s_gp_offices_come_ten_to_a_page(client, bergen_invitation, records, world):
    from registry.models import GpOffice

    for n in range(12):
        GpOffice.objects.create(name=f"Kontor {n:02}", municipality=world.bergen)
    sections = client.get(overview(bergen_invitation)).context["answer"].sections
    offices = [s for s in sections if s.kind == "gp_offices"]
    assert [s.title for s in offices] == ["Legekontorer 1–10 av 13", "Legekontorer 11–13 av 13"]
    first = client.get(section_url(bergen_invitation, "legekontorer-1")).content.decode()
    last = client.get(section_url(bergen_invitation, "legekontorer-2")).content.decode()
    assert "Kontor 00" in first and "Sentrum legekontor" in last and "Kontor 00" not in last
    assert "Nytt legekontor (valgfritt)" in last and "Nytt legekontor (valgfritt)" not in first
    office = GpOffice.objects.get(name="Kontor 00")
    finish_all(
        client,
        bergen_invitation,
        {
            "legekontorer-1": {f"legekontor-{office.pk}-postal_code": "5003"},
            "legekontorer-2": {"legekontor-ny-name": "Nytt senter"},
        },
    )
    send(client, bergen_invitation)
    assert {(p.target, p.object_id, p.field) for p in Proposal.objects.all()} == {
        (Target.GP_OFFICE, office.pk, "postal_code"),
        (Target.GP_OFFICE, None, ""),
    }


def test_the_check_page_shows_the_changes_and_lists_the_sections_without_any(client, bergen_invitation, records):
    finish(client, bergen_invitation, "kontaktpersoner", {f"kontakt-{records.vest_contact.pk}-phone": "55 55 55 55"})
    finish(client, bergen_invitation, "legekontorer")
    response = client.get(check_url(bergen_invitation))
    body = response.content.decode()
    assert [s.key for s in response.context["unchanged"]] == ["legekontorer"]
    assert "Vera Vestre (Utdanningsansvarlig): Telefon" in body
    assert "Uten endringer: opplysningene stemmer" in body
    assert "Denne delen har feil" not in body  # the sections not started are listed as not finished instead
    assert "Disse delene er ikke ferdige ennå." in body and "Veiledere</a>" in body
