"""The kinds of import job, and how each plans its file and writes the confirmed plan.

Every import in the app is an `ImportJob` and takes the same path, so that each one always ends:

    upload (a form page; `UploadForm` checks the size) → `services.job_start` → the task worker reads and
    checks the file (`services.job_check`) → the job page shows the preview row by row → «Bekreft og lagre»
    → the task worker plans again and writes all or nothing (`services.job_apply`) → «Importert».

A job that can not go on ends with a Norwegian reason: «Har feil» (the file's own errors, row by row) or
«Ikke importert» (anything else, including a bug: the error is logged, nothing is written, and the user
gets a message rather than a page that spins forever). The uploaded file is deleted when the job ends,
and `manage.py clean_imports` ends what nobody finishes (see `services.jobs_clean`).

A new kind of import (SSB's classifications, say) is one entry in `KINDS`:

- `prepare(job, progress)` reads `job.data` into a `dataio.plan.Prepared`: the `Plan` a person reads (rows
  created, changed, skipped or in error, with notes) and the steps that write it. It raises
  `dataio.reading.FileError` with a message for a file that can not be read, and calls `progress(done,
  total)` now and then. `dataio.reading.read_table` reads CSV and Excel as people send them.
- `apply(prepared, by, job)` writes it (default: `dataio.plan.apply`, every step in one transaction with
  history) and returns the counts the job page shows (`created`, `changed`, `skipped`, `gone`).
- `upload_url` names the page that uploads it, where the job page's «Last opp en ny fil» leads.
- `national=True` for reference data with no region: the job has no office, and those who edit reference
  data upload, see and confirm it (`dataio.views.may_confirm`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from dataio import alis_list, gp_list, sessions
from dataio.models import ImportJob
from dataio.plan import Prepared, apply

Progress = Callable[[int, int], None]


def _apply(prepared: Prepared, by: User | None, job: ImportJob) -> dict[str, int]:
    return apply(prepared, by=by, mark_gone=job.mark_gone)


@dataclass(frozen=True)
class JobKind:
    label: str | Promise
    prepare: Callable[[ImportJob, Progress], Prepared]
    upload_url: str
    apply: Callable[[Prepared, User | None, ImportJob], dict[str, int]] = _apply
    national: bool = False


KINDS: dict[str, JobKind] = {
    ImportJob.Kind.GP_LIST: JobKind(
        ImportJob.Kind.GP_LIST.label,
        lambda job, progress: gp_list.prepare(bytes(job.data), office=job.office, progress=progress),
        "dataio:gp_list_upload",
    ),
    ImportJob.Kind.ALIS_LIST: JobKind(
        ImportJob.Kind.ALIS_LIST.label,
        lambda job, progress: alis_list.prepare(
            bytes(job.data), office=job.office, municipality=job.municipality, progress=progress
        ),
        "dataio:alis_list_upload",
    ),
    ImportJob.Kind.SUPERVISION_SESSIONS: JobKind(
        ImportJob.Kind.SUPERVISION_SESSIONS.label,
        lambda job, progress: sessions.prepare(bytes(job.data), office=job.office, progress=progress),
        "dataio:session_upload",
    ),
}


def kind_label(kind: str) -> str:
    found = KINDS.get(kind)
    return str(found.label) if found else str(_("Ukjent import (%(kind)s)") % {"kind": kind})
