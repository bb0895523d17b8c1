"""Shared personas and a small known world for the tests.

Two regions (Vest and Nord) with one municipality each, an office user in each, a coordinator, an
aggregate reader and an administrator. Tests build what else they need on top.
"""

from datetime import date

import pytest

from core.models import Role, User
from registry.models import County, Doctor, GpOffice, Municipality, Office
from training.models import Contract, Scheme, Training

PASSWORD = "test-passord-123"


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
