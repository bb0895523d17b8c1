"""Supervision sessions from a list: an import job like the others, and never the same session twice."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import PASSWORD
from core.history import history_of
from dataio.models import ImportJob
from supervision.models import SupervisionSession

pytestmark = pytest.mark.django_db

CSV_OK = (
    "HPR ALIS;HPR veileder;dato;minutter;type;tema\n"
    "1234567;1111111;01.03.2025;60;individuell;Journal\n"
    "1234567;1111111;15.03.2025;90;gruppe;\n"
)


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def upload(client, text: str = CSV_OK, name: str = "timer.csv"):
    return client.post(reverse("dataio:session_upload"), {"file": SimpleUploadedFile(name, text.encode())})


def confirm(client, job: ImportJob):
    return client.post(reverse("dataio:job_confirm", args=[job.pk]))


def test_it_previews_then_imports_on_confirmation_with_history(client, vest_user, records):
    login(client, vest_user)
    response = upload(client)
    job = ImportJob.objects.get()
    assert response.url == reverse("dataio:job_detail", args=[job.pk])
    assert (job.kind, job.status) == ("supervision_sessions", ImportJob.Status.PREVIEW)
    page = client.get(response.url).content.decode()
    assert "<h1" in page and "Veiledningstimer</h1>" in page
    assert "Kari Nordmann, 01.03.2025: individuell, 60 min (veileder Per Veileder)" in page
    assert not SupervisionSession.objects.exists()  # nothing written before confirmation
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result == {"created": 2, "changed": 0, "skipped": 0, "gone": 0}
    sessions = SupervisionSession.objects.order_by("date")
    assert [(s.date, s.minutes, s.kind, s.source) for s in sessions] == [
        (date(2025, 3, 1), 60, "individual", "import"),
        (date(2025, 3, 15), 90, "group", "import"),
    ]
    assert history_of(sessions[0], user=vest_user)[0].user == vest_user
    # The file is gone once the import ended; the report stays.
    assert (bytes(job.data), job.file_deleted_at is not None, job.plan is not None) == (b"", True, True)


def test_importing_the_same_list_again_creates_no_duplicates(client, vest_user, records):
    login(client, vest_user)
    upload(client)
    confirm(client, ImportJob.objects.get())
    SupervisionSession.objects.filter(date=date(2025, 3, 15)).update(minutes=120)  # corrected by the office since
    upload(client)
    second = ImportJob.objects.latest("pk")
    assert second.status == ImportJob.Status.PREVIEW
    page = client.get(reverse("dataio:job_detail", args=[second.pk])).content.decode()
    assert page.count("Finnes fra før (importert fra liste); hoppes over.") == 2
    assert "Registrert med 120 min og tema «–»; det endres ikke av importen." in page
    confirm(client, second)
    second.refresh_from_db()
    assert second.result == {"created": 0, "changed": 0, "skipped": 2, "gone": 0}
    assert SupervisionSession.objects.count() == 2
    assert SupervisionSession.objects.get(date=date(2025, 3, 15)).minutes == 120


def test_a_replayed_confirmation_imports_nothing_twice(client, vest_user, records):
    login(client, vest_user)
    upload(client)
    job = ImportJob.objects.get()
    confirm(client, job)
    confirm(client, job)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.PREVIEW)  # a preview replayed as it was
    confirm(client, job)
    assert SupervisionSession.objects.count() == 2


def test_a_session_registered_by_the_office_meanwhile_is_not_added_again(client, vest_user, records):
    login(client, vest_user)
    upload(client)
    job = ImportJob.objects.get()
    SupervisionSession.objects.create(
        training=records.vest_training, supervisor=records.vest_supervisor, date=date(2025, 3, 1), minutes=60
    )
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW and "Registeret er endret siden forhåndsvisningen" in job.message
    confirm(client, job)
    assert SupervisionSession.objects.count() == 2


def test_the_database_refuses_the_same_session_twice(records):
    fields = {
        "training": records.vest_training,
        "supervisor": records.vest_supervisor,
        "date": date(2025, 3, 1),
        "kind": "individual",
    }
    SupervisionSession.objects.create(minutes=60, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionSession.objects.create(minutes=45, **fields)
    SupervisionSession.objects.create(minutes=45, **{**fields, "kind": "group"})  # another kind is another session


def test_it_refuses_the_same_session_twice_in_one_file(client, vest_user, records):
    login(client, vest_user)
    upload(client, CSV_OK + "1234567;1111111;1.3.2025;45;Individuell;\n")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert job.plan["rows"][2]["errors"] == ["Rad 4: samme time som rad 2 (ALIS, dato, type og veileder)."]


def test_it_imports_nothing_when_a_row_is_wrong(client, vest_user, records):
    login(client, vest_user)
    upload(client, CSV_OK + "7654321;1111111;32.13.2025;abc;privat;\n")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID and "4 feil" in job.message
    page = client.get(reverse("dataio:job_detail", args=[job.pk])).content.decode()
    # The Nord ALIS is outside Vest's region.
    assert "Rad 4, kolonne «HPR ALIS»: fant ingen pågående ALIS i regionen med HPR-nummer «7654321»." in page
    assert "Rad 4, kolonne «Minutter»: skriv et helt tall fra 5 til 600, ikke «abc»." in page
    assert "Rad 4, kolonne «Type»: skriv «individuell» eller «gruppe», ikke «privat»." in page
    assert "Bekreft og lagre" not in page
    # Said once, with the list of errors, not again in an alert of its own above the preview.
    assert "4 feil må rettes i fila" in page and "Ingenting kan lagres før feilene er rettet i fila." in page
    assert job.message not in page
    confirm(client, job)
    assert not SupervisionSession.objects.exists()


def test_it_reads_excel_dates_and_refuses_future_dates(client, vest_user, records):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["HPR ALIS", "HPR veileder", "Dato", "Minutter", "Type", "Tema"])
    sheet.append([1234567, 1111111, date(2025, 3, 1), 60, "Individuell", "Læringsmål"])
    sheet.append([1234567, 1111111, date(2099, 1, 1), 60, "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    login(client, vest_user)
    client.post(reverse("dataio:session_upload"), {"file": SimpleUploadedFile("timer.xlsx", buffer.getvalue())})
    rows = ImportJob.objects.get().plan["rows"]
    assert rows[0]["action"] == "create"
    assert rows[1]["errors"] == ["Rad 3, kolonne «Dato»: 01.01.2099 er fram i tid."]


@pytest.mark.parametrize("persona", ["reader", "coordinator", "admin_user"])
def test_only_office_staff_import_sessions(client, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("dataio:session_upload")).status_code == 403
    assert upload(client).status_code == 403
    assert not ImportJob.objects.exists()


def test_the_office_form_and_the_supervisor_link_refuse_a_session_registered_before(client, vest_user, records):
    from supervision import links
    from supervision.models import SupervisorLink

    SupervisionSession.objects.create(
        training=records.vest_training, supervisor=records.vest_supervisor, date=date(2025, 3, 1), minutes=60
    )
    login(client, vest_user)
    data = {"date": "2025-03-01", "minutes": "30", "kind": "individual", "supervisor": records.vest_supervisor.pk}
    response = client.post(reverse("supervision:session_create", args=[records.vest_training.pk]), data)
    assert response.status_code == 200
    assert "Det er allerede registrert en time av denne typen med denne veilederen denne dagen." in (
        response.content.decode()
    )
    client.logout()
    link = SupervisorLink.objects.create(supervisor=records.vest_supervisor, expires_on=date(2100, 1, 1))
    url = reverse("supervision:link_page", args=[links.token_for(link)])
    data = {
        "ny-training": records.vest_training.pk,
        "ny-date": "2025-03-01",
        "ny-minutes": "60",
        "ny-kind": "individual",
    }
    response = client.post(url, data)
    assert "Timen er allerede registrert. Bekreft den i listen over timer i stedet." in response.content.decode()
    assert SupervisionSession.objects.count() == 1
