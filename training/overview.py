"""The overview the offices asked Helsedirektoratet for, computed from the data in a fixed number of queries."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext

from accounts.models import User
from registry.models import CENTRALITY_CLASSES, County, HealthTrust, Municipality, Office, RegistrationStatus, Specialty
from training import rules
from training.models import Contract, Scheme, ServicePeriod, Training

HALF_YEARS_AHEAD = 6  # three years


def _bound_to_own_office(user: User) -> bool:
    return not user.sees_all_regions and user.reads_personal_data


def selectable_offices(user: User) -> list[Office]:
    """The offices a region selector offers: none for staff, who always see their own."""
    return [] if _bound_to_own_office(user) else list(Office.objects.all())


def office_scope(user: User, requested: str | None) -> Office | None:
    """The office whose numbers to show: staff see their own; the others choose one or all (None)."""
    if _bound_to_own_office(user):
        return user.office
    if requested:
        return Office.objects.filter(code=requested).first()
    return None


def _count_columns() -> dict:
    columns = {
        "total": Count("pk"),
        "new": Count("pk", filter=Q(scheme=Scheme.NEW)),
        "old": Count("pk", filter=Q(scheme=Scheme.OLD)),
        "no_supervisor": Count("pk", filter=Q(has_supervisor=False)),
    }
    for contract in Contract:
        columns[contract.value] = Count("pk", filter=Q(contract=contract))
    return columns


@dataclass
class AlisCounts:
    label: str
    total: int = 0
    new: int = 0
    old: int = 0
    no_supervisor: int = 0
    contracts: dict[str, int] = field(default_factory=dict)
    link: object = None

    @classmethod
    def from_row(cls, label: str, row: dict | None, link: object = None) -> "AlisCounts":
        row = row or {}
        return cls(
            label=label,
            total=row.get("total", 0),
            new=row.get("new", 0),
            old=row.get("old", 0),
            no_supervisor=row.get("no_supervisor", 0),
            contracts={c.value: row.get(c.value, 0) for c in Contract},
            link=link,
        )

    def add(self, other: "AlisCounts") -> None:
        self.total += other.total
        self.new += other.new
        self.old += other.old
        self.no_supervisor += other.no_supervisor
        for key, value in other.contracts.items():
            self.contracts[key] = self.contracts.get(key, 0) + value


def ongoing_trainings(office: Office | None, today: date) -> QuerySet:
    trainings = Training.objects.ongoing().with_supervisor_flag(today)
    return trainings.in_office(office.pk) if office else trainings


def _summed(rows: list[AlisCounts]) -> tuple[list[AlisCounts], AlisCounts]:
    total = AlisCounts(label=gettext("Sum"))
    for row in rows:
        total.add(row)
    return rows, total


def _counts_by(office: Office | None, today: date, path: str) -> dict:
    trainings = ongoing_trainings(office, today).values(path).annotate(**_count_columns()).order_by()
    return {row[path]: row for row in trainings}


def alis_by_municipality(office: Office | None, today: date) -> tuple[list[AlisCounts], AlisCounts]:
    """ALIS per municipality (every municipality in scope, also those with none) and the sum."""
    municipalities = Municipality.objects.order_by("number")
    if office:
        municipalities = municipalities.in_office(office.pk)
    counts = _counts_by(office, today, "employer")
    return _summed([AlisCounts.from_row(str(m), counts.get(m.pk), link=m) for m in municipalities])


def alis_by_county(today: date) -> tuple[list[AlisCounts], AlisCounts]:
    counts = _counts_by(None, today, "employer__county")
    return _summed([AlisCounts.from_row(c.name, counts.get(c.pk), link=c) for c in County.objects.all()])


def alis_by_office(today: date) -> tuple[list[AlisCounts], AlisCounts]:
    counts = _counts_by(None, today, "employer__county__office")
    return _summed([AlisCounts.from_row(o.name, counts.get(o.pk), link=o) for o in Office.objects.all()])


@dataclass
class HospitalDemand:
    half_years: list[tuple[date, date]]
    rows: list[tuple[str, list[int]]]  # health trust, ALIS per half-year
    totals: list[int]


def hospital_demand(office: Office | None, today: date) -> HospitalDemand:
    """How many ALIS want (have planned) hospital service in each half-year, per health trust."""
    halves = rules.half_years(today, HALF_YEARS_AHEAD)
    periods = ServicePeriod.objects.filter(
        kind=ServicePeriod.Kind.HOSPITAL, planned=True, training__status__in=["active", "leave"]
    ).overlapping(halves[0][0], halves[-1][1])
    if office:
        periods = periods.filter(training__employer__county__office=office)
    columns = {
        f"h{i}": Count("training", distinct=True, filter=Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start)))
        for i, (start, end) in enumerate(halves)
    }
    by_trust = periods.values("health_trust").annotate(**columns).order_by()
    names = {t.pk: str(t) for t in HealthTrust.objects.all()}
    rows = []
    for row in by_trust:
        values = [row[f"h{i}"] for i in range(len(halves))]
        if any(values):
            rows.append((names.get(row["health_trust"], gettext("Uten helseforetak")), values))
    rows.sort()
    totals = [sum(values[i] for _, values in rows) for i in range(len(halves))]
    return HospitalDemand(half_years=halves, rows=rows, totals=totals)


@dataclass
class StatusRow:
    status: str
    label: str
    count: int
    centrality_6: int
    by_county: list[tuple[str, int]]
    centrality_unknown: int = 0  # no class in the reference data: counted apart, never as a class (issue 10, item 4)

    @property
    def comment(self) -> str:
        """Like the annual report's comment column: «32 i Vestland og 18 i Rogaland»."""
        parts = [gettext("%(count)s i %(county)s") % {"count": n, "county": county} for county, n in self.by_county]
        if len(parts) > 1:
            return gettext("%(first)s og %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}
        return "".join(parts)


@dataclass
class RegistrationTable:
    specialty: str
    label: str
    rows: list[StatusRow]
    by_centrality: list[tuple[str, list[int]]]  # status label, counts per class 1–6 and unknown


def registration_tables(municipalities: Iterable[dict]) -> list[RegistrationTable]:
    """Registration as training institution by status, per specialty, in the annual report's shape.

    `municipalities` are rows with `county_name`, `centrality` and `status_<specialty>` (None = not applied).
    """
    municipalities = list(municipalities)
    tables = []
    for specialty in Specialty:
        key = f"status_{specialty.value}"
        rows, by_centrality = [], []
        for status in RegistrationStatus:
            matching = [m for m in municipalities if (m[key] or RegistrationStatus.NOT_APPLIED) == status]
            counties = Counter(m["county_name"] for m in matching)
            rows.append(
                StatusRow(
                    status=status.value,
                    label=status.label,
                    count=len(matching),
                    centrality_6=sum(1 for m in matching if m["centrality"] == 6),
                    by_county=sorted(counties.items(), key=lambda item: (-item[1], item[0])),
                    centrality_unknown=sum(1 for m in matching if m["centrality"] is None),
                )
            )
            classes = Counter(m["centrality"] for m in matching)
            by_centrality.append((status.label, [classes.get(c, 0) for c in (*CENTRALITY_CLASSES, None)]))
        tables.append(RegistrationTable(specialty.value, specialty.label, rows, by_centrality))
    return tables


def registration_rows(office: Office | None, on: date | None = None) -> list[dict]:
    municipalities = Municipality.objects.with_registration_status(on)
    if office:
        municipalities = municipalities.in_office(office.pk)
    return list(
        municipalities.values(
            "centrality",
            *(f"status_{s.value}" for s in Specialty),
            county_name=F("county__name"),
        )
    )


def old_scheme_at_risk(office: Office | None, today: date) -> int:
    """Ongoing old-scheme ALIS, who must apply for approval before the old scheme's deadline."""
    return ongoing_trainings(office, today).filter(scheme=Scheme.OLD).count()


def contract_labels() -> list[tuple[str, str]]:
    return [(c.value, c.label) for c in Contract]
