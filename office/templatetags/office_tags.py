"""How a report cell is shown: dates as dd.mm.yyyy, decimals with a comma, large numbers grouped, nothing as the
table's text for a missing value (a dash, or «ukjent» where a number is not known)."""

from datetime import date

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def cell(value: object, missing: str = "–") -> str:
    if value is None:
        return missing
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return number_format(value, 1)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return number_format(value, 0, force_grouping=True)
    return str(value)


@register.filter
def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
