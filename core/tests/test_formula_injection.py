"""Formula injection (OWASP "CSV injection"): text never becomes a formula in a spreadsheet the app writes,
and the imports refuse names that would be one.

The downloads are opened as a person's spreadsheet program would: with openpyxl (the cell's type and the
sheet's XML) and with the csv module.
"""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD
from core.export import ExportColumn, to_csv, to_xlsx
from courses.models import Course, Gathering, Registration
from dataio import alis_list, gp_list
from grants.models import CostSheet
from office import render
from office.report import build_report
from registry import ssb
from registry.models import Doctor, GpOffice
from supervision.models import SupervisionSession

FORMULAS = ["=HYPERLINK(\"http://x.example\",\"klikk\")", "+47 55 55 55 55", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


class Row:
    def __init__(self, value: object) -> None:
        self.value = value


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))


def _csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_it_prefixes_formula_text_with_a_quote_in_csv() -> None:
    data = to_csv([Row(v) for v in [*FORMULAS, "Kari", 42, -3]], [ExportColumn("=Navn", "value")])
    cells = [row[0] for row in _csv_cells(data)]
    assert cells[0] == "'=Navn"
    assert cells[1 : 1 + len(FORMULAS)] == [f"'{v}" for v in FORMULAS]
    assert cells[-3:] == ["Kari", "42", "-3"]  # plain text as it is; numbers are numbers, not text


def test_it_writes_formula_text_as_strings_in_xlsx() -> None:
    data = to_xlsx([Row(v) for v in [*FORMULAS, "#N/A", "Kari", -3]], [ExportColumn("=Navn", "value")])
    assert "<f>" not in _sheet_xml(data)
    column = list(load_workbook(io.BytesIO(data)).active["A"])
    xml_text = [v.replace("\r", "\n") for v in FORMULAS]  # XML reads a lone CR back as a line feed
    assert [c.value for c in column] == ["=Navn", *xml_text, "#N/A", "Kari", -3]
    assert all(c.data_type == "s" for c in column[:-1])
    assert all(c.quotePrefix for c in column[: 1 + len(FORMULAS)])  # shown as typed, as Excel's own '=…
    assert column[-1].data_type == "n"


def test_it_drops_control_characters_that_xlsx_can_not_hold() -> None:
    # A vertical tab pasted from Word used to make every Excel download of the list fail.
    data = to_xlsx([Row("Kari\x0bNordmann")], [ExportColumn("Navn", "value")])
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "KariNordmann"


def _login(user) -> Client:
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def hostile_doctor(vest_training) -> Doctor:
    doctor = vest_training.doctor
    doctor.first_name, doctor.last_name = "=HYPERLINK(\"http://x.example\")", "@SUM(1)"
    doctor.save()
    return doctor


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_list_export_neutralises_names(vest_user, hostile_doctor, world, fmt) -> None:
    """The ALIS list, the municipalities, the cost sheets and the course statistics, as downloaded."""
    CostSheet.objects.create(training=hostile_doctor.trainings.get(), year=2025, salary=1)
    course = Course.objects.create(office=world.vest, title="=cmd|' /C calc'!A0", place="Bergen", capacity=20)
    Gathering.objects.create(course=course, start=date(2025, 3, 1), end=date(2025, 3, 2))
    world.bergen.name = "-Bergen"
    world.bergen.save()
    client = _login(vest_user)
    urls = {
        reverse("training:list") + f"?eksport={fmt}": "=HYPERLINK",
        reverse("registry:municipality_list") + f"?eksport={fmt}": "-Bergen",
        reverse("grants:cost_list") + f"?aar=2025&eksport={fmt}": "=HYPERLINK",
        reverse("courses:statistics") + f"?format={fmt}": "=cmd",
    }
    for url, start in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        if fmt == "csv":
            cells = [cell for row in _csv_cells(response.content) for cell in row]
            assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))], url
            assert any(c.startswith(f"'{start}") for c in cells), url
        else:
            assert "<f>" not in _sheet_xml(response.content), url
            values = [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
            found = [c for c in values if isinstance(c.value, str) and c.value.startswith(start)]
            assert found and all(c.data_type == "s" and c.quotePrefix for c in found), url


def test_the_course_statistics_download_as_excel(vest_user, world) -> None:
    """It always answered 500: the column headings were lazy translations openpyxl could not write."""
    course = Course.objects.create(office=world.vest, title="Emnekurs", place="Bergen", capacity=20)
    Gathering.objects.create(course=course, start=date(2025, 3, 1), end=date(2025, 3, 2))
    response = _login(vest_user).get(reverse("courses:statistics") + "?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Kurs", "Kontor", "I årsrapporten"]
    assert sheet["A2"].value == "Emnekurs"


def test_the_annual_report_workbook_has_no_formulas(world, vest_user) -> None:
    from office.models import AnnualReport

    AnnualReport.objects.create(office=world.vest, year=2025, comments="=HYPERLINK(\"http://x.example\")")
    report = build_report(office=world.vest, year=2025)
    data = render.to_xlsx(report)
    assert "<f>" not in _sheet_xml(data)
    front = load_workbook(io.BytesIO(data))["Rapport"]
    cell = next(c for row in front.iter_rows() for c in row if c.value and str(c.value).startswith("=HYPER"))
    assert cell.data_type == "s" and cell.quotePrefix


# Imports: a name that would be a formula is an error on its row, in Norwegian, and nothing is written.


def test_the_regular_gp_list_refuses_formula_names(vest_user, world) -> None:
    data = (
        "Kommunenummer;Legekontor;Lege;HPR-nummer\r\n"
        "4601;Sentrum legekontor;=HYPERLINK(\"http://x\"), Kari;1234567\r\n"
        "4601;@Legesenteret;Ås, Per;\r\n"
        "4601;Åsane legesenter;+Ødegård, Åse;\r\n"
    ).encode()
    plan = gp_list.prepare(data, office=vest_user.office).plan
    assert not plan.is_valid
    assert [row.row for row in plan.rows if row.errors] == [2, 3, 4]
    assert plan.rows[0].errors == [
        "Rad 2, kolonne «Lege»: «=HYPERLINK(\"http://x\")» kan ikke begynne med =, +, - eller @: regneark leser "
        "det som en formel. Fjern tegnet først i cellen."
    ]
    assert "kolonne «Legekontor»" in plan.rows[1].errors[0]
    assert not GpOffice.objects.filter(name="@Legesenteret").exists()


def test_the_alis_list_refuses_formula_names(vest_user, records, world) -> None:
    data = (
        "Navn;Startdato;Tilknytning\r\n"
        "\"=HYPERLINK(\"\"http://x\"\"), Åse\";01.09.2024;fastlønn\r\n"
        "Ødegård, -Åse;01.09.2024;fastlønn\r\n"
        "Berg, Ola;31.12.9999;fastlønn\r\n"
    ).encode()
    plan = alis_list.prepare(data, office=vest_user.office, municipality=world.bergen, today=date(2026, 3, 1)).plan
    assert "kan ikke begynne med =, +, - eller @" in plan.rows[0].errors[0]
    assert "kan ikke begynne med =, +, - eller @" in plan.rows[1].errors[0]
    # A date far outside any course of training is refused by the same form the pages use.
    assert plan.rows[2].errors == ["Rad 4, kolonne «Startdato»: Datoen må være mellom 01.01.1900 og 31.12.2100."]


def test_the_ssb_import_refuses_a_formula_as_a_municipality_name(world) -> None:
    data = "\r\n".join(['"code";"parentCode";"level";"name"', '"4601";"";"1";"=Bergen"']).encode()
    plan = ssb.parse(data=data, classification="131")
    assert [str(e) for e in plan.errors] == [
        "Rad 2: «=Bergen» kan ikke begynne med =, +, - eller @: regneark leser det som en formel. "
        "Fjern tegnet først i cellen."
    ]


def test_the_supervision_import_refuses_a_formula_topic_and_odd_numbers(vest_user, records) -> None:
    rows = (
        "HPR ALIS;HPR veileder;dato;minutter;type;tema\n"
        "1234567;1111111;01.03.2025;60;individuell;=HYPERLINK(\"http://x\")\n"
        "1234567;1111111;01.03.2025;²²;individuell;\n"  # "²²".isdigit() is True; int() used to crash
        "1234567;1111111;01.01.0001;60;individuell;\n"
    )
    client = _login(vest_user)
    response = client.post(reverse("supervision:import"), {"file": SimpleUploadedFile("t.csv", rows.encode())})
    assert response.status_code == 200
    errors = response.context["result"].errors
    assert errors[0].startswith("Rad 2: «=HYPERLINK(\"http://x\")» kan ikke begynne med =, +, - eller @")
    assert errors[1] == "Rad 3: minutter må være et helt tall fra 5 til 600, ikke «²²»."
    assert errors[2] == "Rad 4: datoen «01.01.0001» er ikke en dato (dd.mm.åååå)."
    assert not SupervisionSession.objects.exists()
    assert not Registration.objects.exists()
