"""Write counters per table, kept by the database: what a result stored from those tables is kept by.

A result stored from whole tables (followup's attention counts) must be computed again after any write to
them. Counting or summing the tables on every view to notice a write grows with their size (issue 16);
these counters cost one small query at any size. Triggers keep them rather than Django's signals, because
bulk writes, cascading deletes and raw SQL bypass signals.

On PostgreSQL one statement-level trigger per table; on SQLite, which has only row-level triggers, one per
kind of write. The upsert happens inside the writing transaction, so a reader sees the new counter exactly
when it sees the new rows. Writers to one table wait for each other's commit on its counter row.

Every table is watched except those written on nearly every request (`UNWATCHED`). The triggers are
(re)installed after every `migrate` (post_migrate), so a migration that rebuilds a table (SQLite drops a
rebuilt table's triggers) cannot leave it unwatched.

`kept(key, build)` keeps a value until a table it was built from is written to, and learns which tables those
are from the statements the build runs: no list of tables to keep in step with the code.
"""

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import connection, connections, models

from core import dataversion
from core.models import TableVersion

logger = logging.getLogger(__name__)

_FUNCTION = "core_bump_table_version"

# Written on (nearly) every request or by the task worker's polling: counting their writes would only make
# writers wait on the counter, and nothing is kept from them. The counters' own table cannot watch itself.
UNWATCHED = frozenset(
    {
        "core_tableversion",
        "core_read",  # the read log, one entry per page of personal data
        "django_session",
        "django_tasks_database_dbtaskresult",
        "accounts_authevent",  # one per sign-in
    }
)


@cache
def _tables() -> frozenset[str]:
    return frozenset(model._meta.db_table for model in apps.get_models(include_auto_created=True))


def watched_tables() -> list[str]:
    return sorted(_tables() - UNWATCHED)


def _versions(tables: Iterable[str], using: str = "default") -> dict[str, int]:
    return dict(TableVersion.objects.using(using).filter(table__in=list(tables)).values_list("table", "version"))


def _mark_of(tables: list[str], versions: dict[str, int]) -> str:
    return ":".join(f"{table}={versions.get(table, 0)}" for table in tables)


def mark(watched: Iterable[type[models.Model]], using: str = "default") -> str:
    """The tables' write counters in one string: it changes with every write to any of them."""
    tables = sorted({model._meta.db_table for model in watched})
    missing = set(tables) & UNWATCHED
    if missing:
        raise ValueError(f"Not watched (core.tableversions.UNWATCHED): {', '.join(sorted(missing))}")
    _note(tables)
    return _mark_of(tables, _versions(tables, using))


# The tables read by the builds under way in this context (a kept value may be built inside another's build).
_readers: ContextVar[tuple[set[str], ...]] = ContextVar("tableversions_readers", default=())
_QUOTED = re.compile(r'"([A-Za-z0-9_]+)"')
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
_WRITES = "<writes>"
# Pages and parts of pages, per scope and language: a few hundred, each a few to some tens of kB of HTML.
_kept = dataversion.Kept(max_entries=512)


def _note(tables: Iterable[str]) -> None:
    for seen in _readers.get():
        seen.update(tables)


@dataclass
class Reading:
    """The tables read in a block (by its statements, and by the kept values it reused), and every write counter
    as it was when the block began: a value built in the block is kept by those counters of those tables."""

    versions: dict[str, int]
    seen: set[str] = field(default_factory=set)

    @property
    def tables(self) -> list[str]:
        return sorted(self.seen & _tables() - {TableVersion._meta.db_table})  # the counters are not data


@dataclass
class _Request:
    """A request's reading: what it has read, and the write counters as they were before its first statement
    (`counters`: as they are now; read again after the request writes to a watched table)."""

    reading: Reading
    counters: dict[str, int] | None = None
    began: bool = False
    busy: bool = False


_request: ContextVar[_Request | None] = ContextVar("tableversions_request", default=None)


def _read_counters() -> dict[str, int]:
    return dict(TableVersion.objects.values_list("table", "version"))


def _counters() -> dict[str, int]:
    """Every write counter: a few dozen rows, read in one query (in a request, once until it writes)."""
    request = _request.get()
    if request is None:
        return _read_counters()
    if request.counters is None:
        request.busy = True
        try:
            request.counters = _read_counters()
        finally:
            request.busy = False
    return request.counters


def _record(execute: Callable, sql: str, params: object, many: bool, context: dict) -> object:
    request = _request.get()
    if request is not None and request.busy:
        return execute(sql, params, many, context)  # the counters themselves
    if request is not None and not request.began:
        request.began = True
        request.reading.versions.update(_counters())  # before the request's first statement reads anything
    named = _QUOTED.findall(sql)
    writes = bool(_WRITE.match(sql))
    # A write makes a build unkept; what a request wrote before a kept part (its read log) is no reading of it.
    _note([*(set(named) - UNWATCHED), _WRITES] if writes else named)
    try:
        return execute(sql, params, many, context)
    finally:
        if writes and request is not None and not set(named) & _tables() <= UNWATCHED:
            request.counters = None  # read again after the request's own write


@contextmanager
def reading(counters: dict[str, int] | None = None) -> Iterator[Reading]:
    """Note which tables the block reads (see `Reading`); `counters` are the write counters read just before."""
    found = Reading(_counters() if counters is None else counters)
    outer = _readers.get()
    token = _readers.set((*outer, found.seen))
    try:
        if outer:  # the outermost reading's wrapper notes for every reading under way
            yield found
        else:
            with connection.execute_wrapper(_record):
                yield found
    finally:
        _readers.reset(token)


@contextmanager
def per_request() -> Iterator[None]:
    """A request's reading (core.middleware): the write counters read once, before its first statement, and again
    after it writes to a watched table, as a transaction's snapshot would; and what it has read, for the parts of
    a page kept from what the view worked out before them (`so_far`). A request that runs no statement reads no
    counters."""
    found = Reading({})
    token = _request.set(_Request(found))
    outer = _readers.get()
    readers = _readers.set((*outer, found.seen))
    try:
        with connection.execute_wrapper(_record):
            yield
    finally:
        _readers.reset(readers)
        _request.reset(token)


def so_far() -> Reading | None:
    """What this request has read until now (None outside a request): for `kept(..., also=so_far())`."""
    request = _request.get()
    return request.reading if request is not None else None


def kept[T](key: str, build: Callable[[], T], *, also: Reading | None = None) -> T:
    """The value built for `key`, kept in this process until one of the tables it was built from is written to.

    The tables are those the build's statements name, and those of the kept values it reuses; `also` adds what an
    earlier part of the request read (`so_far()`: the rows and choices a view worked out before the part of the
    page kept). The key names everything else the value depends on (the user's scope and role, the day, the query
    string); the language is added. A build that writes, or reads a table in `UNWATCHED`, is not kept: its value
    is built every time. What was read before is what it was: its writes are done, and the session (read for the
    user and the language, which the key names) does not count."""
    counters = _counters()  # one query whether the value is kept or not, and read before any row is
    hit = _kept.lookup(key)
    if hit is not None:
        version, (tables, value) = hit
        _note(tables)
        if _mark_of(tables, counters) == version:
            return value
    with reading(counters) as read:
        value = build()
    before = sorted(set(also.tables) - {"django_session"}) if also is not None else []
    unwatched = sorted((set(read.tables) | set(before)) & UNWATCHED)
    if unwatched:  # a part of a page built from the read log or the sessions: keep it by its own key instead
        logger.warning("Not kept, %s: it reads %s, whose writes are not counted", key, ", ".join(unwatched))
    if unwatched or _WRITES in read.seen:  # a build that writes (stored counts brought up to date) is built again
        return value
    tables = sorted({*read.tables, *before})
    # Where both read a table, the older counter: a write between the two readings builds the value again.
    versions = {**read.versions, **(also.versions if also is not None else {})}
    _kept.store(key, _mark_of(tables, versions), (tables, value))
    return value


def mark_of_reading(read: Reading, *, leaving: Iterable[str] = ()) -> str:
    """The tables `read` read (less `leaving`) with their write counters as they were when it began: what a value
    stored outside this process (a built file) is kept by; `unchanged_since` tells whether it still holds."""
    left = set(leaving)
    return _mark_of([table for table in read.tables if table not in left], read.versions)


def unchanged_since(mark: str) -> bool:
    """Whether none of the tables named in `mark` (from `mark_of_reading`) has been written to since."""
    tables = [part.partition("=")[0] for part in mark.split(":") if part]
    return _mark_of(tables, _counters()) == mark


def _trigger_name(table: str, kind: str = "") -> str:
    return f"core_version_{table}{kind}"[:63]


def install(using: str = "default") -> None:
    """Create (or keep) the triggers on every watched table that exists."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if TableVersion._meta.db_table not in existing:
        return
    quote = connection.ops.quote_name
    counters = quote(TableVersion._meta.db_table)
    # Table names come from the models, never from input.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
                f'BEGIN INSERT INTO {counters} ("table", version) VALUES (TG_TABLE_NAME, 1) '
                f'ON CONFLICT ("table") DO UPDATE SET version = {counters}.version + 1; RETURN NULL; END $$'
            )
            for table in watched_tables():
                if table in existing:
                    cursor.execute(
                        f"CREATE OR REPLACE TRIGGER {quote(_trigger_name(table))} "
                        f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
                        f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
                    )
        elif connection.vendor == "sqlite":
            for table in watched_tables():
                if table not in existing:
                    continue
                for kind in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {quote(_trigger_name(table, '_' + kind.lower()))} "  # noqa: S608
                        f"AFTER {kind} ON {quote(table)} FOR EACH ROW BEGIN "
                        f"INSERT INTO {counters} (\"table\", version) VALUES ('{table}', 1) "
                        f'ON CONFLICT ("table") DO UPDATE SET version = version + 1; END'
                    )
        else:
            raise NotImplementedError(f"No write counters on {connection.vendor}")


def uninstall(using: str = "default") -> None:
    """Drop every trigger and the function (migrating core back past 0009: writes must not reach for the
    counters' table once it is gone)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {_FUNCTION}() CASCADE")  # and the triggers that call it
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'core_version_%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")


def installed(using: str = "default") -> set[str]:
    """The watched tables that have their trigger (the tests check that every watched table has one)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    suffix = "" if connection.vendor == "postgresql" else "_insert"
    return {table for table in watched_tables() if _trigger_name(table, suffix) in names}
