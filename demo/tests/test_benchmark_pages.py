"""The benchmark measures the pages of the page catalogue, and fails on a page the URL conf lacks."""

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
