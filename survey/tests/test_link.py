"""The private link: unguessable, expiring, revocable, one municipality's data only, one answer."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from survey.models import Invitation, Proposal
from survey.tests.answering import check_url, finish, finish_all, overview, section_url, send

pytestmark = pytest.mark.django_db


def test_it_sends_the_link_by_email_from_a_task(mailoutbox, bergen_invitation):
    bergen_invitation.refresh_from_db()
    assert bergen_invitation.email == "vera@bergen.kommune.no"
    assert bergen_invitation.sent_at is not None
    assert len(mailoutbox) == 1
    assert overview(bergen_invitation) in mailoutbox[0].body
    assert len(bergen_invitation.token) >= 43


def test_it_shows_what_the_office_knows_without_login_and_records_the_opening(client, bergen_invitation, records):
    page = client.get(overview(bergen_invitation)).content.decode()
    assert "Kartlegging 2026: Bergen" in page and "ALIS: Kari Nordmann" in page
    assert "Vera Vestre" in client.get(section_url(bergen_invitation, "kontaktpersoner")).content.decode()
    assert "Sentrum legekontor" in client.get(section_url(bergen_invitation, "legekontorer")).content.decode()
    supervisors = client.get(section_url(bergen_invitation, "veiledere")).content.decode()
    assert 'value="Per Veileder"' in supervisors and 'value="1111111"' in supervisors
    # Never another municipality's data.
    for key in ("kontaktpersoner", "legekontorer", "veiledere", f"alis-{records.vest_training.pk}"):
        body = client.get(section_url(bergen_invitation, key)).content.decode()
        assert "Nils Nordby" not in body and "Ola Hansen" not in body and "Bodø legesenter" not in body
    assert client.get(section_url(bergen_invitation, f"alis-{records.nord_training.pk}")).status_code == 404
    bergen_invitation.refresh_from_db()
    assert bergen_invitation.opened_at is not None


@pytest.mark.parametrize("page", ["overview", "section", "check"])
def test_it_refuses_an_expired_a_revoked_and_a_wrong_link(client, bergen_invitation, page):
    def url(invitation_or_token) -> str:
        token = getattr(invitation_or_token, "token", invitation_or_token)
        if page == "overview":
            return reverse("survey:answer", args=[token])
        if page == "section":
            return reverse("survey:answer_section", args=[token, "kontaktpersoner"])
        return reverse("survey:answer_check", args=[token])

    assert client.get(url(bergen_invitation.token[:-2] + "xx")).status_code == 404
    Invitation.objects.filter(pk=bergen_invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(url(bergen_invitation))
    assert response.status_code == 410 and "Lenken virker ikke" in response.content.decode()
    assert "Vera Vestre" not in response.content.decode()
    Invitation.objects.filter(pk=bergen_invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    assert client.post(url(bergen_invitation), {"action": "done"}).status_code == 410
    assert not Proposal.objects.exists()


def test_it_cannot_change_another_municipalitys_record_through_the_form(client, bergen_invitation, records):
    key = f"alis-{records.vest_training.pk}"
    response = finish(
        client, bergen_invitation, key, {f"alis-{records.vest_training.pk}-gp_office": str(records.nord_gp_office.pk)}
    )
    assert response.status_code == 200  # the foreign GP office is not a choice: an error on the field
    assert "Velg et av legekontorene i kommunen." in response.content.decode()
    contacts = finish(
        client, bergen_invitation, "kontaktpersoner", {f"kontakt-{records.nord_contact.pk}-name": "Hacket"}
    )
    assert contacts.status_code == 302
    draft = Invitation.objects.get(pk=bergen_invitation.pk).draft
    assert f"kontakt-{records.nord_contact.pk}-name" not in draft["sections"]["kontaktpersoner"]["data"]
    # The draft keeps what was typed, error and all; put right, the section is finished.
    finish_all(client, bergen_invitation, {key: {f"{key}-gp_office": str(records.vest_gp_office.pk)}})
    send(client, bergen_invitation)
    assert not Proposal.objects.filter(object_id=records.nord_contact.pk, target="contact").exists()
    records.nord_contact.refresh_from_db()
    assert records.nord_contact.name == "Nils Nordby"


def test_it_accepts_one_answer_only(client, bergen_invitation, records):
    finish_all(
        client, bergen_invitation, {"kontaktpersoner": {f"kontakt-{records.vest_contact.pk}-phone": "55 55 55 55"}}
    )
    assert send(client, bergen_invitation).status_code == 302
    assert Proposal.objects.count() == 1
    # Sent again, or a section posted after sending: nothing more, and every page says the answer is received.
    send(client, bergen_invitation)
    data = {f"kontakt-{records.vest_contact.pk}-phone": "99", "action": "done"}
    assert "Takk for svaret" in client.post(section_url(bergen_invitation, "kontaktpersoner"), data).content.decode()
    assert Proposal.objects.count() == 1
    for url in (overview(bergen_invitation), check_url(bergen_invitation), section_url(bergen_invitation, "veiledere")):
        assert "Takk for svaret" in client.get(url).content.decode()
