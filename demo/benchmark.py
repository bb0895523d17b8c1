"""Page timings and query counts at national scale, in a throwaway database.

The benchmark never touches the developer's own database: it creates a separate test database
(`connection.creation.create_test_db`), fills it with the reference data and the demo data set, requests
each main page as an office user and as the national coordinator, and destroys the database again.
The pages are those the page catalogue (pages.py) marks `bench`; one the URL conf lacks fails the run.
On SQLite the throwaway database is a file in a temporary folder (like the real one, not in memory);
on PostgreSQL (DATABASE_URL) it is `<name>_bench`.
"""

import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

import pages as catalogue
from accounts.models import User
from registry.models import Doctor, GpOffice, Municipality
from training.models import ServicePeriod, Training

WARM_UP = 2
BERGEN = "4601"


@dataclass(frozen=True)
class Page:
    """A page to measure: a URL name, the user who asks, and how to find the record it shows."""

    name: str
    url_name: str
    username: str
    query: str = ""
    entry: catalogue.Page | None = None


@dataclass
class Result:
    name: str
    url: str
    user: str
    p50_ms: float
    p95_ms: float
    queries: int
    status: int
    queries_small: int | None = None


@dataclass
class Report:
    database: str
    scale: dict[str, int]
    pages: list[Result] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _pages() -> tuple[Page, ...]:
    """The pages of the page catalogue (pages.py) marked for the benchmark, once per user it names."""
    entries = catalogue.by_url_name()
    marked = [
        Page(entry.name or entry.url_name, entry.url_name, username, entry=entry)
        for entry in catalogue.PAGES
        for username in entry.bench
    ]
    variants = [
        Page(name, url_name, username, query, entry=entries.get(url_name))  # an API list has no entry
        for name, url_name, query, usernames in catalogue.BENCH_VARIANTS
        for username in usernames
    ]
    return (*marked, *variants)


PAGES = _pages()


def database_name() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    return connection.display_name


def scale() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "gp_offices": GpOffice.objects.count(),
        "doctors": Doctor.objects.count(),
        "regular_gps": Doctor.objects.filter(is_regular_gp=True).count(),
        "trainings": Training.objects.count(),
        "ongoing_trainings": Training.objects.ongoing().count(),
        "service_periods": ServicePeriod.objects.count(),
    }


@contextmanager
def throwaway_database(verbosity: int = 0) -> Iterator[None]:
    """A fresh, migrated test database in place of the default one, destroyed afterwards."""
    settings_dict = connection.settings_dict
    old_name = settings_dict["NAME"]
    old_test_name = settings_dict["TEST"].get("NAME")
    folder = None
    if connection.vendor == "sqlite":
        folder = tempfile.TemporaryDirectory(prefix="alis-bench-")
        settings_dict["TEST"]["NAME"] = str(Path(folder.name) / "bench.sqlite3")
    else:
        settings_dict["TEST"]["NAME"] = f"{old_name}_bench"
    try:
        # autoclobber: the database has the bench's own name, so an old one left behind is ours.
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False, keepdb=False)
        try:
            yield
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=verbosity, keepdb=False)
    finally:
        settings_dict["TEST"]["NAME"] = old_test_name
        if folder is not None:
            folder.cleanup()


@contextmanager
def servable_static_files() -> Iterator[None]:
    """Without `collectstatic` there is no manifest; serve static URLs without it, as in development."""
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    location = getattr(staticfiles_storage, "location", None)
    if manifest and location and not (Path(location) / manifest).exists():
        plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        storages = {**settings.STORAGES, "staticfiles": plain}
        with override_settings(STORAGES=storages):
            yield
    else:
        yield


def _clients() -> dict[str, Client]:
    """A client per user, signed in for the pages and with the user's own API token for the API."""
    from api.tokens import token_create

    clients = {}
    for username in sorted({page.username for page in PAGES}):
        user = User.objects.get(username=username)
        _row, token = token_create(user=user, name="benchmark")
        client = Client(headers={"Authorization": f"Bearer {token}"})
        client.force_login(user)
        clients[username] = client
    return clients


def _url(page: Page) -> str | None:
    """The page's address in the data; None when the URL conf has no such page (the benchmark fails)."""
    try:
        if page.entry is None:
            return reverse(page.url_name) + page.query
        _row, kwargs, query = page.entry.resolve()
        return page.entry.path(kwargs, query + page.query)
    except NoReverseMatch:
        return None


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _key(page: Page) -> tuple[str, str, str]:
    return (page.url_name, page.query, page.username)


def count_queries() -> dict[tuple[str, str, str], int]:
    """One request per page after a warm-up: the number of queries, by (URL name, query, user)."""
    counts = {}
    clients = _clients()
    for page in PAGES:
        url = _url(page)
        if url is None:
            continue
        client = clients[page.username]
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code == 200:
            counts[_key(page)] = len(queries)
    return counts


def measure(
    report: Report,
    *,
    repeat: int,
    progress: Callable[[str], None],
    small_counts: dict[tuple[str, str, str], int] | None = None,
) -> None:
    clients = _clients()
    for page in PAGES:
        label = f"{page.url_name}{page.query} ({page.username})"
        url = _url(page)
        if url is None:
            report.failed.append(f"{label}: adressen finnes ikke i URL-oppsettet")
            progress(f"  {label}: adressen finnes ikke i URL-oppsettet.")
            continue
        client = clients[page.username]
        for _ in range(WARM_UP - 1):
            client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries = len(captured)  # now: the next request clears the connection's query log
        if response.status_code != 200:
            report.failed.append(f"{label}: HTTP {response.status_code}")
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                report.failed.append(f"{label}: HTTP {response.status_code}")
                break
        report.pages.append(
            Result(
                name=page.name,
                url=url,
                user=page.username,
                p50_ms=round(statistics.median(timings), 1),
                p95_ms=round(_percentile(timings, 95), 1),
                queries=queries,
                status=response.status_code,
                queries_small=small_counts.get(_key(page)) if small_counts is not None else None,
            )
        )
        progress(f"  {label}: {statistics.median(timings):.1f} ms, {queries} spørringer")


def run(*, size: str, repeat: int, seed: int, compare_small: bool, progress: Callable[[str], None]) -> Report:
    with throwaway_database(), servable_static_files():
        progress(f"Database: {database_name()} (midlertidig)")
        call_command("load_reference", stdout=_Quiet())
        small_counts = None
        if compare_small and size != "small":
            progress("Lager det lille demodatasettet for å telle spørringer …")
            call_command("seed_demo", size="small", seed=seed, stdout=_Quiet())
            small_counts = count_queries()
            call_command("seed_demo", "--replace", size=size, seed=seed, stdout=_Quiet())
        else:
            call_command("seed_demo", size=size, seed=seed, stdout=_Quiet())
        report = Report(database=database_name(), scale=scale())
        progress(f"Måler {len(PAGES)} sider × {repeat} ({size}) …")
        measure(report, repeat=repeat, progress=progress, small_counts=small_counts)
    return report


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def as_json(report: Report) -> str:
    data = {
        "database": report.database,
        "scale": report.scale,
        "pages": [
            {key: value for key, value in asdict(result).items() if value is not None} for result in report.pages
        ],
        "failed": report.failed,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_table(report: Report) -> str:
    header = ("side", "bruker", "p50 ms", "p95 ms", "spørringer", "liten → nasjonal")
    rows = [
        (
            result.name,
            result.user,
            f"{result.p50_ms:.1f}",
            f"{result.p95_ms:.1f}",
            str(result.queries),
            f"{result.queries_small} → {result.queries}" if result.queries_small is not None else "",
        )
        for result in report.pages
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = {2, 3, 4}

    def line(row: tuple[str, ...]) -> str:
        cells = zip(row, widths, strict=True)
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(cells)).rstrip()

    scale_text = ", ".join(f"{k} {v}" for k, v in report.scale.items())
    return "\n".join(
        [f"{report.database}: {scale_text}", line(header), "  ".join("-" * w for w in widths), *map(line, rows)]
    )
