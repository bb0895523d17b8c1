"""The change history: what a person reads about each change, and which changes belong to a record's page."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from core import history
from core.models import Change
from registry.models import Doctor, HealthTrust
from training.models import ServicePeriod, Training


def test_a_snapshot_shows_values_as_a_person_reads_them(vest_training) -> None:
    shown = history.snapshot(vest_training)

    assert shown["doctor"] == "Kari Nordmann"
    assert shown["employer"] == "4601 Bergen"
    assert shown["gp_office"] == "Sentrum legekontor"
    assert shown["contract"] == "Næringsdrift"
    assert shown["scheme"] == "Ny ordning"
    assert shown["specialty"] == "Allmennmedisin"
    assert shown["position_share"] == "100"
    assert shown["start"] == "01.08.2022"
    assert shown["ended_on"] == ""
    assert "id" not in shown and "version" not in shown


def test_a_snapshot_shows_yes_and_no(world) -> None:
    doctor = Doctor.objects.create(first_name="Kari", last_name="Lege", is_specialist=True)

    shown = history.snapshot(doctor)

    assert (shown["is_specialist"], shown["is_regular_gp"], shown["hpr_number"]) == ("ja", "nei", "")


def test_a_snapshot_lists_related_records_sorted(world) -> None:
    trust = HealthTrust.objects.create(name="Helse Nord-Vest", rhf="vest")
    trust.municipalities.add(world.bergen, world.bodo)

    assert history.snapshot(trust)["municipalities"] == "1804 Bodø, 4601 Bergen"
    assert "municipalities" not in history.snapshot(HealthTrust(name="Ny", rhf="vest"))


def test_it_records_a_new_record_with_its_filled_fields(world, vest_user) -> None:
    doctor = Doctor.objects.create(first_name="Kari", last_name="Lege", municipality=world.bergen)

    change = history.record(instance=doctor, by=vest_user, before=None)

    assert (change.action, change.user, change.object_id, change.object_repr) == (
        "create",
        vest_user,
        doctor.pk,
        "Kari Lege",
    )
    assert change.content_type == ContentType.objects.get_for_model(Doctor)
    assert change.fields == {
        "fornavn": ["", "Kari"],
        "etternavn": ["", "Lege"],
        "arbeidskommune": ["", "4601 Bergen"],
        "fastlege": ["", "nei"],
        "spesialist i allmennmedisin": ["", "nei"],
        "spesialist i samfunnsmedisin": ["", "nei"],
    }


def test_it_records_only_the_fields_that_changed(vest_training, vest_user) -> None:
    before = history.snapshot(vest_training)
    vest_training.position_share = 80
    vest_training.ended_on = date(2025, 6, 30)
    vest_training.save()

    change = history.record(instance=vest_training, by=vest_user, before=before)

    assert change.action == Change.Action.UPDATE
    assert change.fields == {"stillingsandel (%)": ["100", "80"], "avsluttet dato": ["", "30.06.2025"]}


def test_it_records_nothing_when_nothing_changed(vest_training, vest_user) -> None:
    before = history.snapshot(vest_training)
    vest_training.save()

    assert history.record(instance=vest_training, by=vest_user, before=before) is None
    assert Change.objects.count() == 0


def test_it_records_a_deletion_with_the_old_values(vest_training, vest_user) -> None:
    period = ServicePeriod.objects.create(
        training=vest_training, kind="hospital", start=date(2026, 1, 1), end=date(2026, 6, 30), planned=True
    )

    change = history.record(
        instance=period, by=vest_user, before=history.snapshot(period), action="delete", parent=vest_training
    )

    assert change.action == Change.Action.DELETE
    assert change.fields["type tjeneste"] == ["Institusjonstjeneste (sykehus)", ""]
    assert change.fields["planlagt"] == ["ja", ""]
    assert (change.parent_type.model_class(), change.parent_id) == (Training, vest_training.pk)


def test_a_change_by_nobody_in_particular_has_no_user(world) -> None:
    doctor = Doctor.objects.create(first_name="Kari", last_name="Lege")

    assert history.record(instance=doctor, by=AnonymousUser(), before=None).user is None
    assert history.record(instance=doctor, by=None, before={}, action="update").user is None


def test_it_shortens_a_long_name(world, vest_user) -> None:
    doctor = Doctor.objects.create(first_name="K" * 100, last_name="L" * 100)
    doctor.first_name = "K" * 250  # longer than the field, but never saved
    change = history.record(instance=doctor, by=vest_user, before=None)

    assert len(change.object_repr) == 300


def test_a_records_history_holds_its_childrens_changes_newest_first(vest_training, nord_training, vest_user) -> None:
    own = history.record(instance=vest_training, by=vest_user, before={"notes": "gammelt"})
    period = ServicePeriod.objects.create(
        training=vest_training, kind="other", start=date(2023, 1, 1), end=date(2023, 2, 1)
    )
    child = history.record(instance=period, by=vest_user, before=None, parent=vest_training)
    history.record(instance=nord_training, by=vest_user, before={"notes": "annet"})

    assert list(history.history_of(vest_training)) == [child, own]
    assert list(history.history_of(period)) == [child]
    assert len(list(history.history_of(vest_training, nord_training))) == 3
    assert list(history.history_of(vest_training, limit=1)) == [child]
    assert history.last_change_of(vest_training) == own


def test_a_change_says_what_kind_of_record_it_was(vest_training, vest_user) -> None:
    change = history.record(instance=vest_training, by=vest_user, before=None)

    assert change.object_kind == "utdanningsløp"
    assert str(change).startswith("Kari Nordmann – Bergen (2022) opprettet ")


@pytest.mark.parametrize(("value", "shown"), [(True, "ja"), (False, "nei"), (None, ""), ("", ""), (7, "7")])
def test_it_shows_plain_values(value, shown: str) -> None:
    assert history._shown(value) == shown


def test_it_records_many_changes_as_record_does_one_by_one(vest_training, world, vest_user) -> None:
    new = Doctor.objects.create(first_name="Kari", last_name="Lege", municipality=world.bergen)
    before = history.snapshot(vest_training)
    vest_training.position_share = 80
    vest_training.save()
    unchanged = history.snapshot(vest_training.doctor)
    period = ServicePeriod.objects.create(training=vest_training, kind="other", start=date(2023, 1, 1))

    changes = history.record_many(
        [
            (new, None, None),
            (vest_training, before, None),
            (vest_training.doctor, unchanged, None),
            (period, None, vest_training),
        ],
        by=vest_user,
    )

    assert [(c.object_id, c.action) for c in changes] == [
        (new.pk, "create"),
        (vest_training.pk, "update"),
        (period.pk, "create"),
    ]
    assert Change.objects.count() == 3 and all(c.pk and c.user == vest_user for c in changes)
    assert Change.objects.get(content_type__model="doctor").fields["arbeidskommune"] == ["", "4601 Bergen"]
    assert Change.objects.get(content_type__model="training").fields == {"stillingsandel (%)": ["100", "80"]}
    assert Change.objects.get(content_type__model="serviceperiod").parent_id == vest_training.pk


def test_it_records_many_changes_in_one_insert(world, vest_user, django_assert_num_queries) -> None:
    doctors = Doctor.objects.bulk_create(Doctor(first_name="Lege", last_name=str(n)) for n in range(300))

    with django_assert_num_queries(1):
        history.record_many([(doctor, None, None) for doctor in doctors], by=AnonymousUser())

    assert Change.objects.filter(user=None, action="create").count() == 300
