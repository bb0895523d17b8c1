"""Files built from the data by the task worker, never inside the request that asks for them, and kept until the
data changes: the annual report PDF (office.report_files), the course certificate (courses.certificates).

A request asks `kept_or_queued(kind, args)`: the file built from the current data when there is one, else a new
one put in the task worker's queue (core.tasks). `file_response` serves the file when it is ready, else a page
that shows its progress; the page polls `generated_file_status` until the file is ready.

Each kind is a module with two functions:
- `build(args, step) -> bytes`: builds the file (in the worker); `step(percent, name)` stores its progress,
  `name` one of STEPS;
- `follow(request, file) -> dict`: who may follow the file (raises Http404/PermissionDenied as the page that
  asks for it does) and what its progress page shows: `title`, `name` (above the title), `download_url`,
  `breadcrumbs`.
"""

import json
import logging
from collections.abc import Callable
from importlib import import_module
from types import ModuleType

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation

from core import tableversions
from core.models import GeneratedFile

logger = logging.getLogger(__name__)

KINDS = {"annual-report": "office.report_files", "certificate": "courses.certificates"}

# What the worker is doing, shown on the progress page (core/_generated_file_status.html).
STEPS = ("figures", "data", "file")

Step = Callable[[int, str], None]


def _kind(name: str) -> ModuleType:
    return import_module(KINDS[name])


def key_of(args: dict) -> str:
    """The file's `key`: its arguments as JSON, the same text whatever their order."""
    return json.dumps(args, sort_keys=True)


def _day() -> str:
    return f"{timezone.localdate():%Y-%m-%d}"


def is_current(file: GeneratedFile) -> bool:
    """Whether the file was built today from the data as it is now: no table it was read from written to since
    (core.tableversions: also writes made outside the forms). A file not yet built has no version."""
    day, _, mark = file.data_version.partition("|")
    return day == _day() and tableversions.unchanged_since(mark)


def kept_or_queued(kind: str, args: dict) -> GeneratedFile:
    """The file of `kind` for `args` as the data stands: the one kept, or a new one asked of the task worker."""
    from core.tasks import build_generated_file

    key = key_of(args)
    language = translation.get_language()
    same = GeneratedFile.objects.filter(kind=kind, key=key, language=language)
    for kept in same.exclude(status=GeneratedFile.Status.FAILED).defer("content"):
        # One asked for and not built yet reads the data when the worker builds it.
        if kept.status != GeneratedFile.Status.READY or is_current(kept):
            return kept
    with transaction.atomic():
        same.delete()  # built from older data, or failed
        # Files of older data are never served again: gone with it (a certificate holds a name). Those still in
        # the worker's hands stay until it has done, so that a page following one does not lose it.
        finished = GeneratedFile.objects.filter(status__in=(GeneratedFile.Status.READY, GeneratedFile.Status.FAILED))
        older = [file.pk for file in finished.only("data_version") if not is_current(file)]
        GeneratedFile.objects.filter(pk__in=older).delete()
        file = GeneratedFile.objects.create(kind=kind, key=key, language=language)
    build_generated_file.enqueue(file.pk)
    file.refresh_from_db(fields=["status", "progress", "step"])  # a worker that runs at once is done already
    return file


def build_file(file_id: int) -> None:
    """Build the file (in the task worker), its progress stored as it goes."""
    file = GeneratedFile.objects.defer("content").filter(pk=file_id).first()
    if file is None or file.status == GeneratedFile.Status.READY:
        return  # replaced by a newer one meanwhile, or built already

    def step(progress: int, name: str) -> None:
        GeneratedFile.objects.filter(pk=file.pk).update(
            status=GeneratedFile.Status.RUNNING, progress=progress, step=name
        )

    day = _day()
    with tableversions.reading() as read:
        try:
            with translation.override(file.language):
                content = _kind(file.kind).build(json.loads(file.key), step)
        except Exception:
            logger.exception("Generated file %s (%s) could not be built", file_id, file.kind)
            content = None
    # Kept (or its failure shown) by the tables the build read, with their counters from before it began; its
    # progress is not data.
    version = f"{day}|{tableversions.mark_of_reading(read, leaving=[GeneratedFile._meta.db_table])}"
    finished = {"finished_at": timezone.now(), "data_version": version}
    if content is None:
        GeneratedFile.objects.filter(pk=file.pk).update(status=GeneratedFile.Status.FAILED, **finished)
        return
    GeneratedFile.objects.filter(pk=file.pk).update(
        status=GeneratedFile.Status.READY, progress=100, step="", content=content, **finished
    )


def _context(request: HttpRequest, file: GeneratedFile) -> dict:
    return {
        "file": file,
        "status_url": reverse("generated_file_status", args=[file.pk]),
        **_kind(file.kind).follow(request, file),
    }


def file_response(
    request: HttpRequest, file: GeneratedFile, *, filename: str, content_type: str = "application/pdf"
) -> HttpResponse:
    """The file when the task worker has built it from the current data; else a page that shows its progress."""
    if file.status == GeneratedFile.Status.READY:
        file.refresh_from_db(fields=["content"])
        response = HttpResponse(bytes(file.content), content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
    return render(request, "core/generated_file.html", _context(request, file))


def generated_file_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a file being built (polled by its page), or the link to it once it is ready."""
    file = get_object_or_404(GeneratedFile.objects.defer("content"), pk=pk)
    if file.kind not in KINDS:
        raise Http404
    return render(request, "core/_generated_file_status.html", _context(request, file))


def args_of(file: GeneratedFile) -> dict:
    return json.loads(file.key)
