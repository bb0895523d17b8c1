"""Every read of personal data is logged (issue 11): a record's page, form or panel one entry per person it
shows, a list or an export one entry naming the list and its filter, from the shared view helpers; kept for
a configurable period.

Before, only a handful of detail pages logged (the doctor, the training, a cost sheet), lists and exports
not at all, and the API kept its own log of lists (api.ListRead).
"""

from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import readlog
from core.management.commands.prune_read_log import prune
from core.models import Read


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_record_page_logs_one_entry_per_person_per_view(records, vest_user) -> None:
    training = records.vest_training
    client = _client(vest_user)
    url = reverse("training:detail", args=[training.pk])

    client.get(url)
    client.get(url)

    entries = Read.objects.filter(user=vest_user).order_by("pk")
    assert [(e.doctor, e.kind, e.view, e.page) for e in entries] == [
        (records.vest_doctor, "record", "training:detail", url),
        (records.vest_supervisor, "record", "training:detail", url),
    ] * 2
    assert all(e.content_type.model in {"training", "supervisorassignment"} for e in entries)


def test_an_edit_form_logs_its_record_when_shown_not_when_saved(records, vest_user, form_data) -> None:
    doctor = records.vest_doctor
    client = _client(vest_user)
    url = reverse("registry:doctor_edit", args=[doctor.pk])

    form = client.get(url).context["form"]
    assert Read.objects.filter(doctor=doctor, view="registry:doctor_edit").count() == 1
    assert client.post(url, form_data(form) | {"phone": "99 88 77 66"}).status_code == 302
    assert Read.objects.filter(doctor=doctor).count() == 1
    client.post(url, form_data(form) | {"first_name": ""})  # refused: the form is shown again
    assert Read.objects.filter(doctor=doctor).count() == 2


def test_a_new_records_form_logs_the_person_it_is_added_to(records, vest_user) -> None:
    _client(vest_user).get(reverse("training:period_create", args=[records.vest_training.pk]))

    assert Read.objects.get().doctor == records.vest_doctor


def test_a_list_is_one_entry_naming_it_and_its_filter(records, vest_user) -> None:
    client = _client(vest_user)
    url = reverse("registry:doctor_list")

    client.get(url, {"q": "Nordmann"})
    client.get(url, {"q": "Nordmann"}, HTTP_HX_REQUEST="true")  # the filter changed in place

    entries = list(Read.objects.order_by("pk"))
    assert [(e.kind, e.view, e.page, e.rows, e.doctor) for e in entries] == [
        ("list", "registry:doctor_list", f"{url}?q=Nordmann", 1, None)
    ] * 2
    assert entries[0].label == "Leger i regionen: fastleger, ALIS og veiledere"


def test_an_export_is_one_entry_naming_the_file(records, vest_user) -> None:
    _client(vest_user).get(reverse("registry:doctor_list"), {"eksport": "xlsx"})

    entry = Read.objects.get()
    assert (entry.kind, entry.label, entry.rows) == ("export", "leger", 2)  # Kari Nordmann and Per Veileder
    assert "eksport=xlsx" in entry.page


def test_a_list_of_public_records_is_not_logged(records, vest_user) -> None:
    _client(vest_user).get(reverse("registry:municipality_list"))
    _client(vest_user).get(reverse("registry:gp_office_list"))

    assert not Read.objects.exists()


def test_a_search_for_persons_is_logged_as_a_list(records, vest_user) -> None:
    _client(vest_user).get(reverse("registry:doctor_search"), {"q": "Kari"})

    entry = Read.objects.get()
    assert (entry.kind, entry.rows, entry.page) == ("list", 1, reverse("registry:doctor_search") + "?q=Kari")


def test_a_refused_page_logs_nothing(records, nord_user) -> None:
    response = _client(nord_user).get(reverse("training:detail", args=[records.vest_training.pk]))

    assert response.status_code == 404
    assert not Read.objects.exists()


def test_a_person_is_logged_once_however_many_helpers_log_them(records, vest_user, rf) -> None:
    request = rf.get("/")
    request.user = vest_user

    readlog.read(request, records.vest_training, records.vest_period, records.vest_doctor, None)
    readlog.read(request, [records.vest_training])

    assert list(Read.objects.values_list("doctor", flat=True)) == [records.vest_doctor.pk]


def test_a_record_not_about_a_doctor_is_logged_as_itself(records, vest_user, rf) -> None:
    request = rf.get("/")
    request.user = vest_user

    readlog.read(request, records.vest_contact, records.vest_gp_office)  # a contact person; an office (public)

    entry = Read.objects.get()
    assert (entry.content_type.model, entry.object_id, entry.doctor) == ("contact", records.vest_contact.pk, None)


def test_every_kind_of_record_about_a_doctor_finds_them(records) -> None:
    """PERSONS names paths that exist: each kind of record leads to its doctors."""
    from django.apps import apps

    for label, paths in readlog.PERSONS.items():
        model = apps.get_model(label)
        for path in paths:
            model.objects.filter(**{path: records.vest_doctor.pk}).exists()  # raises FieldError on a wrong path
    assert readlog.doctors_of(records.vest_assignment) == [records.vest_doctor.pk, records.vest_supervisor.pk]


def test_old_entries_are_deleted_after_the_retention_period(records, vest_user, settings) -> None:
    settings.READ_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    old = Read.objects.create(user=vest_user, doctor=records.vest_doctor, at=now - timedelta(days=31))
    kept = Read.objects.create(user=vest_user, doctor=records.vest_doctor, at=now - timedelta(days=29))

    assert prune(now=now) == 1
    assert prune(now=now) == 0  # safe to run again
    assert list(Read.objects.all()) == [kept]
    assert not Read.objects.filter(pk=old.pk).exists()


def test_the_command_prunes_by_the_setting_or_its_argument(records, vest_user, capsys) -> None:
    Read.objects.create(user=vest_user, at=timezone.now() - timedelta(days=6 * 365))
    Read.objects.create(user=vest_user, at=timezone.now() - timedelta(days=10))

    call_command("prune_read_log")
    assert "Slettet 1 lesinger" in capsys.readouterr().out
    call_command("prune_read_log", days=5)
    assert Read.objects.count() == 0


def test_the_retention_period_is_five_years_unless_set() -> None:
    from django.conf import settings

    assert settings.READ_LOG_RETENTION_DAYS == 5 * 365 + 1
