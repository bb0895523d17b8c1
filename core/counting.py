"""Counts of related rows, per row shown."""

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_per_row(rows: QuerySet, by: str, outer: str = "pk") -> Coalesce:
    """How many of `rows` point through `by` at the outer row's `outer` (0 when none), as an annotation.

    A correlated subquery, counted for the rows a page shows: joining and grouping every related row made a
    list's page and its count grow with the data (issue 16), and a count that need not sort by it reads none.
    """
    counted = rows.filter(**{by: OuterRef(outer)}).order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0))
