"""Demo grants: the (unverified) rate table, applications with lines, and cost sheets like "ALIS A–D".

Reproducible like demo/seed.py: one `random.Random(seed)`, dates from `today`. About two thirds of the
municipalities with eligible ALIS have an application, so that "money left on the table" has something
to show; a few ALIS are marked as hired through a temp agency.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from grants import eligibility, lines
from grants.models import ApplicationLine, CostSheet, GrantApplication, GrantProfile
from grants.periods import GrantYear
from grants.rates import load_rates
from registry.models import Specialty
from training.models import Contract, Scheme, Training

APPLIED_SHARE = 0.65
TEMP_AGENCY_SHARE = 0.03
COST_SHEETS_PER_OFFICE = 4
Status = GrantApplication.Status
STATUS_WEIGHTS = {Status.DRAFT: 15, Status.SENT: 35, Status.GRANTED: 25, Status.PAID: 15, Status.AUDITED: 7,
                  Status.REPAY: 3}  # fmt: skip


def seed_grants(*, seed: int, today: date) -> dict[str, int]:
    rng = random.Random(seed + 6)  # noqa: S311 (demo data, not security)
    period, _created = load_rates()
    year = GrantYear.of(period)
    estimator = lines.Estimator(period.rates())
    # The grant is for allmennmedisin (the scheme's rule: community medicine is not eligible by default).
    trainings = list(
        Training.objects.filter(scheme=Scheme.NEW, specialty=Specialty.GENERAL_PRACTICE)
        .select_related("employer__county__office", "doctor")
        .order_by("pk")
    )
    profiles = [
        GrantProfile(training=t, temp_agency=True) for t in trainings if rng.random() < TEMP_AGENCY_SHARE
    ]
    GrantProfile.objects.bulk_create(profiles)
    temp = {p.training_id for p in profiles}
    ongoing = [t for t in trainings if t.pk not in temp and _in_period(t, period.start, period.end)]
    by_municipality: dict[int, list[Training]] = {}
    for training in ongoing:
        by_municipality.setdefault(training.employer_id, []).append(training)

    applications, new_lines = [], []
    amounts: dict[int, lines.LineAmount] = {}  # by training: what its line gives, as every page computes it
    for trainings_here in by_municipality.values():
        if rng.random() > APPLIED_SHARE:
            continue
        municipality = trainings_here[0].employer
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        application = GrantApplication(municipality=municipality, period=period, status=status)
        if status != Status.DRAFT:
            application.sent_on = period.start + timedelta(days=rng.randint(60, 90))
        applications.append(application)
        # Some ALIS are left out of a sent application: money left on the table inside an application too.
        for training in trainings_here:
            if rng.random() < 0.15:
                continue
            # No typed inputs: the line follows the training, as one made in the app does.
            amounts[training.pk] = estimator.line(eligibility.default_inputs(training, year), municipality.centrality)
            new_lines.append((application, ApplicationLine(training=training)))
    GrantApplication.objects.bulk_create(applications)
    for application, line in new_lines:
        line.application = application
    ApplicationLine.objects.bulk_create([line for _application, line in new_lines])
    _granted(applications, [line for _application, line in new_lines], amounts)

    sheets = _cost_sheets(rng, ongoing, period.start.year, amounts)
    CostSheet.objects.bulk_create(sheets)
    return {"tilskuddssøknader": len(applications), "søknadslinjer": len(new_lines), "kostnadsark": len(sheets)}


def _in_period(training: Training, start: date, end: date) -> bool:
    """The rule of grants.eligibility.eligible_trainings, for rows in memory."""
    if training.start > end:
        return False
    if training.ended_on is None:
        return training.is_ongoing
    return training.ended_on >= start


def remove_grant_data() -> None:
    """Applications and cost sheets hold on to trainings; the rate periods (reference data) stay."""
    ApplicationLine.objects.all().delete()
    GrantApplication.objects.all().delete()
    CostSheet.objects.all().delete()
    GrantProfile.objects.all().delete()


def _granted(
    applications: list[GrantApplication], new_lines: list[ApplicationLine], amounts: dict[int, lines.LineAmount]
) -> None:
    sums: dict[int, Decimal] = {}
    for line in new_lines:
        sums[line.application_id] = sums.get(line.application_id, Decimal(0)) + amounts[line.training_id].amount
    granted = [a for a in applications if a.status in {Status.GRANTED, Status.PAID, Status.AUDITED, Status.REPAY}]
    for application in granted:
        application.granted_amount = sums.get(application.pk, Decimal(0))
        if application.status in {Status.PAID, Status.AUDITED, Status.REPAY}:
            application.paid_on = application.sent_on + timedelta(days=45)
        if application.status == Status.AUDITED:
            application.auditor_statement_on = application.period.auditor_deadline - timedelta(days=10)
        if application.status == Status.REPAY:
            application.repay_amount = (application.granted_amount * Decimal("0.2")).quantize(Decimal(1))
    GrantApplication.objects.bulk_update(
        granted, ["granted_amount", "paid_on", "auditor_statement_on", "repay_amount"]
    )


def _cost_sheets(
    rng: random.Random, trainings: list[Training], year: int, amounts: dict[int, lines.LineAmount]
) -> list[CostSheet]:
    """Four ALIS per office with made-up but plausible yearly figures (order of magnitude of ALIS A–D).

    They obey the grant rules: basistilskudd only with a list, an agreement line for a self-employed ALIS,
    and the ALIS grant of the sheet's year (the rate period from 1 June) as its application line gives it.
    """
    sheets = []
    per_office: dict[int, int] = {}
    for training in trainings:
        office = training.employer.county.office_id
        if per_office.get(office, 0) >= COST_SHEETS_PER_OFFICE:
            continue
        per_office[office] = per_office.get(office, 0) + 1
        salaried = training.contract in {Contract.SALARIED, Contract.MUNICIPAL_NO_LIST}
        with_list = training.contract != Contract.MUNICIPAL_NO_LIST and bool(training.doctor.list_size)
        share = Decimal(training.position_share) / 100
        line = amounts.get(training.pk)
        sheets.append(
            CostSheet(
                training=training,
                year=year,
                list_length=training.doctor.list_size,
                other_work_share=rng.choice([0, 10, 20, 30]),
                salary=_round(Decimal(rng.randint(950_000, 1_250_000)) * share) if salaried else Decimal(0),
                bonus=Decimal(rng.choice([0, 50_000, 100_000])),
                office_costs=Decimal(rng.randint(80_000, 200_000)) if salaried else Decimal(0),
                supervision=Decimal(rng.randint(60_000, 95_000)),
                courses=Decimal(rng.randint(20_000, 60_000)),
                travel=Decimal(rng.randint(10_000, 40_000)),
                locum=Decimal(rng.randint(0, 120_000)),
                patient_fees=_round(Decimal(rng.randint(500_000, 900_000)) * share) if salaried else Decimal(0),
                per_capita=(
                    _round(Decimal(rng.randint(300_000, 600_000)) * share) if salaried and with_list else Decimal(0)
                ),
                agreement_payment=(
                    Decimal(rng.randint(40_000, 160_000)) if training.contract == Contract.SELF_EMPLOYED else Decimal(0)
                ),
                alis_grant=(line.value or Decimal(0)) if line else Decimal(0),
            )
        )
    return sheets


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1000))
