from django.core.management.base import BaseCommand
from django.utils import timezone

from followup import attention, generate
from registry.models import Office


class Command(BaseCommand):
    help = (
        "The nightly follow-up: the task rules fire for the new day (safe to run again), and the start page's "
        "«Til oppfølging» counts are computed for every office and for all together."
    )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        result = generate.run(today=today, now=now)
        self.stdout.write(
            f"Oppgaver: {sum(result.created.values())} nye, {sum(result.closed.values())} lukket av reglene."
        )
        for office in [*Office.objects.all(), None]:
            attention.stored_counts(office, today=today, refresh=True)
        self.stdout.write(f"Tall til oppfølging regnet ut per {today:%d.%m.%Y}.")
