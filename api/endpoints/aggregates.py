"""Aggregates for Helsedirektoratet: the overview's numbers, registration, hospital demand, course statistics.

Counts of persons are suppressed (core.suppression) for roles that may not see personal data. The tables are
built and suppressed in privacy.small_numbers, the same for the overview page, the course statistics and here:
each as one whole with every total it can be summed to (the country, each office, county and municipality
together), so that no level, office or filter reveals by subtraction what another hides.
"""

from datetime import date
from typing import Annotated, Literal

from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field, create_model

from api.endpoints.common import LIST, today
from api.formschema import ApiDate, OfficeCode
from api.problems import ApiProblem, FieldError
from core import tableversions
from core.suppression import THRESHOLD, Count, hides_small_numbers
from courses.models import Course
from courses.statistics import course_lines, with_counts
from privacy.small_numbers import ALIS_COLUMNS, COURSE_COLUMNS, alis_table, course_table, hospital_table
from registry.models import CENTRALITY_CLASSES, Office
from training import overview as ov
from training import rules

router = Router(tags=["Aggregater"])


class CountOut(Schema):
    value: int | None = Field(
        description="null når tallet er skjult (under 5 personer, eller fordi en sum ellers "
        "ville avsløre et skjult tall)."
    )
    suppressed: bool


def _counts_schema(name: str, columns: list[str]) -> type:
    return create_model(name, __base__=Schema, **dict.fromkeys(columns, (CountOut, ...)))


AlisCounts = _counts_schema("AlisCounts", ALIS_COLUMNS)
CourseCounts = _counts_schema("CourseCounts", COURSE_COLUMNS)


class Suppression(Schema):
    applied: bool = Field(description="Om små tall er skjult for rollen din.")
    threshold: int


class AlisRow(Schema):
    id: int
    code: str = Field(description="Kontorets kortnavn, fylkesnummeret eller kommunenummeret.")
    name: str
    office: str
    counts: AlisCounts


class AlisAggregate(Schema):
    on: date
    level: Literal["office", "county", "municipality"]
    office: str | None
    suppression: Suppression
    rows: list[AlisRow]
    total: AlisCounts


def _scope(request: HttpRequest, office: str | None) -> Office | None:
    """The office whose numbers to show, as on the overview page: staff always their own."""
    if office and not Office.objects.filter(code=office).exists():
        raise ApiProblem(422, errors=[FieldError(field="office", message=_("Ukjent kontor."))])
    return ov.office_scope(request.user, office)


def _count(cell: Count) -> dict:
    return {"value": cell.value, "suppressed": cell.suppressed}


def _as_counts(columns: list[str], cells: list[Count]) -> dict:
    return {column: _count(cell) for column, cell in zip(columns, cells, strict=True)}


@router.get("/aggregates/alis/", response={200: AlisAggregate, **LIST}, summary="ALIS per kontor, fylke eller kommune")
def alis(
    request: HttpRequest,
    level: Literal["office", "county", "municipality"] = "county",
    office: OfficeCode | None = None,
):
    """Oversiktens tall: pågående ALIS i alt, i ny og gammel ordning, uten veileder, og per tilknytning.
    Rådgivere ser sitt eget kontor; andre velger kontor med `office` (utelatt: hele landet)."""
    day = today()
    scope = _scope(request, office)
    user = request.user
    # The finished JSON is kept per data change (core.tableversions): at municipality level it is some 3 600
    # counts, and validating them took half the request's time (issue 16). It is validated once, when built.
    # The aggregate reader (no personal data) gets small numbers hidden: a body of its own (core.suppression).
    key = f"api:aggregates:alis:{level}:{scope.pk if scope else 'all'}:{day}:{hides_small_numbers(user)}"
    body = tableversions.kept(
        key, lambda: AlisAggregate.model_validate(_alis_body(user, day, scope, level)).model_dump_json()
    )
    return HttpResponse(body, content_type="application/json")


def _alis_body(user, day: date, scope: Office | None, level: str) -> dict:
    built = alis_table(user, day)
    table, cells, office_index = built.rows, built.cells, built.office_index
    first_county = 1 + len(office_index)
    first_municipality = first_county + len(built.county_index)
    county_office = {table[i].link.pk: table[i].link.office_id for i in built.county_index.values()}
    office_codes = {table[i].link.pk: table[i].link.code for i in office_index.values()}

    def office_of(i: int) -> int:
        link = table[i].link
        if i < first_county:
            return link.pk
        return link.office_id if i < first_municipality else county_office[link.county_id]

    span = {
        "office": range(1, first_county),
        "county": range(first_county, first_municipality),
        "municipality": range(first_municipality, len(table)),
    }[level]
    shown = [i for i in span if scope is None or office_of(i) == scope.pk]
    total_index = 0 if scope is None else office_index[scope.pk]
    return {
        "on": day,
        "level": level,
        "office": scope.code if scope else None,
        "suppression": {"applied": not user.reads_personal_data, "threshold": THRESHOLD},
        "rows": [
            {
                "id": table[i].link.pk,
                "code": getattr(table[i].link, "code", None) or table[i].link.number,
                "name": table[i].label,
                "office": office_codes[office_of(i)],
                "counts": _as_counts(ALIS_COLUMNS, cells[i]),
            }
            for i in shown
        ],
        "total": _as_counts(ALIS_COLUMNS, cells[total_index]),
    }


class HalfYear(Schema):
    key: str = Field(description="ÅÅÅÅ-1 eller ÅÅÅÅ-2.")
    label: str
    start: date
    end: date


class DemandRow(Schema):
    health_trust: str
    counts: list[CountOut] = Field(description="ALIS med planlagt sykehustjeneste, per halvår i `half_years`.")


class HospitalDemand(Schema):
    on: date
    office: str | None
    suppression: Suppression
    half_years: list[HalfYear]
    rows: list[DemandRow]
    total: list[CountOut]


@router.get(
    "/aggregates/hospital-demand/",
    response={200: HospitalDemand, **LIST},
    summary="Planlagt sykehustjeneste per helseforetak og halvår",
)
def hospital_demand(request: HttpRequest, office: OfficeCode | None = None):
    """Pågående ALIS som har planlagt institusjonstjeneste, per helseforetak, de neste seks halvårene."""
    day = today()
    scope = _scope(request, office)
    built = hospital_table(request.user, day)
    halves = built.half_years
    # Like the overview, only the trusts with demand in scope are listed.
    shown, total = built.for_office(scope)
    rows = [{"health_trust": name, "counts": [_count(c) for c in cells]} for name, cells in shown]
    return {
        "on": day,
        "office": scope.code if scope else None,
        "suppression": {"applied": not request.user.reads_personal_data, "threshold": THRESHOLD},
        "half_years": [
            {"key": f"{s.year}-{1 if s.month == 1 else 2}", "label": rules.half_year_label(s), "start": s, "end": e}
            for s, e in halves
        ],
        "rows": rows,
        "total": [_count(c) for c in total],
    }


class CourseRow(Schema):
    id: int
    title: str
    office: str
    where_when: str = Field(description="Sted og samlingsdatoer slik årsrapporten skriver dem.")
    first_day: date
    counts: CourseCounts


class CourseOfficeRow(Schema):
    office: str
    name: str
    counts: CourseCounts


class CourseStatistics(Schema):
    year: int
    office: str | None
    suppression: Suppression
    courses: list[CourseRow]
    offices: list[CourseOfficeRow]
    total: CourseCounts


@router.get("/aggregates/courses/", response={200: CourseStatistics, **LIST}, summary="Kursstatistikk for ett år")
def courses(
    request: HttpRequest,
    year: Annotated[int, Field(ge=2000, le=2100, description="Året for kursets første samling.")],
    office: OfficeCode | None = None,
):
    """Per veilederkurs: deltakere, spesialister, fullført, og hvem deltakerne veileder (som i årsrapporten)."""
    if office and not Office.objects.filter(code=office).exists():
        raise ApiProblem(422, errors=[FieldError(field="office", message=_("Ukjent kontor."))])
    found = (
        with_counts(Course.objects.annotate(first_day=Min("gatherings__start")))
        .filter(first_day__year=year)
        .select_related("office")
        .prefetch_related("gatherings")
        .order_by("first_day", "title", "pk")
    )
    found = list(found)
    lines = course_lines(found)
    offices = list(Office.objects.all())
    built = course_table(request.user, found, lines)
    cells, office_rows, course_rows = built.cells, built.office_rows, built.course_rows
    return {
        "year": year,
        "office": office,
        "suppression": {"applied": not request.user.reads_personal_data, "threshold": THRESHOLD},
        "courses": [
            {
                "id": course.pk,
                "title": course.title,
                "office": course.office.code,
                "where_when": line.where_when,
                "first_day": course.first_day,
                "counts": _as_counts(COURSE_COLUMNS, cells[row]),
            }
            for course, line, row in zip(found, lines, course_rows, strict=True)
            if not office or course.office.code == office
        ],
        "offices": [
            {"office": o.code, "name": o.name, "counts": _as_counts(COURSE_COLUMNS, cells[office_rows[o.pk]])}
            for o in offices
            if not office or o.code == office
        ],
        "total": _as_counts(COURSE_COLUMNS, cells[0]),
    }


class StatusCount(Schema):
    status: str
    label: str
    count: int
    centrality_6: int
    by_centrality: dict[str, int] = Field(description="Kommuner per sentralitetsklasse 1–6 og «unknown» (ukjent).")
    by_county: dict[str, int]


class SpecialtyRegistration(Schema):
    specialty: str
    label: str
    statuses: list[StatusCount]


class RegistrationAggregate(Schema):
    on: date
    office: str | None
    specialties: list[SpecialtyRegistration]


@router.get(
    "/aggregates/registration/",
    response={200: RegistrationAggregate, **LIST},
    summary="Kommunenes registrering som utdanningsvirksomhet",
)
def registration(
    request: HttpRequest,
    office: OfficeCode | None = None,
    on: Annotated[ApiDate | None, Field(description="Status på denne dagen (standard: i dag).")] = None,
):
    """Antall kommuner per registreringsstatus og sentralitet. Tallene er kommuner, ikke personer, og skjules
    derfor ikke."""
    day = on or today()
    scope = _scope(request, office)
    tables = ov.registration_tables(ov.registration_rows(scope, on=day))
    keys = [*(str(c) for c in CENTRALITY_CLASSES), "unknown"]
    return {
        "on": day,
        "office": scope.code if scope else None,
        "specialties": [
            {
                "specialty": table.specialty,
                "label": str(table.label),
                "statuses": [
                    {
                        "status": row.status,
                        "label": str(row.label),
                        "count": row.count,
                        "centrality_6": row.centrality_6,
                        "by_centrality": dict(zip(keys, classes, strict=True)),
                        "by_county": dict(row.by_county),
                    }
                    for row, (_label, classes) in zip(table.rows, table.by_centrality, strict=True)
                ],
            }
            for table in tables
        ],
    }
