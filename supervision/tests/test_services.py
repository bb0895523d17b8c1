from datetime import date

from core.models import Change
from supervision.models import SupervisorProfile
from supervision.services import supervisor_record_course


def test_it_creates_the_profile_with_the_course(records, vest_user):
    doctor = records.vest_supervisor
    profile = supervisor_record_course(
        doctor=doctor, completed_on=date(2025, 3, 30), course_name="Veilederkurs Bergen", by=vest_user
    )
    profile.refresh_from_db()
    assert profile.doctor == doctor
    assert profile.course_completed_on == date(2025, 3, 30)
    assert profile.course_name == "Veilederkurs Bergen"
    change = Change.objects.get(object_id=profile.pk, content_type__model="supervisorprofile")
    assert change.action == Change.Action.CREATE
    assert change.user == vest_user


def test_it_updates_an_existing_profile_and_keeps_its_other_fields(records, vest_user):
    doctor = records.vest_supervisor
    profile = SupervisorProfile.objects.create(doctor=doctor, capacity=3, remote_ok=True)
    supervisor_record_course(doctor=doctor, completed_on=date(2025, 3, 30), course_name="Kurs B", by=vest_user)
    profile.refresh_from_db()
    assert (profile.capacity, profile.remote_ok, profile.course_name, profile.version) == (3, True, "Kurs B", 2)
    change = Change.objects.get(object_id=profile.pk, content_type__model="supervisorprofile")
    assert change.action == Change.Action.UPDATE
    assert "Kurs B" in str(change.fields)


def test_it_keeps_a_later_course_when_an_older_one_is_recorded(records, vest_user):
    doctor = records.vest_supervisor
    supervisor_record_course(doctor=doctor, completed_on=date(2025, 3, 30), course_name="Nytt kurs", by=vest_user)
    profile = supervisor_record_course(
        doctor=doctor, completed_on=date(2020, 1, 1), course_name="Gammelt", by=vest_user
    )
    profile.refresh_from_db()
    assert profile.course_name == "Nytt kurs"
    assert SupervisorProfile.objects.count() == 1
