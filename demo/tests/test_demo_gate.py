"""Demo data (users with a published password) never reaches a real database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from demo.seed import demo_data_allowed, has_demo_data, real_users

MANAGE = Path(settings.BASE_DIR) / "manage.py"
# A PostgreSQL address nobody answers on: the command must decide before it ever connects.
REAL_DATABASE = "postgres://alis:secret@127.0.0.1:9/alis_production"


def _seed_demo(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SECRET_KEY_FILE": str(tmp_path / "secret_key"),
        "DJANGO_DEBUG": "1",  # as `make run` does
        **env,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(MANAGE), "seed_demo", *args], capture_output=True, text=True, env=clean, check=False,
        timeout=120,
    )


def test_make_run_leaves_a_database_given_by_database_url_alone(tmp_path):
    result = _seed_demo(tmp_path, "--if-empty", DATABASE_URL=REAL_DATABASE)

    assert result.returncode == 0, result.stderr
    assert "bare i den innebygde SQLite-databasen" in result.stdout
    assert "Ingenting gjort" in result.stdout


def test_seed_demo_refuses_a_database_given_by_database_url(tmp_path):
    result = _seed_demo(tmp_path, "--size", "small", DATABASE_URL=REAL_DATABASE)

    assert result.returncode != 0
    assert "DJANGO_DEMO=1" in result.stderr


def test_demo_data_is_allowed_on_sqlite_or_when_asked(settings, db):
    from django.db import connection

    settings.TESTING = False
    settings.DEMO = False
    assert demo_data_allowed() is (connection.vendor == "sqlite")
    settings.DEMO = True
    assert demo_data_allowed() is True


def test_the_demo_app_is_installed_only_for_development_demo_and_tests(tmp_path):
    code = "from django.apps import apps; print(apps.is_installed('demo'))"
    production = subprocess.run(  # noqa: S603
        [sys.executable, str(MANAGE), "shell", "--no-imports", "-c", code], capture_output=True, text=True,
        check=False, timeout=120,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SECRET_KEY": "k" * 50,
             "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    demo = subprocess.run(  # noqa: S603
        [sys.executable, str(MANAGE), "shell", "--no-imports", "-c", code], capture_output=True, text=True,
        check=False, timeout=120,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SECRET_KEY": "k" * 50, "DJANGO_DEMO": "1",
             "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )

    assert (production.returncode, demo.returncode) == (0, 0), production.stderr + demo.stderr
    assert production.stdout.strip() == "False"
    assert demo.stdout.strip() == "True"


@pytest.mark.django_db
def test_replace_refuses_when_real_users_exist(world):
    User.objects.create(username="vest", role=Role.OFFICE_STAFF, office=world.vest, is_demo=True)
    User.objects.create(username="kari.real", role=Role.OFFICE_STAFF, office=world.vest)
    assert has_demo_data()
    assert real_users() == ["kari.real"]

    with pytest.raises(CommandError, match=r"kari\.real"):
        call_command("seed_demo", "--replace", size="small")

    assert User.objects.filter(username="kari.real").exists()
    assert User.objects.filter(username="vest").exists()


@pytest.mark.django_db
def test_a_real_user_named_like_a_demo_user_is_not_a_demo_user(world):
    User.objects.create(username="admin", role=Role.ADMIN)
    assert real_users() == ["admin"]
