"""The office's course pages: region scoping, editing, attendance, completion, certificate, statistics."""

import re
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD
from courses.forms import CourseForm
from courses.models import Attendance, Course, Gathering, Instructor, Registration
from courses.tests.conftest import make_course, make_registration
from supervision.models import SupervisorProfile


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def _attend(client, registration: Registration, gathering: Gathering, attended: bool = True, **headers):
    url = reverse("courses:attendance", args=[registration.pk, gathering.pk])
    return client.post(url, {"attended": "on"} if attended else {}, **headers)


# --- scoping -----------------------------------------------------------------------------------------------


def test_it_lists_only_the_own_office_courses(client, vest_user, vest_course, nord_course):
    response = _login(client, vest_user).get(reverse("courses:list"))

    assert response.status_code == 200
    assert vest_course.title in response.text
    assert nord_course.title not in response.text


def test_it_lists_every_office_for_the_coordinator(client, coordinator, vest_course, nord_course):
    response = _login(client, coordinator).get(reverse("courses:list"))
    assert vest_course.title in response.text
    assert nord_course.title in response.text


def test_the_course_lists_rows_follow_every_registration_and_gathering(client, vest_user, vest_course, world):
    """The rows are kept until a table they are read from is written to (core.lists, keep_rows)."""
    _login(client, vest_user)

    def cells() -> dict[str, str]:
        html = client.get(reverse("courses:list")).text
        return dict(re.findall(r'<td data-label="([^"]+)"(?: class="num")?>([^<]*)</td>', html))

    before = cells()
    assert before == cells()
    make_registration(vest_course, world.bergen, email="ny@example.no")
    assert int(cells()["Påmeldt"]) == int(before["Påmeldt"] or 0) + 1
    make_registration(vest_course, world.bergen, email="venter@example.no", status="waiting")
    assert int(cells()["Venteliste"]) == int(before["Venteliste"] or 0) + 1
    Course.objects.filter(pk=vest_course.pk).update(capacity=99)
    assert cells()["Plasser"] == "99"
    Gathering.objects.filter(course=vest_course).update(start=date(2031, 5, 6), end=date(2031, 5, 7))
    assert cells()["Første samling"] == "06.05.2031"


@pytest.mark.parametrize("url_name", ["courses:detail", "courses:participants", "courses:edit"])
def test_it_hides_other_regions_courses(client, nord_user, vest_course, url_name):
    response = _login(client, nord_user).get(reverse(url_name, args=[vest_course.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("url_name", ["courses:list", "courses:instructors"])
def test_it_refuses_the_reader_the_personal_lists(client, reader, url_name):
    assert _login(client, reader).get(reverse(url_name)).status_code == 403


def test_it_refuses_the_reader_the_participant_list(client, reader, vest_course):
    assert _login(client, reader).get(reverse("courses:participants", args=[vest_course.pk])).status_code == 403


def test_it_refuses_the_coordinator_changes(client, coordinator, vest_course):
    response = _login(client, coordinator).get(reverse("courses:edit", args=[vest_course.pk]))
    assert response.status_code == 403


def test_it_hides_another_region_participant_from_attendance_and_certificate(client, nord_user, participant):
    gathering = participant.course.gatherings.first()
    _login(client, nord_user)

    assert _attend(client, participant, gathering).status_code == 404
    assert client.get(reverse("courses:certificate", args=[participant.pk])).status_code == 404
    assert client.post(reverse("courses:participant_cancel", args=[participant.pk])).status_code == 404
    assert not Attendance.objects.exists()


def test_it_hides_other_regions_instructors(client, nord_user, world):
    instructor = Instructor.objects.create(office=world.vest, name="Ingrid Kursholder")
    _login(client, nord_user)

    assert instructor.name not in client.get(reverse("courses:instructors")).text
    assert client.get(reverse("courses:instructor_edit", args=[instructor.pk])).status_code == 404


# --- editing -----------------------------------------------------------------------------------------------


def test_it_creates_a_course_for_the_own_office(client, vest_user, world):
    instructor = Instructor.objects.create(office=world.vest, name="Ingrid Kursholder")
    data = {
        "title": "Emnekurs høst",
        "kind": "supervision",
        "format": "in_person",
        "place": "Bergen",
        "capacity": "24",
        "course_points": "20",
        "instructors": [str(instructor.pk)],
    }

    response = _login(client, vest_user).post(reverse("courses:create"), data)

    course = Course.objects.get()
    assert response["Location"] == reverse("courses:detail", args=[course.pk])
    assert course.office == world.vest
    assert list(course.instructors.all()) == [instructor]


def test_it_offers_only_the_own_office_instructors(client, vest_user, world):
    Instructor.objects.create(office=world.nord, name="Nils Nordkurs")
    response = _login(client, vest_user).get(reverse("courses:create"))
    assert "Nils Nordkurs" not in response.text


def test_it_asks_for_a_place_unless_the_course_is_digital(client, vest_user):
    data = {
        "title": "Kurs",
        "kind": "supervision",
        "format": "in_person",
        "place": "",
        "capacity": "10",
        "course_points": "0",
    }

    response = _login(client, vest_user).post(reverse("courses:create"), data)

    assert response.status_code == 200
    assert 'id="id_place_error"' in response.text
    assert "Oppgi sted, eller velg digitalt kurs." in response.text
    assert not Course.objects.exists()


def test_it_rejects_a_gathering_that_ends_before_it_starts(client, vest_user, vest_course):
    url = reverse("courses:gathering_create", args=[vest_course.pk])

    response = _login(client, vest_user).post(url, {"start": "2026-05-05", "end": "2026-05-04"})

    assert "Siste dag kan ikke være før første dag." in response.text
    assert vest_course.gatherings.count() == 2


def test_it_moves_the_waiting_list_up_when_places_are_added(client, vest_user, world, form_data):
    course = make_course(world.vest, capacity=1)
    make_registration(course, world.bergen, email="in@example.no")
    waiting = make_registration(course, world.bergen, email="waiting@example.no", status="waiting")
    data = form_data(CourseForm(instance=course, office_id=world.vest.pk)) | {"capacity": "2"}

    _login(client, vest_user).post(reverse("courses:edit", args=[course.pk]), data)

    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [m.to for m in mail.outbox] == [["waiting@example.no"]]


# --- attendance, completion, certificate ------------------------------------------------------------------


def test_it_records_attendance_and_completion_updates_the_supervisor_profile(
    client, vest_user, participant, records, today
):
    first, second = participant.course.gatherings.all()
    today(second.end)  # the last day of the last gathering
    _login(client, vest_user)

    response = _attend(client, participant, first, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Ikke fullført" in response.text
    assert not SupervisorProfile.objects.exists()

    response = _attend(client, participant, second, HTTP_HX_REQUEST="true")

    assert "Fullført" in response.text
    assert reverse("courses:certificate", args=[participant.pk]) in response.text
    profile = SupervisorProfile.objects.get(doctor=records.vest_supervisor)
    assert profile.course_completed_on == second.end
    assert profile.course_name == participant.course.title
    participant.refresh_from_db()
    assert participant.qualification_recorded == second.end


def test_it_removes_attendance_when_unchecked(client, vest_user, participant, today):
    gathering = participant.course.gatherings.first()
    today(gathering.end)
    _login(client, vest_user)
    _attend(client, participant, gathering)

    response = _attend(client, participant, gathering, attended=False)

    assert response.status_code == 302
    assert not Attendance.objects.exists()


def test_it_refuses_attendance_for_a_gathering_of_another_course(client, vest_user, participant, world):
    other = make_course(world.vest, title="Annet kurs").gatherings.first()

    response = _attend(_login(client, vest_user), participant, other)

    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_it_serves_the_certificate_of_a_completed_participant(client, vest_user, participant, today):
    today(participant.course.gatherings.last().end)
    for gathering in participant.course.gatherings.all():
        Attendance.objects.create(registration=participant, gathering=gathering)

    response = _login(client, vest_user).get(reverse("courses:certificate", args=[participant.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_it_gives_no_certificate_before_completion(client, vest_user, participant):
    Attendance.objects.create(registration=participant, gathering=participant.course.gatherings.first())

    response = _login(client, vest_user).get(reverse("courses:certificate", args=[participant.pk]))

    assert response.status_code == 404


def test_it_lets_the_office_cancel_a_participant(client, vest_user, world):
    course = make_course(world.vest, capacity=1)
    leaving = make_registration(course, world.bergen, email="leaving@example.no")
    waiting = make_registration(course, world.bergen, email="waiting@example.no", status="waiting")

    _login(client, vest_user).post(reverse("courses:participant_cancel", args=[leaving.pk]))

    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


# --- statistics -------------------------------------------------------------------------------------------


def _fill(course: Course, municipality, *, specialists: int, others: int) -> None:
    for number in range(specialists):
        make_registration(course, municipality, email=f"s{number}@example.no", is_specialist=True)
    for number in range(others):
        make_registration(course, municipality, email=f"o{number}@example.no", supervises="lis1")
    make_registration(course, municipality, email="w@example.no", status="waiting", is_specialist=True)


def test_it_shows_the_annual_report_line_to_the_reader(client, reader, past_course, world):
    _fill(past_course, world.bergen, specialists=14, others=8)

    response = _login(client, reader).get(reverse("courses:statistics"))

    assert response.status_code == 200
    assert "Bergen, 02.02 og 30.03.22: 22 deltakere, 14 spesialister" in response.text
    assert "s0@example.no" not in response.text
    assert reverse("courses:detail", args=[past_course.pk]) not in response.text


def test_it_exports_the_statistics(client, vest_user, past_course, world):
    _fill(past_course, world.bergen, specialists=2, others=1)

    response = _login(client, vest_user).get(reverse("courses:statistics") + "?format=csv")

    text = response.content.decode("utf-8-sig")
    assert "Bergen, 02.02 og 30.03.22: 3 deltakere, 2 spesialister" in text
    assert ";3;2;2;1;0;0" in text


def test_the_statistics_are_kept_until_a_registration_changes(client, vest_user, past_course, world):
    """Counted once per data change (core.tableversions): a write outside the forms is counted at once."""
    _fill(past_course, world.bergen, specialists=2, others=1)
    url = reverse("courses:statistics")
    assert "3 deltakere, 2 spesialister" in _login(client, vest_user).get(url).text
    past_course.registrations.filter(email="o0@example.no").update(is_specialist=True)
    assert "3 deltakere, 3 spesialister" in client.get(url).text


def test_it_filters_the_statistics_by_year(client, vest_user, past_course, vest_course):
    response = _login(client, vest_user).get(reverse("courses:statistics") + "?year=2022")
    assert past_course.title in response.text
    assert vest_course.title not in response.text


# --- query counts -----------------------------------------------------------------------------------------


def _courses_with_participants(office, municipality, count: int) -> None:
    for number in range(count):
        course = make_course(office, title=f"Kurs {number}")
        for person in range(3):
            registration = make_registration(course, municipality, email=f"p{person}@example.no")
            Attendance.objects.create(registration=registration, gathering=course.gatherings.first())


@pytest.mark.parametrize(
    ("url_name", "needs_course"),
    [
        ("courses:list", False),
        ("courses:statistics", False),
        ("courses:calendar", False),
        ("courses:participants", True),
    ],
)
def test_it_keeps_the_query_count_whatever_the_number_of_rows(client, vest_user, world, url_name, needs_course):
    _login(client, vest_user)
    _courses_with_participants(world.vest, world.bergen, 1)
    first = Course.objects.get()
    args = [first.pk] if needs_course else []
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name, args=args)).status_code == 200
    _courses_with_participants(world.vest, world.bergen, 6)
    for person in range(3, 12):
        make_registration(first, world.bergen, email=f"p{person}@example.no")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(url_name, args=args))
    assert len(many) == len(few)


def test_it_bounds_the_queries_of_the_calendar_for_anonymous_visitors(client, world, django_assert_max_num_queries):
    _courses_with_participants(world.vest, world.bergen, 8)
    # One more than the page itself: the write counters, read once per request (core.tableversions.per_request).
    with django_assert_max_num_queries(5):
        client.get(reverse("courses:calendar"))
