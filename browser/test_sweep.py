"""Every page of the page catalogue in Chromium, at a phone's width (390 px) and a laptop's (1366 px).

On each page: the page itself does not scroll sideways (a wide table scrolls in its own region), no
element lies over a submit button (`elementFromPoint` at the button's centre is the button or inside it),
and axe-core finds no WCAG 2.1 A/AA violation. Each page is opened as the first role the catalogue lets
in (the office user, else the coordinator, the administrator, the reader, an anonymous visitor).

Slow (every page twice): it runs only with ALIS_SWEEP=1, once in CI (.ci/run, on PostgreSQL). Problems on
pages of areas not yet moved onto the shared form and list pages are listed in ALLOWED with the reason,
for the helper of that area to clear; a problem not listed fails, and so does a listed one that is gone.
"""

import os
import time
from collections import defaultdict
from importlib import import_module
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser, Page

import pages
from browser.conftest import TIMEOUT_MS, WCAG_TAGS
from demo.seed import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.sweep,
    pytest.mark.skipif(not os.environ.get("ALIS_SWEEP"), reason="the page sweep runs with ALIS_SWEEP=1"),
]

WIDTHS = (390, 1366)
HEIGHT = 900
# The role each page is opened as: the first of these the catalogue gives a 200.
ROLE_ORDER = ("office", "coordinator", "admin", "reader", "anonymous")
_axe = Axe()

# (URL name, width, check) → why it is allowed for now. Checks: "scroll", "covered", "axe:<rule>", "csp".
# (None now: every page passes at both widths.)
ALLOWED: dict[tuple[str, int, str], str] = {}

COVERED_JS = """
() => {
  const found = [];
  const buttons = document.querySelectorAll(
    'main button[type=submit], main input[type=submit], main button:not([type])');
  for (const button of buttons) {
    const box = button.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(button).visibility === 'hidden') continue;
    button.scrollIntoView({block: 'center', inline: 'center'});
    const r = button.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;  // in a region scrolled sideways
    const top = document.elementFromPoint(x, y);
    if (top && top !== button && !button.contains(top)) {
      found.push(`${(button.textContent || button.value).trim()} under ${top.tagName.toLowerCase()}` +
                 (top.className ? '.' + String(top.className).split(' ').join('.') : ''));
    }
  }
  window.scrollTo(0, 0);
  return found;
}
"""


def _role(page: pages.Page) -> str | None:
    statuses = page.statuses
    return next((role for role in ROLE_ORDER if statuses[role] == 200), None)


def _swept() -> list[pages.Page]:
    return [page for page in pages.PAGES if page.kind == pages.PAGE and _role(page)]


def _login(context: Any, base_url: str, role: str) -> Page:
    tab = context.new_page()
    if role != "anonymous":
        tab.goto(base_url + "/logg-inn/")
        tab.locator('input[name="username"]').fill(pages.USERNAMES[role])
        tab.locator('input[name="password"]').fill(DEMO_PASSWORD)
        with tab.expect_navigation():
            tab.locator('form:has(input[name="password"]) [type="submit"]').click()
        assert "/logg-inn/" not in tab.url, f"login as {role} failed"
    return tab


def _check(tab: Page, width: int) -> dict[str, str]:
    problems: dict[str, str] = {}
    scroll = tab.evaluate("document.documentElement.scrollWidth")
    if scroll > width + 1:
        problems["scroll"] = f"the page is {scroll} px wide"
    if covered := tab.evaluate(COVERED_JS):
        problems["covered"] = "; ".join(covered)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    for violation in _axe.run(tab, options=options).response["violations"]:
        targets = [" ".join(str(part) for part in node["target"]) for node in violation["nodes"]]
        problems[f"axe:{violation['id']}"] = f"{violation['help']}: {', '.join(targets[:5])}"
    return problems


@pytest.fixture
def demo_data(transactional_db) -> None:
    """The demo data, and the inquiry topics a migration puts in (an earlier live-server test emptied them)."""
    from django.apps import apps

    import_module("office.migrations.0002_default_topics").add_topics(apps, None)
    call_command("load_reference", verbosity=0)
    call_command("seed_demo", size="small", verbosity=0)


def _sweep(browser: Browser, base_url: str, width: int) -> tuple[dict[tuple[str, int, str], str], int]:
    """Every page at one width: the problems found, and how many pages were opened."""
    by_role: dict[str, list[pages.Page]] = defaultdict(list)
    for page in _swept():
        by_role[_role(page)].append(page)
    found: dict[tuple[str, int, str], str] = {}
    opened = 0
    for role, role_pages in by_role.items():
        viewport = {"width": width, "height": HEIGHT}
        context = browser.new_context(base_url=base_url, locale="nb-NO", timezone_id="Europe/Oslo", viewport=viewport)
        context.set_default_timeout(TIMEOUT_MS)
        tab = _login(context, base_url, role)
        console: list[str] = []

        def on_console(message: Any, seen: list[str] = console) -> None:
            if "Content Security Policy" in message.text:
                seen.append(message.text)

        tab.on("console", on_console)
        for page in role_pages:
            _row, kwargs, query = page.resolve()
            console.clear()
            response = tab.goto(base_url + page.path(kwargs, query), wait_until="load")
            # Panels loaded by HTMX on load replace their placeholder (hx-swap="outerHTML") when they arrive.
            tab.wait_for_function("() => !document.querySelector('[hx-trigger=load]')")
            opened += 1
            if response is None or response.status != 200:
                found[page.url_name, width, "status"] = f"{response.status if response else 'no answer'} as {role}"
                continue
            for check, detail in _check(tab, width).items():
                found[page.url_name, width, check] = detail
            if console:
                found[page.url_name, width, "csp"] = console[0]
        context.close()
    return found, opened


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_works_and_passes_axe(browser: Browser, live_server, demo_data, width: int) -> None:
    """One width per test, so that parallel test workers (`make test`) sweep both widths at once."""
    started = time.monotonic()
    found, opened = _sweep(browser, live_server.url, width)
    allowed = {key: why for key, why in ALLOWED.items() if key[1] == width}
    print(f"\nSweep at {width} px: {opened} pages in {time.monotonic() - started:.0f} s, "
          f"{len(found)} problems ({len(allowed)} allowed)")
    for key, detail in sorted(found.items()):
        name, _width, check = key
        print(f"  {'allowed' if key in allowed else 'PROBLEM'}: {name}, {check}: {detail}")
    unexpected = {key: detail for key, detail in found.items() if key not in allowed}
    gone = sorted(key for key in allowed if key not in found)
    lines = [f"{name} at {width} px, {check}: {detail}" for (name, width, check), detail in sorted(unexpected.items())]
    assert not unexpected, f"{len(unexpected)} problems:\n" + "\n".join(lines)
    assert not gone, f"fixed, remove from ALLOWED: {gone}"
