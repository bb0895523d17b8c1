"""`manage.py bench`: page timings and query counts at national scale, in a throwaway database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import benchmark
from demo.seed import SIZES

RESULTS = Path(settings.BASE_DIR) / "bench" / "results.json"


class Command(BaseCommand):
    help = (
        "Måler svartid (p50/p95) og antall databasespørringer for hovedsidene med demodata i en egen, "
        "midlertidig database; din egen database røres ikke. Skriver bench/results.json."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="national", help="Demodatasett (standard national).")
        parser.add_argument("--repeat", type=int, default=30, help="Målinger per side etter oppvarming (standard 30).")
        parser.add_argument("--seed", type=int, default=2026, help="Frø for demodata (standard 2026).")
        parser.add_argument(
            "--no-small", action="store_true", help="Ikke tell spørringer på det lille datasettet til sammenligning."
        )
        parser.add_argument("--output", type=Path, default=RESULTS, help="Hvor resultatet skrives (JSON).")

    def handle(self, *args: object, **options: object) -> None:
        if options["repeat"] < 1:
            raise CommandError("--repeat må være minst 1.")
        report = benchmark.run(
            size=options["size"],
            repeat=options["repeat"],
            seed=options["seed"],
            compare_small=not options["no_small"],
            progress=self.stderr.write,
        )
        output: Path = options["output"]
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(benchmark.as_json(report), encoding="utf-8")
        self.stdout.write(benchmark.as_table(report))
        self.stdout.write(f"\nSkrevet til {output}")
        if report.failed:
            raise CommandError("Sider svarte ikke 200: " + "; ".join(report.failed))
