"""`manage.py import_alis_list FILE --municipality NUMBER [--dry-run]`: a municipality's ALIS list."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dataio import alis_list
from dataio.management.commands._output import run
from dataio.management.commands.import_gp_list import read
from dataio.reading import FileError
from registry.models import Municipality


class Command(BaseCommand):
    help = _("Leser en kommunes ALIS-liste (Excel eller CSV), viser endringene og lagrer alle eller ingen.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help=_("Kommunenummeret, for eksempel 4601."))
        parser.add_argument("--dry-run", action="store_true", help=_("Vis endringene uten å lagre noe."))

    def handle(self, *args: object, **options: object) -> None:
        municipality = (
            Municipality.objects.select_related("county__office").filter(number=options["municipality"]).first()
        )
        if municipality is None:
            raise CommandError(_("Fant ikke kommune %s.") % options["municipality"])
        try:
            prepared = alis_list.prepare(
                read(options["file"]), office=municipality.county.office, municipality=municipality
            )
        except FileError as error:
            raise CommandError(str(error)) from error
        run(self, prepared, dry_run=options["dry_run"])
