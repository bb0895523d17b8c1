"""Writes of the follow-up: tasks done and reopened, the e-mail notifications made and delivered.

E-mail goes out only from the task worker (`followup.tasks.deliver_notifications`), enqueued by the scheduler
(`manage.py send_notifications`, safe to run often). Every notification is a row kept with what became of it:
queued, sent, failed with the reason and tried again later (`followup.rules.next_attempt`), failed for good after
the last try, or not sent because its task was done first; and read, when the recipient opens its link.
"""

import smtplib
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core import history
from followup import rules
from followup.models import DeliveryAttempt, Notification, NotificationSetting, Task


def task_done(*, task: Task, by: User, now: datetime) -> None:
    """Mark an open task done (with history)."""
    before = history.snapshot(task)
    with transaction.atomic():
        updated = Task.objects.filter(pk=task.pk, status=Task.Status.OPEN).update(
            status=Task.Status.DONE, done_at=now, done_by=by, closed_reason=""
        )
        if updated:
            task.refresh_from_db()
            history.record(instance=task, by=by, before=before)


def task_reopen(*, task: Task, by: User) -> None:
    """Open a done (or rule-closed) task again (with history)."""
    before = history.snapshot(task)
    with transaction.atomic():
        updated = (
            Task.objects.filter(pk=task.pk)
            .exclude(status=Task.Status.OPEN)
            .update(status=Task.Status.OPEN, done_at=None, done_by=None, closed_reason="")
        )
        if updated:
            task.refresh_from_db()
            history.record(instance=task, by=by, before=before)


# --- Making the notifications -------------------------------------------------------------------------------


def _setting_excludes(field: str) -> Q:
    """Users who turned the notification off (no setting row: the default, on)."""
    return Q(**{f"notification_setting__{field}": False})


def due_notifications(now: datetime) -> list[Notification]:
    """A message to the assignee of each open task due today (or in the last days, if the scheduler missed it)."""
    today = timezone.localdate(now)
    tasks = (
        Task.objects.open()
        .filter(due__lte=today, due__gte=today - timedelta(days=rules.DUE_MESSAGE_LATE_DAYS))
        .filter(assignee__is_active=True)
        .exclude(assignee__email="")
        .exclude(_in("assignee", _setting_excludes("due_messages")))
        .select_related(
            "assignee",
            "office",
            "training__doctor",
            "training__employer",
            "municipality",
            "supervisor",
            "course",
            "grant_application__municipality",
            "grant_application__period",
        )
    )
    candidates = {f"due:{task.pk}:{task.due.isoformat()}": task for task in tasks}
    known = set(Notification.objects.filter(key__in=list(candidates)).values_list("key", flat=True))
    notifications = []
    for key, task in candidates.items():
        if key in known:
            continue
        notification = Notification(kind=Notification.Kind.DUE, recipient=task.assignee, email=task.assignee.email)
        notification.key, notification.task = key, task
        notification.subject = _("Frist i dag: %(title)s") % {"title": task.title}
        context = {"task": task, "notification": notification, "today": today}
        notification.body = render_to_string("followup/email/due.txt", context)
        notifications.append(notification)
    return notifications


def _in(relation: str, condition: Q) -> Q:
    """`condition` on the users, as a filter through `relation` (done as a subquery: no join duplicates rows)."""
    return Q(**{f"{relation}__in": User.objects.filter(condition).values("pk")})


def digest_notifications(now: datetime) -> list[Notification]:
    """The week's overview for each adviser who wants it: their open tasks and the office's unassigned ones."""
    today = timezone.localdate(now)
    if not rules.digest_due(today):
        return []
    week = rules.digest_week(today)
    users = (
        User.objects.filter(role=Role.OFFICE_STAFF, is_active=True, office__isnull=False)
        .exclude(email="")
        .exclude(_setting_excludes("weekly_digest"))
        .select_related("office")
        .order_by("pk")
    )
    candidates = {f"digest:{user.pk}:{week}": user for user in users}
    known = set(Notification.objects.filter(key__in=list(candidates)).values_list("key", flat=True))
    users = {key: user for key, user in candidates.items() if key not in known}
    if not users:
        return []
    offices = {user.office_id for user in users.values()}
    mine: dict[int, list[Task]] = defaultdict(list)
    shared: dict[int, list[Task]] = defaultdict(list)
    wanted = {user.pk for user in users.values()}
    for task in (
        Task.objects.open()
        .filter(office_id__in=offices)
        .filter(Q(assignee__isnull=True) | Q(assignee_id__in=wanted))
        .order_by("due", "pk")
    ):
        (shared[task.office_id] if task.assignee_id is None else mine[task.assignee_id]).append(task)
    notifications = []
    for key, user in users.items():
        own, common = mine[user.pk], shared[user.office_id]
        if not own and not common:
            continue
        notification = Notification(kind=Notification.Kind.DIGEST, recipient=user, email=user.email, key=key)
        notification.subject = _("Oppgavene dine uke %(week)s") % {"week": week.split("-W")[1].lstrip("0")}
        context = {"user": user, "mine": own, "shared": common, "today": today, "notification": notification}
        notification.body = render_to_string("followup/email/digest.txt", context)
        notifications.append(notification)
    return notifications


def notifications_create(*, now: datetime) -> int:
    """Make the due-date messages and weekly digests that are due and not yet made; safe to run as often as wanted
    (each has a unique key: a task's due date, a user's week)."""
    with translation.override(settings.LANGUAGE_CODE):  # the offices read Norwegian; no request to ask
        made = due_notifications(now) + digest_notifications(now)
    Notification.objects.bulk_create(made, ignore_conflicts=True, batch_size=500)
    return len(made)


# --- Delivering them ----------------------------------------------------------------------------------------

# A worker that took a notification and died leaves it «sending»; after this it is taken again.
LEASE = timedelta(minutes=30)
BATCH = 500


def _deliverable(now: datetime) -> Q:
    return (
        Q(status=Notification.Status.QUEUED)
        | Q(status=Notification.Status.RETRY, next_attempt_at__lte=now)
        | Q(status=Notification.Status.SENDING, next_attempt_at__lte=now)
    )


def deliverable_count(now: datetime) -> int:
    return Notification.objects.filter(_deliverable(now)).count()


def notifications_deliver(*, now: datetime) -> int:
    """Send the notifications that are due (queued, or failed and due again); the number sent.

    Each is taken by one conditional UPDATE before it is sent, so two workers never send the same one.
    """
    pks = list(Notification.objects.filter(_deliverable(now)).order_by("pk").values_list("pk", flat=True)[:BATCH])
    sent = 0
    connection = get_connection()
    for pk in pks:
        taken = Notification.objects.filter(_deliverable(now), pk=pk).update(
            status=Notification.Status.SENDING, next_attempt_at=now + LEASE
        )
        if taken:
            sent += _deliver(Notification.objects.select_related("task").get(pk=pk), now=now, connection=connection)
    return sent


def _deliver(notification: Notification, *, now: datetime, connection) -> bool:
    task = notification.task
    if notification.kind == Notification.Kind.DUE and (task is None or not task.is_open):
        # Checked again when it is time to send: the task may have been done since (then no message is needed).
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.SKIPPED, next_attempt_at=None, last_error=_("Oppgaven var ikke lenger åpen.")
        )
        return False
    message = EmailMessage(
        subject=notification.subject, body=notification.body, to=[notification.email], connection=connection
    )
    attempts = notification.attempts + 1
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        reason = f"{type(error).__name__}: {error}"[:1000]
        retry_at = rules.next_attempt(attempts=attempts, failed_at=now)
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.RETRY if retry_at else Notification.Status.FAILED,
            attempts=attempts,
            next_attempt_at=retry_at,
            last_error=reason,
        )
        DeliveryAttempt.objects.create(notification=notification, at=now, error=reason)
        return False
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENT, attempts=attempts, sent_at=now, next_attempt_at=None, last_error=""
    )
    DeliveryAttempt.objects.create(notification=notification, at=now)
    return True


def notification_open(*, notification: Notification, by: User, now: datetime) -> None:
    """The recipient opened the link in the e-mail: the only way we can know it was read."""
    if notification.recipient_id == by.pk and notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now


def setting_for(user: User) -> NotificationSetting:
    return NotificationSetting.objects.filter(user=user).first() or NotificationSetting(user=user)
