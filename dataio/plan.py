"""What an import will do, row by row, before anything is written; and writing it all or nothing.

An importer reads a file into a `Prepared`: the `Plan` a person reads (each row created, changed, left or
in error, with old → new) and the steps that carry it out. `apply` runs every step in one transaction.
The plan is plain data (JSON) so that a job can keep the preview the user confirmed, and `fingerprint`
tells whether the register changed between the preview and the confirmation.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache

from django import forms
from django.db import connections, models, transaction
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import User
from core import history
from core.validation import formula_error, looks_like_formula

CREATE, CHANGE, UNCHANGED, SKIP, ERROR = "create", "change", "unchanged", "skip", "error"
ACTION_LABELS = {
    CREATE: gettext_lazy("Ny"),
    CHANGE: gettext_lazy("Endres"),
    UNCHANGED: gettext_lazy("Uendret"),
    SKIP: gettext_lazy("Hoppes over"),
    ERROR: gettext_lazy("Feil"),
}


class ApplyError(Exception):
    """The plan can not be written as it is; nothing was written. The message is for the user."""


@dataclass
class RowPlan:
    row: int
    label: str = ""
    action: str = UNCHANGED
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (what, old, new)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])

    def error(self, column: str | None, message: str) -> None:
        """A Norwegian message naming the row and, when known, the column, as the user sees them."""
        if column:
            self.errors.append(
                _("Rad %(row)d, kolonne «%(column)s»: %(message)s")
                % {"row": self.row, "column": column, "message": message}
            )
        else:
            self.errors.append(_("Rad %(row)d: %(message)s") % {"row": self.row, "message": message})
        self.action = ERROR


@dataclass
class Plan:
    kind: str
    encoding: str
    rows: list[RowPlan] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # records that are not in the file (regular GPs)

    @property
    def errors(self) -> list[str]:
        return [message for row in self.rows for message in row.errors]

    @property
    def is_valid(self) -> bool:
        return not any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(row.action == action for row in self.rows)

    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in (CREATE, CHANGE, UNCHANGED, SKIP, ERROR)}

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Plan":
        rows = [RowPlan(**{**row, "changes": [tuple(c) for c in row["changes"]]}) for row in data["rows"]]
        return cls(kind=data["kind"], encoding=data["encoding"], rows=rows, gone=data["gone"])

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.as_json(), sort_keys=True, default=str).encode()).hexdigest()


Step = Callable[[User | None], None]


@dataclass
class Prepared:
    plan: Plan
    steps: list[Step] = field(default_factory=list)
    gone_steps: list[Step] = field(default_factory=list)


def apply(prepared: Prepared, *, by: User | None, mark_gone: bool = False) -> dict[str, int]:
    """Write every step of a valid plan with history, in one transaction: all or nothing."""
    if not prepared.plan.is_valid:
        raise ApplyError(_("Fila har %d feil; ingenting er lagret.") % len(prepared.plan.errors))
    with transaction.atomic():
        run(prepared.steps, by)
        if mark_gone:
            run(prepared.gone_steps, by)
    counts = prepared.plan.counts()
    return {
        "created": counts[CREATE],
        "changed": counts[CHANGE],
        "skipped": counts[SKIP],
        "gone": len(prepared.plan.gone) if mark_gone else 0,
    }


def run(steps: list[Step], by: User | None) -> None:
    """Run the steps in order; consecutive saves are written together (`save_all`)."""
    batch: dict[int, Save] = {}  # by id() of the record: a record saved twice is saved in two batches
    for step in steps:
        if isinstance(step, Save) and id(step.instance) not in batch:
            batch[id(step.instance)] = step
            continue
        save_all(list(batch.values()), by)
        batch = {}
        if isinstance(step, Save):
            batch[id(step.instance)] = step
        else:
            step(by)
    save_all(list(batch.values()), by)


# Helpers the importers share


@cache
def _labels(model: type[models.Model], language: str | None) -> dict[str, str]:
    """The fields' labels in the language, translated once rather than for every row of a file."""
    return {f.name: capfirst(str(f.verbose_name)) for f in model._meta.concrete_fields}


def differences(model: type[models.Model], before: history.Snapshot, after: history.Snapshot) -> list[tuple]:
    """Old → new of each field that differs, labelled as on screen."""
    labels = _labels(model, get_language())
    return [
        (labels.get(name, name), before.get(name, ""), value)
        for name, value in after.items()
        if value != before.get(name, "")
    ]


def refuse_formulas(row: RowPlan, cells: dict[str, object], columns: dict[str, str]) -> None:
    """A name that a spreadsheet would take as a formula (=, +, -, @ first) is an error on its row.

    No real name of a person, GP office or street begins so, and the register's lists go out to Excel;
    such a value is refused rather than stored (free text and phone numbers, "+47 …", are not checked).
    """
    for key, column in columns.items():
        value = cells.get(key)
        if looks_like_formula(value):
            row.error(column, formula_error(value))


def form_errors(row: RowPlan, form: forms.BaseForm, columns: dict[str, str]) -> None:
    """The form's errors on the row, each under the file's column for the field when there is one."""
    for name, messages in form.errors.items():
        label = columns.get(name) or (str(form.fields[name].label) if name in form.fields else None)
        for message in messages:
            row.error(label if name != forms.forms.NON_FIELD_ERRORS else None, message)


@dataclass
class Save:
    """A step that saves the record as planned (bumping its version, so open forms notice) with history.

    `apply` writes consecutive saves together (`save_all`). A foreign key to a record created by an
    earlier step needs nothing: the key is taken from the related object, saved by then.
    """

    instance: models.Model
    before: history.Snapshot | None
    parent: models.Model | None = None

    def __call__(self, by: User | None) -> None:
        save_all([self], by)


def save_step(instance: models.Model, before: history.Snapshot | None, *, parent: models.Model | None = None) -> Save:
    return Save(instance, before, parent)


def _refers_to(model: type[models.Model], other: type[models.Model]) -> bool:
    return any(f.many_to_one and f.related_model is other for f in model._meta.concrete_fields)


def _in_dependency_order(kinds: list[type[models.Model]]) -> list[type[models.Model]]:
    """Each kind of record after the kinds it refers to (a doctor after the GP office it works at)."""
    ordered: list[type[models.Model]] = []
    pending = list(kinds)
    while pending:
        waiting = [m for m in pending if any(_refers_to(m, o) for o in pending if o is not m)]
        # A cycle (none among the imported models) falls back to the plan's order; the database then objects.
        ready = next((m for m in pending if m not in waiting), pending[0])
        ordered.append(ready)
        pending.remove(ready)
    return ordered


def save_all(saves: list[Save], by: User | None) -> None:
    """The saves written a few queries per kind of record, not two queries per record; history in one insert.

    Per kind, after the kinds it refers to: updates (`_update_all`, version bumped) then inserts, whose
    keys the database returns (PostgreSQL; SQLite 3.35 and later) for the records that refer to them and
    for the history. A new record's key to a related record inserted before is taken from it, as by `save()`.
    """
    if not saves:
        return
    kinds: dict[type[models.Model], list[models.Model]] = {}
    for save in saves:
        if save.before is not None and hasattr(save.instance, "version"):
            save.instance.version += 1
        kinds.setdefault(type(save.instance), []).append(save.instance)
    for model in _in_dependency_order(list(kinds)):
        instances = kinds[model]
        manager = model._default_manager
        if updates := [i for i in instances if not i._state.adding]:
            _update_all(model, updates)
        if inserts := [i for i in instances if i._state.adding]:
            if connections[manager.db].features.can_return_rows_from_bulk_insert:
                manager.bulk_create(inserts, batch_size=500)
            else:
                for instance in inserts:
                    instance.save()
    history.record_many([(s.instance, s.before, s.parent) for s in saves], by=by)


def _update_all(model: type[models.Model], instances: list[models.Model]) -> None:
    """Every field of each record written as `save()` writes it, in one statement run for all the records.

    Not `bulk_update`: it builds a CASE with a branch per record for every field, which takes longer to
    build and run than the updates one by one.
    """
    db = connections[model._default_manager.db]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f"{db.ops.quote_name(f.column)} = %s" for f in fields)
    table, key = db.ops.quote_name(model._meta.db_table), db.ops.quote_name(model._meta.pk.column)
    rows = []
    for instance in instances:
        # As save() and bulk_update do: a key to a record inserted earlier in the import is taken from it.
        instance._prepare_related_fields_for_save(operation_name="save")
        rows.append([*(f.get_db_prep_save(f.pre_save(instance, add=False), db) for f in fields), instance.pk])
    with db.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE {key} = %s", rows)  # noqa: S608 (names from the model)
