"""Every import job ends, as done or not imported with a Norwegian reason, and its file is deleted then."""

import io
import logging
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from conftest import PASSWORD
from dataio import gp_list, jobs, services
from dataio.models import ImportJob
from registry.models import Doctor, GpOffice

pytestmark = pytest.mark.django_db
Status = ImportJob.Status

GP_CSV = (
    "Kommunenummer;Legekontor;Lege;HPR-nummer;Listelengde;Listetak\r\n"
    "4601;Åsane legesenter;Ødegård, Åse;9876543;800;1 000\r\n"
).encode("cp1252")


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def upload(client, data: bytes = GP_CSV, name: str = "fastleger.csv"):
    return client.post(reverse("dataio:gp_list_upload"), {"file": SimpleUploadedFile(name, data)})


def _cut_off_excel() -> bytes:
    """An .xlsx whose sheet is cut off half way, as a broken download leaves it: its XML does not parse."""
    workbook = Workbook()
    workbook.active.append(["Kommunenummer", "Legekontor", "Lege"])
    workbook.active.append(["4601", "Åsane legesenter", "Ødegård, Åse"])
    whole = io.BytesIO()
    workbook.save(whole)
    source, cut = zipfile.ZipFile(io.BytesIO(whole.getvalue())), io.BytesIO()
    with zipfile.ZipFile(cut, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet1.xml" else data)
    return cut.getvalue()


def test_a_cut_off_excel_file_ends_as_unreadable(client, vest_user, world):
    # It used to raise a ParseError in the worker and leave the job «Leses og kontrolleres» for ever.
    login(client, vest_user)
    response = upload(client, _cut_off_excel(), "fastleger.xlsx")
    job = ImportJob.objects.get()
    assert job.status == Status.INVALID
    assert "Fila er ikke en Excel-fil (.xlsx) som kan leses." in client.get(response.url).content.decode()


def test_a_checker_that_raises_ends_the_job_as_failed_with_a_reason(client, vest_user, world, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the checker")

    monkeypatch.setattr(gp_list, "prepare", broken)
    login(client, vest_user)
    with caplog.at_level(logging.ERROR, logger="dataio.services"):
        response = upload(client)
    job = ImportJob.objects.get()
    assert job.status == Status.FAILED and job.finished_at is not None
    assert job.message.startswith("Fila kunne ikke kontrolleres på grunn av en feil i programmet.")
    assert bytes(job.data) == b"" and job.file_deleted_at is not None
    assert "a bug in the checker" in caplog.text  # the details go to the log, not to the user
    page = client.get(response.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ikke importert" in body and "feil i programmet" in body and "a bug" not in body
    assert reverse("dataio:gp_list_upload") in body  # «Last opp en ny fil»


def test_a_failure_while_writing_writes_nothing_and_ends_the_job(client, vest_user, vest_training, monkeypatch):
    real = jobs.apply

    def writes_then_fails(prepared, **kwargs):
        real(prepared, **kwargs)
        raise ValueError("a bug after the first rows were written")

    monkeypatch.setattr(jobs, "apply", writes_then_fails)
    login(client, vest_user)
    upload(client)
    job = ImportJob.objects.get()
    client.post(reverse("dataio:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.message.startswith("Importen stoppet på grunn av en feil i programmet. Feilen er logget, og ingenting")
    assert not Doctor.objects.filter(hpr_number="9876543").exists()
    assert not GpOffice.objects.filter(name="Åsane legesenter").exists()


@pytest.mark.parametrize(
    ("url_name", "extra"),
    [("dataio:gp_list_upload", {}), ("dataio:session_upload", {}), ("dataio:alis_list_upload", None)],
)
def test_every_upload_has_the_size_limit_of_the_setting(client, vest_user, world, settings, url_name, extra):
    settings.IMPORT_MAX_MB = 1
    login(client, vest_user)
    data = {"file": SimpleUploadedFile("stor.csv", b"x" * (2 * 1024 * 1024))}
    if extra is None:
        data["municipality"] = world.bergen.pk
    response = client.post(reverse(url_name), data)
    assert response.status_code == 200
    assert "Fila er for stor (2 MB); grensen er 1 MB." in response.content.decode()
    assert "Høyst 1 MB." in response.content.decode()
    assert not ImportJob.objects.exists()


def _job(user, status: str, **fields) -> ImportJob:
    return ImportJob.objects.create(
        office=user.office, kind="gp_list", filename="f.csv", data=b"data", created_by=user, status=status, **fields
    )


def test_clean_imports_ends_what_nobody_ends_and_is_safe_to_run_again(vest_user, settings):
    settings.IMPORT_KEEP_DAYS, settings.IMPORT_TIMEOUT_MINUTES = 14, 60
    now = timezone.now()
    fresh_check = _job(vest_user, Status.CHECKING)
    stuck_check = _job(vest_user, Status.CHECKING)
    stuck_apply = _job(vest_user, Status.APPLYING, confirmed_at=now - timedelta(hours=2))
    waiting = _job(vest_user, Status.PREVIEW, plan={"rows": []})
    forgotten = _job(vest_user, Status.PREVIEW, plan={"rows": []})
    done_long_ago = _job(vest_user, Status.DONE, plan={"rows": []}, finished_at=now - timedelta(days=20))
    ImportJob.objects.filter(pk=stuck_check.pk).update(created_at=now - timedelta(hours=2))
    ImportJob.objects.filter(pk=forgotten.pk).update(created_at=now - timedelta(days=15))

    assert services.jobs_clean(now=now) == {"stuck": 2, "unconfirmed": 1, "files": 1, "reports": 1}
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses[fresh_check.pk] == Status.CHECKING and statuses[waiting.pk] == Status.PREVIEW
    assert {statuses[j.pk] for j in (stuck_check, stuck_apply, forgotten)} == {Status.FAILED}
    forgotten.refresh_from_db()
    assert forgotten.message == (
        "Forhåndsvisningen ble ikke bekreftet innen 14 dager, og fila er slettet. Last opp fila på nytt."
    )
    assert bytes(forgotten.data) == b""
    stuck_apply.refresh_from_db()
    assert "Ingenting er lagret" in stuck_apply.message
    done_long_ago.refresh_from_db()
    assert (bytes(done_long_ago.data), done_long_ago.plan) == (b"", None)
    waiting.refresh_from_db()
    assert bytes(waiting.data) == b"data"

    call_command("clean_imports", stdout=io.StringIO())
    assert services.jobs_clean(now=now) == {"stuck": 0, "unconfirmed": 0, "files": 0, "reports": 0}


def test_a_preview_can_be_cancelled_through_a_confirmation_page(client, vest_user, nord_user, vest_training):
    login(client, vest_user)
    upload(client)
    job = ImportJob.objects.get()
    url = reverse("dataio:job_cancel", args=[job.pk])
    page = client.get(url).content.decode()
    assert "Avbryte importen?" in page and "fastleger.csv" in page
    job.refresh_from_db()
    assert job.status == Status.PREVIEW  # a GET only asks
    login(client, nord_user)
    assert client.post(url).status_code == 404
    login(client, vest_user)
    assert client.post(url).url == reverse("dataio:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Status.FAILED and bytes(job.data) == b""
    assert job.message == f"Avbrutt av {vest_user.get_full_name()}; ingenting er lagret."
    client.post(reverse("dataio:job_confirm", args=[job.pk]))
    assert not Doctor.objects.filter(hpr_number="9876543").exists()
    assert "Importen venter ikke på bekreftelse." in client.get(url).content.decode()


def test_the_queryset_methods_the_start_page_counts(vest_user):
    _job(vest_user, Status.PREVIEW)
    _job(vest_user, Status.CHECKING)
    _job(vest_user, Status.DONE)
    assert ImportJob.objects.awaiting_confirmation().count() == 1
    assert ImportJob.objects.running().count() == 1
    assert ImportJob.objects.ended().count() == 1
