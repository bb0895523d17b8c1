"""`manage.py bench`: page timings, SQL time, query counts and HTML size against the admin, in a throwaway database."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import benchmark
from demo.seed import SIZES

RESULTS = Path(settings.BASE_DIR) / "bench" / "results.json"


def default_output(size: str) -> Path:
    """bench/results.json for national size (the reference), bench/results-<size>.json for the others."""
    return RESULTS if size == "national" else RESULTS.with_name(f"results-{size}.json")


class Command(BaseCommand):
    help = (
        "Måler svartid (p50/p95), SQL-tid, antall databasespørringer og HTML-størrelse for hovedsidene, og "
        "listesidene mot Django-admin med samme rader, med demodata i en egen, midlertidig database; din egen "
        "database røres ikke. Skriver bench/results.json (national) eller bench/results-<størrelse>.json."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="national", help="Demodatasett (standard national).")
        parser.add_argument("--repeat", type=int, default=30, help="Runder over alle sider (standard 30).")
        parser.add_argument("--seed", type=int, default=2026, help="Frø for demodata (standard 2026).")
        parser.add_argument(
            "--no-small", action="store_true", help="Ikke tell spørringer på det lille datasettet til sammenligning."
        )
        parser.add_argument(
            "--output", type=Path, default=None, help="Hvor resultatet skrives (JSON; standard etter størrelsen)."
        )
        parser.add_argument(
            "--against",
            type=Path,
            default=None,
            help="Et tidligere resultat (JSON) å sammenligne svartidene med (flathet: standard bench/results.json "
            "når størrelsen ikke er national).",
        )
        parser.add_argument(
            "--pages",
            action="append",
            metavar="TEKST",
            help="Mål bare sidene der «navn (bruker)» eller URL-navnet inneholder teksten (kan gis flere ganger). "
            "Resultatet skrives da bare til --output, om det er gitt.",
        )
        parser.add_argument(
            "--runs",
            type=int,
            default=1,
            help="Med --compare: mål så mange ganger på de samme databasene og ta medianen (standard 1).",
        )
        parser.add_argument(
            "--compare",
            choices=list(SIZES),
            default=None,
            help="Mål også denne størrelsen, i en egen database, med rundene annenhver (flathet: f.eks. --compare 2x). "
            "Skriver begge resultatene.",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["repeat"] < 1:
            raise CommandError("--repeat må være minst 1.")
        if options["runs"] < 1:
            raise CommandError("--runs må være minst 1.")
        if options["pages"]:
            chosen = benchmark.select_pages(options["pages"])
            if not chosen:
                raise CommandError("Ingen sider passer til --pages.")
            benchmark.PAGES = chosen
        if options["compare"]:
            self.compare(options)
            return
        report = benchmark.run(
            size=options["size"],
            repeat=options["repeat"],
            seed=options["seed"],
            compare_small=not options["no_small"],
            progress=self.stderr.write,
        )
        if options["pages"] and not options["output"]:  # a few pages never overwrite the whole run's results
            self.stdout.write(benchmark.as_table(report))
            if report.failed:
                raise CommandError("Sider svarte ikke 200: " + "; ".join(report.failed))
            return
        output: Path = options["output"] or default_output(options["size"])
        against_path = options["against"] or (RESULTS if options["size"] != "national" else None)
        against = None
        if against_path is not None and against_path.exists() and against_path != output:
            against = json.loads(against_path.read_text(encoding="utf-8"))
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(benchmark.as_json(report, against), encoding="utf-8")
        self.stdout.write(benchmark.as_table(report))
        self.stdout.write(f"\nSkrevet til {output}")
        if report.failed:
            raise CommandError("Sider svarte ikke 200: " + "; ".join(report.failed))

    def compare(self, options: dict) -> None:
        size, other = options["size"], options["compare"]
        if size == other:
            raise CommandError("--compare må være en annen størrelse enn --size.")
        base, grown = benchmark.compare(
            size=size,
            other=other,
            repeat=options["repeat"],
            seed=options["seed"],
            progress=self.stderr.write,
            runs=options["runs"],
        )
        if options["pages"] and not options["output"]:  # a few pages never overwrite the whole run's results
            for report in (base, grown):
                self.stdout.write(benchmark.as_table(report) + "\n")
            if base.failed + grown.failed:
                raise CommandError("Sider svarte ikke 200: " + "; ".join(base.failed + grown.failed))
            return
        base_output: Path = options["output"] or default_output(size)
        base_json = benchmark.as_json(base)
        base_output.parent.mkdir(parents=True, exist_ok=True)
        base_output.write_text(base_json, encoding="utf-8")
        other_output = default_output(other)
        if other_output == base_output:
            other_output = base_output.with_name(f"{base_output.stem}-{other}.json")
        other_output.write_text(benchmark.as_json(grown, json.loads(base_json)), encoding="utf-8")
        for report in (base, grown):
            self.stdout.write(benchmark.as_table(report) + "\n")
        flat = benchmark.summary(grown, json.loads(base_json))["flat"]
        self.stdout.write(
            f"Flathet ({other} mot {size}): {flat['within']} av {flat['pages']} sider innen {benchmark.FLAT_TARGET}×, "
            f"{flat['same_queries']} med like mange spørringer"
        )
        for page, row in list(flat["ratios"].items())[:12]:
            self.stdout.write(f"  {row['ratio']:.2f}×  {row['queries']:>9}  {page}")
        self.stdout.write(f"\nSkrevet til {base_output} og {other_output}")
        failed = base.failed + grown.failed
        if failed:
            raise CommandError("Sider svarte ikke 200: " + "; ".join(failed))
