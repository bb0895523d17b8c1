"""Demo supervision data: the supervisor pool and a year of supervision sessions.

Reproducible like demo/seed.py: one `random.Random(seed)`, dates from `today`. Seeded rows are not a user's
change, so no history is written. Every current supervisor gets a profile with room for their ALIS (a few
are full); some specialists among the regular GPs join the pool with free places, so that ALIS without a
supervisor have someone to be matched with. Most ALIS get about 4 hours of individual supervision a month;
about one in six gets too little, so the compliance list has someone to show.
"""

import random
from datetime import date, timedelta

from django.db.models import Count

from registry.models import Doctor, Office
from supervision.models import (
    GroupMeeting,
    GroupMember,
    SupervisionGroup,
    SupervisionSession,
    SupervisorProfile,
)
from training.models import Specialty, SupervisorAssignment, Training

COURSES = (
    "Emnekurs i veiledning, Bergen",
    "Emnekurs i veiledning, Tromsø",
    "Veilederkurs ALIS-kontor Midt",
    "Emnekurs i veiledning, Oslo",
)
FREE_SUPERVISOR_SHARE = 0.12  # specialists among the regular GPs who join the pool without an ALIS yet
BEHIND_SHARE = 0.17


def seed_supervision(*, seed: int, today: date) -> dict[str, int]:
    rng = random.Random(seed + 7)  # noqa: S311 (demo data, not security)
    loads = dict(
        SupervisorAssignment.objects.current(today)
        .values("supervisor")
        .annotate(n=Count("pk"))
        .values_list("supervisor", "n")
    )
    free = Doctor.objects.filter(is_specialist=True, is_regular_gp=True, municipality__isnull=False).exclude(
        pk__in=list(loads)
    )
    joining = [pk for pk in free.order_by("pk").values_list("pk", flat=True) if rng.random() < FREE_SUPERVISOR_SHARE]
    community = set(
        SupervisorAssignment.objects.filter(training__specialty=Specialty.COMMUNITY_MEDICINE).values_list(
            "supervisor", flat=True
        )
    )
    specialists = set(Doctor.objects.filter(is_specialist=True).values_list("pk", flat=True))
    profiles = []
    for pk in sorted(loads) + joining:
        load = loads.get(pk, 0)
        course = rng.random() < 0.7
        profiles.append(
            SupervisorProfile(
                doctor_id=pk,
                exemption_until=None if pk in specialists else today + timedelta(days=rng.randint(60, 700)),
                course_completed_on=today - timedelta(days=rng.randint(60, 3000)) if course else None,
                course_name=rng.choice(COURSES) if course else "",
                supervises_alis=True,
                supervises_lis1=rng.random() < 0.3,
                supervises_community_medicine=pk in community,
                capacity=max(load, 1) + (0 if rng.random() < 0.3 else rng.randint(1, 2)),
                remote_ok=rng.random() < 0.3,
                available_from=today + timedelta(days=rng.randint(1, 120)) if rng.random() < 0.1 else None,
            )
        )
    SupervisorProfile.objects.bulk_create(profiles, batch_size=500)
    from demo.seed import EMAIL_DOMAIN_DOCTORS, slug  # the seed's own (it imports this module)

    # Most supervisors have an e-mail address (their private link is mailed to it); a few do not.
    mailed = []
    for doctor in Doctor.objects.filter(pk__in=[p.doctor_id for p in profiles], email="").order_by("pk"):
        if rng.random() < 0.9:
            doctor.email = f"{slug(doctor.first_name)}.{slug(doctor.last_name)}.{doctor.pk}@{EMAIL_DOMAIN_DOCTORS}"
            mailed.append(doctor)
    Doctor.objects.bulk_update(mailed, ["email"], batch_size=500)

    sessions = []
    current = SupervisorAssignment.objects.current(today).filter(training__status="active")
    for training_id, supervisor_id, start, share in current.values_list(
        "training_id", "supervisor_id", "training__start", "training__position_share"
    ).order_by("training_id"):
        sparse = rng.random() < BEHIND_SHARE
        day = max(start, today - timedelta(days=365))
        while day < today:
            # About an hour a week at full time: 3–5 sessions a month, pro rata; far fewer for the sparse ones.
            if rng.random() < (0.25 if sparse else 0.95 * share / 100):
                sessions.append(
                    SupervisionSession(
                        training_id=training_id,
                        supervisor_id=supervisor_id,
                        date=day,
                        minutes=rng.choice((45, 60, 60, 60, 90)),
                        topic=rng.choice(
                            ("", "", "Journalgjennomgang", "Læringsmål", "Vanskelige konsultasjoner", "Utdanningsplan")
                        ),
                        source=SupervisionSession.Source.OFFICE,
                        confirmed=rng.random() < 0.6,
                    )
                )
            day += timedelta(days=rng.randint(6, 9))
        for month in range(0, 12, 3):  # group supervision about once a quarter
            group_day = today - timedelta(days=30 * month + rng.randint(1, 25))
            if group_day >= start and rng.random() < 0.7:
                sessions.append(
                    SupervisionSession(
                        training_id=training_id,
                        supervisor_id=supervisor_id,
                        date=group_day,
                        minutes=180,
                        kind=SupervisionSession.Kind.GROUP,
                        source=SupervisionSession.Source.IMPORT,
                    )
                )
    SupervisionSession.objects.bulk_create(sessions, batch_size=1000)
    return {
        "veilederprofiler": len(profiles),
        "veiledningstimer": len(sessions),
        "utdanningsløp": Training.objects.count(),
    }


GROUPS_PER_OFFICE = 3
GROUP_PLACES = ("Legesenteret", "Kommunehuset", "Helsehuset")


def seed_groups(*, seed: int, today: date) -> dict[str, int]:
    """A few supervision groups per office: a specialist in the pool leads, five to seven ongoing ALIS of the
    office are members, and the group meets monthly with most members present. Many ALIS stay outside a group,
    so the list of those not in one has rows."""
    rng = random.Random(seed + 11)  # noqa: S311 (demo data, not security)
    groups = members = meetings = 0
    offices = Office.objects.order_by("ordering", "pk")
    for office in offices:
        leaders = list(
            SupervisorProfile.objects.in_office(office.pk)
            .filter(doctor__is_specialist=True)
            .order_by("doctor_id")
            .values_list("doctor_id", flat=True)[:GROUPS_PER_OFFICE]
        )
        trainings = list(
            Training.objects.ongoing()
            .in_office(office.pk)
            .filter(start__lte=today - timedelta(days=60))
            .order_by("pk")
            .values_list("pk", "start", "specialty", "employer__name")
        )
        rng.shuffle(trainings)
        for number, leader in enumerate(leaders, start=1):
            chosen = trainings[: rng.randint(5, 7)]
            trainings = trainings[len(chosen) :]
            if not chosen:
                break
            start = max(max(t[1] for t in chosen), today - timedelta(days=rng.randint(200, 500)))
            digital = rng.random() < 0.35
            group = SupervisionGroup.objects.create(
                office=office,
                name=f"Veiledningsgruppe {chosen[0][3]} {number}",
                specialty=Specialty.GENERAL_PRACTICE,
                leader_id=leader,
                start=start,
                rhythm=SupervisionGroup.Rhythm.MONTHLY,
                format=SupervisionGroup.Format.DIGITAL if digital else SupervisionGroup.Format.IN_PERSON,
                place="Teams" if digital else f"{rng.choice(GROUP_PLACES)}, {chosen[0][3]}",
            )
            groups += 1
            created = GroupMember.objects.bulk_create(
                GroupMember(group=group, training_id=t[0], joined=start) for t in chosen
            )
            members += len(created)
            day = start + timedelta(days=rng.randint(3, 20))
            while day < today:
                meeting = GroupMeeting.objects.create(group=group, date=day, minutes=180)
                meeting.attendees.set([m.training_id for m in created if rng.random() < 0.85])
                meetings += 1
                day += timedelta(days=rng.randint(26, 35))
    return {"veiledningsgrupper": groups, "gruppemedlemmer": members, "gruppemøter": meetings}
