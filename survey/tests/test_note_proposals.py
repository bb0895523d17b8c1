"""Accepting a proposed supervisor or planned hospital service registers it through the training forms."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse

from conftest import PASSWORD
from core.models import Change
from registry.models import Doctor
from survey import rules
from survey.models import Proposal
from training.models import ServicePeriod, SupervisorAssignment

pytestmark = pytest.mark.django_db
Target = Proposal.Target


def _note(invitation, training, field: str, old: str, new: str) -> Proposal:
    return Proposal.objects.create(
        invitation=invitation,
        target=Target.NOTE,
        object_id=training.pk,
        object_repr=str(training.doctor),
        field=field,
        label=field,
        old_value=old,
        new_value=new,
        old_shown=old,
        new_shown=new,
    )


def _decide(client, user, proposal):
    client.login(username=user.username, password=PASSWORD)
    return client.post(reverse("survey:proposal_decide", args=[proposal.pk]), {"decision": "accept"}, follow=True)


def _children(training, model) -> list[Change]:
    ct = ContentType.objects.get_for_model(model)
    return list(Change.objects.filter(content_type=ct, parent_id=training.pk))


def test_it_parses_the_texts_the_answer_form_shows():
    # The formats of survey.forms.supervisor_text and hospital_text.
    assert rules.parse_supervisor("Per Veileder (1111111)") == ("Per Veileder", "1111111")
    assert rules.parse_supervisor("Kari Nordmann, HPR 1234567") == ("Kari Nordmann", "1234567")
    assert rules.parse_supervisor("Kari Nordmann") == ("Kari Nordmann", "")
    assert rules.parse_hospital("01.03.2026–31.08.2026, Helse Bergen") == (
        date(2026, 3, 1),
        date(2026, 8, 31),
        "Helse Bergen",
    )
    assert rules.parse_hospital("01.03.2026–…, Helse Bergen HF") == (date(2026, 3, 1), None, "Helse Bergen HF")
    assert rules.parse_hospital("31.02.2026–31.08.2026, Helse Bergen") is None
    assert rules.parse_hospital("Helse Bergen") is None


def test_it_appoints_the_proposed_supervisor_from_today_with_history(client, vest_user, bergen_invitation, records):
    training = records.vest_training
    new = Doctor.objects.create(
        first_name="Nina",
        last_name="Ny",
        hpr_number="3333333",
        municipality=records.vest_doctor.municipality,
        is_specialist=True,
    )
    proposal = _note(bergen_invitation, training, "supervisor", "Per Veileder (1111111)", "Nina Ny (3333333)")
    _decide(client, vest_user, proposal)
    today = date.today()
    old = SupervisorAssignment.objects.get(pk=records.vest_assignment.pk)
    assert old.end == today - timedelta(days=1)
    current = SupervisorAssignment.objects.current(today).get(training=training)
    assert (current.supervisor, current.start, current.end) == (new, today, None)
    changes = _children(training, SupervisorAssignment)
    assert len(changes) == 2 and {c.user for c in changes} == {vest_user}
    proposal.refresh_from_db()
    assert proposal.decision == Proposal.Decision.ACCEPTED


def test_it_finds_the_supervisor_by_exact_name_in_the_region(client, vest_user, bergen_invitation, records):
    training = records.vest_training
    new = Doctor.objects.create(
        first_name="Nina", last_name="Ny", municipality=records.vest_doctor.municipality, is_specialist=True
    )
    proposal = _note(bergen_invitation, training, "supervisor", "Per Veileder (1111111)", "Nina Ny")
    _decide(client, vest_user, proposal)
    assert SupervisorAssignment.objects.current(date.today()).get(training=training).supervisor == new


def test_it_refuses_an_unknown_hpr_and_writes_nothing(client, vest_user, bergen_invitation, records):
    training = records.vest_training
    proposal = _note(bergen_invitation, training, "supervisor", "Per Veileder (1111111)", "Ukjent Lege (9999999)")
    response = _decide(client, vest_user, proposal)
    assert "Fant ingen lege med HPR-nummer 9999999" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert SupervisorAssignment.objects.get(pk=records.vest_assignment.pk).end is None
    assert SupervisorAssignment.objects.filter(training=training).count() == 1
    assert _children(training, SupervisorAssignment) == []
    proposal.refresh_from_db()
    assert proposal.decision == Proposal.Decision.PENDING


def test_it_refuses_a_supervisor_proposal_when_the_supervisor_changed_since(
    client, vest_user, bergen_invitation, records
):
    training = records.vest_training
    proposal = _note(bergen_invitation, training, "supervisor", "Noen Annen (4444444)", "Per Veileder (1111111)")
    response = _decide(client, vest_user, proposal)
    assert "endret etter at kommunen svarte" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert SupervisorAssignment.objects.filter(training=training).count() == 1
    assert _children(training, SupervisorAssignment) == []


def test_it_creates_the_planned_hospital_service_with_history(client, vest_user, bergen_invitation, records):
    training = records.vest_training
    proposal = _note(bergen_invitation, training, "hospital", "", "01.03.2027–31.08.2027, Helse Bergen")
    _decide(client, vest_user, proposal)
    period = ServicePeriod.objects.get(training=training, kind=ServicePeriod.Kind.HOSPITAL)
    assert (period.start, period.end, period.health_trust, period.planned) == (
        date(2027, 3, 1),
        date(2027, 8, 31),
        records.helse_bergen,
        True,
    )
    changes = _children(training, ServicePeriod)
    assert [c.user for c in changes] == [vest_user]
    training.refresh_from_db()
    assert training.expected_end == training.compute_expected_end()


def test_it_updates_the_existing_planned_hospital_service(client, nord_user, nord_invitation, records):
    training, period = records.nord_training, records.nord_period
    proposal = _note(
        nord_invitation,
        training,
        "hospital",
        "01.01.2026–30.06.2026, Nordlandssykehuset HF",
        "01.02.2026–31.07.2026, Nordlandssykehuset HF",
    )
    _decide(client, nord_user, proposal)
    period.refresh_from_db()
    assert (period.start, period.end, period.version) == (date(2026, 2, 1), date(2026, 7, 31), 2)
    assert ServicePeriod.objects.filter(training=training).count() == 1
    assert [c.user for c in _children(training, ServicePeriod)] == [nord_user]


def test_it_refuses_a_hospital_proposal_on_conflict_or_unknown_trust(client, nord_user, nord_invitation, records):
    training, period = records.nord_training, records.nord_period
    stale = _note(nord_invitation, training, "hospital", "", "01.02.2026–31.07.2026, Nordlandssykehuset HF")
    unknown = _note(
        nord_invitation,
        training,
        "hospital",
        "01.01.2026–30.06.2026, Nordlandssykehuset HF",
        "01.02.2026–31.07.2026, Ukjent HF",
    )
    _decide(client, nord_user, stale)
    response = _decide(client, nord_user, unknown)
    assert "Fant ikke helseforetaket «Ukjent HF»" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    period.refresh_from_db()
    assert (period.start, period.version) == (date(2026, 1, 1), 1)
    assert _children(training, ServicePeriod) == []
    assert set(Proposal.objects.values_list("decision", flat=True)) == {Proposal.Decision.PENDING}
