"""Attendance, completion and the certificate follow the calendar (issue 10, item 6), with a frozen today."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from courses import rules, services
from courses.models import Attendance, Course, Gathering
from courses.tests.conftest import make_registration
from supervision.models import SupervisorProfile

pytestmark = pytest.mark.django_db

# A course of two gatherings of two days, as the glossary's supervisor course: 02.–03.02 and 30.–31.03.2026.
FIRST = (date(2026, 2, 2), date(2026, 2, 3))
LAST = (date(2026, 3, 30), date(2026, 3, 31))


@pytest.fixture
def course(world) -> Course:
    course = Course.objects.create(office=world.vest, title="Emnekurs i veiledning", place="Bergen", capacity=20)
    for start, end in (FIRST, LAST):
        Gathering.objects.create(course=course, start=start, end=end)
    return course


@pytest.fixture
def participant(course, records, world):
    return make_registration(course, world.bergen, email="per@example.no", doctor=records.vest_supervisor)


def _attend(client, registration, gathering, **headers):
    return client.post(
        reverse("courses:attendance", args=[registration.pk, gathering.pk]), {"attended": "on"}, **headers
    )


def test_the_rules_use_the_last_day():
    assert not rules.is_held(today=date(2026, 2, 2), last_day=date(2026, 2, 3))
    assert rules.is_held(today=date(2026, 2, 3), last_day=date(2026, 2, 3))
    assert rules.is_completed(attended={1, 2}, gatherings=[1, 2], held=[1, 2])
    assert not rules.is_completed(attended={1, 2}, gatherings=[1, 2], held=[1])
    assert not rules.certificate_open(today=date(2026, 3, 30), last_day=date(2026, 3, 31))
    assert rules.certificate_open(today=date(2026, 3, 31), last_day=date(2026, 3, 31))
    assert not rules.certificate_open(today=date(2026, 3, 31), last_day=None)


def test_attendance_for_a_gathering_in_the_future_is_refused(client, vest_user, participant, today):
    today(date(2026, 2, 2))  # the first day: the gathering is not over
    first = participant.course.gatherings.first()
    client.force_login(vest_user)

    page = _attend(client, participant, first, follow=True)
    partial = _attend(client, participant, first, HTTP_HX_REQUEST="true")

    message = "Samlingen 02.–03.02.2026 er ikke holdt ennå. Oppmøte kan føres fra siste dag, 03.02.2026."
    assert message in page.text
    assert message in partial.text and 'role="alert"' in partial.text
    assert not Attendance.objects.exists()


def test_the_participant_list_offers_attendance_only_at_gatherings_held(client, vest_user, participant, today):
    today(date(2026, 2, 3))
    client.force_login(vest_user)

    page = client.get(reverse("courses:participants", args=[participant.course.pk]))

    first, last = participant.course.gatherings.all()
    assert f'id="oppmote-{participant.pk}-{first.pk}"' in page.text
    assert f'id="oppmote-{participant.pk}-{last.pk}"' not in page.text
    assert "føres fra 31.03.2026" in page.text


def test_completion_and_the_certificate_come_after_the_last_gathering(client, vest_user, participant, records, today):
    first, last = participant.course.gatherings.all()
    client.force_login(vest_user)
    today(date(2026, 2, 3))
    _attend(client, participant, first)
    certificate = reverse("courses:certificate", args=[participant.pk])
    assert client.get(certificate).status_code == 404

    today(date(2026, 3, 31))
    response = _attend(client, participant, last, HTTP_HX_REQUEST="true")

    assert "Fullført" in response.text
    assert SupervisorProfile.objects.get(doctor=records.vest_supervisor).course_completed_on == date(2026, 3, 31)
    pdf = client.get(certificate)
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")


def test_an_attendance_recorded_before_the_dates_moved_neither_completes_nor_certifies(
    client, vest_user, participant, today
):
    for gathering in participant.course.gatherings.all():
        Attendance.objects.create(registration=participant, gathering=gathering)  # as before the rule
    today(date(2026, 3, 30))  # the last gathering is not over
    client.force_login(vest_user)

    page = client.get(reverse("courses:participants", args=[participant.course.pk]))

    assert "Ikke fullført" in page.text
    assert client.get(reverse("courses:certificate", args=[participant.pk])).status_code == 404
    first = participant.course.gatherings.first()
    with pytest.raises(services.AttendanceRefused):
        services.attendance_set(
            registration=participant, gathering=participant.course.gatherings.last(), attended=True, by=vest_user
        )
    assert services.attendance_set(registration=participant, gathering=first, attended=False, by=vest_user) is False


def test_a_gathering_with_attendance_can_not_be_moved_to_days_to_come(client, vest_user, participant, today, form_data):
    today(date(2026, 2, 10))
    first = participant.course.gatherings.first()
    Attendance.objects.create(registration=participant, gathering=first)
    client.force_login(vest_user)
    url = reverse("courses:gathering_edit", args=[first.pk])

    response = client.post(
        url, form_data(client.get(url).context["form"]) | {"start": "2026-02-20", "end": "2026-02-21"}
    )

    assert response.status_code == 200
    assert "kan ikke flyttes til dager som ikke har vært ennå" in response.text
    first.refresh_from_db()
    assert first.end == date(2026, 2, 3)


def test_the_kept_participant_list_carries_each_requests_own_csrf_token(vest_user, participant, today):
    """The tables are written once per data change (core.tableversions); the forms in them get the token of the
    request that shows them, and an attendance written outside the forms shows at once."""
    today(date(2026, 2, 3))
    first = participant.course.gatherings.first()
    url = reverse("courses:participants", args=[participant.course.pk])
    tokens = []
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(vest_user)
        page = client.get(url).text
        assert "csrf-token-of-the-request" not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        tokens.append(token)
        assert _attend(client, participant, first, HTTP_X_CSRFTOKEN=token).status_code == 302
    assert tokens[0] != tokens[1]  # each session its own
    Attendance.objects.filter(registration=participant).delete()
    assert f'id="oppmote-{participant.pk}-{first.pk}">' in client.get(url).text  # not ticked any more
