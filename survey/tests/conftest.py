from datetime import date, timedelta

import pytest
from django.utils import timezone

from survey import services
from survey.models import Campaign, Invitation


@pytest.fixture
def vest_campaign(records, vest_user, django_capture_on_commit_callbacks) -> Campaign:
    """A Vest campaign inviting Bergen, whose training lead has an e-mail address (the mail is sent)."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.campaign_start(
            office=vest_user.office,
            by=vest_user,
            data={"title": "Kartlegging 2026", "message": "Hei!", "deadline": date.today() + timedelta(days=14)},
            municipalities=[records.vest_training.employer],
            now=timezone.now(),
        )


@pytest.fixture
def bergen_invitation(vest_campaign) -> Invitation:
    return vest_campaign.invitations.get()


@pytest.fixture
def nord_invitation(records, nord_user) -> Invitation:
    campaign = services.campaign_start(
        office=nord_user.office,
        by=nord_user,
        data={"title": "Nord 2026", "deadline": date.today() + timedelta(days=14)},
        municipalities=[records.nord_training.employer],
        now=timezone.now(),
    )
    return campaign.invitations.get()
