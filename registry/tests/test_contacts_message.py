"""E-mail the training leads of chosen municipalities: write, see it as sent, confirm; one e-mail each."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from registry.models import Contact

URL = reverse("registry:contacts_message")
MESSAGE = {"subject": "Nytt fra ALIS-kontoret", "message": "Hei!\nHusk fristen 1. september."}


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def leads(records, world):
    second = Contact.objects.create(
        municipality=world.bergen, role=Contact.Role.TRAINING_LEAD, name="Vidar Vestre", email="vidar@bergen.no"
    )
    Contact.objects.create(municipality=world.bodo, role=Contact.Role.TRAINING_LEAD, name="Nina", email="n@bodo.no")
    return [records.vest_contact, second]


def test_it_writes_then_shows_the_email_then_sends_one_to_each(
    client, vest_user, world, leads, mailoutbox, django_capture_on_commit_callbacks
):
    vest_user.email = "vest@alis.example"
    vest_user.save()
    login(client, vest_user)
    chosen = {"valgt": [world.bergen.pk, world.bodo.pk]}
    page = client.get(URL, chosen).content.decode()
    assert "E-post til utdanningsansvarlige" in page and "Gjelder 1 rad" in page
    assert "vera@bergen.kommune.no, vidar@bergen.no" in page
    assert "Bodø: utenfor regionen du kan endre" in page and "n@bodo.no" not in page

    preview = client.post(URL, {**chosen, **MESSAGE, "preview": "1"}).content.decode()
    assert "Slik blir e-posten" in preview and "Husk fristen 1. september." in preview
    assert "Sendt av Vest, ALIS-kontor Vest." in preview and "Send til 2 mottakere" in preview
    assert mailoutbox == []
    again = client.post(URL, {**chosen, **MESSAGE, "edit": "1"}).content.decode()
    assert "Se over før sending" in again and "Husk fristen 1. september." in again and "Slik blir" not in again

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"valgt": [world.bergen.pk, world.bodo.pk], **MESSAGE, "confirm": "1"})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == ["vera@bergen.kommune.no", "vidar@bergen.no"]
    message = mailoutbox[0]
    assert message.subject == "Nytt fra ALIS-kontoret" and message.reply_to == ["vest@alis.example"]
    assert message.body.startswith("Hei!\nHusk fristen 1. september.") and "ALIS-kontor Vest" in message.body


def test_it_keeps_the_message_when_it_is_incomplete(client, vest_user, world, leads, mailoutbox):
    login(client, vest_user)
    page = client.post(URL, {"valgt": [world.bergen.pk], "subject": "Uten tekst", "confirm": "1"}).content.decode()
    assert "Uten tekst" in page and "Slik blir e-posten" not in page
    assert mailoutbox == []


def test_it_skips_municipalities_without_a_training_lead_with_email(client, vest_user, world, records):
    Contact.objects.filter(pk=records.vest_contact.pk).update(email="", name="Vera")
    page = login(client, vest_user).get(URL, {"valgt": [world.bergen.pk]}).content.decode()
    assert "Bergen: ingen utdanningsansvarlig med e-postadresse" in page and "Gjelder 0 rader" in page


def test_it_is_for_those_who_keep_the_contacts(client, coordinator, reader, vest_user):
    assert login(client, coordinator).get(URL).status_code == 403
    assert login(client, reader).get(URL).status_code == 403
    listing = login(client, vest_user).get(reverse("registry:municipality_list")).content.decode()
    assert "Skriv til utdanningsansvarlige: avkryssede" in listing
    listing = login(client, coordinator).get(reverse("registry:municipality_list")).content.decode()
    assert 'form="valg"' not in listing
