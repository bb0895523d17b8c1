"""Running an import job: check the file into a preview, and write the confirmed preview.

Both steps run as tasks (`dataio.tasks`) so that a national list never holds a request; the job row
carries the progress the job page polls. Every job ends as done or failed (or invalid: the file has errors)
with its reason, also on an error nobody foresaw, and the uploaded file (personal data) is deleted when it
ends; `purge_files` ends what is left waiting (issue 11).
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from dataio import alis_list, gp_list
from dataio.models import ImportJob
from dataio.plan import ApplyError, Prepared, apply
from dataio.reading import FileError
from supervision import importing as supervision_import


def job_prepare(job: ImportJob) -> Prepared:
    """The job's file read and planned against the register as it is now; writes nothing but progress."""

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=done, total=total)

    if job.kind == ImportJob.Kind.GP_LIST:
        return gp_list.prepare(bytes(job.data), office=job.office, progress=progress)
    if job.kind == ImportJob.Kind.SUPERVISION:
        return supervision_import.prepare(
            bytes(job.data), filename=job.filename, office=job.office, today=timezone.localdate(), progress=progress
        )
    return alis_list.prepare(bytes(job.data), office=job.office, municipality=job.municipality, progress=progress)


logger = logging.getLogger(__name__)
ENDED = (ImportJob.Status.INVALID, ImportJob.Status.DONE, ImportJob.Status.FAILED)


def _finish(job: ImportJob, **fields: object) -> None:
    """Save the job's outcome; a job that has ended no longer keeps its file."""
    for name, value in fields.items():
        setattr(job, name, value)
    if job.status in ENDED:
        job.data = b""
    job.save()


def _unexpected(job: ImportJob) -> None:
    logger.exception("Import job %s (%s) stopped on an unexpected error", job.pk, job.kind)
    message = _(
        "Importen stoppet på en uventet feil, og ingenting er lagret. Last opp fila på nytt; "
        "skjer det igjen, si fra til en administrator."
    )
    _finish(job, status=ImportJob.Status.FAILED, message=message, finished_at=timezone.now())


def job_check(*, job: ImportJob) -> None:
    try:
        prepared = job_prepare(job)
    except FileError as error:
        _finish(job, status=ImportJob.Status.INVALID, message=str(error), plan=None)
        return
    except Exception:  # any other error ends the job too, instead of leaving it "checking" forever
        _unexpected(job)
        return
    plan = prepared.plan
    _finish(
        job,
        status=ImportJob.Status.PREVIEW if plan.is_valid else ImportJob.Status.INVALID,
        plan=plan.as_json(),
        fingerprint=plan.fingerprint(),
        progress=len(plan.rows),
        total=len(plan.rows),
        message=""
        if plan.is_valid
        else _("Fila har %d feil; ingenting kan lagres før de er rettet.") % len(plan.errors),
    )


class PlanChanged(Exception):
    """The register changed after the preview: the user must see the new preview before anything is written."""


def job_apply(*, job: ImportJob, by: User | None) -> None:
    """Plan again and write, in one transaction, only if the plan is the preview the user confirmed."""
    started = time.perf_counter()
    try:
        with transaction.atomic():
            prepared = job_prepare(job)
            if prepared.plan.fingerprint() != job.fingerprint:
                raise PlanChanged
            result = apply(prepared, by=by, mark_gone=job.mark_gone)
    except PlanChanged:
        job_check(job=job)
        message = _("Registeret er endret siden forhåndsvisningen. Se over den nye forhåndsvisningen og bekreft igjen.")
        _finish(job, message=message)
        return
    except (ApplyError, FileError) as error:
        _finish(job, status=ImportJob.Status.FAILED, message=str(error), finished_at=timezone.now())
        return
    except Exception:  # rolled back: nothing is written
        _unexpected(job)
        return
    _finish(
        job,
        status=ImportJob.Status.DONE,
        result=result,
        message="",
        finished_at=timezone.now(),
        seconds=round(time.perf_counter() - started, 2),
    )


def purge_files(*, now=None, days: int | None = None) -> int:
    """End what an import left waiting, and delete its file; the number of jobs changed.

    A preview not confirmed within IMPORT_FILE_RETENTION_DAYS of the upload fails with its file deleted (the
    register has moved on; upload again); a job still being checked after a day lost its worker and fails; the
    preview of an ended job (the file's rows, with names) goes after the same period, its counts kept.
    """
    days = settings.IMPORT_FILE_RETENTION_DAYS if days is None else days
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    jobs = ImportJob.objects.all()
    expired = jobs.filter(status=ImportJob.Status.PREVIEW, created_at__lt=cutoff).update(
        status=ImportJob.Status.FAILED,
        data=b"",
        plan=None,
        finished_at=now,
        message=_("Forhåndsvisningen ble ikke bekreftet innen %d dager, og fila er slettet. Last opp fila på nytt.")
        % days,
    )
    lost = jobs.filter(status=ImportJob.Status.CHECKING, created_at__lt=now - timedelta(days=1)).update(
        status=ImportJob.Status.FAILED,
        data=b"",
        finished_at=now,
        message=_("Kontrollen av fila ble avbrutt, og ingenting er lagret. Last opp fila på nytt."),
    )
    ended = jobs.filter(status__in=ENDED, created_at__lt=cutoff).exclude(plan=None).update(data=b"", plan=None)
    return expired + lost + ended
