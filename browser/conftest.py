"""Browser tests: Playwright's sync API drives Debian's Chromium against pytest-django's live server.

One Chromium per session, a fresh context (locale nb-NO) per test. Never `playwright install`: the
browser comes from Debian (`apt-get install chromium`, which .ci/run does).

Playwright's sync API keeps an asyncio loop running in the main thread from the first browser test
to the end of the session. Django refuses database access while a loop runs, hence
DJANGO_ALLOW_ASYNC_UNSAFE, and `async_to_sync` refuses to run at all: so the browser tests are moved
to the end of the run, where that loop can no longer trouble the other tests.
"""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import AbstractBaseUser
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, Playwright, sync_playwright

from conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOGIN_PATH = "/logg-inn/"
# Screenshots of failed tests land here (ignored by git).
RESULTS_DIR = Path(__file__).resolve().parent.parent / "test-results"
TIMEOUT_MS = 10_000

_axe = Axe()
_failed_key = pytest.StashKey[bool]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last (see the module docstring); keep the order otherwise."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.when == "call":
        item.stash[_failed_key] = report.failed
    return report


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    executable = shutil.which("chromium")
    if executable is None:
        reason = "Chromium is not installed (apt-get install chromium): browser tests need Debian's Chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; .ci/run should have installed it")
        pytest.skip(reason)
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Each browser test creates a user and logs in; the real hasher spends about a second on each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page that also fails the test on uncaught script errors and CSP violations."""
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP violation on {page.url}: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"Uncaught script error on {page.url}: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    yield page
    if request.node.stash.get(_failed_key, False):
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        page.screenshot(path=RESULTS_DIR / f"{name}.png", full_page=True)
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


def login(page: Page, user: AbstractBaseUser) -> None:
    """Sign in through the login form, as a person would, and wait for the page it leads to."""
    page.goto(LOGIN_PATH)
    page.locator('input[name="username"]').fill(user.get_username())
    page.locator('input[name="password"]').fill(PASSWORD)
    with page.expect_navigation():
        page.locator('form:has(input[name="password"]) [type="submit"]').click()
    if page.url.split("?")[0].endswith(LOGIN_PATH):
        pytest.fail(f"Login as {user.get_username()!r} failed: still on {page.url}")


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.1 A and AA) on the page once its panels have loaded; fail listing every violation."""
    # Pages load panels over HTMX after the page itself (tasks, notes and documents): check what the user gets.
    page.wait_for_load_state("networkidle")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    if not violations:
        return
    lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            if summary := node.get("failureSummary"):
                lines.extend(f"      {line}" for line in summary.splitlines())
    pytest.fail("\n".join(lines), pytrace=False)
