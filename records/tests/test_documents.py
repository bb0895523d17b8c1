"""Notes and documents on an ALIS, a municipality and a supervisor: who may read and write them, versions, limits."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Change, Read
from records.models import Document, DocumentVersion, Note
from supervision.models import SupervisorProfile

PDF = b"%PDF-1.4\n% a tiny pdf\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _pdf(name: str = "avtale.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _subject_url(kind: str, pk: int) -> str:
    return reverse("records:subject", args=[kind, pk])


def _upload(client, training, **fields):
    data = {"kind": "alis_agreement", "title": "Signert ALIS-avtale", "dated": "2024-08-01", "file": _pdf()}
    data.update(fields)
    return client.post(reverse("records:document_create", args=["alis", training.pk]), data)


# --- Notes ---------------------------------------------------------------------------------------------


def test_it_adds_a_dated_note_with_who_wrote_it(client, vest_user, vest_training) -> None:
    client.force_login(vest_user)
    response = client.post(
        reverse("records:note_create", args=["alis", vest_training.pk]),
        {"written_on": "2026-11-02", "text": "Ringte kommunen om sykehustjenesten."},
    )

    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.training, note.created_by, note.written_on) == (vest_training, vest_user, date(2026, 11, 2))
    page = client.get(_subject_url("alis", vest_training.pk)).content.decode()
    assert "Notater og dokumenter om Kari Nordmann" in page
    assert "Ringte kommunen om sykehustjenesten." in page
    assert "02.11.2026" in page and "Vest" in page  # the date and who wrote it
    # The ALIS's own history shows the note.
    change = Change.objects.get(content_type__model="note")
    assert (change.parent_id, change.action, change.user) == (vest_training.pk, "create", vest_user)


def test_it_keeps_the_history_of_a_changed_note(client, vest_user, vest_training, form_data) -> None:
    note = Note.objects.create(training=vest_training, text="Første versjon", created_by=vest_user)
    client.force_login(vest_user)
    url = reverse("records:note_edit", args=[note.pk])
    data = form_data(client.get(url).context["form"]) | {"text": "Andre versjon"}

    assert client.post(url, data).status_code == 302
    note.refresh_from_db()
    assert note.text == "Andre versjon"
    change = Change.objects.get(content_type__model="note", action="update")
    assert change.fields["text"] == ["Første versjon", "Andre versjon"]


def test_it_deletes_a_note_after_asking(client, vest_user, vest_training) -> None:
    note = Note.objects.create(training=vest_training, text="Feilført", created_by=vest_user)
    client.force_login(vest_user)
    url = reverse("records:note_delete", args=[note.pk])

    assert "Slette notatet?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Note.objects.exists()
    assert Change.objects.filter(content_type__model="note", action="delete").exists()


def test_it_refuses_an_empty_note_with_a_message(client, vest_user, vest_training) -> None:
    client.force_login(vest_user)
    response = client.post(
        reverse("records:note_create", args=["alis", vest_training.pk]), {"written_on": "", "text": ""}
    )

    assert response.status_code == 200
    assert "Fyll ut" in response.content.decode() or "må fylles ut" in response.content.decode()
    assert not Note.objects.exists()


def test_another_regions_user_finds_no_notes(client, nord_user, vest_training) -> None:
    note = Note.objects.create(training=vest_training, text="Hemmelig", created_by=None)
    client.force_login(nord_user)

    assert client.get(_subject_url("alis", vest_training.pk)).status_code == 404
    assert client.get(reverse("records:note_edit", args=[note.pk])).status_code == 404
    assert client.get(reverse("records:note_delete", args=[note.pk])).status_code == 404
    assert (
        client.post(reverse("records:note_create", args=["alis", vest_training.pk]), {"text": "x"}).status_code == 404
    )


def test_the_reader_sees_no_notes_and_the_coordinator_reads_but_does_not_write(
    client, reader, coordinator, vest_training
) -> None:
    Note.objects.create(training=vest_training, text="Om framdriften")
    client.force_login(reader)
    assert client.get(_subject_url("alis", vest_training.pk)).status_code == 404

    client.force_login(coordinator)
    page = client.get(_subject_url("alis", vest_training.pk))
    assert page.status_code == 200 and "Om framdriften" in page.content.decode()
    assert "Nytt notat" not in page.content.decode()
    assert client.get(reverse("records:note_create", args=["alis", vest_training.pk])).status_code == 403


def test_notes_on_a_municipality_belong_to_its_region(client, vest_user, nord_user, world) -> None:
    client.force_login(vest_user)
    url = reverse("records:note_create", args=["kommune", world.bergen.pk])
    assert client.post(url, {"written_on": "2026-10-01", "text": "Ny utdanningsansvarlig"}).status_code == 302
    assert Note.objects.get().municipality == world.bergen
    municipality_page = client.get(reverse("registry:municipality_detail", args=[world.bergen.pk])).content.decode()
    assert reverse("records:subject", args=["kommune", world.bergen.pk]) in municipality_page

    client.force_login(nord_user)
    assert client.get(_subject_url("kommune", world.bergen.pk)).status_code == 404
    # Nord sees Bergen's public page, but no link to the notes it may not open.
    municipality_page = client.get(reverse("registry:municipality_detail", args=[world.bergen.pk])).content.decode()
    assert reverse("records:subject", args=["kommune", world.bergen.pk]) not in municipality_page


def test_notes_on_a_supervisor_belong_to_the_supervisors_region(client, vest_user, nord_user, records) -> None:
    profile = SupervisorProfile.objects.create(doctor=records.vest_supervisor)
    client.force_login(vest_user)
    url = reverse("records:note_create", args=["veileder", profile.pk])
    assert client.post(url, {"written_on": "2026-09-01", "text": "Kan ta én ALIS til"}).status_code == 302
    page = client.get(_subject_url("veileder", profile.pk)).content.decode()
    assert "Notater og dokumenter om Per Veileder" in page and "Kan ta én ALIS til" in page
    doctor_page = client.get(reverse("registry:doctor_detail", args=[records.vest_supervisor.pk])).content.decode()
    assert reverse("records:subject", args=["veileder", profile.pk]) in doctor_page

    client.force_login(nord_user)
    assert client.get(_subject_url("veileder", profile.pk)).status_code == 404


def test_an_unknown_kind_of_record_is_not_found(client, vest_user, vest_training) -> None:
    client.force_login(vest_user)
    assert client.get(_subject_url("lege", vest_training.pk)).status_code == 404


def test_the_alis_page_loads_the_panel_and_reading_the_records_page_is_logged(client, vest_user, vest_training) -> None:
    client.force_login(vest_user)
    detail = client.get(reverse("training:detail", args=[vest_training.pk])).content.decode()
    assert f'hx-get="{_subject_url("alis", vest_training.pk)}"' in detail

    partial = client.get(_subject_url("alis", vest_training.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "<h1" not in partial and "Utdanningsplan og framdrift" in partial
    before = Read.objects.count()
    client.get(_subject_url("alis", vest_training.pk))
    assert Read.objects.count() == before + 1


# --- Documents -----------------------------------------------------------------------------------------


def test_it_keeps_a_document_and_each_new_upload_as_a_new_version(client, vest_user, vest_training) -> None:
    client.force_login(vest_user)
    assert _upload(client, vest_training).status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.title, document.training) == (
        "alis_agreement",
        "Signert ALIS-avtale",
        vest_training,
    )

    response = client.post(
        reverse("records:version_create", args=[document.pk]), {"file": _pdf("avtale-signert.pdf", PDF + b"v2")}
    )
    assert response.status_code == 302
    first, second = DocumentVersion.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.file.read() == PDF and second.file.read() == PDF + b"v2"  # the old file is kept as it was
    assert second.uploaded_by == vest_user and second.size == len(PDF) + 2
    page = client.get(_subject_url("alis", vest_training.pk)).content.decode()
    assert "avtale-signert.pdf" in page and "versjon 2" in page and "1 tidligere versjon" in page
    assert Change.objects.filter(content_type__model="documentversion", parent_id=vest_training.pk).count() == 2


def test_it_serves_a_file_to_its_region_only_and_logs_every_read(
    client, vest_user, nord_user, reader, vest_training
) -> None:
    client.force_login(vest_user)
    _upload(client, vest_training)
    version = DocumentVersion.objects.get()
    url = reverse("records:document_file", args=[version.pk, version.filename])

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'attachment; filename="avtale.pdf"' in response["Content-Disposition"]
    read = Read.objects.get(content_type__model="documentversion")
    assert (read.object_id, read.user) == (version.pk, vest_user)

    for outsider in (nord_user, reader):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    assert Read.objects.filter(content_type__model="documentversion").count() == 1
    client.force_login(vest_user)
    assert client.get(reverse("records:document_file", args=[version.pk, "annet.pdf"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.exe", b"MZ\x90\x00", "Filtypen er ikke tillatt"),
        ("notat.txt", b"hei", "Filtypen er ikke tillatt"),
        ("avtale.pdf", PNG, "Filen er ikke en PDF-fil"),
        ("bilde.png", PDF, "Filen er ikke en PNG-fil"),
        ("tom.pdf", b"", "Filen er tom"),
    ],
)
def test_it_refuses_a_file_of_the_wrong_type_with_a_message_by_the_field(
    client, vest_user, vest_training, name, content, message
) -> None:
    client.force_login(vest_user)
    response = _upload(client, vest_training, file=SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(client, vest_user, vest_training, settings) -> None:
    settings.RECORDS_DOCUMENT_MAX_BYTES = 1_500_000
    client.force_login(vest_user)
    response = _upload(client, vest_training, file=_pdf(content=PDF + b"0" * 1_500_000))

    assert "Filen er for stor: høyst 1,5 MB." in response.content.decode()
    assert not Document.objects.exists()


def test_it_takes_png_jpeg_and_office_files(client, vest_user, vest_training) -> None:
    client.force_login(vest_user)
    files = {
        "vedtak.png": PNG,
        "vedtak.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 8,
        "plan.docx": b"PK\x03\x04rest",
        "plan.odt": b"PK\x03\x04rest",
        "liste.xlsx": b"PK\x03\x04rest",
    }
    for name, content in files.items():
        assert _upload(client, vest_training, file=SimpleUploadedFile(name, content)).status_code == 302, name
    assert DocumentVersion.objects.count() == len(files)


def test_changing_a_documents_details_is_kept_in_history(client, vest_user, vest_training, form_data) -> None:
    client.force_login(vest_user)
    _upload(client, vest_training)
    document = Document.objects.get()
    url = reverse("records:document_edit", args=[document.pk])
    form = client.get(url).context["form"]
    assert "file" not in form.fields  # files change by a new version only

    assert client.post(url, form_data(form) | {"title": "ALIS-avtale 2024"}).status_code == 302
    change = Change.objects.get(content_type__model="document", action="update")
    assert change.fields["title"] == ["Signert ALIS-avtale", "ALIS-avtale 2024"]


def test_another_regions_user_can_not_change_or_add_versions(
    client, vest_user, nord_user, coordinator, vest_training
) -> None:
    client.force_login(vest_user)
    _upload(client, vest_training)
    document = Document.objects.get()

    client.force_login(nord_user)
    assert client.get(reverse("records:document_edit", args=[document.pk])).status_code == 404
    assert client.post(reverse("records:version_create", args=[document.pk]), {"file": _pdf()}).status_code == 404
    client.force_login(coordinator)
    assert client.post(reverse("records:version_create", args=[document.pk]), {"file": _pdf()}).status_code == 403
    assert DocumentVersion.objects.count() == 1


def test_a_note_or_document_belongs_to_exactly_one_record(vest_training, world) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.create(training=vest_training, municipality=world.bergen, text="to steder")
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(kind="other", title="ingen steder", dated=date(2026, 1, 1))
