"""Small numbers: Helsedirektoratet's reader sees counts of persons under 5 as «<5», with a second cell hidden
wherever a total would reveal one, on the pages (the overview, the course statistics, retention), in the
annual report in every format and in the API, through one function (core.suppression.for_viewer).

Before, only the API hid them: the overview showed the reader «2» ALIS in Bodø and «3» in the old scheme in
Bergen, the course statistics «1» supervisor of LIS1, the annual report its tables as they were.
"""

import csv
import html
import io
import json
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.suppression import Count, suppress_grid
from courses.tests.conftest import make_course, make_registration
from registry.models import Doctor, Municipality
from training.models import Contract, Scheme, Training

LAST_YEAR = timezone.localdate().year - 1


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _alis(municipality, count: int, *, scheme=Scheme.NEW, contract=Contract.SALARIED) -> None:
    for i in range(count):
        doctor = Doctor.objects.create(first_name="A", last_name=f"{municipality.number}-{scheme}-{i}",
                                       municipality=municipality)  # fmt: skip
        Training.objects.create(
            doctor=doctor, employer=municipality, scheme=scheme, contract=contract,
            start=date(2018, 1, 1) if scheme == Scheme.OLD else date(2022, 1, 1), expected_end=date(2035, 1, 1),
        )  # fmt: skip


@pytest.fixture
def alis_world(world):
    """Bergen: 12 ALIS (9 new, 3 old and self-employed); Bjørnafjorden: 6; Bodø: 2."""
    bjornafjorden = Municipality.objects.create(
        number="4624", name="Bjørnafjorden", name_norwegian="Bjørnafjorden", county=world.vestland
    )
    _alis(world.bergen, 9)
    _alis(world.bergen, 3, scheme=Scheme.OLD, contract=Contract.SELF_EMPLOYED)
    _alis(bjornafjorden, 6)
    _alis(world.bodo, 2)
    return world


def _text(cell: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>|\s+", " ", cell)).strip()


def _cells(page: str, heading: str) -> list[list[str]]:
    """The rows of the table whose caption contains `heading`, as texts."""
    table = re.search(rf"<caption[^>]*>[^<]*{heading}.*?</table>", page, re.DOTALL).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
    return [[_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.DOTALL)] for r in rows]


def test_the_overview_hides_small_counts_from_the_reader(alis_world, reader, coordinator) -> None:
    url = reverse("training:overview")

    exact = _cells(_client(coordinator).get(url).text, "ALIS per ALIS-kontor")
    hidden = _cells(_client(reader).get(url).text, "ALIS per ALIS-kontor")

    assert exact[1][:4] == ["ALIS-kontor Nord", "2", "2", "0"]
    assert hidden[1][:3] == ["ALIS-kontor Nord", "<5", "<5"]
    vest = hidden[2]
    assert vest[0] == "ALIS-kontor Vest" and vest[3] == "<5"  # 3 in the old scheme
    # With only two offices, Nord's hidden 2 would be the country's 20 less Vest's 18: Vest's total goes too.
    assert vest[1] == "<5" and hidden[3][:2] == ["Sum", "20"]
    assert "<5" not in "".join(c for row in exact for c in row)


def test_the_overview_per_municipality_for_the_reader(alis_world, reader) -> None:
    page = _client(reader).get(reverse("training:overview"), {"office": "nord"}).text

    rows = _cells(page, "Pågående utdanningsløp etter ordning")
    [bodo] = [row for row in rows if row and "Bodø" in row[0]]
    assert bodo[1] == "<5", rows
    assert ">2</strong>" not in page  # the key figures too


def test_the_course_statistics_hide_small_counts_on_the_page_and_in_the_export(world, reader, vest_user) -> None:
    course = make_course(world.vest, days=((-60, -59),))
    for i in range(7):
        make_registration(course, world.bergen, email=f"d{i}@x.no", is_specialist=i < 6,
                          supervises="alis" if i else "lis1")  # fmt: skip
    url = reverse("courses:statistics")

    staff = _cells(_client(vest_user).get(url).text, "Påmeldte deltakere per kurs")
    page = _cells(_client(reader).get(url).text, "Påmeldte deltakere per kurs")
    assert staff[1][3:] == ["7", "6", "6", "1", "0", "0"]
    assert page[1][3:] == ["7", "6", "<5", "<5", "0", "0"]
    assert page[2][1:] == ["7", "6", "<5", "<5", "0", "0"]  # the sum
    rows = list(csv.reader(io.StringIO(_client(reader).get(url, {"format": "csv"}).content.decode("utf-8-sig")),
                           delimiter=";"))  # fmt: skip
    header, line = rows[0], rows[1]
    assert line[header.index("Veileder for LIS1")] == "<5"
    assert line[header.index("Veileder for ALIS")] == "<5"  # 7 − 1 − 0 would reveal the one
    assert line[header.index("Deltakere")] == "7"


@pytest.fixture
def report_world(world):
    """Vest on 31.12 last year: 3 self-employed ALIS in the old scheme, 6 salaried in the new."""
    for i in range(3):
        doctor = Doctor.objects.create(first_name="B", last_name=f"Gammel {i}", municipality=world.bergen)
        Training.objects.create(doctor=doctor, employer=world.bergen, scheme=Scheme.OLD,
                                contract=Contract.SELF_EMPLOYED, start=date(2018, 1, 1),
                                expected_end=date(LAST_YEAR + 3, 1, 1))  # fmt: skip
    for i in range(6):
        doctor = Doctor.objects.create(first_name="C", last_name=f"Ny {i}", municipality=world.bergen)
        Training.objects.create(doctor=doctor, employer=world.bergen, scheme=Scheme.NEW,
                                contract=Contract.SALARIED, start=date(LAST_YEAR - 1, 1, 1),
                                expected_end=date(LAST_YEAR + 4, 1, 1))  # fmt: skip
    return world


def test_the_annual_report_hides_small_counts_from_the_reader_in_every_format(report_world, reader, coordinator):
    page = _client(reader).get(reverse("office:report", args=["vest", LAST_YEAR]))
    table = page.context["report"].tables()[[t.key for t in page.context["report"].tables()].index("alis_by_contract")]
    self_employed = next(row for row in table.rows if row[0] == "Næringsdrift")
    assert self_employed[1:] == [0, "<5", "<5"]
    assert "<5" not in str(_client(coordinator).get(reverse("office:report", args=["vest", LAST_YEAR])).context)
    for fmt in ("json", "xlsx", "html", "pdf"):
        response = _client(reader).get(reverse("office:report_download", args=["vest", LAST_YEAR, fmt]))
        assert response.status_code == 200
        if fmt == "json":
            tables = [t for s in json.loads(response.content)["sections"] for t in s["tables"]]
            rows = next(t for t in tables if t["key"] == "alis_by_contract")["rows"]
            assert ["Næringsdrift", 0, "<5", "<5"] in rows
        elif fmt == "xlsx":
            assert _xlsx_has(response.content, ["Næringsdrift", 0, "<5", "<5"])
        elif fmt == "html":
            assert "&lt;5" in response.content.decode()
    national = _client(reader).get(reverse("office:report_national_download", args=[LAST_YEAR, "json"]))
    assert "<5" in national.content.decode()


def _xlsx_has(content: bytes, row: list) -> bool:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return any(list(r)[: len(row)] == row for sheet in book.worksheets for r in sheet.iter_rows(values_only=True))


def test_retention_hides_small_groups_from_the_reader(report_world, reader) -> None:
    page = _client(reader).get(reverse("office:retention"))

    for _title, _key, chart, table in page.context["views"]:
        hidden = [i for i, cell in enumerate(table.footer or []) if cell == "<5"]
        assert all(row[i] in ("<5", None) for row in table.rows for i in hidden)
        assert not {i - 1 for i in hidden} & {c.series for c in chart.curves}


def test_a_report_table_hides_counts_and_the_cells_that_would_reveal_them() -> None:
    rows, footer = suppress_grid([["Lønnet", 3, 10, 13], ["Næring", 8, 2, 10], ["Vikar", 0, 0, 0]], ["Sum", 11, 12, 23])

    assert rows == [["Lønnet", "<5", "<5", 13], ["Næring", "<5", "<5", 10], ["Vikar", 0, 0, 0]]
    assert footer == ["Sum", 11, 12, 23]
    # Shares of a group of three are hidden with the group's count.
    assert suppress_grid([["1 år", 100.0, 80.0]], ["Antall", 3, 12]) == ([["1 år", "<5", 80.0]], ["Antall", "<5", 12])
    # Two counts and their total: one hidden reveals the other by subtraction, so both go.
    assert suppress_grid([["Fullført", 7], ["Sluttet", 2]], ["I alt", 9]) == (
        [["Fullført", "<5"], ["Sluttet", "<5"]],
        ["I alt", 9],
    )


def test_a_hidden_count_is_formatted_as_less_than_five_everywhere() -> None:
    from core.export import ExportColumn, cell_value
    from core.formatting import number

    assert number(Count(None, True)) == "<5" and number(Count(1806)) == "1\xa0806"
    assert cell_value({}, ExportColumn("n", lambda _row: Count(None, True))) == "<5"
    assert cell_value({}, ExportColumn("n", lambda _row: Count(12))) == 12


def test_staff_see_exact_numbers(alis_world, vest_user) -> None:
    page = _client(vest_user).get(reverse("training:overview")).text

    assert "&lt;5" not in page and ">3<" in page
    assert (timezone.localdate() - timedelta(days=1)).year  # the page is dated today
