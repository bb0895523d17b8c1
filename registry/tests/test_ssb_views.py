"""The SSB upload page (upload → preview → confirm, with its history) and the class set by hand with a source."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Change
from registry.models import GpListStatistics, Municipality, SsbImport

FILES = Path(__file__).parent / "files"
CENTRALITY = "code;parentCode;level;name\r\n06;;1;Minst sentrale\r\n1804;06;2;Bodø\r\n".encode("iso-8859-1")

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes, name: str = "klass128.csv", kind: str = ""):
    return client.post(reverse("registry:ssb_upload"), {"file": SimpleUploadedFile(name, data), "kind": kind})


def test_it_previews_a_klass_file_and_saves_it_only_when_confirmed(client, world, coordinator) -> None:
    client.force_login(coordinator)

    response = _upload(client, CENTRALITY)

    upload = SsbImport.objects.get()
    assert response["Location"] == reverse("registry:ssb_import_detail", args=[upload.pk])
    page = client.get(response["Location"])
    assert "<h1" in page.text and "Sentralitet (KLASS 128)" in page.text
    assert "Forhåndsvisning" in page.text and "ukjent → kjent klasse" in page.text
    assert [(c.number, c.old, c.new) for c in page.context["klass"].changes] == [("1804", 3, 6)]
    assert Municipality.objects.get(number="1804").centrality == 3  # nothing written before the confirmation

    confirmed = client.post(
        reverse("registry:ssb_import_confirm", args=[upload.pk]), {"fingerprint": page.context["fingerprint"]}
    )

    bodo = Municipality.objects.get(number="1804")
    assert (bodo.centrality, "klass128.csv" in bodo.centrality_source) == (6, True)
    result = client.get(confirmed["Location"])
    assert "Fila fra SSB er importert." in result.text
    assert "Hva importen gjorde" in result.text
    history = client.get(reverse("registry:ssb_import_list"))
    assert "klass128.csv" in history.text and "Importert" in history.text
    municipality = client.get(reverse("registry:municipality_detail", args=[bodo.pk]))
    assert "kilde: SSB, KLASS 128: fila «klass128.csv»" in municipality.text


def test_a_second_confirmation_saves_nothing_twice(client, world, coordinator) -> None:
    client.force_login(coordinator)
    upload = SsbImport.objects.get(pk=_upload(client, CENTRALITY).url.rstrip("/").split("/")[-1])
    fingerprint = client.get(reverse("registry:ssb_import_detail", args=[upload.pk])).context["fingerprint"]
    url = reverse("registry:ssb_import_confirm", args=[upload.pk])

    client.post(url, {"fingerprint": fingerprint})
    again = client.post(url, {"fingerprint": fingerprint}, follow=True)

    assert "ikke klar til å bekreftes" in again.text
    assert Change.objects.filter(object_id=world.bodo.pk).count() == 1


def test_it_refuses_to_save_a_preview_the_register_has_moved_past(client, world, coordinator) -> None:
    client.force_login(coordinator)
    _upload(client, CENTRALITY)
    upload = SsbImport.objects.get()
    fingerprint = client.get(reverse("registry:ssb_import_detail", args=[upload.pk])).context["fingerprint"]
    Municipality.objects.filter(number="1804").update(centrality=5)

    page = client.post(
        reverse("registry:ssb_import_confirm", args=[upload.pk]), {"fingerprint": fingerprint}, follow=True
    )

    assert "Registeret er endret siden forhåndsvisningen." in page.text
    assert Municipality.objects.get(number="1804").centrality == 5
    assert [(c.old, c.new) for c in page.context["klass"].changes] == [(5, 6)]  # the new preview


def test_it_shows_row_errors_and_offers_no_confirmation(client, world, coordinator) -> None:
    client.force_login(coordinator)
    data = "code;parentCode;level;name\r\n6;;1;Minst sentrale\r\n1804;9;2;Bodø\r\n".encode()

    page = client.get(_upload(client, data)["Location"])

    assert "Rad 3: «9» er ikke en sentralitetsklasse (1–6)." in page.text
    assert "Bekreft og lagre" not in page.text
    assert SsbImport.objects.get().status == SsbImport.Status.INVALID


def test_it_says_plainly_when_the_file_is_not_from_ssb(client, world, coordinator) -> None:
    client.force_login(coordinator)

    page = client.get(_upload(client, b"kommunenummer;navn\n1804;Bod\xf8\n")["Location"])

    assert "Fila er ikke en KLASS-eksport fra SSB" in page.text
    assert "Ingenting er lagret." in page.text


def test_it_imports_table_12005_with_its_year(client, world, coordinator) -> None:
    client.force_login(coordinator)
    response = _upload(client, (FILES / "statbank_12005.json").read_bytes(), name="12005.json")
    page = client.get(response["Location"])
    assert "Fastlegelister (SSB-tabell 12005)" in page.text
    assert "lister uten lege: ukjent → 3" in page.text

    client.post(
        reverse("registry:ssb_import_confirm", args=[page.context["upload"].pk]),
        {"fingerprint": page.context["fingerprint"]},
    )

    assert GpListStatistics.objects.get(municipality=world.bergen, year=2023).lists_without_doctor == 3
    municipality = client.get(reverse("registry:municipality_detail", args=[world.bodo.pk]))
    assert "Fastlegelister (SSB, tabell 12005)" in municipality.text
    row = municipality.text.split('<th scope="row">2023</th>')[1].split("</tr>")[0]
    assert ">0<" in row and ">ukjent<" in row  # «-» is nil; «..» stays unknown
    listing = client.get(reverse("registry:municipality_list"), {"gp_lists": "without_doctor", "office": ""})
    assert [m.number for m in listing.context["listing"].rows] == ["4601"]
    assert "Fastlegelister (SSB 12005, 2023)" in listing.text
    unknown = client.get(reverse("registry:municipality_list"), {"gp_lists": "unknown", "office": ""})
    assert [m.number for m in unknown.context["listing"].rows] == ["1804"]  # its open lists are unknown


@pytest.mark.parametrize(
    ("persona", "status"), [("vest_user", 403), ("nord_user", 403), ("reader", 403), ("admin_user", 200)]
)
def test_only_the_coordinator_uploads(request, client, world, persona, status) -> None:
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("registry:ssb_upload")).status_code == status
    assert _upload(client, CENTRALITY).status_code == (status if status == 403 else 302)


def test_an_office_may_read_the_history_but_not_confirm(client, world, coordinator, vest_user, reader) -> None:
    client.force_login(coordinator)
    _upload(client, CENTRALITY)
    upload = SsbImport.objects.get()
    client.force_login(vest_user)

    page = client.get(reverse("registry:ssb_import_detail", args=[upload.pk]))
    confirm = client.post(reverse("registry:ssb_import_confirm", args=[upload.pk]), {"fingerprint": "x"})

    assert page.status_code == 200 and "Bekreft og lagre" not in page.text
    assert confirm.status_code == 403
    client.force_login(reader)
    assert client.get(reverse("registry:ssb_import_list")).status_code == 403


# The class set by hand


def test_the_coordinator_sets_a_class_with_its_source(client, world, coordinator, form_data) -> None:
    client.force_login(coordinator)
    url = reverse("registry:centrality_edit", args=[world.bodo.pk])
    form = client.get(url).context["form"]
    assert form.initial["centrality_source"] == ""  # a new note each time

    source = "SSB, Standard for sentralitet 2024 (KLASS 128), lest 24.11.2026"
    response = client.post(url, form_data(form) | {"centrality": "4", "centrality_source": source})

    assert response.status_code == 302
    world.bodo.refresh_from_db()
    assert (world.bodo.centrality, world.bodo.centrality_source) == (4, source)
    change = Change.objects.get(object_id=world.bodo.pk)
    assert change.fields == {"sentralitet": ["3", "4"], "kilde for sentralitet": ["", source]}
    page = client.get(response["Location"])
    assert source in page.text


def test_a_class_without_a_source_is_refused(client, world, coordinator, form_data) -> None:
    client.force_login(coordinator)
    url = reverse("registry:centrality_edit", args=[world.bodo.pk])

    response = client.post(url, form_data(client.get(url).context["form"]) | {"centrality": "6"})

    assert response.status_code == 200
    assert "centrality_source" in response.context["form"].errors
    world.bodo.refresh_from_db()
    assert world.bodo.centrality == 3


def test_an_office_may_not_set_a_class(client, world, vest_user) -> None:
    client.force_login(vest_user)

    assert client.get(reverse("registry:centrality_edit", args=[world.bergen.pk])).status_code == 403
    page = client.get(reverse("registry:municipality_detail", args=[world.bergen.pk]))
    assert reverse("registry:centrality_edit", args=[world.bergen.pk]) not in page.text
