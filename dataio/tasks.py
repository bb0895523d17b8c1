from django.tasks import task

from accounts.models import User
from dataio import services
from dataio.models import ImportJob


@task
def check_job(job_id: int) -> None:
    services.job_check(job=ImportJob.objects.select_related("office", "municipality__county").get(pk=job_id))


@task
def apply_job(job_id: int, user_id: int | None) -> None:
    job = ImportJob.objects.select_related("office", "municipality__county").get(pk=job_id)
    services.job_apply(job=job, by=User.objects.filter(pk=user_id).first())
