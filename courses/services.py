"""Writes that touch several records or send mail: sign-up, cancellation, the waiting list, attendance."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import history
from core.editing import delete_with_history
from courses import rules
from courses.models import Attendance, Course, Gathering, Registration
from courses.tasks import send_registration_email
from registry.models import Doctor
from supervision.services import supervisor_record_course

Status = Registration.Status


class AlreadyRegistered(Exception):
    """The e-mail address already has an active sign-up to this course."""


def _lock(course: Course) -> Course:
    # Sign-ups to one course queue up here, so two people can not both take the last place.
    return Course.objects.select_for_update().get(pk=course.pk)


def _confirmed_count(course: Course) -> int:
    return course.registrations.filter(status=Status.CONFIRMED).count()


def registration_create(*, course: Course, registration: Registration) -> Registration:
    """Sign a person up: a place while there is one, else the waiting list; the e-mail follows from a task."""
    registration.course = course
    registration.email = registration.email.strip().lower()
    registration.doctor = (
        Doctor.objects.filter(hpr_number=registration.hpr_number).first() if registration.hpr_number else None
    )
    try:
        with transaction.atomic():
            _lock(course)
            registration.status = rules.signup_status(confirmed=_confirmed_count(course), capacity=course.capacity)
            registration.save()
            history.record(instance=registration, by=None, before=None, parent=course)
            # Enqueued inside the transaction: with the database queue the task exists only if the sign-up does.
            send_registration_email.enqueue(registration.pk, registration.status)
    except IntegrityError as error:
        raise AlreadyRegistered from error
    return registration


def _fill_from_waiting_list(course: Course) -> list[Registration]:
    waiting = list(course.registrations.filter(status=Status.WAITING).order_by("created", "pk"))
    count = rules.places_to_fill(confirmed=_confirmed_count(course), capacity=course.capacity, waiting=len(waiting))
    promoted = waiting[:count]
    for registration in promoted:
        before = history.snapshot(registration)
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status"])
        history.record(instance=registration, by=None, before=before, parent=course)
        send_registration_email.enqueue(registration.pk, "promoted")
    return promoted


def registration_cancel(*, registration: Registration, by: User | None) -> list[Registration]:
    """Cancel a sign-up; a freed place goes to the first on the waiting list. The ones moved up."""
    with transaction.atomic():
        course = _lock(registration.course)
        registration.refresh_from_db()
        if registration.status == Status.CANCELLED:
            return []
        before = history.snapshot(registration)
        registration.status = Status.CANCELLED
        registration.save(update_fields=["status"])
        history.record(instance=registration, by=by, before=before, parent=course)
        return _fill_from_waiting_list(course)


def course_fill_places(*, course: Course) -> list[Registration]:
    """After the office gives a course more places, the waiting list moves up into them."""
    with transaction.atomic():
        return _fill_from_waiting_list(_lock(course))


class AttendanceRefused(Exception):
    """Attendance at a gathering not yet held; the message is for the user."""


def attendance_set(
    *, registration: Registration, gathering: Gathering, attended: bool, by: User, today: date | None = None
) -> bool:
    """Record presence at one gathering; a participant who has now attended all completes the course.

    Presence is recorded only at a gathering that has been held (rules.is_held): AttendanceRefused
    otherwise. Taking a recorded presence away is always possible. Returns whether the participant has
    completed the course.
    """
    today = today or timezone.localdate()
    if attended and not rules.is_held(today=today, last_day=gathering.end):
        raise AttendanceRefused(
            _("Samlingen %(days)s er ikke holdt ennå. Oppmøte kan føres fra siste dag, %(day)s.")
            % {"days": rules.day_span(gathering.start, gathering.end), "day": f"{gathering.end:%d.%m.%Y}"}
        )
    with transaction.atomic():
        present = Attendance.objects.filter(registration=registration, gathering=gathering).first()
        if attended and present is None:
            present = Attendance.objects.create(registration=registration, gathering=gathering)
            history.record(instance=present, by=by, before=None, parent=registration)
        elif not attended and present is not None:
            delete_with_history(instance=present, by=by, parent=registration)
        gatherings = dict(registration.course.gatherings.values_list("pk", "end"))
        attended_ids = set(registration.attendances.values_list("gathering_id", flat=True))
        held = [pk for pk, end in gatherings.items() if rules.is_held(today=today, last_day=end)]
        completed = rules.is_completed(attended=attended_ids, gatherings=gatherings, held=held)
        if completed:
            _record_qualification(registration=registration, by=by)
    return completed


def completed_on(course: Course) -> date | None:
    """The day a course is completed: the last day of its last gathering."""
    return max((g.end for g in course.gatherings.all()), default=None)


def _record_qualification(*, registration: Registration, by: User) -> None:
    """Write the completed course on the supervisor's profile, once, when the participant is a known doctor."""
    if registration.doctor_id is None or registration.qualification_recorded is not None:
        return
    course = registration.course
    day = completed_on(course) or timezone.localdate()
    supervisor_record_course(doctor=registration.doctor, completed_on=day, course_name=course.title, by=by)
    registration.qualification_recorded = day
    registration.save(update_fields=["qualification_recorded"])
