"""Destructive actions on the course pages go through a confirmation page; links only for those allowed."""

from django.urls import reverse

from core.models import Change
from courses.models import Attendance, Course, Gathering, Registration
from courses.tests.conftest import make_course, make_registration


def test_deleting_a_gathering_asks_first_then_deletes_with_history(client, vest_user, vest_course) -> None:
    gathering = vest_course.gatherings.first()
    client.force_login(vest_user)
    url = reverse("courses:gathering_delete", args=[gathering.pk])

    page = client.get(url).content.decode()

    assert "Slette samlingen?" in page
    assert '<button class="ds-button" data-color="danger" type="submit">Slett</button>' in page
    assert Gathering.objects.filter(pk=gathering.pk).exists()
    response = client.post(url)
    assert response["Location"] == reverse("courses:detail", args=[vest_course.pk])
    assert not Gathering.objects.filter(pk=gathering.pk).exists()
    assert Change.objects.filter(action=Change.Action.DELETE, object_id=gathering.pk, parent_id=vest_course.pk).exists()


def test_a_gathering_with_attendance_can_not_be_deleted(client, vest_user, vest_course, world) -> None:
    gathering = vest_course.gatherings.first()
    registration = make_registration(vest_course, world.bergen, email="a@example.no")
    Attendance.objects.create(registration=registration, gathering=gathering)
    client.force_login(vest_user)
    url = reverse("courses:gathering_delete", args=[gathering.pk])

    page = client.get(url).content.decode()
    client.post(url)

    assert "Samlingen har registrert oppmøte og kan ikke slettes." in page and "data-color=\"danger\"" not in page
    assert Gathering.objects.filter(pk=gathering.pk).exists()


def test_the_detail_page_links_to_the_confirmation_not_a_one_click_delete(client, vest_user, vest_course) -> None:
    client.force_login(vest_user)

    html = client.get(reverse("courses:detail", args=[vest_course.pk])).content.decode()

    gathering = vest_course.gatherings.first()
    assert f'<a class="ds-link" href="{reverse("courses:gathering_delete", args=[gathering.pk])}">Slett' in html
    assert 'action="/kurs/kontor/samlinger/' not in html


def test_cancelling_a_participant_asks_first(client, vest_user, world) -> None:
    course = make_course(world.vest, capacity=1)
    leaving = make_registration(course, world.bergen, email="leaving@example.no", name="Lise Leaving")
    client.force_login(vest_user)
    url = reverse("courses:participant_cancel", args=[leaving.pk])

    page = client.get(url).content.decode()
    assert "Melde av Lise Leaving?" in page
    leaving.refresh_from_db()
    assert leaving.status == Registration.Status.CONFIRMED

    participants = client.get(reverse("courses:participants", args=[course.pk])).content.decode()
    assert f'href="{url}">Meld av' in participants


def test_other_regions_and_the_coordinator_may_not_delete(client, nord_user, coordinator, vest_course) -> None:
    url = reverse("courses:gathering_delete", args=[vest_course.gatherings.first().pk])
    client.force_login(nord_user)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


def test_the_administrator_is_not_offered_a_new_course_it_may_not_create(client, admin_user, vest_user, world) -> None:
    client.force_login(admin_user)
    assert reverse("courses:create") not in client.get(reverse("courses:list")).content.decode()
    assert client.get(reverse("courses:create")).status_code == 403

    client.force_login(vest_user)
    assert reverse("courses:create") in client.get(reverse("courses:list")).content.decode()
    assert Course.objects.count() == 0
