"""Delete read-log entries older than READ_LOG_RETENTION_DAYS (default five years).

Safe to run as often as wanted (deploy/alis-prune.timer runs it every night): it deletes only what is past the
retention period, in batches, so a first run on years of log does not hold one long transaction.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.models import Read

BATCH = 5000


def prune(*, now=None, days: int | None = None) -> int:
    """Delete the entries older than the retention period; the number deleted."""
    days = settings.READ_LOG_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted = 0
    while True:
        batch = list(Read.objects.filter(at__lt=cutoff).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not batch:
            return deleted
        deleted += Read.objects.filter(pk__in=batch).delete()[0]


class Command(BaseCommand):
    help = "Sletter lesinger i lesingsloggen som er eldre enn oppbevaringstiden (READ_LOG_RETENTION_DAYS)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days", type=int, help="Oppbevaringstid i dager (standard: innstillingen READ_LOG_RETENTION_DAYS)."
        )

    def handle(self, *args, days: int | None = None, **options) -> None:
        if days is not None and days < 1:
            self.stderr.write("--days må være minst 1.")
            raise SystemExit(2)
        deleted = prune(days=days)
        kept = settings.READ_LOG_RETENTION_DAYS if days is None else days
        self.stdout.write(f"Slettet {deleted} lesinger eldre enn {kept} dager.")
