"""Formatting for Norwegian pages and the query-string helpers the list pages use."""

from datetime import date

from django import template
from django.http import QueryDict
from django.utils.formats import number_format

register = template.Library()


@register.filter
def nodate(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


@register.filter
def percent(value: int | float | None) -> str:
    return "" if value is None else f"{number_format(value, 0)} %"


@register.filter
def years(value: float) -> str:
    return number_format(value, 1)


@register.simple_tag
def query_with(query: QueryDict, **changes) -> str:
    """The current query string with some parameters replaced (page, sort); empty values dropped."""
    updated = query.copy()
    for key, value in changes.items():
        updated.pop(key, None)
        if value not in (None, ""):
            updated[key] = value
    return "?" + updated.urlencode() if updated else "?"
