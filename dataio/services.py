"""Running an import job: check the file into a preview, and write the confirmed preview.

Both steps run as tasks (`dataio.tasks`) so that a national list never holds a request; the job row
carries the progress the job page polls.
"""

import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from dataio import alis_list, gp_list
from dataio.models import ImportJob
from dataio.plan import ApplyError, Prepared, apply
from dataio.reading import FileError


def job_prepare(job: ImportJob) -> Prepared:
    """The job's file read and planned against the register as it is now; writes nothing but progress."""

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=done, total=total)

    if job.kind == ImportJob.Kind.GP_LIST:
        return gp_list.prepare(bytes(job.data), office=job.office, progress=progress)
    return alis_list.prepare(bytes(job.data), office=job.office, municipality=job.municipality, progress=progress)


def _finish(job: ImportJob, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()


def job_check(*, job: ImportJob) -> None:
    try:
        prepared = job_prepare(job)
    except FileError as error:
        _finish(job, status=ImportJob.Status.INVALID, message=str(error), plan=None)
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
    _finish(
        job,
        status=ImportJob.Status.DONE,
        result=result,
        message="",
        finished_at=timezone.now(),
        seconds=round(time.perf_counter() - started, 2),
    )
