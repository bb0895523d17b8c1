"""The first administrator is made with Django's own `createsuperuser`, also without prompts."""

import pytest
from django.core.management import call_command

from accounts.models import Role, User


@pytest.mark.django_db
def test_it_makes_an_administrator_without_prompts(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "forste")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "et-langt-og-hemmelig-passord")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "forste@alis.example.no")

    call_command("createsuperuser", "--noinput", verbosity=0)

    user = User.objects.get(username="forste")
    assert (user.role, user.office, user.is_superuser, user.is_staff) == (Role.ADMIN, None, True, True)
    assert user.email == "forste@alis.example.no"
    assert user.check_password("et-langt-og-hemmelig-passord")
    assert not user.is_demo
    assert user.sees_all_regions and user.edits_all_regions


@pytest.mark.django_db
def test_an_explicit_role_still_wins(world):
    user = User.objects.create_superuser("koord", "k@alis.example.no", "passord-123-abc", role=Role.COORDINATOR,
                                         office=world.vest)
    assert user.role == Role.COORDINATOR
