"""Errors are problem documents (RFC 9457), and no input gives a server error."""

import json
from urllib.parse import quote

import pytest

from api.tests.conftest import messages, problem
from training.models import Training

QUERY_PARAMETERS = [
    (
        "/api/v1/trainings/",
        [
            "q",
            "office",
            "county",
            "municipality",
            "centrality",
            "status",
            "hospital",
            "sort",
            "page",
            "page_size",
            "no_supervisor",
            "scheme",
        ],
    ),
    ("/api/v1/municipalities/", ["q", "office", "county", "centrality", "specialty", "status", "sort", "page"]),
    ("/api/v1/doctors/", ["q", "county", "regular_gp", "specialist"]),
    ("/api/v1/gp-offices/", ["q", "office", "county"]),
    ("/api/v1/supervision-sessions/", ["training", "supervisor", "date_from", "date_to"]),
    ("/api/v1/supervisor-profiles/", ["office"]),
    ("/api/v1/grant-applications/", ["q", "period", "status"]),
    ("/api/v1/aggregates/alis/", ["level", "office"]),
    ("/api/v1/aggregates/courses/", ["year", "office"]),
    ("/api/v1/aggregates/registration/", ["on", "office"]),
    ("/api/v1/aggregates/hospital-demand/", ["office"]),
    ("/api/v1/courses/", ["office", "include_past"]),
]


# The quick suite tries the worst of them; the Schemathesis sweep (test_sweep.py) tries many more.
WORST = ["a\x00b", "²³¼", "9" * 400, "1e309", "9999-12-31", "x" * 5000]


def test_hostile_query_strings_never_give_a_server_error(full_records, api_as, vest_user):
    client = api_as(vest_user)
    for url, names in QUERY_PARAMETERS:
        for name in names:
            for value in WORST:
                response = client.get(f"{url}?{name}={quote(value)}")
                assert response.status_code in {200, 422}, (url, name, value, response.status_code)
                if response.status_code != 200:
                    problem(response)


@pytest.mark.parametrize("pk", ["0", "-1", "9" * 30, str(2**63), "1.5", "%00", "abc"])
def test_odd_record_ids_are_not_found_or_invalid(full_records, api_as, vest_user, pk):
    for path in ("trainings", "doctors", "contacts", "service-periods", "supervision-sessions", "courses"):
        response = api_as(vest_user).get(f"/api/v1/{path}/{pk}/")
        assert response.status_code in {404, 422}, (path, pk, response.status_code)
        problem(response)


def test_hostile_bodies_never_give_a_server_error(full_records, api_as, vest_user):
    client = api_as(vest_user)
    training = full_records.vest_training
    writes = [
        (
            "post",
            "/api/v1/trainings/",
            {
                "doctor": full_records.vest_supervisor.pk,
                "employer": training.employer_id,
                "contract": "salaried",
                "start": "2025-01-01",
            },
        ),
        (
            "post",
            f"/api/v1/trainings/{training.pk}/service-periods/",
            {"kind": "other", "start": "2024-01-01", "end": "2024-02-01"},
        ),
        (
            "post",
            "/api/v1/supervision-sessions/",
            {
                "training": training.pk,
                "date": "2025-01-01",
                "minutes": 60,
                "supervisor": full_records.vest_supervisor.pk,
            },
        ),
        ("post", f"/api/v1/municipalities/{training.employer_id}/contacts/", {"role": "other", "name": "A"}),
        ("patch", f"/api/v1/contacts/{full_records.vest_contact.pk}/", {"name": "B"}),
        ("patch", f"/api/v1/trainings/{training.pk}/", {"notes": "C"}),
    ]
    for method, url, valid in writes:
        for field in valid:
            for value in [*WORST, 10**40, -(10**40), None, {}]:
                body = {**valid, field: value}
                send = client.post_json if method == "post" else client.patch_json
                response = send(url, body, **{"If-Match": '"999"'})
                assert response.status_code < 500, (url, field, value, response.content[:200])


def test_far_dates_are_refused_at_the_edge(records, api_as, vest_user):
    body = {
        "doctor": records.vest_supervisor.pk,
        "employer": records.vest_training.employer_id,
        "contract": "salaried",
        "start": "9999-12-31",
    }
    response = api_as(vest_user).post_json("/api/v1/trainings/", body)
    assert response.status_code == 422
    assert messages(response) == {"start": ["Datoen må være mellom 01.01.1900 og 31.12.2100."]}
    assert Training.objects.count() == 2


def test_a_body_that_is_not_json_is_a_400(records, api_as, vest_user):
    response = api_as(vest_user).post("/api/v1/supervision-sessions/", data="{nei", content_type="application/json")
    assert response.status_code == 400 and problem(response)["code"] == "bad_request"


@pytest.mark.parametrize("path", ["finnes-ikke/", "courses/k\nL/", "trainings/%0A/service-periods/"])
def test_an_unknown_address_under_the_api_is_a_problem_document(world, api_as, vest_user, path):
    response = api_as(vest_user).post(f"/api/v1/{path}")
    assert response.status_code == 404
    assert problem(response)["title"] == "Finnes ikke"


def test_unknown_fields_are_named(records, api_as, vest_user):
    url = f"/api/v1/municipalities/{records.vest_training.employer_id}/contacts/"
    response = api_as(vest_user).post_json(url, {"role": "other", "name": "A", "navn": "B"})
    assert messages(response) == {"navn": ["Ukjent felt."]}


def test_a_problem_has_the_rfc_9457_members(world, api_as):
    body = json.loads(api_as(None).get("/api/v1/me/").content)
    assert body["type"] == "about:blank" and body["status"] == 401 and body["instance"] == "/api/v1/me/"
    assert body["title"] and body["detail"]
