"""The demo data set for the tests that walk the whole page catalogue, made once per test module."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo data set, plus a supervisor link and an import job, for the whole module (rolled back)."""
    from accounts.models import User
    from dataio.models import ImportJob
    from registry.models import Office
    from supervision.models import SupervisorLink
    from training.models import SupervisorAssignment

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        call_command("load_reference", stdout=_Sink())
        call_command("seed_demo", size="small", stdout=_Sink())
        vest = User.objects.get(username="vest")
        current = SupervisorAssignment.objects.current(date.today()).filter(
            training__employer__county__office=vest.office
        )
        supervisor = current.order_by("pk").first().supervisor  # so the link page shows its form
        SupervisorLink.objects.create(supervisor=supervisor, created_by=vest, expires_on=date.today() + timedelta(30))
        ImportJob.objects.create(
            office=Office.objects.get(code="vest"), kind="gp_list", filename="liste.csv", data=b"x", created_by=vest,
            status=ImportJob.Status.INVALID,
        )  # fmt: skip
        yield
        transaction.set_rollback(True)
