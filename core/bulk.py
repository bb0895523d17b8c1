"""Acting on many rows at once, behind one confirmation page that shows exactly what will happen.

A list offers the actions (`core.lists.Selection`); each action's view finds the rows the user chose
(`chosen_ids`: the ticked rows, or every row of the list's filters with `alle=1`), narrows them to what the user
may act on, and ends in `bulk_page`. The page lists each row that will be acted on and each that will not (and
why); nothing happens until the user confirms, and the confirmation posts the ids that were shown, so what is done
is what was shown. An action with a message to write (`form_class`) shows the form first, then the message as the
recipients will read it, then acts.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import readlog
from core.editing import Refused, safe_next
from core.lists import SELECT_PARAM
from core.navigation import Crumb
from core.validation import parse_int

ALL_PARAM = "alle"
MAX_ROWS = 1000  # a bulk action larger than this is not what an office does in one go


@dataclass(frozen=True)
class BulkRow:
    """One row of the confirmation page: its id and its cells (as many as the page's headers)."""

    id: int
    cells: Sequence[object]


@dataclass(frozen=True)
class Chosen:
    """What the user chose on the list: ids, or all the rows of the list's filters (`query`)."""

    ids: list[int]
    all: bool
    query: QueryDict


def chosen(request: HttpRequest) -> Chosen:
    """The rows the user chose: the ticked ids (GET from the list, POST from the confirmation page), or `alle=1`
    with the list's filters. Ids that are not whole numbers are left out."""
    data = request.POST if request.method == "POST" else request.GET
    ids = []
    for text in data.getlist(SELECT_PARAM)[:MAX_ROWS]:
        value = parse_int(text)
        if value is not None and value not in ids:
            ids.append(value)
    return Chosen(ids=ids, all=request.method == "GET" and request.GET.get(ALL_PARAM) == "1", query=request.GET)


def bulk_page(
    request: HttpRequest,
    *,
    title: str,
    intro: str,
    headers: Sequence[str],
    rows: Sequence[BulkRow],
    act: Callable[..., str],
    confirm_label: str,
    success_url: str,
    skipped: Sequence[tuple[str, str]] = (),
    form_class: type[forms.Form] | None = None,
    preview: Callable[[dict], Sequence[tuple[str, str]]] | None = None,
    breadcrumbs: Sequence[Crumb] = (),
    empty_text: str = "",
) -> HttpResponse:
    """The confirmation page of a bulk action; on confirmation `act(ids)` (or `act(ids, data)` with a form) does
    the work and returns the message to show. It may raise `Refused`: nothing is done, and the message says why.

    `rows` are what will be acted on, `skipped` (name, reason) what will not. With `form_class` the user writes
    first; `preview(data)` gives what the recipients will see ((label, text) pairs), shown before the confirmation.
    """
    next_url = safe_next(request)
    cancel_url = next_url or success_url
    form = None
    stage = "confirm"
    if form_class is not None:
        # Write (GET, or a message with errors) → see it as sent («preview») → confirm.
        form = form_class(request.POST if request.method == "POST" else None)
        stage = "confirm" if request.method == "POST" and form.is_valid() and "edit" not in request.POST else "write"
    if request.method == "POST" and "confirm" in request.POST and stage == "confirm" and rows:
        ids = [row.id for row in rows]
        try:
            done = act(ids, form.cleaned_data) if form is not None else act(ids)
        except Refused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(request.get_full_path())
        messages.success(request, done)
        return HttpResponseRedirect(success_url)
    # The rows (and those left out) name persons: the page is a list read, logged as one entry (core.readlog).
    readlog.read_list(request, rows=len(rows) + len(skipped), label=title)
    context = {
        "title": title,
        "intro": intro,
        "headers": headers,
        "rows": rows,
        "table": [list(zip(headers, row.cells, strict=True)) for row in rows],
        "skipped": skipped,
        "form": form,
        "stage": stage,
        "preview": preview(form.cleaned_data) if preview and form is not None and stage == "confirm" else (),
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
        "next": next_url,
        "empty_text": empty_text or _("Ingen av radene du valgte kan tas med."),
        "select_param": SELECT_PARAM,
        "breadcrumbs": [*breadcrumbs, Crumb(title)] if breadcrumbs else [],
    }
    return render(request, "core/bulk_page.html", context)
