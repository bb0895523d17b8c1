"""The keys values are kept by."""

from core import dataversion
from registry.models import Doctor


def test_a_queryset_of_no_rows_has_a_key_too(world) -> None:
    assert dataversion.query_key(Doctor.objects.none()) == "empty"
    assert dataversion.query_key(Doctor.objects.filter(last_name="A")) != dataversion.query_key(
        Doctor.objects.filter(last_name="B")
    )
