"""`manage.py clean_imports`: end the import jobs nobody finishes and delete the files they no longer need."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from dataio.services import jobs_clean


class Command(BaseCommand):
    help = _(
        "Avslutter importer som har stått fast eller ikke er bekreftet i tide, og sletter opplastede filer og "
        "gamle rad-for-rad-rapporter. Trygg å kjøre ofte."
    )

    def handle(self, *args: object, **options: object) -> None:
        counts = jobs_clean(now=timezone.now())
        self.stdout.write(
            _(
                "%(stuck)d importer stod fast, %(unconfirmed)d forhåndsvisninger ble ikke bekreftet, %(files)d filer "
                "og %(reports)d rapporter er slettet."
            )
            % counts
        )
