"""Load the reference data in registry/data: the ALIS offices, the counties and the municipalities.

It runs on every `make run`, so it reads what is stored, compares, and writes only what differs
(four queries and no transaction when nothing changed). Which stored values the files may change:

- Offices and each county's office belong to the national coordinator once they exist: a re-run
  creates what is missing and leaves the rest alone.
- Names and centrality are kept current by SSB's official classifications (registry/ssb.py); the file
  only fills them where they are unknown, so a re-run never undoes an SSB import.
- County, coordinates, the Sami area flag and the 2020 number come only from this file: a changed cell
  updates them, an empty cell never blanks a known value (Haram has no coordinates yet).
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F, Model

from accounts.models import User
from core import history
from registry.models import County, Municipality, NumberChange, Office

DATA_DIR = Path(__file__).resolve().parent / "data"
MUNICIPALITIES_CSV = DATA_DIR / "kommuner_2024.csv"
OFFICES_CSV = DATA_DIR / "offices.csv"

# The `alis_kontor` column names an office by its short Norwegian name.
OFFICE_CODES = {"Nord": "nord", "Midt": "midt", "Vest": "vest", "Sør": "sor", "Øst": "ost", "Oslo": "oslo"}
FILL_ONLY_FIELDS = ("name", "name_norwegian", "centrality")
# Where the file's classes come from (registry/data/README.md), stored beside each class the file fills.
CENTRALITY_SOURCE = (
    "Referansedata: SSBs sentralitetsklasse 2024 fra vedlegget «Kommuner etter fylke og sentralitet» i "
    "«Regionale utviklingstrekk 2025»"
)
REFERENCE_FIELDS = ("latitude", "longitude", "sami_area", "number_2020")


class ReferenceDataError(Exception):
    """The shipped reference file is broken; a programming error, not user input."""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadResult:
    offices: Counts = field(default_factory=Counts)
    counties: Counts = field(default_factory=Counts)
    municipalities: Counts = field(default_factory=Counts)
    # Counties whose office differs from the file because the coordinator changed it: kept.
    kept_county_offices: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in (self.offices, self.counties, self.municipalities))


@dataclass(frozen=True)
class _MunicipalityRow:
    number: str
    name: str
    name_norwegian: str
    county_number: str
    centrality: int | None
    latitude: float | None
    longitude: float | None
    sami_area: bool
    number_2020: str


@dataclass(frozen=True)
class _Reference:
    offices: list[dict[str, str]]
    counties: dict[str, tuple[str, str]]  # number → (name, office code)
    municipalities: list[_MunicipalityRow]


@dataclass
class _Plan:
    result: LoadResult = field(default_factory=LoadResult)
    new_offices: list[Office] = field(default_factory=list)
    new_counties: list[County] = field(default_factory=list)
    renamed_counties: list[tuple[County, history.Snapshot]] = field(default_factory=list)
    new_municipalities: list[Municipality] = field(default_factory=list)
    changed_municipalities: list[tuple[Municipality, history.Snapshot, list[str]]] = field(default_factory=list)


def load_reference(
    *, csv_path: Path = MUNICIPALITIES_CSV, offices_path: Path = OFFICES_CSV, by: User | None = None
) -> LoadResult:
    """Create or update offices, counties and municipalities from the files; idempotent."""
    reference = _read_reference(csv_path, offices_path)
    plan = _plan(reference, lock=False)
    if not plan.result.changed:
        return plan.result
    with transaction.atomic():
        # Plan again under lock, so that nothing saved since the first look is overwritten.
        plan = _plan(reference, lock=True)
        _apply(plan, by=by)
    return plan.result


# Reading the files


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _municipality_row(row: dict[str, str]) -> _MunicipalityRow:
    return _MunicipalityRow(
        number=row["kommunenummer"],
        name=row["kommune"],
        name_norwegian=row["kommune_norsk"],
        county_number=row["fylkesnummer"],
        centrality=int(row["sentralitet_2024"]) if row["sentralitet_2024"].strip() else None,
        latitude=_optional_float(row["lat"]),
        longitude=_optional_float(row["lon"]),
        sami_area=row["samisk_forvaltningsomrade"] == "ja",
        number_2020=row["kommunenummer_2020"].strip(),
    )


def _read_reference(csv_path: Path, offices_path: Path) -> _Reference:
    offices = _read_rows(offices_path)
    counties: dict[str, tuple[str, str]] = {}
    municipalities = []
    for line, row in enumerate(_read_rows(csv_path), start=2):
        try:
            municipalities.append(_municipality_row(row))
            counties[row["fylkesnummer"]] = (row["fylke"], OFFICE_CODES[row["alis_kontor"]])
        except (KeyError, ValueError) as error:
            raise ReferenceDataError(f"{csv_path.name}, linje {line}: {error!r}") from error
    return _Reference(offices=offices, counties=counties, municipalities=municipalities)


# Comparing with what is stored


def _plan(reference: _Reference, *, lock: bool) -> _Plan:
    plan = _Plan()
    offices = _plan_offices(plan, reference)
    counties = _plan_counties(plan, reference, offices)
    _plan_municipalities(plan, reference, counties, lock=lock)
    return plan


def _plan_offices(plan: _Plan, reference: _Reference) -> dict[str, Office]:
    offices = {office.code: office for office in Office.objects.all()}
    for row in reference.offices:
        if row["code"] in offices:
            plan.result.offices.unchanged += 1
            continue
        office = Office(code=row["code"], name=row["name"], location=row["location"], ordering=int(row["ordering"]))
        offices[office.code] = office
        plan.new_offices.append(office)
        plan.result.offices.created += 1
    return offices


def _plan_counties(plan: _Plan, reference: _Reference, offices: dict[str, Office]) -> dict[str, County]:
    counties = {county.number: county for county in County.objects.select_related("office")}
    for number, (name, office_code) in reference.counties.items():
        county = counties.get(number)
        if county is None:
            county = County(number=number, name=name, office=offices[office_code])
            counties[number] = county
            plan.new_counties.append(county)
            plan.result.counties.created += 1
            continue
        if county.office.code != office_code:
            plan.result.kept_county_offices.append(f"{county.name} ({county.office})")
        if county.name == name:
            plan.result.counties.unchanged += 1
            continue
        before = history.snapshot(county)
        county.name = name
        plan.renamed_counties.append((county, before))
        plan.result.counties.updated += 1
    return counties


def _wanted_changes(municipality: Municipality, row: _MunicipalityRow, county: County) -> dict[str, object]:
    """The fields to change; `None` or "" in the file is unknown and never replaces a known value."""
    changes: dict[str, object] = {}
    for name in FILL_ONLY_FIELDS:
        value = getattr(row, name)
        if value not in (None, "") and getattr(municipality, name) in (None, ""):
            changes[name] = value
    for name in REFERENCE_FIELDS:
        value = getattr(row, name)
        if value not in (None, "") and getattr(municipality, name) != value:
            changes[name] = value
    # The source of a class that is the file's, also one filled before sources were kept.
    centrality = changes.get("centrality", municipality.centrality)
    if row.centrality is not None and centrality == row.centrality and not municipality.centrality_source:
        changes["centrality_source"] = CENTRALITY_SOURCE
    if municipality.county_id is None or municipality.county_id != county.pk:
        changes["county"] = county
    return changes


def _new_municipality(row: _MunicipalityRow, county: County) -> Municipality:
    return Municipality(
        number=row.number,
        name=row.name,
        name_norwegian=row.name_norwegian,
        county=county,
        centrality=row.centrality,
        centrality_source=CENTRALITY_SOURCE if row.centrality is not None else "",
        latitude=row.latitude,
        longitude=row.longitude,
        sami_area=row.sami_area,
        number_2020=row.number_2020,
    )


def _plan_municipalities(plan: _Plan, reference: _Reference, counties: dict[str, County], *, lock: bool) -> None:
    stored = Municipality.objects.select_related("county")
    if lock:
        stored = stored.select_for_update()
    municipalities = {m.number: m for m in stored}
    # A number SSB has replaced (imported from KLASS 131's changes) is the municipality under its new one.
    replaced = set(NumberChange.objects.values_list("old_number", flat=True))
    counts = plan.result.municipalities
    for row in reference.municipalities:
        if row.number in replaced and row.number not in municipalities:
            counts.unchanged += 1
            continue
        county = counties[row.county_number]
        municipality = municipalities.get(row.number)
        if municipality is None:
            plan.new_municipalities.append(_new_municipality(row, county))
            counts.created += 1
            continue
        changes = _wanted_changes(municipality, row, county)
        if not changes:
            counts.unchanged += 1
            continue
        before = history.snapshot(municipality)
        for name, value in changes.items():
            setattr(municipality, name, value)
        plan.changed_municipalities.append((municipality, before, list(changes)))
        counts.updated += 1


# Writing


def _created(model: type[Model], objects: list, key: str) -> list:
    """bulk_create, making sure each object has its primary key (needed for the history)."""
    model._default_manager.bulk_create(objects)
    missing = [getattr(obj, key) for obj in objects if obj.pk is None]
    if missing:  # a database that can not return the new keys from a bulk insert
        pks = dict(model._default_manager.filter(**{f"{key}__in": missing}).values_list(key, "pk"))
        for obj in objects:
            obj.pk = obj.pk or pks[getattr(obj, key)]
    return objects


def _apply(plan: _Plan, *, by: User | None) -> None:
    for office in _created(Office, plan.new_offices, "code"):
        history.record(instance=office, by=by, before=None)
    for county in _created(County, plan.new_counties, "number"):
        history.record(instance=county, by=by, before=None)
    for county, before in plan.renamed_counties:
        County.objects.filter(pk=county.pk).update(name=county.name, version=F("version") + 1)
        history.record(instance=county, by=by, before=before)
    for municipality in _created(Municipality, plan.new_municipalities, "number"):
        history.record(instance=municipality, by=by, before=None)
    _save_changed_municipalities(plan.changed_municipalities, by=by)


def _save_changed_municipalities(
    changed: list[tuple[Municipality, history.Snapshot, list[str]]], *, by: User | None
) -> None:
    if not changed:
        return
    fields = sorted({name for _, _, names in changed for name in names})
    Municipality.objects.bulk_update([m for m, _, _ in changed], fields)
    # Bumped so that a form opened before this load notices the change instead of overwriting it.
    Municipality.objects.filter(pk__in=[m.pk for m, _, _ in changed]).update(version=F("version") + 1)
    for municipality, before, _ in changed:
        history.record(instance=municipality, by=by, before=before)
