from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import history
from core.editing import delete_with_history, process_form
from core.export import DECIMAL, NUMBER, ExportColumn, export_response
from core.lists import Column, list_page
from core.scoping import require_personal_data, require_reference_edit, require_region_edit
from core.validation import parse_int, query_int
from grants import calculation as calc
from grants import eligibility
from grants.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    CalculatorForm,
    CostSheetForm,
    GrantProfileForm,
    LineForm,
    NewApplicationForm,
    RatePeriodForm,
    current_period,
)
from grants.models import (
    EXPENSE_FIELDS,
    FINANCING_FIELDS,
    ApplicationLine,
    CostSheet,
    GrantApplication,
    GrantProfile,
    RatePeriod,
)
from registry.models import Municipality, Office
from training.models import Training

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _line_amount_sum(prefix: str = "") -> Sum:
    """Sum of the lines' amounts, the override where there is one."""
    override, computed = f"{prefix}override_amount", f"{prefix}computed_amount"
    return Coalesce(Sum(Coalesce(override, computed)), Decimal(0), output_field=MONEY)


# Scheme and rate periods: national reference data (everyone reads, the coordinator edits)


def index(request: HttpRequest) -> HttpResponse:
    periods = RatePeriod.objects.select_related("scheme").annotate(application_count=Count("applications"))
    context = {"periods": periods, "can_edit": request.user.edits_reference_data}
    return render(request, "grants/index.html", context)


def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(RatePeriod.objects.select_related("scheme"), pk=pk)
    rates = period.rates()
    applicability = [
        (
            element.label,
            [rates.applies(element, p, g) for p in calc.PositionType for g in calc.GrantType],
        )
        for element in calc.Element
    ]
    context = {
        "period": period,
        "combinations": [(p.label, g.label) for p in calc.PositionType for g in calc.GrantType],
        "applicability": applicability,
        "full_year": calc.calculate(
            rates=rates,
            position_type=calc.PositionType.REGULAR_GP,
            position_share=100,
            months=12,
            grant_type=calc.GrantType.ALIS_AGREEMENT,
            centrality=calc.SUPPLEMENT_CENTRALITY,
        ),
        "can_edit": request.user.edits_reference_data,
        "changes": history.history_of(period),
    }
    return render(request, "grants/period_detail.html", context)


def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(RatePeriod.objects.select_related("scheme"), pk=pk)
    require_reference_edit(request.user)
    form, saved = process_form(request, RatePeriodForm, instance=period)
    if saved:
        messages.success(request, _("Satsperioden er lagret."))
        return redirect("grants:period_detail", pk=pk)
    context = {
        "form": form,
        "object": period.scheme,
        "title": _("Endre satsperiode %(period)s") % {"period": period},
        "cancel_url": reverse("grants:period_detail", args=[pk]),
    }
    return render(request, "core/form_page.html", context)


def period_create(request: HttpRequest) -> HttpResponse:
    """A new period starts as a copy of the latest one, unverified, for the coordinator to correct."""
    require_reference_edit(request.user)
    latest = get_object_or_404(RatePeriod.objects.select_related("scheme")[:1])
    draft = RatePeriod(
        **{
            field.name: getattr(latest, field.name)
            for field in RatePeriod._meta.concrete_fields
            if field.name not in {"id", "version", "start", "end", "verified", "application_deadline"}
        }
    )
    draft.auditor_deadline = None
    form, saved = process_form(request, RatePeriodForm, instance=draft)
    if saved:
        messages.success(request, _("Satsperioden er opprettet."))
        return redirect("grants:period_detail", pk=saved.pk)
    context = {
        "form": form,
        "object": latest.scheme,
        "title": _("Ny satsperiode (satsene er kopiert fra %(period)s)") % {"period": latest},
        "cancel_url": reverse("grants:index"),
    }
    return render(request, "core/form_page.html", context)


# The calculator


def calculator(request: HttpRequest) -> HttpResponse:
    """The breakdown for chosen parameters; `?alis=<pk>` fills them in from an ALIS's training."""
    period = current_period(request.GET.get("period"))
    if period is None:
        raise Http404
    training = None
    values = {
        "period": period.pk,
        "position_type": calc.PositionType.REGULAR_GP,
        "grant_type": calc.GrantType.ALIS_AGREEMENT,
        "position_share": 100,
        "months": 12,
    }
    alis = request.GET.get("alis") or ""
    if alis:
        trainings = Training.objects.visible_to(request.user).select_related("doctor", "employer", "grant_profile")
        training = get_object_or_404(trainings, pk=parse_int(alis, 0))
        values |= eligibility.default_line(training, period) | {"centrality": training.employer.centrality or ""}
    form = CalculatorForm(request.GET if "position_type" in request.GET else values)
    result = form.breakdown() if form.is_valid() else None
    return render(request, "grants/calculator.html", {"form": form, "training": training, "result": result})


# Grant profile of one ALIS (temp agency, position type, first day as regular GP)


def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(
        Training.objects.visible_to(request.user).select_related("doctor", "employer__county"), pk=pk
    )
    require_region_edit(request.user, training.office_id)
    profile = GrantProfile.objects.filter(training=training).first() or GrantProfile(training=training)
    form, saved = process_form(request, GrantProfileForm, instance=profile, parent=training)
    if saved:
        messages.success(request, _("Tilskuddsopplysningene er lagret."))
        return redirect(request.GET.get("next") or reverse("grants:not_applied"))
    context = {
        "form": form,
        "object": training,
        "title": _("Tilskuddsopplysninger for %(name)s") % {"name": training.doctor.full_name},
        "cancel_url": reverse("grants:not_applied"),
    }
    return render(request, "core/form_page.html", context)


# Applications

APPLICATION_COLUMNS = [
    Column("municipality", gettext_lazy("Kommune"), ("municipality__name_norwegian",)),
    Column("period", gettext_lazy("Periode"), ("period__start", "municipality__name_norwegian")),
    Column("status", gettext_lazy("Status"), ("status", "municipality__name_norwegian")),
    Column("sent_on", gettext_lazy("Sendt"), ("sent_on",)),
    Column("lines", gettext_lazy("ALIS"), ("line_count", "municipality__name_norwegian"), numeric=True),
    Column("amount", gettext_lazy("Søkt beløp"), ("amount", "municipality__name_norwegian"), numeric=True),
    Column("granted", gettext_lazy("Innvilget"), ("granted_amount", "municipality__name_norwegian"), numeric=True),
]


def application_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    form = ApplicationFilterForm(request.GET, user=request.user)
    queryset = (
        GrantApplication.objects.visible_to(request.user)
        .select_related("municipality", "period")
        .annotate(line_count=Count("lines"), amount=_line_amount_sum("lines__"))
    )
    listing = list_page(request, form.filter(queryset), columns=APPLICATION_COLUMNS, default_sort="municipality")
    template = "grants/application_list.html"
    context = {"form": form, "listing": listing, "can_create": request.user.edits_region(request.user.office_id)}
    return render(request, f"{template}#results" if request.htmx else template, context)


def _editable_municipalities(user) -> QuerySet[Municipality]:
    municipalities = Municipality.objects.order_by("name_norwegian")
    return municipalities if user.edits_region(None) else municipalities.filter(county__office_id=user.office_id)


def application_create(request: HttpRequest) -> HttpResponse:
    """A new application, with a line for each eligible ALIS of the municipality not yet applied for."""
    require_region_edit(request.user, request.user.office_id)
    initial = {"municipality": request.GET.get("kommune"), "period": request.GET.get("periode")}
    municipalities = _editable_municipalities(request.user)
    form = NewApplicationForm(request.POST or None, initial=initial, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        application = _create_with_lines(request, form)
        messages.success(request, _("Søknaden er opprettet med %(count)s ALIS.") % {"count": application.line_total})
        return redirect("grants:application_detail", pk=application.pk)
    context = {"form": form, "title": _("Ny tilskuddssøknad"), "cancel_url": reverse("grants:application_list")}
    return render(request, "core/form_page.html", context)


def _create_with_lines(request: HttpRequest, form: NewApplicationForm) -> GrantApplication:
    with transaction.atomic():
        application = form.save()
        history.record(instance=application, by=request.user, before=None)
        period, municipality = application.period, application.municipality
        trainings = (
            eligibility.not_applied(period, user=request.user)
            .filter(employer=municipality)
            .select_related("grant_profile", "employer")
        )
        rates = period.rates()
        lines = []
        for training in trainings:
            values = eligibility.default_line(training, period)
            total = calc.calculate(rates=rates, centrality=municipality.centrality, **values).total
            lines.append(ApplicationLine(application=application, training=training, computed_amount=total, **values))
        ApplicationLine.objects.bulk_create(lines)
    application.line_total = len(lines)
    return application


def _visible_application(request: HttpRequest, pk: int) -> GrantApplication:
    applications = GrantApplication.objects.visible_to(request.user).select_related(
        "municipality__county", "period__scheme"
    )
    return get_object_or_404(applications, pk=pk)


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    rates = application.period.rates()
    lines = list(application.lines.select_related("training__doctor"))
    rows = [(line, line.breakdown(centrality=application.municipality.centrality, rates=rates)) for line in lines]
    context = {
        "application": application,
        "rows": rows,
        "total": sum((line.amount for line in lines), Decimal(0)),
        "can_edit": request.user.edits_region(application.office_id),
        "missing": eligibility.not_applied(application.period, user=request.user)
        .filter(employer=application.municipality)
        .count(),
        "changes": history.history_of(application),
    }
    return render(request, "grants/application_detail.html", context)


def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    require_region_edit(request.user, application.office_id)
    form, saved = process_form(request, ApplicationForm, instance=application)
    if saved:
        messages.success(request, _("Søknaden er lagret."))
        return redirect("grants:application_detail", pk=pk)
    context = {
        "form": form,
        "object": application,
        "title": _("Status og frister for søknaden"),
        "cancel_url": reverse("grants:application_detail", args=[pk]),
    }
    return render(request, "core/form_page.html", context)


def _compute_line(line: ApplicationLine) -> None:
    line.computed_amount = line.breakdown().total


def line_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    require_region_edit(request.user, application.office_id)
    trainings = (
        eligibility.not_applied(application.period, user=request.user)
        .filter(employer=application.municipality)
        .select_related("doctor")
        .order_by("doctor__last_name", "doctor__first_name")
    )
    line = ApplicationLine(application=application)
    chosen = trainings.filter(pk=query_int(request.GET, "alis", 0)).select_related("grant_profile", "employer").first()
    defaults = eligibility.default_line(chosen, application.period) if chosen else {"grant_type": "alis_agreement"}
    initial = defaults | ({"training": chosen.pk} if chosen else {})
    form, saved = process_form(
        request, LineForm, instance=line, parent=application, prepare=_compute_line, trainings=trainings,
        initial=initial,
    )  # fmt: skip
    if saved:
        messages.success(request, _("ALIS er lagt til i søknaden."))
        return redirect("grants:application_detail", pk=pk)
    context = {
        "form": form,
        "object": application,
        "title": _("Legg til ALIS i søknaden"),
        "cancel_url": reverse("grants:application_detail", args=[pk]),
    }
    return render(request, "core/form_page.html", context)


def _visible_line(request: HttpRequest, pk: int) -> ApplicationLine:
    lines = ApplicationLine.objects.filter(application__in=GrantApplication.objects.visible_to(request.user))
    return get_object_or_404(
        lines.select_related("application__municipality__county", "application__period", "training__doctor"), pk=pk
    )


def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = _visible_line(request, pk)
    application = line.application
    require_region_edit(request.user, application.office_id)
    form, saved = process_form(request, LineForm, instance=line, parent=application, prepare=_compute_line)
    if saved:
        messages.success(request, _("Linjen er lagret."))
        return redirect("grants:application_detail", pk=application.pk)
    context = {
        "form": form,
        "object": application,
        "title": _("Søknadslinje for %(name)s") % {"name": line.training.doctor.full_name},
        "cancel_url": reverse("grants:application_detail", args=[application.pk]),
    }
    return render(request, "core/form_page.html", context)


@require_POST
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = _visible_line(request, pk)
    application = line.application
    require_region_edit(request.user, application.office_id)
    delete_with_history(instance=line, by=request.user, parent=application)
    messages.success(request, _("ALIS er tatt ut av søknaden."))
    return redirect("grants:application_detail", pk=application.pk)


def _office_code(request: HttpRequest) -> str | None:
    """Staff see their own region; the coordinator picks an office or sees all."""
    user = request.user
    if not user.sees_all_regions:
        return user.office.code if user.office else None
    code = request.GET.get("office") or ""
    return code if Office.objects.filter(code=code).exists() else None


def not_applied(request: HttpRequest) -> HttpResponse:
    """Money left on the table: eligible ALIS in no application, and municipalities that sent nothing."""
    require_personal_data(request.user)
    period = current_period(request.GET.get("periode"))
    if period is None:
        raise Http404
    office_code = _office_code(request)
    gaps = eligibility.left_on_table(period, user=request.user, office_code=office_code)
    context = {
        "period": period,
        "periods": RatePeriod.objects.select_related("scheme"),
        "offices": Office.objects.all() if request.user.sees_all_regions else [],
        "office_code": office_code or "",
        "gaps": gaps,
        "total": sum((gap.total for gap in gaps), Decimal(0)),
        "alis_count": sum(len(gap.trainings) for gap in gaps),
        "silent": eligibility.sent_nothing(period, user=request.user, office_code=office_code),
        # All regions at once: one row per municipality; the ALIS themselves once an office is chosen.
        "per_alis": office_code is not None,
        "can_edit": request.user.edits_region(request.user.office_id),
    }
    return render(request, "grants/not_applied.html", context)


def summary(request: HttpRequest) -> HttpResponse:
    """Totals per office and period: no personal data, so the aggregate reader sees it too."""
    rows = (
        GrantApplication.objects.values("period__start", "period__end", "municipality__county__office__name")
        .annotate(
            applications=Count("pk", distinct=True),
            sent=Count("pk", filter=~Q(status=GrantApplication.Status.DRAFT), distinct=True),
            granted=Coalesce(Sum("granted_amount"), Decimal(0), output_field=MONEY),
        )
        .order_by("-period__start", "municipality__county__office__ordering")
    )
    line_totals = {
        (row["application__period__start"], row["application__municipality__county__office__name"]): row
        for row in ApplicationLine.objects.values(
            "application__period__start", "application__municipality__county__office__name"
        ).annotate(alis=Count("pk"), amount=_line_amount_sum())
    }
    table = []
    for row in rows:
        lines = line_totals.get((row["period__start"], row["municipality__county__office__name"]), {})
        table.append(row | {"alis": lines.get("alis", 0), "amount": lines.get("amount", Decimal(0))})
    return render(request, "grants/summary.html", {"rows": table})


# Cost sheets: what an ALIS costs the municipality

COST_EXPORT = [
    ExportColumn(str(gettext_lazy("ALIS")), lambda s: s.training.doctor.full_name),
    ExportColumn(str(gettext_lazy("Kommune")), "training__employer__name"),
    ExportColumn(str(gettext_lazy("År")), "year", NUMBER),
    ExportColumn(str(gettext_lazy("Tilknytning")), "training__contract"),
    ExportColumn(str(gettext_lazy("Listelengde")), "list_length", NUMBER),
    ExportColumn(str(gettext_lazy("Andel annet kommunalt arbeid (%)")), "other_work_share", NUMBER),
    *(
        ExportColumn(str(CostSheet._meta.get_field(name).verbose_name).capitalize(), name, DECIMAL)
        for name in (*EXPENSE_FIELDS, *FINANCING_FIELDS)
    ),
    ExportColumn(str(gettext_lazy("Sum utgifter")), "expenses", DECIMAL),
    ExportColumn(str(gettext_lazy("Sum finansiering")), "financing", DECIMAL),
    ExportColumn(str(gettext_lazy("Kommunens kostnad")), "net_cost", DECIMAL),
]


def cost_list(request: HttpRequest) -> HttpResponse:
    """The cost sheets of a year side by side, like the research table "ALIS A–D"."""
    require_personal_data(request.user)
    years = list(
        CostSheet.objects.visible_to(request.user).order_by("-year").values_list("year", flat=True).distinct()
    )
    year = query_int(request.GET, "aar")
    if year is None or not 1900 <= year <= 2100:
        year = years[0] if years else timezone.localdate().year
    sheets = list(
        CostSheet.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("training__doctor", "training__employer")
        .order_by("training__employer__name_norwegian", "training__doctor__last_name", "pk")
    )
    fmt = request.GET.get("format")
    if fmt in {"xlsx", "csv"}:
        return export_response(rows=sheets, columns=COST_EXPORT, filename=f"alis-kostnader-{year}", fmt=fmt)
    context = {"year": year, "years": years, "sheets": sheets}
    return render(request, "grants/cost_list.html", context)


def _visible_sheet(request: HttpRequest, pk: int) -> CostSheet:
    sheets = CostSheet.objects.visible_to(request.user).select_related("training__doctor", "training__employer__county")
    return get_object_or_404(sheets, pk=pk)


def cost_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _visible_sheet(request, pk)
    history.record_read(instance=sheet, by=request.user)
    context = {
        "sheet": sheet,
        "expenses": [(CostSheet._meta.get_field(n).verbose_name, getattr(sheet, n)) for n in EXPENSE_FIELDS],
        "financing": [(CostSheet._meta.get_field(n).verbose_name, getattr(sheet, n)) for n in FINANCING_FIELDS],
        "can_edit": request.user.edits_region(sheet.office_id),
        "changes": history.history_of(sheet),
    }
    return render(request, "grants/cost_detail.html", context)


def cost_create(request: HttpRequest) -> HttpResponse:
    training = get_object_or_404(
        Training.objects.visible_to(request.user).select_related("doctor", "employer__county"),
        pk=query_int(request.GET, "alis", 0),
    )
    require_region_edit(request.user, training.office_id)
    year = timezone.localdate().year
    granted = (
        ApplicationLine.objects.filter(training=training, application__period__start__year=year)
        .aggregate(total=_line_amount_sum())["total"]
    )
    sheet = CostSheet(training=training, year=year, list_length=training.doctor.list_size, alis_grant=granted)
    form, saved = process_form(request, CostSheetForm, instance=sheet)
    if saved:
        messages.success(request, _("Kostnadsarket er lagret."))
        return redirect("grants:cost_detail", pk=saved.pk)
    context = {
        "form": form,
        "object": training,
        "title": _("Nytt kostnadsark for %(name)s") % {"name": training.doctor.full_name},
        "cancel_url": reverse("grants:cost_list"),
    }
    return render(request, "core/form_page.html", context)


def cost_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _visible_sheet(request, pk)
    require_region_edit(request.user, sheet.office_id)
    form, saved = process_form(request, CostSheetForm, instance=sheet)
    if saved:
        messages.success(request, _("Kostnadsarket er lagret."))
        return redirect("grants:cost_detail", pk=pk)
    context = {
        "form": form,
        "object": sheet.training,
        "title": _("Endre kostnadsark %(year)s") % {"year": sheet.year},
        "cancel_url": reverse("grants:cost_detail", args=[pk]),
    }
    return render(request, "core/form_page.html", context)
