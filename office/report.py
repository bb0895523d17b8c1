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

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courses.models import Course, Supervises
from courses.statistics import course_lines, with_counts
from office import retention
from office.models import Activity, AnnualReport, Inquiry, InquiryTopic, Partner, StaffMember
from registry.models import Municipality, Office, RegistrationStatus, Specialty
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


# The sections of a year, each for several offices at once: one query per table, grouped by office, so that the
# national view costs the same number of queries as one office's report.

Offices = list[Office]


def _by_office(offices: Offices) -> dict[int, list]:
    return {office.pk: [] for office in offices}


def staff_sections(offices: Offices, year: int) -> dict[int, Section]:
    staff = StaffMember.objects.filter(office__in=offices, start__lte=year_end(year)).filter(
        Q(end__isnull=True) | Q(end__gte=date(year, 1, 1))
    )
    per_office = _by_office(offices)
    for s in staff.order_by("start", "name"):
        per_office[s.office_id].append([s.name, s.title, s.position_percent, s.start])
    return {pk: _staff_section(rows) for pk, rows in per_office.items()}


def _staff_section(rows: list[list[Cell]]) -> Section:
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


def registration_sections(offices: Offices, year: int) -> dict[int, Section]:
    """Status as training institution on 31.12, from the registration history (issue 5, point 5)."""
    # The rows of `ov.registration_rows`, for all the offices in one query.
    municipalities = (
        Municipality.objects.with_registration_status(year_end(year))
        .filter(county__office__in=offices)
        .values(
            "centrality",
            *(f"status_{s.value}" for s in Specialty),
            county_name=F("county__name"),
            office_id=F("county__office_id"),
        )
    )
    per_office = _by_office(offices)
    for row in municipalities:
        per_office[row["office_id"]].append(row)
    return {pk: _registration_section(rows, year) for pk, rows in per_office.items()}


def _registration_section(municipalities: list[dict], year: int) -> Section:
    tables = []
    for table in ov.registration_tables(municipalities):
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


def courses_sections(offices: Offices, year: int) -> dict[int, Section]:
    """Supervisor courses whose first gathering is in the year, with the courses app's own counting."""
    courses = (
        Course.objects.filter(office__in=offices)
        .annotate(first_day=Min("gatherings__start"))
        .filter(first_day__year=year)
    )
    courses = list(with_counts(courses).prefetch_related("gatherings").order_by("first_day", "title"))
    per_office = _by_office(offices)
    for course, line in zip(courses, course_lines(courses), strict=True):
        per_office[course.office_id].append((course, line))
    return {pk: _courses_section(lines) for pk, lines in per_office.items()}


def _courses_section(lines: list[tuple[Course, Any]]) -> Section:
    rows = [
        [
            course.title,
            line.where_when,
            line.participants,
            line.specialists,
            line.completed,
            *(line.supervises[value] for value in Supervises.values),
        ]
        for course, line in lines
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


def activities_sections(offices: Offices, year: int) -> dict[int, Section]:
    activities = Activity.objects.filter(office__in=offices).in_year(year)
    by_kind = {
        (row["office"], row["kind"]): row
        for row in activities.values("office", "kind").annotate(n=Count("pk"), people=Sum("participants")).order_by()
    }
    listings = _by_office(offices)
    for a in activities.order_by("date", "pk"):
        listings[a.office_id].append([a.date, a.get_kind_display(), a.theme, a.place, a.with_whom, a.participants])
    sections = {}
    for pk, listing in listings.items():
        rows = [
            [
                kind.label,
                by_kind.get((pk, kind.value), {}).get("n", 0),
                by_kind.get((pk, kind.value), {}).get("people") or 0,
            ]
            for kind in Activity.Kind
        ]
        sections[pk] = _activities_section(rows, listing)
    return sections


def _activities_section(rows: list[list[Cell]], listing: list[list[Cell]]) -> Section:
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
    total = inquiries.aggregate(n=Count("pk"), minutes=Sum("minutes"))
    return _topic_rows(list(InquiryTopic.objects.all()), used), total["n"], round((total["minutes"] or 0) / 60, 1)


def _topic_rows(topics: list[InquiryTopic], used: dict[int, dict]) -> list[list[Cell]]:
    return [
        [topic.name, used.get(topic.pk, {}).get("n", 0), round((used.get(topic.pk, {}).get("minutes") or 0) / 60, 1)]
        for topic in topics
        if topic.active or topic.pk in used
    ]


def inquiries_by_month(inquiries: QuerySet) -> list[int]:
    months = Counter(inquiries.values_list("date__month", flat=True))
    return [months.get(m, 0) for m in range(1, 13)]


def inquiries_sections(offices: Offices, year: int) -> dict[int, Section]:
    inquiries = Inquiry.objects.filter(office__in=offices).in_year(year)
    used = _by_office(offices)  # per office: the rows of `inquiry_counts`' count by topic
    for row in inquiries.values("office", "topics").annotate(n=Count("pk"), minutes=Sum("minutes")).order_by():
        used[row["office"]].append(row)
    totals = {
        row["office"]: row
        for row in inquiries.values("office").annotate(n=Count("pk"), minutes=Sum("minutes")).order_by()
    }
    months = Counter(
        {
            (row["office"], row["date__month"]): row["n"]
            for row in inquiries.values("office", "date__month").annotate(n=Count("pk")).order_by()
        }
    )
    topics = list(InquiryTopic.objects.all())
    sections = {}
    for pk, counted in used.items():
        rows = _topic_rows(topics, {row["topics"]: row for row in counted})
        total = totals.get(pk, {})
        hours = round((total.get("minutes") or 0) / 60, 1)
        sections[pk] = _inquiries_section(rows, total.get("n", 0), hours, [months[(pk, m)] for m in range(1, 13)])
    return sections


def _inquiries_section(rows: list[list[Cell]], total: int, hours: float, months: list[int]) -> Section:
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


def partners_sections(offices: Offices, year: int) -> dict[int, Section]:
    meetings = Q(activities__date__year=year)
    partners = (
        Partner.objects.filter(office__in=offices)
        .annotate(meetings=Count("activities", filter=meetings))
        .order_by("kind", "name")
    )
    per_office = _by_office(offices)
    for p in partners:
        per_office[p.office_id].append(p)
    return {pk: _partners_section(partners) for pk, partners in per_office.items()}


def _partners_section(partners: list[Partner]) -> Section:
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


def alis_sections(offices: Offices, year: int) -> dict[int, Section]:
    """ALIS in training on 31.12 by contract and scheme, and by specialty."""
    trainings = ongoing_on(year_end(year)).filter(employer__county__office__in=offices)
    office = "employer__county__office_id"
    cells = Counter(trainings.values_list(office, "contract", "scheme").order_by())
    by_specialty = Counter(trainings.values_list(office, "specialty", "scheme").order_by())
    return {
        o.pk: _alis_section(
            Counter({k[1:]: n for k, n in cells.items() if k[0] == o.pk}),
            Counter({k[1:]: n for k, n in by_specialty.items() if k[0] == o.pk}),
        )
        for o in offices
    }


def _alis_section(cells: Counter, by_specialty: Counter) -> Section:
    rows = []
    for contract in Contract:
        new, old = cells[(contract.value, Scheme.NEW)], cells[(contract.value, Scheme.OLD)]
        rows.append([contract.label, new, old, new + old])
    footer = [_("Sum"), *(sum(r[i] for r in rows) for i in (1, 2, 3))]
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


TrainingRow = tuple[date, str, date | None, str, int]  # start, status, ended_on, contract, office id


def training_rows(trainings: QuerySet) -> list[TrainingRow]:
    """What retention needs of each training, read once as plain values (no model instances)."""
    return list(
        trainings.values_list("start", "status", "ended_on", "contract", "employer__county__office_id").order_by()
    )


def retention_groups(
    trainings: QuerySet | list[TrainingRow], on: date, *, by: str = "contract"
) -> list[RetentionGroup]:
    """Kaplan–Meier per group as seen on `on`: all, then by contract (salaried, self-employed) or by start cohort."""
    return retention_views(trainings, on, by=(by,))[by]


def retention_views(
    trainings: QuerySet | list[TrainingRow], on: date, *, by: tuple[str, ...] = ("contract", "cohort")
) -> dict[str, list[RetentionGroup]]:
    """The groupings in `by` from one reading of the trainings; the "all" curve is estimated once and shared."""
    rows = training_rows(trainings) if isinstance(trainings, QuerySet) else trainings
    seen_all: list[retention.Observation] = []
    grouped: dict[str, dict[str, list[retention.Observation]]] = {kind: {} for kind in by}
    for start, status, ended_on, contract, _office in rows:
        seen = retention.observation(start=start, status=status, ended_on=ended_on, on=on)
        if seen is None:
            continue
        seen_all.append(seen)
        if "contract" in grouped and contract in RETENTION_CONTRACTS:
            grouped["contract"].setdefault(contract, []).append(seen)
        if "cohort" in grouped:
            grouped["cohort"].setdefault(cohort(start.year), []).append(seen)
    overall = RetentionGroup("all", _("Alle"), retention.kaplan_meier(seen_all), len(seen_all))
    views = {}
    for kind, groups in grouped.items():
        if kind == "contract":
            labels = {contract.value: contract.label for contract in RETENTION_CONTRACTS}
            for key in labels:
                groups.setdefault(key, [])
        else:
            labels = {key: key for key in groups}
        views[kind] = [
            overall,
            *(RetentionGroup(k, labels[k], retention.kaplan_meier(groups[k]), len(groups[k])) for k in sorted(groups)),
        ]
    return views


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
    return _endings_table(statuses, reasons)


def _endings_table(statuses: Counter, reasons: Counter) -> Table:
    rows: list[list[Cell]] = [[_("Fullført"), statuses[Status.COMPLETED]], [_("Sluttet"), statuses[Status.LEFT]]]
    for reason in LeavingReason:
        rows.append([_("Sluttet: %(reason)s") % {"reason": reason.label}, reasons[reason.value]])
    if reasons[""]:
        rows.append([_("Sluttet: årsak ikke oppgitt"), reasons[""]])
    return Table("endings", _("Avsluttede utdanningsløp i året"), [_("Utfall"), _("Antall")], rows, pivot=1)


def retention_sections(offices: Offices, year: int) -> dict[int, Section]:
    trainings = Training.objects.filter(employer__county__office__in=offices)
    rows = _by_office(offices)
    for row in training_rows(trainings):
        rows[row[4]].append(row)
    ended = trainings.filter(ended_on__year=year)
    office = "employer__county__office_id"
    statuses = Counter(ended.values_list(office, "status").order_by())
    reasons = Counter(ended.filter(status=Status.LEFT).values_list(office, "leaving_reason").order_by())
    return {
        pk: Section(
            "retention",
            _("Stabilitet: ALIS som blir i stillingen"),
            [
                retention_table(retention_groups(rows[pk], year_end(year))),
                _endings_table(
                    Counter({k[1]: n for k, n in statuses.items() if k[0] == pk}),
                    Counter({k[1]: n for k, n in reasons.items() if k[0] == pk}),
                ),
            ],
        )
        for pk in rows
    }


SECTIONS: list[Callable[[Offices, int], dict[int, Section]]] = [
    staff_sections,
    registration_sections,
    courses_sections,
    activities_sections,
    inquiries_sections,
    partners_sections,
    alis_sections,
    retention_sections,
]


def sections_of(offices: Offices, year: int) -> dict[int, list[Section]]:
    """Every office's sections, in report order."""
    built = [section(offices, year) for section in SECTIONS]
    return {office.pk: [by_office[office.pk] for by_office in built] for office in offices}


def build_report(office: Office, year: int) -> Report:
    texts = AnnualReport.objects.filter(office=office, year=year).first()
    return Report(
        office=office.code,
        office_name=office.name,
        year=year,
        as_of=year_end(year),
        sections=sections_of([office], year)[office.pk],
        goals_reached=texts.goals_reached if texts else "",
        comments=texts.comments if texts else "",
    )


def national_report(year: int) -> Report:
    """All offices side by side: one table per office table with a pivot column, a column per office."""
    offices = list(Office.objects.all())
    by_office = sections_of(offices, year)
    reports = [by_office[office.pk] for office in offices]
    names = [office.name for office in offices]
    sections = []
    for index, section in enumerate(reports[0] if reports else []):
        tables = []
        for t_index, table in enumerate(section.tables):
            if table.pivot is None:
                continue
            tables.append(_side_by_side([r[index].tables[t_index] for r in reports], names))
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
