"""The private link: unguessable, expiring, revocable, one municipality's data only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from survey.models import Invitation, Proposal

pytestmark = pytest.mark.django_db


def _url(invitation: Invitation) -> str:
    return reverse("survey:answer", args=[invitation.token])


def test_it_sends_the_link_by_email_from_a_task(mailoutbox, bergen_invitation):
    bergen_invitation.refresh_from_db()
    assert bergen_invitation.email == "vera@bergen.kommune.no"
    assert bergen_invitation.sent_at is not None
    assert len(mailoutbox) == 1
    assert _url(bergen_invitation) in mailoutbox[0].body
    assert len(bergen_invitation.token) >= 43


def test_it_shows_the_form_prefilled_without_login_and_records_the_opening(client, bergen_invitation, records):
    response = client.get(_url(bergen_invitation))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vera Vestre" in body
    assert "Sentrum legekontor" in body
    assert "Kari Nordmann" in body
    assert "Per Veileder (1111111)" in body
    # Never another municipality's data.
    assert "Nils Nordby" not in body
    assert "Ola Hansen" not in body
    bergen_invitation.refresh_from_db()
    assert bergen_invitation.opened_at is not None


def test_it_refuses_an_expired_link(client, bergen_invitation):
    Invitation.objects.filter(pk=bergen_invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(_url(bergen_invitation))
    assert response.status_code == 410
    assert "Lenken virker ikke" in response.content.decode()
    assert "Vera Vestre" not in response.content.decode()


def test_it_refuses_a_revoked_link(client, bergen_invitation):
    Invitation.objects.filter(pk=bergen_invitation.pk).update(revoked_at=timezone.now())
    response = client.post(_url(bergen_invitation), {"submit": "1"})
    assert response.status_code == 410
    assert not Proposal.objects.exists()


def test_it_refuses_a_wrong_token(client, bergen_invitation):
    response = client.get(reverse("survey:answer", args=[bergen_invitation.token[:-2] + "xx"]))
    assert response.status_code == 404


def _post_data(client, invitation) -> dict:
    """The form as shown, with each field's current value, plus the answerer's name."""
    response = client.get(_url(invitation))
    answer = response.context["forms"]
    data = {}
    for form in answer.all():
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form[name].value()
            if value not in (None, ""):
                data[form.add_prefix(name)] = str(value.pk if hasattr(value, "pk") else value)
    data["svar-answered_by"] = "Vera Vestre"
    return data


def test_it_cannot_change_another_municipalitys_record_through_the_form(client, bergen_invitation, records):
    data = _post_data(client, bergen_invitation)
    data[f"kontakt-{records.nord_contact.pk}-name"] = "Hacket"
    data[f"alis-{records.vest_training.pk}-gp_office"] = str(records.nord_gp_office.pk)
    response = client.post(_url(bergen_invitation), data)
    assert response.status_code == 200  # the foreign GP office is not a choice: an error on the field
    assert "Velg et av alternativene i listen." in response.content.decode()
    assert not Proposal.objects.exists()
    records.nord_contact.refresh_from_db()
    assert records.nord_contact.name == "Nils Nordby"


def test_it_turns_changes_into_proposals_and_accepts_one_submit(client, bergen_invitation, records):
    data = _post_data(client, bergen_invitation)
    data[f"kontakt-{records.vest_contact.pk}-phone"] = "55 55 55 55"
    data[f"alis-{records.vest_training.pk}-position_share"] = "80"
    data["registrering-general_practice"] = "registered"
    data["kontakt-ny-role"] = "post_box"
    data["kontakt-ny-email"] = "post@bergen.kommune.no"
    data["svar-has_trust_agreement"] = "yes"
    data["svar-trust_agreement_text"] = "Avtale med Helse Bergen fra 2024."
    response = client.post(_url(bergen_invitation), data)
    assert response.status_code == 302
    proposals = {(p.target, p.field): p for p in Proposal.objects.all()}
    assert set(proposals) == {
        ("contact", "phone"),
        ("training", "position_share"),
        ("registration", "general_practice"),
        ("contact", ""),
    }
    assert proposals[("training", "position_share")].old_value == "100"
    assert proposals[("registration", "general_practice")].new_shown == "Registrert"
    bergen_invitation.refresh_from_db()
    assert bergen_invitation.answered_at is not None
    assert bergen_invitation.has_trust_agreement is True
    # Nothing in the registry changes until the office accepts.
    records.vest_contact.refresh_from_db()
    assert records.vest_contact.phone == ""
    # A second submit adds nothing; the page says the answer is received.
    client.post(_url(bergen_invitation), data)
    assert Proposal.objects.count() == 4
    assert "Takk for svaret" in client.get(_url(bergen_invitation)).content.decode()


def test_it_shows_errors_in_norwegian_and_writes_nothing(client, bergen_invitation, records):
    data = _post_data(client, bergen_invitation)
    data[f"kontakt-{records.vest_contact.pk}-email"] = "ikke-en-adresse"
    data[f"alis-{records.vest_training.pk}-position_share"] = "150"
    del data["svar-answered_by"]
    response = client.post(_url(bergen_invitation), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Skriv en gyldig e-postadresse, for eksempel navn@kommune.no." in body
    assert "Skjemaet har feil" in body
    assert not Proposal.objects.exists()
    bergen_invitation.refresh_from_db()
    assert bergen_invitation.answered_at is None


def test_it_saves_a_draft_and_shows_it_again(client, bergen_invitation, records):
    data = _post_data(client, bergen_invitation)
    data[f"kontakt-{records.vest_contact.pk}-phone"] = "99 88 77 66"
    data["draft"] = "1"
    assert client.post(_url(bergen_invitation), data).status_code == 302
    assert not Proposal.objects.exists()
    assert "99 88 77 66" in client.get(_url(bergen_invitation)).content.decode()
