"""The data's version moves with every change written to the history, and with new demo or reference rows."""

from core import dataversion, history
from registry.models import Doctor


def test_a_recorded_change_moves_the_version(vest_training, vest_user) -> None:
    before = dataversion.current()
    assert dataversion.current() == before  # asking does not move it

    doctor = vest_training.doctor
    old = history.snapshot(doctor)
    doctor.first_name = "Endret"
    doctor.save()
    history.record(instance=doctor, by=vest_user, before=old)

    assert dataversion.current() != before


def test_new_rows_without_history_move_it_too(world) -> None:
    before = dataversion.current()

    Doctor.objects.create(first_name="Kari", last_name="Demo")

    assert dataversion.current() != before


def test_a_queryset_of_no_rows_has_a_key_too(world) -> None:
    assert dataversion.query_key(Doctor.objects.none()) == "empty"
    assert dataversion.query_key(Doctor.objects.filter(last_name="A")) != dataversion.query_key(
        Doctor.objects.filter(last_name="B")
    )
