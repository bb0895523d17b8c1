"""Model and form fields that refuse what would break pages later.

Every date a person can enter goes through `DateField`: a date outside 1900–2100 (31.12.9999, 01.01.0001)
is refused with a Norwegian message by every form built from the model (the app's forms, the imports that
check rows with those forms, Django's admin) and by `full_clean()`. The system check in `core.checks` fails
when a model declares a plain `models.DateField`, so a new date field can not forget it.
"""

from django import forms
from django.db import models

from core.validation import DATE_MAX, DATE_MIN, validate_date_range


class DateFormField(forms.DateField):
    """A form's date, between 1900 and 2100; a date picker is told the same bounds."""

    default_validators = [validate_date_range]

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", None) == "date":
            attrs.update(min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())
        return attrs


class DateField(models.DateField):
    """A model's date, between 1900 and 2100, with `DateFormField` in its forms.

    The bounds are validation, not schema: migrations see a plain `models.DateField` (see `deconstruct`),
    so moving a field to this class needs no migration and old migrations stay as they are.
    """

    default_validators = [validate_date_range]

    def formfield(self, **kwargs: object) -> forms.Field:
        return super().formfield(**{"form_class": DateFormField, **kwargs})

    def deconstruct(self) -> tuple:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs
