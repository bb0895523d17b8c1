"""The registry: offices, health trusts, municipalities with their contacts, GP offices and doctors."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from pydantic import Field

from api.endpoints.common import (
    DETAIL,
    LIST,
    PERSONAL_DETAIL,
    PERSONAL_LIST,
    UPDATE,
    WRITE,
    IfMatch,
    filter_form,
    filtered,
    listing,
    log_read,
    logged,
    personal,
    set_etag,
    write,
)
from api.formschema import OfficeCode, RecordId, schema_for
from api.pagination import DEFAULT_PAGE_SIZE, Page, PageSize, page_of, sort_type
from api.schemas import (
    ContactOut,
    DoctorOut,
    GpOfficeOut,
    HealthTrustOut,
    Me,
    MunicipalityDetail,
    MunicipalityOut,
    OfficeRef,
)
from core.scoping import require_region_edit
from registry.forms import ContactForm, DoctorFilterForm, GpOfficeFilterForm, MunicipalityFilterForm
from registry.models import Contact, Doctor, GpListStatistics, GpOffice, HealthTrust, Municipality, Office
from registry.views import DOCTOR_COLUMNS, GP_OFFICE_COLUMNS, MUNICIPALITY_COLUMNS

router = Router(tags=["Register"])


@router.get("/me/", response={200: Me, **LIST}, tags=["Konto"], summary="Hvem nøkkelen tilhører")
def me(request: HttpRequest):
    user, token = request.user, request.api_token
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "role": user.role,
        "office": user.office,
        "reads_personal_data": user.reads_personal_data,
        "token_name": token.name,
        "token_expires_at": token.expires_at,
    }


@router.get("/offices/", response={200: list[OfficeRef], **LIST}, summary="ALIS-kontorene")
def office_list(request: HttpRequest):
    return Office.objects.all()


@router.get("/health-trusts/", response={200: list[HealthTrustOut], **LIST}, summary="Helseforetakene")
def health_trust_list(request: HttpRequest):
    return HealthTrust.objects.order_by("rhf", "name")


OFFICE_FILTER = "Kontorets kortnavn; tomt = alle. Utelatt: ditt eget kontor (som på nettsidene)."


class MunicipalityFilters(schema_for("MunicipalityFilterFields", MunicipalityFilterForm, partial=True)):
    office: OfficeCode | None = Field(None, description=OFFICE_FILTER)


@router.get("/municipalities/", response={200: page_of(MunicipalityOut), **LIST}, summary="Kommunene")
def municipality_list(
    request: HttpRequest,
    filters: Query[MunicipalityFilters],
    sort: sort_type(MUNICIPALITY_COLUMNS) = "number",
    page: Page = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    """Filtre og sortering som på kommunelisten; registreringsstatus og sentralitet (null = ukjent)."""
    form = filter_form(MunicipalityFilterForm, filters, request)
    # The SSB figures as on the web list, which the sort keys of its columns include (a 500 without them).
    queryset = (
        Municipality.objects.select_related("county__office")
        .with_registration_rank()
        .with_gp_statistics(GpListStatistics.latest_year())
    )
    return listing(
        request,
        filtered(form, queryset),
        columns=MUNICIPALITY_COLUMNS,
        default_sort=sort,
        page=page,
        page_size=page_size,
        kept_as=page_of(MunicipalityOut),
    )


@router.get("/municipalities/{int:pk}/", response={200: MunicipalityDetail, **DETAIL}, summary="Én kommune")
def municipality_detail(request: HttpRequest, pk: RecordId, response: HttpResponse):
    municipality = get_object_or_404(
        Municipality.objects.select_related("county__office")
        .with_registration_status()
        .prefetch_related("registrations", "health_trusts"),
        pk=pk,
    )
    set_etag(response, municipality)
    return municipality


def _contacts(request: HttpRequest):
    return Contact.objects.visible_to(request.user).select_related("municipality__county")


@router.get(
    "/municipalities/{int:pk}/contacts/",
    response={200: list[ContactOut], **PERSONAL_DETAIL},
    summary="Kommunens kontaktpersoner",
)
def contact_list(request: HttpRequest, pk: RecordId):
    personal(request)
    municipality = get_object_or_404(Municipality, pk=pk)
    return logged(request, "municipality_contacts", _contacts(request).filter(municipality=municipality))


ContactCreate = schema_for("ContactCreate", ContactForm, partial=False)
ContactUpdate = schema_for("ContactUpdate", ContactForm, partial=True)


@router.post(
    "/municipalities/{int:pk}/contacts/", response={201: ContactOut, **WRITE}, summary="Ny kontaktperson i kommunen"
)
def contact_create(request: HttpRequest, pk: RecordId, payload: ContactCreate, response: HttpResponse):
    municipality = get_object_or_404(Municipality.objects.select_related("county"), pk=pk)
    require_region_edit(request.user, municipality.county.office_id)
    contact = write(
        request,
        ContactForm,
        instance=Contact(municipality=municipality),
        payload=payload.model_dump(exclude_unset=True),
        parent=municipality,
    )
    set_etag(response, contact)
    response["Location"] = f"{request.path.split('municipalities/')[0]}contacts/{contact.pk}/"
    return 201, contact


@router.get("/contacts/{int:pk}/", response={200: ContactOut, **PERSONAL_DETAIL}, summary="Én kontaktperson")
def contact_detail(request: HttpRequest, pk: RecordId, response: HttpResponse):
    personal(request)
    contact = get_object_or_404(_contacts(request), pk=pk)
    log_read(request, contact)
    set_etag(response, contact)
    return contact


@router.patch("/contacts/{int:pk}/", response={200: ContactOut, **UPDATE}, summary="Endre en kontaktperson")
def contact_update(
    request: HttpRequest,
    pk: RecordId,
    payload: ContactUpdate,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    contact = get_object_or_404(_contacts(request), pk=pk)
    require_region_edit(request.user, contact.municipality.county.office_id)
    contact = write(
        request,
        ContactForm,
        instance=contact,
        payload=payload.model_dump(exclude_unset=True),
        if_match=if_match,
        parent=contact.municipality,
    )
    set_etag(response, contact)
    return contact


class GpOfficeFilters(schema_for("GpOfficeFilterFields", GpOfficeFilterForm, partial=True)):
    office: OfficeCode | None = Field(None, description=OFFICE_FILTER)


def _gp_offices():
    return GpOffice.objects.select_related("municipality").annotate(doctor_count=Count("doctors"))


@router.get("/gp-offices/", response={200: page_of(GpOfficeOut), **LIST}, summary="Legekontorene")
def gp_office_list(
    request: HttpRequest,
    filters: Query[GpOfficeFilters],
    sort: sort_type(GP_OFFICE_COLUMNS) = "name",
    page: Page = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    form = filter_form(GpOfficeFilterForm, filters, request)
    return listing(
        request,
        filtered(form, _gp_offices()),
        columns=GP_OFFICE_COLUMNS,
        default_sort=sort,
        page=page,
        page_size=page_size,
    )


@router.get("/gp-offices/{int:pk}/", response={200: GpOfficeOut, **DETAIL}, summary="Ett legekontor")
def gp_office_detail(request: HttpRequest, pk: RecordId, response: HttpResponse):
    gp_office = get_object_or_404(_gp_offices(), pk=pk)
    set_etag(response, gp_office)
    return gp_office


class DoctorFilters(schema_for("DoctorFilterFields", DoctorFilterForm, partial=True)):
    office: OfficeCode | None = Field(None, description="Bare for roller som ser alle regioner.")


def _doctors(request: HttpRequest):
    return Doctor.objects.visible_to(request.user).select_related("municipality", "gp_office")


@router.get("/doctors/", response={200: page_of(DoctorOut), **PERSONAL_LIST}, summary="Legene i regionen")
def doctor_list(
    request: HttpRequest,
    filters: Query[DoctorFilters],
    sort: sort_type(DOCTOR_COLUMNS) = "name",
    page: Page = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    personal(request)
    form = filter_form(DoctorFilterForm, filters, request)
    return listing(
        request,
        filtered(form, _doctors(request)),
        columns=DOCTOR_COLUMNS,
        default_sort=sort,
        page=page,
        page_size=page_size,
        log="doctors",
        keep_count=True,
    )


@router.get("/doctors/{int:pk}/", response={200: DoctorOut, **DETAIL}, summary="Én lege")
def doctor_detail(request: HttpRequest, pk: RecordId, response: HttpResponse):
    doctor = get_object_or_404(_doctors(request), pk=pk)
    log_read(request, doctor)
    set_etag(response, doctor)
    return doctor
