"""The write counters kept by triggers (core.tableversions): every kind of write moves them, reads do not."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from core import tableversions
from registry.models import Municipality
from training.models import ServicePeriod, Training

pytestmark = pytest.mark.django_db


def _mark() -> str:
    return tableversions.mark([Municipality, Training])


def test_every_watched_table_has_its_trigger_after_migrate() -> None:
    assert "training_training" in tableversions.watched_tables()
    assert "core_read" not in tableversions.watched_tables()
    assert tableversions.installed() == set(tableversions.watched_tables())


def test_installing_again_changes_nothing() -> None:
    tableversions.install()
    tableversions.install()
    assert tableversions.installed() == set(tableversions.watched_tables())


def test_every_kind_of_write_moves_the_mark(world, vest_training) -> None:
    seen = {_mark()}

    def moved() -> bool:
        mark = _mark()
        fresh = mark not in seen
        seen.add(mark)
        return fresh

    Municipality.objects.filter(number="4601").update(version=5)  # a queryset update, no signal
    assert moved()
    vest_training.save()
    assert moved()
    clone = Training.objects.get(pk=vest_training.pk)
    clone.pk, clone.start = None, date(2015, 1, 1)
    Training.objects.bulk_create([clone])
    assert moved()
    with connection.cursor() as cursor:  # raw SQL, as an import or a repair might do
        cursor.execute(f"UPDATE {Training._meta.db_table} SET status = status")  # noqa: S608
    assert moved()
    Training.objects.exclude(pk=vest_training.pk).delete()
    assert moved()
    list(Training.objects.all())  # reading moves nothing
    assert not moved()


def test_a_write_to_another_table_leaves_the_mark(world, vest_training) -> None:
    before = _mark()
    ServicePeriod.objects.filter(training=vest_training).delete()
    vest_training.doctor.save()  # a doctor is not among these tables
    assert _mark() == before


def test_a_rolled_back_write_leaves_the_mark(world, vest_training) -> None:
    before = _mark()
    with pytest.raises(RuntimeError), transaction.atomic():
        vest_training.save()
        raise RuntimeError
    assert _mark() == before


def test_a_table_not_watched_is_refused() -> None:
    from core.models import Read

    with pytest.raises(ValueError, match="Not watched"):
        tableversions.mark([Read])


def test_a_flush_keeps_the_triggers(transactional_db) -> None:
    call_command("flush", "--no-input", verbosity=0)
    assert tableversions.installed() == set(tableversions.watched_tables())


@pytest.mark.django_db(transaction=True)
def test_migrating_back_drops_the_triggers_and_writes_still_work(world) -> None:
    call_command("migrate", "core", "0008", verbosity=0)
    try:
        assert tableversions.installed() == set()
        Municipality.objects.filter(number="4601").update(version=7)  # no trigger reaches for a missing table
    finally:
        call_command("migrate", verbosity=0)
    assert tableversions.installed() == set(tableversions.watched_tables())


class Builds:
    """A build that counts how often it ran."""

    def __init__(self, build) -> None:
        self.build, self.runs = build, 0

    def __call__(self):
        self.runs += 1
        return self.build()


def _names() -> list[str]:
    return sorted(Municipality.objects.filter(number__in=["4601", "5001"]).values_list("name", flat=True))


def test_a_kept_value_is_built_again_after_a_write_to_a_table_it_read(world) -> None:
    build = Builds(_names)
    first = tableversions.kept("names", build)
    assert tableversions.kept("names", build) == first
    assert build.runs == 1
    Municipality.objects.filter(number="4601").update(name="Bjørgvin")  # no signal, no history
    assert "Bjørgvin" in tableversions.kept("names", build)
    assert build.runs == 2


def test_a_write_to_a_table_it_did_not_read_keeps_it(world, vest_training) -> None:
    build = Builds(_names)
    tableversions.kept("names", build)
    vest_training.save()
    ServicePeriod.objects.filter(training=vest_training).delete()
    tableversions.kept("names", build)
    assert build.runs == 1


def test_a_value_built_from_a_kept_value_is_kept_by_its_tables_too(world) -> None:
    inner = Builds(_names)
    tableversions.kept("inner", inner)  # kept before the outer value is built: the outer build runs no query
    outer = Builds(lambda: ", ".join(tableversions.kept("inner", inner)))
    tableversions.kept("outer", outer)
    tableversions.kept("outer", outer)
    assert (inner.runs, outer.runs) == (1, 1)
    Municipality.objects.filter(number="4601").update(name="Bjørgvin")
    assert "Bjørgvin" in tableversions.kept("outer", outer)
    assert (inner.runs, outer.runs) == (2, 2)


def test_a_build_that_writes_or_reads_an_unwatched_table_is_not_kept(world, vest_training) -> None:
    from core.models import Read

    def writes() -> int:
        Training.objects.filter(pk=vest_training.pk).update(status=vest_training.status)
        return 1

    for build in (Builds(writes), Builds(lambda: Read.objects.count())):
        tableversions.kept("unkept", build)
        tableversions.kept("unkept", build)
        assert build.runs == 2


def test_a_value_is_kept_per_language(world) -> None:
    from django.utils import translation

    build = Builds(lambda: translation.get_language())
    with translation.override("nb"):
        assert tableversions.kept("language", build) == "nb"
    with translation.override("nn"):
        assert tableversions.kept("language", build) == "nn"


def test_a_request_reads_the_counters_once_until_it_writes(world, django_assert_num_queries) -> None:
    build = Builds(_names)
    with tableversions.per_request():
        tableversions.kept("names", build)
        with django_assert_num_queries(0):
            tableversions.kept("names", build)
        Municipality.objects.filter(number="4601").update(name="Bjørgvin")  # the request's own write
        assert "Bjørgvin" in tableversions.kept("names", build)
    assert build.runs == 2
