"""A missing DJANGO_SECRET_KEY stops production; development and the tests keep a generated key locally."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"
PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def _manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """manage.py in a clean environment: nothing from the developer's shell but PATH and HOME."""
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SECRET_KEY_FILE": str(tmp_path / "var" / "secret_key"),
        **env,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(MANAGE), *args], capture_output=True, text=True, env=clean, check=False, timeout=120
    )


def test_it_refuses_to_start_without_a_key_when_debug_is_off(tmp_path):
    result = _manage(tmp_path, "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_commands_that_only_read_the_code_run_without_a_key(tmp_path):
    result = _manage(tmp_path, "makemigrations", "--check", "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_it_refuses_with_the_readme_production_settings(tmp_path):
    result = _manage(tmp_path, "check", DJANGO_REQUIRE_SECRET_KEY="1", DJANGO_DEBUG="1")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_it_uses_the_given_key(tmp_path):
    result = _manage(
        tmp_path, "shell", "--no-imports", "-c", PRINT_KEY, DJANGO_SECRET_KEY="a-real-key-from-the-environment"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "a-real-key-from-the-environment"


def test_development_generates_a_key_once_and_keeps_it(tmp_path):
    first = _manage(tmp_path, "shell", "--no-imports", "-c", PRINT_KEY, DJANGO_DEBUG="1")
    second = _manage(tmp_path, "shell", "--no-imports", "-c", PRINT_KEY, DJANGO_DEBUG="1")

    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "var" / "secret_key"
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(key_file.read_text().strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "insecure" not in key_file.read_text()


def test_the_tests_run_with_a_generated_key():
    assert settings.TESTING
    assert "insecure" not in settings.SECRET_KEY
    assert len(settings.SECRET_KEY) >= 50
