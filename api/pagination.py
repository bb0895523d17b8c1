"""Lists: the web list's sorting (core.lists), page by page with a bounded page size, in one envelope."""

from functools import cache
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field, create_model

from core.lists import Column, list_page

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000

Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]


class PageMeta(Schema):
    count: int = Field(description="Rader i alt med disse filtrene.")
    page: int
    page_size: int
    pages: int


class PageLinks(Schema):
    next: str | None
    previous: str | None


@cache
def page_of(item: type) -> type:
    """The envelope of a list of `item`: {data, meta, links}."""
    return create_model(
        f"{item.__name__}Page", __base__=Schema, data=(list[item], ...), meta=(PageMeta, ...), links=(PageLinks, ...)
    )


def sort_type(columns: list[Column]) -> Any:
    """The sort keys of a list's sortable columns, ascending or descending ("-")."""
    keys = [c.key for c in columns if c.fields]
    return Literal[tuple(k for key in keys for k in (key, f"-{key}"))]


def _link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"{request.path}?{query.urlencode()}"


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    columns: list[Column],
    default_sort: str,
    page: int,
    page_size: int,
    keep_count: bool = False,
    keep_rows: bool = False,
) -> tuple[QuerySet | list, dict]:
    """The rows of the page asked for (none past the last page; not read yet) and the envelope's meta and links."""
    listing = list_page(
        request,
        queryset,
        columns=columns,
        default_sort=default_sort,
        per_page=page_size,
        keep_count=keep_count,
        keep_rows=keep_rows,
    )
    paginator = listing.page.paginator
    past_end = page > paginator.num_pages
    rows = [] if past_end else listing.page.object_list
    envelope = {
        "meta": {"count": paginator.count, "page": page, "page_size": page_size, "pages": paginator.num_pages},
        "links": {
            "next": _link(request, page + 1) if page < paginator.num_pages else None,
            "previous": _link(request, min(page - 1, paginator.num_pages)) if page > 1 else None,
        },
    }
    return rows, envelope
