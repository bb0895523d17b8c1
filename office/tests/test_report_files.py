"""The annual report PDF: built by the task worker, its progress shown, kept until the data changes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core import generated_files
from core.models import GeneratedFile
from office import report_files
from office.models import AnnualReport
from office.tests.test_views import _client
from registry.models import Municipality


@pytest.fixture
def queued(settings):
    """A task backend that keeps the tasks (as the database queue does until the worker takes them)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _pdf_url(year: int = 2024) -> str:
    return reverse("office:report_download", args=["vest", year, "pdf"])


def test_the_page_shows_the_progress_until_the_worker_has_built_it(vest_user, known, queued) -> None:
    client = _client(vest_user)

    waiting = client.get(_pdf_url())

    assert waiting.status_code == 200
    html = waiting.content.decode()
    assert "Årsrapport 2024 som PDF" in html and "Venter på tur" in html
    file = GeneratedFile.objects.get()
    status_url = reverse("generated_file_status", args=[file.pk])
    assert f'hx-get="{status_url}"' in html and 'value="0"' in html

    generated_files.build_file(file.pk)  # what the task worker does

    status = client.get(status_url).content.decode()
    assert "Fila er ferdig." in status and f'href="{_pdf_url()}"' in status and "hx-get" not in status
    pdf = client.get(_pdf_url())
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert GeneratedFile.objects.count() == 1  # served from the kept file, not asked for again


def test_the_file_is_kept_until_the_data_changes(vest_user, known) -> None:
    client = _client(vest_user)
    first = client.get(_pdf_url())
    assert first.content.startswith(b"%PDF")
    kept = GeneratedFile.objects.get()

    client.get(_pdf_url())
    assert list(GeneratedFile.objects.values_list("pk", flat=True)) == [kept.pk]

    texts = AnnualReport.objects.get(office=known.world.vest, year=2024)
    form = client.get(reverse("office:report_texts", args=["vest", 2024])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(new_mandate="Revidert mandat.", version=texts.version)
    assert client.post(reverse("office:report_texts", args=["vest", 2024]), data).status_code == 302

    again = client.get(_pdf_url())
    assert again.content.startswith(b"%PDF")
    assert GeneratedFile.objects.get().pk != kept.pk  # the old file is gone with the old data
    assert "Revidert mandat." in client.get(reverse("office:report", args=["vest", 2024])).content.decode()


def test_a_write_outside_the_forms_has_the_file_built_again(vest_user, known) -> None:
    """The file is kept by the tables it was read from (core.tableversions): a bulk update leaves no history."""
    client = _client(vest_user)
    client.get(_pdf_url())
    kept = GeneratedFile.objects.get()
    assert kept.data_version.startswith(f"{timezone.localdate():%Y-%m-%d}|")
    assert "registry_municipality=" in kept.data_version
    assert "core_generatedfile" not in kept.data_version  # its own progress is not what it is built from

    client.get(_pdf_url())
    assert GeneratedFile.objects.get().pk == kept.pk

    Municipality.objects.filter(number="4632").update(centrality=6)

    assert client.get(_pdf_url()).content.startswith(b"%PDF")
    assert GeneratedFile.objects.get().pk != kept.pk


def test_a_file_of_another_day_is_built_again(vest_user, known) -> None:
    """The report counts «now» from today."""
    client = _client(vest_user)
    client.get(_pdf_url())
    kept = GeneratedFile.objects.get()
    yesterday = f"{timezone.localdate() - timedelta(days=1):%Y-%m-%d}"
    GeneratedFile.objects.filter(pk=kept.pk).update(data_version=yesterday + kept.data_version[10:])

    client.get(_pdf_url())

    assert GeneratedFile.objects.get().pk != kept.pk


def test_a_failed_build_says_so_and_is_tried_again(vest_user, known, queued, monkeypatch) -> None:
    client = _client(vest_user)
    client.get(_pdf_url())
    file = GeneratedFile.objects.get()
    monkeypatch.setattr(report_files.render, "render", lambda built, fmt: 1 / 0)

    generated_files.build_file(file.pk)

    status = client.get(reverse("generated_file_status", args=[file.pk])).content.decode()
    assert "Fila kunne ikke lages" in status and "Prøv igjen" in status
    client.get(_pdf_url())
    assert GeneratedFile.objects.get().status == GeneratedFile.Status.PENDING  # a new try in the queue


def test_another_region_can_not_follow_the_file(vest_user, nord_user, coordinator, known, queued) -> None:
    _client(vest_user).get(_pdf_url())
    status_url = reverse("generated_file_status", args=[GeneratedFile.objects.get().pk])

    assert _client(nord_user).get(status_url).status_code == 404
    assert _client(nord_user).get(_pdf_url()).status_code == 404
    assert _client(coordinator).get(status_url).status_code == 200


def test_the_national_pdf_is_built_off_the_request_too(coordinator, nord_user, known, queued) -> None:
    url = reverse("office:report_national_download", args=[2024, "pdf"])

    page = _client(coordinator).get(url)

    assert "Årsrapport 2024 som PDF" in page.content.decode()
    file = GeneratedFile.objects.get(key__contains='"office": null')
    assert _client(nord_user).get(reverse("generated_file_status", args=[file.pk])).status_code == 403
