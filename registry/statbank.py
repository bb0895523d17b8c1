"""Import SSB's table 12005 (regular-GP lists per municipality and year) from its statistics bank.

Source: SSB, statistikkbanken tabell 12005 «Fastlegelister og fastlegekonsultasjoner», from the
regular-GP register, per 31 December (RULES.md, "Regular GPs"). The offices give recruitment-weak
municipalities special attention (seed 004); lists without a doctor and open lists show which they are.

The file is read as SSB serves it, in either of two shapes:

- CSV from the statistics bank's "save as" or the PxWeb API (`format=csv`): an optional title line
  («12005: Fastlegelister og fastlegekonsultasjoner, etter region, statistikkvariabel og år»), then a
  header whose first columns are the table's variables placed in the stub (region, and perhaps
  statistikkvariabel and år) and whose other columns are the values for the variables placed in the
  heading, named by their texts joined by a space («Fastlegelister uten lege 2023», «2023»). A region
  is «3101 Halden» (code and text) or «3101»; ";", "," or a tab between columns; a decimal comma or
  point; UTF-8 or ISO-8859-1. This layout was checked against PxWeb's CSV serializer
  (github.com/PxTools/PCAxis.Serializers, CsvSerializer: stub names, then the concatenated heading
  values).
- JSON-stat (`format=json-stat2`, or version 1 `json-stat` with the dataset under a name): the
  dimensions region (id `KOKkommuneregion0000` or `Region`, or role geo), statistikkvariabel
  (`ContentsCode`, role metric) and år (`Tid`, role time), values in row-major order.

Variables are recognised by their Norwegian text, as the table names them (not by code): an English
download is refused with a message. SSB's symbols «.», «..», «...», «:» and «x» mean the figure is not
there (not applicable, not available, confidential): it stays unknown, never 0. «-» is SSB's symbol for
nil (exactly zero) and is read as 0.

Regions that are not municipalities (the country, counties) are left out. A municipality number the
register does not know is shown and left out, unless SSB replaced it one to one
(`registry.models.NumberChange`) after the year of the figure: then the figure belongs to the
municipality under its new number.
"""

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import history
from registry.models import GpListStatistics, Municipality, NumberChange, SsbImport
from registry.ssb import SsbApplyError, SsbFileError, decode

TABLE = "12005"
MAX_BYTES = 20_000_000  # every variable, every year, every region as CSV is a few MB
SYMBOLS_UNKNOWN = {".", "..", "...", ":", "x"}
SYMBOL_NIL = "-"
REGION = re.compile(r"^(?:K[-_])?(\d{4})(?:\s.*)?$")  # «3101 Halden», «3101», «K-3101»
SHORT_REGION = re.compile(r"^(\d{3})(?:\s.*)?$")  # «301 Oslo» after a spreadsheet dropped the zero
YEAR = re.compile(r"(?:^|\s)((?:19|20|21)\d{2})(?:\s|$)")
UNIT_SUFFIX = re.compile(r"\s*\((antall|prosent|kr)\)$")
STUB_VARIABLE = {"statistikkvariabel", "contents", "contentscode", "statistical variable"}
STUB_YEAR = {"år", "tid", "year"}


@dataclass(frozen=True)
class Indicator:
    field: str
    labels: tuple[str, ...]  # the table's texts, lower case, without the unit
    decimals: bool = False
    signed: bool = False
    maximum: Decimal | None = None


INDICATORS = (
    Indicator("agreements", ("antall fastlegeavtaler",)),
    Indicator("lists_without_doctor", ("fastlegelister uten lege",)),
    Indicator("patients_without_doctor", ("antall pasienter på fastlegeliste uten lege",)),
    Indicator("share_without_doctor", ("andel pasienter på liste uten lege",), decimals=True, maximum=Decimal(100)),
    Indicator("open_lists", ("antall åpne fastlegelister",)),
    Indicator("average_list_length", ("gjennomsnittlig listelengde",), decimals=True),
    Indicator("capacity", ("kapasitet hos fastlegene (iht. liste)", "kapasitet hos fastlegene")),
    Indicator("spare_capacity", ("reservekapasitet fastlege",), signed=True),
)
BY_LABEL = {label: indicator for indicator in INDICATORS for label in indicator.labels}
FIELDS = [indicator.field for indicator in INDICATORS]
DECIMAL_FIELDS = {indicator.field for indicator in INDICATORS if indicator.decimals}


def field_label(name: str) -> str:
    return str(GpListStatistics._meta.get_field(name).verbose_name)


class Shape:
    CSV = "CSV"
    JSON_STAT = "JSON-stat"


@dataclass(frozen=True)
class RowError:
    row: int | None
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ProposedValue:
    number: str
    municipality: str
    year: int
    field: str
    old: Decimal | int | None
    new: Decimal | int | None
    new_row: bool  # the municipality has no figures for the year yet

    @property
    def label(self) -> str:
        return field_label(self.field)

    @property
    def decimals(self) -> int:
        return 1 if self.field in DECIMAL_FIELDS else 0


@dataclass(frozen=True)
class UnknownRegion:
    row: int | None
    number: str
    name: str


@dataclass
class StatbankPlan:
    shape: str
    encoding: str
    changes: list[ProposedValue] = field(default_factory=list)
    unknown: list[UnknownRegion] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_variables: list[str] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)  # the fields the file has
    years: list[int] = field(default_factory=list)
    municipalities: int = 0
    unknown_values: int = 0  # cells with a symbol: left unknown
    unchanged: int = 0  # municipality-years whose figures are as stored
    not_municipalities: int = 0  # the country, counties and other regions

    @property
    def has_writes(self) -> bool:
        return bool(self.changes)

    @property
    def changed_municipalities(self) -> int:
        return len({(c.number, c.year) for c in self.changes})

    @property
    def new_rows(self) -> int:
        return len({(c.number, c.year) for c in self.changes if c.new_row})

    def fingerprint(self) -> str:
        writes = [[c.number, c.year, c.field, str(c.old), str(c.new)] for c in self.changes]
        return hashlib.sha256(json.dumps(writes).encode()).hexdigest()


@dataclass(frozen=True)
class _Cell:
    row: int | None
    where: str  # how the message names the cell when it has no row: «Halden (3101), 2023»
    region: str  # the municipality number, or "" for a region that is not a municipality
    region_name: str
    variable: str
    year: str
    value: str | float | int | None
    status: str = ""


def parse(*, data: bytes) -> StatbankPlan:
    """Read a 12005 file and compare it with what is stored; writes nothing. SsbFileError if it is not one."""
    text, encoding = decode(data, max_bytes=MAX_BYTES)
    if text.lstrip().startswith(("{", "[")):
        plan = StatbankPlan(shape=Shape.JSON_STAT, encoding=encoding)
        cells = _json_stat_cells(text)
    else:
        plan = StatbankPlan(shape=Shape.CSV, encoding=encoding)
        cells = _csv_cells(text)
    figures = _figures(cells, plan)
    _compare(figures, plan)
    return plan


def looks_like_table(data: bytes) -> bool:
    """Whether the file is from the statistics bank (JSON-stat, or CSV with a region column) rather than KLASS."""
    head = data[:4000].lstrip(b"\xef\xbb\xbf \r\n\t")
    if head.startswith((b"{", b"[")):
        return True
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    return _header(text.splitlines()) is not None


# Reading CSV


def _normal(text: str) -> str:
    return " ".join(str(text).split()).strip().lower()


def _label(text: str) -> str:
    return UNIT_SUFFIX.sub("", _normal(text))


def _is_region(column: str) -> bool:
    """«region», or its code column («KOKkommuneregion0000», «Region») when codes are shown beside texts."""
    name = _normal(column)
    return "region" in name or name == "kommune"


def _header(lines: list[str]) -> tuple[int, str, list[str]] | None:
    """The header's line index, the separator and the columns: the first line with a region column."""
    for index, line in enumerate(lines[:10]):
        for separator in (";", ",", "\t"):
            columns = next(csv.reader([line], delimiter=separator), [])
            if len(columns) >= 2 and any(_is_region(c) for c in columns):
                return index, separator, columns
    return None


def _table_id(title: str) -> str | None:
    match = re.match(r'^\s*"?(\d{5})\s*:', title)
    return match.group(1) if match else None


def _check_table(title: str) -> None:
    found = _table_id(title)
    if found and found != TABLE:
        raise SsbFileError(_("Fila er SSB-tabell %(found)s, ikke %(table)s.") % {"found": found, "table": TABLE})


def _region(text: str) -> tuple[str, str]:
    """The municipality number and the name from «3101 Halden»; ("", text) for a region that is not one."""
    text = text.strip()
    match = REGION.match(text) or SHORT_REGION.match(text)
    if not match:
        return "", text
    return match.group(1).zfill(4), text[match.end(1) :].strip()


def _split_heading(text: str, *, has_variable: bool, has_year: bool) -> tuple[str, str]:
    """A value column's heading as (variable, year): «Fastlegelister uten lege 2023», «2023», «… lege»."""
    text = " ".join(text.split())
    year = ""
    if not has_year:
        matches = list(YEAR.finditer(text))
        if matches:
            found = matches[-1] if text.endswith(matches[-1].group(1)) else matches[0]
            year = found.group(1)
            text = (text[: found.start()] + " " + text[found.end() :]).strip()
    return ("" if has_variable else text), year


def _csv_cells(text: str) -> list[_Cell]:
    lines = text.splitlines()
    found = _header(lines)
    if found is None:
        first = next((line for line in lines if line.strip()), "")
        _check_table(first)
        raise SsbFileError(
            _(
                "Fila er ikke en tabell fra SSBs statistikkbank: fant ingen kolonne «region» i «%(found)s». "
                "Last ned tabell 12005 med region, statistikkvariabel og år."
            )
            % {"found": first[:200]}
        )
    index, separator, columns = found
    for title in lines[:index]:
        _check_table(title)
    names = [_normal(c) for c in columns]
    region_columns = [i for i, c in enumerate(columns) if _is_region(c)]
    variable_column = next((i for i, n in enumerate(names) if n in STUB_VARIABLE), None)
    year_column = next((i for i, n in enumerate(names) if n in STUB_YEAR), None)
    stub = {*region_columns, variable_column, year_column}
    value_columns = [i for i in range(len(columns)) if i not in stub]
    if not value_columns:
        raise SsbFileError(_("Fila har ingen kolonner med tall."))
    headings = {
        i: _split_heading(columns[i], has_variable=variable_column is not None, has_year=year_column is not None)
        for i in value_columns
    }
    body = "\n".join(lines[index + 1 :])
    cells = []
    try:
        for offset, values in enumerate(csv.reader(io.StringIO(body), delimiter=separator)):
            row = index + 2 + offset
            if not any(v.strip() for v in values):
                continue
            values += [""] * (len(columns) - len(values))
            number, name = "", values[region_columns[0]].strip()
            for column in region_columns:  # with codes and texts, either column gives the number
                number, name = _region(values[column])
                if number:
                    name = _region(values[region_columns[-1]])[1] or name
                    break
            for column in value_columns:
                variable, year = headings[column]
                cells.append(
                    _Cell(
                        row=row,
                        where="",
                        region=number,
                        region_name=name,
                        variable=values[variable_column] if variable_column is not None else variable,
                        year=values[year_column].strip() if year_column is not None else year,
                        value=values[column].strip(),
                    )
                )
    except csv.Error as error:
        raise SsbFileError(_("Fila kan ikke leses som CSV (%s).") % error) from error
    if not cells:
        raise SsbFileError(_("Fila har overskrifter, men ingen rader."))
    return cells


# Reading JSON-stat


def _dataset(document: object) -> dict:
    """The dataset of JSON-stat 2 (the document itself) or 1 (under "dataset" or another name)."""
    if isinstance(document, dict) and document.get("class") == "dataset":
        return document
    if isinstance(document, dict):
        for value in document.values():
            if isinstance(value, dict) and "dimension" in value and "value" in value:
                return value
    raise SsbFileError(_("JSON-fila er ikke et datasett i JSON-stat-formatet fra SSBs statistikkbank."))


def _category(dimension: dict) -> tuple[list[str], dict[str, str]]:
    category = dimension.get("category") or {}
    index = category.get("index")
    labels = category.get("label") or {}
    if isinstance(index, list):
        codes = [str(code) for code in index]
    elif isinstance(index, dict):
        codes = [code for code, _position in sorted(index.items(), key=lambda item: item[1])]
    else:
        codes = list(labels)
    return codes, {code: str(labels.get(code, code)) for code in codes}


def _role(dataset: dict, dimensions: dict, ids: list[str], role: str, names: set[str]) -> str | None:
    roles = dataset.get("role") or dimensions.get("role") or {}
    for candidate in roles.get(role) or []:
        if candidate in ids:
            return candidate
    return next((i for i in ids if i.lower() in names or (role == "geo" and "region" in i.lower())), None)


def _json_stat_cells(text: str) -> list[_Cell]:
    try:
        dataset = _dataset(json.loads(text))
    except json.JSONDecodeError as error:
        raise SsbFileError(_("JSON-fila kan ikke leses (%s).") % error.msg) from error
    _check_table(str(dataset.get("label", "")))
    table = ((dataset.get("extension") or {}).get("px") or {}).get("tableid")
    if table and str(table) != TABLE:
        raise SsbFileError(_("Fila er SSB-tabell %(found)s, ikke %(table)s.") % {"found": table, "table": TABLE})
    dimensions = dataset.get("dimension") or {}
    ids = [str(i) for i in (dataset.get("id") or dimensions.get("id") or [])]
    sizes = [int(s) for s in (dataset.get("size") or dimensions.get("size") or [])]
    if not ids or len(ids) != len(sizes) or any(i not in dimensions for i in ids):
        raise SsbFileError(_("JSON-fila mangler dimensjonene (id og size) som JSON-stat skal ha."))
    geo = _role(dataset, dimensions, ids, "geo", {"region"})
    time = _role(dataset, dimensions, ids, "time", {"tid", "år"})
    metric = _role(dataset, dimensions, ids, "metric", {"contentscode"})
    if geo is None or time is None or metric is None:
        raise SsbFileError(_("Fila må ha dimensjonene region, statistikkvariabel og år."))
    categories = {i: _category(dimensions[i]) for i in ids}
    for i, size in zip(ids, sizes, strict=True):
        if i not in (geo, time, metric) and size != 1:
            label = (dimensions[i].get("label") or i) if isinstance(dimensions[i], dict) else i
            raise SsbFileError(_("Fila har flere verdier av «%s»; last ned tabellen med én.") % label)
    values, statuses = dataset.get("value"), dataset.get("status") or {}

    def at(position: int, source: object) -> object:
        if isinstance(source, list):
            return source[position] if position < len(source) else None
        if isinstance(source, dict):
            return source.get(str(position))
        return source if isinstance(source, str) else None

    strides = [1] * len(sizes)
    for k in range(len(sizes) - 2, -1, -1):
        strides[k] = strides[k + 1] * sizes[k + 1]
    cells = []
    for position in range(_product(sizes)):
        coordinates = {i: (position // strides[k]) % sizes[k] for k, i in enumerate(ids)}
        region_code = categories[geo][0][coordinates[geo]]
        region_name = categories[geo][1][region_code]
        number = _region(region_code)[0]
        year_code = categories[time][0][coordinates[time]]
        variable_code = categories[metric][0][coordinates[metric]]
        variable = categories[metric][1][variable_code]
        cells.append(
            _Cell(
                row=None,
                where=f"{region_name} ({region_code}), {categories[time][1][year_code]}",
                region=number,
                region_name=region_name,
                variable=variable,
                year=year_code,
                value=at(position, values),
                status=str(at(position, statuses) or ""),
            )
        )
    return cells


def _product(sizes: list[int]) -> int:
    total = 1
    for size in sizes:
        total *= size
    return total


# From cells to figures


def _error(plan: StatbankPlan, cell: _Cell, message: str) -> None:
    where = _("Rad %d") % cell.row if cell.row is not None else cell.where
    plan.errors.append(RowError(cell.row, f"{where}: {message}"))


def _number(cell: _Cell, indicator: Indicator, plan: StatbankPlan) -> tuple[bool, Decimal | int | None]:
    """(read, value): the figure, None when SSB marks it as missing; read is False after an error."""
    raw = cell.value
    if raw is None:
        if cell.status.strip() == SYMBOL_NIL:
            return True, 0
        plan.unknown_values += 1
        return True, None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        _error(plan, cell, _("«%s» er ikke et tall.") % raw)
        return False, None
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if text in SYMBOLS_UNKNOWN or text == "":
        plan.unknown_values += 1
        return True, None
    if text == SYMBOL_NIL:
        return True, 0
    try:
        value = Decimal(text.replace(",", ".") if "." not in text else text)
    except InvalidOperation:
        value = None
    problem = _problem(value, indicator)
    if problem:
        _error(plan, cell, problem % {"value": raw, "variable": cell.variable, "max": indicator.maximum})
        return False, None
    if indicator.decimals:
        return True, value.quantize(Decimal("0.1"))
    return True, int(value)


def _problem(value: Decimal | None, indicator: Indicator) -> str:
    """What is wrong with a figure (a message with %(value)s and %(variable)s), or ""."""
    if value is None or not value.is_finite():
        return _("«%(value)s» er ikke et tall (%(variable)s).")
    if value < 0 and not indicator.signed:
        return _("«%(value)s» kan ikke være negativt (%(variable)s).")
    if indicator.maximum is not None and value > indicator.maximum:
        return _("«%(value)s» er over %(max)s (%(variable)s).")
    if abs(value) >= 10_000_000:
        return _("«%(value)s» er for stort (%(variable)s).")
    if not indicator.decimals and value != value.to_integral_value():
        return _("«%(value)s» skal være et helt tall (%(variable)s).")
    return ""


Figures = dict[tuple[str, int], dict[str, Decimal | int | None]]


def _year(cell: _Cell, plan: StatbankPlan) -> int | None:
    text = str(cell.year).strip()
    if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
        _error(plan, cell, _("«%s» er ikke et år (2000–2100).") % text if text else _("året mangler."))
        return None
    return int(text)


def _figures(cells: list[_Cell], plan: StatbankPlan) -> Figures:
    """Each municipality-year's figures; conflicting duplicates and bad values become row errors."""
    figures: Figures = {}
    first_row: dict[tuple[str, int, str], _Cell] = {}
    ignored: dict[str, None] = {}
    years: set[int] = set()
    fields: set[str] = set()
    for cell in cells:
        indicator = BY_LABEL.get(_label(cell.variable))
        if indicator is None:
            if str(cell.variable).strip():
                ignored[" ".join(str(cell.variable).split())] = None
            continue
        fields.add(indicator.field)
        if not cell.region:
            plan.not_municipalities += 1
            continue
        year = _year(cell, plan)
        read, value = _number(cell, indicator, plan)
        if year is None or not read:
            continue
        key = (cell.region, year, indicator.field)
        seen = first_row.setdefault(key, cell)
        figure = figures.setdefault((cell.region, year), {})
        if seen is not cell and figure.get(indicator.field) != value:
            other = _("rad %d") % seen.row if seen.row is not None else seen.where
            message = _("%(region)s %(year)d, «%(variable)s» står også på %(other)s med en annen verdi.") % {
                "region": cell.region,
                "year": year,
                "variable": cell.variable,
                "other": other,
            }
            _error(plan, cell, message)
            continue
        figure[indicator.field] = value
        years.add(year)
    plan.ignored_variables = list(ignored)
    if not fields:
        variables = "; ".join(list(ignored)[:6]) or _("ingen")
        raise SsbFileError(
            _(
                "Fila har ingen av variablene fra tabell 12005 som brukes her (fant: %(found)s). "
                "Last ned tabellen på norsk (bokmål) med for eksempel «Fastlegelister uten lege» og "
                "«Antall åpne fastlegelister»."
            )
            % {"found": variables[:300]}
        )
    plan.variables = [f for f in FIELDS if f in fields]
    plan.years = sorted(years)
    return figures


# Comparing with what is stored


def _municipalities(numbers: set[str]) -> dict[str, tuple[Municipality, date | None]]:
    """Each number's municipality: its own, or the one SSB renumbered it to (with the day of the change)."""
    found = {m.number: (m, None) for m in Municipality.objects.filter(number__in=numbers)}
    changes = NumberChange.objects.filter(old_number__in=numbers - set(found)).select_related("municipality")
    for change in changes:
        found[change.old_number] = (change.municipality, change.changed_on)
    return found


def _compare(figures: Figures, plan: StatbankPlan) -> None:
    numbers = {number for number, _year in figures}
    municipalities = _municipalities(numbers)
    stored = {
        (s.municipality_id, s.year): s
        for s in GpListStatistics.objects.filter(
            municipality__in=[m for m, _day in municipalities.values()], year__in=plan.years
        )
    }
    unknown: dict[str, None] = {}
    covered: set[int] = set()
    targets: dict[tuple[int, int], str] = {}
    for (number, year), values in sorted(figures.items()):
        found = municipalities.get(number)
        # An old number counts only for the years before SSB replaced it: the figures are per 31 December.
        if found is None or (found[1] is not None and date(year, 12, 31) >= found[1]):
            unknown[number] = None
            continue
        municipality = found[0]
        key = (municipality.pk, year)
        if key in targets and targets[key] != number:
            plan.errors.append(
                RowError(
                    None,
                    _("%(name)s %(year)d har tall både under %(a)s og %(b)s.")
                    % {"name": municipality.name, "year": year, "a": targets[key], "b": number},
                )
            )
            continue
        targets[key] = number
        covered.add(municipality.pk)
        row = stored.get(key)
        changes = [
            ProposedValue(
                municipality.number,
                municipality.name,
                year,
                name,
                getattr(row, name) if row else None,
                value,
                row is None,
            )
            for name, value in values.items()
            # A new row starts unknown: an unknown figure in the file changes nothing there.
            if (row is None and value is not None) or (row is not None and getattr(row, name) != value)
        ]
        plan.changes += changes
        if not changes:
            plan.unchanged += 1
    plan.municipalities = len(covered)
    plan.unknown = [UnknownRegion(None, number, "") for number in unknown]


# Writing


def apply(*, plan: StatbankPlan, by: User | None, source: SsbImport | None = None) -> int:
    """Save every figure of the plan with history, or nothing; the number of municipality-years written."""
    if plan.errors:
        raise SsbApplyError(_("Fila har %d feil; ingenting er lagret.") % len(plan.errors))
    by_key: dict[tuple[str, int], list[ProposedValue]] = {}
    for change in plan.changes:
        by_key.setdefault((change.number, change.year), []).append(change)
    with transaction.atomic():
        municipalities = {m.number: m for m in Municipality.objects.filter(number__in={n for n, _y in by_key})}
        locked = {
            (s.municipality.number, s.year): s
            for s in GpListStatistics.objects.select_for_update()
            .select_related("municipality")
            .filter(municipality__number__in=municipalities, year__in={y for _n, y in by_key})
        }
        new, changed, items = [], [], []
        for (number, year), proposed in by_key.items():
            row = locked.get((number, year))
            municipality = municipalities.get(number)
            if municipality is None or (row is None) != proposed[0].new_row:
                raise SsbApplyError(_("Tallene for %s er endret etter at fila ble lest; ingenting er lagret.") % number)
            before = history.snapshot(row) if row is not None else None
            row = row or GpListStatistics(municipality=municipality, year=year)
            for change in proposed:
                if getattr(row, change.field) != change.old:
                    raise SsbApplyError(
                        _("Tallene for %s er endret etter at fila ble lest; ingenting er lagret.") % municipality.name
                    )
                setattr(row, change.field, change.new)
            row.imported_from = source
            (new if before is None else changed).append(row)
            items.append((row, before, municipality))
        GpListStatistics.objects.bulk_create(new, batch_size=500)
        if new and any(row.pk is None for row in new):  # a database that does not return the new keys
            keys = {
                (s.municipality_id, s.year): s.pk
                for s in GpListStatistics.objects.filter(municipality__in=[r.municipality for r in new])
            }
            for row in new:
                row.pk = keys[(row.municipality_id, row.year)]
        GpListStatistics.objects.bulk_update(changed, [*FIELDS, "imported_from"], batch_size=500)
        history.record_many(items, by=by)
    return len(by_key)
