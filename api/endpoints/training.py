"""Courses of training (ALIS): the list and one training with its service periods and supervisors; writes
through the web's training forms (training/forms.py), so their rules hold here too."""

from typing import Annotated

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router
from pydantic import Field

from api.endpoints.common import (
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
    today,
    write,
)
from api.formschema import OfficeCode, RecordId, schema_for
from api.pagination import DEFAULT_PAGE_SIZE, Page, PageSize, page_of, sort_type
from api.problems import ApiProblem, FieldError
from api.schemas import AssignmentOut, ServicePeriodOut, TrainingDetail, TrainingOut
from core.scoping import require_region_edit
from registry.models import Doctor, Municipality
from training.forms import ServicePeriodForm, TrainingFilterForm, TrainingForm, set_expected_end
from training.models import ServicePeriod, SupervisorAssignment, Training
from training.views import TRAINING_COLUMNS, _current_supervisor_name

router = Router(tags=["ALIS"])


class TrainingFilters(schema_for("TrainingFilterFields", TrainingFilterForm, partial=True)):
    office: OfficeCode | None = Field(None, description="Kontorets kortnavn; bare for roller som ser alle regioner.")
    hospital: Annotated[str, Field(pattern=r"^\d{4}-[12]$")] | None = Field(
        None, description="Planlagt sykehustjeneste i halvåret ÅÅÅÅ-1 eller ÅÅÅÅ-2 (de neste seks)."
    )


def _trainings(request: HttpRequest):
    day = today()
    return (
        Training.objects.visible_to(request.user)
        .select_related("doctor", "employer", "gp_office")
        .with_supervisor_flag(day)
        .annotate(supervisor_name=_current_supervisor_name(day))
    )


def _training_detail(request: HttpRequest, pk: int) -> Training:
    periods = ServicePeriod.objects.select_related("health_trust")
    assignments = SupervisorAssignment.objects.select_related("supervisor")
    return get_object_or_404(
        _trainings(request).prefetch_related(
            Prefetch("periods", queryset=periods), Prefetch("supervisor_assignments", queryset=assignments)
        ),
        pk=pk,
    )


@router.get("/trainings/", response={200: page_of(TrainingOut), **PERSONAL_LIST}, summary="ALIS (utdanningsløp)")
def training_list(
    request: HttpRequest,
    filters: Query[TrainingFilters],
    sort: sort_type(TRAINING_COLUMNS) = "name",
    page: Page = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    """Filtre som på ALIS-listen; uten `status` bare de pågående (aktiv eller permisjon)."""
    personal(request)
    form = filter_form(TrainingFilterForm, filters, request, today=today())
    return listing(
        request,
        filtered(form, _trainings(request)),
        columns=TRAINING_COLUMNS,
        default_sort=sort,
        page=page,
        page_size=page_size,
        log="trainings",
        kept_as=page_of(TrainingOut),
    )


@router.get("/trainings/{int:pk}/", response={200: TrainingDetail, **PERSONAL_DETAIL}, summary="Ett utdanningsløp")
def training_detail(request: HttpRequest, pk: RecordId, response: HttpResponse):
    training = _training_detail(request, pk)
    log_read(request, training)
    set_etag(response, training)
    return training


def _editable_municipalities(request: HttpRequest):
    return Municipality.objects.editable_by(request.user).order_by("name_norwegian")


TrainingCreate = schema_for(
    "TrainingCreate",
    TrainingForm,
    partial=False,
    extra={"doctor": (RecordId, Field(..., description="Legen (id) som er ALIS."))},
)
TrainingUpdate = schema_for("TrainingUpdate", TrainingForm, partial=True)


@router.post("/trainings/", response={201: TrainingDetail, **WRITE}, summary="Nytt utdanningsløp")
def training_create(request: HttpRequest, payload: TrainingCreate, response: HttpResponse):
    require_region_edit(request.user, request.user.office_id)
    data = payload.model_dump(exclude_unset=True)
    doctor = Doctor.objects.visible_to(request.user).filter(pk=data.pop("doctor")).first()
    if doctor is None:
        message = _("Fant ingen lege med denne id-en i regionen din.")
        raise ApiProblem(422, errors=[FieldError(field="doctor", message=message)])
    saved = write(
        request,
        TrainingForm,
        instance=Training(doctor=doctor),
        payload=data,
        prepare=set_expected_end,
        municipalities=_editable_municipalities(request),
    )
    training = _training_detail(request, saved.pk)
    set_etag(response, training)
    response["Location"] = f"{request.path}{training.pk}/"
    return 201, training


@router.patch("/trainings/{int:pk}/", response={200: TrainingDetail, **UPDATE}, summary="Endre et utdanningsløp")
def training_update(
    request: HttpRequest, pk: RecordId, payload: TrainingUpdate, response: HttpResponse, if_match: IfMatch = None
):
    training = get_object_or_404(Training.objects.visible_to(request.user).select_related("employer__county"), pk=pk)
    require_region_edit(request.user, training.office_id)
    write(
        request,
        TrainingForm,
        instance=training,
        payload=payload.model_dump(exclude_unset=True),
        if_match=if_match,
        prepare=set_expected_end,
        municipalities=_editable_municipalities(request),
    )
    training = _training_detail(request, pk)
    set_etag(response, training)
    return training


def _refresh_expected_end(training_id: int) -> None:
    """Leave periods move the expected end: kept in step as the web's period pages do."""
    training = Training.objects.get(pk=training_id)
    stored = training.expected_end
    set_expected_end(training)
    if training.expected_end != stored:
        Training.objects.filter(pk=training_id).update(expected_end=training.expected_end)


def _visible_training(request: HttpRequest, pk: int) -> Training:
    return get_object_or_404(Training.objects.visible_to(request.user).select_related("employer__county"), pk=pk)


@router.get(
    "/trainings/{int:pk}/service-periods/",
    response={200: list[ServicePeriodOut], **PERSONAL_DETAIL},
    summary="Tjenesteperiodene i et utdanningsløp",
)
def period_list(request: HttpRequest, pk: RecordId):
    training = _visible_training(request, pk)
    return logged(request, "service_periods", training.periods.select_related("health_trust"))


PeriodCreate = schema_for("ServicePeriodCreate", ServicePeriodForm, partial=False)
PeriodUpdate = schema_for("ServicePeriodUpdate", ServicePeriodForm, partial=True)


def _period_out(pk: int) -> ServicePeriod:
    return ServicePeriod.objects.select_related("health_trust").get(pk=pk)


@router.post(
    "/trainings/{int:pk}/service-periods/", response={201: ServicePeriodOut, **WRITE}, summary="Ny tjenesteperiode"
)
def period_create(request: HttpRequest, pk: RecordId, payload: PeriodCreate, response: HttpResponse):
    training = _visible_training(request, pk)
    require_region_edit(request.user, training.office_id)
    saved = write(
        request,
        ServicePeriodForm,
        instance=ServicePeriod(training=training),
        payload=payload.model_dump(exclude_unset=True),
        parent=training,
    )
    _refresh_expected_end(training.pk)
    period = _period_out(saved.pk)
    set_etag(response, period)
    response["Location"] = f"{request.path.split('trainings/')[0]}service-periods/{period.pk}/"
    return 201, period


def _visible_period(request: HttpRequest, pk: int) -> ServicePeriod:
    periods = ServicePeriod.objects.filter(training__in=Training.objects.visible_to(request.user))
    return get_object_or_404(periods.select_related("training__employer__county", "health_trust"), pk=pk)


@router.get("/service-periods/{int:pk}/", response={200: ServicePeriodOut, **PERSONAL_DETAIL}, summary="Én periode")
def period_detail(request: HttpRequest, pk: RecordId, response: HttpResponse):
    period = _visible_period(request, pk)
    log_read(request, period)
    set_etag(response, period)
    return period


@router.patch("/service-periods/{int:pk}/", response={200: ServicePeriodOut, **UPDATE}, summary="Endre en periode")
def period_update(
    request: HttpRequest, pk: RecordId, payload: PeriodUpdate, response: HttpResponse, if_match: IfMatch = None
):
    period = _visible_period(request, pk)
    training = period.training
    require_region_edit(request.user, training.office_id)
    write(
        request,
        ServicePeriodForm,
        instance=period,
        payload=payload.model_dump(exclude_unset=True),
        if_match=if_match,
        parent=training,
    )
    _refresh_expected_end(training.pk)
    period = _period_out(pk)
    set_etag(response, period)
    return period


@router.get(
    "/trainings/{int:pk}/supervisor-assignments/",
    response={200: list[AssignmentOut], **PERSONAL_DETAIL},
    summary="Veilederoppnevningene i et utdanningsløp",
)
def assignment_list(request: HttpRequest, pk: RecordId):
    training = _visible_training(request, pk)
    return logged(request, "supervisor_assignments", training.supervisor_assignments.select_related("supervisor"))
