"""The user model moved from core to accounts, keeping its table and rows."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.exceptions import InconsistentMigrationHistory
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from accounts.adoption import USER_MODEL_MOVED, adopt_user_table
from accounts.models import User


@pytest.mark.django_db
def test_it_is_the_user_model_in_its_old_table():
    assert get_user_model() is User
    assert User._meta.db_table == "core_user"
    assert ContentType.objects.get_for_model(User).app_label == "accounts"


@pytest.mark.django_db
def test_it_adopts_a_database_made_before_the_move():
    recorder = MigrationRecorder(connection)
    # A database from before the move: core.0001 made the user table, accounts.0001 was never recorded.
    recorder.record_unapplied(*USER_MODEL_MOVED)
    with pytest.raises(InconsistentMigrationHistory):
        MigrationLoader(connection).check_consistent_history(connection)

    assert adopt_user_table() is True

    MigrationLoader(connection).check_consistent_history(connection)
    assert USER_MODEL_MOVED in recorder.applied_migrations()
    assert adopt_user_table() is False  # once only


@pytest.mark.django_db
def test_it_keeps_users_and_their_office(vest_user):
    assert User.objects.get(username="vest").office.code == "vest"
