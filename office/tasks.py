"""Annual report files, built by the task worker and never inside the request that asked for them."""

from django.tasks import task

from office import report_files


@task
def build_report_file(file_id: int) -> None:
    report_files.build_file(file_id)
