from django.contrib import messages
from django.db.models import OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Concat
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import history
from core.charts import bars
from core.editing import delete_with_history, process_form
from core.export import DATE, FORMATS, NUMBER, ExportColumn, export_response
from core.lists import Column, list_page
from core.scoping import require_personal_data, require_region_edit
from core.validation import query_int
from registry.models import Doctor, Municipality
from training import overview as ov
from training import rules
from training.forms import (
    AssignmentForm,
    ServicePeriodForm,
    TrainingFilterForm,
    TrainingForm,
    set_expected_end,
    supervisor_choices,
)
from training.models import ServicePeriod, SupervisorAssignment, Training

TRAINING_COLUMNS = [
    Column("name", gettext_lazy("ALIS"), ("doctor__last_name", "doctor__first_name")),
    Column("municipality", gettext_lazy("Kommune"), ("employer__name_norwegian", "doctor__last_name")),
    Column("scheme", gettext_lazy("Ordning"), ("scheme", "doctor__last_name")),
    Column("contract", gettext_lazy("Tilknytning"), ("contract", "doctor__last_name")),
    Column("share", gettext_lazy("Stilling"), ("position_share", "doctor__last_name"), numeric=True),
    Column("start", gettext_lazy("Start"), ("start",)),
    Column("expected_end", gettext_lazy("Forventet ferdig"), ("expected_end",)),
    Column("status", gettext_lazy("Status"), ("status", "doctor__last_name")),
    Column("supervisor", gettext_lazy("Veileder"), ("supervisor_name", "doctor__last_name")),
]

# Norwegian headers whatever the interface language, like the registry's exports.
TRAINING_EXPORT_COLUMNS = [
    ExportColumn("Etternavn", "doctor__last_name"),
    ExportColumn("Fornavn", "doctor__first_name"),
    ExportColumn("HPR-nummer", "doctor__hpr_number"),
    ExportColumn("Kommunenummer", "employer__number"),
    ExportColumn("Kommune", "employer__name"),
    ExportColumn("Spesialitet", "specialty"),
    ExportColumn("Ordning", "scheme"),
    ExportColumn("Tilknytning", "contract"),
    ExportColumn("Stillingsprosent", "position_share", NUMBER),
    ExportColumn("Legekontor", "gp_office__name"),
    ExportColumn("Startdato", "start", DATE),
    ExportColumn("Forventet ferdig", "expected_end", DATE),
    ExportColumn("Status", "status"),
    ExportColumn("Avsluttet", "ended_on", DATE),
    ExportColumn("Veileder", "supervisor_name"),
]


def _today():
    return timezone.localdate()


def overview(request: HttpRequest) -> HttpResponse:
    today = _today()
    office = ov.office_scope(request.user, request.GET.get("office"))
    if office:
        area_rows, total = ov.alis_by_municipality(office, today)
    else:
        area_rows, total = ov.alis_by_county(today)
    hospital = ov.hospital_demand(office, today)
    half_year_labels = [rules.half_year_label(start) for start, _end in hospital.half_years]
    context = {
        "office": office,
        "offices": ov.selectable_offices(request.user),
        "today": today,
        "area_rows": area_rows,
        "total": total,
        "office_rows": ov.alis_by_office(today) if office is None else None,
        "contracts": ov.contract_labels(),
        "hospital": hospital,
        "half_year_labels": half_year_labels,
        "hospital_chart": bars(list(zip(half_year_labels, hospital.totals, strict=True))),
        "contract_chart": bars([(label, total.contracts[key]) for key, label in ov.contract_labels()]),
        "registration_tables": ov.registration_tables(ov.registration_rows(office, on=today)),
        "centrality_headings": [*(str(c) for c in range(1, 7)), _("Ukjent")],
        "deadline": rules.OLD_SCHEME_DEADLINE,
        "deadline_days": rules.old_scheme_deadline_days(today),
        "links": request.user.reads_personal_data,
    }
    return render(request, "training/overview.html", context)


def _current_supervisor_name(today):
    current = SupervisorAssignment.objects.filter(training=OuterRef("pk")).current(today).order_by("-start")
    name = Concat("supervisor__last_name", Value(", "), "supervisor__first_name")
    return Subquery(current.annotate(name=name).values("name")[:1])


def training_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    today = _today()
    form = TrainingFilterForm(request.GET, user=request.user, today=today)
    queryset = (
        Training.objects.visible_to(request.user)
        .select_related("doctor", "employer")
        .with_supervisor_flag(today)
        .annotate(supervisor_name=_current_supervisor_name(today))
    )
    listing = list_page(request, form.filter(queryset), columns=TRAINING_COLUMNS, default_sort="name")
    if (fmt := request.GET.get("eksport")) in FORMATS:
        rows = listing.page.paginator.object_list.select_related("gp_office")  # all filtered rows, not one page
        return export_response(rows=rows, columns=TRAINING_EXPORT_COLUMNS, filename="alis", fmt=fmt)
    template = "training/training_list.html"
    return render(request, f"{template}#results" if request.htmx else template, {"form": form, "listing": listing})


def _visible_training(request: HttpRequest, pk: int) -> Training:
    trainings = Training.objects.visible_to(request.user).select_related(
        "doctor", "employer__county__office", "gp_office"
    )
    return get_object_or_404(trainings, pk=pk)


def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(
        Training.objects.visible_to(request.user)
        .select_related("doctor", "employer__county__office", "gp_office")
        .prefetch_related(Prefetch("periods", queryset=ServicePeriod.objects.select_related("health_trust"))),
        pk=pk,
    )
    history.record_read(instance=training, by=request.user)
    context = {
        "training": training,
        "periods": training.periods.all(),
        "assignments": training.supervisor_assignments.select_related("supervisor"),
        "requirements": training.requirement_status(on=_today()),
        "deadline": rules.OLD_SCHEME_DEADLINE,
        "can_edit": request.user.edits_region(training.office_id),
        "changes": history.history_of(training),
    }
    return render(request, "training/training_detail.html", context)


def _editable_municipalities(user):
    return Municipality.objects.editable_by(user).order_by("name_norwegian")


def training_create(request: HttpRequest) -> HttpResponse:
    require_region_edit(request.user, request.user.office_id)
    doctor = get_object_or_404(Doctor.objects.visible_to(request.user), pk=query_int(request.GET, "lege", 0))
    form, saved = process_form(
        request,
        TrainingForm,
        instance=Training(doctor=doctor),
        prepare=set_expected_end,
        municipalities=_editable_municipalities(request.user),
    )
    if saved:
        messages.success(request, _("Utdanningsløpet er registrert."))
        return redirect("training:detail", pk=saved.pk)
    title = _("Nytt utdanningsløp for %(name)s") % {"name": doctor.full_name}
    cancel = reverse("registry:doctor_detail", args=[doctor.pk])
    return render(request, "core/form_page.html", {"form": form, "title": title, "cancel_url": cancel})


def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    training = _visible_training(request, pk)
    require_region_edit(request.user, training.office_id)
    form, saved = process_form(
        request,
        TrainingForm,
        instance=training,
        prepare=set_expected_end,
        municipalities=_editable_municipalities(request.user),
    )
    if saved:
        messages.success(request, _("Utdanningsløpet er lagret."))
        return redirect("training:detail", pk=pk)
    title = _("Endre utdanningsløp")
    context = {"form": form, "object": training, "title": title, "cancel_url": reverse("training:detail", args=[pk])}
    return render(request, "core/form_page.html", context)


def _refresh_expected_end(training: Training) -> None:
    """Leave periods move the expected end: keep the stored value in step."""
    expected = training.compute_expected_end()
    if expected != training.expected_end:
        Training.objects.filter(pk=training.pk).update(expected_end=expected)


def period_create(request: HttpRequest, pk: int) -> HttpResponse:
    training = _visible_training(request, pk)
    require_region_edit(request.user, training.office_id)
    form, saved = process_form(request, ServicePeriodForm, instance=ServicePeriod(training=training), parent=training)
    if saved:
        _refresh_expected_end(training)
        messages.success(request, _("Perioden er lagret."))
        return redirect("training:detail", pk=pk)
    context = {
        "form": form,
        "object": training,
        "title": _("Ny tjenesteperiode"),
        "cancel_url": reverse("training:detail", args=[pk]),
    }
    return render(request, "core/form_page.html", context)


def _visible_period(request: HttpRequest, pk: int) -> ServicePeriod:
    periods = ServicePeriod.objects.filter(training__in=Training.objects.visible_to(request.user))
    return get_object_or_404(periods.select_related("training__employer__county", "training__doctor"), pk=pk)


def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = _visible_period(request, pk)
    training = period.training
    require_region_edit(request.user, training.office_id)
    form, saved = process_form(request, ServicePeriodForm, instance=period, parent=training)
    if saved:
        _refresh_expected_end(training)
        messages.success(request, _("Perioden er lagret."))
        return redirect("training:detail", pk=training.pk)
    context = {
        "form": form,
        "object": training,
        "title": _("Endre tjenesteperiode"),
        "cancel_url": reverse("training:detail", args=[training.pk]),
        "delete_url": reverse("training:period_delete", args=[pk]),
    }
    return render(request, "core/form_page.html", context)


@require_POST
def period_delete(request: HttpRequest, pk: int) -> HttpResponse:
    period = _visible_period(request, pk)
    training = period.training
    require_region_edit(request.user, training.office_id)
    delete_with_history(instance=period, by=request.user, parent=training)
    _refresh_expected_end(training)
    messages.success(request, _("Perioden er slettet."))
    return redirect("training:detail", pk=training.pk)


def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    training = _visible_training(request, pk)
    require_region_edit(request.user, training.office_id)
    supervisors = supervisor_choices(_editable_municipalities(request.user), None)
    form, saved = process_form(
        request,
        AssignmentForm,
        instance=SupervisorAssignment(training=training),
        parent=training,
        supervisors=supervisors,
    )
    if saved:
        messages.success(request, _("Veilederen er registrert."))
        return redirect("training:detail", pk=pk)
    context = {
        "form": form,
        "object": training,
        "title": _("Ny veileder"),
        "cancel_url": reverse("training:detail", args=[pk]),
    }
    return render(request, "core/form_page.html", context)


def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignments = SupervisorAssignment.objects.filter(training__in=Training.objects.visible_to(request.user))
    assignment = get_object_or_404(assignments.select_related("training__employer__county", "supervisor"), pk=pk)
    training = assignment.training
    require_region_edit(request.user, training.office_id)
    supervisors = supervisor_choices(_editable_municipalities(request.user), assignment.supervisor)
    form, saved = process_form(request, AssignmentForm, instance=assignment, parent=training, supervisors=supervisors)
    if saved:
        messages.success(request, _("Veilederoppnevningen er lagret."))
        return redirect("training:detail", pk=training.pk)
    context = {
        "form": form,
        "object": training,
        "title": _("Endre veilederoppnevning"),
        "cancel_url": reverse("training:detail", args=[training.pk]),
    }
    return render(request, "core/form_page.html", context)


def municipality_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The ALIS of one municipality, shown on the municipality's page."""
    require_personal_data(request.user)
    municipality = get_object_or_404(Municipality, pk=pk)
    today = _today()
    trainings = (
        Training.objects.visible_to(request.user)
        .ongoing()
        .filter(employer=municipality)
        .select_related("doctor", "gp_office")
        .annotate(supervisor_name=_current_supervisor_name(today))
        .order_by("doctor__last_name", "doctor__first_name")
    )
    return render(request, "training/_municipality_panel.html", {"trainings": trainings, "municipality": municipality})


def doctor_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """A doctor's courses of training and the ALIS they supervise, shown on the doctor's page."""
    doctor = get_object_or_404(Doctor.objects.visible_to(request.user), pk=pk)
    visible = Training.objects.visible_to(request.user)
    context = {
        "doctor": doctor,
        "trainings": visible.filter(doctor=doctor).select_related("employer"),
        "supervisions": SupervisorAssignment.objects.filter(supervisor=doctor, training__in=visible)
        .select_related("training__doctor", "training__employer")
        .order_by("-start"),
        "can_create": request.user.edits_region(request.user.office_id) and request.user.office_id,
    }
    return render(request, "training/_doctor_panel.html", context)
