"""Who can bring the municipality a grant, and who has not been applied for ("money left on the table").

RULES.md (Grants): the ALIS must be in the new scheme; ALIS hired through temp agencies are not eligible.
"Ongoing in the period": started by the period's end and not ended before its start.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from grants import calculation as calc
from grants.calculation import GrantType, PositionType
from grants.models import ApplicationLine, GrantApplication, RatePeriod
from registry.models import Municipality
from training.models import ONGOING, Contract, Scheme, Training


def eligible_trainings(period: RatePeriod, *, user: User, office_code: str | None = None) -> QuerySet[Training]:
    trainings = (
        Training.objects.visible_to(user)
        .filter(scheme=Scheme.NEW, start__lte=period.end)
        .filter(Q(ended_on__isnull=True, status__in=ONGOING) | Q(ended_on__gte=period.start))
        .exclude(grant_profile__temp_agency=True)
    )
    if office_code:
        trainings = trainings.filter(employer__county__office__code=office_code)
    return trainings


def not_applied(period: RatePeriod, *, user: User, office_code: str | None = None) -> QuerySet[Training]:
    """Eligible ALIS in no application line of the period."""
    applied = ApplicationLine.objects.filter(application__period=period).values("training_id")
    return eligible_trainings(period, user=user, office_code=office_code).exclude(pk__in=applied)


def suggested_position_type(contract: str) -> str:
    """A salaried doctor without a list works outside the regular-GP scheme; others are taken as fastlege/vikar.

    An introduction doctor can not be told from the training record: the office sets it on the grant profile.
    """
    return PositionType.OUTSIDE_REGULAR_GP if contract == Contract.MUNICIPAL_NO_LIST else PositionType.REGULAR_GP


def default_line(training: Training, period: RatePeriod) -> dict:
    """The line an application gets for an ALIS, from the training record and its grant profile."""
    profile = getattr(training, "grant_profile", None)
    return line_from_values(
        period,
        start=training.start,
        end=training.ended_on,
        contract=training.contract,
        position_share=training.position_share,
        position_type=profile.position_type if profile else None,
        first_gp_day=profile.first_gp_day if profile else None,
    )


def line_from_values(
    period: RatePeriod,
    *,
    start: date,
    end: date | None,
    contract: str,
    position_share: int,
    position_type: str | None,
    first_gp_day: date | None,
) -> dict:
    """`default_line` from plain values: the "not applied" list reads thousands of ALIS as values."""
    dates = {"period_start": period.start, "period_end": period.end, "start": start, "end": end}
    return {
        "position_type": position_type or suggested_position_type(contract),
        "grant_type": GrantType.ALIS_AGREEMENT,
        "position_share": position_share,
        "months": calc.months_in_period(**dates),
        "productivity_months": calc.productivity_months(
            **dates, first_gp_day=first_gp_day, window=period.productivity_months
        ),
    }


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
    amounts: list[Decimal] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, Decimal(0))

    @property
    def rows(self) -> list[tuple[AlisRow, Decimal]]:
        return list(zip(self.trainings, self.amounts, strict=True))


def left_on_table(period: RatePeriod, *, user: User, office_code: str | None = None) -> list[MunicipalityGap]:
    """Per municipality, the eligible ALIS in no application with an estimate of the grant (default line)."""
    rates = period.rates()
    # Plain values, not model instances: nationally the page reads thousands of ALIS.
    rows = (
        not_applied(period, user=user, office_code=office_code)
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
    applications = {
        a.municipality_id: a
        for a in GrantApplication.objects.visible_to(user).filter(period=period).select_related("municipality")
    }
    found: dict[int, tuple[list[AlisRow], list[Decimal]]] = {}  # by municipality, in the rows' order
    # Many ALIS share the same parameters: compute each combination once (the page lists thousands nationally).
    computed: dict[tuple, Decimal] = {}
    for pk, first, last, contract, share, start, end, employer_id, centrality, position_type, first_gp_day in rows:
        line = line_from_values(
            period,
            start=start,
            end=end,
            contract=contract,
            position_share=share,
            position_type=position_type,
            first_gp_day=first_gp_day,
        )
        # the total depends on the centrality only through the supplement's class: fewer combinations
        key = (*line.values(), centrality == calc.SUPPLEMENT_CENTRALITY)
        if key not in computed:
            computed[key] = calc.total(rates=rates, centrality=centrality, **line)
        amount = computed[key]
        if not amount:
            continue  # not one whole month in the period: nothing to apply for
        trainings, amounts = found.setdefault(employer_id, ([], []))
        trainings.append(AlisRow(pk, first, last, contract, share, start))
        amounts.append(amount)
    municipalities = Municipality.objects.in_bulk(list(found))
    return [
        MunicipalityGap(municipalities[pk], applications.get(pk), trainings, amounts)
        for pk, (trainings, amounts) in found.items()
    ]


@dataclass
class SilentMunicipality:
    municipality: Municipality
    eligible: int
    application: GrantApplication | None


def sent_nothing(period: RatePeriod, *, user: User, office_code: str | None = None) -> list[SilentMunicipality]:
    """Municipalities with eligible ALIS that have sent no application for the period (none, or a draft)."""
    eligible = eligible_trainings(period, user=user, office_code=office_code)
    counts = dict(eligible.order_by().values_list("employer_id").annotate(n=Count("pk")))
    sent = GrantApplication.objects.visible_to(user).filter(period=period, municipality_id__in=counts)
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
