#!/usr/bin/env python3
"""Load test: signed-in users with think time over the main pages, against gunicorn as production runs it.

A fresh PostgreSQL database with the demo data (`--size`, national by default), the README's production
settings (as .ci/smoke.py: read from the README, collectstatic, gunicorn with the command line of
deploy/alis-web.service, 4 workers) on 127.0.0.1 only. Then, for each number of users in turn (50 and 200 by
default), that many simulated users for `--duration` seconds: each signed in as the Vest office user (four in
five) or the national coordinator, asking for one of the pages the page catalogue marks for the benchmark
(pages.py) as that user, then thinking 1–5 s, as a person reading a page does. Reports per round the requests,
errors (anything but 200), throughput and p50/p95/p99 response time, and the slowest pages; writes
bench/load.json. The database is dropped afterwards.

    bench/load.py postgres://alis:alis@127.0.0.1:5432/alis [--users 50,200] [--duration 60] [--size national]

The client runs on the same machine as the server and takes some of its CPU: on a small machine the figures
are an upper bound of what the server alone would answer.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / ".ci"))
from smoke import Browser, database, free_port, gunicorn_command, manage, wait_until_up  # noqa: E402

from core.tests.production import production_env  # noqa: E402

MAX_DURATION = 600  # seconds per round: the test is bounded whatever it is asked
MAX_USERS = 1000
DEMO_PASSWORD = "alis-demo-2026"  # noqa: S105 (the demo users' published password, demo/seed.py)
USER_MIX = {"vest": 4, "koordinator": 1}


@dataclass
class Round:
    users: int
    duration: float
    timings: list[float] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page: str, elapsed_ms: float, status: int) -> None:
        with self.lock:
            self.timings.append(elapsed_ms)
            self.by_page[page].append(elapsed_ms)
            if status != 200:
                self.errors[f"{page}: HTTP {status}"] += 1

    def summary(self) -> dict:
        ordered = sorted(self.timings)

        def pct(values: list[float], p: float) -> float:
            return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 1) if values else 0.0

        slowest = sorted(
            ((page, statistics.median(v), pct(sorted(v), 95), len(v)) for page, v in self.by_page.items()),
            key=lambda row: -row[2],
        )[:8]
        return {
            "users": self.users,
            "seconds": round(self.duration, 1),
            "requests": len(ordered),
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "requests_per_second": round(len(ordered) / self.duration, 1) if self.duration else 0,
            "p50_ms": pct(ordered, 50),
            "p95_ms": pct(ordered, 95),
            "p99_ms": pct(ordered, 99),
            "slowest_pages_by_p95": [
                {"page": page, "p50_ms": round(p50, 1), "p95_ms": p95, "requests": n} for page, p50, p95, n in slowest
            ],
        }


def page_mix(env: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """The catalogue's benchmark pages per demo user, resolved to addresses in the seeded data: (label, path)."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "alis.settings"
    import django

    django.setup()
    import pages

    mix: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entry in pages.PAGES:
        for username in entry.bench:
            if username in USER_MIX:
                _row, kwargs, query = entry.resolve()
                mix[username].append((entry.name or entry.url_name, entry.path(kwargs, query)))
    return mix


def sign_in(port: int, username: str) -> dict[str, str]:
    """The cookies of a signed-in session (one sign-in per demo user, shared by the simulated users)."""
    browser = Browser(port)
    _response, content = browser.request("GET", "/logg-inn/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content.decode()).group(1)
    body = {"csrfmiddlewaretoken": token, "username": username, "password": DEMO_PASSWORD}
    response, _content = browser.request("POST", "/logg-inn/", body=body)
    if response.status != 302:
        raise SystemExit(f"Signing in as {username} failed: HTTP {response.status}")
    return dict(browser.cookies)


def simulated_user(port: int, cookies: dict, pages: list, result: Round, stop: float, think: tuple, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 (a load mix, not security)
    browser = Browser(port)
    browser.cookies = dict(cookies)
    time.sleep(rng.uniform(0, think[1]))  # not everyone at once
    while time.monotonic() < stop:
        label, path = rng.choice(pages)
        started = time.perf_counter()
        try:
            response, _content = browser.request("GET", path, **{"Accept-Encoding": "gzip"})
            status = response.status
        except OSError:
            status = 0
        result.record(label, (time.perf_counter() - started) * 1000, status)
        time.sleep(rng.uniform(*think))


def run_round(port: int, sessions: dict, mix: dict, users: int, duration: float, think: tuple) -> Round:
    result = Round(users=users, duration=duration)
    names = [name for name, weight in USER_MIX.items() for _ in range(weight)]
    stop = time.monotonic() + duration
    threads = []
    for number in range(users):
        username = names[number % len(names)]
        args = (port, sessions[username], mix[username], result, stop, think, number)
        threads.append(threading.Thread(target=simulated_user, args=args, daemon=True))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 120)
    result.duration = time.monotonic() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("server", nargs="?", default="postgres://alis:alis@127.0.0.1:5432/alis")
    parser.add_argument("--database", default="alis_load", help="the database made and dropped (default alis_load)")
    parser.add_argument("--size", default="national", help="seed_demo --size (default national)")
    parser.add_argument("--users", default="50,200", help="numbers of users, one round each (default 50,200)")
    parser.add_argument("--duration", type=float, default=60, help=f"seconds per round (at most {MAX_DURATION})")
    parser.add_argument("--think", default="1-5", help="think time between pages in seconds, min-max (default 1-5)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "load.json")
    options = parser.parse_args()
    rounds = [min(MAX_USERS, int(n)) for n in options.users.split(",")]
    duration = min(MAX_DURATION, options.duration)
    think = tuple(float(x) for x in options.think.split("-"))
    with tempfile.TemporaryDirectory() as static_root, tempfile.TemporaryDirectory() as runtime:
        env = production_env(DATABASE_URL=database(options.server, options.database), DJANGO_STATIC_ROOT=static_root)
        manage("migrate", "--no-input", env=env)
        manage("load_reference", env=env)
        manage("seed_demo", "--size", options.size, env=env | {"DJANGO_DEMO": "1"})
        manage("collectstatic", "--no-input", env=env)
        mix = page_mix(env)
        port = free_port()
        command = gunicorn_command(port, runtime)
        command[command.index("--access-logfile") + 1] = "/dev/null"
        server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 (our own command line)
        results = []
        try:
            wait_until_up(Browser(port), server)
            sessions = {username: sign_in(port, username) for username in USER_MIX}
            for users in rounds:
                print(f"{users} users for {duration:.0f} s …", flush=True)
                summary = run_round(port, sessions, mix, users, duration, think).summary()
                results.append(summary)
                print(json.dumps({k: v for k, v in summary.items() if k != "slowest_pages_by_p95"}), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
            database(options.server, options.database, create=False)
    workers = command[command.index("--workers") + 1]
    report = {"size": options.size, "workers": int(workers), "think_seconds": list(think), "rounds": results}
    if len(results) >= 2 and results[0]["p95_ms"]:
        report["p95_ratio_last_to_first"] = round(results[-1]["p95_ms"] / results[0]["p95_ms"], 2)
    options.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Written to {options.output}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
