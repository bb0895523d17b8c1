from django.contrib import messages
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.abilities import may, require
from core import readlog, tableversions
from core.editing import form_page, safe_next
from core.lists import Column, list_page, render_list, text_cell
from core.navigation import crumbs
from core.scoping import region_q, require_personal_data
from core.validation import query_int
from courses.models import Course
from followup import attention, generate, regionmap, services
from followup.forms import MINE, NotificationSettingForm, TaskFilterForm, TaskForm, TaskRuleForm
from followup.models import RECORD_FIELDS, Notification, Task, TaskRule
from followup.rules import DEFAULTS, RuleKind
from grants.models import GrantApplication
from registry.models import Doctor, Municipality, Office
from training.models import Training
from training.overview import office_scope, selectable_offices


def _today():
    return timezone.localdate()


# --- The start page's panels --------------------------------------------------------------------------------


def attention_panel(request: HttpRequest) -> HttpResponse:
    """«Til oppfølging» for the office (staff: their own; the coordinator: the one chosen, or all)."""
    require_personal_data(request.user)
    office = office_scope(request.user, request.GET.get("office"))
    today, user = _today(), request.user

    def panel() -> str:
        items = attention.items(user, office, today=today, now=timezone.now())
        return render_to_string("followup/_attention.html", {"items": items, "office": office})

    # Counted once per data change and day for the role and office (core.tableversions); a request that brings
    # the stored counts up to date writes them, and is not kept.
    key = f"attention:{user.role}:{user.office_id}:{office.pk if office else ''}:{today}"
    return HttpResponse(tableversions.kept(key, panel))


def map_panel(request: HttpRequest) -> HttpResponse:
    """The map of the office's region with its table; for all regions, a word to choose one."""
    office = office_scope(request.user, request.GET.get("office"))
    today = _today()
    # Drawn once per data change (core.tableversions): the map and its table are the same for everyone.
    key = f"region-map:{office.pk if office else ''}:{today}"
    drawn = tableversions.kept(
        key,
        lambda: render_to_string(
            "followup/_map.html", {"office": office, "map": regionmap.region_map(office, today) if office else None}
        ),
    )
    return HttpResponse(drawn)


# --- Tasks --------------------------------------------------------------------------------------------------

RECORD_URLS = {
    "training": ("training:detail", lambda t: t.training.doctor.full_name),
    "municipality": ("registry:municipality_detail", lambda t: t.municipality.name),
    "supervisor": ("registry:doctor_detail", lambda t: t.supervisor.full_name),
    "course": ("courses:detail", lambda t: t.course.title),
    "grant_application": ("grants:application_detail", lambda t: str(t.grant_application)),
}
RECORD_RELATED = ("training__doctor", "municipality", "supervisor", "course", "grant_application__municipality")


def record_link(task: Task) -> tuple[str, str] | None:
    """(name, address) of the record the task is about."""
    for field_name, (url_name, name) in RECORD_URLS.items():
        pk = getattr(task, f"{field_name}_id")
        if pk:
            return name(task), reverse(url_name, args=[pk])
    return None


def _record_cell(task: Task):
    found = record_link(task)
    return format_html('<a href="{}">{}</a>', found[1], found[0]) if found else ""


def _due_cell(task: Task):
    if task.is_open and task.due < _today():
        return format_html(
            '<span class="ds-tag" data-color="danger">{}</span> {}', _("Forfalt"), f"{task.due:%d.%m.%Y}"
        )
    return text_cell(f"{task.due:%d.%m.%Y}")


def _status_cell(task: Task):
    if task.status == Task.Status.CLOSED and task.closed_reason:
        return text_cell(f"{task.get_status_display()}: {task.closed_reason}")
    return text_cell(task.get_status_display())


def _origin(task: Task) -> str:
    if task.rule:
        return str(RuleKind(task.rule).label)
    return _("Lagt inn av %(name)s") % {"name": _person(task.created_by)} if task.created_by else ""


def _assignee_cell(task: Task) -> str:
    return _person(task.assignee) or _("Ingen (felles)")


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _task_columns(request: HttpRequest) -> list[Column]:
    token = get_token(request)
    back = request.get_full_path()

    def action(task: Task):
        if not may(request.user, "change", task):
            return ""
        name, label = ("task_done", _("Utført")) if task.is_open else ("task_reopen", _("Åpne igjen"))
        return format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="{}">'
            '<button class="ds-button" data-variant="secondary" data-size="sm" type="submit">{}'
            '<span class="ds-sr-only">: {}</span></button></form>',
            reverse(f"followup:{name}", args=[task.pk]),
            token,
            back,
            label,
            task.title,
        )

    def title(task: Task):
        if may(request.user, "change", task):
            return format_html('<a href="{}">{}</a>', reverse("followup:task_edit", args=[task.pk]), task.title)
        return text_cell(task.title)

    return [
        Column("due", gettext_lazy("Frist"), ("due", "pk"), value=_due_cell),
        Column("title", gettext_lazy("Oppgave"), ("title", "due"), value=title),
        Column("record", gettext_lazy("Gjelder"), value=_record_cell),
        Column("assignee", gettext_lazy("Ansvarlig"), ("assignee__first_name", "due"), value=_assignee_cell),
        Column("status", gettext_lazy("Status"), ("status", "due"), value=_status_cell),
        Column("origin", gettext_lazy("Laget av"), ("rule", "due"), value=_origin),
        Column("action", gettext_lazy("Handling"), value=action),
    ]


def _task_list(request: HttpRequest, *, mine: bool) -> HttpResponse:
    require_personal_data(request.user)
    today = _today()
    data = request.GET.copy()
    if mine:
        data["assignee"] = MINE
    form = TaskFilterForm(data, user=request.user, today=today)
    if mine:
        form.fields["assignee"].widget = form.fields["assignee"].hidden_widget()
    tasks = Task.objects.visible_to(request.user).select_related("assignee", "created_by", *RECORD_RELATED)
    listing = list_page(
        request,
        form.filter(tasks),
        columns=_task_columns(request),
        default_sort="due",
        caption=_("Mine oppgaver") if mine else _("Kontorets oppgaver"),
        empty_text=_("Ingen oppgaver passer til filteret."),
    )
    context = {"form": form, "mine": mine, "can_add": may(request.user, "add", "followup.task")}
    return render_list(request, "followup/task_list.html", listing, context)


def my_tasks(request: HttpRequest) -> HttpResponse:
    return _task_list(request, mine=True)


def task_list(request: HttpRequest) -> HttpResponse:
    return _task_list(request, mine=False)


def _record_from_query(request: HttpRequest) -> dict:
    """The record a new task is about, from the address (`?alis=12`), if the user may see it."""
    for kind, field_name in RECORD_FIELDS.items():
        if kind in request.GET:
            pk = query_int(request.GET, kind)
            if pk is None:
                raise Http404
            return {field_name: get_object_or_404(_records(request, field_name), pk=pk)}
    return {}


def _records(request: HttpRequest, field_name: str) -> models.QuerySet:
    user = request.user
    return {
        "training": lambda: Training.objects.visible_to(user).select_related("doctor"),
        "municipality": lambda: Municipality.objects.filter(region_q(user, "county__office_id")),
        "supervisor": lambda: Doctor.objects.visible_to(user),
        "course": lambda: Course.objects.visible_to(user),
        "grant_application": lambda: GrantApplication.objects.visible_to(user).select_related("municipality"),
    }[field_name]()


def _task_crumbs():
    return crumbs((_("Oppgaver"), reverse("followup:task_list")))


def task_create(request: HttpRequest) -> HttpResponse:
    record = _record_from_query(request)
    task = Task(office_id=request.user.office_id, created_by=request.user, **record)
    about = record_link(task) if record else None
    readlog.read(request, *record.values())  # the ALIS the new task is about, named on the form
    return form_page(
        request,
        TaskForm,
        instance=task,
        title=_("Ny oppgave"),
        success_url=about[1] if about else reverse("followup:task_list"),
        saved_message=_("Oppgaven er lagt inn."),
        form_kwargs={"today": _today()},
        context={"about": about},
        template="followup/task_form.html",
        breadcrumbs=_task_crumbs(),
    )


def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.visible_to(request.user).select_related(*RECORD_RELATED), pk=pk)
    return form_page(
        request,
        TaskForm,
        instance=task,
        title=_("Endre oppgave"),
        success_url=reverse("followup:task_list"),
        saved_message=_("Oppgaven er lagret."),
        form_kwargs={"today": _today()},
        context={"about": record_link(task), "task": task, "notifications": _notifications_of([task]).get(task.pk, [])},
        template="followup/task_form.html",
        breadcrumbs=_task_crumbs(),
    )


def _changeable_task(request: HttpRequest, pk: int) -> Task:
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
    require(request.user, "change", task)
    return task


@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = _changeable_task(request, pk)
    services.task_done(task=task, by=request.user, now=timezone.now())
    messages.success(request, _("Utført: %(title)s") % {"title": task.title})
    return redirect(safe_next(request) or reverse("followup:task_list"))


@require_POST
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    task = _changeable_task(request, pk)
    services.task_reopen(task=task, by=request.user)
    messages.success(request, _("Åpnet igjen: %(title)s") % {"title": task.title})
    return redirect(safe_next(request) or reverse("followup:task_list"))


# --- The panel on a record's page ---------------------------------------------------------------------------


def _notifications_of(tasks: list[Task]) -> dict[int, list[Notification]]:
    found: dict[int, list[Notification]] = {}
    for notification in (
        Notification.objects.filter(task__in=tasks)
        .select_related("recipient")
        .prefetch_related("delivery_attempts")
        .order_by("created_at", "pk")
    ):
        found.setdefault(notification.task_id, []).append(notification)
    return found


def record_panel(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The tasks about one record and the e-mail sent about them, for the record's own page (one line there)."""
    require_personal_data(request.user)
    field_name = RECORD_FIELDS.get(kind)
    if field_name is None:
        raise Http404
    record = get_object_or_404(_records(request, field_name), pk=pk)
    tasks = list(
        Task.objects.visible_to(request.user)
        .filter(**{field_name: record})
        .select_related("assignee", "done_by")
        .order_by("status", "due", "pk")[:50]
    )
    notifications = _notifications_of(tasks)
    for task in tasks:
        task.sent = notifications.get(task.pk, [])
    readlog.read(request, record, tasks)
    context = {
        "tasks": tasks,
        "kind": kind,
        "record": record,
        "today": _today(),
        "can_add": may(request.user, "add", "followup.task"),
        "new_url": reverse("followup:task_create") + f"?{kind}={record.pk}",
    }
    return render(request, "followup/_record_panel.html", context)


# --- Notifications and settings -----------------------------------------------------------------------------

NOTIFICATION_COLUMNS = [
    Column("created", gettext_lazy("Laget"), ("created_at",), value="created_at"),
    Column("kind", gettext_lazy("Type"), ("kind", "created_at"), value="get_kind_display"),
    Column("subject", gettext_lazy("Emne"), ("subject",), value="subject"),
    Column("status", gettext_lazy("Status"), ("status", "created_at"), value="get_status_display"),
    Column("attempts", gettext_lazy("Forsøk"), ("attempts",), numeric=True, value="attempts"),
    Column("error", gettext_lazy("Siste feil"), value="last_error"),
    Column("read", gettext_lazy("Lest"), ("read_at",), value="read_at"),
]


def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications and what became of each."""
    notifications = Notification.objects.filter(recipient=request.user)
    listing = list_page(
        request,
        notifications,
        columns=NOTIFICATION_COLUMNS,
        default_sort="-created",
        caption=_("E-post til deg fra ALIS-oversikt"),
        empty_text=_("Ingen varsler ennå."),
    )
    context = {"setting": services.setting_for(request.user)}
    return render_list(request, "followup/notification_list.html", listing, context)


def setting_edit(request: HttpRequest) -> HttpResponse:
    """What the user wants by e-mail: their own setting, which only they change."""
    return form_page(
        request,
        NotificationSettingForm,
        instance=services.setting_for(request.user),
        title=_("Varslinger på e-post"),
        success_url=reverse("followup:notification_list"),
        saved_message=_("Innstillingene er lagret."),
        authorize=False,  # one's own setting
        breadcrumbs=crumbs((_("Varsler"), reverse("followup:notification_list"))),
    )


def notification_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an e-mail: marks it read when its recipient opens it, and leads on to what it is about."""
    notification = get_object_or_404(
        Notification.objects.visible_to(request.user).select_related("task", *(f"task__{r}" for r in RECORD_RELATED)),
        token=token,
    )
    services.notification_open(notification=notification, by=request.user, now=timezone.now())
    task = notification.task
    if task is None:
        return redirect("followup:my_tasks")
    about = record_link(task)
    if about and may(request.user, "view", task.record):
        return redirect(about[1])
    return redirect("followup:task_edit", pk=task.pk)


# --- The rules ----------------------------------------------------------------------------------------------


def _rule_office(request: HttpRequest) -> Office | None:
    return office_scope(request.user, request.GET.get("office"))


def rule_list(request: HttpRequest) -> HttpResponse:
    """Each rule of the office: whether it runs, on which days, and who gets its tasks."""
    require_personal_data(request.user)
    office = _rule_office(request) or (
        Office.objects.order_by("ordering", "pk").first() if request.user.sees_all_regions else None
    )
    if office is None:
        raise Http404
    generate.ensure_rules()
    found = TaskRule.objects.filter(office=office).select_related("assignee")
    rows = [(rule, DEFAULTS[rule.kind]) for rule in sorted(found, key=lambda r: list(RuleKind).index(r.kind))]
    context = {
        "office": office,
        "offices": selectable_offices(request.user),
        "rows": rows,
        "can_edit": request.user.edits_region(office.pk),
    }
    return render(request, "followup/rule_list.html", context)


def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(
        TaskRule.objects.filter(region_q(request.user, "office_id")).select_related("office"), pk=pk
    )
    back = reverse("followup:rule_list") + f"?office={rule.office.code}"
    title = _("Regel: %(rule)s") % {"rule": rule.get_kind_display()}
    return form_page(
        request,
        TaskRuleForm,
        instance=rule,
        title=title,
        success_url=back,
        saved_message=_("Regelen er lagret. Den gjelder fra neste kjøring (hver natt)."),
        context={"explanation": DEFAULTS[rule.kind].explanation, "source": DEFAULTS[rule.kind].source},
        template="followup/rule_form.html",
        breadcrumbs=crumbs((_("Regler for oppgaver"), back)),
    )
