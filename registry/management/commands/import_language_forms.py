"""`manage.py import_language_forms FILE`: the municipalities' målform from Språkrådet's list (CSV)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from registry import language_forms


class Command(BaseCommand):
    help = _(
        "Leser kommunenes målvedtak (CSV med kommunenummer og målform: nynorsk, bokmål eller nøytral), viser "
        "endringene og lagrer alle eller ingen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("CSV-fila med kommunenes målvedtak."))
        parser.add_argument("--dry-run", action="store_true", help=_("Vis endringene uten å lagre noe."))

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Kan ikke lese fila «%(file)s»: %(error)s") % {"file": path, "error": error.strerror}
            ) from error
        try:
            plan = language_forms.parse(data=data)
        except language_forms.LanguageFormFileError as error:
            raise CommandError(_("%(file)s: %(error)s") % {"file": path.name, "error": error}) from error
        for change in plan.changes:
            self.stdout.write(f"  {change}")
        for error in plan.errors:
            self.stdout.write(f"  {error}", style_func=self.style.ERROR)
        self.stdout.write(
            _("%(changes)d endringer, %(unchanged)d uendret, %(blank)d uten målform, %(errors)d feil.")
            % {
                "changes": len(plan.changes),
                "unchanged": plan.unchanged,
                "blank": plan.blank,
                "errors": len(plan.errors),
            }
        )
        if plan.errors:
            raise CommandError(_("Fila har %d feil; ingenting er lagret.") % len(plan.errors))
        if not plan.changes:
            self.stdout.write(_("Ingenting å lagre."))
            return
        if options["dry_run"]:
            self.stdout.write(_("Prøvekjøring: ingenting er lagret."))
            return
        try:
            changed = language_forms.apply(plan=plan, by=None)
        except language_forms.LanguageFormApplyError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(_("Lagret: målformen til %d kommuner.") % changed))
