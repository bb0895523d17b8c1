"""`manage.py import_ssb FILE`: municipality names (KLASS 131) or centrality (KLASS 128) from SSB's CSV."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from registry import ssb


def _shown(value: object) -> str:
    return _("ukjent") if value in (None, "") else str(value)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


class Command(BaseCommand):
    help = _(
        "Leser SSBs KLASS-eksport (CSV) for kommuneinndeling (131) eller sentralitet (128), viser endringene "
        "og lagrer alle eller ingen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("CSV-fila fra SSBs KLASS."))
        parser.add_argument(
            "--classification",
            choices=[c.value for c in ssb.Classification],
            help=_("131 (kommuner) eller 128 (sentralitet); finnes ut fra innholdet når det ikke er oppgitt."),
        )
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
            plan = ssb.parse(data=data, classification=options["classification"])
        except ssb.SsbFileError as error:
            raise CommandError(_("%(file)s: %(error)s") % {"file": path.name, "error": error}) from error
        self._show(plan)
        if plan.errors:
            raise CommandError(_("Fila har %d feil; ingenting er lagret.") % len(plan.errors))
        if not plan.changes and not plan.new_municipalities:
            self.stdout.write(_("Ingenting å lagre."))
            return
        if options["dry_run"]:
            self.stdout.write(_("Prøvekjøring: ingenting er lagret."))
            return
        try:
            result = ssb.apply(plan=plan, by=None)
        except ssb.SsbApplyError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Lagret: %(updated)d kommuner endret, %(created)d opprettet.")
                % {"updated": result.updated, "created": result.created}
            )
        )

    def _show(self, plan: ssb.ImportPlan) -> None:
        kind = _("sentralitet") if plan.classification == ssb.Classification.CENTRALITY else _("kommuneinndeling")
        self.stdout.write(
            _("KLASS %(number)s (%(kind)s), tegnsett %(encoding)s.")
            % {"number": plan.classification.value, "kind": kind, "encoding": plan.encoding}
        )
        if plan.changes:
            header = (_("Nr."), _("Kommune"), _("Felt"), _("Før"), _("Etter"))
            rows = [(c.number, c.municipality, c.label, _shown(c.old), _shown(c.new)) for c in plan.changes]
            self.stdout.write("\n".join(_table([header, *rows])))
        self._section(
            _("Nye kommuner (fylket finnes; opprettes):"),
            [_("%(number)s %(name)s i %(county)s") % vars(new) for new in plan.new_municipalities],
        )
        self._section(
            _("Ukjente kommunenummer (hoppes over):"),
            [_("Rad %(row)d: %(number)s %(name)s – %(reason)s") % vars(u) for u in plan.unknown],
        )
        self._section(_("Utgåtte koder (hoppes over):"), [str(s) for s in plan.skipped])
        self._section(_("I registeret, men ikke i fila (endres ikke):"), plan.not_in_file)
        self._section(_("Feil:"), [str(e) for e in plan.errors], style=self.style.ERROR)
        self.stdout.write(
            _(
                "%(changes)d endringer i %(municipalities)d kommuner, %(new)d nye, %(unchanged)d uendret, "
                "%(unknown)d ukjente, %(errors)d feil."
            )
            % {
                "changes": len(plan.changes),
                "municipalities": plan.changed_municipalities,
                "new": len(plan.new_municipalities),
                "unchanged": plan.unchanged,
                "unknown": len(plan.unknown),
                "errors": len(plan.errors),
            }
        )

    def _section(self, title: str, lines: list[str], style: Callable[[str], str] | None = None) -> None:
        if not lines:
            return
        self.stdout.write(title, style_func=style)
        for line in lines:
            self.stdout.write(f"  {line}", style_func=style)
