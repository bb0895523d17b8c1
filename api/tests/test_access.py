"""Who may read what through the API: each endpoint for each persona, like the web pages.

The records are in Vest (Bergen); Nord's token is the outsider (404 on a record, its own region in lists),
the reader sees no personal data (403 on a personal list, 404 on a personal record), and without a token
only the public course calendar answers.
"""

from collections.abc import Callable

import pytest

from accounts.models import AuthEvent
from api.tests.conftest import problem
from core.models import Read

PERSONAS = {"vest": "vest_user", "nord": "nord_user", "reader": "reader", "coordinator": "coordinator", "anon": None}
Url = Callable[[object], str]
ALL = {"vest": 200, "nord": 200, "reader": 200, "coordinator": 200, "anon": 401}
PERSONAL_LIST = {"vest": 200, "nord": 200, "reader": 403, "coordinator": 200, "anon": 401}
PERSONAL_RECORD = {"vest": 200, "nord": 404, "reader": 404, "coordinator": 200, "anon": 401}
PUBLIC = {"vest": 200, "nord": 200, "reader": 200, "coordinator": 200, "anon": 200}

ENDPOINTS: list[tuple[Url, dict[str, int]]] = [
    (lambda r: "/api/v1/me/", ALL),
    (lambda r: "/api/v1/offices/", ALL),
    (lambda r: "/api/v1/health-trusts/", ALL),
    (lambda r: "/api/v1/municipalities/", ALL),
    (lambda r: f"/api/v1/municipalities/{r.vest_training.employer_id}/", ALL),
    (lambda r: f"/api/v1/municipalities/{r.vest_training.employer_id}/contacts/", {**PERSONAL_LIST, "reader": 403}),
    (lambda r: f"/api/v1/contacts/{r.vest_contact.pk}/", {**PERSONAL_RECORD, "reader": 403}),
    (lambda r: "/api/v1/gp-offices/", ALL),
    (lambda r: f"/api/v1/gp-offices/{r.vest_gp_office.pk}/", ALL),
    (lambda r: "/api/v1/doctors/", PERSONAL_LIST),
    (lambda r: f"/api/v1/doctors/{r.vest_doctor.pk}/", PERSONAL_RECORD),
    (lambda r: "/api/v1/trainings/", PERSONAL_LIST),
    (lambda r: f"/api/v1/trainings/{r.vest_training.pk}/", PERSONAL_RECORD),
    (lambda r: f"/api/v1/trainings/{r.vest_training.pk}/service-periods/", PERSONAL_RECORD),
    (lambda r: f"/api/v1/trainings/{r.vest_training.pk}/supervisor-assignments/", PERSONAL_RECORD),
    (lambda r: f"/api/v1/service-periods/{r.vest_period.pk}/", PERSONAL_RECORD),
    (lambda r: "/api/v1/supervisor-profiles/", PERSONAL_LIST),
    (lambda r: f"/api/v1/supervisor-profiles/{r.vest_profile.pk}/", PERSONAL_RECORD),
    (lambda r: "/api/v1/supervision-sessions/", PERSONAL_LIST),
    (lambda r: f"/api/v1/supervision-sessions/{r.vest_session.pk}/", PERSONAL_RECORD),
    (lambda r: "/api/v1/grant-applications/", PERSONAL_LIST),
    (lambda r: f"/api/v1/grant-applications/{r.vest_application.pk}/", PERSONAL_RECORD),
    (lambda r: "/api/v1/mapping-campaigns/", PERSONAL_LIST),
    (lambda r: f"/api/v1/mapping-campaigns/{r.vest_campaign.pk}/", {**PERSONAL_RECORD, "reader": 403}),
    (lambda r: "/api/v1/aggregates/alis/", ALL),
    (lambda r: "/api/v1/aggregates/hospital-demand/", ALL),
    (lambda r: "/api/v1/aggregates/registration/", ALL),
    (lambda r: "/api/v1/aggregates/courses/?year=2026", ALL),
    (lambda r: "/api/v1/courses/", PUBLIC),
    (lambda r: f"/api/v1/courses/{r.vest_course.pk}/", PUBLIC),
    (lambda r: "/api/v1/gatherings/", PUBLIC),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_read_what(request, full_records, api_as, persona):
    user = request.getfixturevalue(PERSONAS[persona]) if PERSONAS[persona] else None
    client = api_as(user)
    wrong = []
    for url, expected in ENDPOINTS:
        response = client.get(url(full_records))
        if response.status_code != expected[persona]:
            wrong.append((url(full_records), expected[persona], response.status_code, response.content[:200]))
        elif response.status_code >= 400:
            problem(response)
    assert wrong == []


def test_lists_show_only_the_users_region(full_records, api_as, nord_user):
    nord = api_as(nord_user)
    names = {t["doctor"]["last_name"] for t in nord.get("/api/v1/trainings/").json()["data"]}
    assert names == {"Hansen"}
    doctors = {d["last_name"] for d in nord.get("/api/v1/doctors/").json()["data"]}
    assert "Nordmann" not in doctors and "Hansen" in doctors
    sessions = [s["id"] for s in nord.get("/api/v1/supervision-sessions/").json()["data"]]
    assert sessions == [full_records.nord_session.pk]
    applications = [a["id"] for a in nord.get("/api/v1/grant-applications/").json()["data"]]
    assert applications == [full_records.nord_application.pk]
    profiles = [p["id"] for p in nord.get("/api/v1/supervisor-profiles/").json()["data"]]
    assert profiles == [full_records.nord_profile.pk]


def test_a_detail_read_is_logged_like_the_web_page(full_records, api_as, vest_user):
    before = Read.objects.count()
    api_as(vest_user).get(f"/api/v1/trainings/{full_records.vest_training.pk}/")
    read = Read.objects.order_by("-pk").first()
    assert Read.objects.count() == before + 1
    assert read.user == vest_user and read.object_id == full_records.vest_training.pk
    assert (read.kind, read.channel, read.doctor) == ("record", "api", full_records.vest_training.doctor)
    assert read.token.startswith("test (")


def test_a_list_read_is_logged_once_naming_the_list(full_records, api_as, vest_user):
    api_as(vest_user).get("/api/v1/trainings/?scheme=new")
    entry = Read.objects.get()
    assert (entry.user, entry.kind, entry.channel) == (vest_user, "list", "api")
    assert (entry.label, entry.rows) == ("trainings", 1)
    assert entry.page == "/api/v1/trainings/?scheme=new" and entry.view == "api-v1:training_list"
    token = vest_user.api_tokens.get()
    assert entry.token == str(token)


def test_non_personal_lists_are_not_logged(full_records, api_as, vest_user):
    api_as(vest_user).get("/api/v1/municipalities/")
    assert not Read.objects.exists()


# Every record address in the OpenAPI document, with Vest's record: Nord's token must find none of the personal
# ones (404), and only the registry's non-personal records and the public course calendar answer.
NOT_PERSONAL = {"/api/v1/municipalities/{pk}/", "/api/v1/gp-offices/{pk}/", "/api/v1/courses/{pk}/"}
FORBIDDEN_NOT_HIDDEN = {"/api/v1/municipalities/{pk}/contacts/"}  # a list under a non-personal record: own region only


def _vest_record(records, path: str) -> int:
    return {
        "/api/v1/municipalities/{pk}/": records.vest_training.employer_id,
        "/api/v1/municipalities/{pk}/contacts/": records.vest_training.employer_id,
        "/api/v1/contacts/{pk}/": records.vest_contact.pk,
        "/api/v1/gp-offices/{pk}/": records.vest_gp_office.pk,
        "/api/v1/doctors/{pk}/": records.vest_doctor.pk,
        "/api/v1/trainings/{pk}/": records.vest_training.pk,
        "/api/v1/trainings/{pk}/service-periods/": records.vest_training.pk,
        "/api/v1/trainings/{pk}/supervisor-assignments/": records.vest_training.pk,
        "/api/v1/service-periods/{pk}/": records.vest_period.pk,
        "/api/v1/supervisor-profiles/{pk}/": records.vest_profile.pk,
        "/api/v1/supervision-sessions/{pk}/": records.vest_session.pk,
        "/api/v1/grant-applications/{pk}/": records.vest_application.pk,
        "/api/v1/mapping-campaigns/{pk}/": records.vest_campaign.pk,
        "/api/v1/courses/{pk}/": records.vest_course.pk,
    }[path]


def test_another_regions_token_finds_no_personal_record(full_records, api_as, nord_user):
    document = api_as(None).get("/api/v1/openapi.json").json()
    nord = api_as(nord_user)
    leaks = []
    for path, operations in document["paths"].items():
        if "{pk}" not in path or "get" not in operations:
            continue
        response = nord.get(path.replace("{pk}", str(_vest_record(full_records, path))))
        if path in NOT_PERSONAL:
            expected = 200
        elif path in FORBIDDEN_NOT_HIDDEN:
            expected = 200 if response.json() == [] else None
        else:
            expected = 404
        if response.status_code != expected:
            leaks.append((path, response.status_code, response.content[:200]))
    assert leaks == []


def test_a_refusal_is_in_the_security_log_like_the_web_pages(full_records, api_as, reader):
    response = api_as(reader).get("/api/v1/doctors/?name=Hansen")

    assert response.status_code == 403
    event = AuthEvent.objects.get(kind=AuthEvent.Kind.ACCESS_DENIED)
    assert (event.user, event.path) == (reader, "/api/v1/doctors/")  # the path only: a query can hold a name
