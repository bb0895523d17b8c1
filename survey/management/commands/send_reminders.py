from django.core.management.base import BaseCommand
from django.utils import timezone

from survey.services import reminders_enqueue


class Command(BaseCommand):
    help = "Enqueue the mapping reminders that are due (safe to run every hour from cron)."

    def handle(self, *args, **options) -> None:
        count = reminders_enqueue(now=timezone.now())
        self.stdout.write(f"{count} påminnelser lagt i kø.")
