"""Form widgets that render long lists fast."""

import html

from django import forms
from django.utils.safestring import SafeData, SafeString, mark_safe


def _escape(value: object) -> str:
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """The attributes as Django's `attrs.html` writes them: True bare, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class PlainSelect(forms.Select):
    """A select whose options are written in Python, with the same markup as Django's own.

    Django renders every option through a template of its own (an include and an attribute loop each);
    for a region's thousand doctors that is most of a page's time. Choices, selection and attributes
    come from `Select.get_context` as before, so behaviour and HTML stay those of `forms.Select`.
    """

    def render(self, name: str, value: object, attrs: dict | None = None, renderer: object = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{_escape(o["value"])}"{_attrs(o["attrs"])}>{_escape(o["label"])}</option>'
                for o in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped
