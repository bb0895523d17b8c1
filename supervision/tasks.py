"""E-mail to supervisors, sent by the task worker and never inside the request that caused it."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from supervision.links import token_for
from supervision.models import SupervisorLink


@task
def send_supervisor_link(link_id: int) -> None:
    link = SupervisorLink.objects.select_related("supervisor").get(pk=link_id)
    if link.revoked_at is not None or not link.supervisor.email:
        return
    url = settings.SITE_URL + reverse("supervision:link_page", args=[token_for(link)])
    # Supervisors are Norwegian doctors; the worker has no request to take a language from.
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("supervision/email/link.txt", {"link": link, "url": url})
        subject = translation.gettext("Veiledningstimer: lenke for å bekrefte og registrere")
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[link.supervisor.email])
