"""Import SSB's classification exports (KLASS) into the municipality register.

Two classifications matter here:

- KLASS 131, "Standard for kommuneinndeling": one level; `code` is the municipality number, `name` the
  official name (with a Sami or Kven name, the language forms are joined by " - ",
  e.g. "Guovdageaidnu - Kautokeino").
- KLASS 128, "Standard for sentralitet": level 1 holds the classes 1–6 (code "6", name "Minst sentrale
  kommuner"), level 2 the municipalities, each with its class as `parentCode`. SSB's correspondence
  table between 131 and 128 (`sourceCode;sourceName;…;targetCode;targetName;…`) says the same.
- KLASS 131's changes (`/classifications/131/changes`: oldCode, oldName, oldShortName, newCode, newName,
  newShortName, changeOccurred; an empty oldCode is a new municipality, an empty newCode one that ceased),
  or a correspondence table between two versions of 131 (municipality numbers on both sides): the
  numbers SSB replaced. A one-to-one change renumbers the municipality (when the register still has the
  old number) and is recorded (`NumberChange`); a split or a merger is shown and left to a person.

Codes are read as SSB writes them and as a spreadsheet leaves them: a class "06" or "6", a municipality
"0301" or "301" (the leading zero a spreadsheet drops).

The layout was checked against the source of SSB's KLASS API (github.com/statisticsnorway/klass,
klass-api): `CodeItem` writes the columns code, parentCode, level, name, shortName, presentationName,
validFrom, validTo, notes (a `/codes` export over a date range adds validFromInRequestedRange and
validToInRequestedRange before notes); `CorrespondenceItem` writes sourceCode, sourceName,
sourceShortName, targetCode, targetName, targetShortName (then validFrom, validTo).
`AbstractCsvConverter` quotes every string, separates with ";" by default (the `csvSeparator`
parameter picks another; older versions of the API guide give ","), leaves out empty trailing
columns, and writes ISO-8859-1 unless the request asks for UTF-8 (api-guide.adoc, "Character sets");
`csvFields` may drop or reorder columns. So this reader finds columns by name, accepts ";", "," or a
tab, pads short rows, and decodes UTF-8 (with or without BOM), else Windows-1252 (which reads
ISO-8859-1 text the same).

`parse` reads a file into an `ImportPlan` and writes nothing (a dry run shows the plan); `apply` writes
the whole plan in one transaction with history, or nothing. Row numbers count the header as row 1, as
a spreadsheet shows them.
"""

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import User
from core import history
from core.validation import formula_error, looks_like_formula
from registry.models import County, Municipality, NumberChange

MAX_BYTES = 5_000_000  # KLASS 131 is about 30 kB; anything this large is not an export of it
NUMBER = re.compile(r"^\d{3,4}$")
CLASS = re.compile(r"^0?([1-6])$")
SEPARATORS = (";", ",", "\t")
CODE_COLUMNS = {"code", "name"}
CORRESPONDENCE_COLUMNS = {"sourcecode", "targetcode"}
CHANGE_COLUMNS = {"oldcode", "newcode"}
NAME_LENGTH = Municipality._meta.get_field("name").max_length


class Classification(StrEnum):
    MUNICIPALITIES = "131"
    CENTRALITY = "128"


class Layout(StrEnum):
    CODES = "codes"
    CORRESPONDENCE = "correspondence"
    CHANGES = "changes"


def municipality_number(code: str) -> str | None:
    """The number of code «0301» or «301» (as a spreadsheet leaves it): «0301»; None if it is not one."""
    code = code.strip()
    return code.zfill(4) if NUMBER.match(code) else None


def centrality_class(code: str) -> int | None:
    """The class of code «6» or «06»: 6; None when the code is not a class 1–6."""
    match = CLASS.match(code.strip())
    return int(match.group(1)) if match else None


class SsbFileError(Exception):
    """The file is not a KLASS export this importer can read; the message is for the user."""


class SsbApplyError(Exception):
    """The plan can not be saved as it is; nothing was saved. The message is for the user."""


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ProposedChange:
    number: str
    municipality: str
    field: str
    old: object
    new: object

    @property
    def label(self) -> str:
        return str(Municipality._meta.get_field(self.field).verbose_name)


@dataclass(frozen=True)
class ProposedMunicipality:
    row: int
    number: str
    name: str
    klass_name: str
    county_number: str
    county: str


@dataclass(frozen=True)
class UnknownNumber:
    row: int
    number: str
    name: str
    reason: str


@dataclass(frozen=True)
class ProposedNumberChange:
    """A one-to-one change of number: `renumber` the municipality still under the old number, else only record it."""

    row: int
    old_number: str
    old_name: str
    new_number: str
    new_name: str
    changed_on: date | None
    renumber: bool


@dataclass
class ImportPlan:
    classification: Classification
    layout: Layout
    encoding: str
    changes: list[ProposedChange] = field(default_factory=list)
    new_municipalities: list[ProposedMunicipality] = field(default_factory=list)
    number_changes: list[ProposedNumberChange] = field(default_factory=list)
    unknown: list[UnknownNumber] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[RowError] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)
    # KLASS 128: municipalities whose class stays unknown, as the file gives them none.
    still_unknown: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed_municipalities(self) -> int:
        return len({c.number for c in self.changes})

    @property
    def is_number_changes(self) -> bool:
        return self.classification == Classification.MUNICIPALITIES and self.layout != Layout.CODES

    @property
    def has_writes(self) -> bool:
        return bool(self.changes or self.new_municipalities or self.number_changes)

    def fingerprint(self) -> str:
        """What confirming would write: the same file against a changed register gives another fingerprint."""
        writes = [
            [[c.number, c.field, str(c.old), str(c.new)] for c in self.changes],
            [[m.number, m.name, m.county_number] for m in self.new_municipalities],
            [[n.old_number, n.new_number, str(n.changed_on), n.renumber] for n in self.number_changes],
        ]
        return hashlib.sha256(json.dumps(writes, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class ApplyResult:
    updated: int
    created: int
    renumbered: int = 0
    recorded: int = 0


@dataclass(frozen=True)
class _Entry:
    """One municipality in the file: its class (128) or its name (131)."""

    row: int
    number: str
    value: int | str
    name: str


Row = tuple[int, dict[str, str]]


def parse(*, data: bytes, classification: str | None = None, today: date | None = None) -> ImportPlan:
    """Read a KLASS export and compare it with the register; writes nothing.

    `classification` ("128" or "131") is found from the content when not given. Raises SsbFileError
    when the file is not a KLASS export; problems in single rows are collected in `plan.errors`.
    """
    text, encoding = decode(data)
    layout, rows = _table(text)
    chosen = _classification(layout, rows, classification)
    plan = ImportPlan(classification=chosen, layout=layout, encoding=encoding)
    if plan.is_number_changes:
        _compare_number_changes(_number_change_entries(layout, rows, plan), plan)
        return plan
    rows = _current_rows(rows, today or date.today(), plan)
    if chosen == Classification.CENTRALITY:
        entries = _centrality_entries(layout, rows, plan)
    else:
        entries = _name_entries(rows, plan)
    _compare(_unique(entries, plan), plan)
    return plan


def apply(*, plan: ImportPlan, by: User | None = None, source: str = "") -> ApplyResult:
    """Save every change and new municipality of the plan with history, or nothing at all.

    `source` says where a class came from (the file, the day); it is stored with each class changed.
    """
    if plan.errors:
        raise SsbApplyError(_("Fila har %d feil; ingenting er lagret.") % len(plan.errors))
    with transaction.atomic():
        _save_changes(plan.changes, by=by, source=source)
        _create_municipalities(plan.new_municipalities, by=by)
        renumbered, recorded = _save_number_changes(plan.number_changes, by=by)
    return ApplyResult(
        updated=plan.changed_municipalities,
        created=len(plan.new_municipalities),
        renumbered=renumbered,
        recorded=recorded,
    )


# Reading the file


def decode(data: bytes, *, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """The file's text and its character set (UTF-8, with or without BOM, else ISO-8859-1); SsbFileError if not text."""
    if not data.strip():
        raise SsbFileError(_("Fila er tom."))
    if len(data) > max_bytes:
        raise SsbFileError(_("Fila er for stor til å være en fil fra SSB (høyst %d MB).") % (max_bytes // 1_000_000))
    not_text = SsbFileError(_("Fila er ikke en tekstfil (CSV eller JSON). Last ned fila fra SSB som CSV."))
    if b"\x00" in data:
        raise not_text
    try:
        text, encoding = data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "ISO-8859-1"
        except UnicodeDecodeError:
            raise not_text from None
    if not text.strip():
        raise SsbFileError(_("Fila er tom."))
    # Binary files decode as Windows-1252 too, but a KLASS export never holds control characters.
    if any(ord(char) < 32 and char not in "\t\r\n" for char in text):
        raise not_text
    return text, encoding


def _header(line: str) -> tuple[str, list[str]] | None:
    for separator in SEPARATORS:
        columns = [c.strip().lower() for c in next(csv.reader([line], delimiter=separator))]
        if any(set(columns) >= wanted for wanted in (CODE_COLUMNS, CORRESPONDENCE_COLUMNS, CHANGE_COLUMNS)):
            return separator, columns
    return None


def _not_klass(first_line: str) -> SsbFileError:
    shown = "; ".join(c.strip().strip('"') for c in re.split(r"[;,\t]", first_line)[:10])
    return SsbFileError(
        _(
            "Fila er ikke en KLASS-eksport fra SSB: fant kolonnene «%(found)s», men ventet "
            "code;parentCode;level;name;…, sourceCode;sourceName;targetCode;targetName "
            "eller oldCode;oldName;newCode;newName;changeOccurred."
        )
        % {"found": shown[:200]}
    )


def _table(text: str) -> tuple[Layout, list[Row]]:
    first_line = text.lstrip().split("\n", 1)[0]
    found = _header(first_line)
    if found is None:
        raise _not_klass(first_line)
    separator, columns = found
    if set(columns) >= CODE_COLUMNS:
        layout = Layout.CODES
    elif set(columns) >= CORRESPONDENCE_COLUMNS:
        layout = Layout.CORRESPONDENCE
    else:
        layout = Layout.CHANGES
    # Rows are counted as a spreadsheet shows them: a quoted field spanning lines is still one row.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[Row] = []
    row = 0
    try:
        for row, values in enumerate(reader, start=1):
            if any(v.strip() for v in values):
                values += [""] * (len(columns) - len(values))  # SSB leaves out empty trailing columns
                rows.append((row, {c: v.strip() for c, v in zip(columns, values, strict=False)}))
    except csv.Error as error:
        message = _("Rad %(row)d: fila kan ikke leses som CSV (%(error)s).")
        raise SsbFileError(message % {"row": row + 1, "error": error}) from error
    rows = rows[1:]  # the header
    if not rows:
        raise SsbFileError(_("Fila har overskrifter, men ingen rader."))
    return layout, rows


def _between_numbers(rows: list[Row]) -> bool:
    """A correspondence table between two versions of 131: municipality numbers on both sides, no classes."""
    classes = sum(
        centrality_class(values["sourcecode"]) is not None or centrality_class(values["targetcode"]) is not None
        for _row, values in rows
    )
    return classes == 0


def _classification(layout: Layout, rows: list[Row], wanted: str | None) -> Classification:
    """The caller's choice when given (checked against the content), else what the content shows."""
    if layout == Layout.CHANGES or (layout == Layout.CORRESPONDENCE and _between_numbers(rows)):
        if wanted == Classification.CENTRALITY:
            raise SsbFileError(_("Fila viser endrede kommunenummer (KLASS 131), ikke sentralitet (KLASS 128)."))
        return Classification.MUNICIPALITIES
    if layout == Layout.CORRESPONDENCE:
        if wanted == Classification.MUNICIPALITIES:
            raise SsbFileError(_("Fila er en korrespondansetabell (kommune → sentralitet), altså KLASS 128, ikke 131."))
        return Classification.CENTRALITY
    two_levels = any(values.get("level", "").lstrip("0") == "2" for _row, values in rows)
    if wanted is None:
        return Classification.CENTRALITY if two_levels else Classification.MUNICIPALITIES
    if wanted == Classification.MUNICIPALITIES and two_levels:
        raise SsbFileError(_("Fila har kommuner på nivå 2 under sentralitetsklasser, som KLASS 128, ikke 131."))
    if wanted == Classification.CENTRALITY and not two_levels:
        raise SsbFileError(_("Fila har ingen kommuner på nivå 2 under en sentralitetsklasse, som KLASS 128 har."))
    return Classification(wanted)


def _row_error(plan: ImportPlan, row: int, message: str, **values: object) -> None:
    plan.errors.append(RowError(row, message % {"row": row, **values}))


def _current_rows(rows: list[Row], today: date, plan: ImportPlan) -> list[Row]:
    """Drop codes that stopped being valid (validTo is exclusive), so an old municipality is not revived."""
    current = []
    for row, values in rows:
        valid_to = values.get("validto", "")
        try:
            ended = bool(valid_to) and date.fromisoformat(valid_to) <= today
        except ValueError:
            _row_error(plan, row, _("Rad %(row)d: «%(value)s» er ikke en dato (validTo)."), value=valid_to)
            continue
        if ended:
            code = values.get("code") or values.get("sourcecode", "")
            message = _("Rad %(row)d: kode %(code)s gjaldt til %(date)s; hoppet over.")
            plan.skipped.append(RowError(row, message % {"row": row, "code": code, "date": valid_to}))
            continue
        current.append((row, values))
    return current


def _invalid_number(plan: ImportPlan, row: int, value: str) -> None:
    _row_error(plan, row, _("Rad %(row)d: «%(value)s» er ikke et gyldig kommunenummer."), value=value)


def _invalid_class(plan: ImportPlan, row: int, value: str) -> None:
    _row_error(plan, row, _("Rad %(row)d: «%(value)s» er ikke en sentralitetsklasse (1–6)."), value=value)


def _centrality_entry(row: int, code: str, centrality: str, name: str, plan: ImportPlan) -> _Entry | None:
    number, value = municipality_number(code), centrality_class(centrality)
    if number is None:
        _invalid_number(plan, row, code)
    elif value is None:
        _invalid_class(plan, row, centrality)
    else:
        return _Entry(row, number, value, name)
    return None


def _centrality_entries(layout: Layout, rows: list[Row], plan: ImportPlan) -> list[_Entry]:
    if layout == Layout.CORRESPONDENCE:
        return _correspondence_entries(rows, plan)
    entries = []
    for row, values in rows:
        level, code = values.get("level", "").lstrip("0"), values["code"]
        if level == "1":
            if centrality_class(code) is None:
                _invalid_class(plan, row, code)
        elif level == "2":
            entry = _centrality_entry(row, code, values.get("parentcode", ""), values["name"], plan)
            entries += [entry] if entry else []
        else:
            _row_error(plan, row, _("Rad %(row)d: ukjent nivå «%(level)s» (ventet 1 eller 2)."), level=level)
    return entries


def _correspondence_entries(rows: list[Row], plan: ImportPlan) -> list[_Entry]:
    """Either side may be the municipalities: the side with the codes 1–6 holds the classes."""
    target_classes = sum(centrality_class(values["targetcode"]) is not None for _row, values in rows)
    source_classes = sum(centrality_class(values["sourcecode"]) is not None for _row, values in rows)
    if not target_classes and not source_classes:
        raise SsbFileError(_("Korrespondansetabellen er ikke mellom kommuner (KLASS 131) og sentralitet (KLASS 128)."))
    municipality, centrality = ("source", "target") if target_classes >= source_classes else ("target", "source")
    entries = []
    for row, values in rows:
        entry = _centrality_entry(
            row, values[f"{municipality}code"], values[f"{centrality}code"], values.get(f"{municipality}name", ""), plan
        )
        entries += [entry] if entry else []
    return entries


def _name_entries(rows: list[Row], plan: ImportPlan) -> list[_Entry]:
    entries = []
    for row, values in rows:
        code, name = values["code"], values["name"]
        number = municipality_number(code)
        if number is None:
            _invalid_number(plan, row, code)
        elif not name:
            _row_error(plan, row, _("Rad %(row)d: kommune %(number)s mangler navn."), number=number)
        elif "?" in name:
            # SSB's default ISO-8859-1 has no š, ŋ or đ: Sami names arrive with "?" in their place.
            message = _(
                "Rad %(row)d: navnet «%(name)s» har tegn som gikk tapt (vist som «?»). "
                "Last ned fila fra KLASS med tegnsett UTF-8."
            )
            _row_error(plan, row, message, name=name)
        elif len(name) > NAME_LENGTH:
            _row_error(plan, row, _("Rad %(row)d: navnet er lengre enn %(max)d tegn."), max=NAME_LENGTH)
        elif looks_like_formula(name):
            # No municipality's name begins with =, +, - or @; such a file is not SSB's, and the name
            # would be a formula in every list exported to Excel.
            message = _("Rad %(row)d: %(message)s") % {"row": row, "message": formula_error(name)}
            plan.errors.append(RowError(row, message))
        else:
            entries.append(_Entry(row, number, name, name))
    return entries


def _unique(entries: list[_Entry], plan: ImportPlan) -> list[_Entry]:
    """One entry per municipality; the same number with two different values is an error."""
    first: dict[str, _Entry] = {}
    for entry in entries:
        seen = first.setdefault(entry.number, entry)
        if seen is not entry and seen.value != entry.value:
            message = _(
                "Rad %(row)d: kommune %(number)s står også på rad %(other)d, med en annen verdi. "
                "Last ned kodene som gjelder på én dato."
            )
            _row_error(plan, entry.row, message, number=entry.number, other=seen.row)
    return list(first.values())


@dataclass(frozen=True)
class _Change:
    row: int
    old: str
    old_name: str
    new: str
    new_name: str
    changed_on: date | None


def _change_date(row: int, values: dict[str, str], plan: ImportPlan) -> tuple[bool, date | None]:
    text = values.get("changeoccurred") or values.get("validfrom") or ""
    if not text:
        return True, None
    try:
        return True, date.fromisoformat(text)
    except ValueError:
        _row_error(plan, row, _("Rad %(row)d: «%(value)s» er ikke en dato."), value=text)
        return False, None


def _number_change_entries(layout: Layout, rows: list[Row], plan: ImportPlan) -> list[_Change]:
    """The rows as old → new numbers. In a correspondence table the side the register knows is the new one."""
    if layout == Layout.CHANGES:
        old_side, new_side = "old", "new"
    else:
        known = set(Municipality.objects.values_list("number", flat=True))
        source_known = sum(municipality_number(values["sourcecode"]) in known for _row, values in rows)
        target_known = sum(municipality_number(values["targetcode"]) in known for _row, values in rows)
        old_side, new_side = ("target", "source") if source_known > target_known else ("source", "target")
    entries = []
    for row, values in rows:
        old_code, new_code = values.get(f"{old_side}code", ""), values.get(f"{new_side}code", "")
        old, new = municipality_number(old_code), municipality_number(new_code)
        if (old_code and old is None) or (new_code and new is None):
            _invalid_number(plan, row, old_code if old_code and old is None else new_code)
            continue
        valid, changed_on = _change_date(row, values, plan)
        if not valid or old == new:
            if valid:
                plan.unchanged += 1
            continue
        old_name, new_name = values.get(f"{old_side}name", ""), values.get(f"{new_side}name", "")
        entries.append(_Change(row, old or "", old_name, new or "", new_name, changed_on))
    return entries


def _shown_day(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else _("ukjent dato")


def _manual(plan: ImportPlan, change: _Change, reason: str) -> None:
    number = change.old or change.new
    name = change.old_name if change.old else change.new_name
    plan.unknown.append(UnknownNumber(change.row, number, name, reason))


def _compare_number_changes(changes: list[_Change], plan: ImportPlan) -> None:
    """One-to-one changes renumber or are recorded; new, ceased, split and merged municipalities are shown only."""
    news: dict[str, set[str]] = defaultdict(set)
    olds: dict[str, set[str]] = defaultdict(set)
    for change in changes:
        if change.old and change.new:
            news[change.old].add(change.new)
            olds[change.new].add(change.old)
    registered = set(Municipality.objects.values_list("number", flat=True))
    recorded = set(NumberChange.objects.values_list("old_number", flat=True))
    seen: set[tuple[str, str]] = set()
    for change in changes:
        day = _shown_day(change.changed_on)
        if not change.old:
            _manual(plan, change, _("ny kommune fra %s; importer KLASS 131 for å opprette den") % day)
        elif not change.new:
            _manual(plan, change, _("opphørte %s; endres ikke") % day)
        elif len(news[change.old]) > 1:
            parts = ", ".join(sorted(news[change.old]))
            _manual(plan, change, _("delt i %(parts)s fra %(day)s; gjøres for hånd") % {"parts": parts, "day": day})
        elif len(olds[change.new]) > 1:
            parts = ", ".join(sorted(olds[change.new]))
            message = _("slått sammen fra %(parts)s til %(new)s fra %(day)s; gjøres for hånd")
            _manual(plan, change, message % {"parts": parts, "new": change.new, "day": day})
        elif (change.old, change.new) in seen:
            continue
        elif change.old in registered and change.new in registered:
            message = _("både %(old)s og %(new)s finnes i registeret; gjøres for hånd")
            _manual(plan, change, message % {"old": change.old, "new": change.new})
        elif change.old not in registered and change.new not in registered:
            message = _("verken %(old)s eller %(new)s finnes i registeret")
            _manual(plan, change, message % {"old": change.old, "new": change.new})
        elif change.old in recorded:
            plan.unchanged += 1
        else:
            plan.number_changes.append(
                ProposedNumberChange(
                    row=change.row,
                    old_number=change.old,
                    old_name=change.old_name,
                    new_number=change.new,
                    new_name=change.new_name,
                    changed_on=change.changed_on,
                    renumber=change.old in registered,
                )
            )
        seen.add((change.old, change.new))


# Comparing with the register


def _compare(entries: list[_Entry], plan: ImportPlan) -> None:
    municipalities = {m.number: m for m in Municipality.objects.select_related("county")}
    counties = {c.number: c for c in County.objects.all()}
    for entry in entries:
        municipality = municipalities.get(entry.number)
        if municipality is None:
            _unknown(entry, counties, plan)
            continue
        changes = _changes(municipality, entry, plan.classification)
        plan.changes += changes
        if not changes:
            plan.unchanged += 1
    in_file = {e.number for e in entries}
    if plan.classification == Classification.MUNICIPALITIES:
        plan.not_in_file = [str(m) for number, m in sorted(municipalities.items()) if number not in in_file]
    else:
        plan.still_unknown = [
            str(m) for number, m in sorted(municipalities.items()) if number not in in_file and m.centrality is None
        ]


def _unknown(entry: _Entry, counties: dict[str, County], plan: ImportPlan) -> None:
    county = counties.get(entry.number[:2])
    if plan.classification == Classification.CENTRALITY:
        reason = _("finnes ikke i registeret; importer KLASS 131 først")
    elif county is None:
        reason = _("fylke %s finnes ikke i registeret") % entry.number[:2]
    else:
        name = _language_forms(str(entry.value))[0]
        plan.new_municipalities.append(
            ProposedMunicipality(entry.row, entry.number, name, str(entry.value), county.number, county.name)
        )
        return
    plan.unknown.append(UnknownNumber(entry.row, entry.number, entry.name, reason))


def _language_forms(name: str) -> list[str]:
    return [part.strip() for part in name.split(" - ") if part.strip()]


def _name_changes(municipality: Municipality, klass_name: str) -> dict[str, str]:
    """The name fields to change for KLASS 131's name.

    KLASS joins a municipality's language forms in one name and does not mark which one is
    Norwegian, so a multilingual name only updates the official name (to its first form), and only
    when the registered official name is not among its forms; the Norwegian name is left for a
    person to check.
    """
    forms = _language_forms(klass_name)
    if len(forms) > 1:
        return {} if municipality.name in forms else {"name": forms[0]}
    if klass_name in (municipality.name, municipality.name_norwegian):
        return {}
    if municipality.name == municipality.name_norwegian:
        return {"name": klass_name, "name_norwegian": klass_name}
    return {"name_norwegian": klass_name}  # a single name is the Norwegian one; the Sami name stays


def _changes(municipality: Municipality, entry: _Entry, classification: Classification) -> list[ProposedChange]:
    if classification == Classification.CENTRALITY:
        wanted: dict[str, object] = {} if municipality.centrality == entry.value else {"centrality": entry.value}
    else:
        wanted = dict(_name_changes(municipality, str(entry.value)))
    return [
        ProposedChange(municipality.number, municipality.name, name, getattr(municipality, name), value)
        for name, value in wanted.items()
    ]


# Writing


def _save_changes(changes: list[ProposedChange], *, by: User | None, source: str) -> None:
    by_number: dict[str, list[ProposedChange]] = defaultdict(list)
    for change in changes:
        by_number[change.number].append(change)
    locked = Municipality.objects.select_for_update().select_related("county").filter(number__in=by_number)
    municipalities = {m.number: m for m in locked}
    for number, proposed in by_number.items():
        municipality = municipalities.get(number)
        if municipality is None:
            raise SsbApplyError(_("Kommune %s er slettet etter at fila ble lest; ingenting er lagret.") % number)
        before = history.snapshot(municipality)
        fields = {}
        for change in proposed:
            _check_unchanged(municipality, change)
            fields[change.field] = change.new
        if "centrality" in fields and source:
            fields["centrality_source"] = source[: Municipality._meta.get_field("centrality_source").max_length]
        for name, value in fields.items():
            setattr(municipality, name, value)
        # Bumped so that a form opened before the import notices the change instead of overwriting it.
        Municipality.objects.filter(pk=municipality.pk).update(**fields, version=F("version") + 1)
        history.record(instance=municipality, by=by, before=before)


def _check_unchanged(municipality: Municipality, change: ProposedChange) -> None:
    """Someone may have saved the municipality between reading the file and saving it."""
    if getattr(municipality, change.field) != change.old:
        raise SsbApplyError(
            _("%(municipality)s: «%(field)s» er endret etter at fila ble lest; ingenting er lagret. Les fila på nytt.")
            % {"municipality": municipality, "field": change.label}
        )


def _create_municipalities(proposed: list[ProposedMunicipality], *, by: User | None) -> None:
    counties = {c.number: c for c in County.objects.all()}
    for new in proposed:
        if Municipality.objects.filter(number=new.number).exists():
            raise SsbApplyError(_("Kommune %s er opprettet etter at fila ble lest; ingenting er lagret.") % new.number)
        municipality = Municipality.objects.create(
            number=new.number,
            name=new.name,
            name_norwegian=new.name,
            county=counties[new.county_number],
            notes=_("Opprettet fra SSBs KLASS 131 med navnet «%s». Sjekk norsk navn, sentralitet og koordinater.")
            % new.klass_name,
        )
        history.record(instance=municipality, by=by, before=None)


def _save_number_changes(proposed: list[ProposedNumberChange], *, by: User | None) -> tuple[int, int]:
    """Renumber the municipalities still under an old number and record every change; (renumbered, recorded)."""
    if not proposed:
        return 0, 0
    numbers = [p.old_number for p in proposed] + [p.new_number for p in proposed]
    locked = {m.number: m for m in Municipality.objects.select_for_update().filter(number__in=numbers)}
    renumbered = 0
    for change in proposed:
        if NumberChange.objects.filter(old_number=change.old_number).exists():
            raise SsbApplyError(
                _("Nummer %s er registrert som endret etter at fila ble lest; ingenting er lagret.") % change.old_number
            )
        current = change.old_number if change.renumber else change.new_number
        municipality = locked.get(current)
        if municipality is None or (change.renumber and change.new_number in locked):
            raise SsbApplyError(
                _("Kommune %s er endret etter at fila ble lest; ingenting er lagret. Les fila på nytt.") % current
            )
        if change.renumber:
            before = history.snapshot(municipality)
            municipality.number = change.new_number
            Municipality.objects.filter(pk=municipality.pk).update(number=change.new_number, version=F("version") + 1)
            history.record(instance=municipality, by=by, before=before)
            renumbered += 1
        recorded = NumberChange.objects.create(
            municipality=municipality,
            old_number=change.old_number,
            old_name=change.old_name[:100],
            changed_on=change.changed_on,
        )
        history.record(instance=recorded, by=by, before=None, parent=municipality)
    return renumbered, len(proposed)
