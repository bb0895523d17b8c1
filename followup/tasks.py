"""E-mail from the task worker, never inside the request or the scheduler that made it."""

from django.tasks import task
from django.utils import timezone


@task
def deliver_notifications() -> int:
    from followup.services import notifications_deliver

    return notifications_deliver(now=timezone.now())
