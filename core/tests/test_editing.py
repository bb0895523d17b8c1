"""Saving forms: history for every save, and no silent overwrite when two people edit the same record."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from core import history
from core.editing import StaleEdit, delete_with_history, process_form, save_form, stale_message
from core.models import Change
from registry.forms import HealthTrustForm, MunicipalityForm
from registry.models import Contact, HealthTrust, Municipality


def _post(user, **data):
    request = RequestFactory().post("/", data)
    request.user = user
    return request


def _bergen_data(**changes) -> dict:
    return {"name": "Bergen", "name_norwegian": "Bergen", "centrality": "1", "seen_version": "1"} | changes


def test_it_offers_the_version_the_user_saw(world, vest_user) -> None:
    Municipality.objects.filter(pk=world.bergen.pk).update(version=4)
    world.bergen.refresh_from_db()
    request = RequestFactory().get("/")
    request.user = vest_user

    form, saved = process_form(request, MunicipalityForm, instance=world.bergen)

    assert saved is None
    assert not form.is_bound
    assert form["seen_version"].value() == 4


def test_it_saves_bumps_the_version_and_records_who(world, vest_user) -> None:
    _form, saved = process_form(
        _post(vest_user, **_bergen_data(notes="Ny merknad")), MunicipalityForm, instance=world.bergen
    )

    assert saved == world.bergen
    world.bergen.refresh_from_db()
    assert (world.bergen.notes, world.bergen.version) == ("Ny merknad", 2)
    (change,) = Change.objects.all()
    assert (change.user, change.action, change.fields) == (vest_user, "update", {"merknader": ["", "Ny merknad"]})


def test_it_does_not_overwrite_a_save_made_after_the_form_was_opened(world, vest_user, coordinator) -> None:
    process_form(_post(coordinator, **_bergen_data(notes="Først")), MunicipalityForm, instance=world.bergen)

    form, saved = process_form(
        _post(vest_user, **_bergen_data(notes="Sist")),
        MunicipalityForm,
        instance=Municipality.objects.get(pk=world.bergen.pk),
    )

    assert saved is None
    world.bergen.refresh_from_db()
    assert (world.bergen.notes, world.bergen.version) == ("Først", 2)
    assert Change.objects.count() == 1
    (message,) = form.non_field_errors()
    assert message.startswith("Koordinator lagret denne posten ")
    assert "(merknader: «–» → «Først»)" in message
    assert "Endringene dine er ikke lagret, men står fortsatt i skjemaet." in message
    assert form.data["notes"] == "Sist"  # the user's input stays
    assert form.data["seen_version"] == "2"  # so that the next save overwrites knowingly


def test_the_next_save_after_a_conflict_overwrites_knowingly(world, vest_user, coordinator) -> None:
    process_form(_post(coordinator, **_bergen_data(notes="Først")), MunicipalityForm, instance=world.bergen)
    form, _saved = process_form(
        _post(vest_user, **_bergen_data(notes="Sist")),
        MunicipalityForm,
        instance=Municipality.objects.get(pk=world.bergen.pk),
    )

    _form, saved = process_form(
        _post(vest_user, **form.data.dict()), MunicipalityForm, instance=Municipality.objects.get(pk=world.bergen.pk)
    )

    assert saved is not None
    world.bergen.refresh_from_db()
    assert (world.bergen.notes, world.bergen.version) == ("Sist", 3)


def test_a_form_without_the_seen_version_does_not_overwrite(world, vest_user) -> None:
    data = _bergen_data(notes="Uten versjon")
    del data["seen_version"]

    form, saved = process_form(_post(vest_user, **data), MunicipalityForm, instance=world.bergen)

    assert saved is None
    assert form.non_field_errors()
    world.bergen.refresh_from_db()
    assert world.bergen.notes == ""


def test_of_two_forms_opened_together_only_the_first_saves(world, vest_user, coordinator) -> None:
    first = MunicipalityForm(_bergen_data(notes="A"), instance=Municipality.objects.get(pk=world.bergen.pk))
    second = MunicipalityForm(_bergen_data(notes="B"), instance=Municipality.objects.get(pk=world.bergen.pk))
    before = history.snapshot(world.bergen)
    assert first.is_valid() and second.is_valid()

    save_form(form=first, by=vest_user, before=before)
    with pytest.raises(StaleEdit):
        save_form(form=second, by=coordinator, before=before)

    world.bergen.refresh_from_db()
    assert (world.bergen.notes, world.bergen.version) == ("A", 2)
    assert [c.user for c in Change.objects.all()] == [vest_user]


def test_a_failed_save_keeps_the_version(world, vest_user) -> None:
    form = MunicipalityForm(_bergen_data(notes="A"), instance=world.bergen)
    assert form.is_valid()

    def fail(_instance) -> None:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        save_form(form=form, by=vest_user, before=history.snapshot(world.bergen), prepare=fail)

    assert Municipality.objects.get(pk=world.bergen.pk).version == 1
    assert Change.objects.count() == 0


def test_a_new_record_is_created_with_history(world, coordinator) -> None:
    request = _post(coordinator, name="Helse Bergen HF", rhf="vest", municipalities=[world.bergen.pk])

    calls = []
    _form, saved = process_form(request, HealthTrustForm, instance=HealthTrust(), prepare=calls.append)

    assert saved is not None and calls == [saved]
    assert (saved.version, list(saved.municipalities.all())) == (1, [world.bergen])
    (change,) = Change.objects.all()
    assert change.action == "create"
    assert change.fields["kommuner i opptaksområdet"] == ["", "4601 Bergen"]


def test_an_invalid_form_saves_nothing(world, vest_user) -> None:
    form, saved = process_form(_post(vest_user, **_bergen_data(name="")), MunicipalityForm, instance=world.bergen)

    assert saved is None
    assert "name" in form.errors
    assert Municipality.objects.get(pk=world.bergen.pk).version == 1
    assert Change.objects.count() == 0


def test_it_deletes_with_history(world, vest_user) -> None:
    contact = Contact.objects.create(municipality=world.bergen, role="other", name="Vera")

    delete_with_history(instance=contact, by=vest_user, parent=world.bergen)

    assert not Contact.objects.exists()
    (change,) = Change.objects.all()
    assert (change.action, change.parent_id, change.object_repr) == (
        "delete",
        world.bergen.pk,
        "Vera (Annen kontaktperson)",
    )
    assert change.fields["navn"] == ["Vera", ""]


def test_the_conflict_message_says_who_when_and_what(world, vest_user) -> None:
    change = history.record(instance=world.bergen, by=vest_user, before={"centrality": "2", "notes": ""})
    Change.objects.filter(pk=change.pk).update(at=datetime(2025, 7, 1, 12, 30, tzinfo=UTC))

    message = stale_message(world.bergen)

    assert message.startswith("Vest lagret denne posten 01.07.2025 kl. 14:30, etter at du åpnet den (")
    assert "sentralitet: «2» → «1»" in message


def test_the_conflict_message_names_the_username_or_the_system(world, vest_user) -> None:
    vest_user.first_name = ""
    vest_user.save()
    history.record(instance=world.bodo, by=vest_user, before={"notes": "x"})
    history.record(instance=world.bergen, by=AnonymousUser(), before={"notes": "x"})

    assert stale_message(world.bodo).startswith("vest lagret denne posten")
    assert stale_message(world.bergen).startswith("En annen bruker lagret denne posten")
