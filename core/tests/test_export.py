from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from core.export import DATE, DECIMAL, NUMBER, ExportColumn, joined, to_csv, to_xlsx


class Row:
    def __init__(self, name: str, start: date | None, share: int, amount: Decimal) -> None:
        self.name, self.start, self.share, self.amount = name, start, share, amount


COLUMNS = [
    ExportColumn("Navn", "name"),
    ExportColumn("Start", "start", DATE),
    ExportColumn("Stilling (%)", "share", NUMBER),
    ExportColumn("Beløp", "amount", DECIMAL),
    ExportColumn("Dobbel", lambda r: r.share * 2, NUMBER),
]
ROWS = [Row("Åse Ødegård", date(2021, 2, 28), 80, Decimal("1234.5")), Row("Per", None, 100, Decimal(0))]


def test_it_writes_csv_that_norwegian_excel_opens() -> None:
    data = to_csv(ROWS, COLUMNS)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Navn;Start;Stilling (%);Beløp;Dobbel"
    assert lines[1] == "Åse Ødegård;28.02.2021;80;1234,5;160"
    assert lines[2] == "Per;;100;0;200"


def test_it_writes_xlsx_with_real_dates_and_numbers() -> None:
    sheet = load_workbook(BytesIO(to_xlsx(ROWS, COLUMNS, title="ALIS"))).active
    assert [c.value for c in sheet[1]] == ["Navn", "Start", "Stilling (%)", "Beløp", "Dobbel"]
    name, start, share, amount, double = (c.value for c in sheet[2])
    assert name == "Åse Ødegård"
    assert start.date() == date(2021, 2, 28)
    assert sheet["B2"].number_format == "DD.MM.YYYY"
    assert share == 80 and isinstance(share, int)
    assert float(amount) == 1234.5
    assert double == 160
    assert sheet.max_row == 3


def test_the_export_joins_the_relations_its_columns_walk_through_and_nothing_else(db) -> None:
    from training.models import Training

    columns = [
        ExportColumn("Etternavn", "doctor__last_name"),
        ExportColumn("Fylke", "employer__county__office__code"),
        ExportColumn("Legekontor", "gp_office__name"),
        ExportColumn("Ordning", "scheme"),
        ExportColumn("Veiledere", "supervisor_assignments__count"),  # a reverse relation: not joinable
        ExportColumn("Dobbel", lambda row: row),
    ]
    rows = joined(Training.objects.all(), columns)
    assert rows.query.select_related == {
        "doctor": {},
        "employer": {"county": {"office": {}}},
        "gp_office": {},
    }
    assert joined(ROWS, columns) is ROWS  # a list is left as it is
    values = Training.objects.values("pk")
    assert joined(values, columns) is values  # dicts have no relations to join
