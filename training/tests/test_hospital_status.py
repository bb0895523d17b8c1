"""A hospital period's status with the health trust: wanted, agreed with the trust, done."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from core.models import Change
from training.forms import ServicePeriodForm, TrainingFilterForm
from training.models import HospitalStatus, ServicePeriod, Training


def _data(records, **changes) -> dict:
    data = {
        "kind": ServicePeriod.Kind.HOSPITAL,
        "health_trust": records.helse_bergen.pk,
        "place": "",
        "start": "2027-01-01",
        "end": "2027-06-30",
        "share": "100",
        "planned": "on",
        "hospital_status": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _form(records, **changes) -> ServicePeriodForm:
    period = ServicePeriod(training=records.vest_training)
    return ServicePeriodForm(_data(records, **changes), instance=period, today=date(2026, 11, 29))


def test_it_takes_a_planned_hospital_period_without_a_status_as_wanted(records) -> None:
    form = _form(records)
    assert form.is_valid(), form.errors
    assert form.save().hospital_status == HospitalStatus.WANTED


def test_it_takes_a_done_hospital_period_without_a_status_as_done(records) -> None:
    form = _form(records, start="2023-08-01", end="2024-01-31", planned=None)
    assert form.is_valid(), form.errors
    assert form.save().hospital_status == HospitalStatus.DONE


def test_it_keeps_agreed(records) -> None:
    form = _form(records, hospital_status=HospitalStatus.AGREED)
    assert form.is_valid(), form.errors
    assert form.save().hospital_status == HospitalStatus.AGREED


@pytest.mark.parametrize(
    ("planned", "status", "message"),
    [
        ("on", HospitalStatus.DONE, "En planlagt periode kan ikke være gjennomført."),
        (None, HospitalStatus.WANTED, "En gjennomført periode kan ikke bare være ønsket."),
    ],
)
def test_it_refuses_a_status_that_contradicts_planned(records, planned, status, message) -> None:
    form = _form(records, start="2023-08-01", end="2024-01-31", planned=planned, hospital_status=status)
    assert not form.is_valid()
    assert form.errors["hospital_status"] == [message]


def test_other_kinds_have_no_status(records) -> None:
    form = _form(
        records,
        kind=ServicePeriod.Kind.OPEN_PRACTICE,
        health_trust="",
        hospital_status=HospitalStatus.AGREED,
        start="2026-08-01",
        end="2026-12-31",
    )
    assert form.is_valid(), form.errors
    assert form.save().hospital_status == ""


def test_the_period_page_edits_the_status_with_history(client, records, vest_user, form_data) -> None:
    period = ServicePeriod.objects.create(
        training=records.vest_training,
        kind=ServicePeriod.Kind.HOSPITAL,
        health_trust=records.helse_bergen,
        start=date(2027, 1, 1),
        end=date(2027, 6, 30),
        planned=True,
        hospital_status=HospitalStatus.WANTED,
    )
    client.force_login(vest_user)
    url = reverse("training:period_edit", args=[period.pk])
    page = client.get(url)
    assert "Status hos helseforetaket" in page.content.decode()
    data = form_data(page.context["form"])
    data["hospital_status"] = HospitalStatus.AGREED
    assert client.post(url, data).status_code == 302
    period.refresh_from_db()
    assert period.hospital_status == HospitalStatus.AGREED
    change = Change.objects.filter(object_id=period.pk, action=Change.Action.UPDATE).get()
    assert change.fields["status hos helseforetaket"] == ["Ønsket", "Avtalt med helseforetaket"]
    detail = client.get(reverse("training:detail", args=[records.vest_training.pk])).content.decode()
    assert "Avtalt med helseforetaket" in detail


def test_the_list_filters_hospital_service_soon_and_not_agreed(records, vest_user) -> None:
    today = date(2026, 11, 29)
    soon = {"kind": ServicePeriod.Kind.HOSPITAL, "health_trust": records.helse_bergen, "planned": True}
    ServicePeriod.objects.create(
        training=records.vest_training, start=date(2027, 2, 1), **soon, hospital_status=HospitalStatus.WANTED
    )
    # Nord's is agreed, and another starts after twelve weeks: neither is listed.
    ServicePeriod.objects.filter(pk=records.nord_period.pk).update(
        start=date(2027, 1, 1), end=date(2027, 6, 30), hospital_status=HospitalStatus.AGREED
    )
    form = TrainingFilterForm({"hospital_not_agreed": "on", "office": ""}, user=vest_user, today=today)
    found = form.filter(Training.objects.with_supervisor_flag(today))
    assert list(found) == [records.vest_training]
    later = today + timedelta(weeks=12, days=1)
    ServicePeriod.objects.filter(training=records.vest_training, kind="hospital").update(start=later)
    assert (
        not TrainingFilterForm({"hospital_not_agreed": "on"}, user=vest_user, today=today)
        .filter(Training.objects.with_supervisor_flag(today))
        .exists()
    )
