"""The course certificate: built by the task worker, its progress shown, kept until the data changes."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from core import generated_files
from core.models import GeneratedFile, Read
from courses.models import Attendance


@pytest.fixture
def queued(settings):
    """A task backend that keeps the tasks (as the database queue does until the worker takes them)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def completed(participant, vest_course, today):
    """The Vest participant present at every gathering, the day after the course."""
    for gathering in vest_course.gatherings.all():
        Attendance.objects.create(registration=participant, gathering=gathering)
    today(vest_course.gatherings.last().end)
    return participant


def _client(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def _url(registration) -> str:
    return reverse("courses:certificate", args=[registration.pk])


def test_the_page_shows_the_progress_until_the_worker_has_built_it(client, vest_user, completed, queued) -> None:
    client = _client(client, vest_user)

    waiting = client.get(_url(completed))

    assert waiting.status_code == 200 and waiting["Content-Type"].startswith("text/html")
    html = waiting.content.decode()
    assert "<h1" in html and "Kursbevis for Per Veileder" in html and completed.course.title in html
    assert "Fila lages nå, i bakgrunnen." in html and "Venter på tur" in html
    assert "Deltakere og oppmøte" in html  # the way back, in the breadcrumbs
    file = GeneratedFile.objects.get()
    assert file.kind == "certificate" and file.status == GeneratedFile.Status.PENDING
    status_url = reverse("generated_file_status", args=[file.pk])
    assert f'hx-get="{status_url}"' in html

    generated_files.build_file(file.pk)  # what the task worker does

    status = client.get(status_url).content.decode()
    assert "Fila er ferdig." in status and f'href="{_url(completed)}"' in status and "hx-get" not in status
    pdf = client.get(_url(completed))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f'filename="kursbevis-{completed.pk}.pdf"' in pdf["Content-Disposition"]
    assert GeneratedFile.objects.count() == 1  # served from the kept file, not asked for again
    assert Read.objects.filter(object_id=completed.pk).exists()  # the read of the participant is logged


def test_a_kept_certificate_is_served_at_once_until_the_data_changes(client, vest_user, completed) -> None:
    client = _client(client, vest_user)
    first = client.get(_url(completed))
    assert first.content.startswith(b"%PDF")
    kept = GeneratedFile.objects.get()

    assert client.get(_url(completed)).content.startswith(b"%PDF")
    assert list(GeneratedFile.objects.values_list("pk", flat=True)) == [kept.pk]

    course = completed.course
    form = client.get(reverse("courses:edit", args=[course.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data.update(title="Veilederkurs, revidert", version=course.version)
    data["instructors"] = [i.pk for i in course.instructors.all()]
    assert client.post(reverse("courses:edit", args=[course.pk]), data).status_code == 302

    again = client.get(_url(completed))
    assert again.content.startswith(b"%PDF")
    assert GeneratedFile.objects.get().pk != kept.pk  # the old file is gone with the old data


def test_another_region_can_not_follow_the_certificate(client, vest_user, nord_user, reader, completed, queued):
    _client(client, vest_user).get(_url(completed))
    status_url = reverse("generated_file_status", args=[GeneratedFile.objects.get().pk])
    client.logout()

    assert _client(client, nord_user).get(_url(completed)).status_code == 404
    assert client.get(status_url).status_code == 404
    assert _client(client, reader).get(status_url).status_code == 403
    assert GeneratedFile.objects.count() == 1


def test_a_failed_build_says_so_and_is_tried_again(client, vest_user, completed, queued) -> None:
    client = _client(client, vest_user)
    client.get(_url(completed))
    file = GeneratedFile.objects.get()
    Attendance.objects.filter(registration=completed).first().delete()  # no longer complete when the worker builds

    generated_files.build_file(file.pk)

    status = client.get(reverse("generated_file_status", args=[file.pk])).content.decode()
    assert "Fila kunne ikke lages" in status and "Prøv igjen" in status
    assert client.get(_url(completed)).status_code == 404  # and the page says no more than the data does


def test_files_of_older_data_are_deleted_unless_the_worker_still_has_them(client, vest_user, completed, queued):
    old = {"kind": "annual-report", "language": "nb", "data_version": "0-0-0-0-20000101"}
    served = GeneratedFile.objects.create(key='{"x": 1}', status=GeneratedFile.Status.READY, content=b"%PDF", **old)
    building = GeneratedFile.objects.create(key='{"x": 2}', status=GeneratedFile.Status.RUNNING, **old)

    _client(client, vest_user).get(_url(completed))

    assert not GeneratedFile.objects.filter(pk=served.pk).exists()  # never served again: gone with its data
    assert GeneratedFile.objects.filter(pk=building.pk).exists()  # a page still follows it
    assert GeneratedFile.objects.filter(kind="certificate").count() == 1
