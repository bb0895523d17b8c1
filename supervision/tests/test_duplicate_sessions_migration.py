"""The migration that adds the one-session-per-training-day-kind-supervisor constraint merges what was there."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.db import connection

from core.history import history_of
from supervision.models import SupervisionSession

# The schema editor needs a connection outside a test transaction (SQLite refuses it inside one).
pytestmark = pytest.mark.django_db(transaction=True)
migration = importlib.import_module("supervision.migrations.0003_session_unique_training_date_kind_supervisor")
CONSTRAINT = next(c for c in SupervisionSession._meta.constraints if c.name.startswith("supervision_session_unique"))


def test_it_merges_sessions_registered_twice_and_reports_them(records, vest_user, capsys, monkeypatch):
    # The table as it was before the migration (SQLite rebuilds a table from the model's constraints).
    monkeypatch.setattr(
        SupervisionSession._meta,
        "constraints",
        [c for c in SupervisionSession._meta.constraints if c is not CONSTRAINT],
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(SupervisionSession, CONSTRAINT)
    try:
        same = {"training": records.vest_training, "supervisor": records.vest_supervisor, "date": date(2025, 3, 1)}
        kept = SupervisionSession.objects.create(minutes=45, **same)
        SupervisionSession.objects.create(minutes=60, topic="Journal", confirmed=True, **same)
        SupervisionSession.objects.create(minutes=60, **same)
        group = SupervisionSession.objects.create(minutes=180, kind="group", **same)  # another kind: left alone

        migration.merge_duplicates(apps, None)
    finally:
        monkeypatch.undo()
        with connection.schema_editor() as editor:
            editor.add_constraint(SupervisionSession, CONSTRAINT)  # fails unless the data now meets it
    assert set(SupervisionSession.objects.values_list("pk", flat=True)) == {kept.pk, group.pk}
    kept.refresh_from_db()
    assert (kept.minutes, kept.topic, kept.confirmed, kept.version) == (60, "Journal", True, 2)
    changes = history_of(kept, user=vest_user)
    assert changes[0].fields == {"minutes": ["45", "60"], "topic": ["", "Journal"], "confirmed": ["False", "True"]}
    assert "Veiledningstimer registrert flere ganger: 2 slått sammen i 1 timer." in capsys.readouterr().out
