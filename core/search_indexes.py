"""pg_trgm indexes for a search by `icontains` (core.suggestions.search), as a migration operation.

PostgreSQL runs `icontains` as `UPPER(col::text) LIKE UPPER('%…%')`: without an index on that very expression every
row is read, so a search's time grows with the table. A GIN index with `gin_trgm_ops` on it answers from the index.
SQLite has no such index; the search there stays a scan.
"""

from django.db import migrations


def trigram_indexes(table: str, fields: tuple[str, ...]) -> migrations.RunPython:
    """The operation that makes (and unmakes) one index per field of `table`, on PostgreSQL only."""

    def name(field: str) -> str:
        return f"{table}_{field}_trgm"

    def create(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for field in fields:  # names from the migration's code, never from input
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS {name(field)} ON {table} USING gin ((UPPER("{field}"::text)) gin_trgm_ops)'
            )

    def drop(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for field in fields:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name(field)}")

    return migrations.RunPython(create, drop, elidable=False)
