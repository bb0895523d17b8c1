"""Every page of the app, opened as every role on the demo data: the status, the heading, a page not empty.

The pages and what each role gets are listed once, in pages.py (the page catalogue).
"""

import logging
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import pages
from accounts.models import User


def _url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if (pattern.namespace or "") in pages.NOT_PAGES:
                continue
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else namespace + str(pattern.pattern))
    return names


def test_every_url_pattern_is_in_the_catalogue() -> None:
    listed = set(pages.by_url_name())

    assert _url_names() - listed == set(), "pages missing from the catalogue (pages.py)"
    assert listed - _url_names() == set(), "pages in the catalogue that the URL conf does not have"
    assert len(listed) == len(pages.PAGES), "a page is listed twice"


def test_every_page_says_what_each_role_gets() -> None:
    for page in pages.PAGES:
        assert set(page.statuses) == set(pages.ROLES)
        assert page.kind != pages.PAGE or page.h1 or 200 not in page.statuses.values(), page.url_name
        assert {role for _name, role in pages.KNOWN_PROBLEMS} <= set(pages.ROLES)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _check_page(page: pages.Page, role: str, response, row, user) -> str | None:
    """What is wrong with a 200 answer, or None."""
    content_type = response.get("Content-Type", "")
    if page.kind == pages.FILE:
        return None if "html" not in content_type and response.getvalue() else "not a file"
    body = response.content.decode()
    if page.kind in {pages.PARTIAL, pages.OPTIONS}:
        return None if _text(body) else "empty"
    main = re.search(r"<main[^>]*>(.*)</main>", body, re.DOTALL)
    if main is None:
        return "no <main>"
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", main.group(1), re.DOTALL)
    expected = page.heading(row, user)
    if [_text(h) for h in headings] != [expected]:
        return f"<h1> {[_text(h) for h in headings]}, expected [{expected!r}]"
    if not _text(main.group(1)).replace(expected, "", 1).strip():
        return "nothing in <main> but the heading"
    return None


@pytest.fixture
def demo_data(db):
    call_command("load_reference", verbosity=0)
    call_command("seed_demo", size="small", verbosity=0)


def test_every_page_answers_each_role_as_the_catalogue_says(demo_data) -> None:
    clients = {}
    for role in pages.ROLES:
        client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="nb")
        user = None
        if role != "anonymous":
            user = User.objects.get(username=pages.USERNAMES[role])
            client.force_login(user)
        clients[role] = (client, user)
    problems = {}
    logging.disable(logging.ERROR)  # 403/404/500 are logged by django.request; the statuses are checked
    try:
        for page in pages.PAGES:
            row, kwargs, query = page.resolve()
            url = page.path(kwargs, query)
            for role, expected in page.statuses.items():
                client, user = clients[role]
                response = client.get(url)
                if response.status_code != expected:
                    problems[page.url_name, role] = f"{url}: {response.status_code}, expected {expected}"
                elif expected == 200 and (wrong := _check_page(page, role, response, row, user)):
                    problems[page.url_name, role] = f"{url}: {wrong}"
    finally:
        logging.disable(logging.NOTSET)
    unexpected = {key: problem for key, problem in problems.items() if key not in pages.KNOWN_PROBLEMS}
    fixed = set(pages.KNOWN_PROBLEMS) - set(problems)
    assert not unexpected, "\n".join(f"{name} as {role}: {problem}" for (name, role), problem in unexpected.items())
    assert not fixed, f"fixed, remove from pages.KNOWN_PROBLEMS: {sorted(fixed)}"
