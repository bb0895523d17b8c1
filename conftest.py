"""Shared personas and a small known world for the tests.

Two regions (Vest and Nord) with one municipality each, an office user in each, a coordinator, an
aggregate reader and an administrator. Tests build what else they need on top.
"""

from datetime import date

import pytest

from accounts.models import Role, User
from registry.models import County, Doctor, GpOffice, Municipality, Office
from training.models import Contract, Scheme, Training

PASSWORD = "test-passord-123"  # noqa: S105 (test personas only)


@pytest.fixture
def world(db):
    vest = Office.objects.create(code="vest", name="ALIS-kontor Vest", location="Bergen", ordering=3)
    nord = Office.objects.create(code="nord", name="ALIS-kontor Nord", location="Bodø", ordering=1)
    vestland = County.objects.create(number="46", name="Vestland", office=vest)
    nordland = County.objects.create(number="18", name="Nordland", office=nord)
    bergen = Municipality.objects.create(
        number="4601", name="Bergen", name_norwegian="Bergen", county=vestland, centrality=1,
        latitude=60.39, longitude=5.32,
    )
    bodo = Municipality.objects.create(
        number="1804", name="Bodø", name_norwegian="Bodø", county=nordland, centrality=3,
        latitude=67.28, longitude=14.40,
    )
    return type("World", (), {"vest": vest, "nord": nord, "vestland": vestland, "nordland": nordland,
                              "bergen": bergen, "bodo": bodo})


def _user(username: str, role: str, office: Office | None) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, office=office, first_name=username.title()
    )


@pytest.fixture
def vest_user(world) -> User:
    return _user("vest", Role.OFFICE_STAFF, world.vest)


@pytest.fixture
def nord_user(world) -> User:
    return _user("nord", Role.OFFICE_STAFF, world.nord)


@pytest.fixture
def coordinator(world) -> User:
    return _user("koordinator", Role.COORDINATOR, world.vest)


@pytest.fixture
def reader(world) -> User:
    return _user("hdir", Role.READER, None)


@pytest.fixture
def admin_user(world) -> User:
    return _user("admin", Role.ADMIN, None)


@pytest.fixture
def vest_training(world) -> Training:
    """An ALIS in Bergen at a GP office, on the new scheme."""
    office = GpOffice.objects.create(name="Sentrum legekontor", municipality=world.bergen)
    doctor = Doctor.objects.create(
        first_name="Kari", last_name="Nordmann", hpr_number="1234567", municipality=world.bergen, gp_office=office
    )
    return Training.objects.create(
        doctor=doctor, employer=world.bergen, gp_office=office, scheme=Scheme.NEW, contract=Contract.SELF_EMPLOYED,
        position_share=100, start=date(2022, 8, 1), expected_end=date(2027, 7, 31),
    )


@pytest.fixture
def nord_training(world) -> Training:
    doctor = Doctor.objects.create(first_name="Ola", last_name="Hansen", hpr_number="7654321", municipality=world.bodo)
    return Training.objects.create(
        doctor=doctor, employer=world.bodo, scheme=Scheme.NEW, contract=Contract.SALARIED,
        position_share=80, start=date(2023, 1, 1), expected_end=date(2029, 3, 31),
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """The personas' passwords need not resist attack in tests; the default hasher takes a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def vest_colleague(world) -> User:
    """A second office user in Vest, to edit the same records as `vest_user`."""
    return _user("vest2", Role.OFFICE_STAFF, world.vest)


@pytest.fixture
def records(world, vest_training, nord_training):
    """In each region a GP office, an ALIS with a training, a supervisor, a service period, a contact.

    `records.vest_*` are in Bergen (Vest), `records.nord_*` in Bodø (Nord); both health trusts take either.
    """
    from registry.models import Contact, HealthTrust
    from training.models import ServicePeriod, SupervisorAssignment

    vest_supervisor = Doctor.objects.create(
        first_name="Per", last_name="Veileder", hpr_number="1111111", municipality=world.bergen, is_specialist=True
    )
    nord_supervisor = Doctor.objects.create(
        first_name="Anne", last_name="Veiledersen", hpr_number="2222222", municipality=world.bodo, is_specialist=True
    )
    helse_bergen = HealthTrust.objects.create(name="Helse Bergen HF", short_name="Helse Bergen", rhf="vest")
    helse_bergen.municipalities.add(world.bergen)
    nlsh = HealthTrust.objects.create(name="Nordlandssykehuset HF", rhf="nord")
    nlsh.municipalities.add(world.bodo)
    return type(
        "Records",
        (),
        {
            "vest_training": vest_training,
            "vest_doctor": vest_training.doctor,
            "vest_gp_office": vest_training.gp_office,
            "vest_supervisor": vest_supervisor,
            "vest_period": ServicePeriod.objects.create(
                training=vest_training, kind=ServicePeriod.Kind.OPEN_PRACTICE, start=date(2022, 8, 1),
                end=date(2023, 7, 31),
            ),
            "vest_assignment": SupervisorAssignment.objects.create(
                training=vest_training, supervisor=vest_supervisor, start=date(2022, 8, 1)
            ),
            "vest_contact": Contact.objects.create(
                municipality=world.bergen, role=Contact.Role.TRAINING_LEAD, name="Vera Vestre",
                email="vera@bergen.kommune.no",
            ),
            "nord_training": nord_training,
            "nord_doctor": nord_training.doctor,
            "nord_gp_office": GpOffice.objects.create(name="Bodø legesenter", municipality=world.bodo),
            "nord_supervisor": nord_supervisor,
            "nord_period": ServicePeriod.objects.create(
                training=nord_training, kind=ServicePeriod.Kind.HOSPITAL, health_trust=nlsh, start=date(2026, 1, 1),
                end=date(2026, 6, 30), planned=True,
            ),
            "nord_assignment": SupervisorAssignment.objects.create(
                training=nord_training, supervisor=nord_supervisor, start=date(2023, 1, 1)
            ),
            "nord_contact": Contact.objects.create(
                municipality=world.bodo, role=Contact.Role.CHIEF_MEDICAL_OFFICER, name="Nils Nordby"
            ),
            "helse_bergen": helse_bergen,
            "nlsh": nlsh,
        },
    )


@pytest.fixture
def form_data():
    """POST data that submits a form as shown: each field's current value (unchecked boxes left out)."""
    from core.editing import form_values


    return form_values


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings) -> None:
    """Tasks run inside the test; a test of the worker itself sets the database backend back."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Files uploaded or seeded in the tests (the website's images and templates) go to a temporary folder,
    one for the whole run: demo data seeded once (module fixtures) is used by many tests."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Results cached by data version (core/dataversion.py) do not outlive a test: SQLite reuses the numbers of
    rows rolled back, so another test's data could have the same version."""
    from django.core.cache import cache

    from core import dataversion

    cache.clear()
    dataversion.clear()


# The rows data migrations put in, which a test on a live server or with `transaction=True` flushes away with
# everything else: put back once such a test is torn down, so that the tests after it (in any order, on any
# worker) find the database as `migrate` left it.
DATA_MIGRATIONS = (("office", "0002_default_topics", "add_topics"), ("website", "0002_fixed_pages", "add_pages"))


def _flushes(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    transaction = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    # A live-server test asks for its transactional database only when it runs (pytest-django's helper).
    return bool(transaction) or not {"transactional_db", "live_server"}.isdisjoint(getattr(item, "fixturenames", ()))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    result = yield
    if nextitem is not None and _flushes(item):  # after the last test the test database is gone
        from importlib import import_module

        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for app, migration, function in DATA_MIGRATIONS:
                getattr(import_module(f"{app}.migrations.{migration}"), function)(apps, None)
    return result
