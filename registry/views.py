from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.abilities import may, require
from core import bulk, fragments, history, readlog
from core.counting import count_per_row
from core.editing import form_page
from core.export import DATE, NUMBER, ExportColumn
from core.lists import BulkAction, Column, Export, Selection, list_page, render_list
from core.navigation import crumbs
from core.paths import path_for
from core.scoping import require_personal_data, require_reference_edit
from core.suggestions import suggestion_response
from registry import services, ssb, statbank
from registry.forms import (
    DOCTOR_SEARCH,
    GP_OFFICE_SEARCH,
    MUNICIPALITY_SEARCH,
    CentralityForm,
    ContactForm,
    ContactMessageForm,
    CountyForm,
    DoctorFilterForm,
    DoctorForm,
    GpOfficeFilterForm,
    GpOfficeForm,
    HealthTrustForm,
    MunicipalityFilterForm,
    MunicipalityForm,
    RegistrationForm,
    SsbUploadForm,
    doctor_label,
    gp_office_label,
)
from registry.models import (
    Contact,
    County,
    Doctor,
    GpListStatistics,
    GpOffice,
    HealthTrust,
    Municipality,
    Office,
    Registration,
    RegistrationStatus,
    Specialty,
    SsbImport,
)


def _municipality_name(m: Municipality) -> str:
    url = path_for("registry:municipality_detail")(m.pk)
    if m.name == m.name_norwegian:
        return format_html('<a href="{}">{}</a>', url, m.name)
    return format_html('<a href="{}">{}</a> <span class="muted">({})</span>', url, m.name, m.name_norwegian)


def _specialties(d: Doctor) -> str:
    """«allmennmedisin», «samfunnsmedisin», both, or «nei»."""
    found = [
        str(label)
        for flag, label in (
            (d.is_specialist, _("allmennmedisin")),
            (d.is_community_medicine_specialist, _("samfunnsmedisin")),
        )
        if flag
    ]
    return ", ".join(found) or _("nei")


def _figure_column(key: str, label: str, annotation: str) -> Column:
    """A figure from SSB's table 12005 (`with_gp_statistics`): «ukjent» when SSB has none, never 0."""

    def value(m: Municipality) -> object:
        figure = getattr(m, annotation)
        return _("ukjent") if figure is None else figure

    return Column(key, label, (annotation, "number"), numeric=True, value=value)


def _address(o: GpOffice) -> str:
    return ", ".join(filter(None, [o.address, f"{o.postal_code} {o.postal_place}".strip()]))


MUNICIPALITY_COLUMNS = [
    Column("number", gettext_lazy("Nr."), ("number",)),
    Column("name", gettext_lazy("Kommune"), ("name_norwegian",), value=_municipality_name),
    Column("county", gettext_lazy("Fylke"), ("county__name", "number"), value="county.name"),
    Column("office", gettext_lazy("ALIS-kontor"), ("county__office__ordering", "number"), value="county.office.name"),
    Column(
        "centrality",
        gettext_lazy("Sentralitet"),
        ("centrality", "number"),
        numeric=True,
        value=lambda m: m.centrality or _("ukjent"),
    ),
    _figure_column("without_doctor", gettext_lazy("Lister uten lege"), "gp_lists_without_doctor"),
    _figure_column("open_lists", gettext_lazy("Åpne lister"), "gp_open_lists"),
    Column(
        "status_gp",
        gettext_lazy("Allmennmedisin"),
        ("status_rank_general_practice", "number"),
        value=lambda m: RegistrationStatus(m.status_general_practice or RegistrationStatus.NOT_APPLIED).label,
    ),
    Column(
        "status_cm",
        gettext_lazy("Samfunnsmedisin"),
        ("status_rank_community_medicine", "number"),
        value=lambda m: RegistrationStatus(m.status_community_medicine or RegistrationStatus.NOT_APPLIED).label,
    ),
]
GP_OFFICE_COLUMNS = [
    Column(
        "name",
        gettext_lazy("Legekontor"),
        ("name",),
        link=lambda o: path_for("registry:gp_office_detail")(o.pk),
    ),
    Column(
        "municipality", gettext_lazy("Kommune"), ("municipality__name_norwegian", "name"), value="municipality.name"
    ),
    Column("address", gettext_lazy("Adresse"), value=_address),
    Column("doctors", gettext_lazy("Leger"), ("doctor_count", "name"), numeric=True, value="doctor_count"),
]
DOCTOR_COLUMNS = [
    Column(
        "name",
        gettext_lazy("Navn"),
        ("last_name", "first_name"),
        value=lambda d: f"{d.last_name}, {d.first_name}",
        link=lambda d: path_for("registry:doctor_detail")(d.pk),
    ),
    Column("hpr", gettext_lazy("HPR-nummer"), ("hpr_number",), value="hpr_number"),
    Column(
        "municipality",
        gettext_lazy("Arbeidskommune"),
        ("municipality__name_norwegian", "last_name"),
        value="municipality.name",
    ),
    Column("gp_office", gettext_lazy("Legekontor"), ("gp_office__name", "last_name"), value="gp_office.name"),
    Column("regular_gp", gettext_lazy("Fastlege"), ("is_regular_gp", "last_name"), value="is_regular_gp"),
    Column("list_size", gettext_lazy("Listelengde"), ("list_size", "last_name"), numeric=True, value="list_size"),
    Column(
        "specialist",
        gettext_lazy("Spesialist"),
        ("is_specialist", "is_community_medicine_specialist", "last_name"),
        value=lambda d: _specialties(d),
    ),
]

# Export files have Norwegian headers whatever the interface language: they are read back by importers
# and by the offices' own spreadsheets.
MUNICIPALITY_EXPORT_COLUMNS = [
    ExportColumn("Kommunenummer", "number"),
    ExportColumn("Kommune", "name"),
    ExportColumn("Norsk navn", "name_norwegian"),
    ExportColumn("Fylke", "county__name"),
    ExportColumn("ALIS-kontor", "county__office__name"),
    ExportColumn("Sentralitet", "centrality", NUMBER),
    ExportColumn("Kilde for sentralitet", "centrality_source"),
    ExportColumn("Fastlegelister uten lege (SSB 12005)", "gp_lists_without_doctor", NUMBER),
    ExportColumn("Åpne fastlegelister (SSB 12005)", "gp_open_lists", NUMBER),
    ExportColumn("Allmennmedisin", lambda m: RegistrationStatus(m.status_general_practice).label),
    ExportColumn("Samfunnsmedisin", lambda m: RegistrationStatus(m.status_community_medicine).label),
]
GP_OFFICE_EXPORT_COLUMNS = [
    ExportColumn("Legekontor", "name"),
    ExportColumn("Kommunenummer", "municipality__number"),
    ExportColumn("Kommune", "municipality__name"),
    ExportColumn("Adresse", "address"),
    ExportColumn("Postnummer", "postal_code"),
    ExportColumn("Poststed", "postal_place"),
    ExportColumn("Leger", "doctor_count", NUMBER),
]
DOCTOR_EXPORT_COLUMNS = [
    ExportColumn("Etternavn", "last_name"),
    ExportColumn("Fornavn", "first_name"),
    ExportColumn("HPR-nummer", "hpr_number"),
    ExportColumn("Arbeidskommune", "municipality__name"),
    ExportColumn("Legekontor", "gp_office__name"),
    ExportColumn("Fastlege", "is_regular_gp"),
    ExportColumn("Listelengde", "list_size", NUMBER),
    ExportColumn("Listetak", "list_capacity", NUMBER),
    ExportColumn("Åpen liste", "list_open"),
    ExportColumn("Spesialist i allmennmedisin", "is_specialist"),
    ExportColumn("Spesialist siden", "specialist_since", DATE),
    ExportColumn("Spesialist i samfunnsmedisin", "is_community_medicine_specialist"),
    ExportColumn("E-post", "email"),
    ExportColumn("Telefon", "phone"),
]


def _crumb(label: str, url_name: str, *args: object) -> tuple[str, str]:
    return (str(label), reverse(url_name, args=args))


def _municipality_crumbs(municipality: Municipality) -> list:
    return crumbs(
        _crumb(_("Kommuner"), "registry:municipality_list"),
        _crumb(municipality.name, "registry:municipality_detail", municipality.pk),
    )


def municipality_list(request: HttpRequest) -> HttpResponse:
    gp_year = GpListStatistics.latest_year()
    form = MunicipalityFilterForm(request.GET, user=request.user, gp_year=gp_year)
    queryset = (
        Municipality.objects.select_related("county__office").with_registration_rank().with_gp_statistics(gp_year)
    )
    caption = (
        _("Kommuner med sentralitet, registrering som utdanningsvirksomhet og fastlegelister (SSB 12005, %(year)d)")
        % {"year": gp_year}
        if gp_year
        else _("Kommuner med sentralitet og registrering som utdanningsvirksomhet; fastlegelister ikke importert")
    )
    selection = None
    if request.user.reads_personal_data and may(request.user, "change", Contact):
        write = BulkAction(_("Skriv til utdanningsansvarlige"), reverse("registry:contacts_message"))
        selection = Selection(actions=[write], label=lambda m: m.name)
    listing = list_page(
        request,
        form.filter(queryset),
        columns=MUNICIPALITY_COLUMNS,
        default_sort="number",
        caption=caption,
        empty_text=_("Ingen kommuner passer til filteret."),
        export=Export(MUNICIPALITY_EXPORT_COLUMNS, "kommuner"),
        selection=selection,
        keep_rows=True,
    )
    return render_list(request, "registry/municipality_list.html", listing, {"form": form})


def contacts_message(request: HttpRequest) -> HttpResponse:
    """E-mail the training leads (utdanningsansvarlige) of the chosen municipalities a message the user writes:
    who gets it and the e-mail as they will read it are shown before anything is sent."""
    require_personal_data(request.user)
    require(request.user, "change", Contact)
    choice = bulk.chosen(request)
    municipalities = Municipality.objects.select_related("county")
    if choice.all:  # the list's filters, as the list applies them
        gp_year = GpListStatistics.latest_year()
        municipalities = MunicipalityFilterForm(choice.query, user=request.user, gp_year=gp_year).filter(
            municipalities.with_registration_rank().with_gp_statistics(gp_year)
        )
    else:
        municipalities = municipalities.filter(pk__in=choice.ids)
    leads = Contact.objects.visible_to(request.user).filter(role=Contact.Role.TRAINING_LEAD).order_by("name", "pk")
    municipalities = municipalities.prefetch_related(Prefetch("contacts", queryset=leads, to_attr="leads"))
    rows, skipped, contacts = [], [], {}
    for municipality in municipalities.order_by("number")[: bulk.MAX_ROWS]:
        if not may(request.user, "change", Contact(municipality=municipality)):
            skipped.append((municipality.name, _("utenfor regionen du kan endre")))
            continue
        with_email = [c for c in municipality.leads if c.email]
        if not with_email:
            skipped.append((municipality.name, _("ingen utdanningsansvarlig med e-postadresse")))
            continue
        contacts[municipality.pk] = with_email
        names = ", ".join(c.name or c.email for c in with_email)
        rows.append(bulk.BulkRow(municipality.pk, [municipality.name, names, ", ".join(c.email for c in with_email)]))
    recipients = sum(len(found) for found in contacts.values())

    def act(ids: list[int], data: dict) -> str:
        chosen_contacts = [contact for pk in ids for contact in contacts[pk]]
        sent = services.contacts_message(
            contacts=chosen_contacts, subject=data["subject"], message=data["message"], by=request.user
        )
        return ngettext(
            "E-posten sendes nå til %(n)s mottaker.", "E-posten sendes nå til %(n)s mottakere, hver for seg.", sent
        ) % {"n": sent}

    def preview(data: dict) -> list[tuple[str, str]]:
        return [
            (_("Emne"), data["subject"]),
            (_("Tekst"), services.contact_message_body(message=data["message"], by=request.user)),
            (_("Svar til"), request.user.email or _("ingen (du har ingen e-postadresse)")),
        ]

    return bulk.bulk_page(
        request,
        title=_("E-post til utdanningsansvarlige"),
        intro=_("Hver utdanningsansvarlig under får e-posten du skriver, i en egen e-post til sin egen adresse."),
        headers=[_("Kommune"), _("Utdanningsansvarlig"), _("E-post")],
        rows=rows,
        skipped=skipped,
        form_class=ContactMessageForm,
        preview=preview,
        act=act,
        confirm_label=ngettext("Send til %(n)s mottaker", "Send til %(n)s mottakere", recipients) % {"n": recipients},
        success_url=reverse("registry:municipality_list"),
        breadcrumbs=crumbs(_crumb(_("Kommuner"), "registry:municipality_list")),
    )


# A city has hundreds of GP offices: the page shows the first ones and links to all of them in the list of
# GP offices, filtered to the municipality (the page's time then does not grow with the city, issue 16).
GP_OFFICES_SHOWN = 25


def municipality_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("county__office"), pk=pk)
    contacts = list(Contact.objects.visible_to(request.user).filter(municipality=municipality))
    readlog.read(request, contacts)
    content = fragments.kept_content(
        request,
        f"municipality:{municipality.pk}",
        "registry/_municipality_detail.html",
        partial(_municipality_page, request.user, municipality, contacts),
    )
    context = {
        "municipality": municipality,
        "content": content,
        "breadcrumbs": crumbs(_crumb(_("Kommuner"), "registry:municipality_list"), municipality.name),
    }
    return render(request, "registry/municipality_detail.html", context)


def _municipality_page(user, municipality: Municipality, contacts: list[Contact]) -> dict:
    registrations = list(municipality.registrations.all())
    gp_offices = list(
        municipality.gp_offices.annotate(doctor_count=_doctor_count()).order_by("name", "pk")[:GP_OFFICES_SHOWN]
    )
    current = {}
    for specialty in Specialty:
        latest = next((r for r in registrations if r.specialty == specialty), None)
        current[specialty.label] = latest
    return {
        "municipality": municipality,
        "current_registrations": current,
        "registrations": registrations,
        "contacts": contacts,
        "gp_offices": gp_offices,
        "gp_office_count": len(gp_offices) if len(gp_offices) < GP_OFFICES_SHOWN else municipality.gp_offices.count(),
        "health_trusts": municipality.health_trusts.all(),
        "can_edit": may(user, "change", municipality),
        # Registration status and contacts are the region's to keep: the office's, not the coordinator's.
        "can_edit_region": may(user, "add", Contact(municipality=municipality)),
        # The region's own records about the municipality (notes, documents) are read like its contacts.
        "reads_region": may(user, "view", Contact(municipality=municipality)),
        "changes": history.history_of(municipality, user=user) if user.reads_personal_data else [],
        "gp_statistics": municipality.gp_statistics.all(),
        "number_changes": municipality.number_changes.all(),
        "can_set_centrality": user.edits_reference_data,
    }


def centrality_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator sets one municipality's class by hand, with its source; the history keeps both."""
    require_reference_edit(request.user)
    municipality = get_object_or_404(Municipality.objects.select_related("county__office"), pk=pk)
    return form_page(
        request,
        CentralityForm,
        instance=municipality,
        title=_("Sentralitet for %(name)s") % {"name": municipality.name},
        saved_message=_("Sentraliteten er lagret med kilden."),
        success_url=reverse("registry:municipality_detail", args=[pk]),
        breadcrumbs=_municipality_crumbs(municipality),
        template="registry/centrality_form.html",
        context={"municipality": municipality},
        authorize=False,  # asked above: reference data, for the coordinator only
    )


def municipality_edit(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("county__office"), pk=pk)
    detail = reverse("registry:municipality_detail", args=[pk])
    return form_page(
        request,
        MunicipalityForm,
        instance=municipality,
        title=_("Endre kommune"),
        saved_message=_("Kommunen er lagret."),
        success_url=detail,
        breadcrumbs=_municipality_crumbs(municipality),
    )


def registration_add(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("county"), pk=pk)
    detail = reverse("registry:municipality_detail", args=[pk])
    return form_page(
        request,
        RegistrationForm,
        instance=Registration(municipality=municipality),
        parent=municipality,
        form_kwargs={"municipality": municipality},
        title=_("Ny registreringsstatus for %(name)s") % {"name": municipality.name},
        saved_message=_("Ny registreringsstatus er lagret."),
        success_url=detail,
        breadcrumbs=_municipality_crumbs(municipality),
    )


def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("county"), pk=pk)
    detail = reverse("registry:municipality_detail", args=[pk])
    return form_page(
        request,
        ContactForm,
        instance=Contact(municipality=municipality),
        parent=municipality,
        title=_("Ny kontaktperson i %(name)s") % {"name": municipality.name},
        saved_message=_("Kontaktpersonen er lagret."),
        success_url=detail,
        breadcrumbs=_municipality_crumbs(municipality),
    )


def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.visible_to(request.user).select_related("municipality__county"), pk=pk)
    detail = reverse("registry:municipality_detail", args=[contact.municipality_id])
    return form_page(
        request,
        ContactForm,
        instance=contact,
        parent=contact.municipality,
        title=_("Endre kontaktperson"),
        saved_message=_("Kontaktpersonen er lagret."),
        success_url=detail,
        breadcrumbs=_municipality_crumbs(contact.municipality),
    )


def _editable_municipalities(user):
    return Municipality.objects.editable_by(user).select_related("county").order_by("name_norwegian")


@login_not_required
def municipality_search(request: HttpRequest) -> HttpResponse:
    """Municipalities matching `?q=` (name or number), for the Suggestion fields (the public sign-up too).

    `?redigerbare=1` keeps to those whose data the user may change, as the editing forms do.
    """
    municipalities = Municipality.objects.order_by("name_norwegian")
    if request.GET.get("redigerbare"):
        signed_in = request.user.is_authenticated
        municipalities = municipalities.editable_by(request.user) if signed_in else municipalities.none()
    return suggestion_response(request, municipalities, search_fields=MUNICIPALITY_SEARCH)


def gp_office_search(request: HttpRequest) -> HttpResponse:
    """GP offices matching `?q=`; `?redigerbare=1` keeps to the municipalities the user may change."""
    offices = GpOffice.objects.select_related("municipality").order_by("name", "pk")
    if request.GET.get("redigerbare"):
        offices = offices.filter(municipality__in=Municipality.objects.editable_by(request.user))
    return suggestion_response(request, offices, search_fields=GP_OFFICE_SEARCH, label=gp_office_label)


def doctor_search(request: HttpRequest) -> HttpResponse:
    """Doctors of the user's region matching `?q=` (name or HPR number), for the Suggestion fields."""
    require_personal_data(request.user)
    doctors = Doctor.objects.visible_to(request.user).order_by("last_name", "first_name", "pk")
    return suggestion_response(request, doctors, search_fields=DOCTOR_SEARCH, label=doctor_label)


def _doctor_count() -> Coalesce:
    """The office's number of doctors, counted per row shown (the page's count then reads only the offices)."""
    return count_per_row(Doctor.objects.all(), "gp_office")


def gp_office_list(request: HttpRequest) -> HttpResponse:
    form = GpOfficeFilterForm(request.GET, user=request.user)
    queryset = GpOffice.objects.select_related("municipality").annotate(doctor_count=_doctor_count())
    listing = list_page(
        request,
        form.filter(queryset),
        columns=GP_OFFICE_COLUMNS,
        default_sort="name",
        caption=_("Legekontorer og antall leger"),
        empty_text=_("Ingen legekontorer passer til filteret."),
        export=Export(GP_OFFICE_EXPORT_COLUMNS, "legekontorer"),
        keep_rows=True,
    )
    return render_list(request, "registry/gp_office_list.html", listing, {"form": form})


def _gp_office_crumbs(gp_office: GpOffice | None = None) -> list:
    levels = [_crumb(_("Legekontorer"), "registry:gp_office_list")]
    if gp_office is not None:
        levels.append(_crumb(gp_office.name, "registry:gp_office_detail", gp_office.pk))
    return crumbs(*levels)


def gp_office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    gp_office = get_object_or_404(GpOffice.objects.select_related("municipality__county"), pk=pk)
    context = {
        "gp_office": gp_office,
        "doctors": Doctor.objects.visible_to(request.user).filter(gp_office=gp_office),
        "can_edit": may(request.user, "change", gp_office),
        "changes": history.history_of(gp_office, user=request.user) if request.user.reads_personal_data else [],
        "breadcrumbs": crumbs(_crumb(_("Legekontorer"), "registry:gp_office_list"), gp_office.name),
    }
    readlog.read(request, context["doctors"])
    return render(request, "registry/gp_office_detail.html", context)


def gp_office_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        GpOfficeForm,
        instance=GpOffice(),
        form_kwargs={"municipalities": _editable_municipalities(request.user)},
        title=_("Nytt legekontor"),
        saved_message=_("Legekontoret er lagret."),
        success_url=lambda saved: reverse("registry:gp_office_detail", args=[saved.pk]),
        cancel_url=reverse("registry:gp_office_list"),
        breadcrumbs=_gp_office_crumbs(),
    )


def gp_office_edit(request: HttpRequest, pk: int) -> HttpResponse:
    gp_office = get_object_or_404(GpOffice.objects.select_related("municipality__county"), pk=pk)
    detail = reverse("registry:gp_office_detail", args=[pk])
    return form_page(
        request,
        GpOfficeForm,
        instance=gp_office,
        form_kwargs={"municipalities": _editable_municipalities(request.user)},
        title=_("Endre legekontor"),
        saved_message=_("Legekontoret er lagret."),
        success_url=detail,
        breadcrumbs=_gp_office_crumbs(gp_office),
    )


def doctor_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    form = DoctorFilterForm(request.GET, user=request.user)
    queryset = Doctor.objects.visible_to(request.user).select_related("municipality", "gp_office")
    listing = list_page(
        request,
        form.filter(queryset),
        columns=DOCTOR_COLUMNS,
        default_sort="name",
        caption=_("Leger i regionen: fastleger, ALIS og veiledere"),
        empty_text=_("Ingen leger passer til filteret."),
        export=Export(DOCTOR_EXPORT_COLUMNS, "leger"),
        keep_rows=True,
    )
    return render_list(request, "registry/doctor_list.html", listing, {"form": form})


def _doctor_crumbs(doctor: Doctor | None = None) -> list:
    levels = [_crumb(_("Leger"), "registry:doctor_list")]
    if doctor is not None:
        levels.append(_crumb(doctor.full_name, "registry:doctor_detail", doctor.pk))
    return crumbs(*levels)


def doctor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The supervisor profile (if any) in the same query: the page links to the supervisor's notes and documents.
    doctor = get_object_or_404(
        Doctor.objects.visible_to(request.user).select_related(
            "municipality__county", "gp_office", "supervisor_profile"
        ),
        pk=pk,
    )
    readlog.read(request, doctor)

    def page() -> dict:
        changes = history.history_of(doctor, user=request.user)
        return {"doctor": doctor, "can_edit": may(request.user, "change", doctor), "changes": changes}

    context = {
        "doctor": doctor,
        "content": fragments.kept_content(request, f"doctor:{doctor.pk}", "registry/_doctor_detail.html", page),
        "breadcrumbs": crumbs(_crumb(_("Leger"), "registry:doctor_list"), doctor.full_name),
    }
    return render(request, "registry/doctor_detail.html", context)


def doctor_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        DoctorForm,
        instance=Doctor(),
        form_kwargs={"municipalities": _editable_municipalities(request.user)},
        title=_("Ny lege"),
        saved_message=_("Legen er lagret."),
        success_url=lambda saved: reverse("registry:doctor_detail", args=[saved.pk]),
        cancel_url=reverse("registry:doctor_list"),
        breadcrumbs=_doctor_crumbs(),
    )


def doctor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    doctor = get_object_or_404(
        Doctor.objects.visible_to(request.user).select_related("municipality__county", "gp_office"), pk=pk
    )
    detail = reverse("registry:doctor_detail", args=[pk])
    return form_page(
        request,
        DoctorForm,
        instance=doctor,
        form_kwargs={"municipalities": _editable_municipalities(request.user)},
        title=_("Endre lege"),
        saved_message=_("Legen er lagret."),
        success_url=detail,
        breadcrumbs=_doctor_crumbs(doctor),
    )


def health_trust_list(request: HttpRequest) -> HttpResponse:
    trusts = HealthTrust.objects.annotate(municipality_count=Count("municipalities")).order_by("rhf", "name")
    context = {"trusts": trusts, "can_edit": may(request.user, "change", HealthTrust)}
    return render(request, "registry/health_trust_list.html", context)


def _trust_crumbs() -> list:
    return crumbs(_crumb(_("Helseforetak"), "registry:health_trust_list"))


def health_trust_create(request: HttpRequest) -> HttpResponse:
    trusts = reverse("registry:health_trust_list")
    return form_page(
        request,
        HealthTrustForm,
        instance=HealthTrust(),
        title=_("Nytt helseforetak"),
        saved_message=_("Helseforetaket er lagret."),
        success_url=trusts,
        breadcrumbs=_trust_crumbs(),
    )


def health_trust_edit(request: HttpRequest, pk: int) -> HttpResponse:
    trust = get_object_or_404(HealthTrust, pk=pk)
    trusts = reverse("registry:health_trust_list")
    return form_page(
        request,
        HealthTrustForm,
        instance=trust,
        title=_("Endre helseforetak"),
        saved_message=_("Helseforetaket er lagret."),
        success_url=trusts,
        breadcrumbs=_trust_crumbs(),
    )


def county_list(request: HttpRequest) -> HttpResponse:
    counties = County.objects.select_related("office").annotate(municipality_count=Count("municipalities"))
    offices = Office.objects.prefetch_related(Prefetch("counties", queryset=County.objects.order_by("number")))
    context = {"counties": counties, "offices": offices, "can_edit": may(request.user, "change", County)}
    return render(request, "registry/county_list.html", context)


def county_edit(request: HttpRequest, pk: int) -> HttpResponse:
    county = get_object_or_404(County, pk=pk)
    counties = reverse("registry:county_list")
    return form_page(
        request,
        CountyForm,
        instance=county,
        title=_("Hvilket ALIS-kontor dekker %(name)s?") % {"name": county.name},
        saved_message=_("Fylket er lagret."),
        success_url=counties,
        breadcrumbs=crumbs(_crumb(_("Fylker og kontorer"), "registry:county_list")),
    )


# Imports from SSB: KLASS 131 and 128, KLASS 131's changes, table 12005 (registry.services)

SSB_IMPORT_COLUMNS = [
    Column(
        "created",
        gettext_lazy("Lastet opp"),
        ("created_at",),
        value=lambda i: i.created_at,
        link=lambda i: path_for("registry:ssb_import_detail")(i.pk),
    ),
    Column("file", gettext_lazy("Fil"), ("filename",), value="filename"),
    Column("kind", gettext_lazy("Innhold"), ("kind", "created_at"), value=lambda i: i.get_kind_display() or "–"),
    Column("status", gettext_lazy("Status"), ("status", "created_at"), value="get_status_display"),
    Column("by", gettext_lazy("Lastet opp av"), value=lambda i: _person(i.created_by)),
    Column("confirmed", gettext_lazy("Bekreftet"), ("confirmed_at",), value="confirmed_at"),
]
PREVIEW_ROWS = 100


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else _("kommandolinjen (import_ssb)")


def _ssb_crumbs(upload: SsbImport | None = None) -> list:
    levels = [_crumb(_("Importer fra SSB"), "registry:ssb_import_list")]
    if upload is not None:
        levels.append(upload.filename)
    return crumbs(*levels)


def ssb_import_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    imports = SsbImport.objects.visible_to(request.user).select_related("created_by").defer("data")
    listing = list_page(
        request,
        imports,
        columns=SSB_IMPORT_COLUMNS,
        default_sort="-created",
        caption=_("Filer fra SSB: kommuner, sentralitet, endrede kommunenummer og fastlegelister"),
        empty_text=_("Ingen filer fra SSB er lastet opp ennå."),
    )
    return render_list(
        request, "registry/ssb_import_list.html", listing, {"can_import": request.user.edits_reference_data}
    )


def ssb_upload(request: HttpRequest) -> HttpResponse:
    require_reference_edit(request.user)
    form = SsbUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        saved = services.ssb_import_upload(
            filename=upload.name, data=upload.read(), kind=form.cleaned_data["kind"], by=request.user
        )
        return redirect("registry:ssb_import_detail", pk=saved.pk)
    title = _("Last opp fil fra SSB")
    context = {
        "form": form,
        "title": title,
        "cancel_url": reverse("registry:ssb_import_list"),
        "submit_label": _("Last opp og vis endringene"),
        "breadcrumbs": [*_ssb_crumbs(), *crumbs(title)],
    }
    return render(request, "registry/ssb_upload.html", context)


def _klass_preview(plan: ssb.ImportPlan) -> dict:
    centrality = plan.classification == ssb.Classification.CENTRALITY
    return {
        "klass": plan,
        "known_now": sum(c.old is None for c in plan.changes) if centrality else 0,
        "reclassified": sum(c.old is not None for c in plan.changes) if centrality else 0,
    }


def _statistics_preview(request: HttpRequest, plan: statbank.StatbankPlan) -> dict:
    grouped: dict[tuple[str, int], list[statbank.ProposedValue]] = {}
    for change in plan.changes:
        grouped.setdefault((change.number, change.year), []).append(change)
    rows = [
        {"number": number, "year": year, "name": values[0].municipality, "new": values[0].new_row, "values": values}
        for (number, year), values in grouped.items()
    ]
    return {
        "statistics": plan,
        "variable_labels": [statbank.field_label(name) for name in plan.variables],
        "page": Paginator(rows, PREVIEW_ROWS).get_page(request.GET.get("side")),
    }


def ssb_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_personal_data(request.user)
    upload = get_object_or_404(SsbImport.objects.visible_to(request.user).select_related("created_by"), pk=pk)
    context: dict = {
        "upload": upload,
        "uploader": _person(upload.created_by),
        "confirmer": _person(upload.confirmed_by) if upload.confirmed_at else "",
        "breadcrumbs": _ssb_crumbs(upload),
    }
    if upload.status != SsbImport.Status.DONE:
        # Read again against the register as it is now: the preview is what confirming would write.
        try:
            reading = services.ssb_read(data=bytes(upload.data), kind=upload.kind)
        except ssb.SsbFileError as error:
            context["file_error"] = str(error)
        else:
            plan = reading.plan
            context |= {
                "plan": plan,
                "fingerprint": plan.fingerprint(),
                "can_confirm": upload.status == SsbImport.Status.PREVIEW
                and plan.has_writes
                and not plan.errors
                and request.user.edits_reference_data,
            }
            if isinstance(plan, statbank.StatbankPlan):
                context |= _statistics_preview(request, plan)
            else:
                context |= _klass_preview(plan)
    return render(request, "registry/ssb_import_detail.html", context)


@require_POST
def ssb_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    require_reference_edit(request.user)
    upload = get_object_or_404(SsbImport.objects.visible_to(request.user), pk=pk)
    try:
        services.ssb_import_confirm(upload=upload, fingerprint=request.POST.get("fingerprint", ""), by=request.user)
    except services.PreviewChanged:
        messages.warning(
            request,
            _("Registeret er endret siden forhåndsvisningen. Se over den nye forhåndsvisningen og bekreft igjen."),
        )
    except ssb.SsbApplyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Fila fra SSB er importert. Endringene står i historikken til hver kommune."))
    return redirect("registry:ssb_import_detail", pk=upload.pk)
