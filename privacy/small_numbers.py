"""Small numbers hidden from Helsedirektoratet's reader, the same on the pages, in the reports and in the API.

Every count of persons the aggregate reader sees goes through `core.suppression.for_viewer` (counts from 1 to 4
as «<5», and a second cell wherever a total would reveal one). The tables are built once here, for the page and
the API alike, each as one whole with every total it can be summed to (the country, each office, county and
municipality together), so that no level, office or filter reveals by subtraction what another hides:

- `alis_table`: ongoing ALIS by office, county and municipality (the overview; API /aggregates/alis/),
- `hospital_table`: planned hospital service by health trust and half-year (the overview; the API),
- `course_table`: the course statistics per course, office and in all (the page, its export; the API),
- `report`: the annual report's tables that count people (`Table.people`), in every format,
- the hooks `overview`, `course_statistics` and `retention` put the suppressed numbers into those pages.

For users who read personal data nothing changes: the same structures hold the exact numbers.
"""

import copy
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.utils.translation import ngettext

from core import tableversions
from core.charts import Bar, bars
from core.suppression import Count, for_viewer, hides_small_numbers, suppress_grid
from courses.models import Supervises
from registry.models import Office
from training import overview as ov
from training import rules
from training.models import Contract

ALIS_COLUMNS = ["total", "new", "old", "no_supervisor", *Contract.values]
COURSE_COLUMNS = ["participants", "specialists", "completed", *(f"supervises_{v}" for v in Supervises.values)]


def _alis_values(counts: ov.AlisCounts) -> list[int]:
    return [counts.total, counts.new, counts.old, counts.no_supervisor, *(counts.contracts[c] for c in Contract.values)]


def _alis_counts(row: ov.AlisCounts, cells: list[Count]) -> ov.AlisCounts:
    """The row with its counts as shown (Count objects: «<5» where hidden)."""
    total, new, old, no_supervisor, *contracts = cells
    return replace(
        row, total=total, new=new, old=old, no_supervisor=no_supervisor,
        contracts=dict(zip(Contract.values, contracts, strict=True)),
    )  # fmt: skip


@dataclass
class AlisTable:
    """Ongoing ALIS at every level: row 0 the country, then the offices, the counties and the municipalities."""

    rows: list[ov.AlisCounts]
    cells: list[list[Count]]
    office_index: dict[int, int]
    county_index: dict[int, int]
    municipality_index: dict[int, int]

    def shown(self, index: int) -> ov.AlisCounts:
        return _alis_counts(self.rows[index], self.cells[index])


def alis_table(user: Any, day: date) -> AlisTable:
    office_rows, national = ov.alis_by_office(day)
    county_rows, _total = ov.alis_by_county(day)
    municipality_rows, _total = ov.alis_by_municipality(None, day)
    table = [national, *office_rows, *county_rows, *municipality_rows]
    first_county, first_municipality = 1 + len(office_rows), 1 + len(office_rows) + len(county_rows)
    office_index = {row.link.pk: i for i, row in enumerate(office_rows, start=1)}
    county_index = {row.link.pk: i for i, row in enumerate(county_rows, start=first_county)}
    municipality_index = {row.link.pk: i for i, row in enumerate(municipality_rows, start=first_municipality)}
    counties_of, municipalities_of = defaultdict(list), defaultdict(list)
    for i, row in enumerate(county_rows, start=first_county):
        counties_of[office_index[row.link.office_id]].append(i)
    for i, row in enumerate(municipality_rows, start=first_municipality):
        municipalities_of[county_index[row.link.county_id]].append(i)
    groups = [(0, list(office_index.values())), *counties_of.items(), *municipalities_of.items()]
    row_sums = [(0, [1, 2]), (0, list(range(4, len(ALIS_COLUMNS))))]
    cells = for_viewer(user, [_alis_values(row) for row in table], groups=groups, row_sums=row_sums)
    return AlisTable(table, cells, office_index, county_index, municipality_index)


@dataclass
class HospitalTable:
    """Planned hospital service per half-year: row 0 the country, then its trusts; then each office, its trusts."""

    half_years: list[tuple[date, date]]
    trusts: list[str]
    values: list[list[int]]
    cells: list[list[Count]]
    office_total_rows: dict[int, int]
    office_trust_rows: dict[int, list[int]]

    def for_office(self, office: Office | None) -> tuple[list[tuple[str, list[Count]]], list[Count]]:
        """The trusts with demand in scope, and the total, as the overview lists them."""
        shown = list(range(1, 1 + len(self.trusts))) if office is None else self.office_trust_rows[office.pk]
        total = self.cells[0] if office is None else self.cells[self.office_total_rows[office.pk]]
        rows = [(name, self.cells[i]) for name, i in zip(self.trusts, shown, strict=True) if any(self.values[i])]
        return rows, total


def hospital_table(user: Any, day: date) -> HospitalTable:
    """The planned hospital service per office and health trust, as the viewer may see it (small numbers hidden
    or not): kept until a table it is counted from is written to (core.tableversions), since counting it reads
    every planned period of the country."""
    key = f"hospital-table:{day}:{hides_small_numbers(user)}"
    return tableversions.kept(key, lambda: _hospital_table(user, day))


def _hospital_table(user: Any, day: date) -> HospitalTable:
    offices = list(Office.objects.all())
    demand = {o.pk: ov.hospital_demand(o, day) for o in offices}
    halves = rules.half_years(day, ov.HALF_YEARS_AHEAD)
    trusts = sorted({name for d in demand.values() for name, _values in d.rows})
    width = len(halves)
    table = [[0] * width] + [[0] * width for _trust in trusts]
    groups = [(0, list(range(1, 1 + len(trusts))))]
    office_total_rows, office_trust_rows = {}, defaultdict(list)
    national_trust_members = defaultdict(list)
    for o in offices:
        office_total_rows[o.pk] = len(table)
        table.append(list(demand[o.pk].totals))
        by_name = dict(demand[o.pk].rows)
        for t, name in enumerate(trusts):
            values = by_name.get(name, [0] * width)
            national_trust_members[1 + t].append(len(table))
            office_trust_rows[o.pk].append(len(table))
            table.append(list(values))
            for h in range(width):
                table[0][h] += values[h]
                table[1 + t][h] += values[h]
        groups.append((office_total_rows[o.pk], office_trust_rows[o.pk]))
    groups.append((0, list(office_total_rows.values())))
    groups += list(national_trust_members.items())
    cells = for_viewer(user, table, groups=groups)
    return HospitalTable(halves, trusts, table, cells, office_total_rows, dict(office_trust_rows))


def _course_values(line) -> list[int]:
    return [line.participants, line.specialists, line.completed, *(line.supervises[v] for v in Supervises.values)]


@dataclass
class CourseTable:
    """Course statistics: row 0 all courses, then each office, then each course (`course_rows`, in order)."""

    cells: list[list[Count]]
    office_rows: dict[int, int]
    course_rows: list[int]


def course_table(user: Any, courses: list, lines: list) -> CourseTable:
    width = len(COURSE_COLUMNS)
    table = [[0] * width]
    office_rows = {}
    for o in Office.objects.all():
        office_rows[o.pk] = len(table)
        table.append([0] * width)
    course_rows = []
    members = defaultdict(list)
    for course, line in zip(courses, lines, strict=True):
        values = _course_values(line)
        members[office_rows[course.office_id]].append(len(table))
        course_rows.append(len(table))
        table.append(values)
        for i, value in enumerate(values):
            table[0][i] += value
            table[office_rows[course.office_id]][i] += value
    groups = [(0, list(office_rows.values())), *members.items()]
    cells = for_viewer(user, table, groups=groups, row_sums=[(0, list(range(3, width)))])
    return CourseTable(cells, office_rows, course_rows)


# --- The pages ---------------------------------------------------------------------------------------------------


def overview(user: Any, context: dict) -> dict:
    """The overview page's counts of persons as the user may see them (training.views.overview)."""
    if not hides_small_numbers(user):
        return context
    office = context["office"]
    table = alis_table(user, context["today"])
    if office is not None:
        total = table.shown(table.office_index[office.pk])
        area = [table.shown(table.municipality_index[row.link.pk]) for row in context["area_rows"]]
    else:
        total = table.shown(0)
        area = [table.shown(table.county_index[row.link.pk]) for row in context["area_rows"]]
    if context.get("office_rows"):
        office_rows = [table.shown(table.office_index[row.link.pk]) for row in context["office_rows"][0]]
        context["office_rows"] = (office_rows, table.shown(0))
    hospital = hospital_table(user, context["today"])
    rows, totals = hospital.for_office(office)
    context |= {
        "total": total,
        "area_rows": area,
        "hospital": replace(context["hospital"], rows=rows, totals=totals),
        "hospital_chart": _chart(list(zip(context["half_year_labels"], totals, strict=True))),
        "contract_chart": _chart([(label, total.contracts[key]) for key, label in context["contracts"]]),
    }
    return context


def _chart(series: list[tuple[str, Count]]) -> list[Bar]:
    """Bars of suppressed counts: a hidden count draws no bar and says «<5»."""
    drawn = bars([(label, 0 if count.suppressed else count.value) for label, count in series])
    return [Bar(bar.label, count, bar.percent) for bar, (_label, count) in zip(drawn, series, strict=True)]


@dataclass
class CourseLine:
    """A course's line of statistics as shown, with its counts hidden where they must be."""

    where_when: str
    participants: Count
    specialists: Count
    completed: Count
    supervises: dict[str, Count]

    @property
    def line(self) -> str:
        """As courses.rules.CourseStatistics.line, with «<5» where a count is hidden."""
        participants, specialists = self.participants, self.specialists
        counts = ngettext("%(n)s deltaker", "%(n)s deltakere", _many(participants)) % {"n": participants}
        specialists = ngettext("%(n)s spesialist", "%(n)s spesialister", _many(specialists)) % {"n": specialists}
        return f"{self.where_when}: {counts}, {specialists}"


def _many(count: Count) -> int:
    """The number that picks the plural form: a hidden count («<5») reads as several."""
    return 2 if count.suppressed else count.value


def _course_line(line, cells: list[Count]) -> CourseLine:
    participants, specialists, completed, *supervises = cells
    return CourseLine(
        line.where_when, participants, specialists, completed, dict(zip(Supervises.values, supervises, strict=True))
    )


def course_statistics(user: Any, rows: list[tuple]) -> tuple[list[tuple], dict | None]:
    """The course statistics' rows (course, line) and totals as the user may see them; totals None for the
    exact ones, which the page adds up itself."""
    if not hides_small_numbers(user):
        return rows, None
    courses = [course for course, _line in rows]
    table = course_table(user, courses, [line for _course, line in rows])
    shown = [
        (course, _course_line(line, table.cells[index]))
        for (course, line), index in zip(rows, table.course_rows, strict=True)
    ]
    participants, specialists, completed, *supervises = table.cells[0]  # the sum of the courses shown
    totals = {
        "participants": participants,
        "specialists": specialists,
        "completed": completed,
        "supervises": dict(zip(Supervises.values, supervises, strict=True)),
    }
    return shown, totals


def report(user: Any, built: Any) -> Any:
    """The annual report with its tables of people suppressed for the aggregate reader (every format is made
    from these tables: the page, HTML, PDF, Excel, CSV and JSON)."""
    return suppressed_report(built) if hides_small_numbers(user) else built


def suppressed_report(built: Any) -> Any:
    """A copy of the report with its tables of people suppressed (the report itself may be a cached one,
    core.tableversions.kept, shared with readers who see every number)."""
    built = copy.deepcopy(built)
    for section in built.sections:
        for table in section.tables:
            if table.people:
                table.rows, table.footer = suppress_grid(table.rows, table.footer)
    return built


def retention(user: Any, context: dict) -> dict:
    """The retention page: its tables as the report's; no curve of a group whose count is hidden (each step of
    a Kaplan–Meier curve of a few is one person leaving)."""
    if not hides_small_numbers(user):
        return context
    context = copy.deepcopy(context)  # its figures are shared (core.tableversions.kept)
    views = []
    for title, key, chart, table in context["views"]:
        table.rows, table.footer = suppress_grid(table.rows, table.footer)
        hidden = {column - 1 for column, cell in enumerate(table.footer or []) if isinstance(cell, str) and column}
        views.append((title, key, replace(chart, curves=[c for c in chart.curves if c.series not in hidden]), table))
    for name in ("stays", "leaving", "endings"):
        table = context[name]
        table.rows, table.footer = suppress_grid(table.rows, table.footer)
    context["views"] = views
    return context
