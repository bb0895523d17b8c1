"""Each ALIS's status against the rules of their scheme, for one training or a whole region, in four queries.

The training page, the old scheme's deadline list, the start page, the API and the benchmark read the same
numbers from here: which rules apply and why, the counted service per requirement (with the doctor's earlier
courses of training in the specialty), the on-call shifts, the outcome at the old scheme's deadline and the
risks before it. Supervision is judged in `supervision` (which builds on this app), by the same rule sets.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property

from django.db.models import QuerySet
from django.utils.translation import gettext

from training import rules, schemes
from training.models import ONGOING, OldSchemeOutcome, ServicePeriod, ShiftCount, Training, period_name
from training.rules import Period, Risk, RuleChoice, ServiceCount


@dataclass(frozen=True)
class EarlierTraining:
    """An earlier course of training of the same doctor in the specialty, whose service counts here too."""

    pk: int
    start: date
    ended_on: date | None


@dataclass(frozen=True)
class Shifts:
    count: int
    counted_on: date


@dataclass(frozen=True)
class Outcome:
    kind: str
    decided_on: date
    note: str

    @property
    def label(self) -> str:
        return OldSchemeOutcome.Kind(self.kind).label


@dataclass(frozen=True)
class Missing:
    label: str
    text: str


@dataclass(frozen=True)
class AlisStatus:
    training_id: int
    specialty: str
    scheme: str  # as registered
    choice: RuleChoice
    service: ServiceCount
    served_before: int  # share-ticks counted from earlier courses of training (included in `service`)
    earlier: tuple[EarlierTraining, ...]
    shifts: Shifts | None
    outcome: Outcome | None
    expected_end: date
    risks: tuple[Risk, ...]

    @property
    def rule_set(self) -> schemes.RuleSet:
        return self.choice.rule_set

    @property
    def judged_by_old_rules(self) -> bool:
        return self.rule_set.scheme == schemes.OLD

    @property
    def shifts_required(self) -> int | None:
        return self.rule_set.shifts_required

    @property
    def shifts_met(self) -> bool | None:
        if self.shifts_required is None:
            return None
        return self.shifts is not None and self.shifts.count >= self.shifts_required

    @property
    def shifts_missing(self) -> int | None:
        if self.shifts_required is None:
            return None
        return max(0, self.shifts_required - (self.shifts.count if self.shifts else 0))

    @cached_property
    def missing(self) -> list[Missing]:
        """What is still missing, requirement by requirement, in the field's words.

        Worked out once per status: the old-scheme list keeps its statuses per data change and language
        (core.dataversion) and read this for every row of every request (profiled: 5 ms of 50 rows).
        """
        found = []
        for line in self.service.lines:
            if line.met is False:
                tenths = line.missing_tenths
                amount = gettext("under 0,1 år") if tenths is None else years_text(tenths)
                found.append(Missing(str(line.requirement.label), amount))
        if self.shifts_met is False:
            if self.shifts is None:
                text = gettext("ikke registrert (krav %(required)s)") % {"required": self.shifts_required}
            else:
                text = gettext("%(missing)s (har %(count)s av %(required)s)") % {
                    "missing": self.shifts_missing,
                    "count": self.shifts.count,
                    "required": self.shifts_required,
                }
            found.append(Missing(gettext("Legevakter"), text))
        return found

    @property
    def missing_text(self) -> str:
        return "; ".join(f"{m.label}: {m.text}" for m in self.missing)


def years_text(tenths: int) -> str:
    """«1,2 år» (the decimal sign of the language in use)."""
    from django.utils.formats import number_format

    return gettext("%(years)s år") % {"years": number_format(tenths / 10, 1)}


def statuses(trainings: QuerySet, on: date) -> dict[int, AlisStatus]:
    """The status of each training in `trainings` on `on`, by training id; three queries whatever their number."""
    facts = [
        Facts(*row)
        for row in trainings.order_by().values_list(
            "pk",
            "doctor_id",
            "specialty",
            "scheme",
            "start",
            "expected_end",
            "status",
            "old_scheme_outcome__outcome",
            "old_scheme_outcome__decided_on",
            "old_scheme_outcome__note",
        )
    ]
    return _statuses(facts, trainings.order_by().values("doctor_id"), on)


def _named_overlaps(service: ServiceCount) -> ServiceCount:
    """Name the periods of a data problem (rare), rather than every period read."""
    if not service.overlaps:
        return service
    named = tuple(
        replace(o, periods=tuple(replace(p, label=period_name(p.kind, p.start, p.end)) for p in o.periods))
        for o in service.overlaps
    )
    return replace(service, overlaps=named)


def status_of(training: Training, on: date) -> AlisStatus:
    """One training's status: two queries (its own row is already loaded)."""
    outcome = getattr(training, "old_scheme_outcome", None) if training.pk else None
    fact = Facts(
        training.pk,
        training.doctor_id,
        training.specialty,
        training.scheme,
        training.start,
        training.expected_end,
        training.status,
        outcome.outcome if outcome else None,
        outcome.decided_on if outcome else None,
        outcome.note if outcome else "",
    )
    return _statuses([fact], [training.doctor_id], on)[training.pk]


@dataclass(frozen=True)
class Facts:
    pk: int
    doctor_id: int
    specialty: str
    scheme: str
    start: date
    expected_end: date
    status: str
    outcome: str | None
    decided_on: date | None
    note: str | None


def _statuses(facts: list[Facts], doctors, on: date) -> dict[int, AlisStatus]:
    """The statuses from the trainings' own facts, reading the service and the shifts of all the doctors' courses
    of training (earlier ones count too) in one query each."""
    trainings: dict[int, dict[int, EarlierTraining]] = defaultdict(dict)  # doctor → training id → training
    specialties: dict[int, str] = {}
    periods: dict[int, list[Period]] = defaultdict(list)
    for row in ServicePeriod.objects.filter(training__doctor_id__in=doctors).values_list(
        "training_id",
        "pk",
        "kind",
        "start",
        "end",
        "share",
        "planned",
        "training__doctor_id",
        "training__specialty",
        "training__start",
        "training__ended_on",
    ):
        training_id, pk, kind, start, end, share, planned, doctor_id, specialty, *training = row
        periods[training_id].append(Period(kind, start, end, share, planned, key=pk))
        trainings[doctor_id][training_id] = EarlierTraining(training_id, *training)
        specialties[training_id] = specialty
    shifts: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for training_id, doctor_id, specialty, start, counted_on, count in ShiftCount.objects.filter(
        training__doctor_id__in=doctors, counted_on__lte=on
    ).values_list(
        "training_id", "training__doctor_id", "training__specialty", "training__start", "counted_on", "shifts"
    ):
        shifts[training_id].append((counted_on, count))
        trainings[doctor_id].setdefault(training_id, EarlierTraining(training_id, start, None))
        specialties[training_id] = specialty

    result = {}
    for fact in facts:
        earlier = [
            other
            for other in trainings[fact.doctor_id].values()
            if specialties[other.pk] == fact.specialty and (other.start, other.pk) < (fact.start, fact.pk)
        ]
        earlier.sort(key=lambda other: (other.start, other.pk))
        result[fact.pk] = _status(
            fact,
            own=periods[fact.pk],
            earlier=[other for other in earlier if periods[other.pk]],
            earlier_periods=[p for other in earlier for p in periods[other.pk]],
            shift_rows=[s for training_id in [fact.pk, *(o.pk for o in earlier)] for s in shifts[training_id]],
            on=on,
        )
    return result


def _status(
    fact: Facts,
    *,
    own: list[Period],
    earlier: list[EarlierTraining],
    earlier_periods: list[Period],
    shift_rows: list[tuple[date, int]],
    on: date,
) -> AlisStatus:
    specialty, scheme = fact.specialty, fact.scheme
    outcome = Outcome(fact.outcome, fact.decided_on, fact.note or "") if fact.outcome else None
    choice = rules.rules_for(specialty=specialty, scheme=scheme, outcome=fact.outcome, on=on)
    rule_set = choice.rule_set
    service = _named_overlaps(rules.count_service([*earlier_periods, *own], rule_set, on=on))
    served_before = rules.count_service(earlier_periods, rule_set, on=on).total if earlier_periods else 0
    latest = max(shift_rows, default=None)
    shifts = Shifts(count=latest[1], counted_on=latest[0]) if latest else None
    risks: list[Risk] = []
    # The deadline's risks concern an ongoing old-scheme ALIS who has not yet applied, or whose application still
    # waits; not one who finished, left, was approved or went over to the new scheme.
    pending = fact.outcome in (None, schemes.APPLIED) and fact.status in ONGOING
    if pending and scheme == schemes.OLD and rule_set.scheme == schemes.OLD and rule_set.known:
        hospital = rule_set.hospital_years
        service_days = [p.end or p.start for p in own if p.kind != schemes.LEAVE]
        risks = rules.deadline_risks(
            rules.DeadlineFacts(
                expected_end=fact.expected_end,
                last_service_day=max(service_days, default=None),
                hospital_counted=service.per_kind.get(schemes.HOSPITAL, 0) if hospital is not None else None,
                hospital_planned_in_time=rules.planned_before(
                    [*earlier_periods, *own], schemes.HOSPITAL, after=on, until=schemes.OLD_SCHEME_DEADLINE
                ),
                hospital_required=rules.of_years(hospital) if hospital is not None else None,
                shifts=shifts.count if shifts else None,
                shifts_required=rule_set.shifts_required,
            )
        )
    return AlisStatus(
        training_id=fact.pk,
        specialty=specialty,
        scheme=scheme,
        choice=choice,
        service=service,
        served_before=served_before,
        earlier=tuple(earlier),
        shifts=shifts,
        outcome=outcome,
        expected_end=fact.expected_end,
        risks=tuple(risks),
    )


def expected_end_of(training: Training) -> date:
    """The expected end of a (possibly unsaved) training: its registered scheme's total service from its start, at
    its position share, leave holding the clock, less what the doctor served in earlier courses of training."""
    rule_set = schemes.RULE_SETS.get((training.specialty, training.scheme)) or schemes.GENERAL_PRACTICE_NEW
    periods = training.periods.all() if training.pk else []
    leave = [p.as_rule_period() for p in periods if p.kind == ServicePeriod.Kind.LEAVE]
    served_before = 0
    if training.doctor_id:
        earlier = Training.objects.filter(
            doctor_id=training.doctor_id, specialty=training.specialty, start__lte=training.start
        ).exclude(pk=training.pk)
        if training.pk:
            earlier = earlier.exclude(start=training.start, pk__gt=training.pk)
        earlier_periods = [
            p.as_rule_period() for p in ServicePeriod.objects.filter(training__in=earlier).order_by("start")
        ]
        if earlier_periods:
            day_before = training.start - timedelta(days=1)
            served_before = rules.count_service(earlier_periods, rule_set, on=day_before).total
    return rules.expected_end(
        start=training.start,
        position_share=training.position_share,
        leave=leave,
        total_years=rule_set.total_years,
        served_before=served_before,
    )


def later_trainings(training: Training) -> QuerySet:
    """The doctor's later courses of training in the specialty, whose expected end counts this one's service."""
    return (
        Training.objects.filter(doctor_id=training.doctor_id, specialty=training.specialty, start__gte=training.start)
        .exclude(pk=training.pk)
        .exclude(start=training.start, pk__lt=training.pk)
    )
