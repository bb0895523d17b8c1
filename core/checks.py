"""System checks for the rules the code relies on everywhere."""

from collections.abc import Iterable, Iterator
from importlib import import_module
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import models


def _plain_date(where: str, plain: str, bounded: str, obj: object, error_id: str) -> Error:
    return Error(
        f"{where} is a plain {plain}.",
        hint=f"Use {bounded}: it refuses dates outside 1900–2100.",
        obj=obj,
        id=error_id,
    )


def unbounded_dates(model_classes: Iterable[type[models.Model]]) -> list[Error]:
    """An error for each plain `models.DateField` of the given models."""
    return [
        _plain_date(
            f"{model._meta.label}.{field.name}", "models.DateField", "core.fields.DateField", field, "core.E001"
        )
        for model in model_classes
        for field in model._meta.local_fields
        if type(field) is models.DateField
    ]


def unbounded_form_dates(form_classes: Iterable[type[forms.BaseForm]]) -> list[Error]:
    """An error for each plain `forms.DateField` declared on the given forms."""
    return [
        _plain_date(
            f"{form.__module__}.{form.__qualname__}.{name}",
            "forms.DateField",
            "core.fields.DateFormField",
            form,
            "core.E002",
        )
        for form in form_classes
        for name, field in getattr(form, "base_fields", {}).items()
        if type(field) is forms.DateField
    ]


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _own_module(name: str) -> bool:
    top = name.split(".", 1)[0]
    return (Path(settings.BASE_DIR) / top).is_dir() and ".tests" not in name and top != "django"


@register(Tags.models)
def check_bounded_dates(app_configs: list | None = None, **kwargs: object) -> list[Error]:
    """Every date field of the project's own models and forms refuses 31.12.9999 (core.fields).

    The forms are found through the URL conf, which imports every view and so every form.
    """
    configs = app_configs if app_configs is not None else apps.get_app_configs()
    own = [config for config in configs if Path(config.path).parent == Path(settings.BASE_DIR)]
    errors = unbounded_dates(model for config in own for model in config.get_models())
    import_module(settings.ROOT_URLCONF)
    own_forms = {form for form in _subclasses(forms.BaseForm) if _own_module(form.__module__)}
    return errors + unbounded_form_dates(sorted(own_forms, key=lambda f: (f.__module__, f.__qualname__)))
