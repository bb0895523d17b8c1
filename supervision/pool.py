"""Reading the pool, the matching's input and the compliance numbers from the database, in bounded queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from registry.models import Office
from supervision import matching, rules
from supervision.models import SupervisionSession, SupervisorProfile
from training.models import ServicePeriod, Training


@dataclass
class AreaRow:
    key: int
    name: str
    supervisors: int = 0
    qualified: int = 0
    capacity: int = 0
    load: int = 0
    free: int = 0
    without_supervisor: int = 0


@dataclass
class PoolSummary:
    rows: list[AreaRow]
    total: AreaRow
    by: str  # "municipality" or "county"


def _point(lat: float | None, lon: float | None) -> matching.Point | None:
    return (lat, lon) if lat is not None and lon is not None else None


CANDIDATE_FIELDS = (
    "doctor_id",
    "doctor__municipality_id",
    "doctor__gp_office_id",
    "doctor__municipality__latitude",
    "doctor__municipality__longitude",
    "doctor__is_specialist",
    "exemption_until",
    "available_from",
    "capacity",
    "load",
    "remote_ok",
    "supervises_alis",
    "supervises_community_medicine",
)


def candidates(profiles: QuerySet, on: date) -> list[matching.Candidate]:
    """The pool as matching records, with each supervisor's current load; one query."""
    result = []
    for row in (
        profiles.with_load(on).order_by("doctor__last_name", "doctor__first_name", "pk").values_list(*CANDIDATE_FIELDS)
    ):
        (
            doctor,
            municipality,
            gp_office,
            lat,
            lon,
            specialist,
            exemption,
            available,
            capacity,
            load,
            remote,
            alis,
            community,
        ) = row
        result.append(
            matching.Candidate(
                id=doctor,
                municipality_id=municipality,
                gp_office_id=gp_office,
                point=_point(lat, lon),
                is_specialist=specialist,
                exemption_until=exemption,
                available_from=available,
                capacity=capacity,
                load=load,
                remote_ok=remote,
                supervises_alis=alis,
                supervises_community_medicine=community,
            )
        )
    return result


def trainees(trainings: QuerySet) -> list[matching.Trainee]:
    rows = trainings.order_by("doctor__last_name", "doctor__first_name", "pk").values_list(
        "pk", "doctor_id", "employer_id", "gp_office_id", "employer__latitude", "employer__longitude", "specialty"
    )
    return [
        matching.Trainee(
            id=pk, doctor_id=doc, municipality_id=mun, gp_office_id=gp, point=_point(lat, lon), specialty=specialty
        )
        for pk, doc, mun, gp, lat, lon, specialty in rows
    ]


def without_supervisor(office: Office | None, on: date) -> QuerySet:
    trainings = Training.objects.ongoing().without_supervisor(on)
    return trainings.in_office(office.pk) if office else trainings


def profiles_in(office: Office | None) -> QuerySet:
    profiles = SupervisorProfile.objects.all()
    return profiles.in_office(office.pk) if office else profiles


def pool_summary(office: Office | None, on: date) -> PoolSummary:
    """Capacity, load and free places by municipality (one office) or by county (all), with the ALIS without."""
    by = "municipality" if office else "county"
    prefix = "doctor__municipality" if office else "doctor__municipality__county"
    rows: dict[int, AreaRow] = {}
    profiles = profiles_in(office).filter(doctor__municipality__isnull=False).with_load(on)
    for key, name, number, specialist, exemption, capacity, load in profiles.values_list(
        f"{prefix}_id",
        f"{prefix}__name",
        f"{prefix}__number",
        "doctor__is_specialist",
        "exemption_until",
        "capacity",
        "load",
    ):
        row = rows.setdefault(key, AreaRow(key=key, name=f"{number} {name}"))
        row.supervisors += 1
        row.qualified += specialist or (exemption is not None and exemption >= on)
        row.capacity += capacity
        row.load += load
        row.free += max(0, capacity - load)
    area = "employer" if office else "employer__county"
    for key, name, number in without_supervisor(office, on).values_list(
        f"{area}_id", f"{area}__name", f"{area}__number"
    ):
        rows.setdefault(key, AreaRow(key=key, name=f"{number} {name}")).without_supervisor += 1
    ordered = sorted(rows.values(), key=lambda r: r.name)
    total = AreaRow(key=0, name="")
    for row in ordered:
        for name in ("supervisors", "qualified", "capacity", "load", "free", "without_supervisor"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return PoolSummary(rows=ordered, total=total, by=by)


@dataclass
class ComplianceRow:
    training: Training
    status: rules.SupervisionStatus


@dataclass
class MunicipalityCompliance:
    name: str
    alis: int = 0
    behind: int = 0
    group_behind: int = 0
    rows: list[ComplianceRow] = field(default_factory=list)


def compliance(trainings: QuerySet, on: date) -> list[ComplianceRow]:
    """The supervision status of each ongoing training; four queries whatever the number of trainings."""
    since = on - timedelta(days=rules.WINDOW_DAYS - 1)
    individual = Q(supervision_sessions__kind=SupervisionSession.Kind.INDIVIDUAL)
    in_window = Q(supervision_sessions__date__gte=since, supervision_sessions__date__lte=on)
    trainings = list(
        trainings.select_related("doctor", "employer").annotate(
            individual_minutes=Sum("supervision_sessions__minutes", filter=individual & in_window),
            group_minutes=Sum(
                "supervision_sessions__minutes",
                filter=Q(supervision_sessions__kind=SupervisionSession.Kind.GROUP, supervision_sessions__date__lte=on),
            ),
        )
    )
    ids = [t.pk for t in trainings]
    months: dict[int, set[tuple[int, int]]] = defaultdict(set)
    sessions = SupervisionSession.objects.filter(
        training_id__in=ids, kind=SupervisionSession.Kind.INDIVIDUAL, date__gte=since, date__lte=on
    )
    for training_id, month in (
        sessions.annotate(month=TruncMonth("date")).values_list("training_id", "month").distinct()
    ):
        months[training_id].add((month.year, month.month))
    leave: dict[int, list[rules.Span]] = defaultdict(list)
    periods = ServicePeriod.objects.filter(training_id__in=ids, kind=ServicePeriod.Kind.LEAVE, start__lte=on)
    for training_id, start, end in periods.values_list("training_id", "start", "end"):
        leave[training_id].append(rules.Span(start, min(end or on, on)))
    return [
        ComplianceRow(
            training=t,
            status=rules.supervision_status(
                start=t.start,
                on=on,
                expected_end=t.expected_end,
                position_share=t.position_share,
                specialty=t.specialty,
                leave=leave[t.pk],
                individual_minutes_in_window=t.individual_minutes or 0,
                months_with_sessions=months[t.pk],
                group_minutes=t.group_minutes or 0,
            ),
        )
        for t in trainings
        if t.start <= on
    ]


def by_municipality(rows: list[ComplianceRow]) -> list[MunicipalityCompliance]:
    groups: dict[str, MunicipalityCompliance] = {}
    for row in rows:
        group = groups.setdefault(row.training.employer.name, MunicipalityCompliance(name=row.training.employer.name))
        group.alis += 1
        group.behind += row.status.behind
        group.group_behind += row.status.group_behind
    return sorted(groups.values(), key=lambda g: g.name)
