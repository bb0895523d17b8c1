"""The annual report (one plain data object, office/report.py) rendered as HTML, PDF, XLSX and JSON."""

import io
import json
from datetime import date

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.export import xlsx_row
from office.report import Report

FORMATS = ("html", "pdf", "xlsx", "json")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def filename(report: Report, fmt: str) -> str:
    return f"arsrapport-{report.office or 'nasjonal'}-{report.year}.{fmt}"


def to_json(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=_json_value)


def _json_value(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)  # lazy translations


def to_html(report: Report) -> str:
    """A standalone document: the same markup the PDF is printed from."""
    return render_to_string("office/report_print.html", {"report": report, "css": _print_css()})


def to_pdf(report: Report) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only the PDF needs.
    from weasyprint import HTML

    return HTML(string=to_html(report)).write_pdf()


def _print_css() -> str:
    path = finders.find("office/report_print.css")
    with open(path, encoding="utf-8") as file:
        return file.read()


def to_xlsx(report: Report) -> bytes:
    """One sheet per table, after a first sheet with the report's title and its texts.

    Every row goes through core.export.xlsx_row: names and texts typed by people are data, never formulas.
    """
    workbook = Workbook()
    bold = Font(bold=True)
    front = workbook.active
    front.title = _("Rapport")
    title = _("Årsrapport %(year)s – %(office)s") % {"year": report.year, "office": report.office_name}
    front.append(xlsx_row(front, [title]))
    front["A1"].font = Font(bold=True, size=14)
    front.append(xlsx_row(front, [_("Per"), report.as_of]))
    front["B2"].number_format = "DD.MM.YYYY"
    for label, text in ((_("Måloppnåelse"), report.goals_reached), (_("Kommentarer"), report.comments)):
        if text:
            front.append([])
            front.append(xlsx_row(front, [label]))
            front.cell(front.max_row, 1).font = bold
            front.append(xlsx_row(front, [text]))
    for section in report.sections:
        if not section.tables:
            front.append([])
            front.append(xlsx_row(front, [section.title, section.empty]))
    front.column_dimensions["A"].width = 60
    used: set[str] = {front.title}
    for section in report.sections:
        for table in section.tables:
            sheet = workbook.create_sheet(_sheet_name(table.title, used))
            sheet.append(xlsx_row(sheet, [table.title]))
            sheet["A1"].font = bold
            sheet.append(xlsx_row(sheet, table.columns))
            for cell in sheet[2]:
                cell.font = bold
            for row in table.rows:
                sheet.append(xlsx_row(sheet, row))
            if table.footer:
                sheet.append(xlsx_row(sheet, table.footer))
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
            if table.note:
                sheet.append([])
                sheet.append(xlsx_row(sheet, [table.note]))
            for row in sheet.iter_rows(min_row=3):
                for cell in row:
                    if isinstance(cell.value, date):
                        cell.number_format = "DD.MM.YYYY"
            sheet.column_dimensions["A"].width = 45
            sheet.freeze_panes = "A3"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = "".join(" " if c in "[]:*?/\\" else c for c in title)[:31].strip()
    candidate, n = name, 2
    while candidate in used:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def render(report: Report, fmt: str) -> bytes:
    if fmt == "json":
        return to_json(report).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    return to_html(report).encode("utf-8")
