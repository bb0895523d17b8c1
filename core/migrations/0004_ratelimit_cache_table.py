"""The table of the rate limits' counters (the "ratelimit" cache in settings), so that `migrate` makes it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_user_moved_to_accounts")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
