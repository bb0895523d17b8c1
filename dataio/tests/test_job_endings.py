"""Every import job ends, and its uploaded file (personal data) goes when it does (issue 11)."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dataio import services
from dataio.models import ImportJob
from dataio.tests.test_views import login, upload
from registry.models import Doctor

UNEXPECTED = "Importen stoppet på en uventet feil, og ingenting er lagret."


def test_a_finished_import_keeps_no_file_but_its_preview_and_counts(client, vest_user, vest_training) -> None:
    login(client, vest_user)
    job_url = upload(client).url
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEW and bytes(job.data)  # kept until it is confirmed
    client.post(reverse("dataio:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert bytes(job.data) == b"" and job.plan is not None
    assert "Åse Ødegård (9876543)" in client.get(job_url, {"vis": "alle"}).text


def test_a_file_with_errors_is_not_kept(client, vest_user) -> None:
    login(client, vest_user)
    upload(client, b"Navn;Alder\nPer;3\n")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID and bytes(job.data) == b""


def test_an_unexpected_error_while_checking_fails_the_job_with_its_reason(client, vest_user, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("dataio.gp_list.prepare", broken)
    login(client, vest_user)
    response = upload(client)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None  # before: "checking" forever
    assert bytes(job.data) == b""
    page = client.get(response.url).text
    assert UNEXPECTED in page and "Ikke importert" in page


def test_an_unexpected_error_while_saving_writes_nothing_and_fails_the_job(
    client, vest_user, vest_training, monkeypatch
) -> None:
    login(client, vest_user)
    upload(client)
    job = ImportJob.objects.get()

    def broken(prepared, **kwargs):
        Doctor.objects.create(first_name="Halv", last_name="Skrevet", municipality=vest_training.doctor.municipality)
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "apply", broken)
    client.post(reverse("dataio:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and UNEXPECTED in job.message
    assert not Doctor.objects.filter(last_name="Skrevet").exists()
    assert not Doctor.objects.filter(hpr_number="9876543").exists()


def _job(vest_user, world, status: str, days_old: int, **fields) -> ImportJob:
    job = ImportJob.objects.create(
        office=world.vest, kind=ImportJob.Kind.GP_LIST, filename="fastleger.csv", data=b"Lege;HPR\n",
        created_by=vest_user, status=status, plan={"rows": []}, **fields,
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return job


def test_the_nightly_prune_ends_what_waits_and_deletes_the_files(vest_user, world, settings) -> None:
    settings.IMPORT_FILE_RETENTION_DAYS = 7
    Status = ImportJob.Status
    stale = _job(vest_user, world, Status.PREVIEW, 8)
    fresh = _job(vest_user, world, Status.PREVIEW, 2)
    lost = _job(vest_user, world, Status.CHECKING, 2)
    old_done = _job(vest_user, world, Status.DONE, 30, result={"created": 3, "changed": 1, "gone": 0})
    out = StringIO()
    call_command("prune_import_files", stdout=out)
    assert "Ryddet 3 importer" in out.getvalue()
    for job in (stale, fresh, lost, old_done):
        job.refresh_from_db()
    assert stale.status == Status.FAILED and bytes(stale.data) == b"" and stale.plan is None
    assert "ikke bekreftet innen 7 dager" in stale.message
    assert fresh.status == Status.PREVIEW and bytes(fresh.data) and fresh.plan  # still to be confirmed
    assert lost.status == Status.FAILED and "avbrutt" in lost.message
    assert old_done.status == Status.DONE and old_done.plan is None
    assert old_done.result == {"created": 3, "changed": 1, "gone": 0}
    assert services.purge_files() == 0  # the second run finds nothing
