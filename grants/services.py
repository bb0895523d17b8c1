"""Writes that touch more than one record of an application: its lines go in and out with it, with history."""

from django.db import transaction

from accounts.models import User
from core import history
from core.models import Change
from grants import eligibility
from grants.models import ApplicationLine, GrantApplication
from grants.periods import GrantYear


def application_lines_add(*, application: GrantApplication, by: User) -> int:
    """A line for each eligible ALIS of the municipality not yet applied for; how many were added.

    The lines take everything from the training (no typed inputs), so they follow it from now on.
    """
    with transaction.atomic():
        trainings = eligibility.not_applied(GrantYear.of(application.period), user=by).filter(
            employer=application.municipality
        )
        lines_ = ApplicationLine.objects.bulk_create(
            [ApplicationLine(application=application, training=training) for training in trainings]
        )
        history.record_many([(line, None, application) for line in lines_], by=by)
    return len(lines_)


def application_delete(*, application: GrantApplication, by: User) -> None:
    """Delete the application and its lines; each line's removal is in the history as well as the application's."""
    with transaction.atomic():
        for line in application.lines.select_related("training__doctor"):
            history.record(
                instance=line, by=by, before=history.snapshot(line), action=Change.Action.DELETE, parent=application
            )
        history.record(
            instance=application, by=by, before=history.snapshot(application), action=Change.Action.DELETE
        )
        application.delete()
