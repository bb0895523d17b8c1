"""Sorting and pagination for the list pages, with the state kept in the query string."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, QueryDict

PER_PAGE = 50


@dataclass(frozen=True)
class Column:
    """A sortable column: the key in the query string, its heading and the fields it sorts by."""

    key: str
    label: str
    fields: tuple[str, ...] = ()
    numeric: bool = False


@dataclass
class ListPage:
    page: Page
    columns: list[Column]
    sort: str
    query: QueryDict

    @property
    def rows(self) -> list:
        return self.page.object_list

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


def list_page(
    request: HttpRequest, queryset: QuerySet, *, columns: list[Column], default_sort: str, per_page: int = PER_PAGE
) -> ListPage:
    sortable = {c.key: c.fields for c in columns if c.fields}
    sort = request.GET.get("sort", default_sort)
    if sort.lstrip("-") not in sortable:
        sort = default_sort
    descending = sort.startswith("-")
    order = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in sortable[sort.lstrip("-")]
    ]
    queryset = queryset.order_by(*order, "pk")
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return ListPage(page=page, columns=columns, sort=sort, query=query)
