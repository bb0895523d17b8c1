from django.core.management.commands.migrate import Command as MigrateCommand

from accounts.adoption import adopt_user_table


class Command(MigrateCommand):
    """Django's migrate, first adopting a user table made before the model moved to accounts."""

    def handle(self, *args, **options):
        if adopt_user_table(options["database"]):
            self.stdout.write("Brukertabellen er flyttet til appen accounts (bare i migreringshistorikken).")
        return super().handle(*args, **options)
