"""Annual reports built once per data version: the report object kept for the pages (core.tableversions.kept),
the PDF made by the task worker (0.5–0.6 s of CPU, too long to hold a web worker) and kept until the data changes.

A request asks `report_file(...)`: the file built from the current data when there is one, else a new one is
put in the task worker's queue and the page shows its progress until it is ready (core.generated_files, whose
kind "annual-report" this module is: `build` and `follow`).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import generated_files, tableversions
from core.models import GeneratedFile
from core.navigation import crumbs
from office import render
from office import report as rp
from privacy import small_numbers
from registry.models import Office

KIND = "annual-report"

# Formats built by the task worker rather than in the request.
OFF_REQUEST = ("pdf",)


def office_report(office: Office, year: int) -> rp.Report:
    """The office's report for the year (its figures count «now» from today): kept until a table it was read from,
    or one the request read before (the office), is written to."""
    key = f"annual-report:{office.pk}:{year}:{timezone.localdate()}"
    return tableversions.kept(key, lambda: rp.build_report(office, year), also=tableversions.so_far())


def national_report(year: int) -> rp.Report:
    key = f"annual-report:national:{year}:{timezone.localdate()}"
    return tableversions.kept(key, lambda: rp.national_report(year), also=tableversions.so_far())


def report_file(*, office: Office | None, year: int, fmt: str, suppressed: bool = False) -> GeneratedFile:
    """The file of the report as the data stands: the one kept, or a new one asked of the task worker.

    `suppressed`: the aggregate reader's file, with small counts of persons hidden (privacy.small_numbers).
    """
    args = {"office": office.pk if office else None, "year": year, "fmt": fmt, "suppressed": suppressed}
    return generated_files.kept_or_queued(KIND, args)


def build(args: dict, step: generated_files.Step) -> bytes:
    """Build the file (in the task worker): the report's figures, then the file."""
    office = Office.objects.get(pk=args["office"]) if args["office"] else None
    step(10, "figures")
    built = rp.build_report(office, args["year"]) if office else rp.national_report(args["year"])
    if args["suppressed"]:
        built = small_numbers.suppressed_report(built)
    step(40, "file")
    return render.render(built, args["fmt"])


def follow(request: HttpRequest, file: GeneratedFile) -> dict:
    """Who may follow the file (as who may download the report) and what its progress page shows."""
    from office.views import _report_office

    args = generated_files.args_of(file)
    year, fmt = args["year"], args["fmt"]
    if args["office"]:
        office = get_object_or_404(Office, pk=args["office"])
        _report_office(request.user, office.code)
        download = reverse("office:report_download", args=[office.code, year, fmt])
        report = reverse("office:report", args=[office.code, year])
        name = office.name
    else:
        if request.user.reads_personal_data and not request.user.sees_all_regions:
            raise PermissionDenied
        download = reverse("office:report_national_download", args=[year, fmt])
        report = reverse("office:report_national", args=[year])
        name = _("Alle ALIS-kontorer")
    return {
        "title": _("Årsrapport %(year)s som %(fmt)s") % {"year": year, "fmt": fmt.upper()},
        "name": name,
        "download_url": download,
        "breadcrumbs": crumbs((_("Årsrapport %(year)s") % {"year": year}, report), fmt.upper()),
    }
