"""History entries are personal data: they follow the scoping of the records they describe (issue 11).

Before, a municipality's history showed the changes to its contact persons to every user who could open the
municipality: a Nord adviser read a Vest contact's new phone number on Bergen's page.
"""

from datetime import date

from django.apps import apps
from django.test import Client
from django.urls import reverse

from core import history
from core.models import Change
from registry.models import Contact, Doctor
from supervision.models import SupervisorProfile
from training.models import ServicePeriod

NEW_PHONE = "55 12 34 56"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change_phone(contact: Contact, user) -> None:
    before = history.snapshot(contact)
    contact.phone = NEW_PHONE
    contact.save()
    history.record(instance=contact, by=user, before=before, parent=contact.municipality)


def test_a_contacts_change_is_not_shown_to_another_regions_adviser(records, vest_user, nord_user, coordinator) -> None:
    contact = records.vest_contact
    form = _client(vest_user).get(reverse("registry:contact_edit", args=[contact.pk])).context["form"]
    data = {**{name: form[name].value() or "" for name in form.fields}, "phone": NEW_PHONE}
    assert _client(vest_user).post(reverse("registry:contact_edit", args=[contact.pk]), data).status_code == 302
    page = reverse("registry:municipality_detail", args=[contact.municipality_id])

    seen_by_nord = _client(nord_user).get(page)
    assert seen_by_nord.status_code == 200
    assert NEW_PHONE not in seen_by_nord.text and "Vera Vestre" not in seen_by_nord.text
    for user in (vest_user, coordinator):
        assert NEW_PHONE in _client(user).get(page).text


def test_the_municipalitys_own_changes_are_shown_to_every_region(records, vest_user, nord_user, world) -> None:
    bergen = world.bergen
    before = history.snapshot(bergen)
    bergen.centrality = 2
    bergen.save()
    own = history.record(instance=bergen, by=vest_user, before=before)
    _change_phone(records.vest_contact, vest_user)

    assert list(history.history_of(bergen, user=nord_user)) == [own]
    assert len(list(history.history_of(bergen, user=vest_user))) == 2


def test_a_deleted_contact_stays_in_its_region(records, vest_user, nord_user, coordinator, reader, world) -> None:
    contact = records.vest_contact
    history.record(instance=contact, by=vest_user, before=history.snapshot(contact), action="delete",
                   parent=world.bergen)  # fmt: skip
    contact.delete()

    assert list(history.history_of(world.bergen, user=nord_user)) == []
    assert list(history.history_of(world.bergen, user=reader)) == []
    assert len(list(history.history_of(world.bergen, user=vest_user))) == 1
    assert len(list(history.history_of(world.bergen, user=coordinator))) == 1


def test_a_change_is_stored_with_the_region_of_the_record(records, vest_user, world) -> None:
    contact = history.record(instance=records.vest_contact, by=vest_user, before=None, parent=world.bergen)
    municipality = history.record(instance=world.bergen, by=vest_user, before={"name": "Gammelt"})
    course_like = history.scope(records.vest_doctor)

    assert (contact.personal, contact.scope_municipality_id, contact.scope_office_id) == (True, world.bergen.pk, None)
    assert (municipality.personal, municipality.scope_municipality_id) == (False, None)
    assert course_like == (True, world.bergen.pk, None)


def test_a_county_moved_to_another_office_takes_its_history_along(records, vest_user, nord_user, world) -> None:
    _change_phone(records.vest_contact, vest_user)
    world.vestland.office = world.nord
    world.vestland.save()

    assert len(list(history.history_of(world.bergen, user=nord_user))) == 1
    assert list(history.history_of(world.bergen, user=vest_user)) == []


def test_a_doctor_who_moves_takes_their_history_and_their_childrens_along(
    records, vest_user, nord_user, world
) -> None:
    doctor = records.vest_supervisor
    profile = SupervisorProfile.objects.create(doctor=doctor)
    history.record(instance=profile, by=vest_user, before=None, parent=doctor)
    before = history.snapshot(doctor)
    doctor.municipality = world.bodo
    doctor.save()
    history.record(instance=doctor, by=nord_user, before=before)

    assert set(Change.objects.values_list("scope_municipality_id", flat=True)) == {world.bodo.pk}
    assert Change.objects.visible_to(vest_user).count() == 0
    assert Change.objects.visible_to(nord_user).count() == 2


def test_a_records_own_changes_are_shown_to_whoever_may_open_it(records, vest_user, nord_user, world) -> None:
    """A Nord doctor working as ALIS in Bergen: the Vest office opens the doctor, and reads their history."""
    doctor = Doctor.objects.create(first_name="Nina", last_name="Nord", municipality=world.bodo)
    own = history.record(instance=doctor, by=nord_user, before=None)
    training = records.vest_training
    training.doctor = doctor
    training.save()

    assert list(history.history_of(doctor, user=vest_user)) == [own]
    assert list(history.history_of(records.nord_doctor, user=vest_user)) == []


def test_the_aggregate_reader_reads_no_personal_changes(records, vest_user, reader) -> None:
    history.record(instance=records.vest_training, by=vest_user, before=None)
    history.record(instance=records.vest_period, by=vest_user, before=None, parent=records.vest_training)

    assert Change.objects.visible_to(reader).count() == 0
    assert list(history.history_of(records.vest_training, user=reader)) == []


def test_old_changes_get_the_scope_of_their_records(records, vest_user, world) -> None:
    """The migration gives changes recorded before it the same scope as new ones (core/migrations/0005)."""
    backfill = __import__("core.migrations.0005_change_scope", fromlist=["backfill"]).backfill
    period = ServicePeriod.objects.create(training=records.vest_training, kind="other", start=date(2023, 1, 1))
    made = [
        history.record(instance=records.vest_contact, by=vest_user, before=None, parent=world.bergen),
        history.record(instance=period, by=vest_user, before=None, parent=records.vest_training),
        history.record(instance=world.bergen, by=vest_user, before={"name": "Gammelt"}),
    ]
    gone = history.record(instance=period, by=vest_user, before={}, action="delete", parent=records.vest_training)
    period.delete()
    expected = {c.pk: (c.personal, c.scope_municipality_id, c.scope_office_id) for c in [*made, gone]}
    Change.objects.update(personal=False, scope_municipality=None, scope_office=None)

    backfill(apps, None)

    found = {c.pk: (c.personal, c.scope_municipality_id, c.scope_office_id) for c in Change.objects.all()}
    assert found == expected
