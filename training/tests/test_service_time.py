"""Counted service on the training page, checked by hand; periods that would count twice are refused."""

import re
from datetime import date

import pytest
from django.urls import reverse

from core.models import Change
from training.models import ServicePeriod, Training

TODAY = date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setattr("training.views._today", lambda: TODAY)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _period(training: Training, kind: str, start: date, end: date, share: int = 100, **fields) -> ServicePeriod:
    return ServicePeriod.objects.create(training=training, kind=kind, start=start, end=end, share=share, **fields)


def test_the_training_page_shows_a_hand_computed_timeline(client, records, vest_user) -> None:
    training = records.vest_training
    training.periods.all().delete()
    Training.objects.filter(pk=training.pk).update(start=date(2021, 1, 1))
    _period(training, "open_practice", date(2021, 1, 1), date(2022, 12, 31), 60)  # 2 years × 0.6 = 1.2
    _period(training, "leave", date(2023, 1, 1), date(2023, 3, 31))  # 3 months of leave: 0
    _period(training, "open_practice", date(2023, 4, 1), date(2025, 12, 31))  # April 2023 – Dec 2025: 33 months = 2.75
    _period(training, "other", date(2026, 1, 1), date(2026, 6, 30))  # «annen tjeneste»: counts nowhere (0.5)
    _period(training, "hospital", date(2026, 7, 1), date(2026, 10, 31), health_trust=records.helse_bergen)  # 4 months
    client.force_login(vest_user)

    response = client.get(reverse("training:detail", args=[training.pk]))

    page = _text(response)
    # open 1.2 + 2.75 = 3.95, hospital 4/12 = 0.333, total 4.283 → shown 4.3. By largest remainder: open 3.95 → 4.0
    # (remainder 0.5 beats hospital's 0.33), hospital 0.3, other GP work 0.0: 4.0 + 0.0 + 0.3 = 4.3.
    assert "Samlet tellende tjeneste 4,3 år minst 5 år Nei, mangler 0,7 år" in page
    assert "Åpen uselektert allmennpraksis 4,0 år minst 2 år, høyst 4,5 år Ja" in page
    assert "Annen allmennmedisinsk tjeneste 0,0 år høyst 2,5 år ingen minstekrav" in page
    assert "Institusjonstjeneste 0,3 år minst 0,5 år Nei, mangler 0,2 år" in page
    assert "Annen tjeneste: 0,5 år teller ikke mot kravene" in page
    assert "Dataproblem" not in page


def test_the_page_shows_an_overlap_over_100_percent_as_a_data_problem(client, records, vest_user) -> None:
    # Legacy data (from before the form refused it): open practice 1 Aug 2022 – 31 Jul 2023 at 100 % and other GP
    # work 1 Feb – 31 Jul 2023 at 50 %. Each day counts at most 100 %: one year in all, not 1.25.
    training = records.vest_training
    _period(training, "other_municipal", date(2023, 2, 1), date(2023, 7, 31), 50)
    client.force_login(vest_user)

    response = client.get(reverse("training:detail", args=[training.pk]))

    page = _text(response)
    assert response.status_code == 200
    assert "Dataproblem: perioder som overlapper mer enn 100 %" in page
    assert "01.02.2023–31.07.2023: samlet 150 %" in page
    assert "Samlet tellende tjeneste 1,0 år" in page


def _post_period(client, training: Training, **data):
    values = {"kind": "other_municipal", "share": "100"} | data
    return client.post(reverse("training:period_create", args=[training.pk]), values)


def test_it_refuses_a_period_that_makes_a_day_more_than_100_percent(client, records, vest_user) -> None:
    client.force_login(vest_user)

    response = _post_period(client, records.vest_training, start="2023-02-01", end="2023-06-30", share="50")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Overlapper med Åpen uselektert allmennpraksis 01.08.2022–31.07.2023 (100 %): "
        "samlet stillingsandel blir 150 % fra 01.02.2023."
    ]
    assert "samlet stillingsandel blir 150 % fra 01.02.2023" in response.content.decode()
    assert records.vest_training.periods.count() == 1
    assert Change.objects.count() == 0


def test_it_refuses_leave_on_top_of_full_time_service(client, records, vest_user) -> None:
    client.force_login(vest_user)

    response = _post_period(client, records.vest_training, kind="leave", start="2023-03-01", end="2023-05-31")

    assert "samlet stillingsandel blir 200 % fra 01.03.2023" in response.context["form"].non_field_errors()[0]


def test_it_accepts_overlaps_that_add_up_to_at_most_100_percent(client, records, vest_user, form_data) -> None:
    client.force_login(vest_user)
    url = reverse("training:period_edit", args=[records.vest_period.pk])
    halved = client.post(url, form_data(client.get(url).context["form"]) | {"share": "50"})

    added = _post_period(client, records.vest_training, start="2023-02-01", end="2023-12-31", share="50")
    after = _post_period(
        client,
        records.vest_training,
        kind="hospital",
        start="2024-01-01",
        end="2024-06-30",
        health_trust=records.helse_bergen.pk,
    )

    assert (halved.status_code, added.status_code, after.status_code) == (302, 302, 302)
    assert records.vest_training.periods.count() == 3


def test_a_period_does_not_overlap_itself_when_edited(client, records, vest_user, form_data) -> None:
    client.force_login(vest_user)
    url = reverse("training:period_edit", args=[records.vest_period.pk])

    response = client.post(url, form_data(client.get(url).context["form"]) | {"end": "2023-12-31"})

    assert response.status_code == 302
    records.vest_period.refresh_from_db()
    assert records.vest_period.end == date(2023, 12, 31)


def test_a_planned_hospital_period_may_follow_an_ongoing_one(client, records, vest_user) -> None:
    # Nord's planned hospital service (1 Jan – 30 Jun 2026) is in another training: no conflict there either.
    client.force_login(vest_user)

    response = _post_period(
        client,
        records.vest_training,
        kind="hospital",
        health_trust=records.helse_bergen.pk,
        start="2027-01-01",
        end="2027-06-30",
        planned="on",
    )

    assert response.status_code == 302
