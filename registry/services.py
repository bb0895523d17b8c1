"""Writes of the register that touch several records: the SSB imports, from upload to confirmation.

An SSB file (KLASS 131 or 128, KLASS 131's changes, or table 12005) is kept as an `SsbImport` between
the preview and the confirmation. SSB's files are small (KLASS 131 is about 30 kB, table 12005 for every
municipality a few MB) and read in well under a second, so both steps run in the request: there is no
background job that could be left unfinished. The preview is read again, against the register as it is,
whenever it is shown; the confirmation writes only if what it would write is what the coordinator saw.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from registry import ssb, statbank
from registry.models import SsbImport

Kind = SsbImport.Kind
Plan = ssb.ImportPlan | statbank.StatbankPlan


class PreviewChanged(Exception):
    """The register changed after the preview: the coordinator must see the new one before anything is saved."""


@dataclass(frozen=True)
class Reading:
    kind: str
    plan: Plan


def ssb_read(*, data: bytes, kind: str = "") -> Reading:
    """Read a file from SSB as `kind` (found from the content when empty); raises ssb.SsbFileError."""
    if kind == Kind.GP_LISTS or (not kind and statbank.looks_like_table(data)):
        return Reading(Kind.GP_LISTS, statbank.parse(data=data))
    classification = {Kind.CENTRALITY: "128", Kind.MUNICIPALITIES: "131", Kind.NUMBER_CHANGES: "131"}.get(kind)
    plan = ssb.parse(data=data, classification=classification)
    if plan.classification == ssb.Classification.CENTRALITY:
        found = Kind.CENTRALITY
    else:
        found = Kind.NUMBER_CHANGES if plan.is_number_changes else Kind.MUNICIPALITIES
    if kind and kind != found:
        message = _("Fila inneholder %(found)s, ikke %(wanted)s.")
        raise ssb.SsbFileError(message % {"found": Kind(found).label, "wanted": Kind(kind).label})
    return Reading(found, plan)


def _status(plan: Plan) -> str:
    if plan.errors:
        return SsbImport.Status.INVALID
    return SsbImport.Status.PREVIEW if plan.has_writes else SsbImport.Status.NOTHING


def ssb_import_upload(*, filename: str, data: bytes, kind: str, by: User | None) -> SsbImport:
    """Keep the file and read it once, for its status; nothing of the register is written."""
    upload = SsbImport(filename=filename[:255], data=data, created_by=by, kind=kind)
    try:
        reading = ssb_read(data=data, kind=kind)
    except ssb.SsbFileError as error:
        upload.status, upload.message = SsbImport.Status.INVALID, str(error)
    else:
        upload.kind, upload.encoding, upload.status = reading.kind, reading.plan.encoding, _status(reading.plan)
        if reading.plan.errors:
            upload.message = _("Fila har %d feil; ingenting kan lagres før de er rettet.") % len(reading.plan.errors)
    upload.save()
    return upload


def _source(upload: SsbImport) -> str:
    """Where a class imported from the file came from, as stored beside the class."""
    return _("SSB, KLASS 128: fila «%(file)s», importert %(day)s") % {
        "file": upload.filename,
        "day": f"{timezone.localdate():%d.%m.%Y}",
    }


def _changes(plan: ssb.ImportPlan) -> list[list[str]]:
    shown = [[c.number, c.municipality, c.label, str(c.old or ""), str(c.new or "")] for c in plan.changes]
    shown += [[m.number, m.name, _("ny kommune"), "", m.county] for m in plan.new_municipalities]
    shown += [[n.new_number, n.new_name, _("kommunenummer"), n.old_number, n.new_number] for n in plan.number_changes]
    return shown


def ssb_import_confirm(*, upload: SsbImport, fingerprint: str, by: User | None) -> SsbImport:
    """Write what the preview showed, with history, or nothing: PreviewChanged when the register moved on.

    Raises ssb.SsbApplyError (nothing saved) when the file has errors or a record changed meanwhile.
    """
    with transaction.atomic():
        upload = SsbImport.objects.select_for_update().get(pk=upload.pk)
        if upload.status != SsbImport.Status.PREVIEW:
            raise ssb.SsbApplyError(_("Denne fila er ikke klar til å bekreftes (%s).") % upload.get_status_display())
        plan = ssb_read(data=bytes(upload.data), kind=upload.kind).plan
        if plan.fingerprint() != fingerprint:
            raise PreviewChanged
        if isinstance(plan, statbank.StatbankPlan):
            written = statbank.apply(plan=plan, by=by, source=upload)
            result = {
                "municipality_years": written,
                "new": plan.new_rows,
                "values": len(plan.changes),
                "years": plan.years,
                "municipalities": plan.municipalities,
            }
        else:
            applied = ssb.apply(plan=plan, by=by, source=_source(upload))
            result = {
                "updated": applied.updated,
                "created": applied.created,
                "renumbered": applied.renumbered,
                "recorded": applied.recorded,
                "changes": _changes(plan),
            }
        upload.status, upload.result, upload.message = SsbImport.Status.DONE, result, ""
        upload.confirmed_by, upload.confirmed_at = by, timezone.now()
        upload.save(update_fields=["status", "result", "message", "confirmed_by", "confirmed_at"])
    return upload
