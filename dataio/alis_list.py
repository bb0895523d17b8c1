"""Import of a municipality's own ALIS list (Excel or CSV) in the template the app offers for download.

One row per ALIS (in allmennmedisin) or SamLIS (in samfunnsmedisin): name, HPR number, specialty, start
date, scheme, contract, position share, GP office, supervisor, and the planned hospital service (from, to,
health trust). Without a specialty a new ALIS is in allmennmedisin and a known one keeps theirs. One
municipality per file, chosen when the file is uploaded; a "Kommunenummer" column, when present, must name
that municipality.

A row finds its doctor by HPR number, else by name among the municipality's doctors, else creates one;
then the doctor's ongoing course of training with this municipality, else a new one; then the current
supervisor (a new one ends the old assignment the day before) and the planned hospital service. Each part
is checked with the form the training pages use (DoctorForm, TrainingForm, AssignmentForm, ServicePeriodForm).
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import history
from core.export import DATE, NUMBER, ExportColumn
from dataio import reading
from dataio.gp_list import Register, doctor_by_hpr, municipality_number, plan_gp_office, split_name
from dataio.plan import CHANGE, CREATE, Plan, Prepared, RowPlan, differences, form_errors, refuse_formulas, save_step
from dataio.reading import Header, Value, normalise, text
from registry.forms import DoctorForm
from registry.models import Doctor, GpOffice, HealthTrust, Municipality, Office, Specialty
from training.forms import AssignmentForm, ServicePeriodForm, TrainingForm, set_expected_end, supervisor_choices
from training.models import ONGOING, Contract, Scheme, ServicePeriod, Status, SupervisorAssignment, Training

KIND = "alis_list"
HEADERS = [
    Header("name", "Navn", ("alis", "lege", "navn pa alis")),
    Header("first_name", "Fornavn"),
    Header("last_name", "Etternavn"),
    Header("hpr", "HPR-nummer", ("hpr", "hprnr", "hpr nr")),
    Header("start", "Startdato", ("start", "oppstart", "startdato alis"), required=True),
    Header("scheme", "Ordning", ("ny gammel ordning",)),
    Header("specialty", "Spesialitet", ("fagomrade", "spesialisering")),
    Header("contract", "Tilknytning", ("kontrakt", "avtaleform", "ansettelsesform"), required=True),
    Header("share", "Stillingsprosent", ("stilling", "stillingsandel", "stilling i prosent")),
    Header("office", "Legekontor", ("legesenter",)),
    Header("supervisor", "Veileder", ("veileder navn", "veileders navn")),
    Header("hospital_from", "Sykehustjeneste fra", ("planlagt sykehustjeneste fra", "sykehus fra")),
    Header("hospital_to", "Sykehustjeneste til", ("planlagt sykehustjeneste til", "sykehus til")),
    Header("trust", "Helseforetak", ("hf", "helseforetak hf")),
    Header("municipality", "Kommunenummer", ("kommunenr", "kommune nr")),
]
LABELS = {h.key: h.label for h in HEADERS}
FORM_COLUMNS = {
    "first_name": LABELS["name"],
    "last_name": LABELS["name"],
    "hpr_number": LABELS["hpr"],
    "start": LABELS["start"],
    "scheme": LABELS["scheme"],
    "contract": LABELS["contract"],
    "position_share": LABELS["share"],
    "gp_office": LABELS["office"],
    "supervisor": LABELS["supervisor"],
    "specialty": LABELS["specialty"],
    "health_trust": LABELS["trust"],
    "end": LABELS["hospital_to"],
    "name": LABELS["office"],
}
# Names checked against spreadsheet formulas (see dataio.plan.refuse_formulas).
NAME_COLUMNS = {"first_name": LABELS["name"], "last_name": LABELS["name"], "office": LABELS["office"]}
SCHEMES = {"ny": Scheme.NEW, "gammel": Scheme.OLD, **{normalise(s.label): s for s in Scheme}}
SPECIALTIES = {
    "allmenn": Specialty.GENERAL_PRACTICE,
    "alis": Specialty.GENERAL_PRACTICE,
    "samfunn": Specialty.COMMUNITY_MEDICINE,
    "samlis": Specialty.COMMUNITY_MEDICINE,
    **{normalise(s.label): s for s in Specialty},
}
CONTRACTS = {
    "fastlonn": Contract.SALARIED,
    "lonnet": Contract.SALARIED,
    "ansatt": Contract.SALARIED,
    "selvstendig": Contract.SELF_EMPLOYED,
    "privat": Contract.SELF_EMPLOYED,
    "vikar": Contract.LOCUM,
    "uten liste": Contract.MUNICIPAL_NO_LIST,
    **{normalise(c.label): c for c in Contract},
}
EXAMPLE = {
    "name": "Nordmann, Kari",
    "hpr": "1234567",
    "specialty": "Allmennmedisin",
    "start": date(2024, 8, 1),
    "scheme": "Ny ordning",
    "contract": "Næringsdrift",
    "share": 100,
    "office": "Sentrum legekontor",
    "supervisor": "Per Veileder",
    "hospital_from": date(2026, 9, 1),
    "hospital_to": date(2027, 2, 28),
    "trust": "Helse Bergen HF",
}
TEMPLATE_COLUMNS = [
    ExportColumn(
        h.label,
        lambda row, key=h.key: row.get(key),
        DATE if h.key in ("start", "hospital_from", "hospital_to") else NUMBER if h.key == "share" else "text",
    )
    for h in HEADERS
    if h.key in EXAMPLE
]


class AlisRegister(Register):
    """The gp-list register and what an ALIS row needs besides: trainings, supervisors, health trusts."""

    municipality: Municipality
    today: date
    local: dict[tuple[str, str], list[Doctor]]  # the municipality's doctors by name
    trainings: dict[int, Training]  # ongoing, by doctor
    current: dict[int, SupervisorAssignment]  # by training
    hospital: dict[int, ServicePeriod]  # planned hospital service, by training
    supervisors: QuerySet
    supervisor_by: dict[str, list[Doctor]]  # by HPR number and by name
    trusts: dict[str, HealthTrust]  # by name and short name

    @classmethod
    def for_municipality(cls, office: Office, municipality: Municipality, today: date) -> "AlisRegister":
        register = cls.load(office)
        register.municipality, register.today = municipality, today
        register.local = {}
        for doctor in Doctor.objects.filter(municipality=municipality):
            register.local.setdefault((normalise(doctor.first_name), normalise(doctor.last_name)), []).append(doctor)
        trainings = Training.objects.filter(employer=municipality, status__in=ONGOING).select_related(
            "doctor", "employer", "gp_office"
        )
        register.trainings = {t.doctor_id: t for t in trainings.order_by("start")}
        register.current = {
            a.training_id: a
            for a in SupervisorAssignment.objects.filter(training__in=trainings)
            .current(today)
            .select_related("supervisor")
        }
        register.hospital = {
            p.training_id: p
            for p in ServicePeriod.objects.filter(
                training__in=trainings, kind=ServicePeriod.Kind.HOSPITAL, planned=True
            ).order_by("-start")
        }
        register.supervisors = supervisor_choices(register.region, None)
        register.supervisor_by = {}
        for doctor in register.supervisors:
            for key in (
                doctor.hpr_number,
                normalise(doctor.full_name),
                normalise(f"{doctor.last_name} {doctor.first_name}"),
            ):
                if key:
                    register.supervisor_by.setdefault(key, []).append(doctor)
        register.trusts = {}
        for trust in HealthTrust.objects.all():
            for name in (trust.name, trust.short_name):
                if name:
                    register.trusts[normalise(name)] = trust
        return register


def prepare(
    data: bytes,
    *,
    office: Office,
    municipality: Municipality,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Prepared:
    """Read the file and plan every row against the register; writes nothing."""
    table = reading.read_table(data, HEADERS)
    if "name" not in table.present and not {"first_name", "last_name"} <= table.present:
        raise reading.FileError(_("Fila mangler kolonnen «Navn» (eller «Fornavn» og «Etternavn»)."))
    if municipality.county.office_id != office.pk:
        raise reading.FileError(
            _("%(municipality)s hører ikke til %(office)s.") % {"municipality": municipality, "office": office}
        )
    register = AlisRegister.for_municipality(office, municipality, today or timezone.localdate())
    prepared = Prepared(plan=Plan(kind=KIND, encoding=table.encoding))
    seen: dict[str, int] = {}
    for index, (number, values) in enumerate(table.rows):
        row = RowPlan(row=number)
        prepared.plan.rows.append(row)
        _plan_row(row, values, register, prepared, seen)
        if progress and index % 100 == 0:
            progress(index, len(table.rows))
    return prepared


def _parse(row: RowPlan, values: dict[str, Value], key: str, parser: Callable, message: str) -> object:
    raw = values.get(key)
    if raw in (None, ""):
        return None
    try:
        return parser(raw)
    except ValueError:
        row.error(LABELS[key], message % text(raw))
        return None


def _choice(row: RowPlan, values: dict[str, Value], key: str, choices: dict, default: object) -> object:
    raw = text(values.get(key))
    if not raw:
        return default
    found = choices.get(normalise(raw))
    if found is None:
        allowed = ", ".join(sorted({str(c.label) for c in choices.values()}))
        row.error(
            LABELS[key], _("«%(value)s» er ikke et av valgene (%(allowed)s).") % {"value": raw, "allowed": allowed}
        )
    return found


def _cells(row: RowPlan, values: dict[str, Value], register: AlisRegister) -> dict:
    cells: dict = {"hpr": text(values.get("hpr")).replace(" ", ""), "office": text(values.get("office"))}
    if text(values.get("name")):
        cells["first_name"], cells["last_name"] = split_name(text(values["name"]))
    else:
        cells["first_name"], cells["last_name"] = text(values.get("first_name")), text(values.get("last_name"))
    if not cells["first_name"] or not cells["last_name"]:
        row.error(LABELS["name"], _("ALIS må ha både fornavn og etternavn."))
    bad_date = _("«%s» er ikke en gyldig dato.")
    for key in ("start", "hospital_from", "hospital_to"):
        cells[key] = _parse(row, values, key, reading.parse_date, bad_date)
    if cells["start"] is None and not text(values.get("start")):
        row.error(LABELS["start"], _("Startdato mangler."))
    share = _parse(row, values, "share", reading.parse_number, _("«%s» er ikke et tall."))
    if share is not None and isinstance(values.get("share"), float) and 0 < share <= 1:
        share *= 100  # an Excel cell formatted as percent holds 0.8 for 80 %
    cells["share"] = 100 if share is None else share
    cells["scheme"] = _choice(row, values, "scheme", SCHEMES, Scheme.NEW)
    cells["specialty"] = _choice(row, values, "specialty", SPECIALTIES, None)
    cells["contract"] = _choice(row, values, "contract", CONTRACTS, None)
    if cells["contract"] is None and not text(values.get("contract")):
        row.error(LABELS["contract"], _("Tilknytning mangler."))
    number = municipality_number(values.get("municipality"))
    if number and number != register.municipality.number:
        row.error(
            LABELS["municipality"],
            _("«%(number)s» er ikke %(municipality)s, som fila gjelder.")
            % {"number": number, "municipality": register.municipality},
        )
    cells["supervisor"] = _supervisor(row, text(values.get("supervisor")), register)
    cells["trust"] = None
    if trust_name := text(values.get("trust")):
        cells["trust"] = register.trusts.get(normalise(trust_name))
        if cells["trust"] is None:
            row.error(LABELS["trust"], _("Fant ikke helseforetaket «%s».") % trust_name)
    if (cells["hospital_to"] or cells["trust"]) and not cells["hospital_from"] and not row.errors:
        row.error(LABELS["hospital_from"], _("Oppgi når sykehustjenesten er planlagt å starte."))
    refuse_formulas(row, cells, NAME_COLUMNS)
    return cells


def _supervisor(row: RowPlan, name: str, register: AlisRegister) -> Doctor | None:
    if not name:
        return None
    compact = name.replace(" ", "")
    # "Veileder, Per" and "Per Veileder" are the same person; an HPR number is digits only.
    key = compact if compact.isdigit() else normalise(" ".join(reversed(name.split(",", 1))) if "," in name else name)
    found = register.supervisor_by.get(key, [])
    if len(found) == 1:
        return found[0]
    if found:
        row.error(LABELS["supervisor"], _("Flere spesialister heter «%s»; oppgi veilederens HPR-nummer.") % name)
    else:
        row.error(
            LABELS["supervisor"],
            _("Fant ingen spesialist i allmennmedisin eller samfunnsmedisin i regionen som heter «%s».") % name,
        )
    return None


def _plan_row(
    row: RowPlan, values: dict[str, Value], register: AlisRegister, prepared: Prepared, seen: dict[str, int]
) -> None:
    cells = _cells(row, values, register)
    row.label = f"{cells['first_name']} {cells['last_name']}".strip() + (f" ({cells['hpr']})" if cells["hpr"] else "")
    key = cells["hpr"] or normalise(f"{cells['first_name']} {cells['last_name']}")
    if key in seen:
        row.error(LABELS["name"], _("ALIS står også på rad %d.") % seen[key])
    seen.setdefault(key, row.row)
    if row.errors:
        return
    gp_office = None
    if cells["office"]:
        office_cells = {"office": cells["office"], "address": "", "postal_code": "", "postal_place": ""}
        gp_office = plan_gp_office(row, office_cells, register.municipality, register, prepared)
        if gp_office is None:
            return
    doctor = _plan_doctor(row, cells, gp_office, register, prepared)
    if doctor is None:
        return
    training = _plan_training(row, cells, doctor, gp_office, register, prepared)
    if training is None:
        return
    _plan_assignment(row, cells, training, register, prepared)
    _plan_hospital(row, cells, training, register, prepared)
    if row.changes and row.action != CREATE:
        row.action = CHANGE


def _plan_doctor(
    row: RowPlan, cells: dict, gp_office: GpOffice | None, register: AlisRegister, prepared: Prepared
) -> Doctor | None:
    doctor = doctor_by_hpr(row, cells["hpr"], register, LABELS["hpr"]) if cells["hpr"] else None
    if row.errors:
        return None
    if doctor is None:
        namesakes = register.local.get((normalise(cells["first_name"]), normalise(cells["last_name"])), [])
        namesakes = [d for d in namesakes if not cells["hpr"] or not d.hpr_number]
        if len(namesakes) > 1:
            row.error(LABELS["name"], _("Flere leger i kommunen heter %s; oppgi HPR-nummeret.") % namesakes[0])
            return None
        doctor = namesakes[0] if namesakes else None
    if doctor is not None and (doctor.hpr_number or not cells["hpr"]):
        return doctor  # a known doctor: the list is about the training, not about the doctor's record
    before = history.snapshot(doctor) if doctor else None
    doctor = doctor or Doctor()
    data = {
        "first_name": doctor.first_name or cells["first_name"],
        "last_name": doctor.last_name or cells["last_name"],
        "hpr_number": cells["hpr"],
        "municipality": register.municipality.pk,
        "gp_office": getattr(doctor.gp_office or gp_office, "pk", None) or "",
        "seen_version": doctor.version,
        **{name: getattr(doctor, name) for name in ("email", "phone")},
    }
    form = DoctorForm(data, instance=doctor, municipalities=register.region)
    if not form.is_valid():
        form_errors(row, form, FORM_COLUMNS)
        return None
    if gp_office is not None and doctor.gp_office_id is None:
        doctor.gp_office = gp_office
    if before is None:
        row.action = CREATE
        row.notes.append(_("Ny lege"))
    else:
        row.changes += differences(Doctor, before, history.snapshot(doctor))
    prepared.steps.append(save_step(doctor, before))
    return doctor


def _plan_training(
    row: RowPlan, cells: dict, doctor: Doctor, gp_office: GpOffice | None, register: AlisRegister, prepared: Prepared
) -> Training | None:
    training = register.trainings.get(doctor.pk) if doctor.pk else None
    before = history.snapshot(training) if training else None
    training = training or Training(doctor=doctor, status=Status.ACTIVE)
    data = {
        "specialty": cells["specialty"] or training.specialty,
        "employer": register.municipality.pk,
        "gp_office": getattr(gp_office or training.gp_office, "pk", None) or "",
        "scheme": cells["scheme"],
        "contract": cells["contract"],
        "position_share": cells["share"],
        "start": cells["start"],
        "specialty_started": training.specialty_started or "",  # not in the list: kept as it is
        "status": training.status,
        "ended_on": training.ended_on or "",
        "leaving_reason": training.leaving_reason,
        "notes": training.notes,
        "seen_version": training.version,
    }
    form = TrainingForm(data, instance=training, municipalities=register.region)
    if not form.is_valid():
        form_errors(row, form, FORM_COLUMNS)
        return None
    if gp_office is not None:
        training.gp_office = gp_office
    set_expected_end(training)
    if before is None:
        row.action = CREATE
        row.notes.append(_("Nytt utdanningsløp"))
    else:
        changes = differences(Training, before, history.snapshot(training))
        row.changes += changes
    if before is None or changes:
        prepared.steps.append(save_step(training, before))
    return training


def _plan_assignment(row: RowPlan, cells: dict, training: Training, register: AlisRegister, prepared: Prepared) -> None:
    supervisor = cells["supervisor"]
    current = register.current.get(training.pk) if training.pk else None
    if supervisor is None or (current and current.supervisor_id == supervisor.pk):
        return
    start = max(training.start, register.today) if training.pk else training.start
    assignment = SupervisorAssignment(training=training)
    form = AssignmentForm(
        {"supervisor": supervisor.pk, "start": start}, instance=assignment, supervisors=register.supervisors
    )
    if not form.is_valid():
        form_errors(row, form, FORM_COLUMNS)
        return
    if current:
        before = history.snapshot(current)
        current.end = max(current.start, start - timedelta(days=1))
        prepared.steps.append(save_step(current, before, parent=training))
    old = current.supervisor.full_name if current else ""
    row.changes.append((_("Veileder"), old, supervisor.full_name))
    prepared.steps.append(save_step(assignment, None, parent=training))


def _plan_hospital(row: RowPlan, cells: dict, training: Training, register: AlisRegister, prepared: Prepared) -> None:
    if cells["hospital_from"] is None:
        return
    period = register.hospital.get(training.pk) if training.pk else None
    before = history.snapshot(period) if period else None
    period = period or ServicePeriod(training=training)
    data = {
        "kind": ServicePeriod.Kind.HOSPITAL,
        "health_trust": getattr(cells["trust"], "pk", ""),
        "place": period.place,
        "start": cells["hospital_from"],
        "end": cells["hospital_to"] or "",
        "share": period.share,
        "planned": True,
        "hospital_status": period.hospital_status,  # agreed with the trust stays agreed when the list is read again
        "seen_version": period.version,
    }
    form = ServicePeriodForm(data, instance=period)
    if not form.is_valid():
        form_errors(row, form, {**FORM_COLUMNS, "start": LABELS["hospital_from"]})
        return
    changes = differences(ServicePeriod, before or {}, history.snapshot(period))
    if before is not None and not changes:
        return
    row.changes += [(_("Sykehustjeneste: %s") % what, old, new) for what, old, new in changes]
    prepared.steps.append(save_step(period, before, parent=training))
