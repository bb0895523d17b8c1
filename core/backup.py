"""Checking a restored backup against the original: the rows of every table, and a checksum of their content.

`fingerprint(connection)` reads each table of a database: its number of rows and, for the tables of the
app's own data, a SHA-256 over every row in primary-key order. Two databases with the same fingerprint
hold the same data. `manage.py check_restore` compares the app's database with a restored copy.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

# Tables that change by themselves while the app runs: counted, but a difference is not an error.
VOLATILE = frozenset({"django_session", "core_ratelimit_cache"})


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    checksum: str = ""  # empty: the table's content is not summed (not the app's own data)


def key_tables() -> set[str]:
    """The app's own data: the tables of the project's models and of their many-to-many relations."""
    tables = set()
    for config in apps.get_app_configs():
        if Path(config.path).parent != Path(settings.BASE_DIR):
            continue  # Django's and the libraries' apps: counted only
        for model in config.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return tables


def _text(value: object) -> str:
    """A column value as stable text: the same on both sides whatever the driver returns."""
    if value is None:
        return "\\N"
    if isinstance(value, memoryview | bytes | bytearray):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return repr(value)


def fingerprint(connection: BaseDatabaseWrapper, *, checksums: set[str] | None = None) -> dict[str, TableFingerprint]:
    """Row counts of every table of `connection`, and checksums of the tables in `checksums`."""
    summed = key_tables() if checksums is None else checksums
    result = {}
    with connection.cursor() as cursor:
        introspection = connection.introspection
        for table in sorted(introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            if table not in summed:
                cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 (a name from the catalogue)
                result[table] = TableFingerprint(rows=cursor.fetchone()[0])
                continue
            key = introspection.get_primary_key_column(cursor, table)
            order = f" ORDER BY {connection.ops.quote_name(key)}" if key else ""
            cursor.execute(f"SELECT * FROM {quoted}{order}")  # noqa: S608 (a name from the catalogue)
            digest, rows = hashlib.sha256(), 0
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    digest.update("\x1f".join(_text(value) for value in row).encode())
                    digest.update(b"\x1e")
                rows += len(batch)
            result[table] = TableFingerprint(rows=rows, checksum=digest.hexdigest())
    return result


@dataclass(frozen=True)
class Difference:
    table: str
    original: TableFingerprint | None
    copy: TableFingerprint | None

    @property
    def volatile(self) -> bool:
        return self.table in VOLATILE

    def describe(self) -> str:
        if self.copy is None:
            return f"{self.table}: mangler i kopien"
        if self.original is None:
            return f"{self.table}: finnes bare i kopien"
        if self.original.rows != self.copy.rows:
            return f"{self.table}: {self.original.rows} rader i originalen, {self.copy.rows} i kopien"
        return f"{self.table}: like mange rader ({self.original.rows}), men innholdet er ulikt (sjekksum)"


def compare(original: dict[str, TableFingerprint], copy: dict[str, TableFingerprint]) -> list[Difference]:
    return [
        Difference(table, original.get(table), copy.get(table))
        for table in sorted(original.keys() | copy.keys())
        if original.get(table) != copy.get(table)
    ]
