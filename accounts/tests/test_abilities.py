"""Who may do what: every role × action on rows of each kind of data (accounts.abilities)."""

from datetime import date

import pytest

from accounts.abilities import RULES, may, office_of, require
from courses.models import Course, Gathering
from office.models import Inquiry
from registry.models import Contact, County, Doctor, GpOffice, HealthTrust, Municipality, Registration
from supervision.models import SupervisorProfile

ROLES = ("vest", "nord", "coordinator", "reader", "admin")
PERSONAS = {
    "vest": "vest_user",
    "nord": "nord_user",
    "coordinator": "coordinator",
    "reader": "reader",
    "admin": "admin_user",
}
Y, N = True, False


def _user(request: pytest.FixtureRequest, role: str):
    return request.getfixturevalue(PERSONAS[role])


@pytest.fixture
def rows(world):
    """One row of each kind in Vest (Bergen)."""
    doctor = Doctor.objects.create(first_name="Kari", last_name="Nordmann", municipality=world.bergen)
    course = Course.objects.create(office=world.vest, title="Emnekurs", place="Bergen", capacity=10)
    return {
        "doctor": doctor,
        "contact": Contact.objects.create(municipality=world.bergen, role=Contact.Role.POST_BOX, email="a@b.no"),
        "municipality": world.bergen,
        "registration": Registration(municipality=world.bergen),
        "gp_office": GpOffice.objects.create(name="Sentrum legekontor", municipality=world.bergen),
        "health_trust": HealthTrust.objects.create(name="Helse Bergen HF", rhf="vest"),
        "county": world.vestland,
        "course": course,
        "gathering": Gathering.objects.create(course=course, start=date(2026, 3, 2), end=date(2026, 3, 3)),
        "profile": SupervisorProfile.objects.create(doctor=doctor),
        "inquiry": Inquiry(office=world.vest, date=date(2026, 1, 5)),
    }


# For each row: may (view, change, delete) per role, in the order of ROLES (vest, nord, coordinator, reader, admin).
EXPECTED = {
    # A region's personal data: the office reads and changes it; the coordinator reads it; the reader neither.
    "doctor": {"view": (Y, N, Y, N, Y), "change": (Y, N, N, N, Y), "delete": (Y, N, N, N, Y)},
    "contact": {"view": (Y, N, Y, N, Y), "change": (Y, N, N, N, Y), "delete": (Y, N, N, N, Y)},
    "profile": {"view": (Y, N, Y, N, Y), "change": (Y, N, N, N, Y), "delete": (Y, N, N, N, Y)},
    "course": {"view": (Y, N, Y, N, Y), "change": (Y, N, N, N, Y), "delete": (Y, N, N, N, Y)},
    "gathering": {"view": (Y, N, Y, N, Y), "change": (Y, N, N, N, Y), "delete": (Y, N, N, N, Y)},
    "inquiry": {"view": (Y, N, Y, N, Y), "change": (Y, N, N, N, Y), "delete": (Y, N, N, N, Y)},
    # A region's public data: everyone reads; the region changes it; the coordinator also a municipality.
    "municipality": {"view": (Y, Y, Y, Y, Y), "change": (Y, N, Y, N, Y), "delete": (Y, N, N, N, Y)},
    "gp_office": {"view": (Y, Y, Y, Y, Y), "change": (Y, N, N, N, Y), "delete": (Y, N, N, N, Y)},
    "registration": {"view": (Y, Y, Y, Y, Y), "change": (Y, N, N, N, Y), "delete": (Y, N, N, N, Y)},
    # National reference data: everyone reads; the coordinator and the administrator change it.
    "health_trust": {"view": (Y, Y, Y, Y, Y), "change": (N, N, Y, N, Y), "delete": (N, N, Y, N, Y)},
    "county": {"view": (Y, Y, Y, Y, Y), "change": (N, N, Y, N, Y), "delete": (N, N, Y, N, Y)},
}


@pytest.mark.parametrize("row", EXPECTED)
@pytest.mark.parametrize("action", ["view", "change", "delete"])
@pytest.mark.parametrize("role", ROLES)
def test_it_answers_each_role_and_action(request, rows, row: str, action: str, role: str) -> None:
    expected = EXPECTED[row][action][ROLES.index(role)]

    assert may(_user(request, role), action, rows[row]) is expected


# Adding a row of a kind (no row yet): (vest, nord, coordinator, reader, admin).
ADD = {
    # The form chooses the region among those the user may change: the administrator may choose any.
    Doctor: (Y, Y, N, N, Y),
    GpOffice: (Y, Y, N, N, Y),
    SupervisorProfile: (Y, Y, N, N, Y),
    # New rows belong to the creator's office: the administrator has none (no «Nytt kurs» that answers 403).
    Course: (Y, Y, N, N, N),
    Inquiry: (Y, Y, N, N, N),
    "dataio.importjob": (Y, Y, N, N, N),
    HealthTrust: (N, N, Y, N, Y),
}


@pytest.mark.parametrize("model", ADD, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_it_answers_who_may_add(request, world, model, role: str) -> None:
    assert may(_user(request, role), "add", model) is ADD[model][ROLES.index(role)]


@pytest.mark.parametrize("role", ROLES)
def test_adding_under_a_row_asks_the_row_s_region(request, rows, role: str) -> None:
    """A gathering for a Vest course, a contact in Bergen: only Vest (and the administrator) may add."""
    user = _user(request, role)
    expected = role in {"vest", "admin"}

    assert may(user, "add", Gathering(course=rows["course"])) is expected
    assert may(user, "add", Contact(municipality=rows["municipality"])) is expected


def test_a_course_of_another_office_can_not_be_added_in_its_name(request, world, nord_user) -> None:
    assert may(nord_user, "add", Course(office=world.vest)) is False
    assert may(nord_user, "add", Course(office=world.nord)) is True


@pytest.mark.parametrize("role", ROLES)
def test_exports_of_personal_lists_are_for_those_who_read_personal_data(request, world, role: str) -> None:
    assert may(_user(request, role), "export", Doctor) is (role != "reader")
    assert may(_user(request, role), "export", Municipality) is True


def test_nobody_anonymous_may_anything(rows) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not any(may(AnonymousUser(), action, rows["municipality"]) for action in ("view", "change", "export"))


def test_a_model_without_a_rule_is_for_the_administrator_only(world, vest_user, admin_user) -> None:
    assert may(vest_user, "change", "core.change") is False
    assert may(admin_user, "change", "core.change") is True


def test_it_raises_403_when_asked_to_require(world, coordinator) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        require(coordinator, "change", world.bergen.gp_offices.model(municipality=world.bergen, name="X"))


def test_a_doctor_without_a_work_municipality_belongs_to_no_region(world, vest_user) -> None:
    doctor = Doctor.objects.create(first_name="Uten", last_name="Kommune")

    assert office_of(doctor) is None
    assert may(vest_user, "change", doctor) is False


def test_every_rule_names_a_real_model_and_a_path_that_leads_to_an_office(rows) -> None:
    from django.apps import apps

    for label, rule in RULES.items():
        model = apps.get_model(label)
        if rule.office:
            first = rule.office.split(".")[0]
            assert hasattr(model, first) or first in {f.name for f in model._meta.get_fields()}, label
    assert office_of(rows["gathering"]) == rows["course"].office_id
    assert office_of(rows["profile"]) == rows["doctor"].municipality.county.office_id
    assert office_of(County.objects.first()) is None


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_for_many_rows_of_one_region(request, world, role: str) -> None:
    """The region's supervisor proposals: confirmed by the region's office (and the administrator)."""
    from accounts.abilities import may_in_region
    from training.models import SupervisorAssignment

    user = _user(request, role)

    assert may_in_region(user, "add", SupervisorAssignment, world.vest.pk) is (role in {"vest", "admin"})
    readers = {"vest", "coordinator", "admin"}
    assert may_in_region(user, "view", SupervisorAssignment, world.vest.pk) is (role in readers)


@pytest.fixture
def training_rows(records):
    """A Vest ALIS's course of training and each kind of row that belongs to it."""
    from training.models import OldSchemeOutcome, ShiftCount

    training = records.vest_training
    return {
        "training": training,
        "period": records.vest_period,
        "assignment": records.vest_assignment,
        "shifts": ShiftCount.objects.create(training=training, counted_on=date(2025, 1, 1), shifts=12),
        "outcome": OldSchemeOutcome(training=training, outcome="applied", decided_on=date(2026, 11, 1)),
    }


@pytest.mark.parametrize("row", ["training", "period", "assignment", "shifts", "outcome"])
@pytest.mark.parametrize("role", ROLES)
def test_an_alis_s_rows_are_the_region_s_personal_data(request, training_rows, row: str, role: str) -> None:
    """The office reads and changes them; the coordinator reads them; the reader and another region neither."""
    user, target = _user(request, role), training_rows[row]
    readers, writers = {"vest", "coordinator", "admin"}, {"vest", "admin"}

    assert may(user, "view", target) is (role in readers)
    assert [may(user, action, target) for action in ("change", "delete")] == [role in writers] * 2
    assert office_of(target) == training_rows["training"].employer.county.office_id


@pytest.mark.parametrize("role", ROLES)
def test_only_the_region_adds_to_an_alis_s_training(request, training_rows, role: str) -> None:
    from training.models import OldSchemeOutcome, ServicePeriod, ShiftCount, SupervisorAssignment

    user, training = _user(request, role), training_rows["training"]
    models = (ServicePeriod, SupervisorAssignment, ShiftCount, OldSchemeOutcome)
    new_rows = [model(training=training) for model in models]

    assert [may(user, "add", row) for row in new_rows] == [role in {"vest", "admin"}] * 4
