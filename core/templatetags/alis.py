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


@register.filter
def ds_input(field) -> str:
    """The field's widget with Designsystemet's class and the ARIA links to its help and error text."""
    widget = field.field.widget
    attrs = dict(widget.attrs)
    kind = getattr(widget, "input_type", None)
    if kind not in {"hidden"}:
        attrs["class"] = " ".join(filter(None, [attrs.get("class"), "ds-input"]))
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field) -> bool:
    return getattr(field.field.widget, "input_type", None) == "checkbox"


@register.filter
def sort_state(listing, key: str) -> str:
    return listing.sort_state(key)


@register.filter
def sort_link(listing, key: str) -> str:
    return listing.sort_link(key)
