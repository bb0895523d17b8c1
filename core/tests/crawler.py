"""Walk every URL of the site with hostile input: the machinery of the "no 500" tests.

- `routes()` lists every named URL pattern (Django's admin aside); `url_for(route)` fills in its arguments
  from the page catalogue (pages.py), whose example rows are Vest records of the demo data: a page joins
  the crawl the day it joins the catalogue (and the catalogue's test fails until it does).
- `read_params(client, url)` records which query parameters a view reads (on a plain GET), so the crawl
  sends hostile values exactly where the code looks for them (a view that reads some only when others
  are set, such as `?format=` after a filter, needs them named in the test).
- `page_forms(html)` finds the POST forms a page shows, with the values a person would send unchanged.
- `probe(client, method, url, data)` sends one request inside a savepoint that is rolled back afterwards:
  a probe never changes what the next one sees, and a 500 comes back with the exception that caused it.

- `client_for(username)` and `forms_on_every_page(client)` are the clients and the forms the crawls share.

The light crawl in `test_hostile_input.py` runs in every test run; the full fuzz (every field of every form
with every value, as every persona) is in `test_security_sweep.py`, on the same pieces.
"""

import contextlib
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urlsplit

from django.apps import apps
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.datastructures import MultiValueDict

import pages

# Values that broke pages, or could: NUL (PostgreSQL refuses it in text), a superscript two (str.isdigit()
# says yes, int() says no), dates far outside any real use, a number no column holds, a negative page, a
# formula, a sort key that is not a column, and something long.
HOSTILE = (
    "\x00",
    "²",
    "9999-12-31",
    "31.12.9999",
    "0001-01-01",
    "99999999999999999999999",
    "-1",
    "=1+1",
    "-pk,../",
    "x" * 3000,
)


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str

    @property
    def arguments(self) -> bool:
        return "<" in self.pattern


def routes() -> list[Route]:
    """Every named URL pattern of the project, in URL-conf order.

    Django's admin is Django's to test; the namespaces in SKIPPED_NAMESPACES are tested by their own apps.
    """

    def walk(patterns: list, prefix: str, namespace: str | None) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin" or entry.namespace in SKIPPED_NAMESPACES:
                    continue
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield Route(name, prefix + str(entry.pattern))

    return list(walk(get_resolver().url_patterns, "", None))


# Namespaces the crawl leaves alone, and why.
SKIPPED_NAMESPACES = {
    "api-v1": "the JSON API has its own sweep, with API tokens and its OpenAPI schema (api/tests)",
}
# Patterns the crawl leaves alone, and why.
SKIPPED = {
    "logout": "signs the crawling user out",
    "set_language": "Django's own view; changes the language of every later request",
}


def page_of(route: Route) -> "pages.Page":
    """The route's page in the page catalogue (pages.py): every URL pattern has one."""
    return pages.by_url_name()[route.name]


def url_for(route: Route) -> str:
    """The address of the route with the catalogue's example row (a Vest record) and query."""
    page = page_of(route)
    _row, kwargs, query = page.resolve()
    return page.path(kwargs, query)


@contextlib.contextmanager
def _recording(keys: set[str]) -> Iterator[None]:
    """Note every key looked up in a QueryDict while the block runs."""
    get, getitem, getlist = MultiValueDict.get, MultiValueDict.__getitem__, MultiValueDict.getlist

    def record_get(self, key, default=None):
        keys.add(key)
        return get(self, key, default)

    def record_getitem(self, key):
        keys.add(key)
        return getitem(self, key)

    def record_getlist(self, key, default=None):
        keys.add(key)
        return getlist(self, key, default)

    def record_contains(self, key):
        keys.add(key)
        return dict.__contains__(self, key)

    with (
        mock.patch.object(QueryDict, "get", record_get),
        mock.patch.object(QueryDict, "__getitem__", record_getitem),
        mock.patch.object(QueryDict, "getlist", record_getlist),
        mock.patch.object(QueryDict, "__contains__", record_contains),
    ):
        yield


def read_params(client: Client, url: str) -> tuple["Outcome", set[str]]:
    """A plain GET of `url`, and the query parameters its view read (the filter form's fields among them)."""
    keys: set[str] = set()
    with _recording(keys):
        outcome = probe(client, "get", url)
    return outcome, {key for key in keys if isinstance(key, str)}


@dataclass
class Outcome:
    method: str
    url: str
    status: int
    data: dict | None = None
    error: str = ""
    content: bytes = b""
    # The tables a refused post changed anyway (half-written), when asked to look (`probe(..., writes=True)`).
    written: list[str] = field(default_factory=list)


# Tables that a refused post may write: the read log (the form shown again is read), the security log, sessions.
UNTRACKED = {"core.read", "accounts.authevent", "sessions.session", "admin.logentry"}


def _tracked_models() -> list:
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in UNTRACKED
    ]


def fingerprint() -> dict[str, tuple[int, int]]:
    """Per table its number of rows and the sum of its versions: what a write of any kind changes. One query."""
    quote = connection.ops.quote_name
    parts = []
    for model in _tracked_models():
        versioned = any(f.name == "version" for f in model._meta.concrete_fields)
        total = f"COALESCE(SUM({quote('version')}), 0)" if versioned else "0"
        table = quote(model._meta.db_table)
        parts.append(f"SELECT '{model._meta.label_lower}', COUNT(*), {total} FROM {table}")  # noqa: S608 -- model names
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {label: (int(n), int(v)) for label, n, v in cursor.fetchall()}


def _write_counts() -> object:
    """Something that changes when a tracked table is written. On PostgreSQL the transaction's own counters of
    inserted, updated and deleted rows per table (one cheap query; they also count writes later rolled back, so
    a change only means «look closer»); elsewhere the fingerprint itself."""
    if connection.vendor != "postgresql":
        return fingerprint()
    tracked = {model._meta.db_table for model in _tracked_models()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return {table: n for table, n in cursor.fetchall() if table in tracked and n}


def probe(client: Client, method: str, url: str, data: dict | None = None, *, writes: bool = False) -> Outcome:
    """One request, rolled back afterwards; a server error comes back with the exception's last lines.

    `writes`: compare the database before and after; a request that did not succeed (anything but a redirect)
    must have written nothing, or it is reported in `written`. The fingerprints are taken only when the write
    counters moved: the one after the request inside the probe's savepoint, the one before once it is rolled
    back (the same state as before the request).
    """
    errors: list[str] = []

    def catch(sender, request, **kwargs) -> None:
        errors.append("".join(traceback.format_exc().strip().splitlines(keepends=True)[-3:]))

    written: list[str] = []
    after = None
    got_request_exception.connect(catch)
    try:
        with transaction.atomic():
            counts = _write_counts() if writes else None
            response = getattr(client, method)(url, data)
            if writes and response.status_code < 300 and _write_counts() != counts:
                after = fingerprint()
            transaction.set_rollback(True)
    finally:
        got_request_exception.disconnect(catch)
    if after is not None:
        before = fingerprint()
        written = sorted(label for label, value in after.items() if before.get(label) != value)
    content = b"" if getattr(response, "streaming", False) else response.content
    return Outcome(method.upper(), url, response.status_code, data, "\n".join(errors), content, written)


@dataclass
class PageForm:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    # What a person can type into or choose (the fields the fuzz fills with hostile values).
    typed: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # <input type="date">

    def post_data(self, **changes: object) -> dict:
        data: dict[str, object] = {name: v[0] if len(v) == 1 else v for name, v in self.fields.items()}
        data.update(changes)
        return data


class _FormParser(HTMLParser):
    TYPED = {"text", "search", "email", "tel", "url", "number", "date", "textarea", "password", None}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attr = dict(attrs)
        if tag == "form":
            posts = (attr.get("method") or "").lower() == "post"
            self._form = PageForm(action=attr.get("action") or "") if posts else None
            if self._form is not None:
                self.forms.append(self._form)
            return
        form, name = self._form, attr.get("name")
        if form is None:
            return
        if tag == "input" and name:
            kind = (attr.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attr:
                    form.fields.setdefault(name, []).append(attr.get("value") or "on")
                return
            form.fields.setdefault(name, []).append(attr.get("value") or "")
            if kind in self.TYPED and name not in form.typed:
                form.typed.append(name)
            if kind == "date" and name not in form.dates:
                form.dates.append(name)
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            form.fields.setdefault(name, [])
            form.typed.append(name)
        elif tag == "option" and self._select:
            value = attr.get("value") or ""
            if self._select_first is None:
                self._select_first = value
            if "selected" in attr:
                form.fields[self._select].append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields.setdefault(name, []).append("")
            form.typed.append(name)

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form.fields[self._select].append(self._select_first)
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def resolve_name(url: str) -> str:
    """The URL name a URL (with or without a query string) resolves to."""
    return resolve(urlsplit(url).path).view_name


def page_forms(html: str, url: str) -> list[PageForm]:
    """The POST forms on a page (a form without an action posts to the page itself), but for skipped routes."""
    parser = _FormParser()
    parser.feed(html)
    forms = []
    for form in parser.forms:
        form.action = form.action or url
        form.fields.pop("csrfmiddlewaretoken", None)
        if resolve_name(form.action) not in SKIPPED:
            forms.append(form)
    return forms


def client_for(username: str | None) -> Client:
    """A client signed in as `username` (anonymous for None) that answers a server error with its page."""
    client = Client(raise_request_exception=False)
    if username:
        from accounts.models import User

        client.force_login(User.objects.get(username=username))
    return client


def forms_on_every_page(client: Client) -> list[PageForm]:
    """Each kind of form once (a participant list shows one attendance form per person), from every route."""
    found: dict[tuple, PageForm] = {}
    for route in routes():
        if route.name in SKIPPED:
            continue
        page = probe(client, "get", url_for(route))
        if page.status == 200 and page.content.lstrip().startswith(b"<!"):
            for form in page_forms(page.content.decode(), page.url):
                found.setdefault((resolve_name(form.action), *sorted(form.fields)), form)
    return list(found.values())


def probe_query_values(client: Client, values: tuple, *, one_at_a_time: tuple = ()) -> list[Outcome]:
    """Every route opened plainly, then with each of `values` in all the query parameters its view reads at
    once, and each of `one_at_a_time` in one parameter after another."""
    outcomes = []
    for route in routes():
        if route.name in SKIPPED:
            continue
        url = url_for(route)
        plain, params = read_params(client, url)
        outcomes.append(plain)
        if params:
            outcomes += [probe(client, "get", url, dict.fromkeys(params, value)) for value in values]
        outcomes += [probe(client, "get", url, {name: value}) for name in sorted(params) for value in one_at_a_time]
    return outcomes
