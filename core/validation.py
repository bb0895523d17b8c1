"""Checks at the edge: what a form, a query string, an import or a link may bring into the system.

A bad value is refused where it comes in, with a Norwegian message, so that it never reaches a page other
people open: a date in year 9999 made the grant lists and the public course calendar fail for everyone,
"²" passed `str.isdigit()` and then broke `int()`, and a cell beginning with "=" became a live formula in
the next person's spreadsheet.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

# Dates: wide enough for every real date in the field (specialists since the 1950s, plans decades ahead),
# narrow enough that adding years or months to one never leaves what Python's date can hold.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
DATE_RANGE_MESSAGE = _("Datoen må være mellom %(min)s og %(max)s.")


def date_in_range(value: date) -> bool:
    return DATE_MIN <= value <= DATE_MAX


def validate_date_range(value: date) -> None:
    """Refuse a date outside 1900–2100, the range every date field of the system accepts."""
    if value is not None and not date_in_range(value):
        raise ValidationError(
            DATE_RANGE_MESSAGE,
            code="date_range",
            params={"min": DATE_MIN.strftime("%d.%m.%Y"), "max": DATE_MAX.strftime("%d.%m.%Y")},
        )


# Whole numbers from query strings and hidden fields: ASCII digits only ("²" and "٣" are digits to
# str.isdigit() but not to int() or to the database), within a 64-bit column.
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")


def parse_int(text: object, default: int | None = None) -> int | None:
    """`text` as an integer if it is one (ASCII digits, an optional minus, at most 18 digits), else `default`."""
    if isinstance(text, str) and WHOLE_NUMBER.fullmatch(text.strip()):
        return int(text)
    return default


def query_int(query: QueryDict, key: str, default: int | None = None) -> int | None:
    """A query-string parameter as an integer; missing or not a number gives `default`, never an error."""
    return parse_int(query.get(key), default)


def query_date(query: QueryDict, key: str) -> date | None:
    """A query-string parameter as an ISO date (ÅÅÅÅ-MM-DD) within 1900–2100, else None, never an error."""
    try:
        value = date.fromisoformat(query.get(key) or "")
    except ValueError:
        return None
    return value if date_in_range(value) else None


# Spreadsheet formulas (OWASP "CSV injection", ASVS 5.0 1.2.10): a cell whose text begins with one of these
# is taken as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
FORMULA_MESSAGE = _(
    "«%(value)s» kan ikke begynne med =, +, - eller @: regneark leser det som en formel. Fjern tegnet først i cellen."
)


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def formula_error(value: str) -> str:
    """The row error an import gives a name that would be a formula in a spreadsheet."""
    return str(FORMULA_MESSAGE) % {"value": value[:60]}
