"""Writes that touch several models or record history: the supervision area's service functions."""

from datetime import date

from django.db import transaction

from core import history
from core.models import User
from registry.models import Doctor
from supervision.models import SupervisorProfile


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
