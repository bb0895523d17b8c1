"""Accept every proposal of one answer that has no conflict, after seeing them: all or none."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from registry.models import Contact
from survey.models import Proposal

Target = Proposal.Target


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def proposals(bergen_invitation, records):
    contact = records.vest_contact

    def propose(field, label, old, new):
        return Proposal.objects.create(
            invitation=bergen_invitation, target=Target.CONTACT, object_id=contact.pk, object_repr=str(contact),
            field=field, label=label, old_value=old, new_value=new, old_shown=old, new_shown=new,
        )

    phone = propose("phone", "telefon", "", "55 55 55 55")
    name = propose("name", "navn", "Vera Vestre", "Vera Vestre Berg")
    stale = propose("email", "e-post", "gammel@bergen.no", "ny@bergen.no")  # the office changed it since
    return phone, name, stale


def test_it_shows_then_accepts_all_without_conflict(client, vest_user, bergen_invitation, proposals, records):
    phone, name, stale = proposals
    url = reverse("survey:invitation_accept_all", args=[bergen_invitation.pk])
    page = _login(client, vest_user).get(url).content.decode()
    assert "Godta alle forslag uten konflikt" in page and "Gjelder 2 rader" in page
    assert "55 55 55 55" in page and "Vera Vestre Berg" in page
    assert "e-post: konflikt: verdien er endret etter at kommunen svarte" in page
    assert Proposal.objects.filter(decision="pending").count() == 3

    response = client.post(url, {"valgt": [phone.pk, name.pk, stale.pk], "confirm": "1"})
    assert response.status_code == 302
    contact = Contact.objects.get(pk=records.vest_contact.pk)
    assert (contact.phone, contact.name, contact.email) == ("55 55 55 55", "Vera Vestre Berg", "vera@bergen.kommune.no")
    decisions = dict(Proposal.objects.values_list("pk", "decision"))
    assert decisions == {phone.pk: "accepted", name.pk: "accepted", stale.pk: "pending"}


def test_it_accepts_none_when_one_fails(client, vest_user, bergen_invitation, proposals, records):
    phone, name, _stale = proposals
    url = reverse("survey:invitation_accept_all", args=[bergen_invitation.pk])
    _login(client, vest_user).get(url)
    Proposal.objects.filter(pk=name.pk).update(new_value="x" * 300)  # too long for the name: the save fails
    client.post(url, {"valgt": [phone.pk, name.pk], "confirm": "1"})
    assert Proposal.objects.filter(decision="pending").count() == 3
    assert Contact.objects.get(pk=records.vest_contact.pk).phone == ""


def test_it_hides_other_regions_answers(client, nord_user, coordinator, bergen_invitation, proposals):
    url = reverse("survey:invitation_accept_all", args=[bergen_invitation.pk])
    assert _login(client, nord_user).get(url).status_code == 404
    assert client.post(url, {"valgt": [p.pk for p in proposals], "confirm": "1"}).status_code == 404
    chosen = {"valgt": [p.pk for p in proposals], "confirm": "1"}
    assert _login(client, coordinator).post(url, chosen).status_code == 403
    assert Proposal.objects.filter(decision="pending").count() == 3
