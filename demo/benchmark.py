"""Page timings and query counts at national scale, in a throwaway database.

The benchmark never touches the developer's own database: it creates a separate test database
(`connection.creation.create_test_db`), fills it with the reference data and the demo data set, requests
each main page as an office user and as the national coordinator, and destroys the database again.
The pages are those the page catalogue (pages.py) marks `bench`; one the URL conf lacks fails the run.
On SQLite the throwaway database is a file in a temporary folder (like the real one, not in memory);
on PostgreSQL (DATABASE_URL) it is `<name>_bench`.
"""

import gc
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
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
LEAN_FLOOR_MS = 10.0
LEAN_SQL_FACTOR = 3
ADMIN_TARGET = 0.8  # a list page's p50 at most 0.8× its yardstick changelist's
FLAT_TARGET = 1.15  # a page's p50 at twice the data at most 1.15× its p50 at national size
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
    sql_ms: float = 0.0
    html_kb: float = 0.0
    admin_p50_ms: float | None = None
    admin_queries: int | None = None
    queries_small: int | None = None

    @property
    def lean_target_ms(self) -> float:
        """Issue 16: a page's p50 within max(3× its own SQL time, 10 ms)."""
        return max(LEAN_SQL_FACTOR * self.sql_ms, LEAN_FLOOR_MS)

    @property
    def sql_ratio(self) -> float | None:
        return round(self.p50_ms / self.sql_ms, 2) if self.sql_ms else None

    @property
    def admin_ratio(self) -> float | None:
        return round(self.p50_ms / self.admin_p50_ms, 2) if self.admin_p50_ms else None


@dataclass
class Report:
    database: str
    scale: dict[str, int]
    size: str = ""
    repeat: int = 0
    runs: int = 1
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


def select_pages(texts: list[str]) -> tuple[Page, ...]:
    """The pages whose «name (user)» or URL name contains one of the texts (any case): `bench --pages`."""
    wanted = [text.casefold() for text in texts]
    return tuple(
        page
        for page in _pages()
        if any(text in f"{page.name} ({page.username})".casefold() or text in page.url_name for text in wanted)
    )


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


class _SqlClock:
    """Sums the time and number of the queries run inside it (a database execute wrapper: cheap enough
    to stay on while the page is timed, so the SQL time is that of the very requests measured)."""

    def __init__(self) -> None:
        self.ms = 0.0
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - started) * 1000
            self.count += 1


@dataclass
class _Samples:
    page: Page
    url: str
    admin_url: str | None
    timings: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    queries: int = 0
    html_bytes: int = 0
    status: int = 0
    admin_timings: list[float] = field(default_factory=list)
    admin_queries: int = 0
    failed: bool = False


def _timed(client: Client, url: str) -> tuple[float, _SqlClock, object]:
    # The pages run in the same order every round, so where the interpreter's young-generation collections fall
    # is fixed too: a page of 2 ms was charged, round after round, for freeing what the pages before it left
    # (Oversikt: til oppfølging, 1.25× at 2x with the same SQL and HTML). Collected here, untimed, each page pays
    # for its own garbage; full collections still fall where they fall.
    gc.collect(1)
    clock = _SqlClock()
    with connection.execute_wrapper(clock):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, clock, response


def _body_size(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


@dataclass
class _Run:
    """One data set's pages being measured: its report, signed-in clients and samples."""

    report: Report
    clients: dict[str, Client]
    samples: list[_Samples]


def _prepare(report: Report, progress: Callable[[str], None]) -> _Run:
    from demo import yardstick

    samples = []
    for page in PAGES:
        label = f"{page.url_name}{page.query} ({page.username})"
        url = _url(page)
        if url is None:
            report.failed.append(f"{label}: adressen finnes ikke i URL-oppsettet")
            progress(f"  {label}: adressen finnes ikke i URL-oppsettet.")
            continue
        samples.append(_Samples(page, url, yardstick.changelist_url(page.url_name, page.query)))
    return _Run(report, _clients(), samples)


def _round(run: _Run, round_number: int) -> None:
    """Each page (and its yardstick changelist) once; a negative round number is a warm-up (counts queries)."""
    for sample in run.samples:
        if sample.failed:
            continue
        client = run.clients[sample.page.username]
        elapsed, clock, response = _timed(client, sample.url)
        sample.status = response.status_code
        if response.status_code != 200:
            sample.failed = True
            label = f"{sample.page.url_name}{sample.page.query} ({sample.page.username})"
            run.report.failed.append(f"{label}: HTTP {response.status_code}")
            continue
        if round_number < 0:
            sample.queries, sample.html_bytes = clock.count, _body_size(response)
        else:
            sample.timings.append(elapsed)
            sample.sql.append(clock.ms)
        if sample.admin_url is not None:
            elapsed, clock, response = _timed(client, sample.admin_url)
            if response.status_code != 200:
                run.report.failed.append(f"yardstick {sample.admin_url}: HTTP {response.status_code}")
                sample.admin_url = None
            elif round_number < 0:
                sample.admin_queries = clock.count
            else:
                sample.admin_timings.append(elapsed)


def _finish(run: _Run, small_counts: dict[tuple[str, str, str], int] | None) -> None:
    for sample in run.samples:
        if not sample.timings:
            continue
        page = sample.page
        run.report.pages.append(
            Result(
                name=page.name,
                url=sample.url,
                user=page.username,
                p50_ms=round(statistics.median(sample.timings), 1),
                p95_ms=round(_percentile(sample.timings, 95), 1),
                queries=sample.queries,
                status=sample.status,
                sql_ms=round(statistics.median(sample.sql), 1),
                html_kb=round(sample.html_bytes / 1024, 1),
                admin_p50_ms=round(statistics.median(sample.admin_timings), 1) if sample.admin_timings else None,
                admin_queries=sample.admin_queries if sample.admin_timings else None,
                queries_small=small_counts.get(_key(page)) if small_counts is not None else None,
            )
        )


def measure(
    report: Report,
    *,
    repeat: int,
    progress: Callable[[str], None],
    small_counts: dict[tuple[str, str, str], int] | None = None,
) -> None:
    """Each page (and its yardstick changelist) once per round, rounds one after the other: a busy moment on
    a shared machine then touches every page a little rather than one page a lot."""
    run = _prepare(report, progress)
    for round_number in range(-WARM_UP, repeat):
        _round(run, round_number)
        if round_number >= 0 and (round_number + 1) % 10 == 0:
            progress(f"  runde {round_number + 1} av {repeat}")
    _finish(run, small_counts)


def _use_database(name: str) -> None:
    """Point the default connection at another (already made) database, connected before anything is timed:
    otherwise the first page of every round paid for opening the connection (Kommuner (vest), measured first,
    took twice the coordinator's time in the interleaved runs)."""
    connection.close()
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()


def compare(
    *, size: str, other: str, repeat: int, seed: int, progress: Callable[[str], None], runs: int = 1
) -> tuple[Report, Report]:
    """Two data sets side by side, rounds interleaved (a round on one, then the same round on the other), so
    that what else the machine does falls on both alike: how a page's time grows with the data (issue 16:
    twice the data within 1.15× the time, the same number of queries). With `runs`, the measuring is done
    that many times on the same two databases and each figure is the median of the runs' figures."""
    with throwaway_database(), servable_static_files(), override_settings(ROOT_URLCONF="demo.bench_urls"):
        call_command("load_reference", stdout=_Quiet())
        call_command("seed_demo", size=size, seed=seed, stdout=_Quiet())
        first_name = connection.settings_dict["NAME"]
        first_reports, second_reports = [], []
        with throwaway_database():
            second_name = connection.settings_dict["NAME"]
            call_command("load_reference", stdout=_Quiet())
            progress(f"Lager demodata {size} og {other} …")
            call_command("seed_demo", size=other, seed=seed, stdout=_Quiet())
            try:
                for number in range(1, runs + 1):
                    runs_note = f" (måling {number} av {runs})" if runs > 1 else ""
                    progress(f"Måler {len(PAGES)} sider × {repeat} runder, {size} og {other} annenhver{runs_note} …")
                    _use_database(first_name)
                    first = _prepare(_report(size, repeat), progress)
                    _use_database(second_name)
                    second = _prepare(_report(other, repeat), progress)
                    for round_number in range(-WARM_UP, repeat):
                        for name, run in ((first_name, first), (second_name, second)):
                            _use_database(name)
                            _round(run, round_number)
                        if round_number >= 0 and (round_number + 1) % 10 == 0:
                            progress(f"  runde {round_number + 1} av {repeat}")
                    _finish(first, None)
                    _finish(second, None)
                    first_reports.append(first.report)
                    second_reports.append(second.report)
            finally:
                _use_database(second_name)  # the inner database is the one dropped first
    return median_of(first_reports), median_of(second_reports)


def _report(size: str, repeat: int) -> Report:
    return Report(database=database_name(), scale=scale(), size=size, repeat=repeat)


def median_of(reports: list[Report]) -> Report:
    """One report from several runs of the same pages: each page's times the median of the runs' (its query
    count and size are the same in every run)."""
    if len(reports) == 1:
        return reports[0]

    def middle(values: list[float | None]) -> float | None:
        known = [value for value in values if value is not None]
        return round(statistics.median(known), 1) if known else None

    by_page: dict[tuple[str, str], list[Result]] = {}
    for report in reports:
        for result in report.pages:
            by_page.setdefault((result.url, result.user), []).append(result)
    pages = []
    for results in by_page.values():
        pages.append(
            replace(
                results[0],
                p50_ms=middle([r.p50_ms for r in results]),
                p95_ms=middle([r.p95_ms for r in results]),
                sql_ms=middle([r.sql_ms for r in results]),
                admin_p50_ms=middle([r.admin_p50_ms for r in results]),
            )
        )
    failed = sorted({failure for report in reports for failure in report.failed})
    return replace(reports[0], runs=len(reports), pages=pages, failed=failed)


def run(*, size: str, repeat: int, seed: int, compare_small: bool, progress: Callable[[str], None]) -> Report:
    with throwaway_database(), servable_static_files(), override_settings(ROOT_URLCONF="demo.bench_urls"):
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
        report = Report(database=database_name(), scale=scale(), size=size, repeat=repeat)
        progress(f"Måler {len(PAGES)} sider × {repeat} runder ({size}) …")
        measure(report, repeat=repeat, progress=progress, small_counts=small_counts)
    return report


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def _page_key(page: dict) -> str:
    return f"{page['name']} ({page['user']})"


def summary(report: Report, against: dict | None = None) -> dict:
    """The ratios issue 16 asks about, over all pages: lean (p50 against its own SQL), list pages against
    the admin, query counts against the small data set, and, given another run's results, flatness."""
    pages = report.pages
    not_lean = [
        {"page": f"{r.name} ({r.user})", "p50_ms": r.p50_ms, "sql_ms": r.sql_ms, "sql_ratio": r.sql_ratio}
        for r in pages
        if r.p50_ms > r.lean_target_ms
    ]
    lists = [r for r in pages if r.admin_ratio is not None]
    grown = [
        {"page": f"{r.name} ({r.user})", "small": r.queries_small, "queries": r.queries}
        for r in pages
        if r.queries_small is not None and r.queries != r.queries_small
    ]
    result = {
        "pages": len(pages),
        "lean": {
            "rule": f"p50 ≤ max({LEAN_SQL_FACTOR}× sql_ms, {LEAN_FLOOR_MS:g} ms)",
            "within": len(pages) - len(not_lean),
            "median_sql_ratio": _median([r.sql_ratio for r in pages if r.sql_ratio is not None]),
            "outside": sorted(not_lean, key=lambda row: -(row["sql_ratio"] or 0)),
        },
        "admin": {
            "rule": f"list page p50 ≤ {ADMIN_TARGET}× the admin changelist's",
            "list_pages": len(lists),
            "within": sum(1 for r in lists if r.admin_ratio <= ADMIN_TARGET),
            "median_ratio": _median([r.admin_ratio for r in lists]),
            "ratios": {f"{r.name} ({r.user})": r.admin_ratio for r in lists},
        },
        "queries_grow_with_data": grown,
        "html_kb_total": round(sum(r.html_kb for r in pages), 1),
    }
    if against is not None:
        before = {_page_key(page): page for page in against.get("pages", [])}
        flat = {}
        for r in pages:
            other = before.get(f"{r.name} ({r.user})")
            if other and other.get("p50_ms"):
                flat[f"{r.name} ({r.user})"] = {
                    "ratio": round(r.p50_ms / other["p50_ms"], 2),
                    "queries": f"{other.get('queries')} → {r.queries}",
                }
        result["flat"] = {
            "rule": f"p50 at {report.size} ≤ {FLAT_TARGET}× p50 at {against.get('size', '?')}, same queries",
            "against": against.get("size", "?"),
            "within": sum(1 for row in flat.values() if row["ratio"] <= FLAT_TARGET),
            "pages": len(flat),
            "same_queries": sum(1 for row in flat.values() if len(set(row["queries"].split(" → "))) == 1),
            "ratios": dict(sorted(flat.items(), key=lambda item: -item[1]["ratio"])),
        }
    return result


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def as_json(report: Report, against: dict | None = None) -> str:
    def page(result: Result) -> dict:
        row = {key: value for key, value in asdict(result).items() if value is not None}
        row["sql_ratio"] = result.sql_ratio
        if result.admin_ratio is not None:
            row["admin_ratio"] = result.admin_ratio
        return row

    data = {
        "database": report.database,
        "size": report.size,
        "rounds": report.repeat,
        "runs": report.runs,
        "scale": report.scale,
        "summary": summary(report, against),
        "pages": [page(result) for result in report.pages],
        "failed": report.failed,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_table(report: Report) -> str:
    header = (
        "side",
        "bruker",
        "p50 ms",
        "p95 ms",
        "SQL ms",
        "×SQL",
        "admin ms",
        "×admin",
        "spørringer",
        "KB",
        "liten → stor",
    )
    rows = [
        (
            result.name,
            result.user,
            f"{result.p50_ms:.1f}",
            f"{result.p95_ms:.1f}",
            f"{result.sql_ms:.1f}",
            f"{result.sql_ratio:.1f}" if result.sql_ratio else "",
            f"{result.admin_p50_ms:.1f}" if result.admin_p50_ms else "",
            f"{result.admin_ratio:.2f}" if result.admin_ratio else "",
            str(result.queries),
            f"{result.html_kb:.0f}",
            f"{result.queries_small} → {result.queries}" if result.queries_small is not None else "",
        )
        for result in report.pages
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = set(range(2, 10))

    def line(row: tuple[str, ...]) -> str:
        cells = zip(row, widths, strict=True)
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(cells)).rstrip()

    scale_text = ", ".join(f"{k} {v}" for k, v in report.scale.items())
    return "\n".join(
        [f"{report.database}: {scale_text}", line(header), "  ".join("-" * w for w in widths), *map(line, rows)]
    )
