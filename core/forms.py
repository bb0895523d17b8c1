"""The base forms: every field's validation message in plain Norwegian, set once.

Django's own Norwegian messages are translated word for word from English («Velg et gyldig valg. x er ikke
et av de tilgjengelige valgene.», «Lege med HPR-nummer finnes allerede.»). Every form in the app derives
from `Form` or `ModelForm` here (or from `core.editing.VersionedModelForm` and `core.filters.ListFilterForm`,
which do), so each field gets the messages below unless the form sets its own for that field.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "required": _("Fyll ut feltet."),
    "invalid_choice": _("Velg et av alternativene i listen."),
    "invalid_list": _("Velg ett eller flere av alternativene."),
    "invalid_pk_value": _("Velg et av alternativene i listen."),
    "max_length": _("Skriv høyst %(limit_value)d tegn (nå %(show_value)d)."),
    "min_length": _("Skriv minst %(limit_value)d tegn (nå %(show_value)d)."),
    "max_value": _("Skriv et tall som ikke er større enn %(limit_value)s."),
    "min_value": _("Skriv et tall som ikke er mindre enn %(limit_value)s."),
    "step_size": _("Skriv et tall i steg på %(limit_value)s."),
    "max_digits": _("Skriv høyst %(max)s sifre."),
    "max_decimal_places": _("Skriv høyst %(max)s desimaler."),
    "max_whole_digits": _("Skriv høyst %(max)s sifre før komma."),
    "unique": _("%(field_label)s er allerede registrert på en annen post."),
    "missing": _("Velg en fil."),
    "empty": _("Filen er tom."),
    "contradiction": _("Last opp en ny fil, eller kryss av for å fjerne den gamle, ikke begge."),
}

# "invalid" means something different for each kind of field.
INVALID = (
    (forms.DateTimeField, _("Skriv dato og klokkeslett, for eksempel 31.12.2025 14:30.")),
    (forms.DateField, _("Skriv en gyldig dato, for eksempel 31.12.2025.")),
    (forms.TimeField, _("Skriv et klokkeslett, for eksempel 14:30.")),
    # DecimalField and FloatField derive from IntegerField: they come first.
    (forms.DecimalField, _("Skriv et tall, med sifre og eventuelt komma.")),
    (forms.FloatField, _("Skriv et tall, med sifre og eventuelt komma.")),
    (forms.IntegerField, _("Skriv et helt tall, med sifre.")),
    (forms.EmailField, _("Skriv en gyldig e-postadresse, for eksempel navn@kommune.no.")),
    (forms.URLField, _("Skriv en gyldig nettadresse, for eksempel https://www.kommune.no.")),
    (forms.FileField, _("Filen kom ikke fram. Velg den på nytt.")),
)

# "required" said the way the field is answered.
REQUIRED = (
    (forms.MultipleChoiceField, _("Velg minst ett alternativ.")),
    (forms.ModelMultipleChoiceField, _("Velg minst ett alternativ.")),
    (forms.ChoiceField, _("Velg et alternativ.")),
    (forms.ModelChoiceField, _("Velg et alternativ.")),
    (forms.BooleanField, _("Kryss av for å gå videre.")),
    (forms.FileField, _("Velg en fil.")),
)

UNIQUE_TOGETHER = _("%(model_name)s med samme %(field_labels)s finnes allerede.")


def use_norwegian_messages(form: forms.BaseForm) -> None:
    """Give each field the plain messages, keeping the ones a form or model field sets for itself."""
    for field in form.fields.values():
        defaults = dict(MESSAGES)
        if isinstance(field, forms.FileField):
            del defaults["max_length"]  # a file name's length, with other parameters
        for code, messages in (("invalid", INVALID), ("required", REQUIRED)):
            for kind, message in messages:
                if isinstance(field, kind):
                    defaults[code] = message
                    break
        field.error_messages = {**field.error_messages, **defaults, **_explicit(field)}


def _explicit(field: forms.Field) -> dict:
    """The messages that were set for this field on purpose, not inherited from Django's defaults."""
    inherited = {}
    for klass in reversed(type(field).__mro__):
        inherited.update(getattr(klass, "default_error_messages", {}))
    return {code: message for code, message in field.error_messages.items() if inherited.get(code) is not message}


class NorwegianMessages:
    """Sets the messages when the form is validated, so fields a form adds in its `__init__` get them too."""

    def full_clean(self) -> None:
        use_norwegian_messages(self)
        super().full_clean()


class Form(NorwegianMessages, forms.Form):
    """A plain form with the app's messages."""


def bound_numbers(form: forms.BaseModelForm) -> None:
    """Give each number field the bounds of its model field: the model's own limits (a year from 2017 to
    2100) and what the column can hold (PostgreSQL's, also on SQLite, so both answer alike).

    Django checks the model's limits only after the form's `clean()`, and not at all before a `clean_<field>`
    or a uniqueness check puts the value in a query: a year of 23 digits reached the database (an
    OverflowError in a `__year` lookup). With the bounds on the field it stops there, with its message.
    """
    model = form._meta.model
    for name, field in form.fields.items():
        if not isinstance(field, forms.IntegerField):  # DecimalField and FloatField derive from it
            continue
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        lows = [] if field.min_value is None else [field.min_value]
        highs = [] if field.max_value is None else [field.max_value]
        for validator in [*model_field.default_validators, *model_field._validators]:
            if isinstance(validator, MinValueValidator) and not callable(validator.limit_value):
                lows.append(validator.limit_value)
            elif isinstance(validator, MaxValueValidator) and not callable(validator.limit_value):
                highs.append(validator.limit_value)
        column = BaseDatabaseOperations.integer_field_ranges.get(model_field.get_internal_type())
        if column is not None:
            lows.append(column[0])
            highs.append(column[1])
        low, high = max(lows, default=None), min(highs, default=None)
        field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)]
        field.min_value, field.max_value = low, high
        if low is not None:
            field.validators.append(MinValueValidator(low))
        if high is not None:
            field.validators.append(MaxValueValidator(high))
        if isinstance(field.widget, forms.NumberInput):
            field.widget.attrs.update({key: value for key, value in (("min", low), ("max", high)) if value is not None})


class ModelForm(NorwegianMessages, forms.ModelForm):
    """A model form with the app's messages, also for the model's own checks (unique, unique together), and
    number fields bounded as their model fields are (`bound_numbers`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bound_numbers(self)

    def _update_errors(self, errors: ValidationError) -> None:
        model = self._meta.model
        for error in getattr(errors, "error_dict", {}).get(NON_FIELD_ERRORS, []):
            if getattr(error, "code", None) == "unique_together" and error.params:
                labels = [str(model._meta.get_field(name).verbose_name) for name in error.params["unique_check"]]
                error.message = UNIQUE_TOGETHER
                error.params = {
                    **error.params,
                    "model_name": capfirst(model._meta.verbose_name),
                    "field_labels": get_text_list(labels, _("og")),
                }
        super()._update_errors(errors)
