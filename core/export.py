"""Exports of a list to CSV and Excel from one declaration of its columns.

    COLUMNS = [ExportColumn("Kommune", "employer__name"), ExportColumn("Start", "start", DATE), ...]
    return export_response(rows=queryset, columns=COLUMNS, filename="alis", fmt="xlsx")

Excel gets real dates and numbers; CSV is what Norwegian Excel opens without a wizard (`;`, UTF-8 with BOM,
dd.mm.yyyy, decimal comma).

Text is never a formula (OWASP "CSV injection", ASVS 5.0 1.2.10): a name typed as `=HYPERLINK(…)` must not
run in the spreadsheet of the next person who opens the export. In CSV a text that begins with = + - @, a
tab or a line break gets a leading single quote; in Excel such a text is written as a string cell marked
"quote prefix" (what Excel itself does when one types '=…), so it shows as typed and is never evaluated.
Every spreadsheet the app writes goes through this module: the lists here, the annual report
(office/render.py) through `xlsx_row`.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from core.suppression import Count
from core.validation import looks_like_formula

TEXT, DATE, NUMBER, DECIMAL = "text", "date", "number", "decimal"
FORMATS = {"csv", "xlsx"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportColumn:
    header: str
    value: str | Callable[[Any], Any]  # a path like "employer__name" (choices give their label) or a function
    kind: str = TEXT


def _resolve(row: Any, path: str) -> Any:
    value = row
    for part in path.split("__"):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display is not None else getattr(value, part)
    return value


def cell_value(row: Any, column: ExportColumn) -> Any:
    value = column.value(row) if callable(column.value) else _resolve(row, column.value)
    if isinstance(value, Count):  # small-number suppression: «<5» as text, a shown count as a number
        return str(value) if value.suppressed else value.value
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, date | int | float | Decimal):
        return value
    return str(value)


def csv_safe(text: str) -> str:
    """Text for a CSV cell that a spreadsheet will not take as a formula: a leading quote where needed."""
    return f"'{text}" if looks_like_formula(text) else text


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float | Decimal):
        return f"{value}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return csv_safe(str(value))


def xlsx_cell(sheet: Worksheet, value: Any) -> Cell:
    """A cell for `sheet` (write-only or not) that holds `value` as data, never as a formula.

    openpyxl makes any text beginning with "=" a formula and "#N/A" an error value; text is forced back
    to a string, and a formula-like one is marked "quote prefix". Control characters that XML can not hold
    (a vertical tab pasted from Word) are dropped instead of failing the whole download.
    """
    if value is not None and not isinstance(value, bool | int | float | Decimal | date):
        value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def xlsx_row(sheet: Worksheet, values: Iterable[Any]) -> list[Cell]:
    """`sheet.append(xlsx_row(sheet, values))`: a row of cells from `xlsx_cell`."""
    return [xlsx_cell(sheet, value) for value in values]


def to_csv(rows: Iterable[Any], columns: list[ExportColumn]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_safe(str(c.header)) for c in columns])
    for row in rows:
        writer.writerow([_csv_text(cell_value(row, c)) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Iterable[Any], columns: list[ExportColumn], *, title: str = "Eksport") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns):
        width = 12 if column.kind in (DATE, NUMBER, DECIMAL) else max(14, min(40, len(column.header) + 4))
        sheet.column_dimensions[_letter(index)].width = width
    bold = Font(bold=True)
    header = xlsx_row(sheet, (column.header for column in columns))
    for cell in header:
        cell.font = bold
    sheet.append(header)
    count = 0
    for row in rows:
        cells = []
        for column in columns:
            cell = xlsx_cell(sheet, cell_value(row, column))
            if column.kind == DATE:
                cell.number_format = "DD.MM.YYYY"
            elif column.kind == DECIMAL:
                cell.number_format = "#,##0.00"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{_letter(len(columns) - 1)}{count + 1}"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _relations(model: type[Model], path: str) -> str:
    """The longest start of a column's path that follows forward relations only (what `select_related` takes)."""
    followed = []
    for name in path.split("__")[:-1]:
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            break
        if not (found.is_relation and found.concrete and (found.many_to_one or found.one_to_one)):
            break
        followed.append(name)
        model = found.related_model
    return "__".join(followed)


def joined(rows: Iterable[Any], columns: list[ExportColumn]) -> Iterable[Any]:
    """A queryset with the relations its columns' paths walk through joined in: the export reads them in one
    query rather than one per row, and the list page on screen needs to join only what its own columns show."""
    if not isinstance(rows, QuerySet) or not issubclass(rows._iterable_class, ModelIterable):
        return rows  # a list, or `.values()` rows (dicts): nothing to join
    paths = {_relations(rows.model, c.value) for c in columns if isinstance(c.value, str)} - {""}
    return rows.select_related(*sorted(paths)) if paths else rows


def export_response(*, rows: Iterable[Any], columns: list[ExportColumn], filename: str, fmt: str) -> HttpResponse:
    """The rows as a download; `fmt` is "csv" or "xlsx"."""
    rows = joined(rows, columns)
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(rows, columns, title=filename), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(to_csv(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    return response
