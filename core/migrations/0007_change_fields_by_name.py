"""History field labels become language-neutral: each change's fields are keyed by the field's name.

Until now a change stored each field under its label as shown to the person who made it (bokmål, or
English for someone who had chosen English). This maps each stored label back to the field's name where
the label is one field's verbose name in bokmål, nynorsk or English; a label that matches no field, or
more than one, is kept as it is (it is then shown through the catalogue, core.history.field_label).

The labels are read from the current models (their verbose names and the catalogues), not the historical
ones: what matters is how the labels were shown, which is how the app shows them now or shortly before.
"""

from django.apps import apps as current_apps
from django.db import migrations
from django.utils import translation

LANGUAGES = ("nb", "nn", "en")


def _names_by_label(model) -> dict[str, str]:
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    found: dict[str, set[str]] = {}
    for field in fields:
        for language in LANGUAGES:
            with translation.override(language):
                found.setdefault(str(field.verbose_name), set()).add(field.name)
    return {label: next(iter(names)) for label, names in found.items() if len(names) == 1}


def _model(content_type):
    try:
        return current_apps.get_model(content_type.app_label, content_type.model)
    except LookupError:
        return None


def _relabel(apps, to_name: bool) -> None:
    Change = apps.get_model("core", "Change")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for content_type in ContentType.objects.filter(pk__in=Change.objects.values("content_type").distinct()):
        model = _model(content_type)
        if model is None:
            continue
        if to_name:
            mapping = _names_by_label(model)
        else:
            with translation.override("nb"):
                fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
                mapping = {f.name: str(f.verbose_name) for f in fields}
        changed = []
        for change in Change.objects.filter(content_type=content_type).only("fields").iterator(chunk_size=2000):
            fields = {mapping.get(key, key): values for key, values in change.fields.items()}
            if fields != change.fields:
                change.fields = fields
                changed.append(change)
        Change.objects.bulk_update(changed, ["fields"], batch_size=500)


def labels_to_names(apps, schema_editor) -> None:
    _relabel(apps, to_name=True)


def names_to_labels(apps, schema_editor) -> None:
    _relabel(apps, to_name=False)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_read_log_of_pages_lists_and_api"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [migrations.RunPython(labels_to_names, names_to_labels)]
