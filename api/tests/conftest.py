"""A client per persona that speaks to the API with that persona's own token."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from api.tokens import token_create


class ApiClient(Client):
    """Django's test client with a bearer token and JSON bodies."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__(headers={"Authorization": f"Bearer {token}"} if token else None)
        self.token = token

    def post_json(self, path: str, body, **headers):
        return self.post(path, data=json.dumps(body), content_type="application/json", headers=headers)

    def patch_json(self, path: str, body, **headers):
        return self.patch(path, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as():
    """`api_as(user)`: a client acting as the user through a new token (`api_as(None)`: no token at all)."""

    def make(user) -> ApiClient:
        if user is None:
            return ApiClient()
        _row, token = token_create(user=user, name="test")
        return ApiClient(token)

    return make


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", response.content[:300]
    body = response.json()
    assert body["status"] == response.status_code
    return body


def messages(response) -> dict[str, list[str]]:
    """The field errors of a problem document, by field."""
    result: dict[str, list[str]] = {}
    for error in problem(response)["errors"]:
        result.setdefault(error["field"], []).append(error["message"])
    return result


@pytest.fixture
def full_records(records, world):
    """`records` and, in each region, a supervisor in the pool, a session, a grant application with a line,
    a mapping campaign and a published course (`full_records.vest_*`, `full_records.nord_*`)."""
    from datetime import date, timedelta

    from django.utils import timezone

    from courses.tests.conftest import make_course, make_registration
    from grants.models import ApplicationLine, GrantApplication
    from grants.rates import load_rates
    from supervision.models import SupervisionSession, SupervisorProfile
    from survey.models import Campaign, Invitation

    period = load_rates()[0]
    for region, municipality, office in (("vest", world.bergen, world.vest), ("nord", world.bodo, world.nord)):
        training = getattr(records, f"{region}_training")
        supervisor = getattr(records, f"{region}_supervisor")
        setattr(records, f"{region}_profile", SupervisorProfile.objects.create(doctor=supervisor, capacity=2))
        session = SupervisionSession.objects.create(
            training=training, supervisor=supervisor, date=date(2024, 3, 1), minutes=60
        )
        setattr(records, f"{region}_session", session)
        application = GrantApplication.objects.create(municipality=municipality, period=period)
        ApplicationLine.objects.create(
            application=application,
            training=training,
            position_type="regular_gp",
            position_share=100,
            months=12,
            productivity_months=0,
        )
        setattr(records, f"{region}_application", application)
        campaign = Campaign.objects.create(office=office, title=f"Kartlegging {region}", deadline=date(2026, 3, 1))
        Invitation.objects.create(
            campaign=campaign, municipality=municipality, expires_at=timezone.now() + timedelta(days=30)
        )
        setattr(records, f"{region}_campaign", campaign)
        course = make_course(office, title=f"Veilederkurs {region}")
        make_registration(course, municipality, email=f"deltaker@{region}.no")
        setattr(records, f"{region}_course", course)
    return records
