"""Template helpers every page may use (a builtin: no `{% load %}` needed).

Formatting: `nodate`, `num`, `kr`, `percent`, `years`. Abilities: `{% may "change" obj as can_change %}`.
Forms: `ds_input`, `field_kind`, `ds_choices`, `error_target`. Lists: `query_with`, `page_url`,
`page_window`, `sort_state`, `sort_link`. A record's page: `{% history_panel changes %}`.
"""

from datetime import date
from decimal import Decimal

from django import forms, template
from django.db.models import QuerySet
from django.forms.boundfield import BoundField, BoundWidget
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from accounts import abilities
from core import dataversion, formatting, tableversions
from core.lists import page_window as _page_window
from core.paths import path_for
from core.widgets import SuggestionSelect

register = template.Library()


@register.filter
def nodate(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


@register.filter
def num(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """«1 806», «12,5»; `num:1` for a fixed number of decimals; nothing for None."""
    return formatting.number(value, decimals)


@register.filter
def kr(value: int | float | Decimal | None) -> str:
    """«kr 32 084 508»: whole kroner."""
    return formatting.kroner(value)


@register.filter
def percent(value: int | float | None) -> str:
    return "" if value is None else f"{formatting.number(value, 0)}\u00a0%"


@register.filter
def years(value: float) -> str:
    return formatting.number(value, 1)


@register.simple_tag(takes_context=True)
def may(context: template.Context, action: str, target: object) -> bool:
    """`{% may "change" doctor as can_change %}`: whether the signed-in user may do it (accounts.abilities)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user is not None and abilities.may(user, action, target)


@register.simple_tag
def row_url(name: str, pk: int) -> str:
    """`{% url name pk %}` for a row in a loop, without walking the URL conf each time (core.paths)."""
    return path_for(name)(pk)


@register.simple_tag
def query_with(query: QueryDict, **changes) -> str:
    """The current query string with some parameters replaced (page, sort); empty values dropped."""
    updated = query.copy()
    for key, value in changes.items():
        updated.pop(key, None)
        if value not in (None, ""):
            updated[key] = value
    return "?" + updated.urlencode() if updated else "?"


@register.simple_tag
def page_url(query: QueryDict | str | None, number: int, param: str | None = None) -> str:
    """The address of page `number`, keeping the rest of the query (the page parameter is `page` by default)."""
    updated = QueryDict(query, mutable=True) if isinstance(query, str | type(None)) else query.copy()
    updated[param or "page"] = str(number)
    return "?" + updated.urlencode()


@register.filter
def page_window(page) -> list[int | None]:
    return _page_window(page.number, page.paginator.num_pages)


@register.filter
def ds_input(field: BoundField) -> str:
    """The field's widget with Designsystemet's class and the ARIA links to its help and error text."""
    widget = field.field.widget
    attrs = dict(widget.attrs)
    kind = getattr(widget, "input_type", None)
    if kind not in {"hidden"}:
        attrs["class"] = " ".join(filter(None, [attrs.get("class"), "ds-input"]))
    attrs.update(_described_by(field))
    return field.as_widget(attrs=attrs)


def _described_by(field: BoundField) -> dict[str, str]:
    described = []
    attrs = {}
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return attrs


def _is_choices(widget: forms.Widget) -> bool:
    return isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def field_kind(field: BoundField) -> str:
    """Which Designsystemet component draws the field: choices (Fieldset), checkbox, or input."""
    widget = field.field.widget
    if _is_choices(widget):
        return "choices"
    if getattr(widget, "input_type", None) == "checkbox":
        return "checkbox"
    if isinstance(widget, SuggestionSelect):
        return "suggestion"
    return "input"


@register.filter
def ds_choices(field: BoundField) -> list[BoundWidget]:
    """The options of a Radio/Checkbox group, each an input with Designsystemet's class."""
    widget = field.field.widget
    attrs = {"class": "ds-input", "id": field.auto_id}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return [
        BoundWidget(widget, option, field.form.renderer)
        for option in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]


@register.filter
def error_target(field: BoundField) -> str:
    """The id the error summary links to: the field's input, or the first option of a group."""
    return f"{field.auto_id}_0" if _is_choices(field.field.widget) else field.auto_id


@register.filter
def crumb_parent(breadcrumbs: list) -> object | None:
    """The last level above the page with an address: where a phone's «Tilbake til» leads."""
    return next((crumb for crumb in reversed(breadcrumbs[:-1]) if crumb.url), None)


@register.filter
def sort_state(listing, key: str) -> str:
    return listing.sort_state(key)


@register.filter
def sort_link(listing, key: str) -> str:
    return listing.sort_link(key)


@register.simple_tag
def history_panel(changes: QuerySet | list) -> SafeString:
    """The history panel of a record (core/_history_panel.html), kept until a change is recorded: the changes'
    query names the record and what its reader may see of them (core.history.history_of)."""
    render = lambda: render_to_string("core/_history_panel.html", {"changes": changes})  # noqa: E731
    if not isinstance(changes, QuerySet):
        return mark_safe(render())  # noqa: S308 -- a template's output
    return mark_safe(tableversions.kept(f"history:{dataversion.query_key(changes)}", render))  # noqa: S308 -- as above
