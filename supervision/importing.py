"""Import of supervision sessions from a list (CSV or Excel): every row checked, shown, then all or nothing.

Columns (Norwegian headings, in any order, case ignored): HPR ALIS, HPR veileder, dato, minutter, type, tema.
An import job like the others (dataio): `prepare` reads the uploaded file into the plan the job page shows and
the steps that write it; the job keeps the file until it ends (issue 11).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.validation import date_in_range, formula_error, looks_like_formula, parse_int
from dataio.plan import CREATE, ERROR, Plan, Prepared, RowPlan, save_step
from dataio.reading import FileError
from registry.models import Doctor
from supervision.models import SupervisionSession
from training.models import Training

HEADERS = {
    "hpr alis": "alis",
    "hpr veileder": "supervisor",
    "dato": "date",
    "minutter": "minutes",
    "type": "kind",
    "tema": "topic",
}
REQUIRED = ("alis", "supervisor", "date", "minutes")
KINDS = {
    "": SupervisionSession.Kind.INDIVIDUAL,
    "individuell": SupervisionSession.Kind.INDIVIDUAL,
    "gruppe": SupervisionSession.Kind.GROUP,
    "gruppeveiledning": SupervisionSession.Kind.GROUP,
}
MAX_ROWS = 5000


class UnreadableFile(FileError):
    """The file itself can not be read (not a row problem): the job ends as "has errors" with the message."""


@dataclass(frozen=True)
class Row:
    number: int
    training: Training
    supervisor: Doctor
    date: date
    minutes: int
    kind: str
    topic: str


@dataclass
class Result:
    rows: list[Row]
    errors: list[tuple[int, str]]  # (row number, message)


def read_table(name: str, data: bytes) -> list[list[object]]:
    """The file's rows as lists of cells; Excel's first sheet or a CSV (`;` or `,`, UTF-8 or Latin-1)."""
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a file that is not Excel
            raise UnreadableFile(_("Filen kan ikke leses som Excel.")) from error
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    dialect = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=dialect)]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(_text(value), fmt).date()
        except ValueError:
            continue
    return None


def parse(table: list[list[object]], *, trainings: QuerySet, today: date) -> Result:
    """Check every row; `trainings` are the ALIS the user may record sessions for (their region)."""
    if not table:
        raise UnreadableFile(_("Filen er tom."))
    columns = {HEADERS[_text(h).lower()]: i for i, h in enumerate(table[0]) if _text(h).lower() in HEADERS}
    missing = [h for h, key in HEADERS.items() if key in REQUIRED and key not in columns]
    if missing:
        raise UnreadableFile(_("Mangler kolonne: %(names)s.") % {"names": ", ".join(missing)})
    body = [(n, row) for n, row in enumerate(table[1:], start=2) if any(_text(c) for c in row)]
    if len(body) > MAX_ROWS:
        raise UnreadableFile(_("Filen har mer enn %(max)s rader.") % {"max": MAX_ROWS})

    def cell(row: list[object], key: str) -> object:
        i = columns.get(key)
        return row[i] if i is not None and i < len(row) else None

    hprs = {_text(cell(row, "alis")) for _n, row in body} | {_text(cell(row, "supervisor")) for _n, row in body}
    ongoing = {
        t.doctor.hpr_number: t for t in trainings.ongoing().filter(doctor__hpr_number__in=hprs).select_related("doctor")
    }
    doctors = {d.hpr_number: d for d in Doctor.objects.filter(hpr_number__in=hprs)}
    result = Result(rows=[], errors=[])
    for number, row in body:
        errors = []
        alis_hpr, supervisor_hpr = _text(cell(row, "alis")), _text(cell(row, "supervisor"))
        training = ongoing.get(alis_hpr)
        if training is None:
            errors.append(_("fant ingen pågående ALIS i regionen med HPR-nummer «%(hpr)s»") % {"hpr": alis_hpr})
        supervisor = doctors.get(supervisor_hpr)
        if supervisor is None:
            errors.append(_("fant ingen lege med HPR-nummer «%(hpr)s» (veileder)") % {"hpr": supervisor_hpr})
        day = _date(cell(row, "date"))
        if day is None or not date_in_range(day):
            errors.append(_("datoen «%(value)s» er ikke en dato (dd.mm.åååå)") % {"value": _text(cell(row, "date"))})
        elif day > today:
            errors.append(_("datoen %(day)s er i fremtiden") % {"day": f"{day:%d.%m.%Y}"})
        elif training is not None and day < training.start:
            errors.append(_("datoen %(day)s er før utdanningsløpet startet") % {"day": f"{day:%d.%m.%Y}"})
        minutes_text = _text(cell(row, "minutes"))
        minutes = parse_int(minutes_text)
        if minutes is None or not 5 <= minutes <= 600:
            errors.append(_("minutter må være et helt tall fra 5 til 600, ikke «%(value)s»") % {"value": minutes_text})
        kind = KINDS.get(_text(cell(row, "kind")).lower())
        if kind is None:
            errors.append(
                _("type må være «individuell» eller «gruppe», ikke «%(value)s»") % {"value": _text(cell(row, "kind"))}
            )
        topic = _text(cell(row, "topic"))[:200]
        if looks_like_formula(topic):
            # The topic is shown and exported as it is; a text a spreadsheet would run is refused.
            errors.append(formula_error(topic).rstrip("."))
        if errors:
            result.errors.append((number, _("Rad %(row)s: %(errors)s.") % {"row": number, "errors": "; ".join(errors)}))
        else:
            result.rows.append(Row(number, training, supervisor, day, minutes, kind, topic))
    if not body:
        raise UnreadableFile(_("Filen har ingen rader under overskriftene."))
    return result


def _encoding(filename: str, data: bytes) -> str:
    if filename.lower().endswith(".xlsx"):
        return "Excel"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "Latin-1"
    return "UTF-8"


def prepare(data: bytes, *, filename: str, office, today: date, progress=None) -> Prepared:
    """The job's plan: a new session per valid row, a row's errors otherwise; for the office's own ALIS."""
    trainings = Training.objects.filter(employer__county__office=office)
    result = parse(read_table(filename, data), trainings=trainings, today=today)
    plan = Plan(kind="supervision", encoding=_encoding(filename, data))
    plan.rows = [RowPlan(row=number, action=ERROR, errors=[message]) for number, message in result.errors]
    steps = []
    for r in result.rows:
        session = SupervisionSession(
            training=r.training, supervisor=r.supervisor, date=r.date, minutes=r.minutes, kind=r.kind, topic=r.topic,
            source=SupervisionSession.Source.IMPORT,
        )  # fmt: skip
        changes = [
            (_("Veileder"), "", r.supervisor.full_name),
            (_("Dato"), "", date_format(r.date, "d.m.Y")),
            (_("Minutter"), "", str(r.minutes)),
            (_("Type"), "", str(SupervisionSession.Kind(r.kind).label)),
            (_("Tema"), "", r.topic),
        ]
        plan.rows.append(RowPlan(row=r.number, label=r.training.doctor.full_name, action=CREATE, changes=changes))
        steps.append(save_step(session, None, parent=r.training))
    plan.rows.sort(key=lambda row: row.row)
    if progress:
        progress(len(plan.rows), len(plan.rows))
    return Prepared(plan, steps)
