"""The annual report to Helsedirektoratet, built once as plain data and rendered four ways (HTML, PDF, XLSX, JSON).

Its sections follow ALIS Vest's report for 2022 (seed 003): the office and its host municipality, staff, the
mandate, registered training institutions, supervisor courses, outreach, inquiries, the national working
groups, partners, then what the data adds (ALIS per 31.12, retention), the closing and the signature block.
The texts are what the office writes (`AnnualReport`); every table is computed.

Every table is a list of rows whose first cell is the row's label; a table that counts parts of a whole ends
in a total row (`footer`). A table with a `pivot` column can be put side by side for all offices: the national
view takes that column from each office's report.
Everything is computed as of 31 December of the year (registration status, ongoing ALIS, retention), never
from today's status, so that a report for a past year stays the same when the data moves on.
A cell that is not known is None, shown as the table's `missing` text («ukjent», «ikke oppgitt»), never as 0.
"""

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.dates import MONTHS
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from courses.models import Course, Supervises
from courses.statistics import course_lines, with_counts
from dataio.models import GpListSnapshot
from office import retention
from office.models import (
    Activity,
    AnnualReport,
    Inquiry,
    InquiryTopic,
    Institution,
    InstitutionRegistration,
    Partner,
    StaffMember,
)
from registry.models import CENTRALITY_CLASSES, County, Municipality, Office, RegistrationStatus, Specialty
from training import overview as ov
from training.models import ONGOING, Contract, LeavingDestination, LeavingReason, Scheme, Status, Training

Cell = str | int | float | date | None
RETENTION_YEARS = (1, 2, 3, 4, 5)
STAY_YEARS = (1, 3, 5)  # after completion: the years the offices and the research ask about (issue 10, item 7)
# The two contract types the offices compare retention by (issue 5: salaried vs self-employed).
RETENTION_CONTRACTS = (Contract.SALARIED, Contract.SELF_EMPLOYED)
NOT_GIVEN = gettext_noop("ikke oppgitt")
UNKNOWN = gettext_noop("ukjent")


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
    sheet: str = ""  # the Excel sheet's name: at most 31 characters; the full title is in its first cell
    missing: str = "–"  # what a None cell shows: «ukjent» where a number is not known
    people: bool = False  # cells count people (ALIS, leavers): what small-number suppression applies to
    unknown: int | None = None  # municipalities (ALIS) of unknown centrality counted apart; the note says how many

    def __post_init__(self) -> None:
        # Choice labels are lazy translations: make every cell a plain value, as JSON and Excel need.
        self.title, self.note, self.sheet, self.missing = (
            str(self.title),
            str(self.note),
            str(self.sheet),
            str(self.missing),
        )
        self.columns = [str(c) for c in self.columns]
        self.rows = [[_plain(v) for v in row] for row in self.rows]
        self.footer = [_plain(v) for v in self.footer] if self.footer is not None else None

    def numeric(self) -> list[bool]:
        """Whether each column holds numbers (aligned right): all its known values are numbers, and one at least."""
        lines = [*self.rows, self.footer or []]
        flags = []
        for index in range(len(self.columns)):
            values = [line[index] for line in lines if index < len(line) and line[index] not in (None, "")]
            flags.append(
                index > 0
                and bool(values)
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
            )
        return flags

    def headings(self) -> list[tuple[str, bool]]:
        """Each column's heading and whether it holds numbers."""
        return list(zip(self.columns, self.numeric(), strict=True))

    def cells(self) -> list[list[tuple[Cell, bool]]]:
        """The rows as (value, aligned right), so that a column is aligned alike in every row."""
        numeric = self.numeric()
        return [list(zip(row, numeric, strict=False)) for row in self.rows]

    def footer_cells(self) -> list[tuple[Cell, bool]]:
        return list(zip(self.footer, self.numeric(), strict=False)) if self.footer else []

    def rows_html(self) -> SafeString:
        """The body's rows as `_report_table.html` shows them: the first cell a row header, numbers right.
        Written here rather than in a template loop over every cell (22 tables took 9 ms of a report page)."""
        return self._lines_html(self.rows)

    def footer_html(self) -> SafeString:
        return self._lines_html([self.footer]) if self.footer else SafeString("")

    def _lines_html(self, lines: list[list[Cell]]) -> SafeString:
        from office.templatetags.office_tags import cell

        numeric = self.numeric()
        starts = ['<td class="num">' if flag else "<td>" for flag in numeric]
        out = []
        for line in lines:
            cells = [
                f'<th scope="row">{conditional_escape(cell(value, self.missing))}</th>'
                if index == 0
                else f"{starts[index]}{conditional_escape(cell(value, self.missing))}</td>"
                for index, value in enumerate(line[: len(numeric)])
            ]
            out.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(out))  # noqa: S308 -- every value is escaped above


@dataclass
class Text:
    """A text the office wrote, shown in its section (empty: not written yet)."""

    key: str
    title: str
    body: str


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    empty: str = ""  # shown instead of tables when there is nothing to show
    texts: list[Text] = field(default_factory=list)
    texts_after: bool = False  # the texts follow the tables (as community medicine under its table)


@dataclass
class Signature:
    place: str
    day: date | None
    name: str
    title: str
    host: str  # the host municipality, which signs too
    host_name: str
    host_title: str


@dataclass
class Report:
    office: str  # the office's short name, or "" for the national view
    office_name: str
    year: int
    as_of: date
    sections: list[Section]
    introduction: str = ""  # what the data says about the office, before the texts
    signature: Signature | None = None
    offices: list[str] = field(default_factory=list)  # national view: the offices side by side

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self, key: str) -> str:
        return next((t.body for s in self.sections for t in s.texts if t.key == key), "")

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


def year_end(year: int) -> date:
    return date(year, 12, 31)


def ongoing_on(day: date) -> QuerySet:
    """Trainings ongoing on a day: started on or before it and not ended before it.

    A training that ended without a date counts as ongoing only while its status is still active or leave.
    """
    return Training.objects.filter(start__lte=day).filter(
        Q(ended_on__gte=day) | Q(ended_on__isnull=True, status__in=ONGOING)
    )


def _and(parts: list[str]) -> str:
    """«A», «A og B», «A, B og C»."""
    if len(parts) > 1:
        return _("%(first)s og %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}
    return "".join(parts)


def kroner(amount: int) -> str:
    return number_format(amount, 0, force_grouping=True)


# The sections of a year, each for several offices at once: one query per table, grouped by office, so that the
# national view costs the same number of queries as one office's report.

Offices = list[Office]


def _by_office(offices: Offices) -> dict[int, list]:
    return {office.pk: [] for office in offices}


def _texts(offices: Offices, year: int) -> dict[int, AnnualReport]:
    found = {r.office_id: r for r in AnnualReport.objects.filter(office__in=offices, year=year)}
    return {o.pk: found.get(o.pk) or AnnualReport(office=o, year=year) for o in offices}


@dataclass
class Region:
    """What the introduction says of an office's region."""

    municipalities: int = 0
    unknown_centrality: int = 0
    counties: list[str] = field(default_factory=list)


def _regions(offices: Offices) -> dict[int, Region]:
    regions = {o.pk: Region() for o in offices}
    counted = (
        Municipality.objects.filter(county__office__in=offices)
        .values("county__office")
        .annotate(n=Count("pk"), unknown=Count("pk", filter=Q(centrality__isnull=True)))
        .order_by()
    )
    for row in counted:
        regions[row["county__office"]].municipalities = row["n"]
        regions[row["county__office"]].unknown_centrality = row["unknown"]
    for county in County.objects.filter(office__in=offices).order_by("number"):
        regions[county.office_id].counties.append(county.name)
    return regions


def introduction_sections(offices: Offices, year: int) -> dict[int, Section]:
    """The office, its host municipality, its region and budget, as the seed report opens; then its own words."""
    texts = _texts(offices, year)
    hosts = {
        m.pk: m.name
        for m in Municipality.objects.filter(
            pk__in=[t.host_municipality_id for t in texts.values() if t.host_municipality_id]
        )
    }
    regions = _regions(offices)
    total = Office.objects.count()
    return {
        o.pk: _introduction_section(
            o, year, texts[o.pk], hosts.get(texts[o.pk].host_municipality_id), regions[o.pk], total
        )
        for o in offices
    }


def _introduction_section(
    office: Office, year: int, texts: AnnualReport, host: str | None, region: Region, offices: int
) -> Section:
    facts = Table(
        "office_facts",
        _("Kontoret i %(year)s") % {"year": year},
        [_("Opplysning"), _("Verdi")],
        [
            [_("Vertskommune"), host],
            [_("Organisert under"), texts.host_unit or None],
            [_("Fylker"), _and(region.counties) or None],
            [_("Kommuner i regionen"), region.municipalities],
            [_("Kommuner med ukjent sentralitet"), region.unknown_centrality],
            [_("Budsjett (kroner)"), texts.budget],
        ],
        pivot=1,
        additive=False,
        missing=_(NOT_GIVEN),
        sheet=_("Kontoret"),
    )
    return Section(
        "introduction",
        _("Om kontoret"),
        [facts],
        texts=[
            Text("introduction", "", introduction_text(office, year, texts, host, region, offices)),
            Text("host_cooperation", _("Samarbeidet med vertskommunen"), texts.host_cooperation),
            Text("goals_reached", _("Måloppnåelse"), texts.goals_reached),
        ],
    )


def introduction_text(
    office: Office, year: int, texts: AnnualReport, host: str | None, region: Region, offices: int
) -> str:
    """The seed report's opening paragraph, from what is known; what is not known is said to be missing."""
    sentences = [_("%(office)s er ett av %(n)s regionale ALIS-kontor.") % {"office": office.name, "n": offices}]
    if host and texts.host_unit:
        sentences.append(
            _("Kontoret er lagt til %(host)s kommune og er organisert under %(unit)s.")
            % {"host": host, "unit": texts.host_unit}
        )
    elif host:
        sentences.append(_("Kontoret er lagt til %(host)s kommune.") % {"host": host})
    else:
        sentences.append(_("Vertskommunen er ikke oppgitt."))
    sentences.append(
        _(
            "Kontoret gir råd og bistand til %(n)s kommuner i %(counties)s i planlegging, etablering og oppfølging "
            "av spesialistutdanning i allmenn- og samfunnsmedisin, etter mandat fra Helsedirektoratet."
        )
        % {"n": region.municipalities, "counties": _and(region.counties)}
    )
    if texts.budget is not None:
        sentences.append(
            _("Budsjettet for %(year)s var %(amount)s kroner.") % {"year": year, "amount": kroner(texts.budget)}
        )
    else:
        sentences.append(_("Budsjettet for %(year)s er ikke oppgitt.") % {"year": year})
    return " ".join(sentences)


def staff_sections(offices: Offices, year: int) -> dict[int, Section]:
    staff = StaffMember.objects.filter(office__in=offices, start__lte=year_end(year)).filter(
        Q(end__isnull=True) | Q(end__gte=date(year, 1, 1))
    )
    per_office = _by_office(offices)
    for s in staff.order_by("start", "name"):
        per_office[s.office_id].append([s.name, s.title, s.position_percent, s.start, s.comment])
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
                [_("Navn"), _("Stilling"), _("Stillingsprosent"), _("Startdato"), _("Kommentar")],
                rows,
                footer=[_("Sum"), "", sum(row[2] for row in rows), "", ""],
                sheet=_("Ansatte"),
            ),
            Table(
                "staff_summary", _("Bemanning"), [_("Bemanning"), _("Antall")], summary, pivot=1, sheet=_("Bemanning")
            ),
        ],
    )


def mandate_sections(offices: Offices, year: int) -> dict[int, Section]:
    texts = _texts(offices, year)
    return {
        pk: Section("mandate", _("Mandat og nye oppgaver"), texts=[Text("new_mandate", "", t.new_mandate)])
        for pk, t in texts.items()
    }


REGISTRATION_LABELS = {
    RegistrationStatus.REGISTERED: gettext_noop("Antall registrerte utdanningsvirksomheter"),
    RegistrationStatus.PENDING: gettext_noop("Antall kommuner som har søknad til behandling"),
    RegistrationStatus.TEMPORARY: gettext_noop("Antall kommuner som har midlertidig innvilget"),
    RegistrationStatus.NOT_APPLIED: gettext_noop("Antall kommuner som ikke har søkt"),
}
# Community medicine counts municipalities and other institutions together (seed 003: «virksomheter»).
INSTITUTION_LABELS = {
    RegistrationStatus.REGISTERED: gettext_noop("Antall registrerte utdanningsvirksomheter"),
    RegistrationStatus.PENDING: gettext_noop("Antall virksomheter som har søknad til behandling"),
    RegistrationStatus.TEMPORARY: gettext_noop("Antall virksomheter som har midlertidig innvilget"),
    RegistrationStatus.NOT_APPLIED: gettext_noop("Antall virksomheter som ikke har søkt"),
}
SPECIALTY_SHEETS = {
    Specialty.GENERAL_PRACTICE: (gettext_noop("Allmennmedisin"), gettext_noop("Allmenn etter sentralitet")),
    Specialty.COMMUNITY_MEDICINE: (gettext_noop("Samfunnsmedisin"), gettext_noop("Samfunn etter sentralitet")),
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
    institutions = institution_statuses(offices, year_end(year))
    texts = _texts(offices, year)
    return {
        pk: _registration_section(rows, institutions.get(pk, Counter()), year, texts[pk].community_medicine)
        for pk, rows in per_office.items()
    }


def institution_statuses(offices: Offices, day: date) -> dict[int, Counter]:
    """Per office, the other institutions (not municipalities) by their community-medicine status on a day."""
    latest = (
        InstitutionRegistration.objects.filter(institution=OuterRef("pk"), valid_from__lte=day)
        .order_by("-valid_from", "-pk")
        .values("status")[:1]
    )
    rows = (
        Institution.objects.filter(office__in=offices)
        .annotate(status=Coalesce(Subquery(latest), Value(RegistrationStatus.NOT_APPLIED)))
        .values("office", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, Counter] = {}
    for row in rows:
        counts.setdefault(row["office"], Counter())[row["status"]] = row["n"]
    return counts


def _registration_section(municipalities: list[dict], institutions: Counter, year: int, text: str) -> Section:
    unknown = sum(1 for m in municipalities if m["centrality"] is None)
    tables = []
    for table in ov.registration_tables(municipalities):
        sheet, by_class_sheet = SPECIALTY_SHEETS[table.specialty]
        title = _("%(specialty)s: status per 31.12.%(year)s") % {"specialty": table.label, "year": year}
        if table.specialty == Specialty.COMMUNITY_MEDICINE:
            rows = [
                [
                    _(INSTITUTION_LABELS[row.status]),
                    row.count,
                    institutions[row.status],
                    row.count + institutions[row.status],
                    row.comment,
                ]
                for row in table.rows
            ]
            tables.append(
                Table(
                    f"registration_{table.specialty}",
                    title + " " + _("(kommuner og andre virksomheter)"),
                    [_("Status"), _("Kommuner"), _("Andre virksomheter"), _("Sum"), _("Kommentar")],
                    rows,
                    footer=[_("Sum"), *(sum(r[i] for r in rows) for i in (1, 2, 3)), ""],
                    pivot=3,
                    sheet=_(sheet),
                    note=_("Andre virksomheter: de kontoret har registrert under Kontoret → Andre virksomheter."),
                )
            )
        else:
            rows = [
                [_(REGISTRATION_LABELS[row.status]), row.count, row.centrality_6, row.centrality_unknown, row.comment]
                for row in table.rows
            ]
            tables.append(
                Table(
                    f"registration_{table.specialty}",
                    title,
                    [_("Status"), _("Antall"), _("Sentralitetsgrad 6"), _("Sentralitet ukjent"), _("Kommentar")],
                    rows,
                    footer=[_("Sum kommuner"), *(sum(r[i] for r in rows) for i in (1, 2, 3)), ""],
                    pivot=1,
                    sheet=_(sheet),
                    unknown=unknown,
                    note=unknown_note(f"registration_{table.specialty}", unknown),
                )
            )
        by_class = [
            [_(REGISTRATION_LABELS[RegistrationStatus(s.status)]), *c, sum(c)]
            for s, (_l, c) in zip(table.rows, table.by_centrality, strict=True)
        ]
        tables.append(
            Table(
                f"registration_{table.specialty}_by_centrality",
                _("%(specialty)s: kommuner etter status og sentralitetsklasse per 31.12.%(year)s")
                % {"specialty": table.label, "year": year},
                [_("Status"), *(str(c) for c in CENTRALITY_CLASSES), _("Ukjent"), _("Sum")],
                by_class,
                footer=[_("Sum"), *(sum(r[i] for r in by_class) for i in range(1, len(CENTRALITY_CLASSES) + 3))],
                sheet=_(by_class_sheet),
                unknown=unknown,
                note=unknown_note(f"registration_{table.specialty}_by_centrality", unknown),
            )
        )
    return Section(
        "registration",
        _("Registrerte utdanningsvirksomheter"),
        tables,
        texts=[Text("community_medicine", _("Samfunnsmedisin"), text)],
        texts_after=True,
    )


def unknown_note(key: str, n: int) -> str:
    """What a table that counts centrality says of the unknown ones; nothing when there are none."""
    if not n:
        return ""
    if key == "alis_by_centrality":
        return ngettext(
            "Sentralitet ukjent: %(n)s ALIS arbeider i en kommune uten kjent sentralitetsklasse.",
            "Sentralitet ukjent: %(n)s ALIS arbeider i kommuner uten kjent sentralitetsklasse.",
            n,
        ) % {"n": n}
    return ngettext(
        "Sentralitet ukjent: %(n)s kommune. SSBs sentralitetsklasse mangler for den i referansedataene; den er "
        "talt som ukjent, ikke som en av klassene 1–6.",
        "Sentralitet ukjent: %(n)s kommuner. SSBs sentralitetsklasse mangler for dem i referansedataene; de er "
        "talt som ukjent, ikke som en av klassene 1–6.",
        n,
    ) % {"n": n}


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
            Table(
                "courses_summary",
                _("Veilederkurs i året"),
                [_("Veilederkurs"), _("Antall")],
                summary,
                pivot=1,
                sheet=_("Veilederkurs i tall"),
            ),
            Table(
                "courses",
                _("Kursene med deltakere og spesialister"),
                [_("Kurs"), _("Sted og tid"), _("Deltakere"), _("Spesialister"), _("Fullført"), *supervises],
                rows,
                footer=[_("Sum"), "", *totals],
                note=_("Bekreftede påmeldinger. Fullført: møtt på alle samlingene."),
                sheet=_("Veilederkurs"),
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
        listings[a.office_id].append(
            [a.date, a.place, a.get_kind_display(), a.theme, a.with_whom, a.participants, a.comment]
        )
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
                sheet=_("Aktiviteter etter type"),
            ),
            Table(
                "activities",
                _("Aktivitetene"),
                [_("Dato"), _("Sted"), _("Aktivitet"), _("Tema"), _("Med hvem"), _("Deltakere"), _("Kommentar")],
                listing,
                footer=[
                    _("Sum: %(n)s aktiviteter") % {"n": len(listing)},
                    "",
                    "",
                    "",
                    "",
                    sum(r[5] or 0 for r in listing),
                    "",
                ],
                sheet=_("Aktiviteter"),
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
                sheet=_("Henvendelser etter emne"),
            ),
            Table(
                "inquiries_by_month",
                _("Henvendelser per måned"),
                [_("Måned"), _("Antall")],
                [[str(MONTHS[m]).capitalize(), months[m - 1]] for m in range(1, 13)],
                footer=[_("Sum"), sum(months)],
                pivot=1,
                sheet=_("Henvendelser per måned"),
            ),
        ],
    )


def working_groups_sections(offices: Offices, year: int) -> dict[int, Section]:
    texts = _texts(offices, year)
    return {
        pk: Section(
            "working_groups",
            _("Arbeidsgrupper og nasjonalt samarbeid"),
            texts=[Text("working_groups", "", t.working_groups)],
        )
        for pk, t in texts.items()
    }


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
    # The seed report's table: each partner with what was done together in the year (one query for all).
    together: dict[int, list[Activity]] = {}
    links = Activity.partners.through.objects.filter(
        partner__office__in=offices, activity__date__year=year
    ).select_related("activity")
    for link in links.order_by("activity__date", "activity__pk"):
        together.setdefault(link.partner_id, []).append(link.activity)
    return {pk: _partners_section(partners, together) for pk, partners in per_office.items()}


def _partners_section(partners: list[Partner], together: dict[int, list[Activity]]) -> Section:
    by_kind = Counter()
    partner_count = Counter()
    for p in partners:
        by_kind[p.kind] += p.meetings
        partner_count[p.kind] += 1
    summary = [[kind.label, partner_count[kind.value], by_kind[kind.value]] for kind in Partner.Kind]
    order = {kind.value: n for n, kind in enumerate(Partner.Kind)}
    listing: list[list[Cell]] = []
    for p in sorted(partners, key=lambda p: (order.get(p.kind, len(order)), p.name)):
        activities = together.get(p.pk, [])
        listing += [[p.name, a.date, a.get_kind_display(), a.place, a.theme, a.comment] for a in activities]
        if not activities:
            listing.append([p.name, None, "", "", "", p.notes])
    return Section(
        "partners",
        _("Samarbeidspartnere"),
        [
            Table(
                "partners_by_kind",
                _("Møter med samarbeidspartnere etter type"),
                [_("Type"), _("Partnere"), _("Møter")],
                summary,
                footer=[_("Sum"), sum(r[1] for r in summary), sum(r[2] for r in summary)],
                pivot=2,
                sheet=_("Samarbeidspartnere i tall"),
            ),
            Table(
                "partners",
                _("Samarbeidspartnere med aktivitet, tema og kommentar"),
                [_("Samarbeidspartner"), _("Dato"), _("Aktivitet"), _("Sted"), _("Tema"), _("Kommentar")],
                listing,
                sheet=_("Samarbeidspartnere"),
                note=_("En partner uten aktivitet i året står med merknaden fra partnerens side."),
            ),
        ],
    )


def alis_sections(offices: Offices, year: int) -> dict[int, Section]:
    """ALIS in training on 31.12 by contract and scheme, by specialty, and by the centrality of the employer."""
    trainings = ongoing_on(year_end(year)).filter(employer__county__office__in=offices)
    office = "employer__county__office_id"
    cells = Counter(trainings.values_list(office, "contract", "scheme").order_by())
    by_specialty = Counter(trainings.values_list(office, "specialty", "scheme").order_by())
    by_centrality = Counter(trainings.values_list(office, "employer__centrality", "scheme").order_by())
    return {
        o.pk: _alis_section(
            Counter({k[1:]: n for k, n in cells.items() if k[0] == o.pk}),
            Counter({k[1:]: n for k, n in by_specialty.items() if k[0] == o.pk}),
            Counter({k[1:]: n for k, n in by_centrality.items() if k[0] == o.pk}),
        )
        for o in offices
    }


def _scheme_rows(cells: Counter, keys: list[tuple[object, str]]) -> list[list[Cell]]:
    rows = []
    for key, label in keys:
        new, old = cells[(key, Scheme.NEW)], cells[(key, Scheme.OLD)]
        rows.append([label, new, old, new + old])
    return rows


def _scheme_footer(rows: list[list[Cell]]) -> list[Cell]:
    return [_("Sum"), *(sum(r[i] for r in rows) for i in (1, 2, 3))]


def _alis_section(cells: Counter, by_specialty: Counter, by_centrality: Counter) -> Section:
    columns = [Scheme.NEW.label, Scheme.OLD.label, _("Sum")]
    rows = _scheme_rows(cells, [(c.value, c.label) for c in Contract])
    specialty_rows = _scheme_rows(by_specialty, [(s.value, s.label) for s in Specialty])
    classes = [(c, _("Sentralitetsklasse %(n)s") % {"n": c}) for c in CENTRALITY_CLASSES]
    centrality_rows = _scheme_rows(by_centrality, [*classes, (None, _("Sentralitet ukjent"))])
    unknown_alis = centrality_rows[-1][3]
    tables = [
        (
            "alis_by_contract",
            _("ALIS etter tilknytning og ordning"),
            _("Tilknytning"),
            rows,
            _("ALIS etter tilknytning"),
        ),
        (
            "alis_by_specialty",
            _("ALIS etter spesialitet og ordning"),
            _("Spesialitet"),
            specialty_rows,
            _("ALIS etter spesialitet"),
        ),
        (
            "alis_by_centrality",
            _("ALIS etter arbeidsgiverkommunens sentralitet"),
            _("Sentralitet"),
            centrality_rows,
            _("ALIS etter sentralitet"),
        ),
    ]
    return Section(
        "alis",
        _("ALIS per 31.12 etter ordning og tilknytning"),
        [
            Table(
                key,
                title,
                [first, *columns],
                table_rows,
                footer=_scheme_footer(table_rows),
                pivot=3,
                sheet=sheet,
                people=True,
                unknown=unknown_alis if key == "alis_by_centrality" else None,
                note=unknown_note(key, unknown_alis) if key == "alis_by_centrality" else "",
            )
            for key, title, first, table_rows, sheet in tables
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
        note=_(
            "Kaplan–Meier. Fullført utdanning og pågående løp regnes som sensurert, ikke som å slutte. "
            "Ukjent: ingen er fulgt så lenge."
        ),
        sheet=_("Stabilitet etter start") if key == "retention" else _("Stabilitet etter startkull"),
        missing=_(UNKNOWN),
        people=True,
    )


def endings_table(trainings: QuerySet, year: int) -> Table:
    ended = trainings.filter(ended_on__year=year)
    return _endings_table(Counter(ended.values_list("status", flat=True).order_by()))


def _endings_table(statuses: Counter) -> Table:
    rows: list[list[Cell]] = [[_("Fullført"), statuses[Status.COMPLETED]], [_("Sluttet"), statuses[Status.LEFT]]]
    return Table(
        "endings",
        _("Avsluttede utdanningsløp i året"),
        [_("Utfall"), _("Antall")],
        rows,
        footer=[_("Avsluttet i alt"), sum(r[1] for r in rows)],
        pivot=1,
        sheet=_("Avsluttet i året"),
        people=True,
    )


def leaving_table(pairs: Counter, *, title: str, key: str = "leaving") -> Table:
    """Those who left, by reason (the field's categories, seed 002) and where they went; unstated as such."""
    destinations = [*LeavingDestination.values, ""]
    reasons = [(r.value, r.label) for r in LeavingReason] + [("", _("Årsak ikke oppgitt"))]
    rows = []
    for reason, label in reasons:
        counts = [pairs[(reason, destination)] for destination in destinations]
        rows.append([label, *counts, sum(counts)])
    return Table(
        key,
        title,
        [_("Årsak"), *LeavingDestination.labels, _("Ikke kjent"), _("Sum")],
        rows,
        footer=[_("Sum"), *(sum(r[i] for r in rows) for i in range(1, len(destinations) + 2))],
        pivot=len(destinations) + 1,
        sheet=_("Sluttet etter årsak"),
        note=_(
            "Årsakene er kategoriene fra følgeforskningen på ALIS-Nord og ALIS-Vest (Fafo/NSDM 2023); "
            "kolonnene sier hvor ALIS gikk."
        ),
        people=True,
    )


def leaving_pairs(trainings: QuerySet) -> Counter:
    return Counter(trainings.filter(status=Status.LEFT).values_list("leaving_reason", "leaving_destination").order_by())


# After completion: still a regular GP in the same municipality, and in the region?


def regular_gp_lists(
    on: date, municipalities: QuerySet | None = None, doctors: Collection[int] | None = None
) -> retention.RegularGpLists:
    """The imported regular-GP lists up to `on` (two queries), for the municipalities given or all.

    Every list is read (which municipality was covered when), but of who was on them only the `doctors` asked
    about, when given: the specialists who completed, not every regular GP.
    """
    lists = GpListSnapshot.objects.filter(listed_on__lte=on)
    if municipalities is not None:
        lists = lists.filter(municipality__in=municipalities)
    days = {
        pk: (municipality, day) for pk, municipality, day in lists.values_list("pk", "municipality_id", "listed_on")
    }
    entries = GpListSnapshot.doctors.through.objects.all()
    if doctors is not None:
        # A list of keys, not a subquery: SQLite runs two nested subqueries over the lists' rows slowly.
        entries = entries.filter(doctor_id__in=sorted(set(doctors)))
    return retention.RegularGpLists(
        days.values(),
        (
            (*days[snapshot], doctor)
            for snapshot, doctor in entries.values_list("gplistsnapshot_id", "doctor_id").order_by()
            if snapshot in days
        ),
        on,
    )


def completed(trainings: QuerySet, on: date) -> QuerySet:
    """General-practice trainings completed by `on`: who may still be a regular GP (community medicine is not)."""
    return trainings.filter(
        status=Status.COMPLETED, specialty=Specialty.GENERAL_PRACTICE, ended_on__isnull=False, ended_on__lte=on
    )


def completions(trainings: QuerySet, on: date) -> list[retention.Completion]:
    return [
        retention.Completion(*row)
        for row in completed(trainings, on)
        .values_list("doctor_id", "employer_id", "employer__county__office_id", "ended_on")
        .order_by()
    ]


def region_municipalities() -> dict[int, set[int]]:
    regions: dict[int, set[int]] = {}
    for pk, office in Municipality.objects.values_list("pk", "county__office_id"):
        regions.setdefault(office, set()).add(pk)
    return regions


def stays_table(counts: list[retention.StayCount], key: str = "stays") -> Table:
    def share(part: int, known: int) -> float | None:
        return round(100 * part / known, 1) if known else None

    rows = [
        [
            _("%(n)s år etter") % {"n": c.years},
            c.reached,
            c.known_municipality,
            c.in_municipality,
            share(c.in_municipality, c.known_municipality),
            c.known_region,
            c.in_region,
            share(c.in_region, c.known_region),
        ]
        for c in counts
    ]
    return Table(
        key,
        _("Fortsatt fastlege etter fullført spesialisering"),
        [
            _("Tid etter fullført"),
            _("Fullført så lenge siden"),
            _("Kjent i kommunen"),
            _("Fastlege i samme kommune"),
            _("Andel i samme kommune (%)"),
            _("Kjent i regionen"),
            _("Fastlege i regionen"),
            _("Andel i regionen (%)"),
        ],
        rows,
        pivot=4,
        additive=False,
        missing=_(UNKNOWN),
        sheet=_("Fastlege etter fullført"),
        people=True,
        note=_(
            "Fra fastlegelistene kontoret har importert: listen nærmest dagen, høyst et halvt år før eller etter. "
            "Uten liste for kommunen (eller for alle kommunene i regionen) er svaret ukjent: det telles ikke med i "
            "andelen, og uten noen kjente er andelen ukjent, ikke 0 %. Bare allmennmedisin."
        ),
    )


def retention_sections(offices: Offices, year: int) -> dict[int, Section]:
    on = year_end(year)
    trainings = Training.objects.filter(employer__county__office__in=offices)
    rows = _by_office(offices)
    for row in training_rows(trainings):
        rows[row[4]].append(row)
    ended = trainings.filter(ended_on__year=year)
    office = "employer__county__office_id"
    statuses = Counter(ended.values_list(office, "status").order_by())
    left = Counter(
        ended.filter(status=Status.LEFT).values_list(office, "leaving_reason", "leaving_destination").order_by()
    )
    done = _by_office(offices)
    finished = completions(trainings, on)
    for completion in finished:
        done[completion.region].append(completion)
    lists = regular_gp_lists(on, Municipality.objects.filter(county__office__in=offices), [c.doctor for c in finished])
    regions = region_municipalities()
    return {
        pk: Section(
            "retention",
            _("Stabilitet: ALIS som blir"),
            [
                retention_table(retention_groups(rows[pk], on)),
                _endings_table(Counter({k[1]: n for k, n in statuses.items() if k[0] == pk})),
                leaving_table(
                    Counter({k[1:]: n for k, n in left.items() if k[0] == pk}),
                    title=_("Sluttet i året etter årsak og hvor de gikk"),
                ),
                stays_table(retention.stays_after_completion(done[pk], lists, regions, on=on, years=STAY_YEARS)),
            ],
        )
        for pk in rows
    }


def closing_sections(offices: Offices, year: int) -> dict[int, Section]:
    texts = _texts(offices, year)
    return {
        pk: Section("closing", _("Avslutning"), texts=[Text("comments", "", t.comments)]) for pk, t in texts.items()
    }


SECTIONS: list[Callable[[Offices, int], dict[int, Section]]] = [
    introduction_sections,
    staff_sections,
    mandate_sections,
    registration_sections,
    courses_sections,
    activities_sections,
    inquiries_sections,
    working_groups_sections,
    partners_sections,
    alis_sections,
    retention_sections,
    closing_sections,
]


def sections_of(offices: Offices, year: int) -> dict[int, list[Section]]:
    """Every office's sections, in report order."""
    built = [section(offices, year) for section in SECTIONS]
    return {office.pk: [by_office[office.pk] for by_office in built] for office in offices}


def build_report(office: Office, year: int) -> Report:
    texts = AnnualReport.for_year(office, year)
    sections = sections_of([office], year)[office.pk]
    host = texts.host_municipality.name if texts.host_municipality_id else ""
    return Report(
        office=office.code,
        office_name=office.name,
        year=year,
        as_of=year_end(year),
        sections=sections,
        introduction=sections[0].texts[0].body,
        signature=Signature(
            place=texts.signature_place,
            day=texts.signature_date,
            name=texts.signer_name,
            title=texts.signer_title,
            host=host,
            host_name=texts.host_signer_name,
            host_title=texts.host_signer_title,
        ),
    )


def national_report(year: int) -> Report:
    """All offices side by side: one table per office table with a pivot column, a column per office.

    The offices' own texts stay in their own reports; a section with neither a table nor data is left out.
    """
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
        if tables or (section.empty and not section.texts):
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
    # Which column is compared, when the table had more than one: «Samfunnsmedisin … – Sum».
    named = len(first.columns) > 2 and first.columns[pivot] not in ("", _("Antall"))
    title = f"{first.title} – {first.columns[pivot]}" if named else first.title
    columns = [first.columns[0], *names, *([_("Sum")] if first.additive else [])]
    # The note of a table that counts centrality is about the offices' own municipalities: say it of them all.
    unknown = None if first.unknown is None else sum(t.unknown or 0 for t in tables)
    return Table(
        first.key,
        title,
        columns,
        rows,
        footer=footer,
        pivot=None,
        additive=first.additive,
        note=first.note if unknown is None else unknown_note(first.key, unknown),
        sheet=first.sheet,
        missing=first.missing,
        people=first.people,
        unknown=unknown,
    )
