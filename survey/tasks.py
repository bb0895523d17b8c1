"""E-mail to the municipalities, sent by the task worker and never inside the request that caused it."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from survey.models import Invitation


@task
def send_invitation(invitation_id: int, reminder: bool) -> None:
    invitation = Invitation.objects.select_related("campaign__office", "municipality").get(pk=invitation_id)
    now = timezone.now()
    if not invitation.email or not invitation.is_usable(now) or (reminder and invitation.answered_at):
        return
    url = settings.SITE_URL + reverse("survey:answer", args=[invitation.token])
    # In the municipality's own language form (målform): nynorsk for a nynorsk municipality, else bokmål.
    with translation.override(invitation.municipality.message_language):
        body = render_to_string(
            "survey/email/invitation.txt", {"invitation": invitation, "url": url, "reminder": reminder}
        )
        subject = (translation.gettext("Påminnelse: %(title)s") if reminder else "%(title)s") % {
            "title": invitation.campaign.title
        }
    send_mail(
        subject=subject,
        message=body,
        from_email=None,
        recipient_list=[invitation.email],
        fail_silently=False,
    )
    if not reminder:
        Invitation.objects.filter(Q(sent_at__isnull=True), pk=invitation.pk).update(sent_at=now)


@task
def send_due_reminders() -> int:
    from survey.services import reminders_enqueue

    return reminders_enqueue(now=timezone.now())
