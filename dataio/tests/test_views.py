from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD
from dataio.models import ImportJob
from registry.models import Doctor, GpOffice

GP_CSV = (
    "Kommunenummer;Legekontor;Lege;HPR-nummer;Listelengde;Listetak\r\n"
    "4601;Sentrum legekontor;Nordmann, Kari;1234567;1 200;1 500\r\n"
    "4601;Åsane legesenter;Ødegård, Åse;9876543;800;1 000\r\n"
).encode("cp1252")


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def upload(client, data: bytes = GP_CSV, name: str = "fastleger.csv"):
    return client.post(reverse("dataio:gp_list_upload"), {"file": SimpleUploadedFile(name, data)})


def test_it_uploads_previews_and_imports_on_confirmation(client, vest_user, vest_training) -> None:
    login(client, vest_user)
    response = upload(client)
    job = ImportJob.objects.get()
    assert response.url == reverse("dataio:job_detail", args=[job.pk])
    assert job.status == ImportJob.Status.PREVIEW
    page = client.get(response.url).content.decode()
    assert "Åse Ødegård (9876543)" in page and "Nytt legekontor: Åsane legesenter" in page
    assert not Doctor.objects.filter(hpr_number="9876543").exists()  # nothing written before confirmation
    client.post(reverse("dataio:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.result == {"created": 1, "changed": 1, "skipped": 0, "gone": 0}
    assert Doctor.objects.get(hpr_number="9876543").gp_office.name == "Åsane legesenter"
    client.post(reverse("dataio:job_confirm", args=[job.pk]))  # a second click imports nothing twice
    assert GpOffice.objects.filter(name="Åsane legesenter").count() == 1


def test_it_shows_file_errors_without_a_server_error(client, vest_user) -> None:
    login(client, vest_user)
    for data, message in [(bytes(range(256)) * 100, "verken en Excel-fil"), (b"Navn;Alder\nPer;3\n", "mangler")]:
        response = upload(client, data)
        assert message in client.get(response.url).content.decode()
    assert set(ImportJob.objects.values_list("status", flat=True)) == {ImportJob.Status.INVALID}


def test_it_refuses_a_file_too_large_before_reading_it(client, vest_user) -> None:
    login(client, vest_user)
    response = upload(client, b"x" * (50 * 1024 * 1024))
    assert response.status_code == 200
    assert "Fila er for stor (50 MB); grensen er 10 MB." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_shows_row_errors_and_offers_no_confirmation(client, vest_user, world) -> None:
    login(client, vest_user)
    response = upload(client, b"Kommunenummer;Legekontor;Lege;Listelengde\n1804;Bod\xf8 legesenter;Hansen, Ola;mye\n")
    page = client.get(response.url).content.decode()
    assert "Rad 2, kolonne «Listelengde»: «mye» er ikke et helt tall." in page
    assert "Bekreft og lagre" not in page
    client.post(reverse("dataio:job_confirm", args=[ImportJob.objects.get().pk]))
    assert ImportJob.objects.get().status == ImportJob.Status.INVALID and not GpOffice.objects.exists()


def test_it_shows_a_new_preview_when_the_register_changed_after_the_first(client, vest_user, vest_training) -> None:
    login(client, vest_user)
    job_url = upload(client).url
    GpOffice.objects.create(name="Åsane legesenter", municipality=vest_training.employer)
    job = ImportJob.objects.get()
    client.post(reverse("dataio:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW and "endret siden forhåndsvisningen" in job.message
    assert not Doctor.objects.filter(hpr_number="9876543").exists()
    client.post(reverse("dataio:job_confirm", args=[job.pk]))
    assert client.get(job_url).context["job"].status == ImportJob.Status.DONE


def test_it_marks_gone_regular_gps_when_the_user_ticks_the_box(client, vest_user, vest_training) -> None:
    gone = Doctor.objects.create(
        first_name="Gunn", last_name="Borte", municipality=vest_training.employer, is_regular_gp=True, list_size=900
    )
    login(client, vest_user)
    response = upload(client)
    assert "Gunn Borte (uten HPR-nummer), Bergen" in client.get(response.url).content.decode()
    client.post(reverse("dataio:job_confirm", args=[ImportJob.objects.get().pk]), {"mark_gone": "on"})
    gone.refresh_from_db()
    assert (gone.is_regular_gp, gone.list_size) == (False, None)


def test_it_imports_an_alis_list_for_a_chosen_municipality(client, vest_user, records, world) -> None:
    login(client, vest_user)
    template = client.get(reverse("dataio:alis_template", args=["xlsx"]))
    assert load_workbook(__import__("io").BytesIO(template.content)).active["A1"].value == "Navn"
    data = "Navn;Startdato;Tilknytning\r\nØdegård, Åse;01.09.2024;Fastlønn\r\n".encode()
    response = client.post(
        reverse("dataio:alis_list_upload"),
        {"municipality": world.bergen.pk, "file": SimpleUploadedFile("alis.csv", data)},
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("dataio:job_detail", args=[job.pk]) and job.status == ImportJob.Status.PREVIEW
    client.post(reverse("dataio:job_confirm", args=[job.pk]))
    assert Doctor.objects.get(last_name="Ødegård").trainings.get().start == date(2024, 9, 1)


def test_it_offers_only_the_offices_own_municipalities(client, vest_user, world) -> None:
    login(client, vest_user)
    response = client.post(
        reverse("dataio:alis_list_upload"), {"municipality": world.bodo.pk, "file": SimpleUploadedFile("a.csv", b"x")}
    )
    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert "Bodø" not in response.content.decode().split("<select")[1].split("</select>")[0]


def test_it_hides_jobs_from_other_offices(client, vest_user, nord_user, coordinator) -> None:
    login(client, vest_user)
    upload(client)
    job = ImportJob.objects.get()
    for outsider in (nord_user, coordinator):
        login(client, outsider)
        assert client.get(reverse("dataio:job_detail", args=[job.pk])).status_code == 404
        assert client.post(reverse("dataio:job_confirm", args=[job.pk])).status_code == 404
        assert job.filename not in client.get(reverse("dataio:index")).content.decode()


@pytest.mark.parametrize("persona", ["reader", "coordinator"])
def test_it_lets_only_office_staff_import(client, persona, request) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("dataio:gp_list_upload")).status_code == 403
    assert upload(client).status_code == 403
    assert client.get(reverse("dataio:alis_list_upload")).status_code == 403
    assert client.get(reverse("dataio:index")).status_code == 200


def test_it_polls_progress_and_reloads_when_done(client, vest_user, world) -> None:
    login(client, vest_user)
    upload(client)
    job = ImportJob.objects.get()
    url = reverse("dataio:job_detail", args=[job.pk])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING, progress=250, total=1000)
    partial = client.get(url, headers={"HX-Request": "true", "HX-Target": "job-progress"})
    assert 'value="25"' in partial.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.PREVIEW)
    assert client.get(url, headers={"HX-Request": "true", "HX-Target": "job-progress"})["HX-Refresh"] == "true"


def test_the_commands_use_the_same_importers(tmp_path, vest_training, capsys) -> None:
    path = tmp_path / "fastleger.csv"
    path.write_bytes(GP_CSV)
    call_command("import_gp_list", str(path), office="vest", dry_run=True)
    assert "Prøvekjøring" in capsys.readouterr().out and not Doctor.objects.filter(hpr_number="9876543").exists()
    call_command("import_gp_list", str(path), office="vest")
    assert Doctor.objects.filter(hpr_number="9876543").exists()
    alis = tmp_path / "alis.csv"
    alis.write_text("Navn;Startdato;Tilknytning\nPer Ås;31.02.2021;vikar\n", encoding="cp1252")
    with pytest.raises(CommandError, match="1 feil"):
        call_command("import_alis_list", str(alis), municipality="4601")
    assert "Rad 2, kolonne «Startdato»: «31.02.2021» er ikke en gyldig dato." in capsys.readouterr().err
