from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from dataio.reading import FileError, Header, normalise, parse_date, parse_number, parse_whole, parse_yes_no, read_table

HEADERS = [
    Header("name", "Navn", required=True),
    Header("start", "Startdato", ("start",), required=True),
    Header("share", "Stillingsprosent"),
]


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31.12.2021", date(2021, 12, 31)),
        ("1.3.2019", date(2019, 3, 1)),
        ("01.03.19", date(2019, 3, 1)),
        ("2021-02-28", date(2021, 2, 28)),
        (datetime(2020, 5, 4, 0, 0), date(2020, 5, 4)),
        (44197, date(2021, 1, 1)),  # an Excel serial in a cell not formatted as a date
    ],
)
def test_it_parses_norwegian_and_excel_dates(value, expected) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31.02.2021", "2021", "neste år", "", -5])
def test_it_rejects_impossible_dates(value) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 234,5", Decimal("1234.5")),
        ("1\u00a0234", 1234),
        ("1.234", 1234),
        ("1.234,50", Decimal("1234.5")),
        ("80 %", 80),
        ("12.5", Decimal("12.5")),
        (1500.0, 1500),
        (7, 7),
    ],
)
def test_it_parses_norwegian_numbers(value, expected) -> None:
    assert parse_number(value) == expected


@pytest.mark.parametrize("value", ["mange", "1,2,3", "nan", True])
def test_it_rejects_what_is_not_a_number(value) -> None:
    with pytest.raises(ValueError):
        parse_number(value)


def test_it_wants_whole_numbers_where_whole_numbers_belong() -> None:
    assert parse_whole("1 200") == 1200
    with pytest.raises(ValueError):
        parse_whole("12,5")


def test_it_reads_yes_and_no() -> None:
    assert parse_yes_no("Ja") is True and parse_yes_no("NEI") is False and parse_yes_no("Åpen") is True
    with pytest.raises(ValueError):
        parse_yes_no("kanskje")


def test_it_matches_headers_whatever_the_case_spacing_and_letters() -> None:
    assert normalise("  HPR-Nr. ") == "hpr nr"
    assert normalise("Åpen  liste") == normalise("apen liste")
    assert normalise("Stilling (%)") == "stilling"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_it_reads_csv_in_every_usual_encoding_and_separator(encoding, separator) -> None:
    text = separator.join(["Navn", "Startdato", "Stillingsprosent"]) + "\r\n"
    text += separator.join(["Åse Ødegård", "01.08.2024", "80"]) + "\r\n" + separator * 2 + "\r\n\r\n"
    table = read_table(text.encode(encoding), HEADERS)
    assert table.rows == [(2, {"name": "Åse Ødegård", "start": "01.08.2024", "share": "80"})]


def test_it_reads_xlsx_with_typed_cells_and_skips_trailing_empty_rows() -> None:
    data = xlsx([["Navn", "START", "Stillingsprosent"], ["Per Ås", datetime(2024, 8, 1), 0.8], [None, None, None]])
    table = read_table(data, HEADERS)
    assert table.encoding == "Excel"
    assert table.rows == [(2, {"name": "Per Ås", "start": datetime(2024, 8, 1), "share": 0.8})]


def test_it_names_missing_columns() -> None:
    with pytest.raises(FileError, match=r"mangler kolonnene «Startdato».*«Navn», «Slutt»"):
        read_table(b"Navn;Slutt\nPer;1\n", HEADERS)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "tom"),
        (b"   \r\n", "tom"),
        (b"Navn;Startdato\n", "ingen rader"),
        (bytes(range(256)) * 40, "verken en Excel-fil"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "verken en Excel-fil"),
        (b"PK\x03\x04not really a zip file", "ikke en Excel-fil"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, r"\.xls"),
        (b"x" * (11 * 1024 * 1024), "for stor"),
    ],
)
def test_it_refuses_files_that_are_not_lists_with_a_clear_message(data, message) -> None:
    with pytest.raises(FileError, match=message):
        read_table(data, HEADERS)
