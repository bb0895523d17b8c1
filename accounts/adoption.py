"""Databases made before the user model moved from core to accounts.

Their migration history has core.0001 (which created the user table) but not accounts.0001, while other
apps' applied migrations now name accounts.0001 as their user-model dependency; Django would refuse to
migrate them ("InconsistentMigrationHistory"). accounts.0001 changes no table, only Django's model state,
so recording it as applied is exactly what running it would do.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

USER_TABLE_CREATED = ("core", "0001_initial")
USER_MODEL_MOVED = ("accounts", "0001_initial")


def adopt_user_table(database: str = DEFAULT_DB_ALIAS) -> bool:
    """Record accounts.0001 as applied where the user table already exists; True if it did so."""
    recorder = MigrationRecorder(connections[database])
    if not recorder.has_table():
        return False
    applied = recorder.applied_migrations()
    if USER_TABLE_CREATED not in applied or USER_MODEL_MOVED in applied:
        return False
    recorder.record_applied(*USER_MODEL_MOVED)
    return True
