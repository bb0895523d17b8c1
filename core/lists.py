"""The one list page: filters and sorting in the query string, a count, numbered pages, export, empty state.

A view declares its columns once and hands the rows to `list_page`; `render_list` answers the page, the
HTMX partial (`core/_list.html`, when the filter form changes) or the export (`?eksport=xlsx|csv`) from the
same declaration. The page template extends `core/list_page.html`. See core/README.md for an example.

Cells are written in Python from the column's `value` (a field path or a function of the row) and `link`,
formatted by `core.formatting.cell` (numbers grouped, dates d.m.Y, yes/no), so a list needs no row template.
"""

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, partial, partialmethod
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import F, Model, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from core import dataversion, readlog, tableversions
from core.export import FORMATS, ExportColumn, export_response
from core.formatting import cell

PER_PAGE = 50
EXPORT_PARAM = "eksport"


@dataclass(frozen=True)
class Column:
    """A column: its key in the query string, its heading, the fields it sorts by (none: not sortable),
    and how a row's cell is found (`value`: a dotted attribute path or a function of the row; default
    the key) and linked (`link`: a function of the row giving a URL, or None for no link)."""

    key: str
    label: str
    fields: tuple[str, ...] = ()
    numeric: bool = False
    value: str | Callable[[Any], Any] | None = None
    link: Callable[[Any], str | None] | None = None

    def cell(self, row: Any) -> SafeString:
        value = self.value(row) if callable(self.value) else _path(row, self._names)
        text = conditional_escape(cell(value))
        url = self.link(row) if self.link else None
        return SafeString(f'<a href="{conditional_escape(url)}">{text}</a>') if url and text else text

    @cached_property
    def _names(self) -> tuple[str, ...]:
        """The attribute path of `value`, split once (a list page has hundreds of cells)."""
        return tuple((self.value or self.key).replace("__", ".").split("."))


def _path(row: Any, names: tuple[str, ...]) -> Any:
    for name in names:
        if row is None:
            return None
        if isinstance(row, dict):
            row = row.get(name)
        elif isinstance(row, Model) and _display_field(type(row), name):
            return choice_label(row, _display_field(type(row), name))
        else:
            row = getattr(row, name, None)
    return row() if callable(row) else row


@cache
def _display_field(model: type[Model], name: str) -> str:
    """The field behind `get_<field>_display` when that is Django's own method (not one the model wrote)."""
    method = inspect.getattr_static(model, name, None)
    if isinstance(method, partialmethod) and method.func is Model._get_FIELD_display:
        return method.keywords["field"].name
    return ""


@cache
def _choices(model: type[Model], name: str, language: str | None) -> dict:
    """The field's labels translated into `language` (the active one when first asked): a list of 50 rows
    otherwise translated each label of each row again."""
    return {make_hashable(value): force_str(label) for value, label in model._meta.get_field(name).flatchoices}


def choice_label(row: Model, name: str) -> Any:
    """`row.get_<name>_display()` as Django's method answers it, with the field's choices gathered (and translated)
    once per model and language rather than on every call (Django builds the dict each time: the costliest part
    of a list's cells)."""
    value = getattr(row, row._meta.get_field(name).attname)
    return force_str(_choices(type(row), name, get_language()).get(make_hashable(value), value), strings_only=True)


@dataclass(frozen=True)
class Export:
    """The export of a list: the file's columns (Norwegian headers, read back by importers) and name."""

    columns: Sequence[ExportColumn]
    filename: str


@dataclass(frozen=True)
class BulkAction:
    """Something to do with the rows the user ticks: `url` is its confirmation page (core.bulk), which gets the
    ticked rows' ids (`valgt`) or, for «alle treff», the list's filters and `alle=1`."""

    label: str
    url: str


@dataclass(frozen=True)
class Selection:
    """Rows that can be ticked and acted on together: each row's id and its name (the box's label)."""

    actions: Sequence[BulkAction]
    label: Callable[[Any], str]
    value: Callable[[Any], Any] = lambda row: row.pk


SELECT_PARAM = "valgt"


@dataclass
class ListPage:
    page: Page
    columns: list[Column]
    sort: str
    query: QueryDict
    caption: str = ""
    empty_text: str = ""
    export: Export | None = None
    extra: dict = field(default_factory=dict)
    selection: Selection | None = None
    kept: "KeptRows | None" = None
    prepare_rows: Callable[[list], None] | None = None

    @property
    def rows(self) -> list:
        return self.page.object_list

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def table(self) -> list[list[tuple[Column, SafeString]]]:
        """Each row's cells, with the column each belongs to (its heading labels the cell at phone width)."""
        return [[(column, column.cell(row)) for column in self.columns] for row in self.rows]

    @property
    def tbody(self) -> SafeString:
        """The table's rows as HTML, kept until a table they are read from is written to when the list says so
        (`list_page(keep_rows=True)`): the rows are then neither read nor written again."""
        if self.kept is None:
            return self._tbody()
        key = f"tbody:{self.kept.key}:{self.page.number}:{self.page.paginator.per_page}"
        return mark_safe(tableversions.kept(key, self._tbody, also=tableversions.so_far()))  # noqa: S308 -- _tbody

    def _tbody(self) -> SafeString:
        """The table's rows as HTML: the first cell a row header, each cell labelled by its column's heading
        (shown before the value at phone width). Written here rather than in the template, which would
        take a loop per cell: a page of 50 rows is hundreds of cells."""
        starts = []
        for index, column in enumerate(self.columns):
            label = conditional_escape(column.label)
            if index == 0:
                starts.append((f'<th scope="row" data-label="{label}">', "</th>"))
            else:
                numeric = ' class="num"' if column.numeric else ""
                starts.append((f'<td data-label="{label}"{numeric}>', "</td>"))
        select = self._select_cell()
        shown = list(self.rows)
        if self.prepare_rows is not None:
            self.prepare_rows(shown)
        rows = []
        for row in shown:
            cells = "".join(
                f"{start}{column.cell(row)}{end}" for column, (start, end) in zip(self.columns, starts, strict=True)
            )
            rows.append(f"<tr>{select(row)}{cells}</tr>")
        return mark_safe("\n".join(rows))  # noqa: S308 -- labels and cells are escaped above

    def _select_cell(self) -> Callable[[Any], SafeString | str]:
        """A function giving a row's tick box, tied to the actions' form (`form="valg"`), labelled with the row's
        name (the texts translated once for the page, not for each row)."""
        if self.selection is None:
            return lambda row: ""
        selection, choose, choose_named = self.selection, gettext("Velg"), gettext("Velg %(name)s")
        return lambda row: format_html(
            '<td class="select" data-label="{}"><input class="ds-input" type="checkbox" name="{}" value="{}" '
            'form="valg" aria-label="{}"></td>',
            choose,
            SELECT_PARAM,
            selection.value(row),
            choose_named % {"name": selection.label(row)},
        )

    def sort_state(self, key: str) -> str:
        """aria-sort value of a column."""
        if self.sort == key:
            return "ascending"
        if self.sort == f"-{key}":
            return "descending"
        return "none"

    def sort_link(self, key: str) -> str:
        """The sort a click on the heading asks for: ascending first, then descending, then ascending again."""
        return f"-{key}" if self.sort == key else key

    @property
    def filters(self) -> list[tuple[str, str]]:
        """The query's parameters except sorting and paging: what the sort buttons send along."""
        return [(key, value) for key, values in self.query.lists() if key != "sort" for value in values]

    @property
    def page_links(self) -> list[int | None]:
        return page_window(self.page.number, self.page.paginator.num_pages)

    @property
    def personal(self) -> bool:
        """Whether the list shows personal data (then it is logged as read): all but a list of public records."""
        rows = self.page.paginator.object_list
        if isinstance(rows, QuerySet):
            return readlog.is_personal(rows.model)
        first = next(iter(self.page.object_list), None)
        return not isinstance(first, Model) or readlog.is_personal(first)


def page_window(current: int, total: int, around: int = 1) -> list[int | None]:
    """The page numbers to show: the first, the last, and a window around the current; None for a gap.

    A gap of one page shows that page instead of «…», so the list never hides a single number.
    """
    if total <= 1:
        return [1] if total == 1 else []
    wanted = {1, total, *range(max(1, current - around), min(total, current + around) + 1)}
    shown: list[int | None] = []
    previous = 0
    for number in sorted(wanted):
        if number - previous == 2:
            shown.append(number - 1)
        elif number - previous > 2:
            shown.append(None)
        shown.append(number)
        previous = number
    return shown


def _nullable(model: type[Model], path: str) -> bool:
    """Whether a sort field can be empty in the list's query: a nullable field, or one reached over a nullable
    or reverse relation (an outer join); an annotation or anything else not a model field counts as nullable."""
    meta = model._meta
    for name in path.split("__"):
        try:
            found = meta.pk if name == "pk" else meta.get_field(name)
        except FieldDoesNotExist:
            return True
        if found.null:
            return True
        if found.is_relation:
            if not found.concrete or not (found.many_to_one or found.one_to_one):
                return True  # a reverse or many-to-many relation
            meta = found.related_model._meta
    return False


@dataclass(frozen=True)
class KeptRows:
    """A list's kept count and rows (core.tableversions.kept): the key naming them."""

    key: str


class KeptCountPaginator(Paginator):
    """A paginator whose count is kept until one of the tables its query reads is written to (core.tableversions):
    counting a region's doctors reads every doctor, and took 2.7 ms at national size and 4.4 ms at twice that; the
    kept count costs one small query at any size."""

    def __init__(self, object_list: QuerySet, per_page: int, *, kept: KeptRows) -> None:
        super().__init__(object_list, per_page)
        self.kept = kept

    @cached_property
    def count(self) -> int:
        return tableversions.kept(f"count:{self.kept.key}", self.object_list.count, also=tableversions.so_far())


def request_key(request: HttpRequest) -> str:
    """The rows a list page shows, named by the request: the page and its arguments, the user's role and office
    (their scope, their filters' defaults, their abilities), the day, and the query string's filters and sorting."""
    user = request.user
    query = sorted((name, value) for name, values in request.GET.lists() if name != "page" for value in values)
    page = request.resolver_match
    arguments = sorted(page.kwargs.items())
    return f"{page.view_name}:{arguments}:{user.role}:{user.office_id}:{timezone.localdate()}:{query}"


def list_page(
    request: HttpRequest,
    rows: QuerySet | Sequence,
    *,
    columns: list[Column],
    default_sort: str = "",
    per_page: int = PER_PAGE,
    caption: str = "",
    empty_text: str = "",
    export: Export | None = None,
    selection: Selection | None = None,
    keep_count: bool = False,
    keep_rows: bool = False,
    prepare_rows: Callable[[list], None] | None = None,
) -> ListPage:
    """Sort (querysets only, by the columns' fields) and page the rows as the query string asks.

    `keep_count`, for a list whose count is costly: the count is kept per query (its SQL) until a table the query
    reads is written to (`KeptCountPaginator`). `keep_rows`, for a list whose rows are the same for everyone of a
    role and office: its count, its pages of rows and its filter form are kept, named by the request
    (`request_key`), until a table they were read from is written to. Which tables core.tableversions.kept learns,
    from their queries and from what the view read before (rows worked out in Python, a form's choices).
    `prepare_rows` is called with the page's rows before their cells are written (not when they are kept): to
    give them what the cells show, worked out for the page at once.

    A list of personal data is logged as read (core.readlog): one entry naming it, its filter and its count.
    """
    sortable = {c.key: c.fields for c in columns if c.fields}
    sort = request.GET.get("sort", default_sort)
    if sort.lstrip("-") not in sortable:
        sort = default_sort if default_sort.lstrip("-") in sortable else ""
    if isinstance(rows, QuerySet) and sort:
        descending = sort.startswith("-")
        order = []
        for name in sortable[sort.lstrip("-")]:
            # Empty values last; said only where there can be any, so that PostgreSQL can read a descending
            # sort backwards from an index (the inquiries, newest first: 5 ms → 0.4 ms at twice national size).
            last = {"nulls_last": True} if _nullable(rows.model, name) else {}
            order.append(F(name).desc(**last) if descending else F(name).asc(**last))
        rows = rows.order_by(*order, "pk")
    kept = KeptRows(request_key(request)) if keep_rows else None
    if kept is not None and isinstance(rows, QuerySet):
        paginator = KeptCountPaginator(rows, per_page, kept=kept)
    elif keep_count and isinstance(rows, QuerySet):
        paginator = KeptCountPaginator(rows, per_page, kept=KeptRows(dataversion.query_key(rows)))
    else:
        paginator = Paginator(rows, per_page)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop(EXPORT_PARAM, None)
    listing = ListPage(
        page=page,
        columns=columns,
        sort=sort,
        query=query,
        caption=caption,
        empty_text=empty_text,
        export=export,
        selection=selection,
        kept=kept,
        prepare_rows=prepare_rows,
    )
    if listing.personal:  # the read log: one entry naming the list (or its export), its filter and its count
        exporting = export is not None and request.GET.get(EXPORT_PARAM) in FORMATS
        label = export.filename if exporting else caption
        readlog.read_list(request, rows=listing.count, label=label, export=exporting)
    return listing


def render_list(request: HttpRequest, template: str, listing: ListPage, context: dict | None = None) -> HttpResponse:
    """The list page; only its results (`core/_list.html`) for HTMX; the export file when asked for."""
    fmt = request.GET.get(EXPORT_PARAM)
    if listing.export is not None and fmt in FORMATS:
        # All rows the filters and sorting select, not only the page on screen.
        return export_response(
            rows=listing.page.paginator.object_list,
            columns=listing.export.columns,
            filename=listing.export.filename,
            fmt=fmt,
        )
    context = {**(context or {}), "listing": listing}
    if listing.kept is None:
        return render(request, "core/_list.html" if request.htmx else template, context)
    # Kept with the rows, per user: the results around them (count, sorting, pages) and the filter form, whose
    # choices can be hundreds of options (the municipalities).
    key, also = f"{listing.kept.key}:{request.user.pk}", tableversions.so_far()
    number = f"{listing.page.number}:{listing.page.paginator.per_page}"
    results = partial(render_to_string, "core/_list.html", context, request)
    context["list_results"] = mark_safe(tableversions.kept(f"results:{key}:{number}", results, also=also))  # noqa: S308
    if request.htmx:
        return HttpResponse(context["list_results"])
    form = context.get("form")
    if form is not None:
        fields = partial(render_to_string, "core/_visible_fields.html", {"form": form})
        context["filter_fields"] = tableversions.kept(f"filters:{key}", fields, also=also)
    return render(request, template, context)


def text_cell(text: str) -> SafeString:
    """Plain text for a column `value` that builds its own HTML around escaped parts."""
    return mark_safe(conditional_escape(text))  # noqa: S308 -- escaped just above
