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

from django import forms
from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import history
from core.models import User

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
        for step in prepared.steps:
            step(by)
        if mark_gone:
            for step in prepared.gone_steps:
                step(by)
    counts = prepared.plan.counts()
    return {"created": counts[CREATE], "changed": counts[CHANGE], "gone": len(prepared.plan.gone) if mark_gone else 0}


# Helpers the importers share


def differences(model: type[models.Model], before: history.Snapshot, after: history.Snapshot) -> list[tuple]:
    """Old → new of each field that differs, labelled as on screen."""
    labels = {f.name: capfirst(str(f.verbose_name)) for f in model._meta.concrete_fields}
    return [
        (labels.get(name, name), before.get(name, ""), value)
        for name, value in after.items()
        if value != before.get(name, "")
    ]


def form_errors(row: RowPlan, form: forms.BaseForm, columns: dict[str, str]) -> None:
    """The form's errors on the row, each under the file's column for the field when there is one."""
    for name, messages in form.errors.items():
        label = columns.get(name) or (str(form.fields[name].label) if name in form.fields else None)
        for message in messages:
            row.error(label if name != forms.forms.NON_FIELD_ERRORS else None, message)


def save_step(instance: models.Model, before: history.Snapshot | None, *, parent: models.Model | None = None) -> Step:
    """A step that saves the record as planned (bumping its version, so open forms notice) with history.

    A foreign key to a record created by an earlier step needs nothing: Django takes the key from the
    related object, saved by then, when the save finds the key empty.
    """

    def step(by: User | None) -> None:
        if before is not None and hasattr(instance, "version"):
            instance.version += 1
        instance.save()
        history.record(instance=instance, by=by, before=before, parent=parent)

    return step
