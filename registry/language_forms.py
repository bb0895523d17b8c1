"""Import the municipalities' official language forms (målvedtak) from a CSV list.

Språkrådet keeps the official list of the municipalities' decisions (målvedtaksforskrifta; the table
«Målvedtak i kommunar og fylkeskommunar» on sprakradet.no, also published by Kartverket). Save it as CSV
with a header and (at least) two columns, found by name: the municipality number (`kommunenummer`,
`kommunenr`, `knr` or `nummer`) and the form (`målform`, `malform`, `målvedtak` or `tenestemål`), whose
values are nynorsk, bokmål or nøytral (any case; `bokmal`, `noytral`, `nøytralt` and `språknøytral`
too). An empty form leaves the municipality as it is; a municipality missing from the file is not changed.

`parse` reads the file and writes nothing (a dry run shows the plan); `apply` saves every change with
history in one transaction, or nothing. Row numbers count the header as row 1, as a spreadsheet shows them.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import User
from core import history
from registry.models import LanguageForm, Municipality
from registry.ssb import SsbFileError, decode

NUMBER = re.compile(r"^\d{4}$")
SEPARATORS = (";", ",", "\t")
NUMBER_COLUMNS = ("kommunenummer", "kommunenr", "knr", "nummer")
FORM_COLUMNS = ("målform", "malform", "målvedtak", "malvedtak", "tenestemål", "tjenestemål")
VALUES = {
    "nynorsk": LanguageForm.NYNORSK,
    "bokmål": LanguageForm.BOKMAL,
    "bokmal": LanguageForm.BOKMAL,
    "nøytral": LanguageForm.NEUTRAL,
    "nøytralt": LanguageForm.NEUTRAL,
    "noytral": LanguageForm.NEUTRAL,
    "språknøytral": LanguageForm.NEUTRAL,
}


class LanguageFormFileError(Exception):
    """The file can not be read as such a list; the message is for the user."""


class LanguageFormApplyError(Exception):
    """Someone changed a municipality after the file was read; nothing was saved."""


@dataclass(frozen=True)
class ProposedForm:
    number: str
    municipality: str
    old: str
    new: str

    def __str__(self) -> str:
        return _("%(municipality)s: %(old)s → %(new)s") % {
            "municipality": self.municipality,
            "old": LanguageForm(self.old).label,
            "new": LanguageForm(self.new).label,
        }


@dataclass
class LanguageFormPlan:
    encoding: str
    changes: list[ProposedForm] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unchanged: int = 0
    blank: int = 0


def parse(*, data: bytes) -> LanguageFormPlan:
    try:
        text, encoding = decode(data)
    except SsbFileError as error:
        raise LanguageFormFileError(str(error)) from error
    plan = LanguageFormPlan(encoding=encoding)
    number_column, form_column, rows = _table(text)
    municipalities = {m.number: m for m in Municipality.objects.all()}
    seen: dict[str, int] = {}
    for row, values in rows:
        number, shown = values.get(number_column, ""), values.get(form_column, "")
        if not NUMBER.match(number):
            plan.errors.append(
                _("Rad %(row)d: «%(value)s» er ikke et kommunenummer (fire sifre).") % {"row": row, "value": number}
            )
            continue
        if number in seen:
            plan.errors.append(
                _("Rad %(row)d: kommune %(number)s står også på rad %(first)d.")
                % {"row": row, "number": number, "first": seen[number]}
            )
            continue
        seen[number] = row
        municipality = municipalities.get(number)
        if municipality is None:
            plan.errors.append(
                _("Rad %(row)d: kommune %(number)s finnes ikke i registeret.") % {"row": row, "number": number}
            )
            continue
        if not shown:
            plan.blank += 1
            continue
        new = VALUES.get(shown.lower())
        if new is None:
            plan.errors.append(
                _("Rad %(row)d: «%(value)s» er ikke en målform (nynorsk, bokmål eller nøytral).")
                % {"row": row, "value": shown}
            )
        elif new == municipality.language_form:
            plan.unchanged += 1
        else:
            plan.changes.append(ProposedForm(number, str(municipality), municipality.language_form, new))
    return plan


@transaction.atomic
def apply(*, plan: LanguageFormPlan, by: User | None = None) -> int:
    """Save the plan's changes with history; the number of municipalities changed."""
    if plan.errors:
        raise LanguageFormApplyError(_("Fila har feil; ingenting er lagret."))
    proposed = {c.number: c for c in plan.changes}
    for municipality in Municipality.objects.select_for_update().filter(number__in=proposed):
        change = proposed[municipality.number]
        if municipality.language_form != change.old:
            raise LanguageFormApplyError(
                _(
                    "%(municipality)s: målformen er endret etter at fila ble lest; ingenting er lagret. "
                    "Les fila på nytt."
                )
                % {"municipality": municipality}
            )
        before = history.snapshot(municipality)
        municipality.language_form = change.new
        # Bumped so that a form opened before the import notices the change instead of overwriting it.
        Municipality.objects.filter(pk=municipality.pk).update(language_form=change.new, version=F("version") + 1)
        history.record(instance=municipality, by=by, before=before)
    return len(proposed)


def _table(text: str) -> tuple[str, str, list[tuple[int, dict[str, str]]]]:
    first_line = text.lstrip().split("\n", 1)[0]
    for separator in SEPARATORS:
        columns = [c.strip().lower() for c in next(csv.reader([first_line], delimiter=separator))]
        number_column = next((c for c in NUMBER_COLUMNS if c in columns), None)
        form_column = next((c for c in FORM_COLUMNS if c in columns), None)
        if number_column and form_column:
            break
    else:
        raise LanguageFormFileError(
            _("Fant ikke kolonnene «kommunenummer» og «målform» i første rad (fant «%(found)s»).")
            % {"found": first_line.strip()[:200]}
        )
    reader = csv.reader(io.StringIO(text.lstrip(), newline=""), delimiter=separator)
    rows = []
    try:
        for row, values in enumerate(reader, start=1):
            if row > 1 and any(v.strip() for v in values):
                rows.append((row, {c: v.strip() for c, v in zip(columns, values, strict=False)}))
    except csv.Error as error:
        raise LanguageFormFileError(_("Fila kan ikke leses som CSV (%s).") % error) from error
    if not rows:
        raise LanguageFormFileError(_("Fila har overskrifter, men ingen rader."))
    return number_column, form_column, rows
