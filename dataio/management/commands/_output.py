"""What both import commands print: the plan row by row, the errors, and whether anything was saved."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dataio.plan import UNCHANGED, ApplyError, Prepared, apply


def run(command: BaseCommand, prepared: Prepared, *, dry_run: bool, mark_gone: bool = False) -> None:
    plan = prepared.plan
    for row in plan.rows:
        if row.action == UNCHANGED:
            continue
        command.stdout.write(f"{row.row:>5}  {row.action_label:<12} {row.label}")
        for what, old, new in row.changes:
            command.stdout.write(f"{'':>19}{what}: «{old or '–'}» → «{new or '–'}»")
        for note in row.notes:
            command.stdout.write(f"{'':>19}{note}")
    for message in plan.errors:
        command.stderr.write(message)
    if plan.gone:
        command.stdout.write(_("Står ikke lenger på listen (%d):") % len(plan.gone))
        for name in plan.gone:
            command.stdout.write(f"  {name}")
    counts = plan.counts()
    command.stdout.write(
        _("%(create)d nye, %(change)d endres, %(unchanged)d uendret, %(skip)d hoppes over, %(error)d med feil.")
        % counts
    )
    if not plan.is_valid:
        raise CommandError(_("Fila har %d feil; ingenting er lagret.") % len(plan.errors))
    if dry_run:
        command.stdout.write(_("Prøvekjøring: ingenting er lagret."))
        return
    try:
        apply(prepared, by=None, mark_gone=mark_gone)
    except ApplyError as error:
        raise CommandError(str(error)) from error
    command.stdout.write(command.style.SUCCESS(_("Lagret.")))
