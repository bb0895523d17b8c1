"""The annual report to Helsedirektoratet, built once as plain data and rendered four ways (HTML, PDF, XLSX, JSON).

Every table is a list of rows whose first cell is the row's label. A table with a `pivot` column can be put
side by side for all offices: the national view takes that column from each office's report.
Everything is computed as of 31 December of the year (registration status, ongoing ALIS, retention), never
from today's status, so that a report for a past year stays the same when the data moves on.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courses.models import Course, Supervises
from courses.statistics import course_lines, with_counts
from office import retention
from office.models import Activity, AnnualReport, Inquiry, InquiryTopic, Partner, StaffMember
from registry.models import Office, RegistrationStatus, Specialty
from training import overview as ov
from training.models import ONGOING, Contract, LeavingReason, Scheme, Status, Training

Cell = str | int | float | date | None
RETENTION_YEARS = (1, 2, 3, 4, 5)
# The two contract types the offices compare retention by (issue 5: salaried vs self-employed).
RETENTION_CONTRACTS = (Contract.SALARIED, Contract.SELF_EMPLOYED)


def _plain(value: object) -> Cell:
    return value if value is None or isinstance(value, int | float | date | str) else str(value)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    footer: list[Cell] | None = None
    pivot: int | None = None  # the column compared across offices in the national view
    additive: bool = True  # whether the national view adds a sum over the offices
    note: str = ""

    def __post_init__(self) -> None:
        # Choice labels are lazy translations: make every cell a plain value, as JSON and Excel need.
        self.title, self.note = str(self.title), str(self.note)
        self.columns = [str(c) for c in self.columns]
        self.rows = [[_plain(v) for v in row] for row in self.rows]
        self.footer = [_plain(v) for v in self.footer] if self.footer is not None else None

    def headings(self) -> list[tuple[str, bool]]:
        """Each column's heading and whether it holds numbers (aligned right)."""
        return [
            (
                column,
                index > 0
                and any(
                    isinstance(row[index], int | float) for row in [*self.rows, self.footer or []] if index < len(row)
                ),
            )
            for index, column in enumerate(self.columns)
        ]


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    empty: str = ""  # shown instead of tables when there is nothing to show


@dataclass
class Report:
    office: str  # the office's short name, or "" for the national view
    office_name: str
    year: int
    as_of: date
    sections: list[Section]
    goals_reached: str = ""
    comments: str = ""
    offices: list[str] = field(default_factory=list)  # national view: the offices side by side

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def year_end(year: int) -> date:
    return date(year, 12, 31)


def ongoing_on(day: date) -> QuerySet:
    """Trainings ongoing on a day: started on or before it and not ended before it.

    A training that ended without a date counts as ongoing only while its status is still active or leave.
    """
    return Training.objects.filter(start__lte=day).filter(
        Q(ended_on__gte=day) | Q(ended_on__isnull=True, status__in=ONGOING)
    )


# The sections, each from one office and year


def staff_section(office: Office, year: int) -> Section:
    staff = StaffMember.objects.filter(office=office, start__lte=year_end(year)).filter(
        Q(end__isnull=True) | Q(end__gte=date(year, 1, 1))
    )
    rows = [[s.name, s.title, s.position_percent, s.start] for s in staff.order_by("start", "name")]
    summary = [
        [_("Antall ansatte"), len(rows)],
        [_("Årsverk"), round(sum(row[2] for row in rows) / 100, 2)],
    ]
    return Section(
        "staff",
        _("Ansatte ved kontoret"),
        [
            Table(
                "staff",
                _("Ansatte i løpet av året"),
                [_("Navn"), _("Stilling"), _("Stillingsprosent"), _("Startdato")],
                rows,
            ),
            Table("staff_summary", _("Bemanning"), [_("Bemanning"), _("Antall")], summary, pivot=1),
        ],
    )


REGISTRATION_LABELS = {
    RegistrationStatus.REGISTERED: gettext_noop("Antall registrerte utdanningsvirksomheter"),
    RegistrationStatus.PENDING: gettext_noop("Antall kommuner som har søknad til behandling"),
    RegistrationStatus.TEMPORARY: gettext_noop("Antall kommuner som har midlertidig innvilget"),
    RegistrationStatus.NOT_APPLIED: gettext_noop("Antall kommuner som ikke har søkt"),
}


def registration_section(office: Office, year: int) -> Section:
    """Status as training institution on 31.12, from the registration history (issue 5, point 5)."""
    tables = []
    for table in ov.registration_tables(ov.registration_rows(office, on=year_end(year))):
        rows = [[_(REGISTRATION_LABELS[row.status]), row.count, row.centrality_6, row.comment] for row in table.rows]
        tables.append(
            Table(
                f"registration_{table.specialty}",
                _("%(specialty)s: status per 31.12.%(year)s") % {"specialty": table.label, "year": year},
                [_("Status"), _("Antall"), _("Sentralitetsgrad 6"), _("Kommentar")],
                rows,
                pivot=1,
            )
        )
    return Section("registration", _("Registrerte utdanningsvirksomheter"), tables)


def courses_section(office: Office, year: int) -> Section:
    """Supervisor courses whose first gathering is in the year, with the courses app's own counting."""
    courses = (
        Course.objects.filter(office=office).annotate(first_day=Min("gatherings__start")).filter(first_day__year=year)
    )
    courses = list(with_counts(courses).prefetch_related("gatherings").order_by("first_day", "title"))
    lines = course_lines(courses)
    rows = [
        [
            course.title,
            line.where_when,
            line.participants,
            line.specialists,
            line.completed,
            *(line.supervises[value] for value in Supervises.values),
        ]
        for course, line in zip(courses, lines, strict=True)
    ]
    totals = [sum(row[i] for row in rows) for i in range(2, 5 + len(Supervises.values))]
    summary = [
        [_("Kurs"), len(rows)],
        [_("Deltakere"), totals[0]],
        [_("Spesialister i allmennmedisin"), totals[1]],
        [_("Fullført (alle samlinger)"), totals[2]],
    ]
    supervises = [_("Veileder for %(whom)s") % {"whom": label} for label in Supervises.labels]
    return Section(
        "courses",
        _("Veilederkurs"),
        [
            Table("courses_summary", _("Veilederkurs i året"), [_("Veilederkurs"), _("Antall")], summary, pivot=1),
            Table(
                "courses",
                _("Kursene med deltakere og spesialister"),
                [_("Kurs"), _("Sted og tid"), _("Deltakere"), _("Spesialister"), _("Fullført"), *supervises],
                rows,
                footer=[_("Sum"), "", *totals],
                note=_("Bekreftede påmeldinger. Fullført: møtt på alle samlingene."),
            ),
        ],
    )


def activities_section(office: Office, year: int) -> Section:
    activities = Activity.objects.filter(office=office).in_year(year)
    by_kind = {
        row["kind"]: row
        for row in activities.values("kind").annotate(n=Count("pk"), people=Sum("participants")).order_by()
    }
    rows = [
        [kind.label, by_kind.get(kind.value, {}).get("n", 0), by_kind.get(kind.value, {}).get("people") or 0]
        for kind in Activity.Kind
    ]
    listing = [
        [a.date, a.get_kind_display(), a.theme, a.place, a.with_whom, a.participants]
        for a in activities.order_by("date", "pk")
    ]
    return Section(
        "activities",
        _("Utadrettede aktiviteter"),
        [
            Table(
                "activities_by_kind",
                _("Aktiviteter etter type"),
                [_("Type"), _("Antall"), _("Deltakere")],
                rows,
                footer=[_("Sum"), sum(r[1] for r in rows), sum(r[2] for r in rows)],
                pivot=1,
            ),
            Table(
                "activities",
                _("Aktivitetene"),
                [_("Dato"), _("Type"), _("Tema"), _("Sted"), _("Med hvem"), _("Deltakere")],
                listing,
            ),
        ],
    )


def inquiry_counts(inquiries: QuerySet) -> tuple[list[list[Cell]], int, float]:
    """Inquiries per topic (every active topic, and retired ones that were used) with hours spent."""
    used = {
        row["topics"]: row
        for row in inquiries.values("topics").annotate(n=Count("pk"), minutes=Sum("minutes")).order_by()
    }
    rows = [
        [topic.name, used.get(topic.pk, {}).get("n", 0), round((used.get(topic.pk, {}).get("minutes") or 0) / 60, 1)]
        for topic in InquiryTopic.objects.all()
        if topic.active or topic.pk in used
    ]
    total = inquiries.aggregate(n=Count("pk"), minutes=Sum("minutes"))
    return rows, total["n"], round((total["minutes"] or 0) / 60, 1)


def inquiries_by_month(inquiries: QuerySet) -> list[int]:
    months = Counter(inquiries.values_list("date__month", flat=True))
    return [months.get(m, 0) for m in range(1, 13)]


def inquiries_section(office: Office, year: int) -> Section:
    inquiries = Inquiry.objects.filter(office=office).in_year(year)
    rows, total, hours = inquiry_counts(inquiries)
    months = inquiries_by_month(inquiries)
    return Section(
        "inquiries",
        _("Henvendelser"),
        [
            Table(
                "inquiries_by_topic",
                _("Henvendelser etter emne"),
                [_("Emne"), _("Antall"), _("Timer")],
                rows,
                footer=[_("Henvendelser i alt"), total, hours],
                pivot=1,
                note=_("En henvendelse kan gjelde flere emner og telles da under hvert av dem."),
            ),
            Table(
                "inquiries_by_month",
                _("Henvendelser per måned"),
                [_("Måned"), _("Antall")],
                [[str(MONTHS[m]).capitalize(), months[m - 1]] for m in range(1, 13)],
                footer=[_("Sum"), sum(months)],
                pivot=1,
            ),
        ],
    )


def partners_section(office: Office, year: int) -> Section:
    meetings = Q(activities__date__year=year)
    partners = (
        Partner.objects.filter(office=office)
        .annotate(meetings=Count("activities", filter=meetings))
        .order_by("kind", "name")
    )
    listing = [[p.name, p.get_kind_display(), p.meetings] for p in partners]
    by_kind = Counter()
    partner_count = Counter()
    for p in partners:
        by_kind[p.kind] += p.meetings
        partner_count[p.kind] += 1
    summary = [[kind.label, partner_count[kind.value], by_kind[kind.value]] for kind in Partner.Kind]
    return Section(
        "partners",
        _("Samarbeidspartnere og møter"),
        [
            Table(
                "partners_by_kind",
                _("Møter med samarbeidspartnere etter type"),
                [_("Type"), _("Partnere"), _("Møter")],
                summary,
                footer=[_("Sum"), sum(r[1] for r in summary), sum(r[2] for r in summary)],
                pivot=2,
            ),
            Table("partners", _("Samarbeidspartnerne"), [_("Partner"), _("Type"), _("Møter i året")], listing),
        ],
    )


def alis_section(office: Office, year: int) -> Section:
    """ALIS in training on 31.12 by contract and scheme, and by specialty."""
    trainings = ongoing_on(year_end(year)).in_office(office.pk)
    cells = Counter(trainings.values_list("contract", "scheme").order_by())
    rows = []
    for contract in Contract:
        new, old = cells[(contract.value, Scheme.NEW)], cells[(contract.value, Scheme.OLD)]
        rows.append([contract.label, new, old, new + old])
    footer = [_("Sum"), *(sum(r[i] for r in rows) for i in (1, 2, 3))]
    by_specialty = Counter(trainings.values_list("specialty", "scheme").order_by())
    specialty_rows = []
    for specialty in Specialty:
        new, old = by_specialty[(specialty.value, Scheme.NEW)], by_specialty[(specialty.value, Scheme.OLD)]
        specialty_rows.append([specialty.label, new, old, new + old])
    columns = ["", Scheme.NEW.label, Scheme.OLD.label, _("Sum")]
    return Section(
        "alis",
        _("ALIS per 31.12 etter ordning og tilknytning"),
        [
            Table(
                "alis_by_contract",
                _("ALIS etter tilknytning og ordning"),
                [_("Tilknytning"), *columns[1:]],
                rows,
                footer=footer,
                pivot=3,
            ),
            Table(
                "alis_by_specialty",
                _("ALIS etter spesialitet og ordning"),
                [_("Spesialitet"), *columns[1:]],
                specialty_rows,
                pivot=3,
            ),
        ],
    )


@dataclass
class RetentionGroup:
    key: str
    label: str
    steps: list[retention.Step]
    count: int


def retention_groups(trainings: QuerySet, on: date, *, by: str = "contract") -> list[RetentionGroup]:
    """Kaplan–Meier per group as seen on `on`: all, then by contract (salaried, self-employed) or by start cohort."""
    rows = list(trainings.values_list("start", "status", "ended_on", "contract"))
    grouped: dict[str, list[retention.Observation]] = {"all": []}
    labels = {"all": _("Alle")}
    for start, status, ended_on, contract in rows:
        seen = retention.observation(start=start, status=status, ended_on=ended_on, on=on)
        if seen is None:
            continue
        grouped["all"].append(seen)
        key = contract if by == "contract" else cohort(start.year)
        if by == "contract" and contract not in RETENTION_CONTRACTS:
            continue
        grouped.setdefault(key, []).append(seen)
    if by == "contract":
        for contract in RETENTION_CONTRACTS:
            grouped.setdefault(contract.value, [])
            labels[contract.value] = contract.label
    else:
        for key in grouped:
            labels.setdefault(key, key)
    order = ["all", *sorted(k for k in grouped if k != "all")]
    return [RetentionGroup(k, labels[k], retention.kaplan_meier(grouped[k]), len(grouped[k])) for k in order]


def cohort(year: int) -> str:
    """Start cohorts of two years, so that each curve has enough ALIS to say something."""
    first = year - (year % 2 == 0)
    return f"{first}–{first + 1}"


def retention_table(groups: list[RetentionGroup], key: str = "retention") -> Table:
    rows = []
    for years in RETENTION_YEARS:
        row: list[Cell] = [_("%(n)s år") % {"n": years}]
        for group in groups:
            share = retention.survival_at(group.steps, years * 12)
            row.append(None if share is None else round(100 * share, 1))
        rows.append(row)
    footer = [_("Antall utdanningsløp"), *(g.count for g in groups)]
    return Table(
        key,
        _("Andel fortsatt i stilling etter tid siden start (%)"),
        [_("Tid siden start"), *(g.label for g in groups)],
        rows,
        footer=footer,
        pivot=1,
        additive=False,
        note=_("Kaplan–Meier. Fullført utdanning og pågående løp regnes som sensurert, ikke som å slutte."),
    )


def endings_table(trainings: QuerySet, year: int) -> Table:
    ended = trainings.filter(ended_on__year=year)
    statuses = Counter(ended.values_list("status", flat=True).order_by())
    reasons = Counter(ended.filter(status=Status.LEFT).values_list("leaving_reason", flat=True).order_by())
    rows: list[list[Cell]] = [[_("Fullført"), statuses[Status.COMPLETED]], [_("Sluttet"), statuses[Status.LEFT]]]
    for reason in LeavingReason:
        rows.append([_("Sluttet: %(reason)s") % {"reason": reason.label}, reasons[reason.value]])
    if reasons[""]:
        rows.append([_("Sluttet: årsak ikke oppgitt"), reasons[""]])
    return Table("endings", _("Avsluttede utdanningsløp i året"), [_("Utfall"), _("Antall")], rows, pivot=1)


def retention_section(office: Office, year: int) -> Section:
    trainings = Training.objects.in_office(office.pk)
    groups = retention_groups(trainings, year_end(year))
    return Section(
        "retention",
        _("Stabilitet: ALIS som blir i stillingen"),
        [retention_table(groups), endings_table(trainings, year)],
    )


SECTIONS: list[Callable[[Office, int], Section]] = [
    staff_section,
    registration_section,
    courses_section,
    activities_section,
    inquiries_section,
    partners_section,
    alis_section,
    retention_section,
]


def build_report(office: Office, year: int) -> Report:
    texts = AnnualReport.objects.filter(office=office, year=year).first()
    return Report(
        office=office.code,
        office_name=office.name,
        year=year,
        as_of=year_end(year),
        sections=[section(office, year) for section in SECTIONS],
        goals_reached=texts.goals_reached if texts else "",
        comments=texts.comments if texts else "",
    )


def national_report(year: int) -> Report:
    """All offices side by side: one table per office table with a pivot column, a column per office."""
    offices = list(Office.objects.all())
    reports = [build_report(office, year) for office in offices]
    names = [office.name for office in offices]
    sections = []
    for index, section in enumerate(reports[0].sections if reports else []):
        tables = []
        for t_index, table in enumerate(section.tables):
            if table.pivot is None:
                continue
            tables.append(_side_by_side([r.sections[index].tables[t_index] for r in reports], names))
        sections.append(Section(section.key, section.title, tables, empty=section.empty))
    return Report(
        office="",
        office_name=_("Alle ALIS-kontorer"),
        year=year,
        as_of=year_end(year),
        sections=sections,
        offices=names,
    )


def _side_by_side(tables: list[Table], names: list[str]) -> Table:
    first = tables[0]
    pivot = first.pivot
    labels: list[Cell] = []
    values: dict[Cell, list[Cell]] = {}
    for position, table in enumerate(tables):
        for row in table.rows:
            if row[0] not in values:
                labels.append(row[0])
                values[row[0]] = [None] * len(tables)
            values[row[0]][position] = row[pivot]
    rows = [[label, *values[label]] for label in labels]
    footer = None
    if first.footer is not None:
        footer = [first.footer[0], *(t.footer[pivot] if t.footer else None for t in tables)]
    if first.additive:
        rows = [[*row, sum(v or 0 for v in row[1:])] for row in rows]
        if footer:
            footer = [*footer, sum(v or 0 for v in footer[1:])]
    title = f"{first.title} – {first.columns[pivot]}" if first.columns[pivot] not in ("", _("Antall")) else first.title
    columns = [first.columns[0], *names, *([_("Sum")] if first.additive else [])]
    return Table(first.key, title, columns, rows, footer=footer, pivot=None, additive=first.additive, note=first.note)
