"""Writes and sendings of the registry that touch several rows or the mail: the registry's service functions."""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import User
from registry.models import Contact


def contact_message_body(*, message: str, by: User) -> str:
    """The e-mail as each contact reads it: the office's text and who sent it (shown before it is sent)."""
    office = by.office.name if by.office else ""
    sender = by.get_full_name() or by.username
    # The municipalities are Norwegian, whatever language the sender uses the app in.
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "registry/email/contact_message.txt", {"message": message.strip(), "sender": sender, "office": office}
        ).strip()


def contacts_message(*, contacts: list[Contact], subject: str, message: str, by: User) -> int:
    """A message the office wrote, to each contact in an e-mail of their own, sent by the task worker once the
    request has succeeded; replies go to the sender."""
    from registry.tasks import send_contact_message

    body = contact_message_body(message=message, by=by)
    for contact in contacts:
        transaction.on_commit(partial(send_contact_message.enqueue, contact.pk, subject, body, by.email or ""))
    return len(contacts)
