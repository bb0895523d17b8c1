"""E-mail to participants, sent by the task worker and never inside the request that caused it."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from courses.models import Registration

# Which message a participant gets: template and subject.
MESSAGES = {
    "confirmed": ("courses/email/confirmed.txt", gettext_noop("Påmelding bekreftet: %(course)s")),
    "waiting": ("courses/email/waiting.txt", gettext_noop("Du står på venteliste: %(course)s")),
    "promoted": ("courses/email/promoted.txt", gettext_noop("Du har fått plass: %(course)s")),
}


@task
def send_registration_email(registration_id: int, message: str) -> None:
    registration = (
        Registration.objects.select_related("course__office")
        .prefetch_related("course__gatherings")
        .get(pk=registration_id)
    )
    template, subject = MESSAGES[message]
    context = {
        "registration": registration,
        "course": registration.course,
        "gatherings": registration.course.gatherings.all(),
        "cancel_url": settings.SITE_URL + reverse("courses:cancel", args=[registration.cancel_token]),
    }
    # The participants are Norwegian doctors; the worker has no request to take a language from.
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
        subject = gettext(subject) % {"course": registration.course.title}
    send_mail(
        subject=subject,
        message=body,
        from_email=None,
        recipient_list=[registration.email],
    )
