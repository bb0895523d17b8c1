"""Form widgets: the date picker and Designsystemet's Suggestion (selects are drawn fast by core.renderers)."""

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


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as YYYY-MM-DD (also accepted typed as dd.mm.åååå)."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SuggestionSelect(forms.Widget):
    """One choice among hundreds (a doctor, a municipality): Designsystemet's Suggestion, fed from the server.

    Renders `<ds-suggestion>` (from @digdir/designsystemet-web) around a text input. With JavaScript,
    core/static/core/alis.js asks `url?q=…` for the options while the user types (the view answers with
    `core.suggestions.suggestion_response`) and keeps the chosen row's id in a hidden input. Without
    JavaScript the text input is all there is, and `core.suggestions.SuggestionField` finds the row from
    what was typed (a name or a number), or says why it could not.

    The form posts two values: `<name>` (the chosen id, kept by the script) and `<name>_text` (the text).
    """

    template_name = ""  # rendered in Python below

    def __init__(self, url: str = "", attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.url = url

    def value_from_datadict(self, data, files, name: str):
        """The id alone when no text was posted (an importer or a test posting the id), else both."""
        if f"{name}_text" not in data:
            return data.get(name)
        return {"id": data.get(name) or "", "text": data.get(f"{name}_text")}

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data and f"{name}_text" not in data

    def render(self, name: str, value: object, attrs: dict | None = None, renderer: object = None) -> SafeString:
        chosen = value if isinstance(value, SuggestionValue) else SuggestionValue.posted(value)
        final = self.build_attrs(self.attrs, attrs)
        final.update({"type": "text", "name": f"{name}_text", "value": chosen.text, "autocomplete": "off"})
        parts = [f'<ds-suggestion class="ds-suggestion" data-suggestion-url="{_escape(self.url)}">']
        if chosen.id:
            parts.append(f'<data value="{_escape(chosen.id)}">{_escape(chosen.text)}</data>')
        parts.append(f"<input{_attrs(final)}>")
        parts.append("<del></del>")
        parts.append("<u-datalist data-nofilter>")
        if chosen.id:
            parts.append(f'<u-option value="{_escape(chosen.id)}">{_escape(chosen.text)}</u-option>')
        parts.append("</u-datalist>")
        parts.append(f'<input type="hidden" name="{_escape(name)}" value="{_escape(chosen.id)}" data-suggestion-value>')
        parts.append("</ds-suggestion>")
        return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped


class SuggestionValue:
    """What a Suggestion field shows: the chosen row's id and label (or, after an error, the text typed)."""

    def __init__(self, id: object = "", text: str = "") -> None:
        self.id = "" if id is None else str(id)
        self.text = text or ""

    def __str__(self) -> str:
        return self.id

    @classmethod
    def posted(cls, value: object) -> "SuggestionValue":
        """The data posted back (shown again after an error), or an id alone."""
        if isinstance(value, dict):
            return cls(value.get("id"), value.get("text") or "")
        return cls(value)
