"""Files built from the data by the task worker (core.generated_files), never inside the request that asks."""

from django.tasks import task

from core import generated_files


@task
def build_generated_file(file_id: int) -> None:
    generated_files.build_file(file_id)
