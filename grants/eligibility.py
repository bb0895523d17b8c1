"""Who can bring the municipality a grant, and who has not been applied for ("money left on the table").

RULES.md (Grants): the ALIS must be in the new scheme; ALIS hired through temp agencies are not eligible.
The grant is for specialisation in allmennmedisin: community medicine only where the scheme's rule says so
(`GrantScheme.community_medicine_eligible`, with its source). "Ongoing in the period": started by the
period's end and not ended before its start.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from grants import lines
from grants.models import ApplicationLine, GrantApplication
from grants.periods import GrantYear
from registry.models import Municipality, Specialty
from training.models import ONGOING, Contract, Scheme, Training


def eligible_specialties(*, community_medicine: bool) -> list[str]:
    """The specialties whose ALIS can bring the grant: allmennmedisin, and samfunnsmedisin only by rule."""
    return [Specialty.GENERAL_PRACTICE, *([Specialty.COMMUNITY_MEDICINE] if community_medicine else [])]


def eligible_trainings(year: GrantYear, *, user: User, office_code: str | None = None) -> QuerySet[Training]:
    trainings = (
        Training.objects.visible_to(user)
        .filter(scheme=Scheme.NEW, start__lte=year.end)
        .filter(specialty__in=eligible_specialties(community_medicine=year.community_medicine_eligible))
        .filter(Q(ended_on__isnull=True, status__in=ONGOING) | Q(ended_on__gte=year.start))
        .exclude(grant_profile__temp_agency=True)
    )
    if office_code:
        trainings = trainings.filter(employer__county__office__code=office_code)
    return trainings


def not_applied(year: GrantYear, *, user: User, office_code: str | None = None) -> QuerySet[Training]:
    """Eligible ALIS in no application line of the period (all of them when the period is missing)."""
    trainings = eligible_trainings(year, user=user, office_code=office_code)
    if year.period is None:
        return trainings
    applied = ApplicationLine.objects.filter(application__period=year.period).values("training_id")
    return trainings.exclude(pk__in=applied)


def default_inputs(training: Training, year: GrantYear) -> lines.Inputs:
    """The inputs a new line for this ALIS gets: all from the training and its grant profile."""
    facts = lines.facts_of(training)
    return lines.inputs(period_start=year.start, period_end=year.end, window=year.window, facts=facts)


@dataclass(frozen=True)
class AlisRow:
    """What the "not applied" list shows of one ALIS."""

    pk: int
    first_name: str
    last_name: str
    contract: str
    position_share: int
    start: date

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def contract_label(self) -> str:
        return str(dict(Contract.choices).get(self.contract, self.contract))  # as get_contract_display


@dataclass
class MunicipalityGap:
    municipality: Municipality
    application: GrantApplication | None
    trainings: list[AlisRow] = field(default_factory=list)
    estimates: list[lines.LineAmount] = field(default_factory=list)

    @cached_property
    def totals(self) -> lines.Totals:
        totals = lines.Totals()
        for estimate in self.estimates:
            totals.add(estimate)
        return totals

    @property
    def rows(self) -> list[tuple[AlisRow, lines.LineAmount]]:
        return list(zip(self.trainings, self.estimates, strict=True))


def left_on_table(year: GrantYear, *, user: User, office_code: str | None = None) -> list[MunicipalityGap]:
    """Per municipality, the eligible ALIS in no application with an estimate of the grant (default line)."""
    estimator = lines.Estimator(year.rates, explain=False)
    # Plain values, not model instances: nationally the page reads thousands of ALIS.
    rows = (
        not_applied(year, user=user, office_code=office_code)
        .order_by("employer__name_norwegian", "doctor__last_name", "doctor__first_name", "pk")
        .values_list(
            "pk",
            "doctor__first_name",
            "doctor__last_name",
            "contract",
            "position_share",
            "start",
            "ended_on",
            "employer_id",
            "employer__centrality",
            "grant_profile__position_type",
            "grant_profile__first_gp_day",
        )
    )
    applications = (
        {}
        if year.period is None
        else {
            a.municipality_id: a
            for a in GrantApplication.objects.visible_to(user).filter(period=year.period).select_related("municipality")
        }
    )
    found: dict[int, MunicipalityGap] = {}  # by municipality, in the rows' order
    period = {"period_start": year.start, "period_end": year.end, "window": year.window}
    for pk, first, last, contract, share, start, end, employer_id, centrality, position_type, first_gp_day in rows:
        facts = lines.TrainingFacts(start, end, contract, share, position_type or "", first_gp_day)
        inputs = lines.inputs(**period, facts=facts)
        if not inputs.months:
            continue  # not one whole month in the period: nothing to apply for
        gap = found.setdefault(employer_id, MunicipalityGap(None, applications.get(employer_id)))
        gap.trainings.append(AlisRow(pk, first, last, contract, share, start))
        gap.estimates.append(estimator.line(inputs, centrality))
    municipalities = Municipality.objects.select_related("county").in_bulk(list(found))
    for pk, gap in found.items():
        gap.municipality = municipalities[pk]
    return list(found.values())


@dataclass
class SilentMunicipality:
    municipality: Municipality
    eligible: int
    application: GrantApplication | None


def sent_nothing(year: GrantYear, *, user: User, office_code: str | None = None) -> list[SilentMunicipality]:
    """Municipalities with eligible ALIS that have sent no application for the period (none, or a draft)."""
    eligible = eligible_trainings(year, user=user, office_code=office_code)
    counts = dict(eligible.order_by().values_list("employer_id").annotate(n=Count("pk")))
    applications = {}
    if year.period is not None:
        sent = GrantApplication.objects.visible_to(user).filter(period=year.period, municipality_id__in=counts)
        applications = {a.municipality_id: a for a in sent}
    municipalities = Municipality.objects.in_bulk(
        [pk for pk in counts if pk not in applications or not applications[pk].is_sent]
    )
    silent = [
        SilentMunicipality(municipalities[pk], count, applications.get(pk))
        for pk, count in counts.items()
        if pk in municipalities
    ]
    return sorted(silent, key=lambda s: s.municipality.name_norwegian)
