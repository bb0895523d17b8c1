"""Write counters per table, kept by the database: what a result stored from those tables is kept by.

A result stored from whole tables (followup's attention counts) must be computed again after any write to
them. Counting or summing the tables on every view to notice a write grows with their size (issue 16);
these counters cost one small query at any size. Triggers keep them rather than Django's signals, because
bulk writes, cascading deletes and raw SQL bypass signals.

On PostgreSQL one statement-level trigger per table; on SQLite, which has only row-level triggers, one per
kind of write. The upsert happens inside the writing transaction, so a reader sees the new counter exactly
when it sees the new rows. Writers to one table wait for each other's commit on its counter row.

The triggers are (re)installed after every `migrate` (post_migrate), so a migration that rebuilds a table
(SQLite drops a rebuilt table's triggers) cannot leave it unwatched.
"""

from collections.abc import Callable, Iterable

from django.db import connections, models

from core.models import TableVersion

_watched: set[type[models.Model]] = set()
_FUNCTION = "core_bump_table_version"


def watch(*watched: type[models.Model]) -> None:
    """Keep a write counter for these models' tables (call from an AppConfig.ready)."""
    _watched.update(watched)


def watched_tables() -> list[str]:
    return sorted(model._meta.db_table for model in _watched)


def mark(watched: Iterable[type[models.Model]], using: str = "default") -> str:
    """The tables' write counters in one string: it changes with every write to any of them."""
    tables = sorted(model._meta.db_table for model in watched)
    missing = set(tables) - set(watched_tables())
    if missing:
        raise ValueError(f"Not watched (core.tableversions.watch): {', '.join(sorted(missing))}")
    versions = dict(TableVersion.objects.using(using).filter(table__in=tables).values_list("table", "version"))
    return ":".join(str(versions.get(table, 0)) for table in tables)


def cached[T](key: str, watched: Iterable[type[models.Model]], build: Callable[[], T]) -> T:
    """The value built for `key`, kept in this process (core.dataversion) until one of the `watched` tables is
    written to. `watched` names every table `build` reads; a key names everything else it depends on."""
    from core import dataversion

    return dataversion.cached(key, build, version=mark(watched))


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
