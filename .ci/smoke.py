#!/usr/bin/env python3
"""CI: the app as production runs it, checked over HTTP.

A fresh PostgreSQL database, the README's production settings (read from the README), `migrate`,
`load_reference`, `collectstatic` and the first administrator as the README makes them, then gunicorn
started with the command line of deploy/alis-web.service. Checked: /healthz, the sign-in page (HTTPS
redirect, HSTS, __Host- cookies, no-store, gzip), signing in and a signed-in page, and a static file with
its hash in the name, served compressed and cached for a year. Exit code 1 on the first failure.

    .ci/smoke.py postgres://alis:alis@127.0.0.1:5432/alis [DATABASE_NAME]   (default alis_smoke; dropped after)
"""

import gzip
import http.client
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from core.tests.production import production_env  # noqa: E402

HOST = "alis.example.no"
USERNAME, PASSWORD = "smoke-admin", "Røyk-test-2026-lang-nok"


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok: {what}")


def database(server_url: str, name: str, *, create: bool = True) -> str:
    """A new, empty database `name` on the server of `server_url` (or none: create=False); its URL."""
    parts = urlsplit(server_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def verify_units() -> None:
    """systemd's own check of the unit files, with this checkout in place of /srv/alis."""
    if not shutil.which("systemd-analyze"):
        print("     (systemd-analyze is not installed: unit files not verified)")
        return
    with tempfile.TemporaryDirectory() as folder:
        units = []
        for unit in sorted([*(ROOT / "deploy").glob("*.service"), *(ROOT / "deploy").glob("*.timer")]):
            text = unit.read_text().replace("/srv/alis/.venv/bin/", f"{Path(sys.executable).parent}/")
            (Path(folder) / unit.name).write_text(text.replace("/srv/alis", str(ROOT)))
            units.append(str(Path(folder) / unit.name))
        result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True)  # noqa: S603, S607
        problems = result.stderr.strip()
        check(result.returncode == 0 and not problems, f"systemd accepts the unit files {problems}".strip())


def manage(*args: str, env: dict[str, str]) -> None:
    started = time.monotonic()
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    print(f"     manage.py {' '.join(args)} ({time.monotonic() - started:.0f} s)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(port: int, runtime: str) -> list[str]:
    """ExecStart of deploy/alis-web.service, with this machine's virtualenv, a free port and a runtime folder."""
    unit = (ROOT / "deploy" / "alis-web.service").read_text()
    command = shlex.split(re.search(r"^ExecStart=(.+)$", unit, re.MULTILINE).group(1))
    command[0] = str(Path(sys.executable).parent / Path(command[0]).name)
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--control-socket") + 1] = f"{runtime}/gunicorn.ctl"
    return command


class Browser:
    """Requests as the proxy forwards them: Host, X-Forwarded-Proto https, and the cookies kept."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: dict | None = None, https: bool = True, **headers: str):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": HOST, **headers}
        if https:
            sent["X-Forwarded-Proto"] = "https"
            sent["X-Forwarded-For"] = "203.0.113.10"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"https://{HOST}{path}"
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, content


def wait_until_up(browser: Browser, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit(f"FAILED: gunicorn stopped with exit code {server.returncode}")
        try:
            response, _content = browser.request("GET", "/healthz", https=False)
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("FAILED: gunicorn did not answer /healthz within a minute")


def smoke(browser: Browser) -> None:
    response, content = browser.request("GET", "/healthz", https=False)
    check(response.status == 200 and content == b"ok\n", "/healthz answers 200 ok over plain HTTP, without sign-in")

    response, _content = browser.request("GET", "/logg-inn/", https=False)
    check(response.status == 301 and response.headers["Location"].startswith("https://"), "HTTP redirects to HTTPS")

    response, content = browser.request("GET", "/logg-inn/", **{"Accept-Encoding": "gzip"})
    check(response.status == 200, "the sign-in page answers 200")
    check(response.headers.get("Content-Encoding") == "gzip", "the page is gzip-compressed")
    html = gzip.decompress(content).decode()
    check('name="username"' in html and 'name="password"' in html, "the sign-in page asks for username and password")
    check(
        response.headers.get("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload",
        "HSTS with includeSubDomains and preload",
    )
    check("no-store" in response.headers.get("Cache-Control", ""), "the sign-in page is not stored")
    cookies = " ".join(response.headers.get_all("Set-Cookie") or [])
    check("__Host-csrftoken=" in cookies and "Secure" in cookies, "the CSRF cookie is __Host- and Secure")

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    login = {"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD}
    response, _content = browser.request("POST", "/logg-inn/", body=login)
    check(response.status == 302, f"signing in redirects (to {response.headers.get('Location')})")
    check("__Host-sessionid" in browser.cookies, "the session cookie is __Host-sessionid")

    # DJANGO_REQUIRE_2FA=1: until the administrator has a second factor, every page leads to the account page.
    response, _content = browser.request("GET", "/oversikt/")
    check(response.status == 302 and response.headers["Location"].startswith("/konto/"), "2FA is required first")
    response, content = browser.request("GET", "/konto/")
    page = content.decode()
    check(response.status == 200 and USERNAME in page, "the signed-in account page shows the user")
    check("no-store" in response.headers.get("Cache-Control", ""), "the signed-in page is not stored")

    stylesheet = re.search(r'href="(/static/core/alis\.[0-9a-f]{12}\.css)"', page)
    check(stylesheet is not None, "the page links the stylesheet by its hashed name")
    response, content = browser.request("GET", stylesheet.group(1), **{"Accept-Encoding": "gzip"})
    check(response.status == 200 and response.headers.get("Content-Encoding") == "gzip", "it is served compressed")
    check(b".site-header" in gzip.decompress(content), "and it is the app's stylesheet")
    check("immutable" in response.headers.get("Cache-Control", ""), "cached as immutable")
    response, _content = browser.request("GET", stylesheet.group(1), **{"Accept-Encoding": "br, gzip"})
    check(response.headers.get("Content-Encoding") == "br", "brotli when the browser takes it")
    response, _content = browser.request("GET", "/static/core/alis.css")
    check(response.status == 200 and "immutable" not in response.headers.get("Cache-Control", ""),
          "the plain name still works, without the year-long caching")  # fmt: skip


def main() -> None:
    server_url = sys.argv[1] if len(sys.argv) > 1 else "postgres://alis:alis@127.0.0.1:5432/alis"
    name = sys.argv[2] if len(sys.argv) > 2 else "alis_smoke"
    verify_units()
    with tempfile.TemporaryDirectory() as static_root, tempfile.TemporaryDirectory() as runtime:
        env = production_env(DATABASE_URL=database(server_url, name), DJANGO_STATIC_ROOT=static_root)
        manage("migrate", "--no-input", env=env)
        manage("load_reference", env=env)
        manage("collectstatic", "--no-input", env=env)
        manage("check", "--deploy", "--fail-level", "WARNING", env=env)
        admin = {"DJANGO_SUPERUSER_USERNAME": USERNAME, "DJANGO_SUPERUSER_EMAIL": "smoke@example.no",
                 "DJANGO_SUPERUSER_PASSWORD": PASSWORD}  # fmt: skip
        manage("createsuperuser", "--noinput", env=env | admin)
        port = free_port()
        server = subprocess.Popen(gunicorn_command(port, runtime), cwd=ROOT, env=env)  # noqa: S603
        try:
            browser = Browser(port)
            wait_until_up(browser, server)
            smoke(browser)
        finally:
            server.terminate()
            server.wait(timeout=30)
        database(server_url, name, create=False)
    print("Production smoke test passed.")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
