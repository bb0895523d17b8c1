"""`check_restore`: a restored copy of the database is compared with the original, table by table.

On SQLite the copy is made with SQLite's own backup; on PostgreSQL with pg_dump and pg_restore into a
scratch database, as the README's procedure does (CI runs that procedure end to end as well).
"""

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core import backup
from registry.models import Doctor

pytestmark = pytest.mark.django_db(transaction=True)


def _url(settings: dict, name: str) -> str:
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}:{settings['PASSWORD']}@{host}:{port}/{name}"


@pytest.fixture
def restored_copy(tmp_path) -> Iterator[str]:
    """A copy of the test database as it is now: its URL."""
    if connection.vendor == "sqlite":
        path = tmp_path / "kopi.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        yield f"sqlite:///{path}"
        return
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed")
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore"
    dump = tmp_path / "alis.dump"
    run = {"check": True, "capture_output": True, "timeout": 120}
    original = _url(settings, settings["NAME"])
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", f"--dbname={original}"], **run)  # noqa: S603, S607
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        restore = ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_url(settings, name)}", str(dump)]
        subprocess.run(restore, **run)  # noqa: S603
        yield _url(settings, name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def data(records):
    """Some of every kind: regions, doctors, trainings, periods, history."""
    return records


def _check(url: str) -> str:
    out = StringIO()
    call_command("check_restore", url, stdout=out)
    return out.getvalue()


def test_a_faithful_copy_passes(data, restored_copy) -> None:
    output = _check(restored_copy)
    assert "Kopien er lik originalen" in output
    fingerprint = backup.fingerprint(connection)
    assert fingerprint["registry_doctor"].rows == Doctor.objects.count() > 0
    assert fingerprint["registry_doctor"].checksum  # the app's own tables are summed
    assert not fingerprint["django_content_type"].checksum  # Django's are counted


def test_it_finds_changed_and_missing_rows_unless_told_they_changed_on_purpose(data, restored_copy) -> None:
    # The original moves on after the copy was taken: one name changed, one contact added.
    doctor = data.vest_doctor
    doctor.first_name = "Endret"
    doctor.save()
    data.vest_contact.pk = None
    data.vest_contact.save()
    # The third: the write counters of the watched tables (core.tableversions) moved with the doctor's change.
    with pytest.raises(CommandError, match="Kopien er ikke lik originalen: 3 av"):
        _check(restored_copy)
    out = StringIO()
    ignored = ("registry_contact", "registry_doctor", "core_tableversion")
    call_command("check_restore", restored_copy, *(f"--ignore={table}" for table in ignored), stdout=out)
    assert "(ventet) registry_contact: 3 rader i originalen, 2 i kopien" in out.getvalue()
    assert "(ventet) registry_doctor: like mange rader (4), men innholdet er ulikt (sjekksum)" in out.getvalue()
    assert "Kopien er lik originalen" in out.getvalue()
