"""`manage.py import_gp_list FILE --office CODE [--mark-gone] [--dry-run]`: the regular-GP list."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dataio import gp_list
from dataio.management.commands._output import run
from dataio.reading import FileError
from registry.models import Office


def read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Kan ikke lese fila «%(file)s»: %(error)s") % {"file": path, "error": error.strerror}
        ) from error


class Command(BaseCommand):
    help = _(
        "Leser fastlegelisten (Excel eller CSV) inn i kontorets region, viser endringene og lagrer alle eller ingen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--office", required=True, help=_("Kontorets kortnavn, for eksempel vest."))
        parser.add_argument("--mark-gone", action="store_true", help=_("Merk fastleger som ikke står i fila."))
        parser.add_argument("--dry-run", action="store_true", help=_("Vis endringene uten å lagre noe."))

    def handle(self, *args: object, **options: object) -> None:
        office = Office.objects.filter(code=options["office"]).first()
        if office is None:
            raise CommandError(_("Fant ikke kontoret «%s».") % options["office"])
        try:
            prepared = gp_list.prepare(read(options["file"]), office=office)
        except FileError as error:
            raise CommandError(str(error)) from error
        run(self, prepared, dry_run=options["dry_run"], mark_gone=options["mark_gone"])
