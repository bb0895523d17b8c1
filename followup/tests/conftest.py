"""A frozen clock and a region with something of every kind to follow up."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest

from dataio.models import ImportJob
from registry.models import Doctor, Municipality
from supervision.models import SupervisionSession
from survey.models import Campaign, Invitation, Proposal
from training.models import (
    Contract,
    HospitalStatus,
    Scheme,
    ServicePeriod,
    SupervisorAssignment,
    Training,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday, a month before the old scheme's deadline
TODAY = date(2026, 11, 30)


@pytest.fixture
def frozen():
    """Django's clock stopped at NOW (timezone.now and everything built on it)."""
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


def clock_at(moment: datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _training(doctor: Doctor, employer: Municipality, **fields) -> Training:
    values = {
        "scheme": Scheme.NEW,
        "contract": Contract.SALARIED,
        "position_share": 100,
        "start": date(2024, 8, 1),
        "expected_end": date(2029, 7, 31),
    }
    values.update(fields)
    return Training.objects.create(doctor=doctor, employer=employer, **values)


@pytest.fixture
def region(world, records, vest_user, frozen):
    """Vest, besides the shared records: an ALIS without a supervisor, one in the old scheme, one whose supervision
    is in order, hospital service soon (wanted, agreed) and later, a mapping with an answer waiting, a link not
    answered and a revoked one, an import job waiting; and a municipality without coordinates."""
    vestland = world.vestland
    askoy = Municipality.objects.create(
        number="4627", name="Askøy", name_norwegian="Askøy", county=vestland, latitude=60.41, longitude=5.17
    )
    voss = Municipality.objects.create(
        number="4621", name="Voss", name_norwegian="Voss", county=vestland, latitude=60.63, longitude=6.42
    )
    modalen = Municipality.objects.create(number="4629", name="Modalen", name_norwegian="Modalen", county=vestland)

    def doctor(first: str, last: str, hpr: str, place: Municipality) -> Doctor:
        return Doctor.objects.create(first_name=first, last_name=last, hpr_number=hpr, municipality=place)

    without = _training(doctor("Uten", "Veileder", "3000001", askoy), askoy)
    old = _training(
        doctor("Gammel", "Ordning", "3000002", voss),
        voss,
        scheme=Scheme.OLD,
        start=date(2018, 5, 1),
        expected_end=date(2027, 6, 30),
    )
    in_order = _training(doctor("I", "Rute", "3000003", world.bergen), world.bergen, expected_end=date(2030, 7, 31))
    supervisor = records.vest_supervisor
    for training in (old, in_order):
        SupervisorAssignment.objects.create(training=training, supervisor=supervisor, start=training.start)
    # In order: 4 hours of individual supervision every month of the last year, and the group hours done.
    SupervisionSession.objects.bulk_create(
        [
            SupervisionSession(
                training=in_order, supervisor=supervisor, date=TODAY - timedelta(days=30 * n), minutes=240
            )
            for n in range(12)
        ]
        + [
            SupervisionSession(
                training=in_order,
                supervisor=supervisor,
                date=date(2025, 1, 1) + timedelta(days=7 * n),
                minutes=600,
                kind=SupervisionSession.Kind.GROUP,
            )
            for n in range(12)
        ]
    )
    hospital = {"kind": ServicePeriod.Kind.HOSPITAL, "health_trust": records.helse_bergen, "planned": True}
    ServicePeriod.objects.create(
        training=records.vest_training,
        start=TODAY + timedelta(days=20),
        end=TODAY + timedelta(days=200),
        hospital_status=HospitalStatus.WANTED,
        **hospital,
    )
    ServicePeriod.objects.create(
        training=without,
        start=TODAY + timedelta(days=30),
        end=TODAY + timedelta(days=210),
        hospital_status=HospitalStatus.AGREED,
        **hospital,
    )
    ServicePeriod.objects.create(
        training=in_order,
        start=TODAY + timedelta(days=100),
        end=TODAY + timedelta(days=280),
        hospital_status=HospitalStatus.WANTED,
        **hospital,
    )
    campaign = Campaign.objects.create(office=world.vest, title="Kartlegging 2026", deadline=TODAY + timedelta(days=10))
    expires = NOW + timedelta(days=40)
    answered = Invitation.objects.create(
        campaign=campaign, municipality=world.bergen, expires_at=expires, answered_at=NOW - timedelta(days=2)
    )
    Proposal.objects.create(
        invitation=answered,
        target=Proposal.Target.CONTACT,
        object_repr="Vera Vestre",
        label="Telefon",
        old_value="",
        new_value="55 00 00 00",
    )
    Invitation.objects.create(campaign=campaign, municipality=askoy, expires_at=expires, email="post@askoy.kommune.no")
    Invitation.objects.create(campaign=campaign, municipality=voss, expires_at=expires, revoked_at=NOW)
    earlier = Campaign.objects.create(office=world.vest, title="Kartlegging 2025", deadline=date(2025, 10, 1))
    Invitation.objects.create(
        campaign=earlier,
        municipality=voss,
        expires_at=datetime(2025, 11, 1, tzinfo=UTC),
        answered_at=datetime(2025, 9, 20, 12, 0, tzinfo=UTC),
    )
    ImportJob.objects.create(
        office=world.vest,
        kind=ImportJob.Kind.GP_LIST,
        filename="fastleger.csv",
        data=b"",
        created_by=vest_user,
        status=ImportJob.Status.PREVIEW,
    )
    ImportJob.objects.create(
        office=world.vest,
        kind=ImportJob.Kind.GP_LIST,
        filename="gammel.csv",
        data=b"",
        created_by=vest_user,
        status=ImportJob.Status.DONE,
    )
    return type(
        "Region",
        (),
        {
            "askoy": askoy,
            "voss": voss,
            "modalen": modalen,
            "without": without,
            "old": old,
            "in_order": in_order,
            "campaign": campaign,
            "answered": answered,
        },
    )
