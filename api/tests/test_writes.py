"""Writes through the web's forms: the same checks and messages, history with the token's user, no silent
overwrite (If-Match: 428 without, 412 when stale), 403 for roles that may not change, 404 for other regions."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from api.tests.conftest import messages, problem
from core.models import Change
from registry.models import Contact
from supervision.models import SupervisionSession
from training.models import ServicePeriod, Training


def _changes(instance) -> list[Change]:
    ct = ContentType.objects.get_for_model(instance)
    return list(Change.objects.filter(content_type=ct, object_id=instance.pk).order_by("pk"))


def _etag(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


# Contacts


def test_it_creates_a_contact_with_history(records, api_as, vest_user):
    client = api_as(vest_user)
    response = client.post_json(
        f"/api/v1/municipalities/{records.vest_training.employer_id}/contacts/",
        {"role": "chief_medical_officer", "name": "Kari Lege", "email": "kari@bergen.kommune.no"},
    )
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(pk=response.json()["id"])
    assert (contact.name, contact.role) == ("Kari Lege", "chief_medical_officer")
    assert contact.municipality_id == records.vest_training.employer_id
    assert response["Location"] == f"/api/v1/contacts/{contact.pk}/"
    assert response["ETag"] == '"1"'
    [change] = _changes(contact)
    assert change.user == vest_user and change.action == "create"


def test_it_refuses_a_contact_without_name_and_email_as_the_form_does(records, api_as, vest_user):
    response = api_as(vest_user).post_json(
        f"/api/v1/municipalities/{records.vest_training.employer_id}/contacts/", {"role": "other", "phone": "5555"}
    )
    assert response.status_code == 422
    assert messages(response) == {"name": ["Fyll ut navn eller e-post."]}
    assert Contact.objects.count() == 2


def test_an_update_needs_the_version_seen(records, api_as, vest_user, vest_colleague):
    url = f"/api/v1/contacts/{records.vest_contact.pk}/"
    client, colleague = api_as(vest_user), api_as(vest_colleague)
    seen = _etag(client, url)
    assert seen == '"1"'
    without = client.patch_json(url, {"phone": "11111111"})
    assert without.status_code == 428 and problem(without)["code"] == "precondition_required"
    assert client.patch_json(url, {"phone": "1"}, **{"If-Match": "*"}).status_code == 428
    saved = colleague.patch_json(url, {"phone": "22222222"}, **{"If-Match": seen})
    assert saved.status_code == 200 and saved["ETag"] == '"2"' and saved.json()["version"] == 2
    stale = client.patch_json(url, {"phone": "33333333"}, **{"If-Match": seen})
    assert stale.status_code == 412 and problem(stale)["code"] == "stale"
    records.vest_contact.refresh_from_db()
    assert records.vest_contact.phone == "22222222"
    assert [c.user for c in _changes(records.vest_contact)] == [vest_colleague]
    assert [c.fields for c in _changes(records.vest_contact)] == [{"phone": ["", "22222222"]}]


def test_a_patch_changes_only_the_fields_sent(records, api_as, vest_user):
    url = f"/api/v1/contacts/{records.vest_contact.pk}/"
    client = api_as(vest_user)
    response = client.patch_json(url, {"phone": "12345678"}, **{"If-Match": _etag(client, url)})
    assert response.status_code == 200
    contact = Contact.objects.get(pk=records.vest_contact.pk)
    assert (contact.name, contact.email, contact.phone) == ("Vera Vestre", "vera@bergen.kommune.no", "12345678")


@pytest.mark.parametrize(("persona", "status"), [("nord_user", 404), ("reader", 404), ("coordinator", 403)])
def test_others_may_not_change_a_contact(request, records, api_as, persona, status):
    url = f"/api/v1/contacts/{records.vest_contact.pk}/"
    response = api_as(request.getfixturevalue(persona)).patch_json(url, {"phone": "1"}, **{"If-Match": '"1"'})
    assert response.status_code == status
    records.vest_contact.refresh_from_db()
    assert records.vest_contact.phone == ""


@pytest.mark.parametrize(("persona", "status"), [("nord_user", 403), ("reader", 403), ("coordinator", 403)])
def test_others_may_not_add_a_contact(request, records, api_as, persona, status):
    url = f"/api/v1/municipalities/{records.vest_training.employer_id}/contacts/"
    response = api_as(request.getfixturevalue(persona)).post_json(url, {"role": "other", "name": "X"})
    assert response.status_code == status


# Trainings


def _training_body(records, **fields) -> dict:
    return {
        "doctor": records.vest_supervisor.pk,
        "employer": records.vest_training.employer_id,
        "contract": "salaried",
        "start": "2025-01-06",
    } | fields


def test_it_creates_a_training_through_the_form(records, api_as, vest_user):
    response = api_as(vest_user).post_json("/api/v1/trainings/", _training_body(records, position_share=50))
    assert response.status_code == 201, response.content
    body = response.json()
    training = Training.objects.get(pk=body["id"])
    assert (training.doctor, training.scheme, training.status) == (records.vest_supervisor, "new", "active")
    # The form's defaults and the web's expected end (part time: ten years).
    assert body["expected_end"] == "2035-01-05" and training.expected_end == date(2035, 1, 5)
    assert [c.user for c in _changes(training)] == [vest_user]


def test_it_gives_the_forms_messages(records, api_as, vest_user):
    body = _training_body(records, scheme="old", status="left", gp_office=records.nord_gp_office.pk)
    response = api_as(vest_user).post_json("/api/v1/trainings/", body)
    assert response.status_code == 422
    errors = messages(response)
    assert errors["scheme"] == ["Gammel ordning gjelder bare ALIS som startet før 1. mars 2019."]
    assert errors["ended_on"] == ["Oppgi når utdanningsløpet ble avsluttet."]
    assert "gp_office" in errors
    assert Training.objects.count() == 2


def test_the_messages_follow_accept_language(records, api_as, vest_user):
    response = api_as(vest_user).post(
        "/api/v1/trainings/",
        data='{"doctor": 1}',
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert problem(response)["title"] == "Invalid data"


def test_it_refuses_another_regions_employer_and_doctor(records, api_as, vest_user):
    client = api_as(vest_user)
    body = _training_body(records, employer=records.nord_training.employer_id)
    response = client.post_json("/api/v1/trainings/", body)
    assert response.status_code == 422 and "employer" in messages(response)
    response = client.post_json("/api/v1/trainings/", _training_body(records, doctor=records.nord_doctor.pk))
    assert response.status_code == 422
    assert messages(response) == {"doctor": ["Fant ingen lege med denne id-en i regionen din."]}


def test_it_updates_a_training_and_refuses_a_stale_write(records, api_as, vest_user, vest_colleague):
    url = f"/api/v1/trainings/{records.vest_training.pk}/"
    client = api_as(vest_user)
    seen = _etag(client, url)
    first = api_as(vest_colleague).patch_json(url, {"position_share": 80}, **{"If-Match": seen})
    assert first.status_code == 200, first.content
    assert first.json()["position_share"] == 80 and first.json()["version"] == 2
    stale = client.patch_json(url, {"notes": "Mine notater"}, **{"If-Match": seen})
    assert stale.status_code == 412
    training = Training.objects.get(pk=records.vest_training.pk)
    assert (training.position_share, training.notes, training.version) == (80, "", 2)
    assert [c.user for c in _changes(training)] == [vest_colleague]


def test_a_training_of_another_region_is_not_found(records, api_as, nord_user):
    url = f"/api/v1/trainings/{records.vest_training.pk}/"
    assert api_as(nord_user).patch_json(url, {"notes": "x"}, **{"If-Match": '"1"'}).status_code == 404


# Service periods


def test_a_period_goes_through_the_period_form_and_moves_the_expected_end(records, api_as, vest_user):
    training = records.vest_training
    client = api_as(vest_user)
    url = f"/api/v1/trainings/{training.pk}/service-periods/"
    hospital = client.post_json(url, {"kind": "hospital", "start": "2026-01-01", "end": "2026-06-30", "planned": True})
    assert hospital.status_code == 422
    assert messages(hospital) == {"health_trust": ["Velg helseforetaket for institusjonstjenesten."]}
    before = Training.objects.get(pk=training.pk).expected_end
    leave = client.post_json(url, {"kind": "leave", "start": "2024-01-01", "end": "2024-01-31"})
    assert leave.status_code == 201, leave.content
    period = ServicePeriod.objects.get(pk=leave.json()["id"])
    assert Training.objects.get(pk=training.pk).expected_end > before
    change = _changes(period)[0]
    assert change.user == vest_user and change.parent_id == training.pk


def test_a_period_update_needs_if_match(records, api_as, vest_user):
    url = f"/api/v1/service-periods/{records.vest_period.pk}/"
    client = api_as(vest_user)
    assert client.patch_json(url, {"place": "Sentrum"}).status_code == 428
    response = client.patch_json(url, {"place": "Sentrum"}, **{"If-Match": _etag(client, url)})
    assert response.status_code == 200 and response.json()["place"] == "Sentrum"
    assert client.patch_json(url, {"end": "2022-01-01"}, **{"If-Match": '"2"'}).status_code == 422


# Supervision sessions


def _session(records, **fields) -> dict:
    return {
        "training": records.vest_training.pk,
        "supervisor": records.vest_supervisor.pk,
        "date": "2025-02-03",
        "minutes": 60,
    } | fields


def test_it_records_a_session(records, api_as, vest_user):
    response = api_as(vest_user).post_json("/api/v1/supervision-sessions/", _session(records, topic="Journal"))
    assert response.status_code == 201, response.content
    session = SupervisionSession.objects.get(pk=response.json()["id"])
    assert (session.minutes, session.topic, session.source) == (60, "Journal", "office")
    assert _changes(session)[0].user == vest_user


def test_it_refuses_a_supervisor_not_assigned_to_the_training(records, api_as, vest_user):
    body = _session(records, supervisor=records.vest_doctor.pk)
    response = api_as(vest_user).post_json("/api/v1/supervision-sessions/", body)
    assert response.status_code == 422 and "supervisor" in messages(response)


def test_bulk_saves_all_rows_or_none_with_a_report_per_row(records, api_as, vest_user):
    client = api_as(vest_user)
    rows = [
        _session(records),
        _session(records, training=records.nord_training.pk),
        _session(records, date="2020-01-01", minutes=2),
        _session(records, kind="group"),
    ]
    response = client.post_json("/api/v1/supervision-sessions/bulk/", {"sessions": rows})
    assert response.status_code == 422
    body = problem(response)
    assert body["detail"] == "Ingenting er lagret: 2 rader har feil."
    assert {(e["row"], e["field"]) for e in body["errors"]} == {(1, "training"), (2, "date"), (2, "minutes")}
    assert not SupervisionSession.objects.exists()
    ok = client.post_json("/api/v1/supervision-sessions/bulk/", {"sessions": [rows[0], rows[3]]})
    assert ok.status_code == 201, ok.content
    assert ok.json()["created"] == 2
    sessions = SupervisionSession.objects.order_by("pk")
    assert [s.kind for s in sessions] == ["individual", "group"] and {s.source for s in sessions} == {"import"}
    assert all(_changes(s)[0].user == vest_user for s in sessions)


def test_bulk_is_bounded(records, api_as, vest_user):
    rows = [_session(records)] * 501
    response = api_as(vest_user).post_json("/api/v1/supervision-sessions/bulk/", {"sessions": rows})
    assert response.status_code == 422
    assert messages(response) == {"sessions": ["Høyst 500 rader."]}
    assert api_as(vest_user).post_json("/api/v1/supervision-sessions/bulk/", {"sessions": []}).status_code == 422


@pytest.mark.parametrize("persona", ["reader", "coordinator"])
def test_roles_that_do_not_change_get_403_on_sessions(request, records, api_as, persona):
    client = api_as(request.getfixturevalue(persona))
    assert client.post_json("/api/v1/supervision-sessions/", _session(records)).status_code == 403
    assert client.post_json("/api/v1/supervision-sessions/bulk/", {"sessions": [_session(records)]}).status_code == 403


def test_a_session_update_is_versioned(full_records, api_as, vest_user):
    url = f"/api/v1/supervision-sessions/{full_records.vest_session.pk}/"
    client = api_as(vest_user)
    response = client.patch_json(url, {"minutes": 90}, **{"If-Match": _etag(client, url)})
    assert response.status_code == 200 and response.json()["minutes"] == 90
    assert client.patch_json(url, {"minutes": 30}, **{"If-Match": '"1"'}).status_code == 412
