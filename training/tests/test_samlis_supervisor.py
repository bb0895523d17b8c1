"""Samfunnsmedisin throughout (issue 10, item 9): a SamLIS's supervisor is a specialist in samfunnsmedisin.

Sources: samlis.no; spesialistforskriften § 25 for allmennmedisin (registry.models.specialists_in).
"""

from datetime import date

import pytest
from django.urls import reverse

from registry.models import Doctor, Specialty
from supervision import matching
from supervision.models import SupervisorProfile
from training.models import Contract, Training

ON = date(2026, 6, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def samlis(world) -> Training:
    doctor = Doctor.objects.create(first_name="Siv", last_name="Samlis", municipality=world.bergen)
    return Training.objects.create(
        doctor=doctor,
        specialty=Specialty.COMMUNITY_MEDICINE,
        employer=world.bergen,
        contract=Contract.SALARIED,
        start=date(2025, 1, 1),
        expected_end=date(2029, 12, 31),
    )


@pytest.fixture
def community_specialist(world, records) -> Doctor:
    """A specialist in samfunnsmedisin in Vest's supervisor pool, beside the GP specialist Per (the ALIS page
    chooses among the pool)."""
    doctor = Doctor.objects.create(
        first_name="Sara", last_name="Samfunn", municipality=world.bergen, is_community_medicine_specialist=True
    )
    for supervisor in (doctor, records.vest_supervisor):
        SupervisorProfile.objects.get_or_create(doctor=supervisor)
    return doctor


def test_a_doctor_is_a_specialist_in_each_specialty_on_its_own(world) -> None:
    both = Doctor(is_specialist=True, is_community_medicine_specialist=True)
    general = Doctor(is_specialist=True)

    assert both.is_specialist_in(Specialty.COMMUNITY_MEDICINE) and both.is_specialist_in(Specialty.GENERAL_PRACTICE)
    assert general.is_specialist_in(Specialty.GENERAL_PRACTICE)
    assert not general.is_specialist_in(Specialty.COMMUNITY_MEDICINE)


def test_a_samlis_gets_a_specialist_in_samfunnsmedisin(client, records, samlis, community_specialist, vest_user):
    client.force_login(vest_user)
    url = reverse("training:assignment_create", args=[samlis.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["supervisor"].queryset) == [community_specialist]  # not the GP specialist Per

    refused = client.post(url, {"supervisor": records.vest_supervisor.pk, "start": "2025-01-01"})
    saved = client.post(url, {"supervisor": community_specialist.pk, "start": "2025-01-01"})

    assert refused.context["form"].errors["supervisor"] == [
        "Velg en spesialist i samfunnsmedisin i regionen: en SamLIS skal ha en veileder som er det."
    ]
    assert saved.status_code == 302
    assert samlis.supervisor_assignments.get().supervisor == community_specialist


def test_an_alis_in_allmennmedisin_is_not_offered_a_community_medicine_specialist(
    client, records, community_specialist, vest_user
):
    client.force_login(vest_user)

    form = client.get(reverse("training:assignment_create", args=[records.vest_training.pk])).context["form"]

    assert community_specialist not in form.fields["supervisor"].queryset


def _candidate(id: int, **flags) -> matching.Candidate:
    values = {"is_specialist": False, "exemption_until": None, "available_from": None, "load": 0, "remote_ok": True}
    return matching.Candidate(
        id=id, municipality_id=1, gp_office_id=None, point=None, capacity=1, **{**values, **flags}
    )


def test_matching_proposes_only_community_medicine_specialists_for_a_samlis() -> None:
    samlis = matching.Trainee(1, 1001, 1, None, None, specialty=matching.COMMUNITY_MEDICINE)
    alis = matching.Trainee(2, 1002, 1, None, None)
    general = _candidate(10, is_specialist=True, supervises_community_medicine=True)
    community = _candidate(
        11, is_community_medicine_specialist=True, supervises_community_medicine=True, supervises_alis=True
    )

    ranked = matching.rank(samlis, [general, community], ON)
    result = matching.assign([samlis, alis], [general, community], ON)

    assert [(p.candidate.id, p.qualified) for p in ranked] == [(11, True), (10, False)]
    assert sorted((p.trainee_id, p.supervisor_id) for p in result.pairs) == [(1, 11), (2, 10)]
