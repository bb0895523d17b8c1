"""The public answer form reads the same number of queries whatever the number of ALIS in the municipality."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Doctor
from training.models import Contract, Scheme, Training

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_it_reads_the_same_number_of_queries_with_few_and_many_alis(client, bergen_invitation, records, world):
    url = reverse("survey:answer", args=[bergen_invitation.token])
    client.get(url)  # the first opening is recorded; count the later ones
    few = _queries(client, url)
    office = records.vest_training.gp_office
    for n in range(5):
        doctor = Doctor.objects.create(first_name=f"Alis{n}", last_name="Bergensen", municipality=world.bergen)
        Training.objects.create(
            doctor=doctor, employer=world.bergen, gp_office=office, scheme=Scheme.NEW,
            contract=Contract.SELF_EMPLOYED, position_share=100, start=date(2024, 8, 1), expected_end=date(2029, 7, 31),
        )
    response = client.get(url)
    assert response.content.decode().count("Bergensen") >= 5
    assert _queries(client, url) == few
