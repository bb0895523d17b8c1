"""A national regular-GP list (5 000 rows) is checked and saved in a number of queries that does not grow
with its rows (issue 3: "5 000 rows import in seconds"); the times are in `profile_gp_import.py`."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Change
from dataio import gp_list
from dataio.plan import CHANGE, CREATE, UNCHANGED, apply
from dataio.tests.gp_file import gp_list_file
from registry.models import Doctor, GpOffice

ROWS = 5000


def _queries(function) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as queries:
        result = function()
    return result, len(queries)


def test_it_checks_and_saves_a_national_list_in_a_bounded_number_of_queries(vest_user, world) -> None:
    office = vest_user.office
    _, small_checking = _queries(lambda: gp_list.prepare(gp_list_file([world.bergen], 10), office=office))
    big, checking = _queries(lambda: gp_list.prepare(gp_list_file([world.bergen], ROWS), office=office))
    assert big.plan.counts()[CREATE] == ROWS, big.plan.errors[:3]
    assert checking == small_checking  # the register is loaded once; no row asks the database

    _, saving = _queries(lambda: apply(big, by=vest_user))
    # An insert per 500 offices, doctors and changes, not two queries per record.
    assert saving <= 2 + 2 * (ROWS // 5 + ROWS + ROWS + ROWS // 5) // 500
    assert (GpOffice.objects.count(), Doctor.objects.filter(is_regular_gp=True).count()) == (ROWS // 5, ROWS)
    doctor = Doctor.objects.select_related("gp_office").get(hpr_number="1000000")
    assert (doctor.gp_office.name, doctor.municipality, doctor.list_size) == ("Legekontor 0", world.bergen, 800)
    created = Change.objects.filter(user=vest_user, action=Change.Action.CREATE)
    assert created.count() == ROWS + ROWS // 5  # history for every office and doctor, with the importing user
    assert created.filter(object_id=doctor.pk, content_type__model="doctor").get().fields["list_size"] == ["", "800"]


def test_it_updates_a_national_list_in_a_bounded_number_of_queries(vest_user, world) -> None:
    rows = ROWS // 5  # the same code as above; fewer rows keep the test quick
    apply(gp_list.prepare(gp_list_file([world.bergen], rows), office=vest_user.office), by=vest_user)
    again = gp_list.prepare(gp_list_file([world.bergen], rows), office=vest_user.office)
    assert again.plan.counts()[UNCHANGED] == rows  # no duplicates on a re-import

    changed, checking = _queries(
        lambda: gp_list.prepare(gp_list_file([world.bergen], rows, list_size=900), office=vest_user.office)
    )
    assert changed.plan.counts()[CHANGE] == rows
    _, saving = _queries(lambda: apply(changed, by=vest_user))
    # The lists kept for retention (`GpListSnapshot`): replacing the same day's list costs three queries, then
    # an insert and an insert per 1 000 regular GPs.
    assert checking <= 5 and saving <= 2 + 2 * rows // 500 + 2 + 4 + rows // 1000
    doctor = Doctor.objects.get(hpr_number="1000000")
    assert (doctor.list_size, doctor.version) == (900, 2)  # the version bumped: open forms notice
    update = Change.objects.get(object_id=doctor.pk, content_type__model="doctor", action=Change.Action.UPDATE)
    assert (update.user, update.fields) == (vest_user, {"list_size": ["800", "900"]})
