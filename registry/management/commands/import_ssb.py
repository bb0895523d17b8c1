"""`manage.py import_ssb FILE`: a file from SSB, read and saved as the upload page does (registry.services).

KLASS 131 (municipality names), KLASS 131's changes (municipality numbers), KLASS 128 (centrality) or
the statistics bank's table 12005 (regular-GP lists per municipality and year).
"""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from registry import services, ssb, statbank
from registry.models import SsbImport


def _shown(value: object) -> str:
    return _("ukjent") if value in (None, "") else str(value)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


class Command(BaseCommand):
    help = _(
        "Leser en fil fra SSB: KLASS 131 (kommuner og endrede kommunenummer), KLASS 128 (sentralitet) eller "
        "tabell 12005 (fastlegelister), viser endringene og lagrer alle eller ingen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("Fila fra SSB (CSV, eller JSON-stat for tabell 12005)."))
        parser.add_argument(
            "--classification",
            choices=[kind.value for kind in SsbImport.Kind],
            help=_(
                "131 (kommuner), 131-changes (endrede kommunenummer), 128 (sentralitet) eller 12005 "
                "(fastlegelister); finnes ut fra innholdet når det ikke er oppgitt."
            ),
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
            reading = services.ssb_read(data=data, kind=options["classification"] or "")
        except ssb.SsbFileError as error:
            raise CommandError(_("%(file)s: %(error)s") % {"file": path.name, "error": error}) from error
        plan = reading.plan
        if isinstance(plan, statbank.StatbankPlan):
            self._show_statistics(plan)
        else:
            self._show(plan)
        if plan.errors:
            raise CommandError(_("Fila har %d feil; ingenting er lagret.") % len(plan.errors))
        if not plan.has_writes:
            self.stdout.write(_("Ingenting å lagre."))
            return
        if options["dry_run"]:
            self.stdout.write(_("Prøvekjøring: ingenting er lagret."))
            return
        upload = services.ssb_import_upload(filename=path.name, data=data, kind=reading.kind, by=None)
        try:
            upload = services.ssb_import_confirm(upload=upload, fingerprint=plan.fingerprint(), by=None)
        except (ssb.SsbApplyError, services.PreviewChanged) as error:
            raise CommandError(str(error) or _("Registeret ble endret mens fila ble lest; kjør på nytt.")) from error
        self.stdout.write(self.style.SUCCESS(self._saved(upload.result)))

    def _saved(self, result: dict) -> str:
        if "municipality_years" in result:
            return _("Lagret: tall for %(n)d kommuner og år (%(new)d nye).") % {
                "n": result["municipality_years"],
                "new": result["new"],
            }
        if result["recorded"]:
            return _("Lagret: %(renumbered)d kommuner har fått nytt nummer, %(recorded)d endringer registrert.") % {
                "renumbered": result["renumbered"],
                "recorded": result["recorded"],
            }
        return _("Lagret: %(updated)d kommuner endret, %(created)d opprettet.") % {
            "updated": result["updated"],
            "created": result["created"],
        }

    def _show(self, plan: ssb.ImportPlan) -> None:
        if plan.is_number_changes:
            kind = _("endrede kommunenummer")
        elif plan.classification == ssb.Classification.CENTRALITY:
            kind = _("sentralitet")
        else:
            kind = _("kommuneinndeling")
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
            _("Endrede kommunenummer:"),
            [
                (_("%(old)s → %(new)s %(name)s: nytt nummer") if n.renumber else _("%(old)s → %(new)s %(name)s"))
                % {"old": n.old_number, "new": n.new_number, "name": n.new_name}
                for n in plan.number_changes
            ],
        )
        self._section(
            _("Ukjente eller ikke entydige kommunenummer (hoppes over):"),
            [_("Rad %(row)d: %(number)s %(name)s – %(reason)s") % vars(u) for u in plan.unknown],
        )
        self._section(_("Utgåtte koder (hoppes over):"), [str(s) for s in plan.skipped])
        self._section(_("I registeret, men ikke i fila (endres ikke):"), plan.not_in_file)
        self._section(_("Feil:"), [str(e) for e in plan.errors], style=self.style.ERROR)
        self.stdout.write(
            _(
                "%(changes)d endringer i %(municipalities)d kommuner, %(new)d nye, %(numbers)d endrede nummer, "
                "%(unchanged)d uendret, %(unknown)d ukjente, %(errors)d feil."
            )
            % {
                "changes": len(plan.changes),
                "municipalities": plan.changed_municipalities,
                "new": len(plan.new_municipalities),
                "numbers": len(plan.number_changes),
                "unchanged": plan.unchanged,
                "unknown": len(plan.unknown),
                "errors": len(plan.errors),
            }
        )

    def _show_statistics(self, plan: statbank.StatbankPlan) -> None:
        self.stdout.write(
            _("SSB-tabell 12005 (%(shape)s), tegnsett %(encoding)s, år %(years)s.")
            % {"shape": plan.shape, "encoding": plan.encoding, "years": ", ".join(map(str, plan.years))}
        )
        if plan.changes:
            header = (_("Nr."), _("Kommune"), _("År"), _("Tall"), _("Før"), _("Etter"))
            rows = [
                (c.number, c.municipality, str(c.year), c.label, _shown(c.old), _shown(c.new)) for c in plan.changes
            ]
            self.stdout.write("\n".join(_table([header, *rows])))
        self._section(_("Ukjente kommunenummer (hoppes over):"), [u.number for u in plan.unknown])
        self._section(_("Variabler som ikke brukes:"), plan.ignored_variables)
        self._section(_("Feil:"), [str(e) for e in plan.errors], style=self.style.ERROR)
        self.stdout.write(
            _(
                "%(values)d tall endret for %(changed)d kommuner og år (%(new)d nye), %(unchanged)d uendret, "
                "%(missing)d tall mangler hos SSB, %(unknown)d ukjente kommunenummer, %(errors)d feil."
            )
            % {
                "values": len(plan.changes),
                "changed": plan.changed_municipalities,
                "new": plan.new_rows,
                "unchanged": plan.unchanged,
                "missing": plan.unknown_values,
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
