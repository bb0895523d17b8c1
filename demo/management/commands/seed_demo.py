"""`manage.py seed_demo`: a synthetic, reproducible demo data set with users for every role."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.seed import (
    DEMO_PASSWORD,
    SIZES,
    SeedError,
    demo_data_allowed,
    has_demo_data,
    real_users,
    remove_demo_data,
    seed_demo,
)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Ugyldig dato «{text}»: skriv ÅÅÅÅ-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Fyller databasen med oppdiktede demodata (legekontorer, fastleger, ALIS med historikk, "
        "veiledere, registreringer, kontaktpersoner) og demobrukere for hver rolle. Krever referansedata "
        "(manage.py load_reference)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="small",
            help="small: rask, ca. 10 %% av national (standard); 2x: dobbelt national, for ytelsesmåling.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Samme frø gir samme data (standard 2026).")
        parser.add_argument(
            "--today", type=_date, default=None, help="Referansedato for historikken, ÅÅÅÅ-MM-DD (standard: i dag)."
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--if-empty", action="store_true", help="Gjør ingenting hvis databasen allerede har demodata."
        )
        group.add_argument(
            "--replace",
            action="store_true",
            help="Slett alle leger, legekontorer, utdanningsløp, kontakter, registreringer og demobrukere først. "
            "Bare for demo- og testdatabaser.",
        )

    def handle(self, *args: object, **options: object) -> None:
        today = options["today"] or date.today()
        if isinstance(today, str):  # call_command(today="…") skips the parser
            today = _date(today)
        if not demo_data_allowed():
            message = (
                "Demodata (med demobrukernes kjente passord) lages bare i den innebygde SQLite-databasen eller "
                "når DJANGO_DEMO=1 er satt; denne databasen er gitt med DATABASE_URL."
            )
            if options["if_empty"]:
                self.stdout.write(f"{message} Ingenting gjort.")
                return
            raise CommandError(message)
        if has_demo_data():
            if options["if_empty"]:
                self.stdout.write("Demodata finnes allerede; ingenting gjort.")
                return
            if not options["replace"]:
                raise CommandError(
                    "Databasen har allerede leger, legekontorer, utdanningsløp eller demobrukere. "
                    "Bruk --if-empty for å la dem stå, eller --replace for å slette dem og lage nye demodata."
                )
            if users := real_users():
                raise CommandError(
                    f"Databasen har brukere som ikke er demobrukere ({', '.join(users[:5])}"
                    f"{' …' if len(users) > 5 else ''}); --replace sletter bare i rene demodatabaser."
                )
            remove_demo_data()
        started = time.perf_counter()
        try:
            result = seed_demo(size=options["size"], seed=options["seed"], today=today)
        except SeedError as error:
            raise CommandError(str(error)) from error
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demodata ({result.size}, frø {result.seed}, per {result.today:%d.%m.%Y}) laget på {seconds} s:"
            )
        )
        width = max(len(label) for label in result.counts)
        for label, count in result.counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>6}")
        self.stdout.write("")
        self.stdout.write(f"Demobrukere (passord for alle: {DEMO_PASSWORD}):")
        width = max(len(user.username) for user in result.users)
        for user in result.users:
            self.stdout.write(f"  {user.username:<{width}}  {user.description}")
