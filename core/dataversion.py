"""Values kept in this process by key and version (`Kept`, which core.tableversions.kept keeps its values in), and
the keys they are kept by: the rows a queryset selects (`query_key`), and which rows a user may read (`scope_key`).
"""

import hashlib
from collections import OrderedDict
from typing import TYPE_CHECKING

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils import translation

if TYPE_CHECKING:
    from accounts.models import User


_every: list["Kept"] = []


class Kept:
    """Values kept in this process by key, each while its version stays the same; the least recently used go
    first when more than `max_entries` are kept. In-process and not pickled (unlike the cache framework's local
    memory): a region's compliance rows are thousands of objects, and unpickling them would cost much of what
    building them does. A kept value is shared: never change it."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[str, tuple[str, object]] = OrderedDict()
        _every.append(self)

    def lookup(self, key: str) -> tuple[str, object] | None:
        """The version and value kept for `key` (in this database and language), if any."""
        hit = self._values.get(self._full_key(key))
        if hit is not None:
            self._values.move_to_end(self._full_key(key))
        return hit

    def store(self, key: str, version: str, value: object) -> None:
        full_key = self._full_key(key)
        self._values[full_key] = (version, value)
        self._values.move_to_end(full_key)
        while len(self._values) > self.max_entries:
            self._values.popitem(last=False)

    @staticmethod
    def _full_key(key: str) -> str:
        return f"{connection.settings_dict['NAME']}:{key}:{translation.get_language()}"

    def clear(self) -> None:
        self._values.clear()


def query_key(queryset: QuerySet) -> str:
    """A short key for the rows a queryset selects (its SQL with the parameters): scoping and filters included."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none(), e.g. a filter form with bad input: no rows
        return "empty"
    return hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()[:24]


def scope_key(user: "User") -> str:
    """Which rows the user may read (core.scoping.region_q): none, all regions, or one office's."""
    if not user.is_authenticated or not user.reads_personal_data:
        return "none"
    return "all" if user.sees_all_regions else f"office-{user.office_id}"


def clear() -> None:
    """Forget every kept value (the tests: a database rolled back to the same versions holds other rows)."""
    for kept in _every:
        kept.clear()
