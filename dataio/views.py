from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.models import User
from core.export import FORMATS, export_response
from core.scoping import require_region_edit
from dataio import alis_list, tasks
from dataio.forms import AlisUploadForm, UploadForm
from dataio.models import ImportJob
from dataio.plan import UNCHANGED, Plan
from registry.models import Municipality, Office

ROWS_PER_PAGE = 100


def _import_office(user: User) -> Office:
    """Imports write into the office's own region; a user without an office has none to import into."""
    if user.office_id is None:
        raise PermissionDenied
    require_region_edit(user, user.office_id)
    return user.office


def index(request: HttpRequest) -> HttpResponse:
    can_import = request.user.office_id is not None and request.user.edits_region(request.user.office_id)
    jobs = ImportJob.objects.visible_to(request.user).select_related("office", "municipality", "created_by")
    status = request.GET.get("status", "")
    # One status (the start page's «waiting for confirmation» leads here): every such job, not only the latest.
    jobs = jobs.filter(status=status) if status in ImportJob.Status.values else jobs[:50]
    shown = ImportJob.Status(status).label if status in ImportJob.Status.values else ""
    context = {"can_import": can_import, "jobs": jobs, "status_shown": shown}
    return render(request, "dataio/index.html", context)


def _start(request: HttpRequest, job: ImportJob, upload) -> HttpResponse:
    job.filename, job.data, job.created_by = upload.name[:255], upload.read(), request.user
    job.save()
    tasks.check_job.enqueue(job.pk)
    return redirect("dataio:job_detail", pk=job.pk)


def gp_list_upload(request: HttpRequest) -> HttpResponse:
    office = _import_office(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return _start(request, ImportJob(office=office, kind=ImportJob.Kind.GP_LIST), form.cleaned_data["file"])
    return render(request, "dataio/upload.html", {"form": form, "kind": ImportJob.Kind.GP_LIST})


def alis_list_upload(request: HttpRequest) -> HttpResponse:
    office = _import_office(request.user)
    municipalities = Municipality.objects.filter(county__office=office).order_by("name_norwegian")
    form = AlisUploadForm(request.POST or None, request.FILES or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        job = ImportJob(office=office, kind=ImportJob.Kind.ALIS_LIST, municipality=form.cleaned_data["municipality"])
        return _start(request, job, form.cleaned_data["file"])
    return render(request, "dataio/upload.html", {"form": form, "kind": ImportJob.Kind.ALIS_LIST})


def alis_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    return export_response(rows=[alis_list.EXAMPLE], columns=alis_list.TEMPLATE_COLUMNS, filename="alis-liste", fmt=fmt)


def _visible_job(request: HttpRequest, pk: int) -> ImportJob:
    jobs = ImportJob.objects.visible_to(request.user).select_related("office", "municipality", "created_by")
    return get_object_or_404(jobs, pk=pk)


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _visible_job(request, pk)
    if request.htmx and request.htmx.target == "job-progress":
        if not job.is_running:
            return HttpResponseClientRefresh()  # the whole page changes: preview, errors or result
        return render(request, "dataio/job_detail.html#progress", {"job": job})
    plan = Plan.from_json(job.plan) if job.plan else None
    context = {"job": job, "plan": plan, "can_confirm": job.status == ImportJob.Status.PREVIEW}
    if plan is not None:
        show_all = request.GET.get("vis") == "alle"
        rows = plan.rows if show_all else [r for r in plan.rows if r.action != UNCHANGED]
        context |= {
            "counts": plan.counts(),
            "errors": plan.errors,
            "show_all": show_all,
            "page": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("side")),
        }
    return render(request, "dataio/job_detail.html", context)


@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _visible_job(request, pk)
    require_region_edit(request.user, job.office_id)
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
        status=ImportJob.Status.APPLYING,
        confirmed_by=request.user,
        mark_gone=request.POST.get("mark_gone") == "on",
        progress=0,
    )
    if updated:  # a second click on the button does not import twice
        tasks.apply_job.enqueue(job.pk, request.user.pk)
    return redirect("dataio:job_detail", pk=job.pk)
