"""Writes that touch several models or record history: the supervision area's service functions."""

from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import history
from registry.models import Doctor
from supervision.models import SupervisionSession, SupervisorLink, SupervisorProfile
from training.models import SupervisorAssignment, Training

# How long a supervisor's private link works: a training year, renewed by the office.
LINK_DAYS = 365


@transaction.atomic
def supervisor_record_course(
    *, doctor: Doctor, completed_on: date, course_name: str, by: User | None
) -> SupervisorProfile:
    """A doctor completed a supervisor course (veilederkurs): note it on their profile in the pool.

    Creates the profile when the doctor is not in the pool yet (completing the course is how many join
    it); a later course replaces the recorded one only if it was completed later, so re-recording an
    old certificate never hides a newer one. The change is kept in the history either way.
    """
    profile = SupervisorProfile.objects.select_for_update().filter(doctor=doctor).first()
    if profile is None:
        profile = SupervisorProfile(doctor=doctor, course_completed_on=completed_on, course_name=course_name)
        profile.save()
        history.record(instance=profile, by=by, before=None, parent=doctor)
        return profile
    if profile.course_completed_on is not None and profile.course_completed_on > completed_on:
        return profile
    before = history.snapshot(profile)
    profile.course_completed_on = completed_on
    profile.course_name = course_name
    profile.version += 1
    profile.save()
    history.record(instance=profile, by=by, before=before, parent=doctor)
    return profile


class MatchConflict(Exception):
    """The pool changed since the proposal was made: a supervisor is full, or the ALIS has a supervisor."""


@transaction.atomic
def match_confirm(*, pairs: list[tuple[Training, Doctor]], on: date, by: User) -> list[SupervisorAssignment]:
    """Make the chosen proposals real: one supervisor assignment (veilederoppnevning) each, all or none.

    Checked again inside the transaction, against what is in the database now: the ALIS must still be
    without a supervisor and the supervisor must still have the free places, or nothing is saved.
    """
    doctor_ids = {supervisor.pk for _training, supervisor in pairs}
    profiles = {
        p.doctor_id: p
        for p in SupervisorProfile.objects.select_for_update().filter(doctor_id__in=doctor_ids).with_load(on)
    }
    wanted: dict[int, int] = {}
    for _training, supervisor in pairs:
        wanted[supervisor.pk] = wanted.get(supervisor.pk, 0) + 1
    for doctor_id, count in wanted.items():
        profile = profiles.get(doctor_id)
        if profile is None or profile.load + count > profile.capacity:
            raise MatchConflict(_("%(name)s har ikke lenger ledig plass.") % {"name": profile or doctor_id})
    training_ids = [training.pk for training, _supervisor in pairs]
    taken = SupervisorAssignment.objects.current(on).filter(training_id__in=training_ids)
    if taken.exists():
        raise MatchConflict(_("%(name)s har fått veileder i mellomtiden.") % {"name": taken.first().training.doctor})
    created = []
    for training, supervisor in pairs:
        assignment = SupervisorAssignment.objects.create(training=training, supervisor=supervisor, start=on)
        history.record(instance=assignment, by=by, before=None, parent=training)
        created.append(assignment)
    return created


def link_create(*, supervisor: Doctor, by: User, days: int = LINK_DAYS) -> SupervisorLink:
    link = SupervisorLink.objects.create(
        supervisor=supervisor, created_by=by, expires_on=timezone.localdate() + timedelta(days=days)
    )
    history.record(instance=link, by=by, before=None, parent=supervisor)
    return link


def link_revoke(*, link: SupervisorLink, by: User) -> None:
    before = history.snapshot(link)
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    history.record(instance=link, by=by, before=before, parent=link.supervisor)


def link_send(*, link: SupervisorLink) -> None:
    """E-mail the link to the supervisor through the task worker, never inside the request."""
    from supervision.tasks import send_supervisor_link

    send_supervisor_link.enqueue(link.pk)


def links_send(*, supervisors: list[Doctor], by: User) -> list[SupervisorLink]:
    """A new private link for each supervisor, each e-mailed on its own by the task worker once all are saved."""
    with transaction.atomic():
        created = [link_create(supervisor=supervisor, by=by) for supervisor in supervisors]
        for link in created:
            transaction.on_commit(partial(link_send, link=link))
    return created


def session_confirm(*, session: SupervisionSession, link: SupervisorLink) -> None:
    """The supervisor confirms a session through their link; kept in the history without a user."""
    before = history.snapshot(session)
    session.confirmed = True
    session.version += 1
    session.save(update_fields=["confirmed", "version"])
    history.record(instance=session, by=None, before=before, parent=session.training)


def session_add_by_link(*, link: SupervisorLink, training: Training, data: dict) -> SupervisionSession:
    session = SupervisionSession.objects.create(
        training=training,
        supervisor=link.supervisor,
        date=data["date"],
        minutes=data["minutes"],
        kind=data["kind"],
        topic=data["topic"],
        source=SupervisionSession.Source.SUPERVISOR_LINK,
        confirmed=True,
    )
    history.record(instance=session, by=None, before=None, parent=training)
    return session
