"""What the endpoints share: the documented errors, the read log, and writes through the web's forms."""

import re
from collections.abc import Callable
from typing import Annotated, Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Schema

from api.formschema import form_data, query_data
from api.pagination import paginate
from api.problems import ApiProblem, Problem, form_errors
from core import history, lists, readlog, tableversions
from core.editing import StaleEdit, VersionedModelForm, save_form, stale_message
from core.filters import ListFilterForm
from core.scoping import require_personal_data

# The errors each kind of operation may answer, as documented in the OpenAPI document.
LIST = {401: Problem, 422: Problem, 429: Problem}
PERSONAL_LIST = {**LIST, 403: Problem}
DETAIL = {401: Problem, 404: Problem, 422: Problem, 429: Problem}
PERSONAL_DETAIL = {**DETAIL, 403: Problem}
WRITE = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    413: Problem,
    422: Problem,
    429: Problem,
}
UPDATE = {**WRITE, 412: Problem, 428: Problem}
PUBLIC = {404: Problem, 422: Problem, 429: Problem}

IF_MATCH_DESCRIPTION = (
    'ETag fra siste GET av posten («"3"»). Påkrevd: uten svarer API-et 428, med en eldre versjon 412 '
    "(noen andre har lagret i mellomtiden). «*» godtas ikke, for det ville hoppe over kontrollen."
)
IfMatch = Annotated[str | None, Header(alias="If-Match", description=IF_MATCH_DESCRIPTION)]


def today():
    return timezone.localdate()


def personal(request: HttpRequest) -> None:
    """Lists of personal data: the aggregate reader gets 403, as on the web."""
    require_personal_data(request.user)


def log_read(request: HttpRequest, instance: models.Model) -> None:
    """A personal record returned by a detail endpoint: the same read log as the web's pages."""
    readlog.read(request, instance)


def log_list(request: HttpRequest, name: str, rows: int) -> None:
    """A list of personal records: one entry naming the list and its filter (the read log of the web's lists)."""
    readlog.read_list(request, rows=rows, label=name)


def logged(request: HttpRequest, name: str, rows) -> list:
    """All the rows of a short list (a training's periods), its read logged."""
    rows = list(rows)
    log_list(request, name, len(rows))
    return rows


def listing(
    request: HttpRequest,
    queryset: models.QuerySet,
    *,
    log: str | None = None,
    kept_as: type[Schema] | None = None,
    prepare: Callable[[list], None] | None = None,
    **page,
) -> dict[str, Any] | HttpResponse:
    """One page of a list in its envelope; a list of personal records is logged under `log`; `prepare` gives the
    page's rows what their schema shows, worked out for the page at once.

    With `kept_as`, the envelope's schema (the endpoint's response), the page is kept as JSON until a table it was
    read from is written to (core.tableversions), named by the request as a web list's rows are: the user's role
    and office, the day, the query. Turning a hundred rows into JSON costs more than reading them."""
    if kept_as is None:
        rows, envelope = paginate(request, queryset, **page)
        rows = list(rows)
        if prepare is not None:
            prepare(rows)
        if log is not None:
            log_list(request, log, len(rows))
        return {"data": rows, **envelope}
    rows, envelope = paginate(request, queryset, keep_rows=True, **page)

    def build() -> tuple[int, bytes]:
        from api.v1 import api  # the API's own renderer (api.v1 is built from the endpoints)

        shown = list(rows)
        if prepare is not None:
            prepare(shown)
        body = kept_as.model_validate({"data": shown, **envelope}, context={"request": request}).model_dump()
        return len(shown), api.renderer.render(request, body, response_status=200)

    key = f"api-page:{lists.request_key(request)}:{page['page']}"
    count, content = tableversions.kept(key, build, also=tableversions.so_far())
    if log is not None:
        log_list(request, log, count)
    return HttpResponse(content, content_type="application/json; charset=utf-8")


def filtered(form: ListFilterForm, queryset: models.QuerySet) -> models.QuerySet:
    """The web list's filter form, with its Norwegian errors as a 422 instead of an empty list."""
    if not form.is_valid():
        raise ApiProblem(422, errors=form_errors(form))
    return form.filter(queryset)


def filter_form(form_class: type[ListFilterForm], filters: Any, request: HttpRequest, **kwargs) -> ListFilterForm:
    return form_class(query_data(filters.model_dump(exclude_unset=True)), user=request.user, **kwargs)


def set_etag(response: HttpResponse, instance: models.Model) -> None:
    response["ETag"] = f'"{instance.version}"'


_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*')


def matching_version(if_match: str | None, current: int) -> int:
    """The version the client saw, from If-Match: 428 without one, 412 when it is not the current one."""
    if not if_match or not if_match.strip():
        raise ApiProblem(428, _("Send If-Match med ETag-en fra siste GET, slik at ingen endring overskrives."))
    if if_match.strip() == "*":
        raise ApiProblem(428, _("If-Match: * godtas ikke. Send ETag-en fra siste GET."))
    strong = [m.group(2) for m in _TAG.finditer(if_match) if not m.group(1)]
    if str(current) not in strong:
        raise ApiProblem(
            412, _("Posten er i versjon %(version)s. Hent den på nytt og se over endringene.") % {"version": current}
        )
    return current


def write(
    request: HttpRequest,
    form_class: type[VersionedModelForm],
    *,
    instance: models.Model,
    payload: dict[str, Any],
    if_match: str | None = None,
    parent: models.Model | None = None,
    prepare: Callable[[models.Model], None] | None = None,
    fields: dict[str, str] | None = None,
    **form_kwargs,
) -> models.Model:
    """Create or change a record as the web form does: same validation, history with the token's user.

    An update needs If-Match with the version the client saw; `save_form` checks it again in the same
    transaction as the save, so two writers racing can not both win (the second gets 412).
    """
    updating = instance.pk is not None
    if updating:
        seen = matching_version(if_match, instance.version)
    unbound = form_class(instance=instance, **form_kwargs)
    data = form_data(unbound, payload)
    if updating:
        data["seen_version"] = str(seen)
    before = history.snapshot(instance) if updating else None
    form = form_class(data, instance=instance, **form_kwargs)
    if not form.is_valid():
        raise ApiProblem(422, errors=form_errors(form, fields=fields))
    try:
        return save_form(form=form, by=request.user, before=before, parent=parent, prepare=prepare)
    except StaleEdit:
        raise ApiProblem(412, stale_message(instance)) from None
