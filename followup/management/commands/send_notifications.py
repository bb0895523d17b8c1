from django.core.management.base import BaseCommand
from django.utils import timezone

from followup import services, tasks


class Command(BaseCommand):
    help = (
        "Make the e-mail notifications that are due (a task's due date, the weekly digest) and hand them, with any "
        "failed ones due for another try, to the task worker. Safe to run every few minutes."
    )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        made = services.notifications_create(now=now)
        waiting = services.deliverable_count(now)
        if waiting:
            tasks.deliver_notifications.enqueue()
        self.stdout.write(f"{made} nye varsler; {waiting} lagt i kø til sending.")
