"""E-mail to municipality contacts, sent by the task worker and never inside the request that caused it."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task

from registry.models import Contact


@task
def send_contact_message(contact_id: int, subject: str, body: str, reply_to: str) -> None:
    """One contact's own copy of a message the office wrote (core.bulk: each recipient their own e-mail)."""
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None or not contact.email:
        return
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact.email],
        reply_to=[reply_to] if reply_to else None,
    )
    message.send()
