"""Demo data: the regular-GP lists an office would have imported over the years (`dataio.GpListSnapshot`).

One national list on 1 February of each year since 2020, except 2023 (a year nobody imported, so that retention
after completion shows «ukjent» where no list covers a day). Who is on each list follows the demo's own story:
- regular GPs who are not ALIS are on every list of their municipality;
- an ALIS with a patient list (self-employed or salaried GP) is on the employer's lists while training;
- a specialist who is a regular GP today has been on the lists of that municipality since completing;
  one who is not stayed on the employer's lists for a while after completing (up to four years), then left.
Synthetic and reproducible like the rest: one `random.Random(seed)`.
"""

import random
from datetime import date, timedelta

from dataio.models import GpListSnapshot
from registry.models import Doctor, Municipality, Specialty
from training.models import Contract, Status, Training

FIRST_YEAR = 2020
MISSING_YEARS = {2023}
LIST_CONTRACTS = {Contract.SELF_EMPLOYED, Contract.SALARIED}


def list_days(today: date) -> list[date]:
    return [
        day
        for year in range(FIRST_YEAR, today.year + 1)
        if year not in MISSING_YEARS and (day := date(year, 2, 1)) <= today
    ]


def seed_gp_lists(*, seed: int, today: date) -> None:
    rng = random.Random(seed + 11)  # noqa: S311 (reproducible demo data)
    days = list_days(today)
    listed: dict[tuple[int, date], set[int]] = {}

    def on_lists(doctor: int, municipality: int | None, first: date, last: date) -> None:
        if municipality is None:
            return
        for day in days:
            if first <= day <= last:
                listed.setdefault((municipality, day), set()).add(doctor)

    trainings = Training.objects.filter(specialty=Specialty.GENERAL_PRACTICE).order_by("doctor_id", "start")
    by_doctor: dict[int, list[Training]] = {}
    for training in trainings.only("doctor_id", "employer_id", "start", "status", "ended_on", "contract"):
        by_doctor.setdefault(training.doctor_id, []).append(training)
    now = {
        pk: (regular, municipality)
        for pk, regular, municipality in Doctor.objects.values_list("pk", "is_regular_gp", "municipality_id")
    }
    for doctor, courses in by_doctor.items():
        for training in courses:
            if training.contract in LIST_CONTRACTS:
                on_lists(doctor, training.employer_id, training.start, training.ended_on or today)
        last = courses[-1]
        if last.status == Status.COMPLETED and last.ended_on:
            regular, municipality = now[doctor]
            if regular:
                on_lists(doctor, municipality, last.ended_on, today)
            else:
                stayed = last.ended_on + timedelta(days=rng.randint(0, 4 * 365))
                on_lists(doctor, last.employer_id, last.ended_on, min(stayed, today))
    for doctor, (regular, municipality) in now.items():
        if regular and doctor not in by_doctor:
            on_lists(doctor, municipality, days[0] if days else today, today)

    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    snapshots = GpListSnapshot.objects.bulk_create(
        [GpListSnapshot(municipality_id=m, listed_on=day) for day in days for m in municipalities], batch_size=1000
    )
    if snapshots and snapshots[0].pk is None:
        snapshots = list(GpListSnapshot.objects.all())
    through = GpListSnapshot.doctors.through
    through.objects.bulk_create(
        [
            through(gplistsnapshot_id=s.pk, doctor_id=doctor)
            for s in snapshots
            for doctor in sorted(listed.get((s.municipality_id, s.listed_on), ()))
        ],
        batch_size=2000,
    )


def remove_gp_lists() -> None:
    GpListSnapshot.objects.all().delete()
