"""`manage.py load_reference`: the offices, counties and municipalities shipped in registry/data."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from registry.reference import MUNICIPALITIES_CSV, OFFICES_CSV, Counts, ReferenceDataError, load_reference


def _counts(label: str, counts: Counts) -> str:
    return _("  %(label)s: %(created)d nye, %(updated)d endret, %(unchanged)d uendret") % {
        "label": label,
        "created": counts.created,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
    }


class Command(BaseCommand):
    help = _("Laster ALIS-kontorer, fylker og kommuner fra referansefilene; endrer bare det som er annerledes.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", type=Path, default=MUNICIPALITIES_CSV, help=_("Kommunefila (CSV)."))
        parser.add_argument("--offices", type=Path, default=OFFICES_CSV, help=_("Kontorfila (CSV)."))

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        try:
            result = load_reference(csv_path=options["csv"], offices_path=options["offices"])
        except (OSError, ReferenceDataError) as error:
            raise CommandError(_("Kunne ikke laste referansedata: %s") % error) from error
        seconds = f"{time.perf_counter() - started:.2f}".replace(".", ",")
        if not result.changed:
            self.stdout.write(
                _(
                    "Ingen endringer i referansedata (%(municipalities)d kommuner, %(counties)d fylker, "
                    "%(offices)d kontorer; %(seconds)s s)."
                )
                % {
                    "municipalities": result.municipalities.unchanged,
                    "counties": result.counties.unchanged,
                    "offices": result.offices.unchanged,
                    "seconds": seconds,
                }
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Referansedata lastet (%s s):") % seconds))
            self.stdout.write(_counts(_("ALIS-kontorer"), result.offices))
            self.stdout.write(_counts(_("Fylker"), result.counties))
            self.stdout.write(_counts(_("Kommuner"), result.municipalities))
        for county in result.kept_county_offices:
            self.stdout.write(_("  Beholdt kontoret koordinatoren har valgt for %s.") % county)
