"""Errors as `application/problem+json` (RFC 9457), with field errors in the user's language (bokmål first).

Every problem has `type` "about:blank" (the status says what kind it is, RFC 9457 § 4.2.1, with the title in
the user's language), a `code` for programs, and for bad input an `errors` list: one entry per field (and per
row of a bulk request), with the same messages the web forms show.
"""

import json
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from accounts import events
from accounts.models import AuthEvent

MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: gettext_lazy("Ugyldig forespørsel"),
    401: gettext_lazy("Ikke autentisert"),
    403: gettext_lazy("Ingen tilgang"),
    404: gettext_lazy("Finnes ikke"),
    409: gettext_lazy("Konflikt"),
    412: gettext_lazy("Posten er endret av noen andre"),
    413: gettext_lazy("Forespørselen er for stor"),
    422: gettext_lazy("Ugyldige data"),
    428: gettext_lazy("Versjonen mangler"),
    429: gettext_lazy("For mange forespørsler"),
}
CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    412: "stale",
    413: "too_large",
    422: "invalid",
    428: "precondition_required",
    429: "throttled",
}


class FieldError(Schema):
    field: str
    message: str
    row: int | None = None


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    code: str
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] = []


class ApiProblem(Exception):
    """Answer with a problem document instead of the operation's result."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        errors: Iterable[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or str(TITLES.get(status, "")))
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str | None = None,
    *,
    errors: Iterable[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status, status)),
        "status": status,
        "code": CODES.get(status, "error"),
        "detail": detail,
        "instance": request.path,
        "errors": [e.model_dump() for e in errors],
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def form_errors(form, *, row: int | None = None, fields: Mapping[str, str] | None = None) -> list[FieldError]:
    """A Django form's errors, field by field; `fields` renames form fields to the API's names."""
    names = fields or {}
    return [
        FieldError(field=names.get(name, name) if name != "__all__" else "", message=str(message), row=row)
        for name, messages in form.errors.items()
        for message in messages
    ]


def _message(error: dict) -> str:
    """A Norwegian (translatable) message for a pydantic error, by its type."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("Feltet må fylles ut.")
    if kind.startswith("int_") or kind == "int_type":
        return _("Oppgi et helt tall.")
    if kind.startswith("bool_"):
        return _("Oppgi true eller false.")
    if kind.startswith(("date_", "datetime_")):
        return _("Oppgi en dato på formen ÅÅÅÅ-MM-DD.")
    if kind in {"literal_error", "enum"}:
        # pydantic lists the values as "'a', 'b' or 'c'"
        values = str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("Velg en av: %(values)s.") % {"values": values}
    if kind == "string_too_long":
        return _("Skriv høyst %(max)s tegn.") % {"max": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Skriv minst %(min)s tegn.") % {"min": ctx.get("min_length")}
    if kind == "too_long":
        return _("Høyst %(max)s rader.") % {"max": ctx.get("max_length")}
    if kind == "too_short":
        return _("Minst %(min)s rader.") % {"min": ctx.get("min_length")}
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Verdien må være minst %(min)s.") % {"min": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Verdien kan være høyst %(max)s.") % {"max": ctx.get("le", ctx.get("lt"))}
    if kind == "string_type":
        return _("Oppgi tekst.")
    if kind == "list_type":
        return _("Oppgi en liste.")
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return _("Oppgi et JSON-objekt.")
    if kind == "extra_forbidden":
        return _("Ukjent felt.")
    if kind == "json_invalid":
        return _("Forespørselen er ikke gyldig JSON.")
    if kind == "alis_value":  # our own validators (api.formschema) carry a finished message
        return str(ctx.get("message", ""))
    return _("Ugyldig verdi.")


def validation_errors(errors: Iterable[dict]) -> list[FieldError]:
    """Ninja's validation errors (loc = source, parameter, field …) as field errors."""
    result = []
    for error in errors:
        loc = list(error.get("loc") or [])
        if loc and loc[0] == "body":
            loc = loc[2:] if len(loc) > 1 and loc[1] == "payload" else loc[1:]
        elif loc:
            loc = loc[1:]
        row = next((part for part in loc if isinstance(part, int)), None)
        field = ".".join(str(part) for part in loc if not isinstance(part, int))
        result.append(FieldError(field=field, message=_message(error), row=row))
    return result


def install(api) -> None:
    """Answer every error the API knows with a problem document."""

    def on_problem(request, exc: ApiProblem):
        return problem_response(request, exc.status, exc.detail, errors=exc.errors, headers=exc.headers)

    def on_validation(request, exc: ValidationError):
        return problem_response(request, 422, errors=validation_errors(exc.errors))

    def on_authentication(request, exc: AuthenticationError):
        presented = bool(request.headers.get("Authorization"))
        challenge = 'Bearer realm="ALIS-oversikt"' + (', error="invalid_token"' if presented else "")
        detail = (
            _("Nøkkelen er ugyldig, utløpt eller trukket tilbake.")
            if presented
            else _("Send en API-nøkkel i Authorization: Bearer …")
        )
        return problem_response(request, 401, detail, headers={"WWW-Authenticate": challenge})

    def on_throttled(request, exc: Throttled):
        detail = _("Prøv igjen om %(seconds)s sekunder.") % {"seconds": int(exc.wait or 1)}
        return problem_response(request, 429, detail)

    def on_http_error(request, exc: HttpError):
        detail = _("Forespørselen kan ikke leses som JSON.") if exc.status_code == 400 else None
        return problem_response(request, exc.status_code, detail)

    def on_not_found(request, exc: Http404):
        return problem_response(request, 404)

    def on_permission_denied(request, exc: PermissionDenied):
        events.record_refusal(AuthEvent.Kind.ACCESS_DENIED, request=request)  # as the web's 403 (ASVS 7.2.2)
        return problem_response(request, 403, _("Rollen din gir ikke lov til dette."))

    def on_too_big(request, exc: RequestDataTooBig):
        return problem_response(request, 413)

    def on_integrity(request, exc: IntegrityError):
        return problem_response(request, 409, _("Lagringen kom i konflikt med andre data. Ingenting er lagret."))

    api.add_exception_handler(ApiProblem, on_problem)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(IntegrityError, on_integrity)


def as_problem_json(schema: dict) -> dict:
    """The OpenAPI document with every error response served as application/problem+json, as it is."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if str(status).startswith(("4", "5")) and "application/json" in content:
                    response["content"] = {MEDIA_TYPE: content["application/json"]}
    return schema
