from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.abilities import may, require
from accounts.models import User
from core import fragments, generated_files, history, tableversions
from core.charts import bars
from core.editing import delete_page, form_page, process_form
from core.formatting import cell
from core.lists import Column, choice_label, list_page, render_list
from core.navigation import Crumb, crumbs
from core.paths import path_for
from core.scoping import require_personal_data
from core.templatetags.alis import percent
from office import render as report_render
from office import report as rp
from office import report_files, retention
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
    RecordFilterForm,
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
from privacy import small_numbers
from registry.models import Municipality, Office, RegistrationStatus
from training import overview as ov
from training.models import Training


def _today() -> date:
    return timezone.localdate()


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2017 <= year <= 2100 else default


def _list_crumbs(url_name: str, label: str | Promise) -> list[Crumb]:
    return crumbs((str(label), reverse(url_name)))


def _edit_link(user: User, url_name: str):
    """A column's link to the row's edit page, for the rows the user may change (no link that answers 403)."""
    path = path_for(url_name)  # reversed once, not per row (core.paths)
    return lambda row: path(row.pk) if may(user, "change", row) else None


def _office_column(user: User) -> list[Column]:
    """The office of each row, for those who see every region's rows."""
    return (
        [Column("office", gettext_lazy("ALIS-kontor"), ("office__name",), value="office.name")]
        if (user.sees_all_regions)
        else []
    )


# Inquiries


def _sender(inquiry: Inquiry) -> str:
    """Who asked: the kind of sender, and the municipality, doctor or health trust when known."""
    named = [str(x) for x in (inquiry.municipality and inquiry.municipality.name, inquiry.doctor,
                              inquiry.health_trust) if x]  # fmt: skip
    return ": ".join([choice_label(inquiry, "sender"), *named])


def _inquiry_columns(user: User) -> list[Column]:
    return [
        Column("date", gettext_lazy("Dato"), ("date",), link=_edit_link(user, "office:inquiry_edit")),
        *_office_column(user),
        Column("channel", gettext_lazy("Kanal"), ("channel", "date"), value="get_channel_display"),
        Column("sender", gettext_lazy("Fra"), ("sender", "date"), value=_sender),
        Column("topics", gettext_lazy("Emner"), value=lambda i: "; ".join(t.name for t in i.topics.all())),
        Column("note", gettext_lazy("Notat")),
        Column("minutes", gettext_lazy("Minutter"), ("minutes",), numeric=True),
        Column("status", gettext_lazy("Status"), ("status", "date"), value="get_status_display"),
    ]


# The columns the inquiry list reads; its query-bound test fails if a cell reads one more (a query per row).
INQUIRY_LIST_FIELDS = [
    "date", "channel", "sender", "note", "minutes", "status", "municipality__name", "doctor__first_name",
    "doctor__last_name", "health_trust__name", "health_trust__short_name", "office__name",
]  # fmt: skip
QUICK_ID = "quick_%s"  # the filter form below has fields of the same names: ids must differ


def _inquiry_form(office: Office, *, focus: bool = False) -> InquiryForm:
    return InquiryForm(office=office, today=_today(), instance=Inquiry(office=office), focus=focus, auto_id=QUICK_ID)


def inquiry_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    form = InquiryFilterForm(request.GET, user=request.user)
    inquiries = (
        Inquiry.objects.visible_to(request.user)
        .select_related("municipality", "doctor", "health_trust", "office")
        # What the cells show: the related records' names, not their every column (the page: 20.7 → 19.1 ms).
        .only(*INQUIRY_LIST_FIELDS)
        .prefetch_related(Prefetch("topics", queryset=InquiryTopic.objects.only("name")))
    )
    listing = list_page(
        request,
        form.filter(inquiries),
        columns=_inquiry_columns(request.user),
        default_sort="-date",
        caption=_("Henvendelser til kontoret, nyeste først"),
        empty_text=_("Ingen henvendelser passer til filteret."),
        keep_rows=True,
    )
    context = {"form": form}
    if may(request.user, "add", Inquiry(office_id=request.user.office_id)):
        quick = _inquiry_form(request.user.office)
        # Its lists of health trusts and topics, the same for the office all day: written once per data change.
        key = f"inquiry-quick:{request.user.office_id}:{_today()}"
        fields = partial(render_to_string, "core/_visible_fields.html", {"form": quick})
        context |= {"quick": quick, "quick_fields": tableversions.kept(key, fields, also=tableversions.so_far())}
    return render_list(request, "office/inquiry_list.html", listing, context)


def inquiry_create(request: HttpRequest) -> HttpResponse:
    """The quick entry: with HTMX the form comes back empty (today, phone, answered) and focused for the next."""
    user = request.user
    require(user, "add", Inquiry(office_id=user.office_id))  # an office's staff, in their own office
    office = user.office
    if not request.htmx:
        return form_page(
            request,
            InquiryForm,
            instance=Inquiry(office=office),
            form_kwargs={"office": office, "today": _today()},
            title=_("Ny henvendelse"),
            saved_message=_("Henvendelsen er lagret."),
            success_url=reverse("office:inquiry_list"),
            breadcrumbs=_list_crumbs("office:inquiry_list", _("Henvendelser")),
        )
    form, saved = process_form(
        request, InquiryForm, instance=Inquiry(office=office), office=office, today=_today(), auto_id=QUICK_ID
    )
    if saved is None:
        return render(request, "office/inquiry_list.html#quick", {"quick": form})
    response = render(
        request, "office/inquiry_list.html#quick", {"quick": _inquiry_form(office, focus=True), "saved": saved}
    )
    response["HX-Trigger"] = "inquirySaved"
    return response


def _visible_inquiry(request: HttpRequest, pk: int) -> Inquiry:
    return get_object_or_404(Inquiry.objects.visible_to(request.user).select_related("office"), pk=pk)


def inquiry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _visible_inquiry(request, pk)
    return form_page(
        request,
        InquiryForm,
        instance=inquiry,
        form_kwargs={"office": inquiry.office, "today": _today()},
        title=_("Endre henvendelse"),
        saved_message=_("Henvendelsen er lagret."),
        success_url=reverse("office:inquiry_list"),
        breadcrumbs=_list_crumbs("office:inquiry_list", _("Henvendelser")),
        template="office/record_form.html",
        context={"delete_url": reverse("office:inquiry_delete", args=[pk]), "delete_label": _("Slett henvendelsen")},
    )


def inquiry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _visible_inquiry(request, pk)
    return delete_page(
        request,
        inquiry,
        title=_("Slette henvendelsen fra %(day)s?") % {"day": cell(inquiry.date)},
        question=_("Henvendelsen telles ikke lenger med i tallene for året og i årsrapporten."),
        deleted_message=_("Henvendelsen er slettet."),
        success_url=reverse("office:inquiry_list"),
        cancel_url=reverse("office:inquiry_edit", args=[pk]),
        facts=[(_("Fra"), _sender(inquiry)), (_("Notat"), inquiry.note or "–")],
        breadcrumbs=_list_crumbs("office:inquiry_list", _("Henvendelser")),
    )


def inquiry_stats(request: HttpRequest) -> HttpResponse:
    """Inquiries by topic and month for a year, in the user's region (the coordinator: one office or all)."""
    require_personal_data(request.user)
    year = _year(request, _today().year)
    office = ov.office_scope(request.user, request.GET.get("office"))
    key = f"inquiry-stats:{year}:{office.pk if office else ''}"
    content = fragments.kept_content(
        request, key, "office/_inquiry_stats.html", partial(_inquiry_stats, request.user, year, office)
    )
    return render(request, "office/inquiry_stats.html", {"year": year, "content": content})


def _inquiry_stats(user: User, year: int, office: Office | None) -> dict:
    inquiries = Inquiry.objects.visible_to(user).in_year(year)
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
    return {
        "year": year,
        "office": office,
        "offices": Office.objects.all() if user.sees_all_regions else [],
        "month_names": [str(MONTHS[m])[:3] for m in range(1, 13)],
        "rows": rows,
        "months": months,
        "total": total,
        "hours": hours,
        "topic_chart": bars([(name, n) for name, _months, n in rows]),
        "month_chart": bars([(str(MONTHS[m]).capitalize(), months[m - 1]) for m in range(1, 13)]),
    }


# Topics (national reference data)

TOPIC_COLUMNS = [
    Column("name", gettext_lazy("Emne"), ("name",), link=lambda t: path_for("office:topic_edit")(t.pk)),
    Column("ordering", gettext_lazy("Rekkefølge"), ("ordering", "name"), numeric=True),
    Column("active", gettext_lazy("I bruk"), ("active", "ordering")),
]


def topic_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "change", InquiryTopic)
    listing = list_page(
        request,
        InquiryTopic.objects.all(),
        columns=TOPIC_COLUMNS,
        default_sort="ordering",
        caption=_("Listen alle kontorene teller henvendelser etter"),
        empty_text=_("Ingen emner ennå."),
    )
    return render_list(request, "office/topic_list.html", listing)


def topic_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        InquiryTopicForm,
        instance=InquiryTopic(),
        title=_("Nytt emne"),
        saved_message=_("Emnet er lagt til."),
        success_url=reverse("office:topic_list"),
        breadcrumbs=_list_crumbs("office:topic_list", _("Emner for henvendelser")),
    )


def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return form_page(
        request,
        InquiryTopicForm,
        instance=get_object_or_404(InquiryTopic, pk=pk),
        title=_("Endre emne"),
        saved_message=_("Emnet er lagret."),
        success_url=reverse("office:topic_list"),
        breadcrumbs=_list_crumbs("office:topic_list", _("Emner for henvendelser")),
    )


# Activities, partners, staff, other institutions: the office's own records, a list and a form each


@dataclass(frozen=True)
class Kind:
    """One kind of the office's records: its model and form, its words, and its list's columns."""

    model: type[Model]
    form: type
    title: Promise  # the list's heading
    new: Promise  # the create page's heading
    edit: Promise  # the edit page's heading
    saved: Promise
    deleted: Promise
    delete_label: Promise
    columns: list[Column]
    sort: str
    search: tuple[str, ...]  # the fields the list's search looks in
    intro: Promise | str = ""


KINDS = {
    "activity": Kind(
        Activity, ActivityForm, gettext_lazy("Utadrettede aktiviteter"), gettext_lazy("Ny aktivitet"),
        gettext_lazy("Endre aktivitet"), gettext_lazy("Aktiviteten er lagret."),
        gettext_lazy("Aktiviteten er slettet."), gettext_lazy("Slett aktiviteten"),
        [
            Column("date", gettext_lazy("Dato"), ("date",)),
            Column("kind", gettext_lazy("Type"), ("kind", "date"), value="get_kind_display"),
            Column("theme", gettext_lazy("Tema"), ("theme",)),
            Column("place", gettext_lazy("Sted"), ("place", "date")),
            Column("with_whom", gettext_lazy("Med hvem")),
            Column("participants", gettext_lazy("Deltakere"), ("participants",), numeric=True),
            Column("comment", gettext_lazy("Kommentar")),
        ],
        "-date",
        ("theme", "place", "with_whom", "comment"),
    ),
    "partner": Kind(
        Partner, PartnerForm, gettext_lazy("Samarbeidspartnere"), gettext_lazy("Ny samarbeidspartner"),
        gettext_lazy("Endre samarbeidspartner"), gettext_lazy("Samarbeidspartneren er lagret."),
        gettext_lazy("Samarbeidspartneren er slettet."), gettext_lazy("Slett samarbeidspartneren"),
        [
            Column("name", gettext_lazy("Navn"), ("name",)),
            Column("kind", gettext_lazy("Type"), ("kind", "name"), value="get_kind_display"),
            Column("meetings", gettext_lazy("Møter i alt"), ("meetings", "name"), numeric=True),
        ],
        "name",
        ("name", "notes"),
    ),
    "staff": Kind(
        StaffMember, StaffMemberForm, gettext_lazy("Ansatte ved kontoret"), gettext_lazy("Ny ansatt"),
        gettext_lazy("Endre ansatt"), gettext_lazy("Den ansatte er lagret."), gettext_lazy("Den ansatte er slettet."),
        gettext_lazy("Slett den ansatte"),
        [
            Column("name", gettext_lazy("Navn"), ("name",)),
            Column("title", gettext_lazy("Stilling"), ("title", "name")),
            Column("percent", gettext_lazy("Stillingsprosent"), ("position_percent", "name"), numeric=True,
                   value=lambda s: percent(s.position_percent)),
            Column("start", gettext_lazy("Startdato"), ("start",)),
            Column("end", gettext_lazy("Sluttdato"), ("end",)),
            Column("comment", gettext_lazy("Kommentar")),
        ],
        "name",
        ("name", "title", "comment"),
    ),
    "institution": Kind(
        Institution, InstitutionForm, gettext_lazy("Andre virksomheter i samfunnsmedisin"),
        gettext_lazy("Ny utdanningsvirksomhet (samfunnsmedisin)"), gettext_lazy("Endre virksomhet"),
        gettext_lazy("Virksomheten er lagret."), gettext_lazy("Virksomheten er slettet."),
        gettext_lazy("Slett virksomheten"),
        [
            Column("name", gettext_lazy("Navn"), ("name",)),
            Column("municipality", gettext_lazy("Kommune"), ("municipality__name", "name"), value="municipality.name"),
            Column("status", gettext_lazy("Status i samfunnsmedisin"), ("status", "name"),
                   value=lambda i: RegistrationStatus(i.status or RegistrationStatus.NOT_APPLIED).label),
            Column("since", gettext_lazy("Gjelder fra"), ("since", "name")),
        ],
        "name",
        ("name", "municipality__name", "notes"),
        gettext_lazy(
            "Virksomheter som ikke er kommuner, men som er (eller kan bli) utdanningsvirksomheter i samfunnsmedisin: "
            "årsrapporten teller dem med kommunene som «kommuner og andre virksomheter»."
        ),
    ),
}  # fmt: skip


def _records(request: HttpRequest, kind: str) -> QuerySet:
    """The kind's records the user may see, with what its list shows."""
    records = KINDS[kind].model.objects.visible_to(request.user).select_related("office")
    if kind == "partner":
        return records.annotate(meetings=Count("activities"))
    if kind == "institution":
        latest = InstitutionRegistration.objects.filter(institution=OuterRef("pk")).order_by("-valid_from", "-pk")
        return records.select_related("municipality").annotate(
            status=Subquery(latest.values("status")[:1]), since=Subquery(latest.values("valid_from")[:1])
        )
    return records


def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    require_personal_data(request.user)
    spec = KINDS[kind]
    form = RecordFilterForm(request.GET, user=request.user, search_fields=spec.search)
    first, *rest = spec.columns
    linked = Column(first.key, first.label, first.fields, first.numeric, first.value,
                    _edit_link(request.user, f"office:{kind}_edit"))  # fmt: skip
    listing = list_page(
        request,
        form.filter(_records(request, kind)),
        columns=[linked, *_office_column(request.user), *rest],
        default_sort=spec.sort,
        caption=spec.title if request.user.sees_all_regions else f"{spec.title} – {request.user.office.name}",
        empty_text=_("Ingenting passer til søket.")
        if form.is_valid() and form.cleaned_data["q"]
        else _("Ingenting registrert ennå."),
        keep_rows=True,
    )
    context = {
        "form": form,
        "title": spec.title,
        "intro": spec.intro,
        "add_url": reverse(f"office:{kind}_create"),
        "model": spec.model._meta.label_lower,
    }
    return render_list(request, "office/record_list.html", listing, context)


def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    spec = KINDS[kind]
    user = request.user
    require(user, "add", spec.model(office_id=user.office_id))  # an office's staff, in their own office
    record = spec.model(office=user.office)
    if kind == "institution":  # next: its status in community medicine
        success_url = lambda saved: reverse("office:institution_registration_add", args=[saved.pk])  # noqa: E731
    else:
        success_url = reverse(f"office:{kind}_list")
    return form_page(
        request,
        spec.form,
        instance=record,
        form_kwargs={"office": user.office} if kind == "activity" else {},
        title=spec.new,
        saved_message=spec.saved,
        success_url=success_url,
        cancel_url=reverse(f"office:{kind}_list"),
        breadcrumbs=_list_crumbs(f"office:{kind}_list", spec.title),
    )


def _visible_record(request: HttpRequest, kind: str, pk: int) -> Model:
    return get_object_or_404(KINDS[kind].model.objects.visible_to(request.user).select_related("office"), pk=pk)


def record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = KINDS[kind]
    record = _visible_record(request, kind, pk)
    _title, _question, _facts, blocked = _delete_words(kind, record)
    # No link to a delete page that would only say why it can not be done (a partner with meetings).
    context = {"delete_url": "" if blocked else reverse(f"office:{kind}_delete", args=[pk]),
               "delete_label": spec.delete_label}  # fmt: skip
    if kind == "partner":
        context["meetings"] = record.activities.order_by("-date")
    if kind == "institution":
        context["registrations"] = record.registrations.order_by("-valid_from")
        context["changes"] = history.history_of(record, user=request.user)
    return form_page(
        request,
        spec.form,
        instance=record,
        form_kwargs={"office": record.office} if kind == "activity" else {},
        title=spec.edit,
        saved_message=spec.saved,
        success_url=reverse(f"office:{kind}_list"),
        breadcrumbs=_list_crumbs(f"office:{kind}_list", spec.title),
        template=f"office/{kind}_edit.html" if kind in {"partner", "institution"} else "office/record_form.html",
        context=context,
    )


def _delete_words(kind: str, record: Model) -> tuple[str, str, list, str]:
    """The delete page's question, its title, the facts it shows, and why it can not be done (or "")."""
    if kind == "activity":
        return (
            _("Slette aktiviteten «%(theme)s»?") % {"theme": record.theme},
            _("Aktiviteten telles ikke lenger med i årsrapporten, og møtene med samarbeidspartnerne forsvinner."),
            [(_("Dato"), cell(record.date)), (_("Type"), record.get_kind_display())],
            "",
        )
    if kind == "partner":
        meetings = record.activities.count()
        blocked = ngettext(
            "Samarbeidspartneren har %(count)s møte registrert og kan ikke slettes.",
            "Samarbeidspartneren har %(count)s møter registrert og kan ikke slettes.",
            meetings,
        ) % {"count": meetings}
        return (
            _("Slette samarbeidspartneren %(name)s?") % {"name": record.name},
            _("Samarbeidspartneren fjernes fra listen og fra årsrapporten."),
            [(_("Type"), record.get_kind_display())],
            blocked if meetings else "",
        )
    if kind == "staff":
        return (
            _("Slette %(name)s fra de ansatte?") % {"name": record.name},
            _(
                "Slett bare en som er registrert ved en feil. Den som har sluttet, får en sluttdato i stedet: "
                "da står hen fortsatt i årsrapportene for årene hen var ansatt."
            ),
            [(_("Stilling"), record.title), (_("Startdato"), cell(record.start) or "–")],
            "",
        )
    return (
        _("Slette virksomheten %(name)s?") % {"name": record.name},
        _("Virksomheten og statusene den har hatt i samfunnsmedisin slettes, og den telles ikke i årsrapporten."),
        [(_("Kommune"), record.municipality.name if record.municipality else "–")],
        "",
    )


def record_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = KINDS[kind]
    record = _visible_record(request, kind, pk)
    title, question, facts, blocked = _delete_words(kind, record)
    return delete_page(
        request,
        record,
        title=title,
        question=question,
        deleted_message=spec.deleted,
        success_url=reverse(f"office:{kind}_list"),
        cancel_url=reverse(f"office:{kind}_edit", args=[pk]),
        facts=facts,
        blocked=blocked,
        breadcrumbs=_list_crumbs(f"office:{kind}_list", spec.title),
    )


# Retention


def retention_page(request: HttpRequest) -> HttpResponse:
    """Kaplan–Meier by contract and by start cohort, why ALIS leave and where they go, and whether the specialists
    are still regular GPs 1, 3 and 5 years after completing (aggregates only)."""
    today = _today()
    office = ov.office_scope(request.user, request.GET.get("office"))
    year = _year(request, today.year)
    # Every ALIS of the country on curves and tables: once per data change (core.tableversions), not per request.
    key = f"retention:{office.pk if office else 'all'}:{year}:{today}"
    context = {
        "office": office,
        "offices": ov.selectable_offices(request.user),
        "today": today,
        "year": year,
        **tableversions.kept(key, lambda: _retention_figures(office, year, today), also=tableversions.so_far()),
    }
    context = small_numbers.retention(request.user, context)  # «<5» for the aggregate reader
    return render(request, "office/retention.html", context)


def _retention_figures(office: Office | None, year: int, today: date) -> dict:
    trainings = Training.objects.in_office(office.pk) if office else Training.objects.all()
    views = rp.retention_views(trainings, today)
    by_contract, by_cohort = views["contract"], views["cohort"]
    paths: dict[int, str] = {}  # the "all" curve is in both charts
    municipalities = Municipality.objects.in_office(office.pk) if office else None
    finished = rp.completions(trainings, today)
    stays = retention.stays_after_completion(
        finished,
        rp.regular_gp_lists(today, municipalities, [c.doctor for c in finished]),
        rp.region_municipalities(),
        on=today,
        years=rp.STAY_YEARS,
    )
    return {
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
    return report_files.office_report(office, year)


def _national_report(year: int) -> rp.Report:
    return report_files.national_report(year)


def report_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    if request.method == "POST":  # the texts are written on their own page
        raise PermissionDenied
    office = _report_office(request.user, code)
    texts = AnnualReport.for_year(office, year)
    editable = 2017 <= year <= 2100 and may(request.user, "change" if texts.pk else "add", texts)
    links = {
        "texts_url": reverse("office:report_texts", args=[code, year]) if editable else "",
        "unknown_url": _unknown_centrality_url(request.user, office),
        "ssb_upload_url": reverse("registry:ssb_upload") if request.user.edits_reference_data else "",
    }
    built, body = _report_page(request.user, f"{office.pk}:{year}", lambda: _office_report(office, year), links)
    context = {"report": built, "report_body": body, "office": office, "formats": report_render.FORMATS[1:], **links}
    return render(request, "office/report_detail.html", context)


def _report_page(user: User, key: str, report: Callable[[], rp.Report], links: dict) -> tuple[rp.Report, str]:
    """The report as this user reads it (small numbers hidden or not) and its body as HTML: both once per data
    change and day (core.tableversions), for the same links. The body's tables took most of the page's time (22
    tables)."""
    suppressed = small_numbers.hides_small_numbers(user)

    def build() -> tuple[rp.Report, str]:
        built = small_numbers.report(user, report())
        return built, render_to_string("office/_report_body.html", {"report": built, **links})  # already safe

    key = f"report-page:{key}:{suppressed}:{sorted(links.items())}:{timezone.localdate()}"
    return tableversions.kept(key, build, also=tableversions.so_far())


def _unknown_centrality_url(user: User, office: Office | None) -> str:
    """Where the municipalities of unknown centrality are listed (and can be fixed), for those who may see them."""
    if not user.reads_personal_data:
        return ""
    query = "?centrality=unknown" + (f"&office={office.code}" if office and user.sees_all_regions else "")
    return reverse("registry:municipality_list") + query


def report_texts(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The office's own texts, facts and signature for the year's report; every save is in the history."""
    office = _report_office(request.user, code)
    if not 2017 <= year <= 2100:
        raise Http404
    texts = AnnualReport.for_year(office, year)
    report_url = reverse("office:report", args=[code, year])
    return form_page(
        request,
        AnnualReportForm,
        instance=texts,
        title=_("Tekstene i årsrapporten %(year)s") % {"year": year},
        saved_message=_("Tekstene er lagret med rapporten."),
        success_url=report_url,
        submit_label=_("Lagre tekstene"),
        breadcrumbs=crumbs((_("Årsrapport %(year)s – %(name)s") % {"year": year, "name": office.name}, report_url)),
        template="office/report_texts.html",
        context={"office": office, "changes": history.history_of(texts, user=request.user) if texts.pk else []},
    )


def report_download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    office = _report_office(request.user, code)
    if fmt in report_files.OFF_REQUEST:
        return _file_or_progress(request, office, year, fmt)
    return _download(small_numbers.report(request.user, _office_report(office, year)), fmt)


def report_national(request: HttpRequest, year: int) -> HttpResponse:
    if request.user.reads_personal_data and not request.user.sees_all_regions:
        raise PermissionDenied
    links = {
        "unknown_url": _unknown_centrality_url(request.user, None),
        "ssb_upload_url": reverse("registry:ssb_upload") if request.user.edits_reference_data else "",
    }
    built, body = _report_page(request.user, f"national:{year}", lambda: _national_report(year), links)
    context = {"report": built, "report_body": body, "formats": report_render.FORMATS[1:], **links}
    return render(request, "office/report_detail.html", context)


def report_national_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    if request.user.reads_personal_data and not request.user.sees_all_regions:
        raise PermissionDenied
    if fmt in report_files.OFF_REQUEST:
        return _file_or_progress(request, None, year, fmt)
    return _download(small_numbers.report(request.user, _national_report(year)), fmt)


def _file_or_progress(request: HttpRequest, office: Office | None, year: int, fmt: str) -> HttpResponse:
    """The file when the task worker has built it from the current data; else a page that shows its progress."""
    file = report_files.report_file(
        office=office, year=year, fmt=fmt, suppressed=small_numbers.hides_small_numbers(request.user)
    )
    name = f"arsrapport-{office.code if office else 'nasjonal'}-{year}.{fmt}"
    return generated_files.file_response(request, file, filename=name, content_type=report_render.CONTENT_TYPES[fmt])


def _download(built: rp.Report, fmt: str) -> HttpResponse:
    if fmt not in report_render.FORMATS:
        raise Http404
    response = HttpResponse(report_render.render(built, fmt), content_type=report_render.CONTENT_TYPES[fmt])
    disposition = "inline" if fmt in ("html", "pdf") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{report_render.filename(built, fmt)}"'
    return response


# Other training institutions for community medicine: their status over time


def institution_registration_add(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _visible_record(request, "institution", pk)
    return form_page(
        request,
        InstitutionRegistrationForm,
        instance=InstitutionRegistration(institution=institution),
        parent=institution,
        form_kwargs={"institution": institution},
        title=_("Ny registreringsstatus for %(name)s") % {"name": institution.name},
        saved_message=_("Ny registreringsstatus er lagret."),
        success_url=reverse("office:institution_edit", args=[pk]),
        breadcrumbs=crumbs(
            (str(KINDS["institution"].title), reverse("office:institution_list")),
            (institution.name, reverse("office:institution_edit", args=[pk])),
        ),
    )
