"""The registry's models: registration history, who sees which records, and the database's own checks."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from registry.models import (
    Contact,
    Doctor,
    GpOffice,
    HealthTrust,
    Municipality,
    Registration,
    RegistrationStatus,
    Specialty,
)
from training.models import Contract, Scheme, Training

GP, CM = Specialty.GENERAL_PRACTICE, Specialty.COMMUNITY_MEDICINE


def _event(municipality: Municipality, status: str, valid_from: date, specialty: str = GP) -> Registration:
    return Registration.objects.create(
        municipality=municipality, specialty=specialty, status=status, valid_from=valid_from
    )


# Registration as training institution


def test_a_municipality_without_events_has_not_applied(world) -> None:
    assert world.bergen.registration_status(GP) == RegistrationStatus.NOT_APPLIED
    assert world.bergen.registration_status(CM, date(2025, 1, 1)) == RegistrationStatus.NOT_APPLIED


def test_the_latest_event_holds(world) -> None:
    _event(world.bergen, RegistrationStatus.REGISTERED, date(2021, 6, 1))
    _event(world.bergen, RegistrationStatus.PENDING, date(2020, 1, 1))  # entered later, but older

    assert world.bergen.registration_status(GP) == RegistrationStatus.REGISTERED


def test_an_event_counts_from_its_day(world) -> None:
    _event(world.bergen, RegistrationStatus.PENDING, date(2020, 1, 1))
    _event(world.bergen, RegistrationStatus.TEMPORARY, date(2021, 6, 1))

    assert world.bergen.registration_status(GP, date(2019, 12, 31)) == RegistrationStatus.NOT_APPLIED
    assert world.bergen.registration_status(GP, date(2020, 1, 1)) == RegistrationStatus.PENDING
    assert world.bergen.registration_status(GP, date(2021, 5, 31)) == RegistrationStatus.PENDING
    assert world.bergen.registration_status(GP, date(2021, 6, 1)) == RegistrationStatus.TEMPORARY


def test_each_specialty_has_its_own_history(world) -> None:
    _event(world.bergen, RegistrationStatus.REGISTERED, date(2021, 6, 1), GP)
    _event(world.bergen, RegistrationStatus.PENDING, date(2022, 6, 1), CM)

    assert world.bergen.registration_status(GP) == RegistrationStatus.REGISTERED
    assert world.bergen.registration_status(CM) == RegistrationStatus.PENDING


def test_the_queryset_annotation_agrees_with_the_model(world) -> None:
    _event(world.bergen, RegistrationStatus.PENDING, date(2020, 1, 1))
    _event(world.bergen, RegistrationStatus.REGISTERED, date(2021, 6, 1))
    _event(world.bodo, RegistrationStatus.TEMPORARY, date(2022, 1, 1), CM)

    def statuses(on: date | None = None) -> dict[str, tuple[str, str]]:
        rows = Municipality.objects.with_registration_status(on)
        return {m.number: (m.status_general_practice, m.status_community_medicine) for m in rows}

    assert statuses() == {"4601": ("registered", "not_applied"), "1804": ("not_applied", "temporary")}
    assert statuses(date(2020, 6, 1)) == {"4601": ("pending", "not_applied"), "1804": ("not_applied", "not_applied")}
    for municipality in Municipality.objects.with_registration_status(date(2020, 6, 1)):
        assert municipality.status_general_practice == municipality.registration_status(GP, date(2020, 6, 1))


def test_it_allows_one_status_per_specialty_and_day(world) -> None:
    _event(world.bergen, RegistrationStatus.PENDING, date(2020, 1, 1))
    _event(world.bergen, RegistrationStatus.PENDING, date(2020, 1, 1), CM)

    with pytest.raises(IntegrityError), transaction.atomic():
        _event(world.bergen, RegistrationStatus.REGISTERED, date(2020, 1, 1))


def test_it_names_a_registration_in_norwegian(world) -> None:
    registration = _event(world.bergen, RegistrationStatus.TEMPORARY, date(2024, 3, 1))

    assert str(registration) == "Allmennmedisin: Midlertidig innvilget fra 01.03.2024"


# Municipalities and their region


def test_it_finds_the_municipalities_of_an_office(world) -> None:
    assert list(Municipality.objects.in_office(world.vest.pk)) == [world.bergen]
    assert world.bergen.office_id == world.vest.pk
    assert str(world.bodo) == "1804 Bodø"


@pytest.mark.parametrize("centrality", [0, 7])
def test_the_database_refuses_a_centrality_outside_1_to_6(world, centrality: int) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.filter(pk=world.bergen.pk).update(centrality=centrality)


def test_an_unknown_centrality_is_allowed(world) -> None:
    Municipality.objects.filter(pk=world.bergen.pk).update(centrality=None)

    world.bergen.refresh_from_db()
    assert world.bergen.centrality is None


# Doctors: who sees whom


@pytest.fixture
def doctors(world):
    bergen = Doctor.objects.create(first_name="Kari", last_name="Bergen", municipality=world.bergen)
    bodo = Doctor.objects.create(first_name="Ola", last_name="Bodø", municipality=world.bodo)
    nowhere = Doctor.objects.create(first_name="Uten", last_name="Kommune")
    return type("Doctors", (), {"bergen": bergen, "bodo": bodo, "nowhere": nowhere})


def _training(doctor: Doctor, employer: Municipality) -> Training:
    return Training.objects.create(
        doctor=doctor,
        employer=employer,
        contract=Contract.SALARIED,
        start=date(2024, 1, 1),
        expected_end=date(2028, 12, 31),
    )


def test_staff_see_the_doctors_working_in_their_region(doctors, vest_user, nord_user) -> None:
    assert list(Doctor.objects.visible_to(vest_user)) == [doctors.bergen]
    assert list(Doctor.objects.visible_to(nord_user)) == [doctors.bodo]


def test_staff_see_a_doctor_with_a_training_in_their_region(world, doctors, vest_user) -> None:
    _training(doctors.bodo, world.bergen)
    _training(doctors.bodo, world.bergen)  # a second course: still one row
    _training(doctors.nowhere, world.bergen)

    assert list(Doctor.objects.visible_to(vest_user)) == [doctors.bergen, doctors.bodo, doctors.nowhere]


def test_the_coordinator_and_the_administrator_see_every_doctor(doctors, coordinator, admin_user) -> None:
    assert Doctor.objects.visible_to(coordinator).count() == 3
    assert Doctor.objects.visible_to(admin_user).count() == 3


def test_the_reader_and_strangers_see_no_doctor(world, doctors, reader) -> None:
    _training(doctors.bergen, world.bergen)
    unplaced = User(username="uten-kontor", role=Role.OFFICE_STAFF)  # no office: sees nothing rather than all

    assert list(Doctor.objects.visible_to(reader)) == []
    assert list(Doctor.objects.visible_to(AnonymousUser())) == []
    assert list(Doctor.objects.visible_to(unplaced)) == []


def test_contacts_are_personal_data_of_their_region(world, vest_user, coordinator, reader) -> None:
    vest = Contact.objects.create(municipality=world.bergen, role=Contact.Role.TRAINING_LEAD, name="Vera")
    nord = Contact.objects.create(municipality=world.bodo, role=Contact.Role.POST_BOX, email="post@bodo.kommune.no")

    assert list(Contact.objects.visible_to(vest_user)) == [vest]
    assert set(Contact.objects.visible_to(coordinator)) == {vest, nord}
    assert list(Contact.objects.visible_to(reader)) == []
    assert str(vest) == "Vera (Utdanningsansvarlig)"
    assert str(nord) == "post@bodo.kommune.no (Postmottak)"


def test_a_doctor_belongs_to_the_region_of_the_work_municipality(doctors, world) -> None:
    assert doctors.bergen.office_id == world.vest.pk
    assert doctors.nowhere.office_id is None
    assert str(doctors.bergen) == doctors.bergen.full_name == "Kari Bergen"


# The roles


@pytest.mark.parametrize(
    ("persona", "sees_all", "reads_personal", "edits_reference", "edits_vest", "edits_nord"),
    [
        ("vest_user", False, True, False, True, False),
        ("nord_user", False, True, False, False, True),
        ("coordinator", True, True, True, False, False),
        ("reader", False, False, False, False, False),
        ("admin_user", True, True, True, True, True),
    ],
)
def test_each_role_reads_and_edits_what_it_should(
    request, world, persona, sees_all, reads_personal, edits_reference, edits_vest, edits_nord
) -> None:
    user = request.getfixturevalue(persona)

    assert user.sees_all_regions is sees_all
    assert user.reads_personal_data is reads_personal
    assert user.edits_reference_data is edits_reference
    assert (user.edits_region(world.vest.pk), user.edits_region(world.nord.pk)) == (edits_vest, edits_nord)
    assert user.edits_region(None) is (persona == "admin_user")


def test_office_staff_must_belong_to_an_office(db) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="hjemløs", role=Role.OFFICE_STAFF, office=None)


# The database's own checks


def test_the_database_refuses_an_hpr_number_with_letters(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Doctor.objects.create(first_name="A", last_name="B", hpr_number="12ab567")


def test_the_database_refuses_a_taken_hpr_number_but_allows_many_unknown(world) -> None:
    Doctor.objects.create(first_name="A", last_name="B", hpr_number="1234567")
    Doctor.objects.create(first_name="C", last_name="D", hpr_number=None)
    Doctor.objects.create(first_name="E", last_name="F", hpr_number=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        Doctor.objects.create(first_name="G", last_name="H", hpr_number="1234567")
    assert Doctor.objects.filter(hpr_number__isnull=True).count() == 2


def test_the_database_refuses_a_contact_without_name_and_email(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(municipality=world.bergen, role=Contact.Role.OTHER)


def test_the_database_refuses_two_gp_offices_of_one_name_in_a_municipality(world) -> None:
    GpOffice.objects.create(name="Sentrum legekontor", municipality=world.bergen)
    GpOffice.objects.create(name="Sentrum legekontor", municipality=world.bodo)

    with pytest.raises(IntegrityError), transaction.atomic():
        GpOffice.objects.create(name="Sentrum legekontor", municipality=world.bergen)


def test_the_database_refuses_the_old_scheme_from_1_march_2019(world) -> None:
    doctor = Doctor.objects.create(first_name="A", last_name="B")
    values = {"doctor": doctor, "employer": world.bergen, "contract": Contract.SALARIED, "scheme": Scheme.OLD}
    Training.objects.create(**values, start=date(2019, 2, 28), expected_end=date(2024, 2, 27))

    with pytest.raises(IntegrityError), transaction.atomic():
        Training.objects.create(**values, start=date(2019, 3, 1), expected_end=date(2024, 2, 29))


def test_a_health_trust_is_named_by_its_short_name(world) -> None:
    long_only = HealthTrust.objects.create(name="Finnmarkssykehuset HF", rhf=HealthTrust.Rhf.NORD)
    short = HealthTrust.objects.create(name="Helse Bergen HF", short_name="Helse Bergen", rhf=HealthTrust.Rhf.VEST)

    assert (str(long_only), str(short)) == ("Finnmarkssykehuset HF", "Helse Bergen")
