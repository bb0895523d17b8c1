"""The small demo data set: reproducible, true to the rules of the field, and safe to re-run.

Builds on the real reference data through `manage.py load_reference` (registry/reference.py), so these
tests need that command. One small data set is seeded for the whole module inside a transaction that
is rolled back at the end; each test runs in its own savepoint on top of it.
"""

import random
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.test import Client, override_settings

from accounts.models import Role, User
from core.models import Change
from demo.seed import DEMO_PASSWORD, DEMO_USERS, counts, remove_demo_data, seed_demo
from registry.models import Contact, Doctor, Municipality, Office
from training import rules
from training.models import ONGOING, Scheme, ServicePeriod, Status, SupervisorAssignment, Training

TODAY = date(2026, 1, 15)
SEED = 7
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        call_command("load_reference", stdout=_Sink())
        before = {"municipalities": Municipality.objects.count(), "changes": Change.objects.count()}
        call_command("seed_demo", f"--today={TODAY}", size="small", seed=SEED, stdout=_Sink())
        yield before
        transaction.set_rollback(True)


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def _signature() -> dict:
    return {
        "counts": counts(),
        "doctors": list(Doctor.objects.order_by("pk").values_list("first_name", "last_name", "hpr_number")[:200]),
        "trainings": list(
            Training.objects.order_by("pk").values_list("employer__number", "start", "status", "scheme", "contract")
        ),
        "periods": list(ServicePeriod.objects.order_by("pk").values_list("kind", "start", "end", "planned")[:500]),
    }


def test_it_is_reproducible(seeded, db):
    first = _signature()
    remove_demo_data()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        seed_demo(size="small", seed=SEED, today=TODAY)
    assert _signature() == first
    remove_demo_data()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        seed_demo(size="small", seed=SEED + 1, today=TODAY)
    assert _signature()["doctors"] != first["doctors"]


def test_it_has_the_small_shape(seeded, db):
    numbers = counts()
    assert 450 <= numbers["fastleger"] <= 650
    assert numbers["utdanningsløp"] == 300
    assert numbers["tjenesteperioder"] > 600
    assert numbers["helseforetak"] == 19
    for office in Office.objects.all():
        assert Training.objects.in_office(office.pk).exists(), office
        assert Doctor.objects.filter(is_regular_gp=True, municipality__county__office=office).exists(), office


def test_it_creates_no_municipalities_and_no_history(seeded, db):
    assert Municipality.objects.count() == seeded["municipalities"] == 357
    assert Change.objects.count() == seeded["changes"]


def test_it_keeps_the_old_scheme_to_starts_before_march_2019(seeded, db):
    old = Training.objects.filter(scheme=Scheme.OLD).annotate(first=Coalesce("specialty_started", "start"))
    assert old.exists()
    assert not old.filter(first__gte=rules.NEW_SCHEME_START).exists()
    # A doctor who moved keeps the old scheme: their later training starts after 1 March 2019.
    assert old.filter(start__gte=rules.NEW_SCHEME_START).exists()


def test_old_scheme_alis_have_shifts_and_a_mix_of_outcomes_and_risks(seeded, db):
    from training import status
    from training.models import OldSchemeOutcome, ShiftCount

    old = Training.objects.filter(scheme=Scheme.OLD)
    assert ShiftCount.objects.filter(training__in=old).values("training").distinct().count() > old.count() / 2
    outcomes = set(OldSchemeOutcome.objects.values_list("outcome", flat=True))
    assert {OldSchemeOutcome.Kind.APPROVED, OldSchemeOutcome.Kind.APPLIED} < outcomes
    found = status.statuses(old.ongoing(), TODAY)
    risks = {risk.key for alis in found.values() for risk in alis.risks}
    assert {"hospital", "shifts"} <= risks
    assert any(not alis.risks for alis in found.values())


def test_every_employer_is_a_real_municipality(seeded, db):
    real = set(Municipality.objects.values_list("pk", flat=True))
    assert set(Training.objects.values_list("employer_id", flat=True)) <= real
    assert not Training.objects.exclude(gp_office__isnull=True).exclude(gp_office__municipality=F("employer")).exists()


def test_hpr_numbers_are_unique_seven_digits(seeded, db):
    numbers = list(Doctor.objects.values_list("hpr_number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert all(n is not None and len(n) == 7 and n.isdigit() for n in numbers)


def test_trainings_follow_the_rules(seeded, db):
    for training in Training.objects.prefetch_related("periods"):
        assert training.expected_end == training.compute_expected_end()
        assert training.start <= TODAY
        if training.status in ONGOING:
            assert training.ended_on is None
        else:
            assert training.start <= training.ended_on <= TODAY
        if training.status == Status.COMPLETED:  # five years after the doctor first started in the specialty
            assert training.ended_on >= (training.specialty_started or training.start) + timedelta(days=5 * 365)
        if training.status == Status.LEFT:
            assert training.leaving_reason
        for period in training.periods.all():
            assert period.start >= training.start
            if period.planned:
                assert period.start > TODAY
                assert period.kind == ServicePeriod.Kind.HOSPITAL
                assert period.health_trust is not None


def test_general_practice_supervisors_are_specialists(seeded, db):
    assignments = SupervisorAssignment.objects.filter(training__specialty="general_practice")
    assert assignments.exists()
    assert not assignments.filter(supervisor__is_specialist=False).exists()
    assert not assignments.filter(supervisor__specialist_since__gt=F("start")).exists()
    ongoing = Training.objects.ongoing()
    without = ongoing.without_supervisor(TODAY).count()
    assert 0 < without < ongoing.count() * 0.3


def test_contacts_use_a_reserved_domain(seeded, db):
    emails = list(Contact.objects.values_list("email", flat=True)) + list(
        Doctor.objects.exclude(email="").values_list("email", flat=True)
    )
    assert emails
    assert all(e.endswith(".example") for e in emails)


@pytest.mark.parametrize("spec", DEMO_USERS, ids=lambda spec: spec.username)
def test_demo_user_logs_in_with_the_documented_password(seeded, db, spec):
    user = User.objects.get(username=spec.username)
    assert user.role == spec.role
    assert (user.office.code if user.office else None) == spec.office_code
    assert user.is_superuser == (spec.role == Role.ADMIN)
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        assert Client().login(username=spec.username, password=DEMO_PASSWORD)


def test_if_empty_does_nothing_the_second_time(seeded, db):
    before = counts()
    out = _Sink()
    call_command("seed_demo", "--if-empty", size="small", seed=SEED + 1, stdout=out)
    assert "ingenting gjort" in out.text
    assert counts() == before


def test_it_refuses_to_seed_on_top_of_existing_data(seeded, db):
    with pytest.raises(CommandError, match="--if-empty"):
        call_command("seed_demo", size="small", stdout=_Sink())


def test_a_town_with_more_offices_than_names_gets_numbered_names() -> None:
    """Past national size a large town has more GP offices than place-and-suffix names: no endless draw."""
    from demo import names
    from demo.seed import _free_name

    rng = random.Random(1)  # noqa: S311
    taken: set[str] = set()
    wanted = len(names.OFFICE_PLACES) * len(names.OFFICE_SUFFIXES) * 2 + 50
    for _ in range(wanted):
        drawn = f"{rng.choice(names.OFFICE_PLACES)} {rng.choice(names.OFFICE_SUFFIXES)}"
        taken.add(_free_name(drawn, taken, rng, "Oslo"))

    assert len(taken) == wanted
