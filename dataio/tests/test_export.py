"""Exports of the list pages: the page's filters and sorting, Norwegian headers, real dates and numbers."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD
from registry.models import Doctor, GpOffice
from training.models import Training


def sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return [[c.value for c in row] for row in load_workbook(BytesIO(response.content)).active.iter_rows()]


@pytest.fixture
def vest_client(client, vest_user):
    client.login(username=vest_user.username, password=PASSWORD)
    return client


def test_it_exports_the_filtered_municipalities_to_excel(vest_client, world) -> None:
    rows = sheet(vest_client.get(reverse("registry:municipality_list"), {"eksport": "xlsx", "office": "nord"}))
    assert rows[0][:6] == ["Kommunenummer", "Kommune", "Norsk navn", "Fylke", "ALIS-kontor", "Sentralitet"]
    # Sentralitet, its source, and SSB's table 12005 (not imported: empty, never 0).
    assert rows[1:] == [
        ["1804", "Bodø", "Bodø", "Nordland", "ALIS-kontor Nord", 3, None, None, None, "Ikke søkt", "Ikke søkt"]
    ]


def test_it_exports_alis_with_dates_as_dates_and_numbers_as_numbers(vest_client, records) -> None:
    rows = sheet(vest_client.get(reverse("training:list"), {"eksport": "xlsx"}))
    header, kari = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2  # the office's own region only, as on the page
    assert header[:3] == ["Etternavn", "Fornavn", "HPR-nummer"]
    assert kari["Startdato"] == datetime(2022, 8, 1) and kari["Stillingsprosent"] == 100
    assert (kari["Ordning"], kari["Tilknytning"], kari["Veileder"]) == ("Ny ordning", "Næringsdrift", "Veileder, Per")
    assert kari["Legekontor"] == "Sentrum legekontor"


def test_the_alis_export_reads_each_gp_office_in_the_same_query(
    vest_client, records, django_assert_max_num_queries
) -> None:
    """The list on screen does not join the GP office (no column shows it); its export, which does, must."""
    with django_assert_max_num_queries(12) as few:
        vest_client.get(reverse("training:list"), {"eksport": "xlsx"})
    for number in range(5):
        clone = Training.objects.get(pk=records.vest_training.pk)
        clone.pk = None
        clone.doctor = Doctor.objects.create(
            first_name="Lege", last_name=f"Nr{number}", municipality=records.vest_training.employer
        )
        clone.gp_office = GpOffice.objects.create(name=f"Kontor {number}", municipality=records.vest_training.employer)
        clone.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = sheet(vest_client.get(reverse("training:list"), {"eksport": "xlsx"}))
    assert {"Kontor 0", "Kontor 4", "Sentrum legekontor"} <= {row[9] for row in rows[1:]}


def test_it_exports_csv_that_norwegian_excel_opens(vest_client, records) -> None:
    response = vest_client.get(reverse("registry:doctor_list"), {"eksport": "csv", "q": "Nordmann"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Etternavn;Fornavn;HPR-nummer;Arbeidskommune;Legekontor;Fastlege")
    assert lines[1:] == ["Nordmann;Kari;1234567;Bergen;Sentrum legekontor;nei;;;;nei;;nei;;"]
    assert 'filename="leger-' in response["Content-Disposition"]


def test_it_exports_gp_offices_with_their_doctor_count(vest_client, records) -> None:
    rows = sheet(vest_client.get(reverse("registry:gp_office_list"), {"eksport": "xlsx", "office": ""}))
    assert ["Sentrum legekontor", "4601", "Bergen", None, None, None, 1] in rows


def test_it_keeps_the_export_to_the_region_and_the_role(client, records, nord_user, reader) -> None:
    client.login(username=nord_user.username, password=PASSWORD)
    rows = sheet(client.get(reverse("training:list"), {"eksport": "xlsx", "office": "vest"}))
    assert len(rows) == 2 and rows[1][0] == "Hansen"  # the office filter can not reach another region
    client.login(username=reader.username, password=PASSWORD)
    assert client.get(reverse("registry:doctor_list"), {"eksport": "csv"}).status_code == 403
    assert client.get(reverse("training:list"), {"eksport": "xlsx"}).status_code == 403


def test_the_list_pages_link_to_their_export_with_the_current_filters(vest_client, records) -> None:
    page = vest_client.get(reverse("training:list"), {"scheme": "new", "sort": "start"}).content.decode()
    assert "?scheme=new&amp;sort=start&amp;eksport=xlsx" in page and "eksport=csv" in page


def test_it_exports_in_a_bounded_number_of_queries(vest_client, records, world, django_assert_max_num_queries) -> None:
    url = reverse("registry:doctor_list")
    with django_assert_max_num_queries(8) as few:
        vest_client.get(url, {"eksport": "xlsx"})
    Doctor.objects.bulk_create(
        Doctor(
            first_name=f"Lege{i}",
            last_name="Test",
            municipality=world.bergen,
            specialist_since=date(2020, 1, 1),
            is_specialist=True,
        )
        for i in range(60)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        vest_client.get(url, {"eksport": "xlsx"})
