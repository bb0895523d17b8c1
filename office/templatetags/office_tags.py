"""How a report cell is shown: dates as dd.mm.yyyy, numbers as every page shows them (`core.formatting.number`:
«1 806», decimals «12,5»), and nothing as the table's text for a missing value (a dash, or «ukjent» where a
number is not known)."""

from datetime import date
from decimal import Decimal

from django import template

from core.formatting import number

register = template.Library()


@register.filter
def cell(value: object, missing: str = "–") -> str:
    if value is None:
        return missing
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return number(value, 1)
    if isinstance(value, int | Decimal):
        return number(value)
    return str(value)
