"""The task rules: each fires with a frozen clock, once however often it runs, gives way to its next reminder and
closes when its event no longer calls for it; in a fixed number of queries whatever the number of ALIS."""

from datetime import UTC, date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup import generate
from followup.models import Task, TaskRule
from followup.rules import RuleKind
from followup.tests.conftest import NOW, TODAY, clock_at
from grants.models import GrantApplication, RatePeriod
from registry.models import Doctor
from training.models import Contract, HospitalStatus, Scheme, ServicePeriod, Training


def _at(day: date) -> datetime:
    return datetime.combine(day, time(3, 0), tzinfo=UTC)


def _nightly(day: date) -> None:
    with clock_at(_at(day)):
        call_command("followup_nightly", stdout=StringIO())


def _hospital_period(records, start: date) -> ServicePeriod:
    return ServicePeriod.objects.create(
        training=records.vest_training,
        kind=ServicePeriod.Kind.HOSPITAL,
        health_trust=records.helse_bergen,
        start=start,
        end=start + timedelta(days=180),
        planned=True,
        hospital_status=HospitalStatus.WANTED,
    )


def test_the_hospital_rule_fires_12_weeks_before_with_a_frozen_clock(records) -> None:
    start = date(2027, 3, 1)
    period = _hospital_period(records, start)
    _nightly(start - timedelta(weeks=12, days=1))
    assert not Task.objects.filter(rule=RuleKind.HOSPITAL).exists()  # not yet
    _nightly(start - timedelta(weeks=12))
    task = Task.objects.get(rule=RuleKind.HOSPITAL)
    assert task.title == "Sykehustjeneste for Kari Nordmann fra 01.03.2027 er ikke avtalt med Helse Bergen HF"
    assert task.training == records.vest_training
    assert task.office == records.vest_training.employer.county.office
    assert task.due == start - timedelta(weeks=12) + timedelta(days=14)
    assert task.rule_key == f"hospital:period:{period.pk}:2027-03-01:84"


def test_running_the_rules_twice_makes_nothing_new(records) -> None:
    start = date(2027, 3, 1)
    _hospital_period(records, start)
    day = start - timedelta(weeks=10)
    _nightly(day)
    _nightly(day)
    with clock_at(_at(day)):
        result = generate.run(today=day, now=_at(day))
    assert result.created[RuleKind.HOSPITAL] == 0
    assert Task.objects.filter(rule=RuleKind.HOSPITAL).count() == 1


def test_the_next_reminder_replaces_the_open_one_and_agreement_closes_it(records) -> None:
    start = date(2027, 3, 1)
    period = _hospital_period(records, start)
    _nightly(start - timedelta(weeks=12))
    _nightly(start - timedelta(weeks=8))
    first, second = Task.objects.filter(rule=RuleKind.HOSPITAL).order_by("pk")
    assert (first.status, first.closed_reason) == (Task.Status.CLOSED, "Erstattet av en senere påminnelse")
    assert second.is_open and second.rule_key.endswith(":56")
    # Agreed with the trust: the reminder is no longer needed.
    ServicePeriod.objects.filter(pk=period.pk).update(hospital_status=HospitalStatus.AGREED)
    _nightly(start - timedelta(weeks=7))
    second.refresh_from_db()
    assert (second.status, second.closed_reason) == (Task.Status.CLOSED, "Ikke lenger aktuelt")


def test_a_task_done_is_not_made_again(records) -> None:
    start = date(2027, 3, 1)
    _hospital_period(records, start)
    _nightly(start - timedelta(weeks=12))
    Task.objects.update(status=Task.Status.DONE, done_at=NOW)
    _nightly(start - timedelta(weeks=11))
    assert Task.objects.filter(rule=RuleKind.HOSPITAL).count() == 1


def test_an_office_switches_a_rule_off_or_gives_its_tasks_to_someone(records, vest_user) -> None:
    start = date(2027, 3, 1)
    _hospital_period(records, start)
    generate.ensure_rules()
    TaskRule.objects.filter(office__code="vest", kind=RuleKind.HOSPITAL).update(assignee=vest_user, days=[60])
    hospital = Task.objects.filter(rule=RuleKind.HOSPITAL)
    _nightly(start - timedelta(days=61))
    assert not hospital.exists()
    _nightly(start - timedelta(days=60))
    assert hospital.get().assignee == vest_user
    TaskRule.objects.filter(office__code="vest", kind=RuleKind.HOSPITAL).update(active=False)
    _nightly(start - timedelta(days=59))
    assert hospital.get().status == Task.Status.CLOSED


def test_every_rule_finds_its_events(region, records) -> None:
    call_command("load_grant_rates", stdout=StringIO())
    period = RatePeriod.objects.get()
    RatePeriod.objects.filter(pk=period.pk).update(
        application_deadline=TODAY + timedelta(days=10), auditor_deadline=TODAY + timedelta(days=20)
    )
    GrantApplication.objects.create(
        municipality=records.vest_training.employer, period=period, status=GrantApplication.Status.GRANTED
    )
    generate.run(today=TODAY, now=NOW)
    made = {(t.rule, t.title) for t in Task.objects.filter(office__code="vest")}
    assert (
        RuleKind.HOSPITAL,
        "Sykehustjeneste for Kari Nordmann fra 20.12.2026 er ikke avtalt med Helse Bergen HF",
    ) in made
    assert (
        RuleKind.SUPERVISION,
        "Kari Nordmann ligger etter med veiledning (ingen individuell veiledning registrert)",
    ) in made
    assert (
        RuleKind.OLD_SCHEME,
        "Gammel Ordning i gammel ordning: ingen søknad om godkjenning registrert (frist 31.12.2026)",
    ) in made
    assert (RuleKind.MAPPING_ANSWER, "Svar fra Bergen i «Kartlegging 2026» venter på vurdering") in made
    assert (RuleKind.STALE_DATA, "Voss har ikke bekreftet opplysningene siden 20.09.2025") in made
    assert (RuleKind.AUDITOR, "Revisorerklæring fra Bergen for 2025/26 mangler (frist 20.12.2026)") in made
    deadline = Task.objects.get(office__code="vest", rule=RuleKind.GRANT_DEADLINE)
    assert deadline.title.startswith("Søknadsfrist for tilskudd 2025/26 er 10.12.2026:")
    # Each task is about its record, in its own office.
    assert Task.objects.get(rule=RuleKind.AUDITOR).grant_application.municipality == records.vest_training.employer
    assert Task.objects.get(rule=RuleKind.MAPPING_ANSWER).municipality.name == "Bergen"
    assert not Task.objects.filter(office__code="nord", rule=RuleKind.MAPPING_ANSWER).exists()


def _many_alis(world, count: int, first: int = 0) -> None:
    """`count` ALIS in Bergen, each with hospital service soon that is not agreed, and no supervision; every
    other one in the old scheme without an outcome (not judged on supervision hours, but near its deadline)."""
    doctors = Doctor.objects.bulk_create(
        Doctor(first_name="ALIS", last_name=str(n), hpr_number=str(4000000 + n), municipality=world.bergen)
        for n in range(first, first + count)
    )
    trainings = Training.objects.bulk_create(
        Training(
            doctor=doctor,
            employer=world.bergen,
            scheme=Scheme.OLD if n % 2 else Scheme.NEW,
            contract=Contract.SALARIED,
            start=date(2018, 1, 1),
            expected_end=date(2027, 6, 30),
        )
        for n, doctor in enumerate(doctors)
    )
    ServicePeriod.objects.bulk_create(
        ServicePeriod(
            training=training,
            kind=ServicePeriod.Kind.HOSPITAL,
            start=TODAY + timedelta(days=20),
            end=TODAY + timedelta(days=100),
            planned=True,
            hospital_status=HospitalStatus.WANTED,
        )
        for training in trainings
    )


def _queries_of_a_run() -> int:
    with CaptureQueriesContext(connection) as queries:
        generate.run(today=TODAY, now=NOW)
    return len(queries)


@pytest.mark.parametrize("counts", [(3, 30)])
def test_the_rules_make_tasks_for_many_alis_in_the_same_number_of_queries(world, counts, frozen) -> None:
    few, many = counts
    generate.ensure_rules()  # the offices' settings, made on the first run ever
    _many_alis(world, few)
    first = _queries_of_a_run()
    assert Task.objects.count() == few * 2  # hospital for each; supervision (new) or the deadline (old)
    Task.objects.all().delete()
    _many_alis(world, many - few, first=few)
    assert _queries_of_a_run() == first
    assert Task.objects.count() == many * 2
