"""Import of supervision sessions (veiledningstimer) from a list, CSV or Excel, as an import job.

Columns (in any order, the usual spellings of each accepted): HPR ALIS, HPR veileder, Dato, Minutter, Type
(«individuell» or «gruppe»; empty is individual), Tema. The ALIS must have an ongoing course of training in
the office's region; the supervisor is any doctor with the HPR number.

No double entry: a session is identified by its ALIS's course of training, its date, its kind and its
supervisor (the database holds one such session: `supervision_session_unique_training_date_kind_supervisor`).
A row that names a session already registered (by the office, by the supervisor through their link, or by
an earlier import of the same list) is shown as «Finnes fra før» and skipped, so importing a list twice, or
confirming twice, adds nothing; two rows for the same session in one file are an error. The minutes and topic
of a session already registered are left as they are (they may have been confirmed by the supervisor): the
preview says so when the file differs, and the office corrects the session on the ALIS's page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from core.validation import date_in_range, formula_error, looks_like_formula
from dataio import reading
from dataio.plan import CREATE, SKIP, Plan, Prepared, RowPlan, save_step
from dataio.reading import Header, Value, normalise, text
from registry.models import Doctor, Office
from supervision.models import SupervisionSession
from training.models import Training

KIND = "supervision_sessions"
HEADERS = [
    Header("alis", "HPR ALIS", ("hpr alis", "alis hpr", "hpr nummer alis", "hpr-nummer alis"), required=True),
    Header("supervisor", "HPR veileder", ("veileder hpr", "hpr nummer veileder", "hpr-nummer veileder"), required=True),
    Header("date", "Dato", ("veiledningsdato",), required=True),
    Header("minutes", "Minutter", ("min", "varighet", "varighet minutter"), required=True),
    Header("kind", "Type", ("veiledningstype",)),
    Header("topic", "Tema", ("emne",)),
]
LABELS = {h.key: h.label for h in HEADERS}
Kind = SupervisionSession.Kind
KINDS = {
    "": Kind.INDIVIDUAL,
    "individuell": Kind.INDIVIDUAL,
    "individuell veiledning": Kind.INDIVIDUAL,
    "gruppe": Kind.GROUP,
    "gruppeveiledning": Kind.GROUP,
}
MINUTES = (5, 600)  # as the session form and the database (supervision_session_minutes_5_to_600)
TOPIC_LENGTH = SupervisionSession._meta.get_field("topic").max_length

Key = tuple[int, date, str, int]  # training, date, kind, supervisor


@dataclass(frozen=True)
class Existing:
    minutes: int
    topic: str
    source: str


def session_key(session: SupervisionSession) -> Key:
    return (session.training_id, session.date, session.kind, session.supervisor_id)


def prepare(
    data: bytes,
    *,
    office: Office,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Prepared:
    """Read the file and plan every row against the sessions registered now; writes nothing."""
    table = reading.read_table(data, HEADERS)
    today = today or timezone.localdate()
    hprs = {text(values.get(key)) for _number, values in table.rows for key in ("alis", "supervisor")}
    ongoing = {
        t.doctor.hpr_number: t
        for t in Training.objects.ongoing()
        .filter(employer__county__office=office, doctor__hpr_number__in=hprs)
        .select_related("doctor")
    }
    doctors = {d.hpr_number: d for d in Doctor.objects.filter(hpr_number__in=hprs)}
    existing = {
        (s.training_id, s.date, s.kind, s.supervisor_id): Existing(s.minutes, s.topic, s.get_source_display())
        for s in SupervisionSession.objects.filter(training__in=list(ongoing.values()))
    }
    prepared = Prepared(plan=Plan(kind=KIND, encoding=table.encoding))
    in_file: dict[Key, int] = {}
    for index, (number, values) in enumerate(table.rows):
        row = RowPlan(row=number)
        prepared.plan.rows.append(row)
        session = _session(row, values, ongoing=ongoing, doctors=doctors, today=today)
        if session is not None:
            _plan(row, session, existing=existing, in_file=in_file, prepared=prepared)
        if progress and index % 100 == 0:
            progress(index, len(table.rows))
    return prepared


def _session(
    row: RowPlan, values: dict[str, Value], *, ongoing: dict[str, Training], doctors: dict[str, Doctor], today: date
) -> SupervisionSession | None:
    """The row as a session, or None with the row's errors recorded."""
    alis_hpr, supervisor_hpr = text(values.get("alis")), text(values.get("supervisor"))
    training = ongoing.get(alis_hpr)
    if training is None:
        row.error(
            LABELS["alis"], _("fant ingen pågående ALIS i regionen med HPR-nummer «%(hpr)s».") % {"hpr": alis_hpr}
        )
    supervisor = doctors.get(supervisor_hpr)
    if supervisor is None:
        row.error(LABELS["supervisor"], _("fant ingen lege med HPR-nummer «%(hpr)s».") % {"hpr": supervisor_hpr})
    day = _date(row, values.get("date"), training, today)
    minutes = _minutes(row, values.get("minutes"))
    raw_kind = text(values.get("kind"))
    kind = KINDS.get(normalise(raw_kind))
    if kind is None:
        row.error(LABELS["kind"], _("skriv «individuell» eller «gruppe», ikke «%(value)s».") % {"value": raw_kind})
    topic = text(values.get("topic"))
    if looks_like_formula(topic):
        # The topic is shown and exported as it is; a text a spreadsheet would run is refused.
        row.error(LABELS["topic"], formula_error(topic))
    if len(topic) > TOPIC_LENGTH:
        row.error(LABELS["topic"], _("høyst %(max)d tegn.") % {"max": TOPIC_LENGTH})
    if training is not None:
        row.label = training.doctor.full_name
    if row.errors:
        return None
    return SupervisionSession(
        training=training,
        supervisor=supervisor,
        date=day,
        minutes=minutes,
        kind=kind,
        topic=topic,
        source=SupervisionSession.Source.IMPORT,
    )


def _date(row: RowPlan, raw: Value, training: Training | None, today: date) -> date | None:
    try:
        day = reading.parse_date(raw)
    except ValueError:
        day = None
    if day is None or not date_in_range(day):
        row.error(LABELS["date"], _("«%(value)s» er ikke en dato (dd.mm.åååå).") % {"value": text(raw)})
        return None
    if day > today:
        row.error(LABELS["date"], _("%(day)s er fram i tid.") % {"day": f"{day:%d.%m.%Y}"})
    elif training is not None and day < training.start:
        row.error(LABELS["date"], _("%(day)s er før utdanningsløpet startet.") % {"day": f"{day:%d.%m.%Y}"})
    return day


def _minutes(row: RowPlan, raw: Value) -> int | None:
    try:
        minutes = reading.parse_whole(raw)
    except ValueError:
        minutes = None
    if minutes is None or not MINUTES[0] <= minutes <= MINUTES[1]:
        row.error(
            LABELS["minutes"],
            _("skriv et helt tall fra %(min)d til %(max)d, ikke «%(value)s».")
            % {"min": MINUTES[0], "max": MINUTES[1], "value": text(raw)},
        )
        return None
    return minutes


def _plan(
    row: RowPlan,
    session: SupervisionSession,
    *,
    existing: dict[Key, Existing],
    in_file: dict[Key, int],
    prepared: Prepared,
) -> None:
    key = session_key(session)
    row.label = _("%(alis)s, %(day)s: %(kind)s, %(minutes)d min (veileder %(supervisor)s)") % {
        "alis": session.training.doctor.full_name,
        "day": f"{session.date:%d.%m.%Y}",
        "kind": session.get_kind_display().lower(),
        "minutes": session.minutes,
        "supervisor": session.supervisor.full_name,
    }
    if key in in_file:
        row.error(None, _("samme time som rad %(row)d (ALIS, dato, type og veileder).") % {"row": in_file[key]})
        return
    in_file[key] = row.row
    found = existing.get(key)
    if found is not None:
        row.action = SKIP
        row.notes.append(_("Finnes fra før (%(source)s); hoppes over.") % {"source": found.source.lower()})
        if (found.minutes, found.topic) != (session.minutes, session.topic):
            row.notes.append(
                _("Registrert med %(minutes)d min og tema «%(topic)s»; det endres ikke av importen.")
                % {"minutes": found.minutes, "topic": found.topic or "–"}
            )
        return
    row.action = CREATE
    prepared.steps.append(save_step(session, None, parent=session.training))
