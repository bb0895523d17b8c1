"""The task worker's part of an import job: checking the file and writing the confirmed preview.

Each task ends the job whatever happens (`dataio.services`); none raises to the worker.
"""

from django.tasks import task

from accounts.models import User
from dataio.models import ImportJob


def _job(job_id: int) -> ImportJob | None:
    return ImportJob.objects.select_related("office", "municipality__county").filter(pk=job_id).first()


@task
def check_job(job_id: int) -> None:
    from dataio import services

    if (job := _job(job_id)) is not None and job.status == ImportJob.Status.CHECKING:
        services.job_check(job=job)


@task
def apply_job(job_id: int, user_id: int | None) -> None:
    from dataio import services

    if (job := _job(job_id)) is not None and job.status == ImportJob.Status.APPLYING:
        services.job_apply(job=job, by=User.objects.filter(pk=user_id).first())
