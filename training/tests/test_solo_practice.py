"""«Possible solo practice» (issue 10, item 10a; seed 001): an ALIS whose GP office has no other known doctor."""

from datetime import date

import pytest
from django.urls import reverse

from registry.models import Doctor, GpOffice, Specialty
from training.models import Contract, Status, Training

pytestmark = pytest.mark.django_db


def _flagged() -> list[str]:
    return sorted(t.doctor.last_name for t in Training.objects.possible_solo_practice())


def test_an_alis_alone_at_the_office_is_flagged(records) -> None:
    # vest_training: Kari Nordmann at Sentrum legekontor, whose only doctor is Kari herself.
    assert _flagged() == ["Nordmann"]


def test_a_colleague_the_register_knows_of_clears_the_flag(records, world) -> None:
    Doctor.objects.create(
        first_name="Fast", last_name="Lege", municipality=world.bergen, gp_office=records.vest_gp_office
    )

    assert _flagged() == []


def test_two_alis_at_the_same_office_are_colleagues(records, world) -> None:
    doctor = Doctor.objects.create(
        first_name="Ny", last_name="Alis", municipality=world.bergen
    )  # office only on the training
    Training.objects.create(
        doctor=doctor,
        employer=world.bergen,
        gp_office=records.vest_gp_office,
        contract=Contract.SALARIED,
        start=date(2025, 1, 1),
        expected_end=date(2030, 1, 1),
    )

    assert _flagged() == []


def test_unknown_office_samlis_and_ended_trainings_are_not_flagged(records, world) -> None:
    office = GpOffice.objects.create(name="Eneste kontor", municipality=world.bodo)
    records.nord_training.gp_office = office
    records.nord_training.specialty = Specialty.COMMUNITY_MEDICINE
    records.nord_training.save()
    Training.objects.filter(pk=records.vest_training.pk).update(status=Status.COMPLETED)

    assert _flagged() == []  # nord_training before: no GP office at all, so unknown, never flagged


def test_the_alis_page_says_so_and_what_the_register_can_not_know(client, records, vest_user) -> None:
    client.force_login(vest_user)

    page = client.get(reverse("training:detail", args=[records.vest_training.pk]))

    assert "Mulig solopraksis" in page.text
    assert "Registeret kjenner ingen annen lege ved Sentrum legekontor." in page.text
    assert "fastlegelistene kjenner bare fastleger" in page.text
    other = client.get(reverse("training:detail", args=[records.nord_training.pk]))
    assert other.status_code == 404


def test_the_alis_list_filters_on_it(client, records, vest_user, coordinator) -> None:
    client.force_login(coordinator)

    listing = client.get(reverse("training:list"), {"solo_practice": "on", "office": ""})

    assert [t.doctor.last_name for t in listing.context["listing"].rows] == ["Nordmann"]
    assert "Mulig solopraksis" in listing.text
