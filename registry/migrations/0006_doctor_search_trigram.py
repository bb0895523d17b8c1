"""Trigram indexes for the search on doctors' names and HPR numbers (PostgreSQL only).

The search (records.search, and the lists' «Søk» fields) asks `icontains`, which PostgreSQL runs as
`UPPER(col::text) LIKE UPPER('%…%')`: without these indexes a scan of every doctor, three times per search (doctors,
ALIS and the supervisor pool all match on the doctor), so its time grew with the register (issue 16: 1.4× at twice
the data). pg_trgm's GIN indexes on the same expressions answer it from the index. SQLite has no such index; the
search there stays a scan.
"""

from django.db import migrations

FIELDS = ("first_name", "last_name", "hpr_number")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for field in FIELDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS registry_doctor_{field}_trgm "
            f'ON registry_doctor USING gin ((UPPER("{field}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS registry_doctor_{field}_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_municipality_language_form")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
