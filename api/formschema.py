"""The API's input schemas, made from the web's forms: the form stays the one place that validates.

A write is the web form filled in: the record's current values (or a new record's defaults), with the fields the
request sends put in their place, then validated and saved by the same form and `core.editing.save_form`. The
schema here only says in the OpenAPI document what each field takes; the form's rules (and any added to it
later) apply whatever the schema says.
"""

from datetime import date
from typing import Annotated, Any, Literal

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from pydantic import AfterValidator, ConfigDict, Field, create_model
from pydantic_core import PydanticCustomError

from core.editing import form_values

# Far dates are refused at the edge: a year like 9999 breaks the date arithmetic of the rules (issue 11).
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
MAX_ID = 2**63 - 1


def _date_in_range(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        message = _("Datoen må være mellom %(first)s og %(last)s.") % {
            "first": f"{EARLIEST:%d.%m.%Y}",
            "last": f"{LATEST:%d.%m.%Y}",
        }
        raise PydanticCustomError("alis_value", "{message}", {"message": message})
    return value


def _no_nul(value: str) -> str:
    # PostgreSQL can not hold NUL in text, so a query with one fails; the forms refuse it the same way.
    if "\x00" in value:
        raise PydanticCustomError("alis_value", "{message}", {"message": _("Tegnet NUL er ikke tillatt.")})
    return value


ApiDate = Annotated[date, AfterValidator(_date_in_range), Field(json_schema_extra={"format": "date"})]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
OfficeCode = Annotated[
    str, Field(max_length=10, description="Kontorets kortnavn, for eksempel «vest»."), AfterValidator(_no_nul)
]


def _bounds(field: forms.Field) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            bounds["ge"] = max(bounds.get("ge", validator.limit_value), validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            bounds["le"] = min(bounds.get("le", validator.limit_value), validator.limit_value)
        elif isinstance(validator, MaxLengthValidator):
            bounds["max_length"] = validator.limit_value
    return bounds


def _choices(field: forms.ChoiceField) -> list[str]:
    """The values to choose from ("" included where the form offers it: none, or all in a filter)."""
    return [str(value) for value, label in field.choices if not isinstance(label, list | tuple)]


def field_type(field: forms.Field) -> tuple[Any, bool]:
    """The JSON type of a form field, and whether it may be null (sent as empty to the form)."""
    if isinstance(field, forms.NullBooleanField):
        return bool, True
    if isinstance(field, forms.BooleanField):
        return bool, False
    if isinstance(field, forms.ModelMultipleChoiceField):
        return list[RecordId], False
    if isinstance(field, forms.ModelChoiceField):
        return RecordId, not field.required
    if isinstance(field, forms.DateField):
        return ApiDate, not field.required
    if isinstance(field, forms.IntegerField):
        return Annotated[int, Field(**_bounds(field))], not field.required
    if isinstance(field, forms.ChoiceField):
        if values := _choices(field):
            return Literal[tuple(values)], not field.required
        return Annotated[str, Field(max_length=100)], True
    if isinstance(field, forms.CharField):
        return Annotated[str, Field(**_bounds(field))], False
    return str, not field.required


def _description(field: forms.Field) -> str:
    text = str(field.label or "")
    return f"{text}. {field.help_text}" if field.help_text else text


def schema_for(
    name: str,
    form_class: type[forms.BaseForm],
    *,
    partial: bool,
    skip: tuple[str, ...] = ("seen_version",),
    extra: dict[str, tuple[Any, Any]] | None = None,
) -> type:
    """A pydantic model of the form's fields; `partial` (PATCH) makes every field optional."""
    fields: dict[str, tuple[Any, Any]] = {}
    for field_name, field in form_class.base_fields.items():
        if field_name in skip:
            continue
        kind, nullable = field_type(field)
        if nullable:
            kind = kind | None
        # A field the model gives a default (the form's initial value) may be left out, as on the web form.
        required = field.required and field.initial is None and not partial
        required = required and not isinstance(field, forms.BooleanField)
        default = ... if required else None
        fields[field_name] = (kind, Field(default, description=_description(field)))
    fields.update(extra or {})
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


def _as_form_value(field: forms.Field, value: Any) -> Any:
    if isinstance(field, forms.NullBooleanField):
        return "" if value is None else ("true" if value else "false")
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def form_data(form: forms.BaseForm, payload: dict[str, Any]) -> dict[str, Any]:
    """What the web form would post: its current values, with the sent fields in their place."""
    data = form_values(form)
    for name, value in payload.items():
        if name not in form.fields:
            continue
        encoded = _as_form_value(form.fields[name], value)
        if encoded is None:
            data.pop(name, None)
        else:
            data[name] = encoded
    return data


def query_data(filters: dict[str, Any]) -> dict[str, str]:
    """Query parameters as a filter form reads them from the address (a ticked box is "1")."""
    data = {}
    for name, value in filters.items():
        if value is None or value is False:
            continue
        data[name] = "1" if value is True else str(value)
    return data
