"""Reading the pool, the matching's input and the compliance numbers from the database, in bounded queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from registry.models import Office
from supervision import matching, rules
from supervision.models import SupervisionSession, SupervisorProfile
from training import rules as training_rules
from training.models import ServicePeriod, Training
from training.schemes import SupervisionRule


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
    "doctor__is_community_medicine_specialist",
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
            community_specialist,
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
                is_community_medicine_specialist=community_specialist,
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
    training_id: int
    municipality: str
    status: rules.SupervisionStatus
    leave: list[rules.Span]
    # The scheme's rule the status is judged by: where it sets no hours, its text says why nothing is judged.
    rule: SupervisionRule
    training: Training | None = None  # loaded only for the rows shown (complete)


@dataclass
class MunicipalityCompliance:
    name: str
    alis: int = 0
    behind: int = 0
    group_behind: int = 0
    rows: list[ComplianceRow] = field(default_factory=list)


def compliance(trainings: QuerySet, on: date) -> list[ComplianceRow]:
    """The supervision status of each ongoing training; three queries whatever the number of trainings.

    The minutes are summed in the database, two sums per training (one grouped query); the rule itself
    (rules.supervision_status) stays a pure function of those sums. The months without sessions are left
    out here and counted by `complete` for the rows shown: summing every month of the window for every
    training took longer than all the rest of the list. The trainings are read as plain values: building
    a model instance for each of two thousand ALIS costs more than the rule.
    """
    since = _window_start(on)
    fields = (
        "pk",
        "start",
        "expected_end",
        "position_share",
        "specialty",
        "scheme",
        "old_scheme_outcome__outcome",
        "employer__name",
    )
    trainings = trainings.filter(start__lte=on)
    facts = list(trainings.values_list(*fields))
    chosen = trainings.values("pk")
    sums = {
        training_id: (individual, group)
        for training_id, individual, group in SupervisionSession.objects.filter(training__in=chosen, date__lte=on)
        .values("training_id")
        .annotate(
            individual=Sum("minutes", filter=Q(kind=SupervisionSession.Kind.INDIVIDUAL, date__gte=since)),
            group=Sum("minutes", filter=Q(kind=SupervisionSession.Kind.GROUP)),
        )
        .values_list("training_id", "individual", "group")
        .order_by()
    }
    leave: dict[int, list[rules.Span]] = defaultdict(list)
    periods = ServicePeriod.objects.filter(training__in=chosen, kind=ServicePeriod.Kind.LEAVE, start__lte=on)
    for training_id, start, end in periods.values_list("training_id", "start", "end"):
        leave[training_id].append(rules.Span(start, min(end or on, on)))
    rows = []
    for pk, start, expected_end, position_share, specialty, scheme, outcome, municipality in facts:
        individual, group = sums.get(pk, (None, None))
        # Judged by the scheme's own rules (the old scheme sets no hours): training.rules.rules_for.
        rule_set = training_rules.rules_for(specialty=specialty, scheme=scheme, outcome=outcome, on=on).rule_set
        status = rules.supervision_status(
            start=start,
            on=on,
            expected_end=expected_end,
            position_share=position_share,
            rule=rule_set.supervision,
            leave=leave[pk],
            individual_minutes_in_window=individual or 0,
            months_with_sessions=None,
            group_minutes=group or 0,
        )
        rows.append(
            ComplianceRow(
                training_id=pk, municipality=municipality, status=status, leave=leave[pk], rule=rule_set.supervision
            )
        )
    return rows


def _window_start(on: date) -> date:
    return on - timedelta(days=rules.WINDOW_DAYS - 1)


def complete(rows: Iterable[ComplianceRow], on: date) -> None:
    """For the rows about to be shown: load the trainings (with doctor and employer) and count the months
    without sessions; two queries."""
    rows = list(rows)
    ids = [r.training_id for r in rows]
    found = Training.objects.select_related("doctor", "employer").in_bulk(ids)
    months: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for training_id, month in (
        SupervisionSession.objects.filter(
            training_id__in=ids, kind=SupervisionSession.Kind.INDIVIDUAL, date__gte=_window_start(on), date__lte=on
        )
        .values_list("training_id", TruncMonth("date"))
        .distinct()
        .order_by()
    ):
        months[training_id].add((month.year, month.month))
    for row in rows:
        row.training = found[row.training_id]
        span = rules.Span(row.status.window_start, row.status.window_end)
        missing = rules.months_without_sessions(span, row.leave, months[row.training_id])
        row.status = replace(row.status, months_without_sessions=missing)


def by_municipality(rows: list[ComplianceRow]) -> list[MunicipalityCompliance]:
    groups: dict[str, MunicipalityCompliance] = {}
    for row in rows:
        group = groups.setdefault(row.municipality, MunicipalityCompliance(name=row.municipality))
        group.alis += 1
        group.behind += bool(row.status.behind)  # None (not judged) is not behind
        group.group_behind += bool(row.status.group_behind)
    return sorted(groups.values(), key=lambda g: g.name)
