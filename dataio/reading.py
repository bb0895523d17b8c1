"""Reading the spreadsheets people really send: CSV in any of the usual encodings and separators, or .xlsx.

`read_table` turns a file into rows of raw cell values keyed by the importer's declared columns, or raises
`FileError` with a Norwegian message a user can act on. The `parse_*` functions turn one raw value (text
from CSV, or a typed cell from Excel) into a date, number or yes/no, raising `ValueError` when they can not.

Row numbers are what a spreadsheet shows: the header is row 1 (or lower, when blank rows come first).
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

MAX_ROWS = 50_000
SEPARATORS = (";", ",", "\t")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97–2003

Value = str | int | float | Decimal | date | datetime | bool | None


class FileError(Exception):
    """The file can not be read as the list it should be; the message is for the user."""


@dataclass(frozen=True)
class Header:
    """A column the importer knows: its key, the header the template uses, other headers seen in the wild."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> set[str]:
        return {normalise(self.label), *(normalise(a) for a in self.aliases)}


@dataclass
class Table:
    rows: list[tuple[int, dict[str, Value]]]
    present: set[str]  # keys of the declared columns the file has
    encoding: str  # "Excel", "UTF-8" or "Windows-1252"


def max_bytes() -> int:
    """The largest file an upload may be (`settings.IMPORT_MAX_MB`, 10 MB unless set: a national GP list of
    5 000 rows is under 1 MB, ten times that is not a list)."""
    return settings.IMPORT_MAX_MB * 1_048_576


def size_error(size: int) -> str | None:
    """The Norwegian message for a file of `size` bytes that is too large or empty; None when it is fine."""
    if size > max_bytes():
        return _("Fila er for stor (%(size)s MB); grensen er %(max)d MB.") % {
            "size": f"{size / 1_048_576:.0f}",
            "max": settings.IMPORT_MAX_MB,
        }
    if size == 0:
        return _("Fila er tom.")
    return None


def normalise(header: str) -> str:
    """A header as compared: case, spacing, punctuation and æøå do not matter ("HPR-nr." = "hpr nr")."""
    text = str(header).strip().lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def read_table(data: bytes, headers: list[Header]) -> Table:
    if not data or not data.strip():
        raise FileError(_("Fila er tom."))
    if message := size_error(len(data)):
        raise FileError(message)
    if data.startswith(OLE_MAGIC):
        raise FileError(_("Gamle Excel-filer (.xls) kan ikke leses. Lagre fila som .xlsx eller CSV og prøv igjen."))
    if data.startswith(ZIP_MAGIC):
        grid, encoding = _excel_rows(data), "Excel"
    else:
        text, encoding = _decode(data)
        grid = _csv_rows(text, headers)
    return _table(grid, headers, encoding)


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else Windows-1252, which also reads ISO-8859-1 text the same."""
    garbage = FileError(_("Fila er verken en Excel-fil (.xlsx) eller en tekstfil (CSV)."))
    if b"\x00" in data:
        raise garbage
    try:
        text, encoding = data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            raise garbage from None
    # Any bytes decode as Windows-1252; a real list never holds control characters.
    if any(ord(char) < 32 and char not in "\t\r\n" for char in text):
        raise garbage
    return text, encoding


def _csv_rows(text: str, headers: list[Header]) -> list[list[Value]]:
    """Split with the separator that makes the most known headers appear in the first non-empty line."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    known = set().union(*(h.names() for h in headers))

    def matches(separator: str) -> int:
        return sum(normalise(cell) in known for cell in next(csv.reader([first], delimiter=separator), []))

    separator = max(SEPARATORS, key=matches)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as error:
        raise FileError(_("Fila kan ikke leses som CSV (%s).") % error) from error


def _excel_rows(data: bytes) -> list[list[Value]]:
    unreadable = _("Fila er ikke en Excel-fil (.xlsx) som kan leses.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise FileError(unreadable) from error
    try:
        rows = []
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                raise FileError(_("Fila har mer enn %d rader.") % MAX_ROWS)
        return rows
    except FileError:
        raise
    except Exception as error:  # a damaged sheet (cut-off XML, say) raises whatever its parser raises
        raise FileError(unreadable) from error
    finally:
        workbook.close()


def _blank(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(grid: list[list[Value]], headers: list[Header], encoding: str) -> Table:
    numbered = [(number, cells) for number, cells in enumerate(grid, start=1) if not all(_blank(c) for c in cells)]
    if not numbered:
        raise FileError(_("Fila er tom."))
    header_cells = numbered[0][1]
    found = [normalise(str(c)) if not _blank(c) else "" for c in header_cells]
    positions: dict[str, int] = {}
    for header in headers:
        names = header.names()
        index = next((i for i, name in enumerate(found) if name in names), None)
        if index is not None:
            positions[header.key] = index
    missing = [h.label for h in headers if h.required and h.key not in positions]
    if missing:
        shown = ", ".join(f"«{c}»" for c in header_cells if not _blank(c))[:300]
        raise FileError(
            _("Fila mangler kolonnene %(missing)s. Første rad har %(found)s.")
            % {"missing": ", ".join(f"«{m}»" for m in missing), "found": shown or _("ingen overskrifter")}
        )
    rows = []
    for number, cells in numbered[1:]:
        values = {key: (cells[i] if i < len(cells) else None) for key, i in positions.items()}
        rows.append((number, {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}))
    if not rows:
        raise FileError(_("Fila har overskrifter, men ingen rader."))
    if len(rows) > MAX_ROWS:
        raise FileError(_("Fila har mer enn %d rader.") % MAX_ROWS)
    return Table(rows=rows, present=set(positions), encoding=encoding)


# Values


def text(value: Value) -> str:
    """A cell as text; Excel's 4601.0 for a number typed as a number is "4601"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")
FIRST_EXCEL_SERIAL, LAST_EXCEL_SERIAL = 1, 2_958_465  # 01.01.1900 … 31.12.9999


def parse_date(value: Value) -> date:
    """A date from an Excel date cell, an Excel serial number, or Norwegian text (dd.mm.yyyy)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if FIRST_EXCEL_SERIAL <= value <= LAST_EXCEL_SERIAL:
            return from_excel(value).date()
        raise ValueError(value)
    raw = text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(raw)


THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_number(value: Value) -> Decimal:
    """A number from an Excel number cell or Norwegian text: "1 234,5", "1.234,5", "1234.5", "80 %"."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    raw = re.sub(r"[\s\u00a0\u202f%]", "", text(value))
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif THOUSANDS.match(raw):
        raw = raw.replace(".", "")  # "1.234" is a thousand in Norwegian, not one and a bit
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def parse_whole(value: Value) -> int:
    number = parse_number(value)
    if number != number.to_integral_value():
        raise ValueError(value)
    return int(number)


YES = {"ja", "j", "yes", "y", "x", "1", "true", "sann", "apen"}
NO = {"nei", "n", "no", "0", "false", "usann", "lukket"}


def parse_yes_no(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    word = normalise(text(value))
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(value)
