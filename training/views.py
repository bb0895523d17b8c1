from django.contrib import messages
from django.db.models import OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import history, readlog
from core.charts import bars
from core.editing import delete_with_history, process_form
from core.export import DATE, FORMATS, NUMBER, ExportColumn, export_response
from core.lists import Column, list_page
from core.scoping import require_personal_data, require_region_edit
from core.validation import query_int
from privacy import small_numbers
from registry.models import Doctor, Municipality
from training import overview as ov
from training import rules, schemes, status
from training.forms import (
    AssignmentForm,
    OldSchemeFilterForm,
    OutcomeForm,
    ServicePeriodForm,
    ShiftCountForm,
    TrainingFilterForm,
    TrainingForm,
    set_expected_end,
    supervisor_choices,
)
from training.models import OldSchemeOutcome, Scheme, ServicePeriod, ShiftCount, SupervisorAssignment, Training

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
    context = small_numbers.overview(request.user, context)  # «<5» for the aggregate reader
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
        .select_related("doctor", "employer__county__office", "gp_office", "old_scheme_outcome")
        .prefetch_related(Prefetch("periods", queryset=ServicePeriod.objects.select_related("health_trust"))),
        pk=pk,
    )
    today = _today()
    alis = status.status_of(training, today)
    earlier_ids = [e.pk for e in alis.earlier]
    # The employer of an earlier training is shown only when the user may see that training.
    visible = (
        dict(Training.objects.visible_to(request.user).filter(pk__in=earlier_ids).values_list("pk", "employer__name"))
        if earlier_ids
        else {}
    )
    context = {
        "training": training,
        "periods": training.periods.all(),
        "assignments": training.supervisor_assignments.select_related("supervisor"),
        "status": alis,
        "earlier": [(e, visible.get(e.pk)) for e in alis.earlier],
        "registered_rules": schemes.RULE_SETS.get((training.specialty, training.scheme)),
        "shift_counts": training.shift_counts.all(),
        "outcome": getattr(training, "old_scheme_outcome", None),
        "shows_deadline": training.scheme == Scheme.OLD or hasattr(training, "old_scheme_outcome"),
        "deadline": rules.OLD_SCHEME_DEADLINE,
        "can_edit": request.user.edits_region(training.office_id),
        "changes": history.history_of(training, user=request.user),
    }
    readlog.read(request, training, context["assignments"])
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
        _refresh_expected_end(saved)
        messages.success(request, _("Utdanningsløpet er lagret."))
        return redirect("training:detail", pk=pk)
    title = _("Endre utdanningsløp")
    context = {"form": form, "object": training, "title": title, "cancel_url": reverse("training:detail", args=[pk])}
    return render(request, "core/form_page.html", context)


def _refresh_expected_end(training: Training) -> None:
    """Leave moves the expected end, and so does service in an earlier course of training of the same doctor:
    keep the stored values of this training and the doctor's later ones in step."""
    for each in [training, *status.later_trainings(training)]:
        expected = status.expected_end_of(each)
        if expected != each.expected_end:
            Training.objects.filter(pk=each.pk).update(expected_end=expected)


def _part_form(
    request: HttpRequest,
    form_class: type,
    *,
    training: Training,
    instance,
    title: str,
    saved_message: str,
    after_save=None,
    delete_url: str | None = None,
    **form_kwargs,
) -> HttpResponse:
    """The form page for a record that is part of a training (a period, a supervisor, shifts): saved with history
    under the training, back to the training page."""
    form, saved = process_form(request, form_class, instance=instance, parent=training, **form_kwargs)
    if saved:
        if after_save is not None:
            after_save(training)
        messages.success(request, saved_message)
        return redirect("training:detail", pk=training.pk)
    context = {
        "form": form,
        "object": training,
        "title": title,
        "cancel_url": reverse("training:detail", args=[training.pk]),
        "delete_url": delete_url,
    }
    return render(request, "core/form_page.html", context)


def _visible_part(request: HttpRequest, model: type, pk: int, *related: str):
    """A part of a training the user may see (404 otherwise) and, to change it, edit (403 otherwise)."""
    parts = model.objects.filter(training__in=Training.objects.visible_to(request.user))
    part = get_object_or_404(parts.select_related("training__employer__county", "training__doctor", *related), pk=pk)
    require_region_edit(request.user, part.training.office_id)
    return part


def _editable_training(request: HttpRequest, pk: int) -> Training:
    training = _visible_training(request, pk)
    require_region_edit(request.user, training.office_id)
    return training


def period_create(request: HttpRequest, pk: int) -> HttpResponse:
    training = _editable_training(request, pk)
    return _part_form(
        request,
        ServicePeriodForm,
        training=training,
        instance=ServicePeriod(training=training),
        title=_("Ny tjenesteperiode"),
        saved_message=_("Perioden er lagret."),
        after_save=_refresh_expected_end,
        today=_today(),
    )


def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = _visible_part(request, ServicePeriod, pk)
    return _part_form(
        request,
        ServicePeriodForm,
        training=period.training,
        instance=period,
        title=_("Endre tjenesteperiode"),
        saved_message=_("Perioden er lagret."),
        after_save=_refresh_expected_end,
        delete_url=reverse("training:period_delete", args=[pk]),
        today=_today(),
    )


@require_POST
def period_delete(request: HttpRequest, pk: int) -> HttpResponse:
    period = _visible_part(request, ServicePeriod, pk)
    training = period.training
    delete_with_history(instance=period, by=request.user, parent=training)
    _refresh_expected_end(training)
    messages.success(request, _("Perioden er slettet."))
    return redirect("training:detail", pk=training.pk)


def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    training = _editable_training(request, pk)
    return _part_form(
        request,
        AssignmentForm,
        training=training,
        instance=SupervisorAssignment(training=training),
        title=_("Ny veileder"),
        saved_message=_("Veilederen er registrert."),
        supervisors=supervisor_choices(_editable_municipalities(request.user), None),
    )


def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible_part(request, SupervisorAssignment, pk, "supervisor")
    return _part_form(
        request,
        AssignmentForm,
        training=assignment.training,
        instance=assignment,
        title=_("Endre veilederoppnevning"),
        saved_message=_("Veilederoppnevningen er lagret."),
        supervisors=supervisor_choices(_editable_municipalities(request.user), assignment.supervisor),
    )


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
    readlog.read(request, trainings)
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
    readlog.read(request, doctor, context["trainings"], context["supervisions"])
    return render(request, "training/_doctor_panel.html", context)


# On-call shifts (legevakter) and the old scheme's outcome


def shift_create(request: HttpRequest, pk: int) -> HttpResponse:
    training = _editable_training(request, pk)
    return _part_form(
        request,
        ShiftCountForm,
        training=training,
        instance=ShiftCount(training=training),
        title=_("Registrer legevakter"),
        saved_message=_("Legevaktene er registrert."),
        today=_today(),
    )


def shift_edit(request: HttpRequest, pk: int) -> HttpResponse:
    count = _visible_part(request, ShiftCount, pk)
    return _part_form(
        request,
        ShiftCountForm,
        training=count.training,
        instance=count,
        title=_("Endre registrering av legevakter"),
        saved_message=_("Legevaktene er lagret."),
        delete_url=reverse("training:shift_delete", args=[pk]),
        today=_today(),
    )


@require_POST
def shift_delete(request: HttpRequest, pk: int) -> HttpResponse:
    count = _visible_part(request, ShiftCount, pk)
    delete_with_history(instance=count, by=request.user, parent=count.training)
    messages.success(request, _("Registreringen av legevakter er slettet."))
    return redirect("training:detail", pk=count.training.pk)


def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or change) what became of an old-scheme ALIS at the deadline."""
    training = get_object_or_404(
        Training.objects.visible_to(request.user).select_related(
            "doctor", "employer__county__office", "old_scheme_outcome"
        ),
        pk=pk,
    )
    outcome = getattr(training, "old_scheme_outcome", None)
    if outcome is None and training.scheme != Scheme.OLD:
        raise Http404
    require_region_edit(request.user, training.office_id)
    form, saved = process_form(
        request,
        OutcomeForm,
        instance=outcome or OldSchemeOutcome(training=training),
        parent=training,
        today=_today(),
    )
    back = request.GET.get("neste", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        back = reverse("training:old_scheme")
    if saved:
        messages.success(request, _("Utfallet er lagret."))
        return redirect(back)
    context = {
        "form": form,
        "object": training,
        "title": _("Utfall av gammel ordning for %(name)s") % {"name": training.doctor.full_name},
        "cancel_url": back,
    }
    return render(request, "core/form_page.html", context)


OLD_SCHEME_COLUMNS = [
    Column("name", gettext_lazy("ALIS"), ("doctor__last_name", "doctor__first_name")),
    Column("municipality", gettext_lazy("Kommune"), ("employer__name_norwegian", "doctor__last_name")),
    Column("started", gettext_lazy("Startet"), ("started", "doctor__last_name")),
    Column("expected_end", gettext_lazy("Forventet ferdig"), ("expected_end", "doctor__last_name")),
    Column("missing", gettext_lazy("Mangler")),
    Column("risks", gettext_lazy("Risiko")),
    Column("outcome", gettext_lazy("Utfall"), ("old_scheme_outcome__outcome", "doctor__last_name")),
]


def _alis(row: Training) -> status.AlisStatus:
    return row.alis_status


OLD_SCHEME_EXPORT_COLUMNS = [
    ExportColumn("Etternavn", "doctor__last_name"),
    ExportColumn("Fornavn", "doctor__first_name"),
    ExportColumn("HPR-nummer", "doctor__hpr_number"),
    ExportColumn("Kommunenummer", "employer__number"),
    ExportColumn("Kommune", "employer__name"),
    ExportColumn("Spesialitet", "specialty"),
    ExportColumn("Status", "status"),
    ExportColumn("Startet i spesialiseringen", "started", DATE),
    ExportColumn("Startdato", "start", DATE),
    ExportColumn("Forventet ferdig", "expected_end", DATE),
    ExportColumn("Regler", lambda row: _alis(row).rule_set.label),
    ExportColumn("Mangler", lambda row: _alis(row).missing_text),
    ExportColumn("Risiko", lambda row: "; ".join(risk.label for risk in _alis(row).risks)),
    ExportColumn("Legevakter", lambda row: _alis(row).shifts.count if _alis(row).shifts else None, NUMBER),
    ExportColumn("Legevakter per", lambda row: _alis(row).shifts.counted_on if _alis(row).shifts else None, DATE),
    ExportColumn("Utfall", lambda row: _alis(row).outcome.label if _alis(row).outcome else ""),
    ExportColumn("Utfall dato", lambda row: _alis(row).outcome.decided_on if _alis(row).outcome else None, DATE),
    ExportColumn("Utfall merknad", lambda row: _alis(row).outcome.note if _alis(row).outcome else ""),
]


def old_scheme_list(request: HttpRequest) -> HttpResponse:
    """Every old-scheme ALIS in the region before (and after) the deadline: what is missing, the risks, the outcome."""
    require_personal_data(request.user)
    today = _today()
    form = OldSchemeFilterForm(request.GET, user=request.user)
    trainings = form.filter(
        Training.objects.visible_to(request.user).filter(Q(scheme=Scheme.OLD) | Q(old_scheme_outcome__isnull=False))
    )
    found = status.statuses(trainings, today)
    kept = [pk for pk, alis in found.items() if form.keeps(alis)]
    if len(kept) < len(found):
        trainings = trainings.filter(pk__in=kept)
    trainings = trainings.select_related("doctor", "employer__county", "old_scheme_outcome").annotate(
        started=Coalesce("specialty_started", "start")
    )
    listing = list_page(request, trainings, columns=OLD_SCHEME_COLUMNS, default_sort="expected_end")
    if (fmt := request.GET.get("eksport")) in FORMATS:
        rows = list(listing.page.paginator.object_list)
        for row in rows:
            row.alis_status = found[row.pk]
        return export_response(rows=rows, columns=OLD_SCHEME_EXPORT_COLUMNS, filename="gammel-ordning", fmt=fmt)
    for row in listing.rows:
        row.alis_status = found[row.pk]
        row.can_edit = request.user.edits_region(row.employer.county.office_id)
    shown = [found[pk] for pk in kept]
    context = {
        "form": form,
        "listing": listing,
        "today": today,
        "deadline": rules.OLD_SCHEME_DEADLINE,
        "deadline_days": rules.old_scheme_deadline_days(today),
        "summary": _outcome_summary(shown),
        "at_risk": sum(1 for alis in shown if alis.risks),
        "total": len(shown),
    }
    template = "training/old_scheme_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


def _outcome_summary(shown: list[status.AlisStatus]) -> list[tuple[str, int]]:
    """How many of the listed ALIS have each outcome, and how many none."""
    counts = dict.fromkeys(OldSchemeOutcome.Kind, 0)
    none = 0
    for alis in shown:
        if alis.outcome:
            counts[OldSchemeOutcome.Kind(alis.outcome.kind)] += 1
        else:
            none += 1
    return [(kind.label, n) for kind, n in counts.items()] + [(_("Ikke registrert"), none)]
