"""Time (and optionally profile) a first import and a re-import of a generated regular-GP list.

    DATABASE_URL=... .venv/bin/python dataio/tests/profile_gp_import.py [rows] [--profile]

Runs against the configured database, which must hold the reference data (`manage.py load_reference`);
everything it writes is rolled back at the end.
"""

import cProfile
import os
import pstats
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alis.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from dataio import gp_list  # noqa: E402
from dataio.plan import apply  # noqa: E402
from dataio.tests.gp_file import gp_list_file  # noqa: E402
from registry.models import Municipality, Office  # noqa: E402


class Rollback(Exception):
    pass


def timed(label: str, function, profile: bool):
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        if profiler:
            profiler.enable()
        result = function()
        if profiler:
            profiler.disable()
    print(f"{label}: {time.perf_counter() - started:.2f} s, {len(queries)} queries", flush=True)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return result


def main() -> None:
    rows = int(next((a for a in sys.argv[1:] if a.isdigit()), "5000"))
    profile = "--profile" in sys.argv
    office = Office.objects.get(code="vest")
    municipalities = list(Municipality.objects.filter(county__office=office).order_by("number"))
    data = gp_list_file(municipalities, rows)
    try:
        with transaction.atomic():
            user = User.objects.create_user(username="profile-import", role=Role.OFFICE_STAFF, office=office)
            prepared = timed("first import, checking", lambda: gp_list.prepare(data, office=office), profile)
            print(prepared.plan.counts(), prepared.plan.errors[:3])
            timed("first import, saving", lambda: apply(prepared, by=user), profile)
            again = timed("re-import, checking", lambda: gp_list.prepare(data, office=office), False)
            print(again.plan.counts())
            timed("re-import, saving", lambda: apply(again, by=user), False)
            changed = gp_list_file(municipalities, rows, list_size=900)
            every = timed("changed lists, checking", lambda: gp_list.prepare(changed, office=office), False)
            print(every.plan.counts())
            timed("changed lists, saving", lambda: apply(every, by=user), False)
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
