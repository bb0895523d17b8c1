from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.abilities import may, require
from accounts.models import User
from core import dataversion, history, lists, readlog, tableversions
from core.editing import confirm_page, delete_page, form_page, safe_next
from core.export import DECIMAL, FORMATS, NUMBER, ExportColumn, export_response
from core.formatting import kroner, number
from core.lists import EXPORT_PARAM, Column, Export, list_page, render_list
from core.navigation import Crumb, crumbs
from core.paths import path_for
from core.scoping import require_personal_data
from core.suggestions import suggestion_response
from core.templatetags.alis import percent
from core.validation import parse_int, query_date, query_int
from grants import calculation as calc
from grants import costs, eligibility, lines, periods, services
from grants.applications import evaluate_lines, kept_totals, totals_by_application
from grants.forms import (
    ALIS_SEARCH,
    ApplicationFilterForm,
    ApplicationForm,
    CalculatorForm,
    CostFilterForm,
    CostSheetForm,
    GrantProfileForm,
    GrantSchemeForm,
    LineForm,
    NewApplicationForm,
    RatePeriodForm,
    alis_label,
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
from grants.templatetags.grants_tags import kroner_or_unknown, share
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
        "add_rates_url": add_url if may(user, "add" if year.period is None else "change", RatePeriod) else "",
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
    url = path_for("registry:centrality_edit" if editable else "registry:municipality_detail")
    for municipality in sorted(municipalities, key=lambda m: m.name_norwegian):
        fixes.append(CentralityFix(municipality, url(municipality.pk), editable))
    return fixes


def _centrality_items(fixes: list[CentralityFix]) -> SafeString:
    """The fixes' links as list items (the whole country can have a hundred: written here, not in a loop)."""
    return format_html_join(
        "",
        '<li><a class="ds-link" href="{}">{}</a></li>',
        (
            (
                fix.url,
                _("Sett sentralitet for %(name)s") % {"name": fix.municipality.name}
                if fix.editable
                else fix.municipality.name,
            )
            for fix in fixes
        ),
    )


def _centrality_context(user: User, municipalities: list[Municipality]) -> dict:
    fixes = _centrality_fixes(user, municipalities)
    return {
        "centrality_fixes": fixes,
        "centrality_items": _centrality_items(fixes),
        "imports_ssb": user.edits_reference_data,
    }


# Scheme and rate periods: national reference data (everyone reads, the coordinator edits)


def _rates_tag(period: RatePeriod) -> str:
    if period.missing_rates():
        return format_html('<span class="ds-tag" data-color="danger">{}</span>', _("Mangler satser"))
    if period.verified:
        return format_html('<span class="ds-tag" data-color="success">{}</span>', _("Kontrollert"))
    return format_html('<span class="ds-tag" data-color="warning">{}</span>', _("Ikke kontrollert"))


def _known(name: str):
    """A date of the period, or «ikke kjent» (a deadline not yet announced)."""
    return lambda period: getattr(period, name) or _("ikke kjent")


PERIOD_COLUMNS = [
    Column(
        "period",
        gettext_lazy("Periode"),
        ("start",),
        value=str,
        link=lambda p: path_for("grants:period_detail")(p.pk),
    ),
    Column("scheme", gettext_lazy("Ordning"), ("scheme__name", "start"), value="scheme.name"),
    Column("rates", gettext_lazy("Satsene"), value=_rates_tag),
    Column("deadline", gettext_lazy("Søknadsfrist"), ("application_deadline",), value=_known("application_deadline")),
    Column("auditor", gettext_lazy("Revisorerklæring"), ("auditor_deadline",), value=_known("auditor_deadline")),
    Column("applications", gettext_lazy("Søknader"), ("application_count", "start"), numeric=True,
           value="application_count"),
]  # fmt: skip


def _grants_crumbs(*levels: tuple[str, str] | str) -> list[Crumb]:
    return crumbs((_("Tilskudd"), reverse("grants:index")), *levels)


def index(request: HttpRequest) -> HttpResponse:
    """The schemes and their rate periods (national reference data: everyone reads, the coordinator edits)."""
    all_periods = RatePeriod.objects.select_related("scheme").annotate(application_count=Count("applications"))
    listing = list_page(
        request,
        all_periods,
        columns=PERIOD_COLUMNS,
        default_sort="-period",
        caption=_("Satsperiodene: satsene Helsedirektoratet har kunngjort for hvert tilskuddsår"),
        empty_text=_(
            "Ingen satsperioder ennå. Den nasjonale koordinatoren legger inn satsene fra Helsedirektoratets "
            "kunngjøring."
        ),
    )
    context = {
        "schemes": GrantScheme.objects.all(),
        **_rates_context(request.user, grant_year_on(timezone.localdate())),
    }
    return render_list(request, "grants/index.html", listing, context)


def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(GrantScheme, pk=pk)
    return form_page(
        request,
        GrantSchemeForm,
        instance=scheme,
        title=_("Endre tilskuddsordningen"),
        saved_message=_("Tilskuddsordningen er lagret."),
        success_url=reverse("grants:index"),
        breadcrumbs=_grants_crumbs(),
    )


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


def _period_crumbs(period: RatePeriod) -> list[Crumb]:
    return _grants_crumbs((_("Satsperiode %(period)s") % {"period": period}, reverse("grants:period_detail",
                                                                                      args=[period.pk])))


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
        # A period with applications can not be deleted: no link to a page that says so.
        "can_delete": may(request.user, "delete", period) and not period.applications.exists(),
        "changes": history.history_of(period, user=request.user),
        "breadcrumbs": _grants_crumbs(_("Satsperiode %(period)s") % {"period": period}),
        **_rates_context(request.user, GrantYear.of(period)),
    }
    return render(request, "grants/period_detail.html", context)


def period_delete(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(RatePeriod.objects.select_related("scheme"), pk=pk)
    applications = period.applications.count()
    return delete_page(
        request,
        period,
        parent=period.scheme,
        title=_("Slette satsperioden %(period)s?") % {"period": period},
        question=_("Satsene for perioden slettes. Anslag for perioden vises som ukjent til nye satser er lagt inn."),
        deleted_message=_("Satsperioden er slettet."),
        success_url=reverse("grants:index"),
        cancel_url=reverse("grants:period_detail", args=[pk]),
        facts=[(_("Ordning"), period.scheme.name), (_("Periode"), str(period))],
        blocked=ngettext(
            "Satsperioden har %(count)s søknad og kan ikke slettes.",
            "Satsperioden har %(count)s søknader og kan ikke slettes.",
            applications,
        )
        % {"count": applications}
        if applications
        else "",
        breadcrumbs=_period_crumbs(period),
    )


def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(RatePeriod.objects.select_related("scheme"), pk=pk)
    return form_page(
        request,
        RatePeriodForm,
        instance=period,
        title=_("Endre satsperiode %(period)s") % {"period": period},
        saved_message=_("Satsperioden er lagret."),
        success_url=reverse("grants:period_detail", args=[pk]),
        breadcrumbs=_period_crumbs(period),
    )


def _date_param(request: HttpRequest, name: str) -> date | None:
    return query_date(request.GET, name)


def period_create(request: HttpRequest) -> HttpResponse:
    """A new period with its rates empty (unknown) until the coordinator types them from the announcement.

    `?kopier=<pk>` starts from another period's rates instead, marked unverified; `?fra=&til=` sets the dates.
    """
    require(request.user, "add", RatePeriod)
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

    if copy is not None:
        title = _("Ny satsperiode (satsene er kopiert fra %(period)s)") % {"period": copy}
    else:
        title = _("Ny satsperiode")
    return form_page(
        request,
        RatePeriodForm,
        instance=draft,
        prepare=with_scheme,
        title=title,
        saved_message=_("Satsperioden er opprettet."),
        success_url=lambda saved: reverse("grants:period_detail", args=[saved.pk]),
        cancel_url=reverse("grants:index"),
        breadcrumbs=_grants_crumbs(),
    )


@require_POST
def period_load(request: HttpRequest) -> HttpResponse:
    """The coordinator brings in the rate table shipped with the app (2025/26, not verified)."""
    require(request.user, "add", RatePeriod)
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
        readlog.read(request, training)
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
    profile = GrantProfile.objects.filter(training=training).first() or GrantProfile(training=training)
    alis_page = reverse("training:detail", args=[training.pk])
    return form_page(
        request,
        GrantProfileForm,
        instance=profile,
        parent=training,
        title=_("Tilskuddsopplysninger for %(name)s") % {"name": training.doctor.full_name},
        saved_message=_("Tilskuddsopplysningene er lagret."),
        success_url=safe_next(request) or alis_page,
        breadcrumbs=crumbs((_("ALIS"), reverse("training:list")), (training.doctor.full_name, alis_page)),
    )


# Applications

def _amount_cell(application: GrantApplication) -> str:
    """The amount applied for, with what it leaves out or overrides below it."""
    totals = application.totals
    notes = []
    if totals.rates_unknown:
        notes.append(_("satser mangler"))
    elif totals.centrality_unknown:
        notes.append(_("uten tillegg: sentralitet ukjent"))
    if totals.overridden:
        notes.append(
            ngettext("%(counter)s overstyrt", "%(counter)s overstyrt", totals.overridden)
            % {"counter": totals.overridden}
        )
    below = format_html_join("", '<br><span class="muted">{}</span>', ((note,) for note in notes))
    return format_html("{}{}", kroner_or_unknown(totals.value), below)


APPLICATION_COLUMNS = [
    Column("municipality", gettext_lazy("Kommune"), ("municipality__name_norwegian",), value="municipality.name",
           link=lambda a: path_for("grants:application_detail")(a.pk)),
    Column("period", gettext_lazy("Periode"), ("period__start", "municipality__name_norwegian"),
           value=lambda a: str(a.period)),
    Column("status", gettext_lazy("Status"), ("status", "municipality__name_norwegian"), value="get_status_display"),
    Column("sent_on", gettext_lazy("Sendt"), ("sent_on",)),
    Column("lines", gettext_lazy("ALIS"), ("line_count", "municipality__name_norwegian"), numeric=True,
           value="line_count"),
    # Computed from the lines each time, so not sortable in the database.
    Column("amount", gettext_lazy("Søkt beløp"), numeric=True, value=_amount_cell),
    Column("granted", gettext_lazy("Innvilget"), ("granted_amount", "municipality__name_norwegian"), numeric=True,
           value=lambda a: kroner(a.granted_amount)),
]  # fmt: skip


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


def _with_totals(applications: list[GrantApplication]) -> None:
    """Each application's sum of its lines, for the amount cell."""
    totals = kept_totals([a.pk for a in applications])
    for application in applications:
        application.totals = totals[application.pk]


def application_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    form = ApplicationFilterForm(request.GET, user=request.user)
    queryset = form.filter(
        GrantApplication.objects.visible_to(request.user)
        .select_related("municipality__county", "period")
        .with_line_count()
    )
    fmt = request.GET.get(EXPORT_PARAM)
    if fmt in FORMATS:
        readlog.read_list(request, rows=queryset.count(), label=_("Tilskuddssøknader"), export=True)
        # The amounts are computed from the lines, for all the applications the filters select.
        if request.GET.get("niva") == "linjer":
            return _export_lines(queryset, fmt)
        applications = list(queryset.order_by("municipality__name_norwegian", "period__start", "pk"))
        totals = totals_by_application(queryset)
        for application in applications:
            application.totals = totals[application.pk]
        return export_response(rows=applications, columns=APPLICATION_EXPORT, filename="tilskuddssoknader", fmt=fmt)
    listing = list_page(
        request,
        queryset,
        columns=APPLICATION_COLUMNS,
        default_sort="municipality",
        caption=_(
            "Én søknad per kommune og satsperiode; søkt beløp er summen av linjene, regnet ut på nytt fra satsene, "
            "sentraliteten og utdanningsløpene (overstyrt beløp der det finnes)"
        ),
        empty_text=_("Ingen søknader passer til filteret."),
        export=Export(APPLICATION_EXPORT, "tilskuddssoknader"),
        keep_rows=True,
        prepare_rows=_with_totals,
    )
    unknown = Municipality.objects.filter(
        centrality__isnull=True, pk__in=queryset.order_by().values("municipality_id")
    ).select_related("county")
    context = {
        "form": form,
        "results_before": "grants/_application_results.html",
        # With the rows: the municipalities of unknown centrality among all the applications the filters select.
        **tableversions.kept(
            f"centrality:{lists.request_key(request)}",
            lambda: _centrality_context(request.user, list(unknown)),
            also=tableversions.so_far(),
        ),
    }
    return render_list(request, "grants/application_list.html", listing, context)


def _editable_municipalities(user) -> QuerySet[Municipality]:
    municipalities = Municipality.objects.order_by("name_norwegian")
    return municipalities if user.edits_region(None) else municipalities.filter(county__office_id=user.office_id)


def _application_crumbs(application: GrantApplication | None = None) -> list[Crumb]:
    levels: list = [(_("Søknader"), reverse("grants:application_list"))]
    if application is not None:
        levels.append((_application_title(application), reverse("grants:application_detail", args=[application.pk])))
    return crumbs(*levels)


def _application_title(application: GrantApplication) -> str:
    return _("Søknad fra %(name)s") % {"name": application.municipality.name}


def application_create(request: HttpRequest) -> HttpResponse:
    """A new application, with a line for each eligible ALIS of the municipality not yet applied for."""
    initial = {"municipality": parse_int(request.GET.get("kommune")), "period": parse_int(request.GET.get("periode"))}
    added: list[int] = []

    def add_lines(application: GrantApplication) -> None:
        added.append(services.application_lines_add(application=application, by=request.user))

    # The message is written once the lines are in (form_page shows it after `on_saved`).
    saved_message = lazy(lambda: _("Søknaden er opprettet med %(count)s ALIS.") % {"count": added[0]}, str)()
    with transaction.atomic():  # the application and its lines together, or neither
        return form_page(
            request,
            NewApplicationForm,
            instance=GrantApplication(),
            form_kwargs={"municipalities": _editable_municipalities(request.user), "initial": initial},
            on_saved=add_lines,
            title=_("Ny tilskuddssøknad"),
            saved_message=saved_message,
            success_url=lambda saved: reverse("grants:application_detail", args=[saved.pk]),
            cancel_url=reverse("grants:application_list"),
            breadcrumbs=_application_crumbs(),
        )


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
        # One answer for every line: the lines belong to the application's region.
        "can_edit": may(request.user, "change", application),
        "missing": eligibility.not_applied(GrantYear.of(application.period), user=request.user)
        .filter(employer=municipality)
        .count(),
        "changes": history.history_of(application, user=request.user),
        "breadcrumbs": crumbs((_("Søknader"), reverse("grants:application_list")), _application_title(application)),
        **_rates_context(request.user, GrantYear.of(application.period)),
        **_centrality_context(request.user, [municipality] if municipality.centrality is None else []),
    }
    readlog.read(request, application, (line for line, _amount in rows))
    return render(request, "grants/application_detail.html", context)


def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    return form_page(
        request,
        ApplicationForm,
        instance=application,
        title=_("Status og frister for søknaden"),
        saved_message=_("Søknaden er lagret."),
        success_url=reverse("grants:application_detail", args=[pk]),
        breadcrumbs=_application_crumbs(application),
    )


def application_delete(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    require(request.user, "delete", application)

    def act() -> str:
        services.application_delete(application=application, by=request.user)
        return _("Søknaden er slettet.")

    count = application.lines.count()
    return confirm_page(
        request,
        about=application,
        title=_("Slette søknaden fra %(name)s?") % {"name": application.municipality.name},
        question=_("Søknaden og linjene for hver ALIS slettes. ALIS i søknaden vises igjen som «ikke søkt»."),
        confirm_label=_("Slett"),
        act=act,
        success_url=reverse("grants:application_list"),
        cancel_url=reverse("grants:application_detail", args=[pk]),
        facts=[
            (_("Periode"), application.period.label),
            (_("Status"), application.get_status_display()),
            (_("ALIS i søknaden"), number(count)),
        ],
        # A sent application is a record of what the municipality asked for: its status changes instead.
        blocked=_("Søknaden er sendt og kan ikke slettes. Endre status i stedet.") if application.is_sent else "",
        breadcrumbs=_application_crumbs(application),
    )


def line_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    trainings = _line_candidates(request, application)
    chosen = trainings.filter(pk=query_int(request.GET, "alis", 0)).select_related("grant_profile", "employer").first()
    year = GrantYear.of(application.period)
    return form_page(
        request,
        LineForm,
        instance=ApplicationLine(application=application),
        parent=application,
        form_kwargs={
            "trainings": trainings,
            "search_url": reverse("grants:line_alis_search", args=[pk]),
            "derived": eligibility.default_inputs(chosen, year) if chosen else None,
            "initial": {"training": chosen.pk} if chosen else {},
        },
        title=_("Legg til ALIS i søknaden"),
        saved_message=_("ALIS er lagt til i søknaden."),
        success_url=reverse("grants:application_detail", args=[pk]),
        breadcrumbs=_application_crumbs(application),
    )


def _line_candidates(request: HttpRequest, application: GrantApplication) -> QuerySet[Training]:
    """The ALIS a new line may be for: eligible in the municipality, not yet in an application of the period."""
    return (
        eligibility.not_applied(GrantYear.of(application.period), user=request.user)
        .filter(employer=application.municipality)
        .select_related("doctor")
        .order_by("doctor__last_name", "doctor__first_name", "pk")
    )


def line_alis_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The ALIS matching `?q=` that a new line of the application may be for (the Suggestion's options)."""
    application = _visible_application(request, pk)
    require(request.user, "add", ApplicationLine(application=application))
    return suggestion_response(
        request, _line_candidates(request, application), search_fields=ALIS_SEARCH, label=alis_label
    )


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
    derived = eligibility.default_inputs(line.training, GrantYear.of(application.period))
    return form_page(
        request,
        LineForm,
        instance=line,
        parent=application,
        form_kwargs={"derived": derived},
        title=_("Søknadslinje for %(name)s") % {"name": line.training.doctor.full_name},
        saved_message=_("Linjen er lagret."),
        success_url=reverse("grants:application_detail", args=[application.pk]),
        breadcrumbs=_application_crumbs(application),
    )


def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = _visible_line(request, pk)
    application = line.application
    name = line.training.doctor.full_name
    return delete_page(
        request,
        line,
        parent=application,
        title=_("Ta %(name)s ut av søknaden?") % {"name": name},
        question=_(
            "Linjen og det som er skrevet inn på den, slettes; ALIS kan legges til igjen senere. Endringen står i "
            "søknadens historikk."
        ),
        deleted_message=_("ALIS er tatt ut av søknaden."),
        success_url=reverse("grants:application_detail", args=[application.pk]),
        facts=[
            (_("Søknad"), _application_title(application)),
            (_("Periode"), application.period.label),
            (_("Søkt beløp"), kroner_or_unknown(line.evaluate().value)),
        ],
        breadcrumbs=_application_crumbs(application),
    )


def _office_code(request: HttpRequest) -> str | None:
    """Staff see their own region; the coordinator picks an office or sees all."""
    user = request.user
    if not user.sees_all_regions:
        return user.office.code if user.office else None
    code = request.GET.get("office") or ""
    return code if Office.objects.filter(code=code).exists() else None


NOT_APPLIED_PER_PAGE = 50


def not_applied(request: HttpRequest) -> HttpResponse:
    """Money left on the table: eligible ALIS in no application, and municipalities that sent nothing.

    The period is the one chosen, else the one covering today; when today's is missing, the ALIS are listed
    with their estimates unknown, and the page says which rates are missing.
    """
    require_personal_data(request.user)
    chosen = chosen_period(request.GET.get("periode"))
    year = GrantYear.of(chosen) if chosen else grant_year_on(timezone.localdate())
    office_code = _office_code(request)

    def figures() -> tuple[list, lines.Totals, list, SafeString, SafeString]:
        gaps = eligibility.left_on_table(year, user=request.user, office_code=office_code)
        totals = lines.Totals()
        for gap in gaps:
            for estimate in gap.estimates:
                totals.add(estimate)
        silent = eligibility.sent_nothing(year, user=request.user, office_code=office_code)
        # The tables of municipalities, hundreds of rows for the whole country, written with the figures
        # (their template loops took ~10 ms a request for the coordinator, profiled at 2x).
        return gaps, totals, silent, _silent_rows(silent), _gap_rows(gaps)

    # The estimate for every ALIS of the region runs once per data change (core.tableversions), not per request.
    period_key = f"{year.start}:{year.end}:{year.period.pk if year.period else ''}"
    key = f"not-applied:{dataversion.scope_key(request.user)}:{office_code}:{period_key}"
    gaps, totals, silent, silent_rows, gap_rows = tableversions.kept(key, figures)
    # All regions at once: one row per municipality; the ALIS themselves once an office is chosen, a page of them
    # at a time (grouped by municipality; a municipality split over two pages is continued on the next).
    per_alis = office_code is not None
    page = Paginator([(gap, *row) for gap in gaps for row in gap.rows] if per_alis else [], NOT_APPLIED_PER_PAGE)
    shown = page.get_page(request.GET.get("page"))
    groups: dict[int, tuple] = {}
    for gap, row, estimate in shown.object_list:
        groups.setdefault(id(gap), (gap, []))[1].append((row, estimate))
    query = request.GET.copy()
    query.pop("page", None)
    can_edit = may(request.user, "add", GrantApplication)
    unknown = [gap.municipality for gap in gaps if gap.municipality.centrality is None]
    groups_html = ""
    if per_alis:  # a page of the ALIS, written once per data change too
        group_context = {
            "groups": list(groups.values()),
            "page": shown,
            "can_edit": can_edit,
            "period": year.period,
            "full_path": request.get_full_path(),
        }
        groups_html = tableversions.kept(
            f"{key}:{group_context['full_path']}:{can_edit}",
            partial(render_to_string, "grants/_not_applied_groups.html", group_context),
            also=tableversions.so_far(),
        )
    context = {
        "periods": RatePeriod.objects.select_related("scheme"),
        "offices": Office.objects.all() if request.user.sees_all_regions else [],
        "office_code": office_code or "",
        "gaps": gaps,
        "groups_html": groups_html,
        "page": shown,
        "query": query,
        "totals": totals,
        "silent": silent,
        "silent_rows": silent_rows,
        "gap_rows": gap_rows,
        "per_alis": per_alis,
        "can_edit": can_edit,
        "period": year.period,
        **_rates_context(request.user, year),
        **tableversions.kept(
            f"{key}:centrality:{request.user.edits_reference_data}",
            partial(_centrality_context, request.user, unknown),
            also=tableversions.so_far(),
        ),
    }
    readlog.read_list(request, rows=len(gaps), label=_("Penger som ligger igjen"))
    return render(request, "grants/not_applied.html", context)


def _silent_rows(silent: list) -> SafeString:
    """The rows of the municipalities that sent nothing: name, ALIS that can give a grant, and the application."""
    detail = path_for("grants:application_detail")

    def application(row) -> SafeString:
        if row.application is None:
            return conditional_escape(_("ingen"))
        return format_html('<a href="{}">{}</a>', detail(row.application.pk), row.application.get_status_display())

    return format_html_join(
        "\n",
        '<tr><th scope="row">{}</th><td class="num">{}</td><td>{}</td></tr>',
        ((row.municipality.name, number(row.eligible), application(row)) for row in silent),
    )


def _gap_rows(gaps: list) -> SafeString:
    """The rows per municipality of the ALIS no application includes: centrality, ALIS and the estimate."""
    unknown, without_supplement = _("ukjent"), _("uten tillegg: sentralitet ukjent")

    def estimate(totals: lines.Totals) -> SafeString:
        note = ""
        if totals.centrality_unknown and not totals.rates_unknown:
            note = format_html('<br><span class="muted">{}</span>', without_supplement)
        return format_html("{}{}", kroner_or_unknown(totals.value), note)

    return format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td><td class="num">{}</td><td class="num">{}</td></tr>',
        (
            (
                gap.municipality.name,
                gap.municipality.centrality or unknown,
                number(gap.totals.lines),
                estimate(gap.totals),
            )
            for gap in gaps
        ),
    )


def summary(request: HttpRequest) -> HttpResponse:
    """Totals per office and period: no personal data, so the aggregate reader sees it too.

    The sums are computed line by line from today's rates and centrality classes, as on every other page.
    """
    # Every line of the country evaluated: once per data change and day (core.tableversions), not per request.
    table = tableversions.kept(f"grants-summary:{timezone.localdate()}", _summary_rows)
    return render(request, "grants/summary.html", {"rows": table})


def _summary_rows() -> list[dict]:
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
    return table


# Cost sheets: what an ALIS costs the municipality

COMPARISON_COLUMNS = 8  # seed 002 compares four ALIS side by side; more columns do not fit a page


def _cap_finder():
    """`cap(training, year)`, reading each year's rate period once and working out each cap once (a list of
    sheets has a few kinds of position and centrality between many ALIS)."""
    years: dict[int, GrantYear] = {}
    caps: dict[tuple, costs.GrantCap] = {}

    def cap(training: Training, year: int) -> costs.GrantCap:
        if year not in years:
            years[year] = periods.grant_year_starting_in(year)
        grant_year = years[year]
        profile = getattr(training, "grant_profile", None)
        position_type = (profile.position_type if profile else "") or lines.suggested_position_type(training.contract)
        key = (year, position_type, training.employer.centrality)
        if key not in caps:
            caps[key] = costs.grant_cap(
                rates=grant_year.rates if grant_year.period else None,
                year_label=grant_year.label,
                position_type=position_type,
                centrality=training.employer.centrality,
            )
        return caps[key]

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


def _rules_tag(sheet: CostSheet) -> str:
    if sheet.check.errors:
        return format_html('<span class="ds-tag" data-color="danger">{}</span>', _("Brutt"))
    if sheet.check.notes:
        return format_html('<span class="ds-tag" data-color="warning">{}</span>', _("Ikke kontrollert"))
    return format_html('<span class="ds-tag" data-color="success">{}</span>', _("Fulgt"))


COST_COLUMNS = [
    Column("alis", gettext_lazy("ALIS"), value="training.doctor.full_name",
           link=lambda s: path_for("grants:cost_detail")(s.pk)),
    Column("municipality", gettext_lazy("Kommune"), value="training.employer.name"),
    Column("contract", gettext_lazy("Tilknytning"), value="training.get_contract_display"),
    Column("list_length", gettext_lazy("Listelengde"), numeric=True, value="list_length"),
    Column("other_work", gettext_lazy("Annet kommunalt arbeid"), numeric=True,
           value=lambda s: percent(s.other_work_share)),
    Column("expenses", gettext_lazy("Sum utgifter"), numeric=True, value=lambda s: kroner(s.expenses)),
    Column("financing", gettext_lazy("Sum finansiering"), numeric=True, value=lambda s: kroner(s.financing)),
    Column("net_cost", gettext_lazy("Kommunens kostnad"), numeric=True, value=lambda s: kroner(s.net_cost)),
    Column("education", gettext_lazy("Utdanning, andel"), numeric=True, value=lambda s: share(s.education_share)),
    Column("rules", gettext_lazy("Regler"), value=_rules_tag),
]  # fmt: skip


def cost_list(request: HttpRequest) -> HttpResponse:
    """The cost sheets of a year, and side by side in the shape of seed 002's table "ALIS A–D"."""
    require_personal_data(request.user)
    visible = CostSheet.objects.visible_to(request.user)
    years = tableversions.kept(
        f"cost-years:{dataversion.scope_key(request.user)}",
        lambda: list(visible.order_by("-year").values_list("year", flat=True).distinct()),
    ) or [timezone.localdate().year]
    data = request.GET.copy()
    if not data.get("aar"):
        data["aar"] = str(years[0])  # the latest year with sheets, unless another is asked for
    municipalities = Municipality.objects.filter(pk__in=visible.values("training__employer_id")).order_by(
        "name_norwegian"
    )
    form = CostFilterForm(data, user=request.user, years=years, municipalities=municipalities)
    year = (form.cleaned_data["aar"] if form.is_valid() else None) or years[0]
    chosen = (
        form.filter(visible)
        .select_related("training__doctor", "training__employer__county", "training__grant_profile")
        .order_by("training__employer__name_norwegian", "training__doctor__last_name", "pk")
    )
    # Every sheet of the year is checked against its cap and summed: once per data change (core.tableversions).
    key = f"cost-sheets:{dataversion.scope_key(request.user)}:{sorted(data.lists())}"
    sheets, unknown, totals = tableversions.kept(key, partial(_costed, chosen))
    listing = list_page(
        request,
        sheets,
        columns=COST_COLUMNS,
        caption=_("Kostnadsark for %(year)s, i kroner") % {"year": year},
        empty_text=_("Ingen kostnadsark passer til filteret."),
        export=Export(COST_EXPORT, f"alis-kostnader-{year}"),
        keep_rows=True,
    )
    letters = [chr(ord("A") + index) for index in range(COMPARISON_COLUMNS)]
    context = {
        "form": form,
        "year": year,
        "sheets": sheets,
        "totals": totals,
        "comparison": list(zip(letters, sheets, strict=False)) if len(sheets) <= COMPARISON_COLUMNS else None,
        "comparison_size": COMPARISON_COLUMNS,
        "broken": sum(1 for s in sheets if s.check.errors),
        "results_before": "grants/_cost_comparison.html",
        **_centrality_context(request.user, unknown),
    }
    return render_list(request, "grants/cost_list.html", listing, context)


def _costed(sheets: QuerySet[CostSheet]) -> tuple[list[CostSheet], list[Municipality], CostTotals]:
    """The sheets, each with its cap and check; the municipalities of unknown centrality among them; the sums."""
    sheets = list(sheets)
    cap = _cap_finder()
    for sheet in sheets:
        sheet.cap = cap(sheet.training, sheet.year)
        sheet.check = _check(sheet, sheet.cap)
    unknown = {s.training.employer.pk: s.training.employer for s in sheets if s.training.employer.centrality is None}
    totals = CostTotals(
        count=len(sheets),
        expenses=sum((s.expenses for s in sheets), Decimal(0)),
        financing=sum((s.financing for s in sheets), Decimal(0)),
        education=sum((s.education_costs for s in sheets), Decimal(0)),
    )
    return sheets, list(unknown.values()), totals


def _visible_sheet(request: HttpRequest, pk: int) -> CostSheet:
    sheets = CostSheet.objects.visible_to(request.user).select_related(
        "training__doctor", "training__employer__county", "training__grant_profile"
    )
    return get_object_or_404(sheets, pk=pk)


def _cost_crumbs(sheet: CostSheet | None = None) -> list[Crumb]:
    levels: list = [(_("Kostnadsark"), reverse("grants:cost_list"))]
    if sheet is not None:
        levels.append((_cost_title(sheet), reverse("grants:cost_detail", args=[sheet.pk])))
    return crumbs(*levels)


def _cost_title(sheet: CostSheet) -> str:
    return _("%(name)s: kostnader %(year)s") % {"name": sheet.training.doctor.full_name, "year": sheet.year}


def cost_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _visible_sheet(request, pk)
    readlog.read(request, sheet)
    cap = _cap_finder()(sheet.training, sheet.year)
    # The ALIS agreement's line belongs to a self-employed ALIS (shown for others only if it holds something).
    with_agreement = costs.has_agreement_line(sheet.training.contract) or sheet.agreement_payment
    shown_expenses = [n for n in EXPENSE_FIELDS if n != "agreement_payment" or with_agreement]
    employer = sheet.training.employer
    context = {
        "sheet": sheet,
        "title": _cost_title(sheet),
        "expenses": [(CostSheet._meta.get_field(n).verbose_name, getattr(sheet, n)) for n in shown_expenses],
        "financing": [(CostSheet._meta.get_field(n).verbose_name, getattr(sheet, n)) for n in FINANCING_FIELDS],
        "cap": cap,
        "check": _check(sheet, cap),
        "changes": history.history_of(sheet, user=request.user),
        "breadcrumbs": crumbs((_("Kostnadsark"), reverse("grants:cost_list") + f"?aar={sheet.year}"),
                              _cost_title(sheet)),
        **_centrality_context(request.user, [employer] if employer.centrality is None else []),
    }
    return render(request, "grants/cost_detail.html", context)


def _warn_of_unchecked(request: HttpRequest, cap_of_year):
    """After a save: what the rules of `grants.costs` could not check, as warnings next to the saved message."""

    def warn(sheet: CostSheet) -> None:
        for note in _check(sheet, cap_of_year(sheet.year)).notes:
            messages.warning(request, note)

    return warn


def cost_create(request: HttpRequest) -> HttpResponse:
    training = get_object_or_404(
        Training.objects.visible_to(request.user).select_related("doctor", "employer__county", "grant_profile"),
        pk=query_int(request.GET, "alis", 0),
    )
    year = timezone.localdate().year
    # The grant of the rate period that begins in the year, as the application computes it today.
    applied = evaluate_lines(ApplicationLine.objects.filter(training=training, application__period__start__year=year))
    granted = sum((line.amount.value or Decimal(0) for line in applied), Decimal(0))
    sheet = CostSheet(training=training, year=year, list_length=training.doctor.list_size, alis_grant=granted)
    cap_of_year = _cap_for(training)
    readlog.read(request, training)
    return form_page(
        request,
        CostSheetForm,
        instance=sheet,
        form_kwargs={"cap_for_year": cap_of_year},
        on_saved=_warn_of_unchecked(request, cap_of_year),
        title=_("Nytt kostnadsark for %(name)s") % {"name": training.doctor.full_name},
        saved_message=_("Kostnadsarket er lagret."),
        success_url=lambda saved: reverse("grants:cost_detail", args=[saved.pk]),
        cancel_url=reverse("grants:cost_list"),
        breadcrumbs=_cost_crumbs(),
    )


def _cap_for(training: Training):
    cap = _cap_finder()
    return lambda year: cap(training, year)


def cost_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _visible_sheet(request, pk)
    cap_of_year = _cap_for(sheet.training)
    return form_page(
        request,
        CostSheetForm,
        instance=sheet,
        form_kwargs={"cap_for_year": cap_of_year},
        on_saved=_warn_of_unchecked(request, cap_of_year),
        title=_("Endre kostnadsark %(year)s") % {"year": sheet.year},
        saved_message=_("Kostnadsarket er lagret."),
        success_url=reverse("grants:cost_detail", args=[pk]),
        breadcrumbs=_cost_crumbs(sheet),
    )


def cost_delete(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _visible_sheet(request, pk)
    return delete_page(
        request,
        sheet,
        parent=sheet.training,
        title=_("Slette kostnadsarket for %(name)s, %(year)s?") % {"name": sheet.training.doctor.full_name,
                                                                     "year": sheet.year},
        question=_("Arket og tallene i det slettes. Endringen står i historikken til ALIS."),
        deleted_message=_("Kostnadsarket er slettet."),
        success_url=reverse("grants:cost_list") + f"?aar={sheet.year}",
        cancel_url=reverse("grants:cost_detail", args=[pk]),
        facts=[
            (_("Kommune"), sheet.training.employer.name),
            (_("Kommunens kostnad"), kroner(sheet.net_cost)),
        ],
        breadcrumbs=_cost_crumbs(sheet),
    )
