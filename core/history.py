"""The change history: every change to domain data, who made it and when, old → new.

A change is personal data when the record it describes is (it names the person and shows the old and new
values), so it is read under the same scoping as the record (issue 11): a change to a personal record
(`accounts.abilities.RULES`) is stored with the record's region (its municipality, or its office for a record
an office owns) and shown only to users of that region and the national roles, wherever history is shown.
`history_of(..., user=...)` applies it; a record's page shows all of the record's own changes to whoever may
open the record.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext

from accounts import abilities
from accounts.models import User
from core.models import Change, change_scope_q

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
    (and not mapped back by core's migration 0007), is shown through the catalogue: such a label is the
    bokmål msgid.
    """
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return gettext(name) if name else name


MUNICIPALITY = "registry.municipality"


def _field(instance: models.Model, name: str) -> models.Field | None:
    try:
        return instance._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _region(instance: models.Model, path: str) -> tuple[int | None, int | None]:
    """(municipality id, office id) of the region a row belongs to, following the abilities' path to its office.

    The municipality rather than its office where there is one, so that a county moved to another office takes
    its history along; the office for a record an office owns (a course, an inquiry).
    """
    obj: models.Model | None = instance
    for name in path.split("."):
        if obj is None:
            return None, None
        if obj._meta.label_lower == MUNICIPALITY:
            return obj.pk, None
        field = _field(obj, name)
        if field is not None and field.is_relation and field.related_model._meta.label_lower == MUNICIPALITY:
            return getattr(obj, field.attname), None
        if name == "office_id":
            if _field(obj, "office") is not None:
                return None, obj.office_id
            if _field(obj, "municipality") is not None:  # a doctor: the office of the municipality they work in
                return obj.municipality_id, None
            return None, getattr(obj, name)
        obj = getattr(obj, name)
    return None, None


Scope = tuple[bool, int | None, int | None]


def scope(instance: models.Model, parent: models.Model | None = None) -> Scope:
    """(personal, municipality id, office id) a change to `instance` is stored with.

    A kind of record the abilities do not list is taken as personal (unknown is not public): it takes its
    parent's scope (an attendance its registration's), else its own office's or municipality's, else none
    (shown to the national roles only).
    """
    rule = abilities.RULES.get(instance._meta.label_lower)
    if rule is None:
        if parent is not None:
            return scope(parent)
        if _field(instance, "office") is not None:
            return True, None, instance.office_id
        if _field(instance, "municipality") is not None:
            return True, instance.municipality_id, None
        return True, None, None
    if rule.data != abilities.Data.PERSONAL or rule.office is None:
        return False, None, None
    return (True, *_region(instance, rule.office))


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
    personal, municipality_id, office_id = scope(instance, parent)
    return Change(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        object_repr=str(instance)[:300],
        parent_type=ContentType.objects.get_for_model(parent) if parent else None,
        parent_id=parent.pk if parent else None,
        action=action,
        user=by if by and by.is_authenticated else None,
        fields=changed,  # by field name, not label: each reader sees the labels in their own language
        personal=personal,
        scope_municipality_id=municipality_id,
        scope_office_id=office_id,
    )


def _rescope(changes: Iterable[Change]) -> None:
    """A personal record that moved to another region takes its history, and its children's, along."""
    moved: dict[tuple[int, int | None, int | None], list[int]] = {}
    for change in changes:
        if change.personal and change.action == Change.Action.UPDATE:
            key = (change.content_type_id, change.scope_municipality_id, change.scope_office_id)
            moved.setdefault(key, []).append(change.object_id)
    for (type_id, municipality_id, office_id), ids in moved.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            of_them = Q(content_type_id=type_id, object_id__in=chunk) | Q(parent_type_id=type_id, parent_id__in=chunk)
            Change.objects.filter(of_them, personal=True).exclude(
                scope_municipality_id=municipality_id, scope_office_id=office_id
            ).update(scope_municipality_id=municipality_id, scope_office_id=office_id)


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
        _rescope([change])
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
    saved = Change.objects.bulk_create(changes, batch_size=500)
    _rescope(saved)
    return saved


def _opens(user: User, instance: models.Model) -> bool:
    """Whether the user may open the record itself (then its page shows all its own changes)."""
    manager = type(instance)._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user).filter(pk=instance.pk).exists()
    if instance._meta.label_lower in abilities.RULES:
        return abilities.may(user, "view", instance)
    return False  # a kind the abilities do not list: its changes as they were scoped when recorded


def history_of(*instances: models.Model, user: User, limit: int = 100) -> Iterable[Change]:
    """Changes to the records and to everything recorded with them as parent, newest first, as `user` may read them.

    The records' own changes are shown when the user may open the record; the changes of their children (a
    municipality's contact persons, a training's periods) only where the child is the user's to read.
    """
    own, scoped = Q(pk__in=[]), Q(pk__in=[])
    for instance in instances:
        ct = ContentType.objects.get_for_model(instance)
        mine = Q(content_type=ct, object_id=instance.pk)
        if user.is_authenticated and _opens(user, instance):
            own |= mine
        else:
            scoped |= mine
        scoped |= Q(parent_type=ct, parent_id=instance.pk)
    visible = own | (scoped & change_scope_q(user))
    return Change.objects.filter(visible).select_related("user", "content_type")[:limit]


def last_change_of(instance: models.Model) -> Change | None:
    """The latest change to the record itself (not to its children)."""
    ct = ContentType.objects.get_for_model(instance)
    return Change.objects.filter(content_type=ct, object_id=instance.pk).select_related("user", "content_type").first()

