"""End import jobs left waiting and delete their files (IMPORT_FILE_RETENTION_DAYS, default seven days).

Safe to run as often as wanted (deploy/alis-prune.timer runs it every night); see dataio.services.purge_files.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from dataio.services import purge_files


class Command(BaseCommand):
    help = "Avslutter importer som venter, og sletter opplastede filer eldre enn IMPORT_FILE_RETENTION_DAYS."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days", type=int, help="Oppbevaringstid i dager (standard: innstillingen IMPORT_FILE_RETENTION_DAYS)."
        )

    def handle(self, *args, days: int | None = None, **options) -> None:
        if days is not None and days < 1:
            self.stderr.write("--days må være minst 1.")
            raise SystemExit(2)
        changed = purge_files(days=days)
        kept = settings.IMPORT_FILE_RETENTION_DAYS if days is None else days
        self.stdout.write(f"Ryddet {changed} importer; opplastede filer slettes etter {kept} dager.")
