"""Import of the regular-GP list (fastlegelisten) as Helfo and the GP register publish it per municipality.

One row per regular GP: municipality number, GP office (name, address, postal code and place), the doctor
(one name column, "Etternavn, Fornavn" or "Fornavn Etternavn", or first and last name), HPR number when
present, list length, list capacity and open list yes/no. A row without a doctor is a list without a
doctor and is left out.

GP offices are matched on municipality + name, doctors on HPR number, else on name + GP office, so a
re-import never duplicates them. A doctor whose HPR number is registered in another region is an error:
moving a doctor between regions is for the two offices to agree on, not for a file. Regular GPs of the
file's municipalities who are not in the file are reported as gone; the confirmation may mark them as no
longer regular GPs (list length and capacity cleared, since those apply only to regular GPs).

Each new or changed row is checked with the forms the registry's pages use (GpOfficeForm, DoctorForm), fed
from the register loaded once rather than a few queries a row, so that a national list (5 000 rows) plans
in seconds; rows that change nothing skip the forms.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django import forms
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import history
from core.editing import VersionedModelForm
from dataio import reading
from dataio.models import GpListSnapshot
from dataio.plan import (
    CHANGE,
    CREATE,
    SKIP,
    Plan,
    Prepared,
    RowPlan,
    differences,
    form_errors,
    refuse_formulas,
    save_step,
)
from dataio.reading import Header, Value, normalise, text
from registry.forms import DoctorForm, GpOfficeForm
from registry.models import Doctor, GpOffice, Municipality, Office

KIND = "gp_list"
HEADERS = [
    Header("municipality", "Kommunenummer", ("kommunenr", "kommune nr", "knr", "kommune"), required=True),
    Header("office", "Legekontor", ("legekontorets navn", "legesenter", "legekontor navn"), required=True),
    Header("address", "Adresse", ("besoksadresse", "gateadresse")),
    Header("postal_code", "Postnummer", ("postnr",)),
    Header("postal_place", "Poststed"),
    Header("name", "Lege", ("legens navn", "navn", "fastlege")),
    Header("first_name", "Fornavn"),
    Header("last_name", "Etternavn"),
    Header("hpr", "HPR-nummer", ("hpr", "hprnr", "hpr nr")),
    Header("list_size", "Listelengde", ("antall pasienter", "pasienter pa listen")),
    Header("list_capacity", "Listetak", ("maks listelengde",)),
    Header("open_list", "Åpen liste", ("apen", "ledig plass")),
]
LABELS = {h.key: h.label for h in HEADERS}
# Form fields under the file's columns, so that a form error names the column the user can fix.
FORM_COLUMNS = {
    "name": LABELS["office"],
    "address": LABELS["address"],
    "postal_code": LABELS["postal_code"],
    "postal_place": LABELS["postal_place"],
    "municipality": LABELS["municipality"],
    "first_name": LABELS["name"],
    "last_name": LABELS["name"],
    "hpr_number": LABELS["hpr"],
    "list_size": LABELS["list_size"],
    "list_capacity": LABELS["list_capacity"],
    "list_open": LABELS["open_list"],
}
OFFICE_FIELDS = ("address", "postal_code", "postal_place")
# Names checked against spreadsheet formulas (see dataio.plan.refuse_formulas).
NAME_COLUMNS = {
    "first_name": LABELS["name"],
    "last_name": LABELS["name"],
    "office": LABELS["office"],
    "address": LABELS["address"],
    "postal_place": LABELS["postal_place"],
}


def _preload(field: forms.ModelChoiceField, objects: dict[int, Model]) -> None:
    """The field's choices looked up in memory instead of one query per row."""

    def to_python(value: object) -> Model | None:
        if value in field.empty_values:
            return None
        try:
            return objects[int(value)]
        except (KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None

    field.to_python = to_python


class RowGpOfficeForm(GpOfficeForm):
    """GpOfficeForm against the loaded register; the unique name is matched in memory before the form."""

    def __init__(self, *args, register: "Register", **kwargs) -> None:
        super().__init__(*args, municipalities=register.region, **kwargs)
        _preload(self.fields["municipality"], register.region_municipalities)

    def _get_validation_exclusions(self) -> set[str]:
        """The municipality was found among the region's loaded above; the model would ask the database again."""
        return super()._get_validation_exclusions() | {"municipality"}

    def validate_unique(self) -> None:
        """No unique field but the key; the name per municipality is a constraint, see below."""

    def validate_constraints(self) -> None:
        """Name per municipality: the importer matched the office by name already; the database has the last word."""


class RowDoctorForm(DoctorForm):
    """DoctorForm against the loaded register: the same fields and rules, the HPR number checked in memory."""

    def __init__(self, *args, register: "Register", **kwargs) -> None:
        super().__init__(*args, municipalities=register.region, **kwargs)
        self.register = register
        _preload(self.fields["municipality"], register.region_municipalities)
        _preload(self.fields["gp_office"], register.region_offices)

    def _get_validation_exclusions(self) -> set[str]:
        """Municipality and GP office were found among the region's loaded above; the model would ask the database."""
        return super()._get_validation_exclusions() | {"municipality", "gp_office"}

    def clean_hpr_number(self) -> str | None:
        value = (self.cleaned_data.get("hpr_number") or "").strip() or None
        other = self.register.by_hpr.get(value) if value else None
        if other is not None and other.pk != self.instance.pk:
            raise forms.ValidationError(_("En annen lege har allerede dette HPR-nummeret."))
        return value

    def validate_unique(self) -> None:
        """No unique field but the key; the HPR number is a constraint, checked above."""

    def validate_constraints(self) -> None:
        """HPR unique and digits: checked above and by the field's validator; the database has the last word."""


class SharedFields(dict):
    """A form's fields, set up once and shared by the forms of all the rows of a file (see `for_rows`)."""

    def __deepcopy__(self, memo: dict) -> "SharedFields":
        return self


def for_rows[F: forms.BaseForm](form_class: type[F], register: "Register") -> type[F]:
    """`form_class` for the rows of one file: its fields set up once and shared rather than set up for each row.

    Django copies a form's fields for every form (cloning each queryset), and the registry forms then build
    their querysets: together more than the rest of a row's check. The rows' forms set up their fields
    alike, so one form sets them up and every row's form uses them; only the row's data differs.
    """
    prototype = form_class(register=register)

    class Rows(form_class):  # type: ignore[valid-type, misc]
        def __init__(self, *args, **kwargs) -> None:
            # The set-up of form_class (querysets, lookups in memory) ran once, for the prototype.
            VersionedModelForm.__init__(self, *args, **kwargs)
            self.register = register

    Rows.base_fields = SharedFields(prototype.fields)  # after the class exists: the metaclass sets base_fields
    return Rows


def split_name(value: str) -> tuple[str, str]:
    """("Fornavn", "Etternavn") from "Etternavn, Fornavn" (Helfo's order) or "Fornavn Mellomnavn Etternavn"."""
    if "," in value:
        last, first = (part.strip() for part in value.split(",", 1))
        return first, last
    parts = value.split()
    return " ".join(parts[:-1]), parts[-1] if parts else ""


def municipality_number(value: Value) -> str:
    """Four digits; Excel drops the leading zero of Oslo's 0301 when the cell is a number."""
    number = text(value)
    return number.zfill(4) if number.isdigit() and len(number) == 3 else number


@dataclass
class Register:
    """What the whole file is checked against, read once: a few queries, not a few per row."""

    office: Office
    municipalities: dict[str, Municipality]
    region: QuerySet
    gp_offices: dict[tuple[int, str], GpOffice]
    by_hpr: dict[str, Doctor]
    by_name: dict[tuple[int, str, str], list[Doctor]]
    doctors: list[Doctor] = field(default_factory=list)
    region_municipalities: dict[int, Municipality] = field(default_factory=dict)
    region_offices: dict[int, GpOffice] = field(default_factory=dict)
    office_rows: dict[tuple[int, str], int] = field(default_factory=dict)  # office → first row that planned it
    doctor_rows: dict[object, int] = field(default_factory=dict)  # HPR or name+office → row
    matched: set[int] = field(default_factory=set)
    seen_municipalities: set[int] = field(default_factory=set)
    listed: dict[int, list[Doctor]] = field(default_factory=dict)  # municipality → its regular GPs in the file

    @cached_property
    def office_form(self) -> type[RowGpOfficeForm]:
        return for_rows(RowGpOfficeForm, self)

    @cached_property
    def doctor_form(self) -> type[RowDoctorForm]:
        return for_rows(RowDoctorForm, self)

    @classmethod
    def load(cls, office: Office) -> "Register":
        doctors = list(Doctor.objects.select_related("municipality__county", "gp_office"))
        by_name: dict[tuple[int, str, str], list[Doctor]] = {}
        for doctor in doctors:
            if doctor.gp_office_id:
                key = (doctor.gp_office_id, normalise(doctor.first_name), normalise(doctor.last_name))
                by_name.setdefault(key, []).append(doctor)
        municipalities = {m.number: m for m in Municipality.objects.select_related("county__office")}
        gp_offices = {
            (o.municipality_id, normalise(o.name)): o for o in GpOffice.objects.select_related("municipality")
        }
        region = {m.pk: m for m in municipalities.values() if m.county.office_id == office.pk}
        return cls(
            office=office,
            region_municipalities=region,
            region_offices={o.pk: o for o in gp_offices.values() if o.municipality_id in region},
            municipalities=municipalities,
            region=Municipality.objects.filter(county__office=office),
            gp_offices=gp_offices,
            by_hpr={d.hpr_number: d for d in doctors if d.hpr_number},
            by_name=by_name,
            doctors=doctors,
        )


def prepare(data: bytes, *, office: Office, progress: Callable[[int, int], None] | None = None) -> Prepared:
    """Read the file and plan every row against the register; writes nothing."""
    table = reading.read_table(data, HEADERS)
    if "name" not in table.present and not {"first_name", "last_name"} <= table.present:
        raise reading.FileError(_("Fila mangler kolonnen «Lege» (eller «Fornavn» og «Etternavn»)."))
    register = Register.load(office)
    prepared = Prepared(plan=Plan(kind=KIND, encoding=table.encoding))
    for index, (number, values) in enumerate(table.rows):
        row = RowPlan(row=number)
        prepared.plan.rows.append(row)
        _plan_row(row, values, register, prepared)
        if progress and index % 250 == 0:
            progress(index, len(table.rows))
    _plan_gone(register, prepared)
    prepared.steps.append(ListStep(register.seen_municipalities, register.listed))
    return prepared


def _cells(row: RowPlan, values: dict[str, Value]) -> dict[str, object] | None:
    """The row's values parsed, with an error per cell that can not be read."""
    cells: dict[str, object] = {key: text(values.get(key)) for key in ("office", *OFFICE_FIELDS)}
    cells["municipality"] = municipality_number(values.get("municipality"))
    if values.get("name") not in (None, ""):
        cells["first_name"], cells["last_name"] = split_name(text(values["name"]))
    else:
        cells["first_name"], cells["last_name"] = text(values.get("first_name")), text(values.get("last_name"))
    cells["hpr"] = text(values.get("hpr")).replace(" ", "")
    for key in ("list_size", "list_capacity"):
        raw = values.get(key)
        try:
            cells[key] = None if raw in (None, "") else reading.parse_whole(raw)
        except ValueError:
            row.error(LABELS[key], _("«%s» er ikke et helt tall.") % text(raw))
    raw = values.get("open_list")
    cells["list_open"] = None
    if raw not in (None, ""):
        try:
            cells["list_open"] = reading.parse_yes_no(raw)
        except ValueError:
            row.error(LABELS["open_list"], _("«%s» er verken ja eller nei.") % text(raw))
    if not cells["office"]:
        row.error(LABELS["office"], _("Legekontoret mangler navn."))
    refuse_formulas(row, cells, NAME_COLUMNS)
    return None if row.errors else cells


def _municipality(row: RowPlan, number: str, register: Register) -> Municipality | None:
    municipality = register.municipalities.get(number)
    if municipality is None:
        row.error(LABELS["municipality"], _("«%s» er ikke et kommunenummer i registeret.") % number)
    elif municipality.county.office_id != register.office.pk:
        row.error(
            LABELS["municipality"],
            _("%(municipality)s hører til %(office)s, ikke til %(own)s.")
            % {"municipality": municipality, "office": municipality.county.office, "own": register.office},
        )
        return None
    return municipality


def _plan_row(row: RowPlan, values: dict[str, Value], register: Register, prepared: Prepared) -> None:
    cells = _cells(row, values)
    if cells is None:
        return
    municipality = _municipality(row, str(cells["municipality"]), register)
    if municipality is None:
        return
    register.seen_municipalities.add(municipality.pk)
    row.label = f"{cells['office']}, {municipality.name}"
    if not cells["first_name"] and not cells["last_name"] and not cells["hpr"]:
        row.action = SKIP
        row.notes.append(_("Liste uten lege; hoppet over."))
        return
    gp_office = plan_gp_office(row, cells, municipality, register, prepared)
    if gp_office is not None:
        _plan_doctor(row, cells, municipality, gp_office, register, prepared)


def plan_gp_office(
    row: RowPlan, cells: dict, municipality: Municipality, register: Register, prepared: Prepared
) -> GpOffice | None:
    key = (municipality.pk, normalise(cells["office"]))
    existing = register.gp_offices.get(key)
    if key in register.office_rows:
        return existing  # planned by an earlier row; its address there holds
    register.office_rows[key] = row.row
    wanted = {name: cells[name] for name in OFFICE_FIELDS if cells[name]}  # an empty cell keeps what is known
    instance = existing or GpOffice(municipality=municipality, name=cells["office"])
    before = history.snapshot(instance) if existing else None
    if existing and all(getattr(existing, name) == value for name, value in wanted.items()):
        return existing
    data = {
        "name": instance.name,
        "municipality": municipality.pk,
        "seen_version": instance.version,
        **{name: getattr(instance, name) for name in OFFICE_FIELDS},
        **wanted,
    }
    form = register.office_form(data, instance=instance)
    if not form.is_valid():
        form_errors(row, form, FORM_COLUMNS)
        return None
    register.gp_offices[key] = instance
    after = history.snapshot(instance)
    if before is None:
        row.notes.append(_("Nytt legekontor: %s") % instance.name)
        row.action = CREATE
    else:
        row.changes += [
            (_("Legekontor: %s") % what, old, new) for what, old, new in differences(GpOffice, before, after)
        ]
        row.action = CHANGE
    prepared.steps.append(save_step(instance, before))
    return instance


def doctor_by_hpr(row: RowPlan, hpr: str, register: Register, column: str) -> Doctor | None:
    """The doctor with the HPR number; one registered in another region is an error on the row."""
    doctor = register.by_hpr.get(hpr)
    if doctor and doctor.municipality and doctor.municipality.county.office_id != register.office.pk:
        row.error(
            column,
            _("%(hpr)s er registrert på en lege i en annen region (%(office)s). Ta det opp med det kontoret.")
            % {"hpr": hpr, "office": doctor.municipality.county.office},
        )
    return doctor


def _find_doctor(row: RowPlan, cells: dict, gp_office: GpOffice, register: Register) -> Doctor | None:
    hpr = cells["hpr"]
    if hpr and (doctor := doctor_by_hpr(row, hpr, register, LABELS["hpr"])):
        return doctor
    if gp_office.pk is None:
        return None
    candidates = register.by_name.get((gp_office.pk, normalise(cells["first_name"]), normalise(cells["last_name"])), [])
    # A namesake with another HPR number is another person.
    candidates = [d for d in candidates if not hpr or not d.hpr_number]
    if len(candidates) > 1:
        row.error(LABELS["name"], _("Flere leger ved legekontoret heter %s; oppgi HPR-nummeret.") % candidates[0])
    return candidates[0] if candidates else None


def _plan_doctor(
    row: RowPlan, cells: dict, municipality: Municipality, gp_office: GpOffice, register: Register, prepared: Prepared
) -> None:
    key = cells["hpr"] or (
        normalise(gp_office.name),
        municipality.pk,
        normalise(cells["first_name"]),
        normalise(cells["last_name"]),
    )
    if key in register.doctor_rows:
        row.error(
            LABELS["hpr"] if cells["hpr"] else LABELS["name"],
            _("legen står også på rad %d.") % register.doctor_rows[key],
        )
        return
    register.doctor_rows[key] = row.row
    existing = _find_doctor(row, cells, gp_office, register)
    if row.errors:
        return
    if existing and _unchanged(existing, cells, municipality, gp_office):
        register.matched.add(existing.pk)
        register.listed.setdefault(municipality.pk, []).append(existing)
        row.label = f"{existing.full_name} – {row.label}"
        return
    doctor = existing or Doctor()
    before = history.snapshot(doctor) if existing else None
    data = {
        **{name: getattr(doctor, name) or "" for name in ("email", "phone", "specialist_since")},
        "first_name": cells["first_name"],
        "last_name": cells["last_name"],
        "hpr_number": cells["hpr"] or doctor.hpr_number or "",
        "municipality": municipality.pk,
        "gp_office": gp_office.pk or "",
        "is_regular_gp": True,
        "is_specialist": doctor.is_specialist,
        "list_size": cells["list_size"] if cells["list_size"] is not None else doctor.list_size or "",
        "list_capacity": cells["list_capacity"] if cells["list_capacity"] is not None else doctor.list_capacity or "",
        "list_open": _yes_no(cells["list_open"] if cells["list_open"] is not None else doctor.list_open),
        "seen_version": doctor.version,
    }
    form = register.doctor_form({k: v for k, v in data.items() if v is not None and v is not False}, instance=doctor)
    if not form.is_valid():
        form_errors(row, form, FORM_COLUMNS)
        return
    doctor.gp_office = gp_office  # a new office has no key yet: the form saw none, the save gets it
    register.listed.setdefault(municipality.pk, []).append(doctor)
    row.label = f"{doctor.full_name}{f' ({doctor.hpr_number})' if doctor.hpr_number else ''} – {row.label}"
    changes = differences(Doctor, before, history.snapshot(doctor)) if existing else []
    if existing:
        register.matched.add(existing.pk)
        row.changes += changes
        if changes and row.action != CREATE:
            row.action = CHANGE
    else:
        row.action = CREATE
        row.notes.append(_("Ny lege"))
    if before is None or changes:
        prepared.steps.append(save_step(doctor, before))


def _unchanged(doctor: Doctor, cells: dict, municipality: Municipality, gp_office: GpOffice) -> bool:
    """Whether the row would change nothing: most rows of a re-import, which then need no form."""
    return (
        (doctor.first_name, doctor.last_name, doctor.municipality_id, doctor.gp_office_id, doctor.is_regular_gp)
        == (cells["first_name"], cells["last_name"], municipality.pk, gp_office.pk, True)
        and cells["hpr"] in ("", doctor.hpr_number)
        and cells["list_size"] in (None, doctor.list_size)
        and cells["list_capacity"] in (None, doctor.list_capacity)
        and cells["list_open"] in (None, doctor.list_open)
    )


def _yes_no(value: bool | None) -> str:
    """A yes/no/unknown as the form's NullBooleanSelect posts it."""
    return {True: "true", False: "false"}.get(value, "unknown")


def _plan_gone(register: Register, prepared: Prepared) -> None:
    gone = [
        d
        for d in register.doctors
        if d.is_regular_gp and d.municipality_id in register.seen_municipalities and d.pk not in register.matched
    ]
    gone.sort(key=lambda d: (d.municipality.number, d.last_name, d.first_name))
    for doctor in gone:
        where = doctor.gp_office.name if doctor.gp_office else doctor.municipality.name
        prepared.plan.gone.append(f"{doctor.full_name} ({doctor.hpr_number or _('uten HPR-nummer')}), {where}")
        before = history.snapshot(doctor)
        doctor.is_regular_gp, doctor.list_size, doctor.list_capacity, doctor.list_open = False, None, None, None
        prepared.gone_steps.append(save_step(doctor, before))


@dataclass
class ListStep:
    """The last step of an import: keep who the list says is a regular GP in each municipality it covers, today.

    A step rather than part of the plan: the new doctors have their keys only once the steps before have run.
    """

    municipalities: set[int]
    listed: dict[int, list[Doctor]]

    def __call__(self, by: User | None) -> None:
        record_lists(municipalities=self.municipalities, listed=self.listed, on=timezone.localdate())


def record_lists(*, municipalities: set[int], listed: dict[int, list[Doctor]], on: date) -> None:
    """One `GpListSnapshot` per municipality covered, replacing one of the same day; a few queries in all."""
    GpListSnapshot.objects.filter(municipality_id__in=municipalities, listed_on=on).delete()
    snapshots = GpListSnapshot.objects.bulk_create(
        [GpListSnapshot(municipality_id=pk, listed_on=on) for pk in sorted(municipalities)]
    )
    if not snapshots or snapshots[0].pk is None:  # a database that returns no keys from a bulk insert
        snapshots = list(GpListSnapshot.objects.filter(municipality_id__in=municipalities, listed_on=on))
    through = GpListSnapshot.doctors.through
    through.objects.bulk_create(
        [
            through(gplistsnapshot_id=snapshot.pk, doctor_id=doctor.pk)
            for snapshot in snapshots
            for doctor in {d.pk: d for d in listed.get(snapshot.municipality_id, [])}.values()
        ],
        batch_size=1000,
    )
