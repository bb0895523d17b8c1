from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import history
from core.charts import bars
from core.editing import process_form
from core.lists import Column, list_page
from core.scoping import require_personal_data, require_reference_edit, require_region_edit
from office import render as report_render
from office import report as rp
from office import retention
from office.charts import retention_chart
from office.forms import (
    ActivityForm,
    AnnualReportForm,
    InquiryFilterForm,
    InquiryForm,
    InquiryTopicForm,
    InstitutionForm,
    InstitutionRegistrationForm,
    PartnerForm,
    StaffMemberForm,
)
from office.models import (
    Activity,
    AnnualReport,
    Inquiry,
    InquiryTopic,
    Institution,
    InstitutionRegistration,
    Partner,
    StaffMember,
)
from registry.models import Municipality, Office, RegistrationStatus
from training import overview as ov
from training.models import Training


def _today() -> date:
    return timezone.localdate()


def _own_office(user: User) -> Office:
    """The office a new record belongs to: only staff of an office (and not the coordinator) add to it."""
    if user.office_id is None:
        raise PermissionDenied
    require_region_edit(user, user.office_id)
    return user.office


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2017 <= year <= 2100 else default


# Inquiries

INQUIRY_COLUMNS = [
    Column("date", gettext_lazy("Dato"), ("date",)),
    Column("channel", gettext_lazy("Kanal"), ("channel", "date")),
    Column("sender", gettext_lazy("Fra"), ("sender", "date")),
    Column("topics", gettext_lazy("Emner")),
    Column("note", gettext_lazy("Notat")),
    Column("minutes", gettext_lazy("Minutter"), ("minutes",), numeric=True),
    Column("status", gettext_lazy("Status"), ("status", "date")),
]


QUICK_ID = "quick_%s"  # the filter form below has fields of the same names: ids must differ


def _inquiry_form(office: Office, *, focus: bool = False) -> InquiryForm:
    return InquiryForm(office=office, today=_today(), instance=Inquiry(office=office), focus=focus, auto_id=QUICK_ID)


def inquiry_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    form = InquiryFilterForm(request.GET, user=request.user)
    inquiries = (
        Inquiry.objects.visible_to(request.user)
        .select_related("municipality", "doctor", "health_trust", "office")
        .prefetch_related(Prefetch("topics", queryset=InquiryTopic.objects.all()))
    )
    listing = list_page(request, form.filter(inquiries), columns=INQUIRY_COLUMNS, default_sort="-date")
    context = {"form": form, "listing": listing}
    if request.user.edits_region(request.user.office_id) and request.user.office_id:
        context["quick"] = _inquiry_form(request.user.office)
    template = "office/inquiry_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


def inquiry_create(request: HttpRequest) -> HttpResponse:
    """The quick entry: with HTMX the form comes back empty (today, phone, answered) and focused for the next."""
    office = _own_office(request.user)
    form, saved = process_form(
        request, InquiryForm, instance=Inquiry(office=office), office=office, today=_today(), auto_id=QUICK_ID
    )
    if saved and not request.htmx:
        messages.success(request, _("Henvendelsen er lagret."))
        return redirect("office:inquiry_list")
    if saved:
        response = render(
            request, "office/inquiry_list.html#quick", {"quick": _inquiry_form(office, focus=True), "saved": saved}
        )
        response["HX-Trigger"] = "inquirySaved"
        return response
    if request.htmx:
        return render(request, "office/inquiry_list.html#quick", {"quick": form})
    return render(
        request,
        "core/form_page.html",
        {"form": form, "title": _("Ny henvendelse"), "cancel_url": reverse("office:inquiry_list")},
    )


def inquiry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_object_or_404(Inquiry.objects.visible_to(request.user).select_related("office"), pk=pk)
    require_region_edit(request.user, inquiry.office_id)
    form, saved = process_form(request, InquiryForm, instance=inquiry, office=inquiry.office, today=_today())
    if saved:
        messages.success(request, _("Henvendelsen er lagret."))
        return redirect("office:inquiry_list")
    context = {"form": form, "title": _("Endre henvendelse"), "cancel_url": reverse("office:inquiry_list")}
    return render(request, "core/form_page.html", context)


def inquiry_stats(request: HttpRequest) -> HttpResponse:
    """Inquiries by topic and month for a year, in the user's region (the coordinator: one office or all)."""
    require_personal_data(request.user)
    year = _year(request, _today().year)
    office = ov.office_scope(request.user, request.GET.get("office"))
    inquiries = Inquiry.objects.visible_to(request.user).in_year(year)
    if office:
        inquiries = inquiries.filter(office=office)
    by_topic_month = {
        (row["topics"], row["date__month"]): row["n"]
        for row in inquiries.values("topics", "date__month").annotate(n=Count("pk")).order_by()
    }
    topic_rows, total, hours = rp.inquiry_counts(inquiries)
    topics = [t for t in InquiryTopic.objects.all() if t.active or any(k[0] == t.pk for k in by_topic_month)]
    rows = [
        (topic.name, [by_topic_month.get((topic.pk, m), 0) for m in range(1, 13)], counted[1])
        for topic, counted in zip(topics, topic_rows, strict=True)
    ]
    months = rp.inquiries_by_month(inquiries)
    context = {
        "year": year,
        "office": office,
        "offices": Office.objects.all() if request.user.sees_all_regions else [],
        "month_names": [str(MONTHS[m])[:3] for m in range(1, 13)],
        "rows": rows,
        "months": months,
        "total": total,
        "hours": hours,
        "topic_chart": bars([(name, n) for name, _months, n in rows]),
        "month_chart": bars([(str(MONTHS[m]).capitalize(), months[m - 1]) for m in range(1, 13)]),
    }
    return render(request, "office/inquiry_stats.html", context)


# Topics (national reference data)


def topic_list(request: HttpRequest) -> HttpResponse:
    require_reference_edit(request.user)
    form, saved = process_form(request, InquiryTopicForm, instance=InquiryTopic())
    if saved:
        messages.success(request, _("Emnet er lagt til."))
        return redirect("office:topic_list")
    return render(request, "office/topic_list.html", {"form": form, "topics": InquiryTopic.objects.all()})


def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_reference_edit(request.user)
    topic = get_object_or_404(InquiryTopic, pk=pk)
    form, saved = process_form(request, InquiryTopicForm, instance=topic)
    if saved:
        messages.success(request, _("Emnet er lagret."))
        return redirect("office:topic_list")
    context = {"form": form, "title": _("Endre emne"), "cancel_url": reverse("office:topic_list")}
    return render(request, "core/form_page.html", context)


# Activities, partners, staff: plain lists with a form each


def _simple_list(request: HttpRequest, queryset: QuerySet, *, kind: str, columns: list[Column], cells, sort: str):
    require_personal_data(request.user)
    listing = list_page(request, queryset, columns=columns, default_sort=sort)
    rows = [(obj, cells(obj)) for obj in listing.rows]
    user = request.user
    context = {
        "listing": listing,
        "rows": rows,
        "kind": kind,
        "title": TITLES[kind],
        "can_add": bool(user.office_id) and user.edits_region(user.office_id),
        "add_url": reverse(f"office:{kind}_create"),
        "intro": INTROS.get(kind, ""),
        "show_office": user.sees_all_regions,
    }
    return render(request, "office/simple_list.html", context)


TITLES = {
    "activity": gettext_lazy("Utadrettede aktiviteter"),
    "partner": gettext_lazy("Samarbeidspartnere"),
    "staff": gettext_lazy("Ansatte ved kontoret"),
    "institution": gettext_lazy("Andre utdanningsvirksomheter i samfunnsmedisin"),
}
ACTIVITY_COLUMNS = [
    Column("date", gettext_lazy("Dato"), ("date",)),
    Column("kind", gettext_lazy("Type"), ("kind", "date")),
    Column("theme", gettext_lazy("Tema"), ("theme",)),
    Column("place", gettext_lazy("Sted"), ("place", "date")),
    Column("with_whom", gettext_lazy("Med hvem")),
    Column("participants", gettext_lazy("Deltakere"), ("participants",), numeric=True),
    Column("comment", gettext_lazy("Kommentar")),
]
PARTNER_COLUMNS = [
    Column("name", gettext_lazy("Navn"), ("name",)),
    Column("kind", gettext_lazy("Type"), ("kind", "name")),
    Column("meetings", gettext_lazy("Møter i alt"), ("meetings", "name"), numeric=True),
]
STAFF_COLUMNS = [
    Column("name", gettext_lazy("Navn"), ("name",)),
    Column("title", gettext_lazy("Stilling"), ("title", "name")),
    Column("percent", gettext_lazy("Stillingsprosent"), ("position_percent", "name"), numeric=True),
    Column("start", gettext_lazy("Startdato"), ("start",)),
    Column("end", gettext_lazy("Sluttdato"), ("end",)),
    Column("comment", gettext_lazy("Kommentar")),
]
INSTITUTION_COLUMNS = [
    Column("name", gettext_lazy("Navn"), ("name",)),
    Column("municipality", gettext_lazy("Kommune"), ("municipality__name", "name")),
    Column("status", gettext_lazy("Status i samfunnsmedisin"), ("status", "name")),
    Column("since", gettext_lazy("Gjelder fra"), ("since", "name")),
]


def activity_list(request: HttpRequest) -> HttpResponse:
    activities = Activity.objects.visible_to(request.user).select_related("office")
    return _simple_list(
        request,
        activities,
        kind="activity",
        columns=ACTIVITY_COLUMNS,
        sort="-date",
        cells=lambda a: [a.date, a.get_kind_display(), a.theme, a.place, a.with_whom, a.participants, a.comment],
    )


def partner_list(request: HttpRequest) -> HttpResponse:
    partners = Partner.objects.visible_to(request.user).select_related("office").annotate(meetings=Count("activities"))
    return _simple_list(
        request,
        partners,
        kind="partner",
        columns=PARTNER_COLUMNS,
        sort="name",
        cells=lambda p: [p.name, p.get_kind_display(), p.meetings],
    )


def staff_list(request: HttpRequest) -> HttpResponse:
    staff = StaffMember.objects.visible_to(request.user).select_related("office")
    return _simple_list(
        request,
        staff,
        kind="staff",
        columns=STAFF_COLUMNS,
        sort="name",
        cells=lambda s: [s.name, s.title, s.position_percent, s.start, s.end, s.comment],
    )


def institution_list(request: HttpRequest) -> HttpResponse:
    latest = InstitutionRegistration.objects.filter(institution=OuterRef("pk")).order_by("-valid_from", "-pk")
    institutions = (
        Institution.objects.visible_to(request.user)
        .select_related("office", "municipality")
        .annotate(status=Subquery(latest.values("status")[:1]), since=Subquery(latest.values("valid_from")[:1]))
    )
    labels = dict(RegistrationStatus.choices)
    return _simple_list(
        request,
        institutions,
        kind="institution",
        columns=INSTITUTION_COLUMNS,
        sort="name",
        cells=lambda i: [
            i.name,
            i.municipality.name if i.municipality else "",
            labels.get(i.status or RegistrationStatus.NOT_APPLIED),
            i.since,
        ],
    )


INTROS = {
    "institution": gettext_lazy(
        "Virksomheter som ikke er kommuner, men som er (eller kan bli) utdanningsvirksomheter i samfunnsmedisin: "
        "årsrapporten teller dem med kommunene som «kommuner og andre virksomheter»."
    ),
}

FORMS = {
    "activity": (Activity, ActivityForm),
    "partner": (Partner, PartnerForm),
    "staff": (StaffMember, StaffMemberForm),
}
SAVED = {
    "activity": gettext_lazy("Aktiviteten er lagret."),
    "partner": gettext_lazy("Samarbeidspartneren er lagret."),
    "staff": gettext_lazy("Den ansatte er lagret."),
}


def _form_kwargs(kind: str, office: Office) -> dict:
    return {"office": office} if kind == "activity" else {}


def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    office = _own_office(request.user)
    model, form_class = FORMS[kind]
    form, saved = process_form(request, form_class, instance=model(office=office), **_form_kwargs(kind, office))
    if saved:
        messages.success(request, SAVED[kind])
        return redirect(f"office:{kind}_list")
    title = _("Ny: %(what)s") % {"what": model._meta.verbose_name}
    context = {"form": form, "title": title, "cancel_url": reverse(f"office:{kind}_list")}
    return render(request, "core/form_page.html", context)


def record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model, form_class = FORMS[kind]
    record = get_object_or_404(model.objects.visible_to(request.user).select_related("office"), pk=pk)
    require_region_edit(request.user, record.office_id)
    form, saved = process_form(request, form_class, instance=record, **_form_kwargs(kind, record.office))
    if saved:
        messages.success(request, SAVED[kind])
        return redirect(f"office:{kind}_list")
    context = {"form": form, "object": record, "title": _("Endre"), "cancel_url": reverse(f"office:{kind}_list")}
    if kind == "partner":
        context["meetings"] = record.activities.order_by("-date")
        return render(request, "office/partner_edit.html", context)
    return render(request, "core/form_page.html", context)


# Retention


def retention_page(request: HttpRequest) -> HttpResponse:
    """Kaplan–Meier by contract and by start cohort, why ALIS leave and where they go, and whether the specialists
    are still regular GPs 1, 3 and 5 years after completing (aggregates only)."""
    today = _today()
    office = ov.office_scope(request.user, request.GET.get("office"))
    trainings = Training.objects.in_office(office.pk) if office else Training.objects.all()
    views = rp.retention_views(trainings, today)
    by_contract, by_cohort = views["contract"], views["cohort"]
    paths: dict[int, str] = {}  # the "all" curve is in both charts
    year = _year(request, today.year)
    municipalities = Municipality.objects.in_office(office.pk) if office else None
    finished = rp.completions(trainings, today)
    stays = retention.stays_after_completion(
        finished,
        rp.regular_gp_lists(today, municipalities, [c.doctor for c in finished]),
        rp.region_municipalities(),
        on=today,
        years=rp.STAY_YEARS,
    )
    context = {
        "office": office,
        "offices": ov.selectable_offices(request.user),
        "today": today,
        "year": year,
        "views": [
            (
                _("Etter tilknytning"),
                "tilknytning",
                retention_chart(by_contract, paths),
                rp.retention_table(by_contract),
            ),
            (_("Etter startkull"), "kull", retention_chart(by_cohort, paths), rp.retention_table(by_cohort, "cohort")),
        ],
        "stays": rp.stays_table(stays),
        "leaving": rp.leaving_table(
            rp.leaving_pairs(trainings), title=_("Alle som har sluttet, etter årsak og hvor de gikk")
        ),
        "endings": rp.endings_table(trainings, year),
    }
    return render(request, "office/retention.html", context)


# The annual report


def _report_office(user: User, code: str) -> Office:
    """Staff see their own office's report; the coordinator and the aggregate reader every office's."""
    office = get_object_or_404(Office, code=code)
    if user.reads_personal_data and not user.sees_all_regions and office.pk != user.office_id:
        raise Http404
    return office


def report_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.reads_personal_data and not user.sees_all_regions and user.office:
        return redirect("office:report", code=user.office.code, year=_today().year - 1)
    context = {"offices": Office.objects.all(), "years": range(_today().year, 2018, -1)}
    return render(request, "office/report_index.html", context)


# Every report a person sees or downloads is built here. Small-number suppression for readers without personal
# data (core/suppression.py, «<5») belongs here too, applied to the tables marked `people`.


def _office_report(office: Office, year: int) -> rp.Report:
    return rp.build_report(office, year)


def _national_report(year: int) -> rp.Report:
    return rp.national_report(year)


def report_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    if request.method == "POST":  # the texts are written on their own page
        raise PermissionDenied
    office = _report_office(request.user, code)
    built = _office_report(office, year)
    editable = request.user.edits_region(office.pk)
    context = {
        "report": built,
        "office": office,
        "formats": report_render.FORMATS[1:],
        "texts_url": reverse("office:report_texts", args=[code, year]) if editable else "",
        "unknown_url": _unknown_centrality_url(request.user, office),
        "ssb_upload_url": reverse("registry:ssb_upload") if request.user.edits_reference_data else "",
    }
    return render(request, "office/report_detail.html", context)


def _unknown_centrality_url(user: User, office: Office | None) -> str:
    """Where the municipalities of unknown centrality are listed (and can be fixed), for those who may see them."""
    if not user.reads_personal_data:
        return ""
    query = "?centrality=unknown" + (f"&office={office.code}" if office and user.sees_all_regions else "")
    return reverse("registry:municipality_list") + query


def report_texts(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The office's own texts, facts and signature for the year's report; every save is in the history."""
    office = _report_office(request.user, code)
    require_region_edit(request.user, office.pk)
    if not 2017 <= year <= 2100:
        raise Http404
    texts = AnnualReport.for_year(office, year)
    form, saved = process_form(request, AnnualReportForm, instance=texts)
    if saved:
        messages.success(request, _("Tekstene er lagret med rapporten."))
        return redirect("office:report", code=code, year=year)
    context = {
        "form": form,
        "office": office,
        "year": year,
        "title": _("Tekstene i årsrapporten %(year)s") % {"year": year},
        "cancel_url": reverse("office:report", args=[code, year]),
        "changes": history.history_of(texts) if texts.pk else [],
    }
    return render(request, "office/report_texts.html", context)


def report_download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    built = _office_report(_report_office(request.user, code), year)
    return _download(built, fmt)


def report_national(request: HttpRequest, year: int) -> HttpResponse:
    if request.user.reads_personal_data and not request.user.sees_all_regions:
        raise PermissionDenied
    built = _national_report(year)
    context = {
        "report": built,
        "formats": report_render.FORMATS[1:],
        "unknown_url": _unknown_centrality_url(request.user, None),
        "ssb_upload_url": reverse("registry:ssb_upload") if request.user.edits_reference_data else "",
    }
    return render(request, "office/report_detail.html", context)


def report_national_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    if request.user.reads_personal_data and not request.user.sees_all_regions:
        raise PermissionDenied
    return _download(_national_report(year), fmt)


def _download(built: rp.Report, fmt: str) -> HttpResponse:
    if fmt not in report_render.FORMATS:
        raise Http404
    response = HttpResponse(report_render.render(built, fmt), content_type=report_render.CONTENT_TYPES[fmt])
    disposition = "inline" if fmt in ("html", "pdf") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{report_render.filename(built, fmt)}"'
    return response


# Other training institutions for community medicine (not municipalities)


def institution_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create (no pk) or change an institution; its status history and the change history below the form."""
    if pk is None:
        institution = Institution(office=_own_office(request.user))
    else:
        institution = get_object_or_404(Institution.objects.visible_to(request.user).select_related("office"), pk=pk)
        require_region_edit(request.user, institution.office_id)
    form, saved = process_form(request, InstitutionForm, instance=institution)
    if saved:
        messages.success(request, _("Virksomheten er lagret."))
        if pk is None:
            return redirect("office:institution_registration_add", pk=saved.pk)
        return redirect("office:institution_list")
    context = {
        "form": form,
        "object": institution if pk else None,
        "title": _("Endre virksomhet") if pk else _("Ny utdanningsvirksomhet (samfunnsmedisin)"),
        "cancel_url": reverse("office:institution_list"),
        "registrations": institution.registrations.order_by("-valid_from") if pk else [],
        "changes": history.history_of(institution) if pk else [],
    }
    return render(request, "office/institution_edit.html", context)


def institution_registration_add(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_object_or_404(Institution.objects.visible_to(request.user).select_related("office"), pk=pk)
    require_region_edit(request.user, institution.office_id)
    form, saved = process_form(
        request,
        InstitutionRegistrationForm,
        instance=InstitutionRegistration(),
        parent=institution,
        institution=institution,
    )
    if saved:
        messages.success(request, _("Ny registreringsstatus er lagret."))
        return redirect("office:institution_edit", pk=pk)
    title = _("Ny registreringsstatus for %(name)s") % {"name": institution.name}
    context = {
        "form": form,
        "object": institution,
        "title": title,
        "cancel_url": reverse("office:institution_edit", args=[pk]),
    }
    return render(request, "core/form_page.html", context)
