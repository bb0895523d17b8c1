"""Demo data for the follow-up: hospital periods' status with the trust, the rules' tasks, a few of the office's own.

Synthetic and reproducible like the rest of the demo set: one `random.Random(seed)`, dates from `today`. The
rules' tasks are made by the rules themselves (`followup.generate.run`), as the nightly run would on `today`.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Role, User
from followup import generate
from followup.models import Notification, Task, TaskRule
from followup.rules import RuleKind
from registry.models import Municipality
from training.models import HospitalStatus, ServicePeriod

OWN_TASKS = [
    "Ring utdanningsansvarlig om ny ALIS-avtale",
    "Forbered informasjonsmøte om veiledning",
    "Følg opp søknad om registrering som utdanningsvirksomhet",
    "Send oversikt over veilederkapasitet til kommuneoverlegen",
    "Avtal besøk på legekontoret",
]


def seed_followup(*, seed: int, today: date) -> None:
    rng = random.Random(seed * 12 + 1)  # noqa: S311 (demo data, not security)
    _hospital_statuses(rng, today)
    _assign_rules()
    generate.run(today=today, now=timezone.make_aware(datetime.combine(today, time(6, 0))))
    _own_tasks(rng, today)


def _assign_rules() -> None:
    """Each office's adviser takes the hospital and supervision reminders; the other rules' tasks are shared."""
    generate.ensure_rules()
    for user in User.objects.filter(role=Role.OFFICE_STAFF, office__isnull=False):
        TaskRule.objects.filter(office_id=user.office_id, kind__in=[RuleKind.HOSPITAL, RuleKind.SUPERVISION]).update(
            assignee=user
        )


def _hospital_statuses(rng: random.Random, today: date) -> None:
    """Done service is done; about half of the wanted service in the next half-year is agreed with the trust."""
    hospital = ServicePeriod.objects.filter(kind=ServicePeriod.Kind.HOSPITAL)
    hospital.filter(planned=False).update(hospital_status=HospitalStatus.DONE)
    hospital.filter(planned=True).update(hospital_status=HospitalStatus.WANTED)
    soon = hospital.filter(planned=True, start__lte=today + timedelta(weeks=26)).order_by("pk")
    agreed = [pk for pk in soon.values_list("pk", flat=True) if rng.random() < 0.5]
    hospital.filter(pk__in=agreed).update(hospital_status=HospitalStatus.AGREED)


def _own_tasks(rng: random.Random, today: date) -> None:
    """A handful of the office's own tasks for each adviser, some overdue, some done."""
    tasks = []
    for user in User.objects.filter(role=Role.OFFICE_STAFF, office__isnull=False).order_by("pk"):
        municipalities = list(Municipality.objects.in_office(user.office_id).order_by("number")[:40])
        for index, title in enumerate(OWN_TASKS):
            due = today + timedelta(days=rng.randint(-10, -1) if index < 2 else rng.randint(0, 40))
            done = index == len(OWN_TASKS) - 1
            tasks.append(
                Task(
                    office_id=user.office_id,
                    title=title,
                    due=due,
                    assignee=user if index % 2 == 0 else None,
                    municipality=rng.choice(municipalities) if municipalities and index < 3 else None,
                    created_by=user,
                    status=Task.Status.DONE if done else Task.Status.OPEN,
                    done_at=timezone.make_aware(datetime.combine(today, time(9, 0))) if done else None,
                    done_by=user if done else None,
                )
            )
    Task.objects.bulk_create(tasks)


def remove_followup_data() -> None:
    Notification.objects.all().delete()
    Task.objects.all().delete()
    TaskRule.objects.all().delete()
