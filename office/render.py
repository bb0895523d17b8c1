"""The annual report (one plain data object, office/report.py) rendered as HTML, PDF, XLSX and JSON."""

import io
import json
from datetime import date

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

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
    """A first sheet with the report's title, introduction, texts and signature; then one sheet per table.

    A sheet's name is the table's short name (Excel allows 31 characters); its first cell holds the full title.
    Every row goes through core.export.xlsx_row: names and texts typed by people are data, never formulas.
    """
    workbook = Workbook()
    _front_sheet(workbook.active, report)
    used: set[str] = {workbook.active.title}
    bold = Font(bold=True)
    for section in report.sections:
        for table in section.tables:
            sheet = workbook.create_sheet(_sheet_name(table.sheet or table.title, used))
            sheet.append(xlsx_row(sheet, [table.title]))
            sheet["A1"].font = bold
            sheet.append(xlsx_row(sheet, table.columns))
            for cell in sheet[2]:
                cell.font = bold
            for row in table.rows:
                sheet.append(xlsx_row(sheet, [table.missing if value is None else value for value in row]))
            if table.footer:
                sheet.append(xlsx_row(sheet, [table.missing if value is None else value for value in table.footer]))
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


def _front_sheet(front, report: Report) -> None:
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    front.title = _("Rapport")
    title = _("Årsrapport %(year)s – %(office)s") % {"year": report.year, "office": report.office_name}
    front.append(xlsx_row(front, [title]))
    front["A1"].font = Font(bold=True, size=14)
    front.append(xlsx_row(front, [_("Per"), report.as_of]))
    front["B2"].number_format = "DD.MM.YYYY"

    def paragraph(text: str, *, heading: bool = False) -> None:
        front.append(xlsx_row(front, [text]))
        front.cell(front.max_row, 1).font = bold if heading else Font()
        front.cell(front.max_row, 1).alignment = wrap

    for number, section in enumerate(report.sections, start=1):
        if not section.texts and section.tables:
            continue
        front.append([])
        paragraph(f"{number}. {section.title}", heading=True)
        for text in section.texts:
            if text.title:
                paragraph(text.title, heading=True)
            paragraph(text.body or _("Ikke skrevet ennå."))
        if not section.tables and not section.texts:
            paragraph(section.empty)
    if report.signature:
        signature = report.signature
        front.append([])
        paragraph(_("Underskrift"), heading=True)
        host = (
            _("For vertskommunen (%(host)s)") % {"host": signature.host} if signature.host else _("For vertskommunen")
        )
        paragraph(host)
        paragraph(", ".join(part for part in (signature.host_name, signature.host_title) if part))
        paragraph(_("For %(name)s") % {"name": report.office_name})
        place_date = ", ".join(
            part for part in (signature.place, signature.day.strftime("%d.%m.%Y") if signature.day else "") if part
        )
        paragraph(_("Sted, dato: %(when)s") % {"when": place_date} if place_date else _("Sted, dato:"))
        paragraph(", ".join(part for part in (signature.name, signature.title) if part))
    front.column_dimensions["A"].width = 110


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
