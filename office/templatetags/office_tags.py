"""How a report cell is shown: dates as dd.mm.yyyy, decimals with a comma, nothing as a dash."""

from datetime import date

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return number_format(value, 1)
    return str(value)


@register.filter
def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
