from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.abilities import may, require
from accounts.models import User
from core import readlog
from core.editing import Refused, confirm_page, safe_next
from core.export import FORMATS, export_response
from core.lists import Column, list_page, render_list
from core.navigation import Crumb, crumbs
from core.paths import path_for
from dataio import alis_list, services
from dataio.forms import AlisUploadForm, UploadForm
from dataio.jobs import KINDS
from dataio.models import ImportJob
from dataio.plan import UNCHANGED, Plan
from registry.models import Municipality, Office

ROWS_PER_PAGE = 100


def _index_crumb() -> tuple[str, str]:
    return (_("Import og eksport"), reverse("dataio:index"))


def _status(job: ImportJob) -> str:
    colors = {"done": "success", "failed": "danger", "invalid": "danger", "preview": "warning"}
    return format_html(
        '<span class="ds-tag" data-color="{}">{}</span>', colors.get(job.status, "info"), job.get_status_display()
    )


JOB_COLUMNS = [
    Column(
        "created",
        gettext_lazy("Lastet opp"),
        ("created_at",),
        value="created_at",
        link=lambda job: path_for("dataio:job_detail")(job.pk),
    ),
    Column("kind", gettext_lazy("Type"), ("kind", "created_at"), value="kind_label"),
    Column("file", gettext_lazy("Fil"), ("filename",), value="filename"),
    Column("municipality", gettext_lazy("Kommune"), ("municipality__name",), value="municipality.name"),
    Column("by", gettext_lazy("Av"), ("created_by__last_name",), value=lambda job: _person(job.created_by)),
    Column("status", gettext_lazy("Status"), ("status", "created_at"), value=_status),
]


def _person(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _may_import(user: User) -> bool:
    return may(user, "add", ImportJob)


def index(request: HttpRequest) -> HttpResponse:
    """The imports the user may start, the export lists, and the office's import jobs (or those of one status:
    the start page's «venter på bekreftelse» leads here with ?status=preview)."""
    jobs = ImportJob.objects.visible_to(request.user).select_related("office", "municipality", "created_by")
    status = request.GET.get("status", "")
    shown = ""
    if status in ImportJob.Status.values:
        jobs, shown = jobs.filter(status=status), ImportJob.Status(status).label
    listing = list_page(
        request,
        jobs,
        columns=JOB_COLUMNS,
        default_sort="-created",
        caption=_("Importer ved kontoret, nyeste først"),
        empty_text=_("Ingen importer ennå."),
    )
    context = {
        "can_import": _may_import(request.user),
        "import_keep_days": settings.IMPORT_KEEP_DAYS,
        "status_shown": shown,
    }
    return render_list(request, "dataio/index.html", listing, context)


def _import_office(user: User) -> Office:
    """Imports write into the office's own region; a user without an office has none to import into."""
    require(user, "add", ImportJob)
    if user.office_id is None:  # abilities already refuse, but say so where the office is read
        raise PermissionDenied
    return user.office


def _upload_page(
    request: HttpRequest, form: forms.Form, *, office: Office, kind: str, title: str, intro: str
) -> HttpResponse:
    """The upload of an import: the form page; a valid file becomes a job, whose page shows what follows."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = services.job_start(
            kind=kind, office=office, upload=data["file"], by=request.user, municipality=data.get("municipality")
        )
        return redirect("dataio:job_detail", pk=job.pk)
    context = {
        "form": form,
        "title": title,
        "kind": kind,
        "intro_template": intro,
        "cancel_url": safe_next(request) or reverse("dataio:index"),
        "breadcrumbs": [*crumbs(_index_crumb()), Crumb(title)],
        "submit_label": _("Last opp og kontroller"),
    }
    return render(request, "dataio/upload.html", context)


def gp_list_upload(request: HttpRequest) -> HttpResponse:
    office = _import_office(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    return _upload_page(
        request,
        form,
        office=office,
        kind=ImportJob.Kind.GP_LIST,
        title=_("Importer fastlegeliste"),
        intro="dataio/_intro_gp_list.html",
    )


def alis_list_upload(request: HttpRequest) -> HttpResponse:
    office = _import_office(request.user)
    municipalities = Municipality.objects.filter(county__office=office).order_by("name_norwegian")
    form = AlisUploadForm(request.POST or None, request.FILES or None, municipalities=municipalities)
    return _upload_page(
        request,
        form,
        office=office,
        kind=ImportJob.Kind.ALIS_LIST,
        title=_("Importer ALIS-liste"),
        intro="dataio/_intro_alis_list.html",
    )


def session_upload(request: HttpRequest) -> HttpResponse:
    """Supervision sessions from a list: a job like the other imports (preview, confirm, all or nothing)."""
    office = _import_office(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    return _upload_page(
        request,
        form,
        office=office,
        kind=ImportJob.Kind.SUPERVISION_SESSIONS,
        title=_("Importer veiledningstimer"),
        intro="dataio/_intro_sessions.html",
    )


def alis_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    return export_response(rows=[alis_list.EXAMPLE], columns=alis_list.TEMPLATE_COLUMNS, filename="alis-liste", fmt=fmt)


def _visible_job(request: HttpRequest, pk: int) -> ImportJob:
    jobs = ImportJob.objects.visible_to(request.user).select_related(
        "office", "municipality", "created_by", "confirmed_by"
    )
    return get_object_or_404(jobs, pk=pk)


def may_confirm(user: User, job: ImportJob) -> bool:
    """Confirm or cancel a job: those who change the office's region; for a national job, reference editors."""
    if job.office_id is None:
        return user.edits_reference_data
    return may(user, "change", job)


ROW_COLUMNS = [
    Column("row", gettext_lazy("Rad"), numeric=True, value="row"),
    Column("label", gettext_lazy("Post"), value="label"),
    Column(
        "action",
        gettext_lazy("Hva skjer"),
        value=lambda row: format_html(
            '<span class="ds-tag" data-color="{}">{}</span>',
            {"error": "danger", "create": "success", "change": "warning"}.get(row.action, "neutral"),
            row.action_label,
        ),
    ),
    Column("notes", gettext_lazy("Endringer og merknader"), value=lambda row: _row_notes(row)),
]


def _row_notes(row) -> str:
    parts = [
        *row.errors,
        *(f"{what}: «{old or '–'}» → «{new or '–'}»" for what, old, new in row.changes),
        *row.notes,
    ]
    if not parts:
        return ""
    return format_html('<ul class="plain-list">{}</ul>', format_html_join("", "<li>{}</li>", ((p,) for p in parts)))


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _visible_job(request, pk)
    readlog.read(request, job)
    if request.htmx and request.htmx.target == "job-progress":
        if not job.is_running:
            return HttpResponseClientRefresh()  # the whole page changes: preview, errors or result
        return render(request, "dataio/job_detail.html#progress", {"job": job})
    plan = Plan.from_json(job.plan) if job.plan else None
    kind = KINDS.get(job.kind)
    context = {
        "job": job,
        "plan": plan,
        "can_confirm": job.status == ImportJob.Status.PREVIEW and may_confirm(request.user, job),
        "upload_url": reverse(kind.upload_url) if kind and _may_import(request.user) else "",
        "breadcrumbs": crumbs(_index_crumb(), str(job)),
    }
    if plan is None:
        return render(request, "dataio/job_detail.html", context)
    show_all = request.GET.get("vis") == "alle"
    rows = plan.rows if show_all else [r for r in plan.rows if r.action != UNCHANGED]
    listing = list_page(
        request,
        rows,
        columns=ROW_COLUMNS,
        per_page=ROWS_PER_PAGE,
        caption=_("Hva importen gjør med hver rad i fila"),
        empty_text=_("Ingen rader endrer noe."),
    )
    context |= {"counts": plan.counts(), "errors": plan.errors, "show_all": show_all}
    return render_list(request, "dataio/job_detail.html", listing, context)


@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _visible_job(request, pk)
    if not may_confirm(request.user, job):
        raise PermissionDenied
    # A second click (or a replayed request) finds the job no longer waiting and imports nothing twice.
    services.job_confirm(job=job, by=request.user, mark_gone=request.POST.get("mark_gone") == "on")
    return redirect("dataio:job_detail", pk=job.pk)


def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """End a preview without importing it (the file is deleted), after the user confirms."""
    job = _visible_job(request, pk)
    if not may_confirm(request.user, job):
        raise PermissionDenied
    detail = reverse("dataio:job_detail", args=[job.pk])

    def act() -> str:
        if not services.job_cancel(job=job, by=request.user, now=timezone.now()):
            raise Refused(_("Importen venter ikke lenger på bekreftelse."))
        return _("Importen er avbrutt. Ingenting er lagret, og fila er slettet.")

    return confirm_page(
        request,
        about=job,
        title=_("Avbryte importen?"),
        question=_("Ingenting fra fila blir lagret, og fila slettes. Vil du avbryte importen?"),
        confirm_label=_("Avbryt importen"),
        act=act,
        success_url=detail,
        facts=[
            (_("Fil"), job.filename),
            (_("Lastet opp"), timezone.localtime(job.created_at).strftime("%d.%m.%Y %H:%M")),
        ],
        blocked="" if job.status == ImportJob.Status.PREVIEW else _("Importen venter ikke på bekreftelse."),
        breadcrumbs=crumbs(_index_crumb(), (str(job), detail)),
    )
