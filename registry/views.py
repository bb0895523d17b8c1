from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import history
from core.editing import process_form
from core.export import DATE, FORMATS, NUMBER, ExportColumn, export_response
from core.lists import Column, list_page
from core.scoping import require_personal_data, require_reference_edit, require_region_edit
from registry.forms import (
    ContactForm,
    CountyForm,
    DoctorFilterForm,
    DoctorForm,
    GpOfficeFilterForm,
    GpOfficeForm,
    HealthTrustForm,
    MunicipalityFilterForm,
    MunicipalityForm,
    RegistrationForm,
)
from registry.models import (
    Contact,
    County,
    Doctor,
    GpOffice,
    HealthTrust,
    Municipality,
    Office,
    Registration,
    RegistrationStatus,
    Specialty,
)

MUNICIPALITY_COLUMNS = [
    Column("number", gettext_lazy("Nr."), ("number",)),
    Column("name", gettext_lazy("Kommune"), ("name_norwegian",)),
    Column("county", gettext_lazy("Fylke"), ("county__name", "number")),
    Column("office", gettext_lazy("ALIS-kontor"), ("county__office__ordering", "number")),
    Column("centrality", gettext_lazy("Sentralitet"), ("centrality", "number"), numeric=True),
    Column("status_gp", gettext_lazy("Allmennmedisin"), ("status_rank_general_practice", "number")),
    Column("status_cm", gettext_lazy("Samfunnsmedisin"), ("status_rank_community_medicine", "number")),
]
GP_OFFICE_COLUMNS = [
    Column("name", gettext_lazy("Legekontor"), ("name",)),
    Column("municipality", gettext_lazy("Kommune"), ("municipality__name_norwegian", "name")),
    Column("address", gettext_lazy("Adresse")),
    Column("doctors", gettext_lazy("Leger"), ("doctor_count", "name"), numeric=True),
]
DOCTOR_COLUMNS = [
    Column("name", gettext_lazy("Navn"), ("last_name", "first_name")),
    Column("hpr", gettext_lazy("HPR-nummer"), ("hpr_number",)),
    Column("municipality", gettext_lazy("Arbeidskommune"), ("municipality__name_norwegian", "last_name")),
    Column("gp_office", gettext_lazy("Legekontor"), ("gp_office__name", "last_name")),
    Column("regular_gp", gettext_lazy("Fastlege"), ("is_regular_gp", "last_name")),
    Column("list_size", gettext_lazy("Listelengde"), ("list_size", "last_name"), numeric=True),
    Column("specialist", gettext_lazy("Spesialist"), ("is_specialist", "last_name")),
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
    ExportColumn("E-post", "email"),
    ExportColumn("Telefon", "phone"),
]
EXPORTS = {
    "registry/municipality_list.html": (MUNICIPALITY_EXPORT_COLUMNS, "kommuner"),
    "registry/gp_office_list.html": (GP_OFFICE_EXPORT_COLUMNS, "legekontorer"),
    "registry/doctor_list.html": (DOCTOR_EXPORT_COLUMNS, "leger"),
}


def _list(request: HttpRequest, template: str, form, queryset, columns, default_sort: str) -> HttpResponse:
    listing = list_page(request, form.filter(queryset), columns=columns, default_sort=default_sort)
    if (fmt := request.GET.get("eksport")) in FORMATS:
        export_columns, filename = EXPORTS[template]
        # All rows the filters and sorting select, not only the page on screen.
        return export_response(
            rows=listing.page.paginator.object_list, columns=export_columns, filename=filename, fmt=fmt
        )
    context = {"form": form, "listing": listing}
    return render(request, f"{template}#results" if request.htmx else template, context)


def municipality_list(request: HttpRequest) -> HttpResponse:
    form = MunicipalityFilterForm(request.GET, user=request.user)
    queryset = Municipality.objects.select_related("county__office").with_registration_rank()
    return _list(request, "registry/municipality_list.html", form, queryset, MUNICIPALITY_COLUMNS, "number")


def municipality_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("county__office"), pk=pk)
    registrations = list(municipality.registrations.all())
    current = {}
    for specialty in Specialty:
        latest = next((r for r in registrations if r.specialty == specialty), None)
        current[specialty.label] = latest
    context = {
        "municipality": municipality,
        "current_registrations": current,
        "registrations": registrations,
        "contacts": Contact.objects.visible_to(request.user).filter(municipality=municipality),
        "gp_offices": municipality.gp_offices.annotate(doctor_count=Count("doctors")).order_by("name"),
        "health_trusts": municipality.health_trusts.all(),
        "can_edit": request.user.edits_region(municipality.county.office_id) or request.user.edits_reference_data,
        "can_edit_region": request.user.edits_region(municipality.county.office_id),
        "changes": history.history_of(municipality) if request.user.reads_personal_data else [],
    }
    return render(request, "registry/municipality_detail.html", context)


def municipality_edit(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("county__office"), pk=pk)
    if not request.user.edits_reference_data:
        require_region_edit(request.user, municipality.county.office_id)
    form, saved = process_form(request, MunicipalityForm, instance=municipality)
    if saved:
        messages.success(request, _("Kommunen er lagret."))
        return redirect("registry:municipality_detail", pk=pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "object": municipality,
            "title": _("Endre kommune"),
            "cancel_url": reverse("registry:municipality_detail", args=[pk]),
        },
    )


def registration_add(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("county"), pk=pk)
    require_region_edit(request.user, municipality.county.office_id)
    form, saved = process_form(
        request, RegistrationForm, instance=Registration(), parent=municipality, municipality=municipality
    )
    if saved:
        messages.success(request, _("Ny registreringsstatus er lagret."))
        return redirect("registry:municipality_detail", pk=pk)
    title = _("Ny registreringsstatus for %(name)s") % {"name": municipality.name}
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "object": municipality,
            "title": title,
            "cancel_url": reverse("registry:municipality_detail", args=[pk]),
        },
    )


def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality.objects.select_related("county"), pk=pk)
    require_region_edit(request.user, municipality.county.office_id)
    form, saved = process_form(request, ContactForm, instance=Contact(municipality=municipality), parent=municipality)
    if saved:
        messages.success(request, _("Kontaktpersonen er lagret."))
        return redirect("registry:municipality_detail", pk=pk)
    title = _("Ny kontaktperson i %(name)s") % {"name": municipality.name}
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "object": municipality,
            "title": title,
            "cancel_url": reverse("registry:municipality_detail", args=[pk]),
        },
    )


def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.visible_to(request.user).select_related("municipality__county"), pk=pk)
    require_region_edit(request.user, contact.municipality.county.office_id)
    form, saved = process_form(request, ContactForm, instance=contact, parent=contact.municipality)
    if saved:
        messages.success(request, _("Kontaktpersonen er lagret."))
        return redirect("registry:municipality_detail", pk=contact.municipality_id)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "object": contact,
            "title": _("Endre kontaktperson"),
            "cancel_url": reverse("registry:municipality_detail", args=[contact.municipality_id]),
        },
    )


def _editable_municipalities(user):
    return Municipality.objects.editable_by(user).select_related("county").order_by("name_norwegian")


def gp_office_list(request: HttpRequest) -> HttpResponse:
    form = GpOfficeFilterForm(request.GET, user=request.user)
    queryset = GpOffice.objects.select_related("municipality").annotate(doctor_count=Count("doctors"))
    return _list(request, "registry/gp_office_list.html", form, queryset, GP_OFFICE_COLUMNS, "name")


def gp_office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    gp_office = get_object_or_404(GpOffice.objects.select_related("municipality__county"), pk=pk)
    context = {
        "gp_office": gp_office,
        "doctors": Doctor.objects.visible_to(request.user).filter(gp_office=gp_office),
        "can_edit": request.user.edits_region(gp_office.municipality.county.office_id),
        "changes": history.history_of(gp_office) if request.user.reads_personal_data else [],
    }
    return render(request, "registry/gp_office_detail.html", context)


def gp_office_create(request: HttpRequest) -> HttpResponse:
    require_region_edit(request.user, request.user.office_id)
    form, saved = process_form(
        request, GpOfficeForm, instance=GpOffice(), municipalities=_editable_municipalities(request.user)
    )
    if saved:
        messages.success(request, _("Legekontoret er lagret."))
        return redirect("registry:gp_office_detail", pk=saved.pk)
    return render(
        request,
        "core/form_page.html",
        {"form": form, "title": _("Nytt legekontor"), "cancel_url": reverse("registry:gp_office_list")},
    )


def gp_office_edit(request: HttpRequest, pk: int) -> HttpResponse:
    gp_office = get_object_or_404(GpOffice.objects.select_related("municipality__county"), pk=pk)
    require_region_edit(request.user, gp_office.municipality.county.office_id)
    form, saved = process_form(
        request, GpOfficeForm, instance=gp_office, municipalities=_editable_municipalities(request.user)
    )
    if saved:
        messages.success(request, _("Legekontoret er lagret."))
        return redirect("registry:gp_office_detail", pk=pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "object": gp_office,
            "title": _("Endre legekontor"),
            "cancel_url": reverse("registry:gp_office_detail", args=[pk]),
        },
    )


def doctor_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    form = DoctorFilterForm(request.GET, user=request.user)
    queryset = Doctor.objects.visible_to(request.user).select_related("municipality", "gp_office")
    return _list(request, "registry/doctor_list.html", form, queryset, DOCTOR_COLUMNS, "name")


def doctor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doctor = get_object_or_404(
        Doctor.objects.visible_to(request.user).select_related("municipality__county", "gp_office"), pk=pk
    )
    history.record_read(instance=doctor, by=request.user)
    context = {
        "doctor": doctor,
        "can_edit": request.user.edits_region(doctor.office_id),
        "changes": history.history_of(doctor),
    }
    return render(request, "registry/doctor_detail.html", context)


def doctor_create(request: HttpRequest) -> HttpResponse:
    require_region_edit(request.user, request.user.office_id)
    form, saved = process_form(
        request, DoctorForm, instance=Doctor(), municipalities=_editable_municipalities(request.user)
    )
    if saved:
        messages.success(request, _("Legen er lagret."))
        return redirect("registry:doctor_detail", pk=saved.pk)
    return render(
        request,
        "core/form_page.html",
        {"form": form, "title": _("Ny lege"), "cancel_url": reverse("registry:doctor_list")},
    )


def doctor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    doctor = get_object_or_404(
        Doctor.objects.visible_to(request.user).select_related("municipality__county", "gp_office"), pk=pk
    )
    require_region_edit(request.user, doctor.office_id)
    form, saved = process_form(
        request, DoctorForm, instance=doctor, municipalities=_editable_municipalities(request.user)
    )
    if saved:
        messages.success(request, _("Legen er lagret."))
        return redirect("registry:doctor_detail", pk=pk)
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "object": doctor,
            "title": _("Endre lege"),
            "cancel_url": reverse("registry:doctor_detail", args=[pk]),
        },
    )


def health_trust_list(request: HttpRequest) -> HttpResponse:
    trusts = HealthTrust.objects.annotate(municipality_count=Count("municipalities")).order_by("rhf", "name")
    return render(request, "registry/health_trust_list.html", {"trusts": trusts})


def health_trust_create(request: HttpRequest) -> HttpResponse:
    require_reference_edit(request.user)
    form, saved = process_form(request, HealthTrustForm, instance=HealthTrust())
    if saved:
        messages.success(request, _("Helseforetaket er lagret."))
        return redirect("registry:health_trust_list")
    context = {"form": form, "title": _("Nytt helseforetak"), "cancel_url": reverse("registry:health_trust_list")}
    return render(request, "core/form_page.html", context)


def health_trust_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_reference_edit(request.user)
    trust = get_object_or_404(HealthTrust, pk=pk)
    form, saved = process_form(request, HealthTrustForm, instance=trust)
    if saved:
        messages.success(request, _("Helseforetaket er lagret."))
        return redirect("registry:health_trust_list")
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "object": trust,
            "title": _("Endre helseforetak"),
            "cancel_url": reverse("registry:health_trust_list"),
        },
    )


def county_list(request: HttpRequest) -> HttpResponse:
    counties = County.objects.select_related("office").annotate(municipality_count=Count("municipalities"))
    offices = Office.objects.prefetch_related(Prefetch("counties", queryset=County.objects.order_by("number")))
    return render(request, "registry/county_list.html", {"counties": counties, "offices": offices})


def county_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_reference_edit(request.user)
    county = get_object_or_404(County, pk=pk)
    form, saved = process_form(request, CountyForm, instance=county)
    if saved:
        messages.success(request, _("Fylket er lagret."))
        return redirect("registry:county_list")
    title = _("Hvilket ALIS-kontor dekker %(name)s?") % {"name": county.name}
    return render(
        request,
        "core/form_page.html",
        {"form": form, "object": county, "title": title, "cancel_url": reverse("registry:county_list")},
    )
