"""The benchmark measures the pages of the page catalogue, and fails on a page the URL conf lacks."""

import json
import weakref

import pages
from demo import benchmark


def test_it_measures_the_catalogue_s_marked_pages() -> None:
    measured = {(page.url_name, page.username) for page in benchmark.PAGES}

    marked = {(entry.url_name, user) for entry in pages.PAGES for user in entry.bench}
    assert marked <= measured
    assert ("registry:doctor_list", "vest") in measured and ("supervision:profile_list", "koordinator") in measured


def test_a_page_missing_from_the_url_conf_fails_the_benchmark(world, vest_user, monkeypatch) -> None:
    gone = pages.Page("registry:gone", pages.SIGNED_IN, "Borte")
    monkeypatch.setattr(benchmark, "PAGES", (benchmark.Page("Borte", "registry:gone", "vest", entry=gone),))
    report = benchmark.Report(database="test", scale={})

    benchmark.measure(report, repeat=1, progress=lambda text: None)

    assert report.failed == ["registry:gone (vest): adressen finnes ikke i URL-oppsettet"]
    assert report.pages == []


def test_the_yardstick_admin_is_never_mounted_in_the_app() -> None:
    from django.urls import get_resolver

    from demo import yardstick

    app = {str(pattern.pattern) for pattern in get_resolver("alis.urls").url_patterns}
    assert not any(route.startswith(yardstick.PREFIX) for route in app)
    bench = {str(pattern.pattern) for pattern in get_resolver("demo.bench_urls").url_patterns}
    assert f"{yardstick.PREFIX}/0/" in bench


def test_the_yardstick_shows_the_page_s_rows(vest_training, nord_training, vest_user, client, settings) -> None:
    """The changelist of the ALIS list for Vest counts the same ALIS as the page: same rows, same filter."""
    from demo import yardstick
    from training.models import Training

    settings.ROOT_URLCONF = "demo.bench_urls"
    client.force_login(vest_user)
    url = yardstick.changelist_url("training:list", "")

    response = client.get(url)

    assert response.status_code == 200
    vest = Training.objects.visible_to(vest_user).count()
    assert response.context["cl"].result_count == vest
    assert Training.objects.count() > vest  # another region's ALIS are not among them


def test_a_page_reports_its_sql_time_size_and_yardstick(vest_training, vest_user, monkeypatch, settings) -> None:
    settings.ROOT_URLCONF = "demo.bench_urls"
    entry = pages.by_url_name()["training:list"]
    monkeypatch.setattr(benchmark, "PAGES", (benchmark.Page("ALIS-liste", "training:list", "vest", entry=entry),))
    report = benchmark.Report(database="test", scale={}, size="small", repeat=2)

    benchmark.measure(report, repeat=2, progress=lambda text: None)

    (result,) = report.pages
    assert result.queries > 0 and result.sql_ms > 0 and result.html_kb > 1
    assert result.admin_p50_ms > 0 and result.admin_queries > 0
    summary = benchmark.summary(report, against={"size": "national", "pages": [{"name": "ALIS-liste", "user": "vest",
                                                                              "p50_ms": result.p50_ms, "queries": 1}]})
    assert summary["admin"]["list_pages"] == 1
    assert summary["flat"]["ratios"]["ALIS-liste (vest)"]["ratio"] == 1.0
    assert summary["flat"]["same_queries"] == (1 if result.queries == 1 else 0)


def test_pages_can_be_chosen_by_name_user_or_url_name() -> None:
    chosen = benchmark.select_pages(["kommuner (VEST)", "grants:not_applied"])

    assert {(page.name, page.username) for page in chosen} >= {
        ("Kommuner", "vest"),
        ("Tilskudd: ALIS det ikke er søkt for", "vest"),
        ("Tilskudd: ALIS det ikke er søkt for", "koordinator"),
    }
    assert ("Kommuner", "koordinator") not in {(page.name, page.username) for page in chosen}
    assert benchmark.select_pages(["ingen slik side"]) == ()


def test_several_runs_give_each_page_the_median_of_its_figures() -> None:
    def run(p50: float, admin: float | None, failed: list[str]) -> benchmark.Report:
        result = benchmark.Result("ALIS-liste", "/alis/", "vest", p50, p50 * 2, 8, 200, sql_ms=p50 / 4,
                                  admin_p50_ms=admin)
        return benchmark.Report(database="test", scale={}, size="national", repeat=30, pages=[result], failed=failed)

    combined = benchmark.median_of([run(10.0, 20.0, []), run(30.0, None, ["x: HTTP 500"]), run(12.0, 18.0, [])])

    (result,) = combined.pages
    assert (result.p50_ms, result.p95_ms, result.sql_ms, result.admin_p50_ms) == (12.0, 24.0, 3.0, 19.0)
    assert result.queries == 8 and combined.runs == 3 and combined.failed == ["x: HTTP 500"]
    assert json.loads(benchmark.as_json(combined))["runs"] == 3


def test_a_page_is_not_timed_freeing_what_the_pages_before_it_left() -> None:
    class Cyclic:
        pass

    left_behind = Cyclic()
    left_behind.itself = left_behind  # freed only by a collection
    alive = weakref.ref(left_behind)
    del left_behind
    seen_during_request = []

    class Client:
        def get(self, url: str) -> str:
            seen_during_request.append(alive() is not None)
            return "svar"

    elapsed, clock, response = benchmark._timed(Client(), "/side/")

    assert seen_during_request == [False] and response == "svar" and clock.count == 0 and elapsed >= 0
