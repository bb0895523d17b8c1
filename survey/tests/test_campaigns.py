"""The office's side: starting campaigns, following them, reminders, region scoping."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from registry.models import Contact, Municipality
from survey import services
from survey.models import Campaign, Invitation

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def test_it_starts_a_campaign_and_mails_each_municipality_after_the_request(
    client, vest_user, records, mailoutbox, django_capture_on_commit_callbacks
):
    _login(client, vest_user)
    Contact.objects.create(municipality=records.vest_training.employer, role="post_box", email="post@bergen.no")
    data = {
        "title": "Kartlegging våren 2026",
        "message": "Se over opplysningene.",
        "deadline": (date.today() + timedelta(days=21)).isoformat(),
        "reminder_after_days": "7",
        "max_reminders": "2",
        "municipalities": [str(records.vest_training.employer_id)],
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("survey:campaign_create"), data)
    assert response.status_code == 302
    assert mailoutbox == []  # nothing sent inside the request
    for callback in callbacks:
        callback()
    campaign = Campaign.objects.get()
    assert campaign.office == vest_user.office
    invitation = campaign.invitations.get()
    # The training lead before the post box.
    assert invitation.email == "vera@bergen.kommune.no"
    assert [m.to for m in mailoutbox] == [["vera@bergen.kommune.no"]]


def test_it_offers_only_the_offices_own_municipalities(client, vest_user, world):
    _login(client, vest_user)
    data = {
        "title": "X",
        "deadline": (date.today() + timedelta(days=5)).isoformat(),
        "reminder_after_days": "7",
        "max_reminders": "2",
        "municipalities": [str(world.bodo.pk)],
    }
    response = client.post(reverse("survey:campaign_create"), data)
    assert response.status_code == 200
    assert "Velg et av alternativene i listen." in response.content.decode()
    assert "Bodø" not in response.content.decode()
    assert not Campaign.objects.exists()


def test_it_rejects_a_deadline_in_the_past(client, vest_user, world):
    _login(client, vest_user)
    data = {
        "title": "X",
        "deadline": "2020-01-01",
        "reminder_after_days": "7",
        "max_reminders": "2",
        "municipalities": [str(world.bergen.pk)],
    }
    response = client.post(reverse("survey:campaign_create"), data)
    assert "Svarfristen kan ikke være før i dag." in response.content.decode()
    assert not Campaign.objects.exists()


def test_it_hides_other_regions_campaigns_invitations_and_proposals(client, nord_user, bergen_invitation):
    _login(client, nord_user)
    assert client.get(reverse("survey:campaign_detail", args=[bergen_invitation.campaign_id])).status_code == 404
    assert client.get(reverse("survey:invitation_detail", args=[bergen_invitation.pk])).status_code == 404
    assert client.post(reverse("survey:invitation_remind", args=[bergen_invitation.pk])).status_code == 404
    assert client.post(reverse("survey:invitation_revoke", args=[bergen_invitation.pk])).status_code == 404
    assert "Kartlegging 2026" not in client.get(reverse("survey:campaign_list")).content.decode()
    assert client.get(reverse("survey:municipality_panel", args=[bergen_invitation.municipality_id])).status_code == 404


def test_it_refuses_the_reader(client, reader, bergen_invitation):
    _login(client, reader)
    assert client.get(reverse("survey:campaign_list")).status_code == 403
    assert client.get(reverse("survey:campaign_create")).status_code == 403
    assert client.get(reverse("survey:campaign_detail", args=[bergen_invitation.campaign_id])).status_code == 403
    assert client.post(reverse("survey:invitation_revoke", args=[bergen_invitation.pk])).status_code == 403


def test_it_lets_the_coordinator_read_but_not_change(client, coordinator, nord_invitation):
    _login(client, coordinator)
    assert client.get(reverse("survey:campaign_detail", args=[nord_invitation.campaign_id])).status_code == 200
    assert client.post(reverse("survey:invitation_revoke", args=[nord_invitation.pk])).status_code == 403


def test_it_shows_sent_opened_answered_and_overdue(client, vest_user, bergen_invitation):
    _login(client, vest_user)
    Campaign.objects.filter(pk=bergen_invitation.campaign_id).update(deadline=date.today() - timedelta(days=1))
    body = client.get(reverse("survey:campaign_detail", args=[bergen_invitation.campaign_id])).content.decode()
    assert "1 invitert, 1 sendt, 0 åpnet, 0 besvart, 1 forsinket" in body
    assert "Forsinket" in body


def test_it_bounds_the_queries_of_the_campaign_page(client, vest_user, world, django_assert_max_num_queries):
    _login(client, vest_user)

    def campaign_with(count: int) -> Campaign:
        municipalities = [
            Municipality.objects.create(
                number=f"46{n:02d}", name=f"K{n}", name_norwegian=f"K{n}", county=world.vestland
            )
            for n in range(10 + Municipality.objects.count(), 10 + Municipality.objects.count() + count)
        ]
        return services.campaign_start(
            office=world.vest,
            by=vest_user,
            data={"title": f"C{count}", "deadline": date.today()},
            municipalities=municipalities,
            now=timezone.now(),
        )

    small, large = campaign_with(2), campaign_with(20)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("survey:campaign_detail", args=[small.pk]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("survey:campaign_detail", args=[large.pk]))


def test_it_reminds_by_hand_and_refuses_once_answered(
    client, vest_user, bergen_invitation, mailoutbox, django_capture_on_commit_callbacks
):
    _login(client, vest_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("survey:invitation_remind", args=[bergen_invitation.pk]))
    assert mailoutbox[-1].subject == "Påminnelse: Kartlegging 2026"
    bergen_invitation.refresh_from_db()
    assert bergen_invitation.reminders_sent == 1
    Invitation.objects.filter(pk=bergen_invitation.pk).update(answered_at=timezone.now())
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("survey:invitation_remind", args=[bergen_invitation.pk]))
    assert len(mailoutbox) == sent


def test_it_revokes_a_link(client, vest_user, bergen_invitation):
    _login(client, vest_user)
    client.post(reverse("survey:invitation_revoke", args=[bergen_invitation.pk]))
    bergen_invitation.refresh_from_db()
    assert bergen_invitation.revoked_at is not None
    assert client.get(reverse("survey:answer", args=[bergen_invitation.token])).status_code == 410


def test_it_sends_due_reminders_once_however_often_the_command_runs(
    bergen_invitation, mailoutbox, django_capture_on_commit_callbacks
):
    Invitation.objects.filter(pk=bergen_invitation.pk).update(sent_at=timezone.now() - timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
        call_command("send_reminders")
    reminders = [m for m in mailoutbox if m.subject.startswith("Påminnelse")]
    assert len(reminders) == 1
    bergen_invitation.refresh_from_db()
    assert bergen_invitation.reminders_sent == 1


# Committed for real: the worker closes its database connections when done, which a test wrapped in a
# transaction would not survive on PostgreSQL; and the campaign's e-mail is enqueued only on commit.
@pytest.mark.django_db(transaction=True)
def test_it_sends_the_mail_from_the_real_worker(settings, records, vest_user, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    campaign = services.campaign_start(
        office=vest_user.office,
        by=vest_user,
        data={"title": "Med arbeider", "deadline": date.today()},
        municipalities=[records.vest_training.employer],
        now=timezone.now(),
    )
    assert mailoutbox == []
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert [m.subject for m in mailoutbox] == ["Med arbeider"]
    assert campaign.invitations.get().sent_at is not None


def test_it_shows_last_confirmed_on_the_municipality_panel(client, vest_user, bergen_invitation):
    _login(client, vest_user)
    url = reverse("survey:municipality_panel", args=[bergen_invitation.municipality_id])
    assert "aldri bekreftet" in client.get(url).content.decode()
    Invitation.objects.filter(pk=bergen_invitation.pk).update(answered_at=timezone.now())
    body = client.get(url).content.decode()
    assert f"bekreftet opplysningene sist {date.today():%d.%m.%Y}" in body
    assert "Utdatert" not in body
    status = client.get(reverse("survey:municipality_status")).content.decode()
    assert "Bergen" in status and "Bodø" not in status


def test_the_last_confirmed_list_is_kept_until_an_answer_comes(client, vest_user, bergen_invitation):
    """Kept for the day by the write counters (core.tableversions): an answer written outside the forms shows."""
    _login(client, vest_user)
    url = reverse("survey:municipality_status")
    assert "1 kommune har utdaterte opplysninger" in client.get(url).content.decode()  # never confirmed
    Invitation.objects.filter(pk=bergen_invitation.pk).update(answered_at=timezone.now())
    status = client.get(url).content.decode()
    assert f"{date.today():%d.%m.%Y}" in status and "0 kommuner har utdaterte opplysninger" in status


def test_the_campaign_list_is_kept_until_a_campaign_changes(client, vest_user, bergen_invitation):
    """Kept by the write counters (core.lists, keep_rows): a write outside the forms shows at once."""
    _login(client, vest_user)
    assert "Kartlegging 2026" in client.get(reverse("survey:campaign_list")).content.decode()
    Campaign.objects.filter(pk=bergen_invitation.campaign_id).update(title="Kartlegging våren 2026")
    assert "Kartlegging våren 2026" in client.get(reverse("survey:campaign_list")).content.decode()
