"""The office decides the municipality's proposals field by field, through its own forms and history."""

import json

import pytest
from django.urls import reverse

from conftest import PASSWORD
from core.history import history_of
from registry.models import Contact
from survey.models import Proposal

pytestmark = pytest.mark.django_db
Target = Proposal.Target


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def _proposal(invitation, **fields) -> Proposal:
    return Proposal.objects.create(invitation=invitation, **fields)


def _decide(client, proposal, decision="accept"):
    return client.post(reverse("survey:proposal_decide", args=[proposal.pk]), {"decision": decision})


def test_it_applies_an_accepted_field_with_history_by_the_deciding_user(client, vest_user, bergen_invitation, records):
    _login(client, vest_user)
    contact = records.vest_contact
    proposal = _proposal(
        bergen_invitation,
        target=Target.CONTACT,
        object_id=contact.pk,
        object_repr=str(contact),
        field="phone",
        label="telefon",
        old_value="",
        new_value="55 55 55 55",
    )
    assert _decide(client, proposal).status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "55 55 55 55"
    assert contact.version == 2
    change = history_of(contact, user=vest_user)[0]
    assert change.user == vest_user
    assert change.fields == {"phone": ["", "55 55 55 55"]}
    proposal.refresh_from_db()
    assert proposal.decision == Proposal.Decision.ACCEPTED
    assert proposal.decided_by == vest_user


def test_it_applies_a_training_field_through_the_training_form(client, vest_user, bergen_invitation, records):
    _login(client, vest_user)
    training = records.vest_training
    proposal = _proposal(
        bergen_invitation,
        target=Target.TRAINING,
        object_id=training.pk,
        object_repr="x",
        field="position_share",
        label="stillingsandel",
        old_value="100",
        new_value="50",
    )
    _decide(client, proposal)
    training.refresh_from_db()
    assert training.position_share == 50
    # Saved through the office's path: the expected end is computed again.
    assert training.expected_end.year > 2027


def test_it_applies_a_registration_status_and_a_new_contact(client, vest_user, bergen_invitation, records):
    _login(client, vest_user)
    municipality = bergen_invitation.municipality
    status = _proposal(
        bergen_invitation,
        target=Target.REGISTRATION,
        object_id=municipality.pk,
        object_repr="Bergen",
        field="general_practice",
        label="Allmennmedisin",
        old_value="not_applied",
        new_value="registered",
    )
    new = _proposal(
        bergen_invitation,
        target=Target.CONTACT,
        object_repr="Kontaktperson",
        new_value=json.dumps({"role": "post_box", "name": "", "email": "post@bergen.no", "phone": ""}),
    )
    _decide(client, status)
    _decide(client, new)
    assert municipality.registration_status("general_practice") == "registered"
    assert Contact.objects.filter(municipality=municipality, email="post@bergen.no", role="post_box").exists()


def test_it_rejects_without_changing_anything(client, vest_user, bergen_invitation, records):
    _login(client, vest_user)
    proposal = _proposal(
        bergen_invitation,
        target=Target.CONTACT,
        object_id=records.vest_contact.pk,
        object_repr="x",
        field="name",
        label="navn",
        old_value="Vera Vestre",
        new_value="Feil Navn",
    )
    _decide(client, proposal, "reject")
    records.vest_contact.refresh_from_db()
    assert records.vest_contact.name == "Vera Vestre"
    proposal.refresh_from_db()
    assert proposal.decision == Proposal.Decision.REJECTED


def test_it_shows_a_conflict_and_does_not_apply_when_the_value_changed_since(
    client, vest_user, bergen_invitation, records
):
    _login(client, vest_user)
    proposal = _proposal(
        bergen_invitation,
        target=Target.CONTACT,
        object_id=records.vest_contact.pk,
        object_repr="Vera",
        field="name",
        label="navn",
        old_value="Vera Vestre",
        new_value="Vera V. Vestre",
    )
    Contact.objects.filter(pk=records.vest_contact.pk).update(name="Vera Vestre-Berg")
    page = client.get(reverse("survey:invitation_detail", args=[bergen_invitation.pk]))
    assert page.context["proposals"][0].conflict
    response = _decide(client, proposal)
    assert response.status_code == 302
    records.vest_contact.refresh_from_db()
    assert records.vest_contact.name == "Vera Vestre-Berg"
    proposal.refresh_from_db()
    assert proposal.decision == Proposal.Decision.PENDING


def test_it_decides_once(client, vest_user, bergen_invitation, records):
    _login(client, vest_user)
    proposal = _proposal(
        bergen_invitation,
        target=Target.CONTACT,
        object_id=records.vest_contact.pk,
        object_repr="Vera",
        field="phone",
        label="telefon",
        old_value="",
        new_value="55 55 55 55",
    )
    _decide(client, proposal)
    _decide(client, proposal, "reject")
    proposal.refresh_from_db()
    assert proposal.decision == Proposal.Decision.ACCEPTED


def test_it_hides_proposals_from_other_regions_and_refuses_readers(
    client, nord_user, reader, coordinator, bergen_invitation, records
):
    proposal = _proposal(
        bergen_invitation,
        target=Target.CONTACT,
        object_id=records.vest_contact.pk,
        object_repr="x",
        field="name",
        label="navn",
        old_value="Vera Vestre",
        new_value="Hacket",
    )
    _login(client, nord_user)
    assert _decide(client, proposal).status_code == 404
    _login(client, reader)
    assert _decide(client, proposal).status_code == 403
    _login(client, coordinator)
    assert _decide(client, proposal).status_code == 403
    records.vest_contact.refresh_from_db()
    assert records.vest_contact.name == "Vera Vestre"
