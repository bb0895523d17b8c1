"""The public sign-up: no login, confirmation e-mail, waiting list when full, cancel via the e-mailed link."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, Registration
from courses.tests.conftest import make_course, make_registration
from registry.models import Doctor

pytestmark = pytest.mark.django_db


@pytest.fixture
def signup_data(world):
    return {
        "name": "Siri Lege",
        "email": "Siri.Lege@example.no",
        "phone": "912 34 567",
        "municipality": str(world.bergen.pk),
        "hpr_number": "",
        "specialty": "general_practice",
        "is_specialist": "on",
        "supervises": "alis",
        "website": "",
    }


def _signup(client, course: Course, data: dict):
    return client.post(reverse("courses:signup", args=[course.pk]), data)


def test_it_shows_the_calendar_without_login(client, vest_course, world):
    hidden = make_course(world.vest, title="Upublisert kurs", published=False)

    response = client.get(reverse("courses:calendar"))

    assert response.status_code == 200
    assert "Emnekurs i veiledning" in response.text
    assert hidden.title not in response.text
    assert reverse("courses:signup", args=[vest_course.pk]) in response.text
    # Written once per data change (core.tableversions): a course published outside the forms is shown at once.
    Course.objects.filter(pk=hidden.pk).update(published=True)
    assert hidden.title in client.get(reverse("courses:calendar")).text


def test_it_leaves_past_courses_out_of_the_calendar(client, past_course):
    response = client.get(reverse("courses:calendar"))
    assert past_course.title not in response.text


def test_it_signs_up_and_sends_the_confirmation_from_a_task(client, vest_course, signup_data):
    response = _signup(client, vest_course, signup_data)

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:signup_done", args=[vest_course.pk])
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.email == "siri.lege@example.no"
    assert registration.is_specialist
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siri.lege@example.no"]
    assert message.subject == "Påmelding bekreftet: Emnekurs i veiledning"
    assert reverse("courses:cancel", args=[registration.cancel_token]) in message.body
    done = client.get(response["Location"])
    assert "Du er påmeldt" in done.text


def test_it_puts_the_person_on_the_waiting_list_when_the_course_is_full(client, world, signup_data):
    course = make_course(world.vest, capacity=1)
    make_registration(course, world.bergen, email="forst@example.no")

    response = _signup(client, course, signup_data)

    registration = Registration.objects.get(email="siri.lege@example.no")
    assert registration.status == Registration.Status.WAITING
    assert mail.outbox[0].subject == "Du står på venteliste: Emnekurs i veiledning"
    assert "ventelisten" in client.get(response["Location"]).text


def test_it_refuses_a_second_sign_up_with_the_same_email(client, vest_course, world, signup_data):
    make_registration(vest_course, world.bergen, email="siri.lege@example.no")

    response = _signup(client, vest_course, signup_data)

    assert response.status_code == 200
    assert "allerede meldt på dette kurset" in response.text
    assert 'id="id_email_error"' in response.text
    assert Registration.objects.count() == 1
    assert mail.outbox == []


def test_it_accepts_the_same_email_again_after_a_cancellation(client, vest_course, world, signup_data):
    make_registration(vest_course, world.bergen, email="siri.lege@example.no", status="cancelled")

    _signup(client, vest_course, signup_data)

    assert vest_course.registrations.filter(status="confirmed").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Fyll ut feltet."),
        ("email", "ikke-en-adresse", "Skriv en gyldig e-postadresse, for eksempel navn@kommune.no."),
        ("phone", "12ab", "Oppgi et telefonnummer med minst 8 sifre"),
        ("hpr_number", "12A456", "HPR-nummeret skal bare ha sifre."),
        ("hpr_number", "12", "HPR-nummeret skal bare ha sifre (4 til 9)."),
        ("municipality", "", "Velg et alternativ."),
        ("supervises", "", "Velg et alternativ."),
        ("specialty", "dentistry", "Velg et av alternativene i listen."),
    ],
)
def test_it_rejects_bad_input_next_to_the_field(client, vest_course, signup_data, field, value, message):
    response = _signup(client, vest_course, signup_data | {field: value})

    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.text
    assert message in response.text
    assert Registration.objects.count() == 0
    assert mail.outbox == []


def test_it_links_the_registered_doctor_by_hpr_number(client, vest_course, records, signup_data):
    _signup(client, vest_course, signup_data | {"hpr_number": records.vest_supervisor.hpr_number})

    assert Registration.objects.get().doctor == records.vest_supervisor


def test_it_stores_nothing_when_the_honeypot_is_filled(client, vest_course, signup_data):
    response = _signup(client, vest_course, signup_data | {"website": "http://spam.example"})

    assert response.status_code == 302
    assert Registration.objects.count() == 0
    assert mail.outbox == []


def test_it_refuses_sign_up_after_the_deadline(client, vest_course, signup_data):
    Course.objects.filter(pk=vest_course.pk).update(signup_deadline=timezone.localdate() - timedelta(days=1))

    response = _signup(client, vest_course, signup_data)

    assert response.status_code == 200
    assert "Påmeldingen til dette kurset er stengt" in response.text
    assert Registration.objects.count() == 0


def test_it_does_not_show_an_unpublished_course(client, world, signup_data):
    course = make_course(world.vest, published=False)

    assert client.get(reverse("courses:signup", args=[course.pk])).status_code == 404
    assert _signup(client, course, signup_data).status_code == 404


def test_it_cancels_by_the_link_and_moves_the_first_on_the_waiting_list_up(client, world):
    course = make_course(world.vest, capacity=1)
    leaving = make_registration(course, world.bergen, email="leaving@example.no")
    first = make_registration(course, world.bergen, email="first@example.no", status="waiting")
    second = make_registration(course, world.bergen, email="second@example.no", status="waiting")
    url = reverse("courses:cancel", args=[leaving.cancel_token])
    assert "Meld meg av" in client.get(url).text

    response = client.post(url)

    assert response.status_code == 302
    for registration in (leaving, first, second):
        registration.refresh_from_db()
    assert leaving.status == "cancelled"
    assert first.status == "confirmed"
    assert second.status == "waiting"
    assert [m.to for m in mail.outbox] == [["first@example.no"]]
    assert mail.outbox[0].subject == "Du har fått plass: Emnekurs i veiledning"
    assert "Du er meldt av" in client.get(url).text


def test_it_cancels_a_place_on_the_waiting_list_without_moving_anyone(client, world):
    course = make_course(world.vest, capacity=1)
    make_registration(course, world.bergen, email="in@example.no")
    waiting = make_registration(course, world.bergen, email="waiting@example.no", status="waiting")

    client.post(reverse("courses:cancel", args=[waiting.cancel_token]))

    assert course.registrations.filter(status="confirmed").count() == 1
    assert mail.outbox == []


def test_it_gives_404_for_an_unknown_cancel_link(client, vest_course):
    assert client.get(reverse("courses:cancel", args=["gjettet"])).status_code == 404


def test_it_does_not_cancel_once_the_course_has_begun(client, world):
    course = make_course(world.vest, days=((0, 1),))
    registration = make_registration(course, world.bergen, email="x@example.no")

    client.post(reverse("courses:cancel", args=[registration.cancel_token]))

    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_it_needs_csrf_on_the_public_form(vest_course, signup_data):
    response = Client(enforce_csrf_checks=True).post(reverse("courses:signup", args=[vest_course.pk]), signup_data)

    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_it_does_not_link_an_unknown_hpr_number(client, vest_course, signup_data):
    _signup(client, vest_course, signup_data | {"hpr_number": "9999999"})

    assert Registration.objects.get().doctor is None
    assert not Doctor.objects.exists()


def test_a_supervisor_in_samfunnsmedisin_signs_up_as_one(client, vest_course, signup_data):
    page = client.get(reverse("courses:signup", args=[vest_course.pk]))
    assert "Hvilket fag veileder du i?" in page.text and "Samfunnsmedisin" in page.text

    _signup(client, vest_course, signup_data | {"specialty": "community_medicine"})

    registration = vest_course.registrations.get()
    assert (registration.specialty, registration.is_specialist) == ("community_medicine", True)


def test_a_sign_up_without_the_specialty_is_for_allmennmedisin(client, vest_course, signup_data):
    _signup(client, vest_course, {k: v for k, v in signup_data.items() if k != "specialty"})

    assert vest_course.registrations.get().specialty == "general_practice"
