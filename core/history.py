"""The change history: every change to domain data, who made it and when, old → new."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext

from accounts.models import User
from core.models import Change, Read

Snapshot = dict[str, str]
SKIPPED_FIELDS = {"id", "version"}


def _shown(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nei")
    if isinstance(value, datetime):
        return formats.date_format(value, "d.m.Y H:i")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return formats.number_format(value)
    return str(value)


def snapshot(instance: models.Model) -> Snapshot:
    """The record's fields as a person reads them: labels of choices, names of related records."""
    shown: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        if field.is_relation:
            related = getattr(instance, field.name)
            shown[field.name] = _shown(related)
        elif field.choices:
            shown[field.name] = _shown(getattr(instance, f"get_{field.name}_display")())
        else:
            shown[field.name] = _shown(getattr(instance, field.attname))
    if instance.pk:
        for field in instance._meta.many_to_many:
            names = sorted(str(obj) for obj in getattr(instance, field.name).all())
            shown[field.name] = ", ".join(names)
    return shown


def field_label(model: type[models.Model] | None, name: str) -> str:
    """A changed field's label in the reader's language.

    Changes store the field's name (language-neutral); the label is the model field's verbose name as the
    reader's language has it. A name the model no longer has, or a label stored before the names were
    (and not mapped back by core's migration 0005), is shown through the catalogue: such a label is the
    bokmål msgid.
    """
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return gettext(name) if name else name


def _change(
    instance: models.Model,
    *,
    by: User | None,
    before: Snapshot | None,
    action: str | None,
    parent: models.Model | None,
) -> Change | None:
    """The unsaved change between `before` (None for a new record) and the record as it is now; None if none."""
    after = snapshot(instance) if action != Change.Action.DELETE else {}
    if action is None:
        action = Change.Action.CREATE if before is None else Change.Action.UPDATE
    before = before or {}
    names = list(dict.fromkeys([*before, *after]))
    changed = {n: [before.get(n, ""), after.get(n, "")] for n in names if before.get(n, "") != after.get(n, "")}
    if action == Change.Action.UPDATE and not changed:
        return None
    return Change(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        object_repr=str(instance)[:300],
        parent_type=ContentType.objects.get_for_model(parent) if parent else None,
        parent_id=parent.pk if parent else None,
        action=action,
        user=by if by and by.is_authenticated else None,
        fields=changed,  # by field name, not label: each reader sees the labels in their own language
    )


def record(
    *,
    instance: models.Model,
    by: User | None,
    before: Snapshot | None,
    action: str | None = None,
    parent: models.Model | None = None,
) -> Change | None:
    """Store the change between `before` (None for a new record) and the record as it is now."""
    change = _change(instance, by=by, before=before, action=action, parent=parent)
    if change is not None:
        change.save()
    return change


def record_many(
    items: Iterable[tuple[models.Model, Snapshot | None, models.Model | None]], *, by: User | None
) -> list[Change]:
    """Store, as `record` would one by one, the changes of many records saved together: in one insert.

    Each item is (record as saved, snapshot before or None for a new record, parent or None). An import
    of thousands of rows would otherwise spend most of its time on one insert per change.
    """
    changes = []
    for instance, before, parent in items:
        change = _change(instance, by=by, before=before, action=None, parent=parent)
        if change is not None:
            changes.append(change)
    return Change.objects.bulk_create(changes, batch_size=500)


def history_of(*instances: models.Model, limit: int = 100) -> Iterable[Change]:
    """Changes to the records and to everything recorded with them as parent, newest first."""
    query = Q()
    for instance in instances:
        ct = ContentType.objects.get_for_model(instance)
        query |= Q(content_type=ct, object_id=instance.pk) | Q(parent_type=ct, parent_id=instance.pk)
    return Change.objects.filter(query).select_related("user", "content_type")[:limit]


def last_change_of(instance: models.Model) -> Change | None:
    """The latest change to the record itself (not to its children)."""
    ct = ContentType.objects.get_for_model(instance)
    return Change.objects.filter(content_type=ct, object_id=instance.pk).select_related("user", "content_type").first()


def record_read(*, instance: models.Model, by: User) -> None:
    """Log that `by` opened a personal record."""
    Read.objects.create(content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk, user=by)
