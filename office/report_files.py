"""Annual reports built once per data version: the report object kept for the pages (core.dataversion.cached),
the PDF made by the task worker (0.5–0.6 s of CPU, too long to hold a web worker) and kept until the data changes.

A request asks `report_file(...)`: the file built from the current data when there is one, else a new one is
put in the task worker's queue and the page shows its progress until it is ready (office/tasks.py).
"""

import logging

from django.db import transaction
from django.utils import timezone, translation

from core import dataversion
from office import render
from office import report as rp
from office.models import ReportFile
from privacy import small_numbers
from registry.models import Office

logger = logging.getLogger(__name__)

# Formats built by the task worker rather than in the request.
OFF_REQUEST = ("pdf",)


def office_report(office: Office, year: int) -> rp.Report:
    return dataversion.cached(f"annual-report:{office.pk}:{year}", lambda: rp.build_report(office, year))


def national_report(year: int) -> rp.Report:
    return dataversion.cached(f"annual-report:national:{year}", lambda: rp.national_report(year))


def report_file(*, office: Office | None, year: int, fmt: str, suppressed: bool = False) -> ReportFile:
    """The file of the report as the data stands: the one kept, or a new one asked of the task worker.

    `suppressed`: the aggregate reader's file, with small counts of persons hidden (privacy.small_numbers).
    """
    from office.tasks import build_report_file

    language = translation.get_language()
    version = dataversion.current()
    same = ReportFile.objects.filter(office=office, year=year, fmt=fmt, language=language, suppressed=suppressed)
    kept = same.filter(data_version=version).exclude(status=ReportFile.Status.FAILED).defer("content").first()
    if kept is not None:
        return kept
    with transaction.atomic():
        same.delete()  # built from older data, or failed
        file = ReportFile.objects.create(
            office=office, year=year, fmt=fmt, language=language, suppressed=suppressed, data_version=version
        )
    build_report_file.enqueue(file.pk)
    file.refresh_from_db(fields=["status", "progress", "step"])  # a worker that runs at once is done already
    return file


def _step(file: ReportFile, progress: int, step: str) -> None:
    ReportFile.objects.filter(pk=file.pk).update(status=ReportFile.Status.RUNNING, progress=progress, step=step)


def build_file(file_id: int) -> None:
    """Build the file (in the task worker): the report's figures, then the file, its progress stored as it goes."""
    file = ReportFile.objects.select_related("office").defer("content").filter(pk=file_id).first()
    if file is None or file.status == ReportFile.Status.READY:
        return  # replaced by a newer one meanwhile, or built already
    try:
        with translation.override(file.language):
            _step(file, 10, "figures")
            built = rp.build_report(file.office, file.year) if file.office else rp.national_report(file.year)
            if file.suppressed:
                built = small_numbers.suppressed_report(built)
            _step(file, 40, "file")
            content = render.render(built, file.fmt)
    except Exception:
        logger.exception("Annual report file %s could not be built", file_id)
        ReportFile.objects.filter(pk=file.pk).update(status=ReportFile.Status.FAILED, finished_at=timezone.now())
        return
    ReportFile.objects.filter(pk=file.pk).update(
        status=ReportFile.Status.READY, progress=100, step="", content=content, finished_at=timezone.now()
    )
