"""Running an import job: start it, check the file into a preview, write the confirmed preview, end it.

The checking and the writing run as tasks (`dataio.tasks`) so that a national list never holds a request;
the job row carries the progress the job page polls. Every way out of a task ends the job (`_end`) with a
status and, unless it was written, a Norwegian reason; the uploaded file is deleted then. See `dataio.jobs`.
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from dataio import tasks
from dataio.jobs import KINDS
from dataio.models import ImportJob
from dataio.plan import ApplyError, Prepared
from dataio.reading import FileError
from registry.models import Municipality, Office

logger = logging.getLogger(__name__)
Status = ImportJob.Status

# What the user reads when the program, not the file, failed: the details are in the log.
CHECK_FAILED = gettext_lazy(
    "Fila kunne ikke kontrolleres på grunn av en feil i programmet. Feilen er logget, og ingenting er lagret. "
    "Prøv igjen senere, eller send fila til brukerstøtte."
)
APPLY_FAILED = gettext_lazy(
    "Importen stoppet på grunn av en feil i programmet. Feilen er logget, og ingenting er lagret. "
    "Prøv igjen senere, eller send fila til brukerstøtte."
)
REGISTER_CHANGED = gettext_lazy(
    "Registeret er endret siden forhåndsvisningen. Se over den nye forhåndsvisningen og bekreft igjen."
)


def job_start(
    *,
    kind: str,
    office: Office | None,
    upload: UploadedFile,
    by: User,
    municipality: Municipality | None = None,
) -> ImportJob:
    """Keep the uploaded file in a new job and let the task worker check it."""
    job = ImportJob.objects.create(
        kind=kind,
        office=office,
        municipality=municipality,
        filename=upload.name[:255],
        data=upload.read(),
        created_by=by,
    )
    tasks.check_job.enqueue(job.pk)
    return job


def job_prepare(job: ImportJob) -> Prepared:
    """The job's file read and planned against the register as it is now; writes nothing but progress."""

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=done, total=total)

    return KINDS[job.kind].prepare(job, progress)


def _save(job: ImportJob, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()


def _end(job: ImportJob, status: str, message: str = "", **fields: object) -> None:
    """The job is over: its status and reason, and the uploaded file deleted (the report stays a while)."""
    now = timezone.now()
    _save(job, status=status, message=str(message), finished_at=now, data=b"", file_deleted_at=now, **fields)


def job_check(*, job: ImportJob) -> None:
    """Read and check the file into a preview; or end the job with the file's errors or the reason it failed."""
    try:
        prepared = job_prepare(job)
    except FileError as error:
        _end(job, Status.INVALID, str(error), plan=None)
        return
    except Exception:
        logger.exception("Import job %s (%s) could not be checked", job.pk, job.kind)
        _end(job, Status.FAILED, CHECK_FAILED, plan=None)
        return
    plan = prepared.plan
    fields = {"plan": plan.as_json(), "progress": len(plan.rows), "total": len(plan.rows)}
    if not plan.is_valid:
        count = len(plan.errors)
        message = ngettext(
            "Fila har %(count)d feil; ingenting kan lagres før den er rettet.",
            "Fila har %(count)d feil; ingenting kan lagres før de er rettet.",
            count,
        ) % {"count": count}
        _end(job, Status.INVALID, message, **fields)
        return
    _save(job, status=Status.PREVIEW, fingerprint=plan.fingerprint(), message="", **fields)


def job_confirm(*, job: ImportJob, by: User, mark_gone: bool = False) -> bool:
    """Start writing the preview; False when it is not waiting for confirmation (a second click, say)."""
    updated = ImportJob.objects.filter(pk=job.pk, status=Status.PREVIEW).update(
        status=Status.APPLYING, confirmed_by=by, confirmed_at=timezone.now(), mark_gone=mark_gone, progress=0
    )
    if updated:
        tasks.apply_job.enqueue(job.pk, by.pk)
    return bool(updated)


def job_cancel(*, job: ImportJob, by: User, now: datetime) -> bool:
    """End a preview without writing it; False when it is no longer waiting for confirmation."""
    updated = ImportJob.objects.filter(pk=job.pk, status=Status.PREVIEW).update(
        status=Status.FAILED,
        message=_("Avbrutt av %(name)s; ingenting er lagret.") % {"name": by.get_full_name() or by.username},
        data=b"",
        file_deleted_at=now,
        finished_at=now,
    )
    return bool(updated)


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
            result = KINDS[job.kind].apply(prepared, by, job)
    except (PlanChanged, IntegrityError):
        # An IntegrityError here is a row someone saved in the same moment (a unique constraint): as a change.
        job_check(job=job)
        if job.status == Status.PREVIEW:
            _save(job, message=str(REGISTER_CHANGED))
        return
    except (ApplyError, FileError) as error:
        _end(job, Status.FAILED, str(error))
        return
    except Exception:
        logger.exception("Import job %s (%s) could not be written", job.pk, job.kind)
        _end(job, Status.FAILED, APPLY_FAILED)
        return
    _end(job, Status.DONE, result=result, seconds=round(time.perf_counter() - started, 2))


# Ending what nobody ends


def jobs_clean(*, now: datetime) -> dict[str, int]:
    """End the jobs nobody finishes and delete what an ended job no longer needs. Safe to run as often as
    wanted (`manage.py clean_imports`): each step picks only the jobs still in the state it ends.

    - a job read or written for longer than `IMPORT_TIMEOUT_MINUTES` (the worker stopped, or never ran):
      «Ikke importert», nothing was written (the writing is one transaction);
    - a preview not confirmed within `IMPORT_KEEP_DAYS`: «Ikke importert», the file deleted;
    - an ended job's file, if still there: deleted; its row-by-row report after `IMPORT_KEEP_DAYS`.
    """
    timeout = now - timedelta(minutes=settings.IMPORT_TIMEOUT_MINUTES)
    keep = now - timedelta(days=settings.IMPORT_KEEP_DAYS)
    gone = {"data": b"", "file_deleted_at": now, "finished_at": now}
    stuck = ImportJob.objects.filter(status=Status.CHECKING, created_at__lt=timeout).update(
        status=Status.FAILED, message=str(_STUCK_CHECKING), **gone
    ) + ImportJob.objects.filter(status=Status.APPLYING, confirmed_at__lt=timeout).update(
        status=Status.FAILED, message=str(_STUCK_APPLYING), **gone
    )
    days = settings.IMPORT_KEEP_DAYS
    unconfirmed = ImportJob.objects.filter(status=Status.PREVIEW, created_at__lt=keep).update(
        status=Status.FAILED,
        message=ngettext(
            "Forhåndsvisningen ble ikke bekreftet innen %(days)d dag, og fila er slettet. Last opp fila på nytt.",
            "Forhåndsvisningen ble ikke bekreftet innen %(days)d dager, og fila er slettet. Last opp fila på nytt.",
            days,
        )
        % {"days": days},
        **gone,
    )
    files = ImportJob.objects.ended().filter(file_deleted_at__isnull=True).update(data=b"", file_deleted_at=now)
    reports = ImportJob.objects.ended().filter(finished_at__lt=keep, plan__isnull=False).update(plan=None)
    return {"stuck": stuck, "unconfirmed": unconfirmed, "files": files, "reports": reports}


_STUCK_CHECKING = gettext_lazy(
    "Fila ble ikke ferdig kontrollert (bakgrunnsarbeideren kan ha stoppet). Ingenting er lagret; last opp fila på nytt."
)
_STUCK_APPLYING = gettext_lazy(
    "Importen ble ikke ferdig (bakgrunnsarbeideren kan ha stoppet). Ingenting er lagret; last opp fila på nytt."
)
