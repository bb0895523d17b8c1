from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from core import history
from core.editing import delete_with_history, process_form
from core.export import DECIMAL, NUMBER, ExportColumn, export_response
from core.lists import Column, list_page
from core.scoping import require_personal_data, require_reference_edit, require_region_edit
from core.validation import parse_int, query_date, query_int
from grants import calculation as calc
from grants import costs, eligibility, lines, periods
from grants.applications import evaluate_lines, totals_by_application
from grants.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    CalculatorForm,
    CostSheetForm,
    GrantProfileForm,
    GrantSchemeForm,
    LineForm,
    NewApplicationForm,
    RatePeriodForm,
    chosen_period,
)
from grants.models import (
    EXPENSE_FIELDS,
    FINANCING_FIELDS,
    ApplicationLine,
    CostSheet,
    GrantApplication,
    GrantProfile,
    GrantScheme,
    RatePeriod,
)
from grants.periods import GrantYear, grant_year_on
from grants.rates import SCHEME_DESCRIPTION, SCHEME_NAME, SCHEME_URL, RateFileError, load_rates
from registry.models import Municipality, Office
from training.models import Training

MONEY = DecimalField(max_digits=14, decimal_places=2)


# What a page says when rates or centrality classes are missing, and how to fix it


def _rates_context(user: User, year: GrantYear) -> dict:
    """The grant year and, when its rates are missing, who can add them and (if the user may) where."""
    context: dict = {"year": year}
    if year.complete:
        return context
    if year.period is not None:
        add_url = reverse("grants:period_edit", args=[year.period.pk])
    else:
        add_url = reverse("grants:period_create") + "?" + urlencode({"fra": year.start, "til": year.end})
    context |= {
        "rate_keepers": [keeper.get_full_name() or keeper.username for keeper in periods.rate_keepers()],
        "add_rates_url": add_url if user.edits_reference_data else "",
    }
    return context


@dataclass(frozen=True)
class CentralityFix:
    municipality: Municipality
    url: str  # where this user can set the class (or read the municipality, if they may not)
    editable: bool


def _centrality_fixes(user: User, municipalities: list[Municipality]) -> list[CentralityFix]:
    """Municipalities whose class is unknown, each with the link that fixes it (county selected with them)."""
    fixes = []
    # The class is SSB's (or set with its source by the coordinator): registry.views.centrality_edit.
    editable = user.edits_reference_data
    name = "registry:centrality_edit" if editable else "registry:municipality_detail"
    for municipality in sorted(municipalities, key=lambda m: m.name_norwegian):
        fixes.append(CentralityFix(municipality, reverse(name, args=[municipality.pk]), editable))
    return fixes


def _centrality_context(user: User, municipalities: list[Municipality]) -> dict:
    return {"centrality_fixes": _centrality_fixes(user, municipalities), "imports_ssb": user.edits_reference_data}


# Scheme and rate periods: national reference data (everyone reads, the coordinator edits)


def index(request: HttpRequest) -> HttpResponse:
    all_periods = RatePeriod.objects.select_related("scheme").annotate(application_count=Count("applications"))
    year = grant_year_on(timezone.localdate())
    context = {
        "periods": all_periods,
        "schemes": GrantScheme.objects.all(),
        "can_edit": request.user.edits_reference_data,
        **_rates_context(request.user, year),
    }
    return render(request, "grants/index.html", context)


def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(GrantScheme, pk=pk)
    require_reference_edit(request.user)
    form, saved = process_form(request, GrantSchemeForm, instance=scheme)
    if saved:
        messages.success(request, _("Tilskuddsordningen er lagret."))
        return redirect("grants:index")
    context = {
        "form": form,
        "object": scheme,
        "title": _("Endre tilskuddsordningen"),
        "cancel_url": reverse("grants:index"),
    }
    return render(request, "core/form_page.html", context)


def _rate_rows(period: RatePeriod) -> list[tuple[str, str]]:
    """Each rate in words with its numbers; an empty text where the rate is missing."""
    r = period.rates()

    def known(*names: str) -> bool:
        return all(getattr(r, name) is not None for name in names)

    def n(name: str) -> str:
        return calc.number(getattr(r, name))

    per_year, hourly = _("per år"), _("timesats")
    return [
        (_("Timesats"), f"{calc.kroner_text(r.hourly_rate)} {_('per time')}" if known("hourly_rate") else ""),
        (
            _("Praksiskompensasjon"),
            f"{n('practice_compensation_share')} × {hourly} × {n('practice_compensation_hours')} {_('timer per år')}"
            if known("practice_compensation_share", "practice_compensation_hours")
            else "",
        ),
        (
            _("Læringsaktiviteter"),
            f"{_('inntil')} {calc.kroner_text(r.learning_activity_cap)} {per_year}" if known("learning_activity_cap")
            else "",
        ),
        (
            _("Redusert produktivitet"),
            f"{calc.kroner_text(r.productivity_amount)} {per_year}, "
            + _("de første %(months)s månedene som fastlege/vikar") % {"months": r.productivity_months}
            if known("productivity_amount", "productivity_months")
            else "",
        ),
        (
            _("Veiledning"),
            f"{n('supervision_rate')} × {hourly} × {n('supervision_hours')} {_('timer per år')}"
            if known("supervision_rate", "supervision_hours")
            else "",
        ),
        (
            _("Tilrettelegging"),
            f"{n('facilitation_share')} × {_('summen av elementene over')}" if known("facilitation_share") else "",
        ),
        (
            _("Sentralitetstillegg"),
            f"{calc.kroner_text(r.centrality_supplement)} {_('per år, sentralitetsklasse 6')}"
            if known("centrality_supplement")
            else "",
        ),
    ]  # fmt: skip


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
        "rate_rows": _rate_rows(period),
        "can_edit": request.user.edits_reference_data,
        "changes": history.history_of(period),
        **_rates_context(request.user, GrantYear.of(period)),
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


def _date_param(request: HttpRequest, name: str) -> date | None:
    return query_date(request.GET, name)


def period_create(request: HttpRequest) -> HttpResponse:
    """A new period with its rates empty (unknown) until the coordinator types them from the announcement.

    `?kopier=<pk>` starts from another period's rates instead, marked unverified; `?fra=&til=` sets the dates.
    """
    require_reference_edit(request.user)
    scheme = periods.default_scheme()
    latest = RatePeriod.objects.filter(scheme=scheme).first() if scheme else None
    copy = chosen_period(request.GET.get("kopier"))
    draft = RatePeriod(scheme=scheme, verified=False)
    if copy is not None:
        for field in RatePeriod._meta.concrete_fields:
            if field.name in {*calc.RATE_LABELS, "applicability"}:
                setattr(draft, field.name, getattr(copy, field.name))
        draft.source = _("Kopiert fra satsperioden %(period)s; kontroller mot Helsedirektoratets kunngjøring.") % {
            "period": copy
        }
    start = _date_param(request, "fra") or (latest.end + timedelta(days=1) if latest else None)
    end = _date_param(request, "til") or (periods.grant_year_on(start, scheme=scheme).end if start and scheme else None)
    draft.start, draft.end = start, end
    if end:
        draft.auditor_deadline = date(end.year + 1, 4, 1)  # RULES.md: auditor's statement by 1 April the next year

    def with_scheme(period: RatePeriod) -> None:
        if period.scheme_id is None:  # the very first period: the scheme comes with it
            new_scheme, created = GrantScheme.objects.get_or_create(
                name=SCHEME_NAME, defaults={"url": SCHEME_URL, "description": SCHEME_DESCRIPTION}
            )
            if created:
                history.record(instance=new_scheme, by=request.user, before=None)
            period.scheme = new_scheme

    form, saved = process_form(request, RatePeriodForm, instance=draft, prepare=with_scheme)
    if saved:
        messages.success(request, _("Satsperioden er opprettet."))
        return redirect("grants:period_detail", pk=saved.pk)
    if copy is not None:
        title = _("Ny satsperiode (satsene er kopiert fra %(period)s)") % {"period": copy}
    else:
        title = _("Ny satsperiode")
    context = {"form": form, "object": scheme, "title": title, "cancel_url": reverse("grants:index")}
    return render(request, "core/form_page.html", context)


@require_POST
def period_load(request: HttpRequest) -> HttpResponse:
    """The coordinator brings in the rate table shipped with the app (2025/26, not verified)."""
    require_reference_edit(request.user)
    try:
        with transaction.atomic():
            period, created = load_rates()
            if created:
                history.record(instance=period, by=request.user, before=None)
    except RateFileError as error:
        messages.error(request, str(error))
        return redirect("grants:index")
    if created:
        messages.success(request, _("Satsperioden %(period)s er lagt inn. Kontroller satsene.") % {"period": period})
    else:
        messages.info(request, _("Satsperioden %(period)s fantes allerede; den er ikke endret.") % {"period": period})
    return redirect("grants:period_detail", pk=period.pk)


# The calculator


def calculator(request: HttpRequest) -> HttpResponse:
    """The breakdown for chosen parameters; `?alis=<pk>` fills them in from an ALIS's training.

    The period is the one asked for, else the one that covers today; when none does, the page says that
    today's rates are missing and computes nothing until a period is chosen.
    """
    today_year = grant_year_on(timezone.localdate())
    period = chosen_period(request.GET.get("period")) or today_year.period
    year = GrantYear.of(period) if period else today_year
    training = None
    not_eligible = ""
    values: dict = {
        "period": period.pk if period else "",
        "position_type": calc.PositionType.REGULAR_GP,
        "grant_type": calc.GrantType.ALIS_AGREEMENT,
        "position_share": 100,
        "months": 12,
    }
    alis = request.GET.get("alis") or ""
    if alis:
        trainings = Training.objects.visible_to(request.user).select_related("doctor", "employer", "grant_profile")
        training = get_object_or_404(trainings, pk=parse_int(alis, 0))
        values |= eligibility.default_inputs(training, year).arguments()
        values |= {"centrality": training.employer.centrality or ""}
        values = {name: "" if value is None else value for name, value in values.items()}
        specialties = eligibility.eligible_specialties(community_medicine=year.community_medicine_eligible)
        if training.specialty not in specialties:
            not_eligible = year.scheme.eligibility_source if year.scheme else ""
    if "position_type" in request.GET:
        form = CalculatorForm(request.GET)
    elif period is not None:
        form = CalculatorForm(values)  # filled in and computed at once
    else:
        form = CalculatorForm(initial=values)  # today's rates are missing: nothing to compute until one is chosen
    result = form.breakdown() if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "training": training,
        "result": result,
        "not_eligible": not_eligible,
        "today_year": today_year,
        **({} if today_year.complete else {"today_rates": _rates_context(request.user, today_year)}),
    }
    return render(request, "grants/calculator.html", context)


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
    # Computed from the lines each time, so not sortable in the database.
    Column("amount", gettext_lazy("Søkt beløp"), numeric=True),
    Column("granted", gettext_lazy("Innvilget"), ("granted_amount", "municipality__name_norwegian"), numeric=True),
]


def _unknown_text(totals: lines.Totals) -> str:
    """What a sum leaves out, in words (empty when nothing)."""
    parts = []
    if totals.rates_unknown:
        parts.append(_("ukjent: satser mangler"))
    if totals.centrality_unknown:
        parts.append(_("sentralitet ukjent: tillegg ikke tatt med"))
    return "; ".join(parts)


APPLICATION_EXPORT = [
    ExportColumn(str(gettext_lazy("Kommune")), "municipality__name"),
    ExportColumn(str(gettext_lazy("Kommunenummer")), "municipality__number"),
    ExportColumn(str(gettext_lazy("Sentralitet")), lambda a: a.municipality.centrality or _("ukjent")),
    ExportColumn(str(gettext_lazy("Periode")), lambda a: str(a.period)),
    ExportColumn(str(gettext_lazy("Status")), "status"),
    ExportColumn(str(gettext_lazy("Sendt")), "sent_on", "date"),
    ExportColumn(str(gettext_lazy("ALIS")), lambda a: a.totals.lines, NUMBER),
    ExportColumn(str(gettext_lazy("Beregnet (kr)")), lambda a: None if a.totals.rates_unknown else a.totals.computed,
                 DECIMAL),
    ExportColumn(str(gettext_lazy("Linjer med overstyrt beløp")), lambda a: a.totals.overridden, NUMBER),
    ExportColumn(str(gettext_lazy("Søkt beløp (kr)")), lambda a: a.totals.value, DECIMAL),
    ExportColumn(str(gettext_lazy("Ikke tatt med")), lambda a: _unknown_text(a.totals)),
    ExportColumn(str(gettext_lazy("Innvilget (kr)")), "granted_amount", DECIMAL),
]  # fmt: skip


def _element_amount(element: str):
    def value(row) -> Decimal | None:
        return next(line.amount for line in row.amount.breakdown.lines if line.element == element)

    return value


LINE_EXPORT = [
    ExportColumn(str(gettext_lazy("Kommune")), lambda r: r.application.municipality.name),
    ExportColumn(str(gettext_lazy("Periode")), lambda r: str(r.application.period)),
    ExportColumn(str(gettext_lazy("Status")), lambda r: r.application.get_status_display()),
    ExportColumn(str(gettext_lazy("ALIS")), lambda r: r.name),
    ExportColumn(str(gettext_lazy("Stillingstype")), lambda r: calc.PositionType(r.amount.inputs.position_type).label),
    ExportColumn(str(gettext_lazy("Tilskuddstype")), lambda r: calc.GrantType(r.amount.inputs.grant_type).label),
    ExportColumn(str(gettext_lazy("Stillingsandel (%)")), lambda r: r.amount.inputs.position_share, NUMBER),
    ExportColumn(str(gettext_lazy("Hele måneder")), lambda r: r.amount.inputs.months, NUMBER),
    ExportColumn(str(gettext_lazy("Måneder med redusert produktivitet")),
                 lambda r: r.amount.inputs.productivity_months, NUMBER),
    ExportColumn(str(gettext_lazy("Skrevet inn for hånd")), lambda r: r.typed_labels),
    *(ExportColumn(f"{element.label} (kr)", _element_amount(element), DECIMAL) for element in calc.Element),
    ExportColumn(str(gettext_lazy("Beregnet (kr)")), lambda r: r.amount.computed, DECIMAL),
    ExportColumn(str(gettext_lazy("Overstyrt beløp (kr)")), lambda r: r.amount.override, DECIMAL),
    ExportColumn(str(gettext_lazy("Begrunnelse for overstyring")), lambda r: r.amount.override_reason),
    ExportColumn(str(gettext_lazy("Søkt beløp (kr)")), lambda r: r.amount.value, DECIMAL),
    ExportColumn(str(gettext_lazy("Ikke tatt med")), lambda r: r.unknown_text),
]  # fmt: skip


@dataclass(frozen=True)
class LineRow:
    """One line in the line export: its application, its ALIS's name and its amount."""

    application: GrantApplication
    name: str
    amount: lines.LineAmount

    @property
    def typed_labels(self) -> str:
        labels = {name: ApplicationLine._meta.get_field(name).verbose_name for name in lines.TYPED_INPUTS}
        return ", ".join(str(labels[name]) for name in lines.TYPED_INPUTS if name in self.amount.inputs.typed)

    @property
    def unknown_text(self) -> str:
        totals = lines.Totals()
        totals.add(self.amount)
        return _unknown_text(totals)


def _export_lines(applications: QuerySet[GrantApplication], fmt: str) -> HttpResponse:
    by_pk = {a.pk: a for a in applications.select_related("municipality", "period")}
    queryset = ApplicationLine.objects.filter(application__in=applications.order_by().values("pk")).order_by(
        "application__municipality__name_norwegian", "training__doctor__last_name", "training__doctor__first_name",
        "pk",
    )  # fmt: skip
    names = {
        pk: f"{first} {last}"
        for pk, first, last in queryset.values_list("pk", "training__doctor__first_name", "training__doctor__last_name")
    }
    rows = [LineRow(by_pk[line.application_id], names[line.pk], line.amount) for line in evaluate_lines(queryset)]
    return export_response(rows=rows, columns=LINE_EXPORT, filename="tilskudd-linjer", fmt=fmt)


def application_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    form = ApplicationFilterForm(request.GET, user=request.user)
    queryset = form.filter(
        GrantApplication.objects.visible_to(request.user)
        .select_related("municipality__county", "period")
        .annotate(line_count=Count("lines"))
    )
    fmt = request.GET.get("format")
    if fmt in {"xlsx", "csv"}:
        if request.GET.get("niva") == "linjer":
            return _export_lines(queryset, fmt)
        applications = list(queryset.order_by("municipality__name_norwegian", "period__start", "pk"))
        totals = totals_by_application(queryset)
        for application in applications:
            application.totals = totals[application.pk]
        return export_response(rows=applications, columns=APPLICATION_EXPORT, filename="tilskuddssoknader", fmt=fmt)
    listing = list_page(request, queryset, columns=APPLICATION_COLUMNS, default_sort="municipality")
    totals = totals_by_application([a.pk for a in listing.rows])
    for application in listing.rows:
        application.totals = totals[application.pk]
    unknown = Municipality.objects.filter(
        centrality__isnull=True, pk__in=queryset.order_by().values("municipality_id")
    ).select_related("county")
    template = "grants/application_list.html"
    context = {
        "form": form,
        "listing": listing,
        "can_create": request.user.edits_region(request.user.office_id),
        "export_query": urlencode({k: v for k, v in request.GET.items() if k not in {"page", "sort", "format"}}),
        **_centrality_context(request.user, list(unknown)),
    }
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
    """The lines take everything from the training (no typed inputs), so they follow it from now on."""
    with transaction.atomic():
        application = form.save()
        history.record(instance=application, by=request.user, before=None)
        trainings = eligibility.not_applied(GrantYear.of(application.period), user=request.user).filter(
            employer=application.municipality
        )
        lines_ = ApplicationLine.objects.bulk_create(
            [ApplicationLine(application=application, training=training) for training in trainings]
        )
        history.record_many([(line, None, application) for line in lines_], by=request.user)
    application.line_total = len(lines_)
    return application


def _visible_application(request: HttpRequest, pk: int) -> GrantApplication:
    applications = GrantApplication.objects.visible_to(request.user).select_related(
        "municipality__county", "period__scheme"
    )
    return get_object_or_404(applications, pk=pk)


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    estimator = lines.Estimator(application.period.rates())
    rows = [
        (line, line.evaluate(estimator))
        for line in application.lines.select_related("training__doctor", "training__grant_profile")
    ]
    totals = lines.Totals()
    for _line, amount in rows:
        totals.add(amount)
    municipality = application.municipality
    context = {
        "application": application,
        "rows": rows,
        "totals": totals,
        "can_edit": request.user.edits_region(application.office_id),
        "missing": eligibility.not_applied(GrantYear.of(application.period), user=request.user)
        .filter(employer=municipality)
        .count(),
        "changes": history.history_of(application),
        **_rates_context(request.user, GrantYear.of(application.period)),
        **_centrality_context(request.user, [municipality] if municipality.centrality is None else []),
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


def line_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    require_region_edit(request.user, application.office_id)
    year = GrantYear.of(application.period)
    trainings = (
        eligibility.not_applied(year, user=request.user)
        .filter(employer=application.municipality)
        .select_related("doctor")
        .order_by("doctor__last_name", "doctor__first_name")
    )
    line = ApplicationLine(application=application)
    chosen = trainings.filter(pk=query_int(request.GET, "alis", 0)).select_related("grant_profile", "employer").first()
    derived = eligibility.default_inputs(chosen, year) if chosen else None
    form, saved = process_form(
        request, LineForm, instance=line, parent=application, trainings=trainings, derived=derived,
        initial={"training": chosen.pk} if chosen else {},
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
    lines_ = ApplicationLine.objects.filter(application__in=GrantApplication.objects.visible_to(request.user))
    return get_object_or_404(
        lines_.select_related(
            "application__municipality__county", "application__period", "training__doctor", "training__grant_profile"
        ),
        pk=pk,
    )


def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = _visible_line(request, pk)
    application = line.application
    require_region_edit(request.user, application.office_id)
    derived = eligibility.default_inputs(line.training, GrantYear.of(application.period))
    form, saved = process_form(request, LineForm, instance=line, parent=application, derived=derived)
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
    """Money left on the table: eligible ALIS in no application, and municipalities that sent nothing.

    The period is the one chosen, else the one covering today; when today's is missing, the ALIS are listed
    with their estimates unknown, and the page says which rates are missing.
    """
    require_personal_data(request.user)
    chosen = chosen_period(request.GET.get("periode"))
    year = GrantYear.of(chosen) if chosen else grant_year_on(timezone.localdate())
    office_code = _office_code(request)
    gaps = eligibility.left_on_table(year, user=request.user, office_code=office_code)
    totals = lines.Totals()
    for gap in gaps:
        for estimate in gap.estimates:
            totals.add(estimate)
    unknown = [gap.municipality for gap in gaps if gap.municipality.centrality is None]
    context = {
        "periods": RatePeriod.objects.select_related("scheme"),
        "offices": Office.objects.all() if request.user.sees_all_regions else [],
        "office_code": office_code or "",
        "gaps": gaps,
        "totals": totals,
        "silent": eligibility.sent_nothing(year, user=request.user, office_code=office_code),
        # All regions at once: one row per municipality; the ALIS themselves once an office is chosen.
        "per_alis": office_code is not None,
        "can_edit": request.user.edits_region(request.user.office_id),
        "period": year.period,
        **_rates_context(request.user, year),
        **_centrality_context(request.user, unknown),
    }
    return render(request, "grants/not_applied.html", context)


def summary(request: HttpRequest) -> HttpResponse:
    """Totals per office and period: no personal data, so the aggregate reader sees it too.

    The sums are computed line by line from today's rates and centrality classes, as on every other page.
    """
    rows = (
        GrantApplication.objects.values("period__start", "period__end", "municipality__county__office__name")
        .annotate(
            applications=Count("pk", distinct=True),
            sent=Count("pk", filter=~Q(status=GrantApplication.Status.DRAFT), distinct=True),
            granted=Coalesce(Sum("granted_amount"), Decimal(0), output_field=MONEY),
        )
        .order_by("-period__start", "municipality__county__office__ordering")
    )
    groups = {
        pk: (start, office)
        for pk, start, office in GrantApplication.objects.values_list(
            "pk", "period__start", "municipality__county__office__name"
        )
    }
    sums: dict[tuple, lines.Totals] = {}
    unknown_applications: dict[tuple, set[int]] = {}
    for line in evaluate_lines(ApplicationLine.objects.order_by()):
        key = groups[line.application_id]
        sums.setdefault(key, lines.Totals()).add(line.amount)
        if line.amount.centrality_unknown:
            unknown_applications.setdefault(key, set()).add(line.application_id)
    table = []
    for row in rows:
        key = (row["period__start"], row["municipality__county__office__name"])
        table.append(
            row
            | {
                "totals": sums.get(key, lines.Totals()),
                "centrality_unknown": len(unknown_applications.get(key, ())),
            }
        )
    return render(request, "grants/summary.html", {"rows": table})


# Cost sheets: what an ALIS costs the municipality

COMPARISON_COLUMNS = 8  # seed 002 compares four ALIS side by side; more columns do not fit a page


def _cap_finder():
    """`cap(training, year)`, reading each year's rate period once."""
    years: dict[int, GrantYear] = {}

    def cap(training: Training, year: int) -> costs.GrantCap:
        if year not in years:
            years[year] = periods.grant_year_starting_in(year)
        grant_year = years[year]
        profile = getattr(training, "grant_profile", None)
        position_type = profile.position_type if profile else ""
        return costs.grant_cap(
            rates=grant_year.rates if grant_year.period else None,
            year_label=grant_year.label,
            position_type=position_type or lines.suggested_position_type(training.contract),
            centrality=training.employer.centrality,
        )

    return cap


def _check(sheet: CostSheet, cap: costs.GrantCap) -> costs.Check:
    return costs.check_sheet(
        contract=sheet.training.contract,
        list_length=sheet.list_length,
        per_capita=sheet.per_capita,
        agreement_payment=sheet.agreement_payment,
        alis_grant=sheet.alis_grant,
        cap=cap,
    )


COST_EXPORT = [
    ExportColumn(str(gettext_lazy("ALIS")), lambda s: s.training.doctor.full_name),
    ExportColumn(str(gettext_lazy("Kommune")), "training__employer__name"),
    ExportColumn(str(gettext_lazy("Sentralitet")), lambda s: s.training.employer.centrality or _("ukjent")),
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
    ExportColumn(str(gettext_lazy("Utdanningsutgifter")), "education_costs", DECIMAL),
    ExportColumn(
        str(gettext_lazy("Utdanningsutgifter, andel av sum utgifter (%)")),
        lambda s: None if s.education_share is None else round(s.education_share * 100, 1),
        DECIMAL,
    ),
    ExportColumn(str(gettext_lazy("Tak for ALIS-tilskuddet")), lambda s: s.cap.description),
    ExportColumn(str(gettext_lazy("Avvik fra tilskuddsreglene")), lambda s: " ".join(s.check.errors.values())),
    ExportColumn(str(gettext_lazy("Ikke kontrollert")), lambda s: " ".join(s.check.notes)),
]


@dataclass(frozen=True)
class CostTotals:
    """All the year's sheets together: seed 002's "rundt 5 prosent" as a weighted share."""

    count: int
    expenses: Decimal
    financing: Decimal
    education: Decimal

    @property
    def net_cost(self) -> Decimal:
        return self.expenses - self.financing

    @property
    def education_share(self) -> Decimal | None:
        return self.education / self.expenses if self.expenses else None


def cost_list(request: HttpRequest) -> HttpResponse:
    """The cost sheets of a year, and side by side in the shape of seed 002's table "ALIS A–D"."""
    require_personal_data(request.user)
    visible = CostSheet.objects.visible_to(request.user)
    years = list(visible.order_by("-year").values_list("year", flat=True).distinct())
    year = query_int(request.GET, "aar")
    if year is None or not 1900 <= year <= 2100:
        year = years[0] if years else timezone.localdate().year
    in_year = visible.filter(year=year)
    municipalities = Municipality.objects.filter(pk__in=in_year.values("training__employer_id")).order_by(
        "name_norwegian"
    )
    municipality_pk = query_int(request.GET, "kommune")
    municipality = municipalities.filter(pk=municipality_pk).first() if municipality_pk is not None else None
    if municipality is not None:
        in_year = in_year.filter(training__employer=municipality)
    sheets = list(
        in_year.select_related("training__doctor", "training__employer__county", "training__grant_profile").order_by(
            "training__employer__name_norwegian", "training__doctor__last_name", "pk"
        )
    )
    cap = _cap_finder()
    for sheet in sheets:
        sheet.cap = cap(sheet.training, sheet.year)
        sheet.check = _check(sheet, sheet.cap)
    fmt = request.GET.get("format")
    if fmt in {"xlsx", "csv"}:
        return export_response(rows=sheets, columns=COST_EXPORT, filename=f"alis-kostnader-{year}", fmt=fmt)
    unknown = {s.training.employer.pk: s.training.employer for s in sheets if s.training.employer.centrality is None}
    totals = CostTotals(
        count=len(sheets),
        expenses=sum((s.expenses for s in sheets), Decimal(0)),
        financing=sum((s.financing for s in sheets), Decimal(0)),
        education=sum((s.education_costs for s in sheets), Decimal(0)),
    )
    letters = [chr(ord("A") + index) for index in range(COMPARISON_COLUMNS)]
    context = {
        "year": year,
        "years": years,
        "municipalities": municipalities,
        "municipality": municipality,
        "sheets": sheets,
        "totals": totals,
        "comparison": list(zip(letters, sheets, strict=False)) if len(sheets) <= COMPARISON_COLUMNS else None,
        "comparison_size": COMPARISON_COLUMNS,
        "broken": sum(1 for s in sheets if s.check.errors),
        **_centrality_context(request.user, list(unknown.values())),
    }
    return render(request, "grants/cost_list.html", context)


def _visible_sheet(request: HttpRequest, pk: int) -> CostSheet:
    sheets = CostSheet.objects.visible_to(request.user).select_related(
        "training__doctor", "training__employer__county", "training__grant_profile"
    )
    return get_object_or_404(sheets, pk=pk)


def cost_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _visible_sheet(request, pk)
    history.record_read(instance=sheet, by=request.user)
    cap = _cap_finder()(sheet.training, sheet.year)
    # The ALIS agreement's line belongs to a self-employed ALIS (shown for others only if it holds something).
    with_agreement = costs.has_agreement_line(sheet.training.contract) or sheet.agreement_payment
    shown_expenses = [n for n in EXPENSE_FIELDS if n != "agreement_payment" or with_agreement]
    employer = sheet.training.employer
    context = {
        "sheet": sheet,
        "expenses": [(CostSheet._meta.get_field(n).verbose_name, getattr(sheet, n)) for n in shown_expenses],
        "financing": [(CostSheet._meta.get_field(n).verbose_name, getattr(sheet, n)) for n in FINANCING_FIELDS],
        "cap": cap,
        "check": _check(sheet, cap),
        "can_edit": request.user.edits_region(sheet.office_id),
        "changes": history.history_of(sheet),
        **_centrality_context(request.user, [employer] if employer.centrality is None else []),
    }
    return render(request, "grants/cost_detail.html", context)


def _save_notes(request: HttpRequest, form: CostSheetForm) -> None:
    for note in form.notes:
        messages.warning(request, note)


def cost_create(request: HttpRequest) -> HttpResponse:
    training = get_object_or_404(
        Training.objects.visible_to(request.user).select_related("doctor", "employer__county", "grant_profile"),
        pk=query_int(request.GET, "alis", 0),
    )
    require_region_edit(request.user, training.office_id)
    year = timezone.localdate().year
    # The grant of the rate period that begins in the year, as the application computes it today.
    applied = evaluate_lines(ApplicationLine.objects.filter(training=training, application__period__start__year=year))
    granted = sum((line.amount.value or Decimal(0) for line in applied), Decimal(0))
    sheet = CostSheet(training=training, year=year, list_length=training.doctor.list_size, alis_grant=granted)
    form, saved = process_form(request, CostSheetForm, instance=sheet, cap_for_year=_cap_for(training))
    if saved:
        _save_notes(request, form)
        messages.success(request, _("Kostnadsarket er lagret."))
        return redirect("grants:cost_detail", pk=saved.pk)
    context = {
        "form": form,
        "object": training,
        "title": _("Nytt kostnadsark for %(name)s") % {"name": training.doctor.full_name},
        "cancel_url": reverse("grants:cost_list"),
    }
    return render(request, "core/form_page.html", context)


def _cap_for(training: Training):
    cap = _cap_finder()
    return lambda year: cap(training, year)


def cost_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _visible_sheet(request, pk)
    require_region_edit(request.user, sheet.office_id)
    form, saved = process_form(request, CostSheetForm, instance=sheet, cap_for_year=_cap_for(sheet.training))
    if saved:
        _save_notes(request, form)
        messages.success(request, _("Kostnadsarket er lagret."))
        return redirect("grants:cost_detail", pk=pk)
    context = {
        "form": form,
        "object": sheet.training,
        "title": _("Endre kostnadsark %(year)s") % {"year": sheet.year},
        "cancel_url": reverse("grants:cost_detail", args=[pk]),
    }
    return render(request, "core/form_page.html", context)
