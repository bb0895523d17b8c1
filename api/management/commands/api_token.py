"""`manage.py api_token --user USERNAME --name NAME [--days N]`: a new personal API token, printed once."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from api.tokens import DEFAULT_DAYS, MAX_DAYS, token_create


class Command(BaseCommand):
    help = "Lager en personlig API-nøkkel for en bruker og skriver den ut (den vises bare denne ene gangen)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Brukernavnet nøkkelen skal handle som.")
        parser.add_argument("--name", required=True, help="Hva nøkkelen brukes til.")
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"Gyldig i antall dager, 1 til {MAX_DAYS} (standard {DEFAULT_DAYS}).",
        )

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Fant ingen bruker «{options['user']}».")
        if not user.is_active:
            raise CommandError(f"Brukeren «{user.username}» er deaktivert.")
        if not 1 <= options["days"] <= MAX_DAYS:
            raise CommandError(f"--days må være fra 1 til {MAX_DAYS}.")
        name = options["name"].strip()[:100]
        if not name:
            raise CommandError("--name kan ikke være tomt.")
        _row, token = token_create(user=user, name=name, days=options["days"])
        self.stdout.write(token)
