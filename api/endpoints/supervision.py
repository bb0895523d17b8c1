"""The supervisor pool and the supervision log; sessions are written through the web's session form."""

from typing import Annotated

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from ninja import Router, Schema
from pydantic import Field

from api.endpoints.common import (
    DETAIL,
    PERSONAL_DETAIL,
    PERSONAL_LIST,
    UPDATE,
    WRITE,
    IfMatch,
    listing,
    log_read,
    personal,
    set_etag,
    today,
    write,
)
from api.formschema import ApiDate, OfficeCode, RecordId, form_data, schema_for
from api.pagination import DEFAULT_PAGE_SIZE, Page, PageSize, page_of, sort_type
from api.problems import ApiProblem, FieldError, form_errors
from api.schemas import SessionOut, SupervisorProfileOut
from core.editing import save_form
from core.lists import Column
from core.scoping import require_region_edit
from supervision import pool
from supervision.forms import SessionForm
from supervision.models import SupervisionSession
from supervision.views import _session_supervisors
from training.models import Training
from training.overview import office_scope

router = Router(tags=["Veiledning"])

MAX_BULK = 500

PROFILE_COLUMNS = [
    Column("name", gettext_lazy("Veileder"), ("doctor__last_name", "doctor__first_name")),
    Column("capacity", gettext_lazy("Kapasitet"), ("capacity", "doctor__last_name"), numeric=True),
    Column("load", gettext_lazy("ALIS nå"), ("load", "doctor__last_name"), numeric=True),
    Column("available_from", gettext_lazy("Tilgjengelig fra"), ("available_from", "doctor__last_name")),
]
SESSION_COLUMNS = [
    Column("date", gettext_lazy("Dato"), ("date",)),
    Column("minutes", gettext_lazy("Minutter"), ("minutes", "date"), numeric=True),
]


def _profiles(request: HttpRequest, office):
    profiles = pool.profiles_in(office).visible_to(request.user).with_load(today())
    return profiles.select_related("doctor__municipality")


@router.get(
    "/supervisor-profiles/", response={200: page_of(SupervisorProfileOut), **PERSONAL_LIST}, summary="Veilederpoolen"
)
def profile_list(
    request: HttpRequest,
    office: OfficeCode | None = None,
    sort: sort_type(PROFILE_COLUMNS) = "name",
    page: Page = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    """Veilederne i regionen din (koordinatoren velger kontor med `office`), med kapasitet og ALIS i dag."""
    personal(request)
    return listing(
        request,
        _profiles(request, office_scope(request.user, office)),
        columns=PROFILE_COLUMNS,
        default_sort=sort,
        page=page,
        page_size=page_size,
        log="supervisor_profiles",
    )


@router.get("/supervisor-profiles/{int:pk}/", response={200: SupervisorProfileOut, **DETAIL}, summary="Én veileder")
def profile_detail(request: HttpRequest, pk: RecordId, response: HttpResponse):
    profile = get_object_or_404(_profiles(request, None), pk=pk)
    log_read(request, profile)
    set_etag(response, profile)
    return profile


def _sessions(request: HttpRequest):
    return SupervisionSession.objects.visible_to(request.user).select_related("supervisor")


@router.get("/supervision-sessions/", response={200: page_of(SessionOut), **PERSONAL_LIST}, summary="Veiledningstimer")
def session_list(
    request: HttpRequest,
    training: RecordId | None = None,
    supervisor: Annotated[RecordId | None, Field(description="Veilederen (lege-id).")] = None,
    date_from: ApiDate | None = None,
    date_to: ApiDate | None = None,
    sort: sort_type(SESSION_COLUMNS) = "-date",
    page: Page = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    personal(request)
    sessions = _sessions(request)
    conditions = Q()
    if training is not None:
        conditions &= Q(training_id=training)
    if supervisor is not None:
        conditions &= Q(supervisor_id=supervisor)
    if date_from is not None:
        conditions &= Q(date__gte=date_from)
    if date_to is not None:
        conditions &= Q(date__lte=date_to)
    return listing(
        request,
        sessions.filter(conditions),
        columns=SESSION_COLUMNS,
        default_sort=sort,
        page=page,
        page_size=page_size,
        log="supervision_sessions",
        keep_count=True,
    )


@router.get(
    "/supervision-sessions/{int:pk}/", response={200: SessionOut, **PERSONAL_DETAIL}, summary="Én veiledningstime"
)
def session_detail(request: HttpRequest, pk: RecordId, response: HttpResponse):
    session = get_object_or_404(_sessions(request), pk=pk)
    log_read(request, session)
    set_etag(response, session)
    return session


TRAINING_FIELD = (RecordId, Field(..., description="Utdanningsløpet (id) timen gjelder."))
SessionCreate = schema_for("SessionCreate", SessionForm, partial=False, extra={"training": TRAINING_FIELD})
SessionUpdate = schema_for("SessionUpdate", SessionForm, partial=True)


class SessionBulk(Schema):
    sessions: list[SessionCreate] = Field(..., min_length=1, max_length=MAX_BULK)


class SessionBulkResult(Schema):
    created: int
    data: list[SessionOut]


def _editable_trainings(request: HttpRequest, ids: set[int]) -> dict[int, Training]:
    """The trainings the user may record sessions for; staff edit their own region, an administrator all."""
    require_region_edit(request.user, request.user.office_id)
    trainings = Training.objects.visible_to(request.user).select_related("employer__county", "doctor")
    return {pk: t for pk, t in trainings.in_bulk(ids).items() if request.user.edits_region(t.office_id)}


def _session_form(training: Training, row: dict, *, source: str = SupervisionSession.Source.OFFICE) -> SessionForm:
    instance = SupervisionSession(training=training, source=source)
    supervisors = _session_supervisors(training)
    data = form_data(SessionForm(instance=instance, supervisors=supervisors), row)
    return SessionForm(data, instance=instance, supervisors=supervisors)


def _no_training(row: int | None = None) -> FieldError:
    return FieldError(field="training", message=_("Fant ikke utdanningsløpet i regionen din."), row=row)


def _session_out(pks: list[int]) -> list[SupervisionSession]:
    return list(SupervisionSession.objects.select_related("supervisor").filter(pk__in=pks).order_by("pk"))


@router.post("/supervision-sessions/", response={201: SessionOut, **WRITE}, summary="Ny veiledningstime")
def session_create(request: HttpRequest, payload: SessionCreate, response: HttpResponse):
    data = payload.model_dump(exclude_unset=True)
    training = _editable_trainings(request, {data["training"]}).get(data.pop("training"))
    if training is None:
        raise ApiProblem(422, errors=[_no_training()])
    form = _session_form(training, data)
    if not form.is_valid():
        raise ApiProblem(422, errors=form_errors(form))
    session = _session_out([save_form(form=form, by=request.user, before=None, parent=training).pk])[0]
    set_etag(response, session)
    response["Location"] = f"{request.path}{session.pk}/"
    return 201, session


@router.post(
    "/supervision-sessions/bulk/",
    response={201: SessionBulkResult, **WRITE},
    summary="Mange veiledningstimer: alle eller ingen",
)
def session_bulk_create(request: HttpRequest, payload: SessionBulk):
    """Hver rad kontrolleres med det samme skjemaet som én time. Har én rad feil, lagres ingenting, og svaret
    (422) har feilene rad for rad (`row` teller fra 0). Ellers lagres alle i én transaksjon, med historikk."""
    rows = [row.model_dump(exclude_unset=True) for row in payload.sessions]
    trainings = _editable_trainings(request, {row["training"] for row in rows})
    forms, errors = [], []
    for number, row in enumerate(rows):
        training = trainings.get(row.pop("training"))
        if training is None:
            errors.append(_no_training(number))
            continue
        form = _session_form(training, row, source=SupervisionSession.Source.IMPORT)
        if form.is_valid():
            forms.append((form, training))
        else:
            errors += form_errors(form, row=number)
    if errors:
        wrong = len({e.row for e in errors})
        detail = ngettext(
            "Ingenting er lagret: %(n)s rad har feil.", "Ingenting er lagret: %(n)s rader har feil.", wrong
        ) % {"n": wrong}
        raise ApiProblem(422, detail, errors=errors)
    with transaction.atomic():
        saved = [save_form(form=form, by=request.user, before=None, parent=training).pk for form, training in forms]
    return 201, {"created": len(saved), "data": _session_out(saved)}


@router.patch(
    "/supervision-sessions/{int:pk}/", response={200: SessionOut, **UPDATE}, summary="Endre en veiledningstime"
)
def session_update(
    request: HttpRequest,
    pk: RecordId,
    payload: SessionUpdate,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    session = get_object_or_404(
        SupervisionSession.objects.visible_to(request.user).select_related("training__employer__county"), pk=pk
    )
    training = session.training
    require_region_edit(request.user, training.office_id)
    write(
        request,
        SessionForm,
        instance=session,
        payload=payload.model_dump(exclude_unset=True),
        if_match=if_match,
        parent=training,
        supervisors=_session_supervisors(training),
    )
    session = _session_out([pk])[0]
    set_etag(response, session)
    return session
