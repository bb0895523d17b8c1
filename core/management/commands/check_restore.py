"""`manage.py check_restore KOPI`: does a restored backup hold the same data as the app's database?"""

import dj_database_url
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections
from django.db.utils import load_backend

from core import backup

ALIAS = "restored_copy"


class Command(BaseCommand):
    help = (
        "Sammenligner appens database (originalen) med en gjenopprettet kopi: antall rader i hver tabell og en "
        "sjekksum av innholdet i appens egne tabeller. Avslutter med feilkode 1 hvis noe er ulikt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("copy", metavar="KOPI", help="Databaseadressen til kopien, f.eks. postgres://…/alis_kopi.")
        parser.add_argument(
            "--ignore",
            action="append",
            default=[],
            metavar="TABELL",
            help="En tabell som kan ha endret seg siden sikkerhetskopien ble tatt (kan gis flere ganger).",
        )

    def handle(self, *args: object, **options: object) -> None:
        given = {"default": connection.settings_dict, ALIAS: dj_database_url.parse(options["copy"])}
        settings = connections.configure_settings(given)[ALIAS]
        if settings["ENGINE"] != connection.settings_dict["ENGINE"]:
            raise CommandError("Kopien må ligge i samme slags database som originalen.")
        # A connection of its own, not one of the app's databases (DATABASES stays as it is).
        copy_connection = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, alias=ALIAS)
        try:
            copy = backup.fingerprint(copy_connection)
        finally:
            copy_connection.close()
        original = backup.fingerprint(connection)
        differences = backup.compare(original, copy)
        ignored = set(options["ignore"])
        errors = [d for d in differences if not d.volatile and d.table not in ignored]
        summed = sum(1 for f in original.values() if f.checksum)
        rows = sum(f.rows for f in original.values())
        for difference in differences:
            self.stdout.write(("  " if difference in errors else "  (ventet) ") + difference.describe())
        if errors:
            raise CommandError(f"Kopien er ikke lik originalen: {len(errors)} av {len(original)} tabeller er ulike.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Kopien er lik originalen: {len(original)} tabeller, {rows} rader; innholdet i {summed} av "
                "appens tabeller har samme sjekksum."
            )
        )
