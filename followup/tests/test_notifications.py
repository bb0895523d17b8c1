"""E-mail about tasks: made by the scheduler (safe to run often), sent by the task worker, every one kept with what
became of it — an SMTP error shown as failed and tried again later, then sent."""

import smtplib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from followup import services
from followup.models import DeliveryAttempt, Notification, NotificationSetting, Task
from followup.tests.conftest import NOW, TODAY, clock_at


class FlakyBackend(locmem.EmailBackend):
    """A mail server that drops the connection the first `failures` times."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "followup.tests.test_notifications.FlakyBackend"
    FlakyBackend.failures = 0
    return FlakyBackend


def _task(records, user: User | None, due: date = TODAY, **fields) -> Task:
    values = {"title": "Ring Kari om veiledningen", "training": records.vest_training, **fields}
    return Task.objects.create(office=records.vest_training.employer.county.office, due=due, assignee=user, **values)


def _schedule() -> str:
    out = StringIO()
    call_command("send_notifications", stdout=out)
    return out.getvalue()


@pytest.fixture
def staff(vest_user) -> User:
    """The Vest adviser with an e-mail address, who wants messages on the due date but no weekly digest."""
    User.objects.filter(pk=vest_user.pk).update(email="vest@alis.example")
    NotificationSetting.objects.create(user=vest_user, weekly_digest=False)
    vest_user.refresh_from_db()
    return vest_user


def test_the_assignee_gets_a_message_on_the_due_date(records, staff, frozen) -> None:
    task = _task(records, staff)
    _task(records, None, title="Felles oppgave")  # no one to send it to (the digest has it)
    _task(records, staff, due=TODAY + timedelta(days=1))  # not yet
    _schedule()
    sent = Notification.objects.get(kind=Notification.Kind.DUE)
    assert (sent.task, sent.recipient, sent.status, sent.attempts) == (task, staff, Notification.Status.SENT, 1)
    message = next(m for m in mail.outbox if m.subject.startswith("Frist i dag"))
    assert message.subject == "Frist i dag: Ring Kari om veiledningen"
    assert message.to == ["vest@alis.example"]
    assert "Gjelder: Kari Nordmann" in message.body
    assert sent.link in message.body


def test_the_scheduler_is_safe_to_run_often(records, staff, frozen) -> None:
    _task(records, staff)
    _schedule()
    _schedule()
    assert Notification.objects.filter(kind=Notification.Kind.DUE).count() == 1
    assert len([m for m in mail.outbox if m.subject.startswith("Frist i dag")]) == 1


def test_no_message_for_one_who_turned_it_off(records, staff, frozen) -> None:
    NotificationSetting.objects.filter(user=staff).update(due_messages=False)
    _task(records, staff)
    _schedule()
    assert not Notification.objects.exists()


def test_the_weekly_digest_lists_ones_own_and_the_offices_shared_tasks(records, staff, frozen) -> None:
    NotificationSetting.objects.filter(user=staff).update(weekly_digest=True, due_messages=False)
    _task(records, staff, due=TODAY - timedelta(days=3), title="Min forfalte oppgave")
    _task(records, None, due=TODAY + timedelta(days=5), title="Felles oppgave")
    _task(records, None, due=TODAY, status=Task.Status.DONE, done_at=NOW, title="Utført")
    User.objects.create_user("hdir2", role=Role.READER, email="hdir@example.no")  # no tasks, no digest
    _schedule()
    digest = Notification.objects.get(kind=Notification.Kind.DIGEST)
    assert digest.recipient == staff
    assert digest.subject == "Oppgavene dine uke 49"
    assert "27.11.2026 (forfalt): Min forfalte oppgave" in digest.body
    assert "Felles oppgaver ved ALIS-kontor Vest (ingen ansvarlig):" in digest.body
    assert "Utført" not in digest.body
    _schedule()
    assert Notification.objects.filter(kind=Notification.Kind.DIGEST).count() == 1


def test_an_smtp_error_is_shown_as_failed_then_retried_and_sent(client, records, staff, frozen, flaky) -> None:
    flaky.failures = 1
    task = _task(records, staff)
    _schedule()
    notification = Notification.objects.get(kind=Notification.Kind.DUE)
    assert notification.status == Notification.Status.RETRY
    assert notification.attempts == 1
    assert notification.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert notification.next_attempt_at == NOW + timedelta(minutes=15)
    assert not mail.outbox
    # The record's page shows it failed, why, and when it is tried again.
    client.force_login(staff)
    panel = client.get(reverse("followup:record_panel", args=["alis", records.vest_training.pk])).content.decode()
    assert "Feilet, prøves igjen" in panel
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in panel
    # Too early: nothing is tried again.
    with clock_at(NOW + timedelta(minutes=10)):
        _schedule()
    assert Notification.objects.get().status == Notification.Status.RETRY
    with clock_at(NOW + timedelta(minutes=15)):
        _schedule()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 2)
    assert notification.sent_at == NOW + timedelta(minutes=15)
    assert [a.succeeded for a in DeliveryAttempt.objects.filter(notification=notification)] == [False, True]
    assert len(mail.outbox) == 1
    page = client.get(reverse("followup:task_edit", args=[task.pk])).content.decode()
    assert "Sendt" in page
    assert "feilet – SMTPServerDisconnected: Connection unexpectedly closed" in page
    assert "levert til e-posttjeneren" in page


def test_it_gives_up_after_the_last_try(records, staff, frozen, flaky) -> None:
    flaky.failures = 99
    _task(records, staff)
    moment = NOW
    for wait in (0, 15, 60, 240, 720):  # minutes after the previous try
        moment += timedelta(minutes=wait)
        with clock_at(moment):
            _schedule()
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == (Notification.Status.FAILED, 5)
    assert notification.next_attempt_at is None


def test_a_task_done_before_the_message_goes_is_not_mailed(records, staff, frozen, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # the worker is late
    task = _task(records, staff)
    _schedule()
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE, done_at=NOW)
    services.notifications_deliver(now=NOW)
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.SKIPPED
    assert notification.last_error == "Oppgaven var ikke lenger åpen."
    assert not mail.outbox


def test_opening_the_link_marks_it_read_for_its_recipient_only(client, records, staff, vest_colleague, frozen):
    _task(records, staff)
    _schedule()
    notification = Notification.objects.get()
    client.force_login(vest_colleague)
    response = client.get(reverse("followup:notification_open", args=[notification.token]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None
    client.force_login(staff)
    response = client.get(reverse("followup:notification_open", args=[notification.token]))
    assert response["Location"] == reverse("training:detail", args=[records.vest_training.pk])
    notification.refresh_from_db()
    assert notification.read_at == NOW


def test_another_region_can_not_open_the_link(client, records, staff, nord_user, frozen) -> None:
    _task(records, staff)
    _schedule()
    client.force_login(nord_user)
    token = Notification.objects.get().token
    assert client.get(reverse("followup:notification_open", args=[token])).status_code == 404


def test_the_notification_list_shows_ones_own(client, records, staff, frozen) -> None:
    _task(records, staff)
    _schedule()
    client.force_login(staff)
    page = client.get(reverse("followup:notification_list"))
    assert page.context["listing"].count == 1
    assert "Frist i dag: Ring Kari om veiledningen" in page.content.decode()


def test_many_tasks_make_their_messages_in_the_same_number_of_queries(records, staff, frozen, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}

    def queries_for(count: int) -> int:
        Notification.objects.all().delete()
        Task.objects.all().delete()
        for _n in range(count):
            _task(records, staff)
        with CaptureQueriesContext(connection) as queries:
            services.notifications_create(now=NOW)
        assert Notification.objects.filter(kind=Notification.Kind.DUE).count() == count
        return len(queries)

    assert queries_for(3) == queries_for(30)
