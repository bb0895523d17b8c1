"""seed_demo builds on the reference data and says so clearly when it is missing."""

import pytest
from django.core.management import CommandError, call_command

from registry.models import Municipality


def test_it_asks_for_load_reference_first(db):
    assert not Municipality.objects.exists()
    with pytest.raises(CommandError, match="load_reference"):
        call_command("seed_demo", size="small")
    assert not Municipality.objects.exists()
