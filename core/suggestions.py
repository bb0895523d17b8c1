"""Choosing one row among hundreds by typing: the search behind Designsystemet's Suggestion.

A form declares `SuggestionField(queryset, url=..., search_fields=...)`; the view at `url` answers the
options with `suggestion_response(request, queryset, search_fields=...)`. Both search the same way, so
what the script offers while typing is what the form accepts when the text is sent without the script.
"""

from collections.abc import Callable, Sequence

from django import forms
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import readlog
from core.widgets import SuggestionSelect, SuggestionValue

LIMIT = 20
# No name, number or title in the register is longer; a longer text finds nothing (and SQLite refuses a LIKE
# pattern of tens of thousands of characters).
TEXT_LENGTH = 100


def search(queryset: QuerySet, text: str, fields: Sequence[str]) -> QuerySet:
    """Rows where every word of the text is found in one of the fields (case-insensitive)."""
    query = Q()
    for word in text.split():
        word_query = Q()
        for name in fields:
            word_query |= Q(**{f"{name}__icontains": word})
        query &= word_query
    return queryset.filter(query)


def suggestion_response(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    search_fields: Sequence[str],
    label: Callable[[Model], str] = str,
) -> HttpResponse:
    """The options for `?q=…` as `<u-option>` elements (at most 20), for the Suggestion's list."""
    text = request.GET.get("q", "").strip()[:TEXT_LENGTH]
    rows = list(search(queryset, text, search_fields)[:LIMIT]) if text else []
    if rows and readlog.is_personal(queryset.model):
        readlog.read_list(request, rows=len(rows), label=_("Søk"))
    if rows:
        body = format_html_join("", '<u-option value="{}">{}</u-option>', ((row.pk, label(row)) for row in rows))
    else:
        body = format_html("<u-option data-empty>{}</u-option>", _("Ingen treff") if text else _("Skriv for å søke"))
    return HttpResponse(body, content_type="text/html; charset=utf-8")


class SuggestionField(forms.ModelChoiceField):
    """A ModelChoiceField drawn as Designsystemet's Suggestion (see `core.widgets.SuggestionSelect`).

    The posted id wins when the text is still that row's label; otherwise the text is looked up: an exact
    label, an exact value of one of the search fields (a name, an HPR or municipality number), or the one
    row all its words match. None or many give a message saying what to type instead.
    """

    widget = SuggestionSelect
    default_error_messages = {
        "not_found": gettext_lazy("Fant ingen som passer «%(text)s». Skriv navnet slik det står i registeret."),
        "ambiguous": gettext_lazy("«%(text)s» passer på flere. Skriv mer av navnet, eller nummeret."),
    }

    def __init__(self, queryset: QuerySet, *, url: str, search_fields: Sequence[str], **kwargs) -> None:
        super().__init__(queryset, **kwargs)
        self.search_fields = tuple(search_fields)
        self.widget.url = url

    def prepare_value(self, value: object) -> SuggestionValue:
        if isinstance(value, dict):
            return SuggestionValue.posted(value)
        if isinstance(value, Model):
            return SuggestionValue(value.pk, self.label_from_instance(value))
        if value in self.empty_values:
            return SuggestionValue()
        row = self.queryset.filter(pk=value).first() if str(value).isdigit() else None
        return SuggestionValue(value, self.label_from_instance(row) if row else "")

    def to_python(self, value: object) -> Model | None:
        if not isinstance(value, dict):
            return super().to_python(value)
        chosen, text = value.get("id") or "", value.get("text")
        if text is None:  # the id alone (a form posted by a test or a script)
            return super().to_python(chosen)
        text = text.strip()
        if not text:
            return None
        if len(text) > TEXT_LENGTH:
            text = text[:TEXT_LENGTH]
            raise forms.ValidationError(self.error_messages["not_found"], code="not_found", params={"text": text})
        if chosen:
            row = super().to_python(chosen)
            if row is not None and self.label_from_instance(row).strip().lower() == text.lower():
                return row
        return self._find(text)

    def _find(self, text: str) -> Model:
        found = list(search(self.queryset, text, self.search_fields)[: LIMIT + 1])
        exact = [row for row in found if self.label_from_instance(row).strip().lower() == text.lower()]
        if not exact:
            exact = self._exact(text)
        for candidates in (exact, found):
            if len(candidates) == 1:
                return candidates[0]
        if not found:
            raise forms.ValidationError(self.error_messages["not_found"], code="not_found", params={"text": text})
        raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"text": text})

    def _exact(self, text: str) -> list[Model]:
        query = Q()
        for name in self.search_fields:
            query |= Q(**{f"{name}__iexact": text})
        return list(self.queryset.filter(query)[:2])

    def has_changed(self, initial: object, data: object) -> bool:
        if isinstance(data, dict):
            data = data.get("id")
        return super().has_changed(initial, data)
