"""The production setup: `check --deploy` clean with the README's settings, HTTPS headers, no caching of
personal data, compressed pages, hashed static files, and /healthz."""

import gzip
import json
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse

from conftest import PASSWORD
from core.storage import StaticFilesStorage
from core.tests.production import production_env, readme_env

BASE_DIR = Path(settings.BASE_DIR)
HTTPS_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def prod_env(tmp_path_factory) -> dict[str, str]:
    # `check` reads no data; an SQLite file stands in for the README's PostgreSQL placeholder.
    return production_env(DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('prod') / 'db.sqlite3'}")


def test_check_deploy_is_clean_with_the_readmes_production_settings(prod_env) -> None:
    assert "DJANGO_STATIC_MANIFEST" not in readme_env()  # hashed static files need no flag any more
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=prod_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_readmes_production_settings_are_what_production_needs(prod_env) -> None:
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'session': [s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE],"
        "'csrf': [s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE], 'hsts': [s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD], 'redirect': s.SECURE_SSL_REDIRECT,"
        "'static': s.STORAGES['staticfiles']['BACKEND'], 'middleware': s.MIDDLEWARE,"
        "'demo': 'demo' in s.INSTALLED_APPS}))"
    )
    result = subprocess.run(  # noqa: S603 (our own settings)
        [sys.executable, "-c", script], cwd=BASE_DIR, env={**prod_env, "DJANGO_SETTINGS_MODULE": "alis.settings"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["debug"] is False and found["demo"] is False and found["redirect"] is True
    assert found["session"] == ["__Host-sessionid", True]
    assert found["csrf"] == ["__Host-csrftoken", True]
    assert found["hsts"] == [31536000, True, True]
    assert found["static"] == "core.storage.StaticFilesStorage"
    for name in ("django.middleware.gzip.GZipMiddleware", "core.middleware.NoStoreMiddleware"):
        assert name in found["middleware"]


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=HTTPS_HEADER)
def test_it_speaks_only_https_but_answers_health_checks_over_http(db) -> None:
    client = Client()
    page = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    plain = client.get(reverse("login"))
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200


def _signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _stored(response) -> bool:
    return "no-store" not in response.get("Cache-Control", "")


def test_pages_for_signed_in_users_are_never_stored(vest_user, vest_training) -> None:
    client = _signed_in(vest_user)
    for url in (
        reverse("training:overview"),
        reverse("training:detail", args=[vest_training.pk]),
        reverse("training:list") + "?eksport=csv",
        reverse("courses:calendar"),  # public, but a signed-in user's page shows their name
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_public_pages_are_cacheable_only_when_they_are_the_same_for_everyone(world) -> None:
    anonymous = Client()
    calendar = anonymous.get(reverse("courses:calendar"))
    assert calendar.status_code == 200
    assert calendar["Cache-Control"] == "public, max-age=300"
    assert anonymous.get(reverse("courses:ical"))["Cache-Control"] == "public, max-age=900"
    for url in (reverse("login"), "/healthz", "/kartlegging/ukjent-lenke/"):
        assert not _stored(anonymous.get(url)), url


def test_pages_are_compressed(vest_user) -> None:
    client = _signed_in(vest_user)
    response = client.get(reverse("training:overview"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "<h1" in gzip.decompress(response.content).decode()
    assert "Content-Encoding" not in client.get(reverse("training:overview"))  # only when the browser asks


def test_healthz_answers_without_sign_in_and_says_nothing_about_anyone(db) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert Client().post("/healthz").status_code == 405


def test_healthz_answers_503_when_the_database_does_not(db) -> None:
    with mock.patch("core.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"  # not the database's own message


def test_static_urls_carry_the_hash_once_collected(tmp_path) -> None:
    manifest = {"version": "1.1", "hash": "x", "paths": {"core/alis.css": "core/alis.0123456789ab.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    assert StaticFilesStorage(location=tmp_path).url("core/alis.css") == "/static/core/alis.0123456789ab.css"
    # Before collectstatic (tests, development) the plain names, served from the apps and packages.
    assert StaticFilesStorage(location=tmp_path / "none").url("core/alis.css") == "/static/core/alis.css"
