"""The form renderer (settings.FORM_RENDERER): Django's own, with the commonest widgets written in Python.

Django draws every widget through templates: a select includes a template per option, and every option and
input includes `attrs.html` with a loop over its attributes. A list page's filter form of a dozen fields and
a few hundred options spent more time there than on its SQL (profiled on the ALIS list, the municipalities and
the inquiries: 2–7 ms of a page). The widgets below are written here with exactly the markup of Django's
templates (core/tests/test_renderers.py compares the two); any other template, or a widget that names templates
of its own, is drawn by the templates as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils import formats, timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# One box or radio button of a multiple choice (`input_option.html`), as a Fieldset of choices draws each.
INPUT_OPTIONS = frozenset(("django/forms/widgets/checkbox_option.html", "django/forms/widgets/radio_option.html"))
# The input widgets whose template is only `{% include "django/forms/widgets/input.html" %}`.
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
)


def _string(value: object) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless it is already safe."""
    return value if isinstance(value, SafeData) else escape(value)


def _shown(value: object) -> str:
    """`{{ value }}`: as the template engine writes a value (localized, escaped unless safe)."""
    return conditional_escape(formats.localize(timezone.template_localtime(value)))


def attrs(attributes: dict) -> str:
    """Django's `attrs.html`: each attribute but those set to False; True ones bare."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_string(value)}"'
        for name, value in attributes.items()
        if value is not False
    )


def select(widget: dict) -> str | None:
    """Django's `select.html` and `select_option.html` (whose file ends in a newline, kept after each option);
    None when an option has a template of its own."""
    parts = [f'<select name="{_shown(widget["name"])}"{attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option.get("template_name") != OPTION:
                return None
            label = _shown(option["label"])
            parts.append(f'\n  <option value="{_string(option["value"])}"{attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def input_tag(widget: dict) -> str:
    """Django's `input.html`."""
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{attrs(widget["attrs"])}>'


def input_option(widget: dict) -> str:
    """Django's `input_option.html`: the input, wrapped in its label when asked (the included `input.html` ends
    in a newline, which the renderer's final strip keeps only inside the label)."""
    tag = input_tag(widget)
    if not widget.get("wrap_label"):
        return tag
    id_ = widget["attrs"].get("id")
    label_for = f' for="{_shown(id_)}"' if id_ else ""
    return f"<label{label_for}>{tag}\n {_shown(widget['label'])}</label>"


class FastRenderer(DjangoTemplates):
    """Django's template renderer, with selects, plain inputs and choice boxes written in Python (same markup)."""

    def render(self, template_name: str, context: dict, request=None) -> SafeString:
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict):
            html = None
            if template_name == SELECT:
                html = select(widget)
            elif template_name in INPUTS and "type" in widget:
                html = input_tag(widget)
            elif template_name in INPUT_OPTIONS and "type" in widget:
                html = input_option(widget)
            if html is not None:
                return mark_safe(html)  # noqa: S308 -- every value above is escaped as the templates do
        return super().render(template_name, context, request=request)
