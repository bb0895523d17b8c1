"""`manage.py load_grant_rates`: the scheme "Nasjonal ALIS og veiledning" and its (unverified) rate table."""

from django.core.management.base import BaseCommand, CommandError

from grants.rates import RateFileError, load_rates


class Command(BaseCommand):
    help = (
        "Oppretter tilskuddsordningen «Nasjonal ALIS og veiledning» og satsperioden fra grants/data/. "
        "Idempotent: en periode som finnes, blir stående slik koordinatoren har den."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            period, created = load_rates()
        except RateFileError as error:
            raise CommandError(str(error)) from error
        state = "opprettet" if created else "fantes allerede"
        checked = "kontrollert" if period.verified else "IKKE KONTROLLERT"
        self.stdout.write(f"Satsperiode {period.label} {state} ({checked}).")
