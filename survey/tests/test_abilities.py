"""Who may do what with the mapping campaigns and the imports: every role × every action, as the abilities say.

Another region's row is not found (404), a role that may not act is refused (403), anonymous users are sent to
the sign-in page (302); a refused request changes nothing.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PASSWORD
from dataio.models import ImportJob
from survey.models import Campaign, Invitation, Proposal

pytestmark = pytest.mark.django_db
ROLES = ("vest_user", "nord_user", "coordinator", "reader", "admin_user", "anonymous")


def _status(statuses: str, role: str) -> int:
    return int(statuses.split()[ROLES.index(role)])


def _client(client, request, role: str):
    if role != "anonymous":
        user = request.getfixturevalue(role)
        client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def answered(bergen_invitation, records) -> Invitation:
    from django.utils import timezone

    Invitation.objects.filter(pk=bergen_invitation.pk).update(answered_at=timezone.now())
    Proposal.objects.create(
        invitation=bergen_invitation,
        target=Proposal.Target.CONTACT,
        object_id=records.vest_contact.pk,
        object_repr="Vera Vestre",
        field="phone",
        label="telefon",
        old_value="",
        new_value="55 55 55 55",
    )
    return bergen_invitation


PAGES = {
    # action: (method, url of the answered Bergen invitation, statuses in the order of ROLES)
    "campaign_list": ("get", lambda i: reverse("survey:campaign_list"), "200 200 200 403 200 302"),
    "campaign_create": ("get", lambda i: reverse("survey:campaign_create"), "200 200 403 403 403 302"),
    "campaign_detail": (
        "get",
        lambda i: reverse("survey:campaign_detail", args=[i.campaign_id]),
        "200 404 200 403 200 302",
    ),
    "invitation_detail": ("get", lambda i: reverse("survey:invitation_detail", args=[i.pk]), "200 404 200 403 200 302"),
    "invitation_remind": ("get", lambda i: reverse("survey:invitation_remind", args=[i.pk]), "200 404 403 403 200 302"),
    "invitation_revoke": ("get", lambda i: reverse("survey:invitation_revoke", args=[i.pk]), "200 404 403 403 200 302"),
    "invitation_reject_all": (
        "get",
        lambda i: reverse("survey:invitation_reject_all", args=[i.pk]),
        "200 404 403 403 200 302",
    ),
    "municipality_status": ("get", lambda i: reverse("survey:municipality_status"), "200 200 200 403 200 302"),
    "municipality_panel": (
        "get",
        lambda i: reverse("survey:municipality_panel", args=[i.municipality_id]),
        "200 404 200 403 200 302",
    ),
}


@pytest.mark.parametrize("action", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_abilities_say(client, request, answered, role, action):
    method, url, statuses = PAGES[action]
    expected = _status(statuses, role)
    response = getattr(_client(client, request, role), method)(url(answered))
    assert response.status_code == expected


WRITES = {
    # action: (url, data, statuses in the order of ROLES; a 302 for the allowed ones is the page that follows)
    "revoke": (lambda i: reverse("survey:invitation_revoke", args=[i.pk]), {}, "302 404 403 403 302 302"),
    "reject_all": (lambda i: reverse("survey:invitation_reject_all", args=[i.pk]), {}, "302 404 403 403 302 302"),
    "decide": (
        lambda i: reverse("survey:proposal_decide", args=[i.proposals.get().pk]),
        {"decision": "reject"},
        "302 404 403 403 302 302",
    ),
}


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_may_change_the_region_act(client, request, answered, role, action):
    url, data, statuses = WRITES[action]
    expected = _status(statuses, role)
    response = _client(client, request, role).post(url(answered), data)
    assert response.status_code == expected
    acted = expected == 302 and role != "anonymous"
    answered.refresh_from_db()
    if action == "revoke":
        assert (answered.revoked_at is not None) == acted
    else:
        assert (answered.proposals.get().decision == Proposal.Decision.REJECTED) == acted


@pytest.mark.parametrize("role", ROLES)
def test_campaigns_are_started_only_by_office_staff_of_their_own_office(client, request, records, role):
    data = {
        "title": "Kartlegging",
        "deadline": "2100-01-01",
        "reminder_after_days": "7",
        "max_reminders": "2",
        "municipalities": [str(records.vest_training.employer_id)],
    }
    response = _client(client, request, role).post(reverse("survey:campaign_create"), data)
    started = Campaign.objects.exists()
    if role in ("vest_user",):
        assert response.status_code == 302 and started
    else:
        # nord_user's own office has no Bergen: the form refuses the choice.
        assert response.status_code == {"nord_user": 200, "anonymous": 302}.get(role, 403)
        assert not started


IMPORT_PAGES = {
    "index": (lambda job: reverse("dataio:index"), "200 200 200 200 200 302"),
    "gp_list_upload": (lambda job: reverse("dataio:gp_list_upload"), "200 200 403 403 403 302"),
    "alis_list_upload": (lambda job: reverse("dataio:alis_list_upload"), "200 200 403 403 403 302"),
    "session_upload": (lambda job: reverse("dataio:session_upload"), "200 200 403 403 403 302"),
    "job_detail": (lambda job: reverse("dataio:job_detail", args=[job.pk]), "200 404 404 404 200 302"),
    "job_cancel": (lambda job: reverse("dataio:job_cancel", args=[job.pk]), "200 404 404 404 200 302"),
}


@pytest.fixture
def vest_job(vest_user) -> ImportJob:
    return ImportJob.objects.create(
        office=vest_user.office,
        kind=ImportJob.Kind.GP_LIST,
        filename="f.csv",
        data=b"x",
        created_by=vest_user,
        status=ImportJob.Status.PREVIEW,
    )


@pytest.mark.parametrize("action", IMPORT_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_import_pages_the_abilities_say(client, request, world, vest_job, role, action):
    url, statuses = IMPORT_PAGES[action]
    expected = _status(statuses, role)
    assert _client(client, request, role).get(url(vest_job)).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_confirms_or_cancels_its_import(client, request, world, vest_job, role):
    client = _client(client, request, role)
    confirm = client.post(reverse("dataio:job_confirm", args=[vest_job.pk]))
    expected = _status("302 404 404 404 302 302", role)
    assert confirm.status_code == expected
    vest_job.refresh_from_db()
    assert (vest_job.status != ImportJob.Status.PREVIEW) == (expected == 302 and role != "anonymous")
    upload = client.post(reverse("dataio:gp_list_upload"), {"file": SimpleUploadedFile("f.csv", b"Kommunenummer\n")})
    assert upload.status_code == _status("302 302 403 403 403 302", role)
