"""The course certificate (kursbevis): an A4 PDF built by the task worker (WeasyPrint takes about a second) and
kept until the data changes (core.generated_files, whose kind "certificate" this module is: `build`, `follow`).

A participant has one when confirmed, present at every gathering, and the course's last gathering is over
(courses.rules.is_completed and certificate_open).
"""

import datetime

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import generated_files
from core.models import GeneratedFile
from core.navigation import crumbs
from courses import rules
from courses.models import Registration

KIND = "certificate"


def completed_on(registration: Registration) -> datetime.date | None:
    """The day the participant completed the course, when they have a certificate; else None."""
    course = registration.course
    gatherings = list(course.gatherings.all())
    today = timezone.localdate()
    held = {g.pk for g in gatherings if rules.is_held(today=today, last_day=g.end)}
    attended = set(registration.attendances.values_list("gathering_id", flat=True))
    completed = rules.is_completed(attended=attended, gatherings=[g.pk for g in gatherings], held=held)
    last_day = max((g.end for g in gatherings), default=None)
    # Only after the last gathering (rules.certificate_open), and only for a participant who attended all.
    if (
        registration.status != Registration.Status.CONFIRMED
        or not completed
        or not rules.certificate_open(today=today, last_day=last_day)
    ):
        return None
    return last_day


def certificate_file(registration: Registration) -> GeneratedFile:
    """The participant's certificate as the data stands: the one kept, or a new one asked of the task worker."""
    return generated_files.kept_or_queued(KIND, {"registration": registration.pk})


def build(args: dict, step: generated_files.Step) -> bytes:
    """Build the certificate (in the task worker)."""
    step(10, "data")
    registration = Registration.objects.select_related("course__office").get(pk=args["registration"])
    last_day = completed_on(registration)
    if last_day is None:
        raise ValueError(f"registration {registration.pk} has no certificate")  # changed since it was asked for
    course = registration.course
    html = render_to_string(
        "courses/certificate.html",
        {
            "registration": registration,
            "course": course,
            "gatherings": list(course.gatherings.all()),
            "instructors": course.instructors.all(),
            "completed_on": last_day,
            "issued": timezone.localdate(),
        },
    )
    step(40, "file")
    from weasyprint import HTML  # loaded on first use: it takes a second to import

    return HTML(string=html).write_pdf()


def follow(request: HttpRequest, file: GeneratedFile) -> dict:
    """Who may follow the certificate (as who may download it: the participant's region) and what its page shows."""
    from courses.views import _visible_registration

    registration = _visible_registration(request, generated_files.args_of(file)["registration"])
    course = registration.course
    return {
        "title": _("Kursbevis for %(name)s") % {"name": registration.name},
        "name": course.title,
        "download_url": reverse("courses:certificate", args=[registration.pk]),
        "breadcrumbs": crumbs(
            (_("Kurs"), reverse("courses:list")),
            (course.title, reverse("courses:detail", args=[course.pk])),
            (_("Deltakere og oppmøte"), reverse("courses:participants", args=[course.pk])),
            _("Kursbevis"),
        ),
    }
