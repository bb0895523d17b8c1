"""manage.py annual_report --office vest --year 2025 --format pdf --output rapport.pdf"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from office import render
from office.report import build_report, national_report
from registry.models import Office

NATIONAL = "alle"


class Command(BaseCommand):
    help = "Lager årsrapporten for ett ALIS-kontor og ett år (eller alle kontorene side om side med --office alle)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", required=True, help="kortnavn: nord, midt, vest, sor, ost, oslo, alle")
        parser.add_argument("--year", required=True, type=int, help="rapportåret, f.eks. 2025")
        parser.add_argument("--format", default="json", choices=render.FORMATS, dest="fmt")
        parser.add_argument("--output", help="filen rapporten skrives til (JSON går ellers til standard ut)")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="språket rapporten lages på: nb (bokmål, standard), nn (nynorsk) eller en (engelsk)",
        )

    def handle(self, *args, language: str | None = None, **options) -> None:
        # The report's headings and sentences are written when it is built, in the active language.
        with translation.override(language or settings.LANGUAGE_CODE):
            self._write(**options)

    def _write(self, *, office: str, year: int, fmt: str, output: str | None, **options) -> None:
        if not 2017 <= year <= 2100:
            raise CommandError(f"Ugyldig år: {year}.")
        if office == NATIONAL:
            report = national_report(year)
        else:
            found = Office.objects.filter(code=office).first()
            if found is None:
                codes = ", ".join(Office.objects.values_list("code", flat=True))
                raise CommandError(f"Ukjent kontor «{office}». Velg ett av: {codes}, eller «{NATIONAL}».")
            report = build_report(found, year)
        content = render.render(report, fmt)
        if output:
            with open(output, "wb") as file:
                file.write(content)
            self.stderr.write(f"Skrev {output} ({len(content)} byte).")
        elif fmt in ("json", "html"):
            self.stdout.write(content.decode("utf-8"))
        else:
            raise CommandError(f"Formatet {fmt} er binært: oppgi --output FIL.")
