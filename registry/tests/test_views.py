"""The registry's pages: who may see and change what, edits with history, lists with filters and sorting."""

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import history
from core.models import Change
from registry.models import (
    Contact,
    County,
    Doctor,
    GpOffice,
    HealthTrust,
    Municipality,
    Registration,
    RegistrationStatus,
    Specialty,
)

PERSONAS = {
    "vest": "vest_user",
    "nord": "nord_user",
    "reader": "reader",
    "coordinator": "coordinator",
    "admin": "admin_user",
}


def _error(response, field: str) -> str:
    """The error text shown next to a field."""
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', response.content.decode(), re.DOTALL)
    assert match, f"no error shown next to {field}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _changes(model) -> list[Change]:
    return list(Change.objects.filter(content_type=ContentType.objects.get_for_model(model)).order_by("pk"))


def _names(response) -> list[str]:
    return [str(row) for row in response.context["listing"].rows]


# Who may see what: (url name, args, expected status per persona) for the records in Vest (Bergen).

Args = Callable[[object, object], list]
PAGES: list[tuple[str, Args, dict[str, int]]] = [
    ("municipality_list", lambda w, r: [], {"vest": 200, "nord": 200, "reader": 200, "coordinator": 200}),
    ("municipality_detail", lambda w, r: [w.bergen.pk], {"vest": 200, "nord": 200, "reader": 200, "coordinator": 200}),
    ("municipality_edit", lambda w, r: [w.bergen.pk], {"vest": 200, "nord": 403, "reader": 403, "coordinator": 200}),
    ("registration_add", lambda w, r: [w.bergen.pk], {"vest": 200, "nord": 403, "reader": 403, "coordinator": 403}),
    ("contact_create", lambda w, r: [w.bergen.pk], {"vest": 200, "nord": 403, "reader": 403, "coordinator": 403}),
    ("contact_edit", lambda w, r: [r.vest_contact.pk], {"vest": 200, "nord": 404, "reader": 404, "coordinator": 403}),
    ("gp_office_list", lambda w, r: [], {"vest": 200, "nord": 200, "reader": 200, "coordinator": 200}),
    ("gp_office_create", lambda w, r: [], {"vest": 200, "nord": 200, "reader": 403, "coordinator": 403}),
    (
        "gp_office_detail",
        lambda w, r: [r.vest_gp_office.pk],
        {"vest": 200, "nord": 200, "reader": 200, "coordinator": 200},
    ),
    (
        "gp_office_edit",
        lambda w, r: [r.vest_gp_office.pk],
        {"vest": 200, "nord": 403, "reader": 403, "coordinator": 403},
    ),
    ("doctor_list", lambda w, r: [], {"vest": 200, "nord": 200, "reader": 403, "coordinator": 200}),
    ("doctor_create", lambda w, r: [], {"vest": 200, "nord": 200, "reader": 403, "coordinator": 403}),
    ("doctor_detail", lambda w, r: [r.vest_doctor.pk], {"vest": 200, "nord": 404, "reader": 404, "coordinator": 200}),
    ("doctor_edit", lambda w, r: [r.vest_doctor.pk], {"vest": 200, "nord": 404, "reader": 404, "coordinator": 403}),
    ("health_trust_list", lambda w, r: [], {"vest": 200, "nord": 200, "reader": 200, "coordinator": 200}),
    (
        "health_trust_edit",
        lambda w, r: [r.helse_bergen.pk],
        {"vest": 403, "nord": 403, "reader": 403, "coordinator": 200},
    ),
    ("county_list", lambda w, r: [], {"vest": 200, "nord": 200, "reader": 200, "coordinator": 200}),
    ("county_edit", lambda w, r: [w.vestland.pk], {"vest": 403, "nord": 403, "reader": 403, "coordinator": 200}),
]


@pytest.mark.parametrize("persona", ["vest", "nord", "reader", "coordinator", "admin"])
@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_it_lets_each_role_see_what_it_may(
    request, client, world, records, persona: str, name: str, args: Args, expected: dict[str, int]
) -> None:
    client.force_login(request.getfixturevalue(PERSONAS[persona]))

    response = client.get(reverse(f"registry:{name}", args=args(world, records)))

    assert response.status_code == expected.get(persona, 200)  # the administrator may do everything


@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_it_sends_anonymous_users_to_the_login_page(client, world, records, name: str, args: Args, expected) -> None:
    url = reverse(f"registry:{name}", args=args(world, records))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_it_hides_personal_data_of_other_regions_on_shared_pages(client, world, records, nord_user) -> None:
    client.force_login(nord_user)

    municipality = client.get(reverse("registry:municipality_detail", args=[world.bergen.pk])).content.decode()
    gp_office = client.get(reverse("registry:gp_office_detail", args=[records.vest_gp_office.pk])).content.decode()

    assert "Bergen" in municipality
    assert "Vera Vestre" not in municipality
    assert "Sentrum legekontor" in gp_office
    assert "Nordmann" not in gp_office


def test_it_hides_personal_data_from_the_reader(client, world, records, reader) -> None:
    client.force_login(reader)

    municipality = client.get(reverse("registry:municipality_detail", args=[world.bergen.pk]))
    gp_office = client.get(reverse("registry:gp_office_detail", args=[records.vest_gp_office.pk]))

    assert "Vera Vestre" not in municipality.content.decode()
    assert list(municipality.context["contacts"]) == []
    assert "Nordmann" not in gp_office.content.decode()
    assert list(gp_office.context["changes"]) == []


def test_a_municipalitys_page_is_kept_until_a_table_it_shows_changes(client, world, records, vest_user) -> None:
    """Its content is written once per data change for each reader (core.fragments.kept_content): a contact and a
    GP office written outside the forms show at once."""
    client.force_login(vest_user)
    url = reverse("registry:municipality_detail", args=[world.bergen.pk])
    assert "Vera Vestre" in client.get(url).content.decode()
    Contact.objects.filter(municipality=world.bergen).update(name="Vera Omdøpt")
    GpOffice.objects.bulk_create([GpOffice(name="Nytt legesenter", municipality=world.bergen, address="Gate 1")])
    page = client.get(url).content.decode()
    assert "Vera Omdøpt" in page and "Nytt legesenter" in page


def test_it_refuses_changes_by_the_other_office(client, world, records, nord_user) -> None:
    client.force_login(nord_user)
    bergen = {"name": "Bergen", "name_norwegian": "Bjørgvin", "centrality": "1", "seen_version": "1"}

    municipality = client.post(reverse("registry:municipality_edit", args=[world.bergen.pk]), bergen)
    office = client.post(
        reverse("registry:gp_office_edit", args=[records.vest_gp_office.pk]),
        {"name": "Overtatt", "municipality": world.bodo.pk, "seen_version": "1"},
    )
    contact = client.post(reverse("registry:contact_edit", args=[records.vest_contact.pk]), {"name": "X"})

    assert (municipality.status_code, office.status_code, contact.status_code) == (403, 403, 404)
    world.bergen.refresh_from_db()
    records.vest_gp_office.refresh_from_db()
    assert (world.bergen.name_norwegian, records.vest_gp_office.name) == ("Bergen", "Sentrum legekontor")
    assert Change.objects.count() == 0


# Municipalities


def test_it_saves_a_municipality_with_history(client, world, vest_user, form_data) -> None:
    client.force_login(vest_user)
    url = reverse("registry:municipality_edit", args=[world.bergen.pk])
    data = form_data(client.get(url).context["form"]) | {"centrality": "2", "notes": "Ny merknad om Bergen"}

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("registry:municipality_detail", args=[world.bergen.pk])
    world.bergen.refresh_from_db()
    # The class is not the office's to change here: it comes from SSB or the coordinator, with its source.
    assert (world.bergen.centrality, world.bergen.notes, world.bergen.version) == (1, "Ny merknad om Bergen", 2)
    (change,) = _changes(Municipality)
    assert (change.action, change.user, change.object_id) == (Change.Action.UPDATE, vest_user, world.bergen.pk)
    assert change.fields == {"notes": ["", "Ny merknad om Bergen"]}
    page = client.get(response["Location"]).content.decode()
    assert "Ny merknad om Bergen" in page
    assert "Kommunen er lagret." in page


def test_the_coordinator_edits_any_municipality(client, world, coordinator, form_data) -> None:
    client.force_login(coordinator)
    url = reverse("registry:municipality_edit", args=[world.bodo.pk])

    response = client.post(url, form_data(client.get(url).context["form"]) | {"sami_area": "on"})

    assert response.status_code == 302
    world.bodo.refresh_from_db()
    assert world.bodo.sami_area is True
    assert _changes(Municipality)[0].fields == {"sami_area": ["nei", "ja"]}


def test_it_rejects_a_centrality_outside_1_to_6(client, world, coordinator, form_data) -> None:
    client.force_login(coordinator)
    url = reverse("registry:centrality_edit", args=[world.bergen.pk])

    data = form_data(client.get(url).context["form"]) | {"centrality": "7", "centrality_source": "SSB"}
    response = client.post(url, data)

    assert response.status_code == 200
    assert _error(response, "centrality") == "Velg et av alternativene i listen."
    world.bergen.refresh_from_db()
    assert (world.bergen.centrality, world.bergen.version) == (1, 1)
    assert Change.objects.count() == 0


def test_it_keeps_a_municipality_edit_that_came_too_late(client, world, vest_user, coordinator, form_data) -> None:
    client.force_login(vest_user)
    url = reverse("registry:municipality_edit", args=[world.bergen.pk])
    opened = form_data(client.get(url).context["form"])
    other = Client()
    other.force_login(coordinator)
    assert other.post(url, opened | {"notes": "Koordinatorens merknad"}).status_code == 302

    response = client.post(url, opened | {"notes": "Rådgiverens merknad"})

    assert response.status_code == 200
    assert "Koordinator lagret denne posten" in response.content.decode()
    world.bergen.refresh_from_db()
    assert world.bergen.notes == "Koordinatorens merknad"
    form = response.context["form"]
    assert form["notes"].value() == "Rådgiverens merknad"
    assert form["seen_version"].value() == "2"

    again = client.post(url, form_data(form))

    assert again.status_code == 302
    world.bergen.refresh_from_db()
    assert (world.bergen.notes, world.bergen.version) == ("Rådgiverens merknad", 3)
    assert [c.fields["notes"] for c in _changes(Municipality)] == [
        ["", "Koordinatorens merknad"],
        ["Koordinatorens merknad", "Rådgiverens merknad"],
    ]


# Registration as training institution


def test_it_adds_a_registration_status_with_history(client, world, vest_user) -> None:
    client.force_login(vest_user)
    url = reverse("registry:registration_add", args=[world.bergen.pk])

    response = client.post(
        url, {"specialty": "general_practice", "status": "registered", "valid_from": "2024-03-01", "note": "Vedtak"}
    )

    assert response.status_code == 302
    assert world.bergen.registration_status(Specialty.GENERAL_PRACTICE) == RegistrationStatus.REGISTERED
    (change,) = _changes(Registration)
    assert (change.action, change.parent_id, change.user) == (Change.Action.CREATE, world.bergen.pk, vest_user)
    assert change.fields["status"] == ["", "Registrert"]
    page = client.get(reverse("registry:municipality_detail", args=[world.bergen.pk])).content.decode()
    assert "Registrert fra 01.03.2024" in page


def test_it_rejects_two_statuses_on_one_day(client, world, vest_user) -> None:
    Registration.objects.create(
        municipality=world.bergen, specialty="general_practice", status="pending", valid_from=date(2024, 3, 1)
    )
    client.force_login(vest_user)

    response = client.post(
        reverse("registry:registration_add", args=[world.bergen.pk]),
        {"specialty": "general_practice", "status": "registered", "valid_from": "2024-03-01"},
    )

    assert response.status_code == 200
    assert _error(response, "valid_from") == "Det finnes allerede en status for denne spesialiteten denne dagen."
    assert Registration.objects.count() == 1
    assert Change.objects.count() == 0


# Contacts


def test_it_adds_and_edits_a_contact_with_history(client, world, vest_user, form_data) -> None:
    client.force_login(vest_user)

    created = client.post(
        reverse("registry:contact_create", args=[world.bergen.pk]),
        {"role": "chief_medical_officer", "name": "Kari Overlege", "email": "kari@bergen.kommune.no"},
    )
    contact = Contact.objects.get(name="Kari Overlege")
    url = reverse("registry:contact_edit", args=[contact.pk])
    edited = client.post(url, form_data(client.get(url).context["form"]) | {"phone": "55 56 00 00"})

    assert (created.status_code, edited.status_code) == (302, 302)
    assert created["Location"] == reverse("registry:municipality_detail", args=[world.bergen.pk])
    contact.refresh_from_db()
    assert (contact.municipality, contact.phone, contact.version) == (world.bergen, "55 56 00 00", 2)
    create, update = _changes(Contact)
    assert (create.action, create.parent_id) == (Change.Action.CREATE, world.bergen.pk)
    assert update.fields == {"phone": ["", "55 56 00 00"]}
    page = client.get(created["Location"]).content.decode()
    assert "Kari Overlege" in page and "55 56 00 00" in page


def test_a_contact_needs_a_name_or_an_email(client, world, vest_user) -> None:
    client.force_login(vest_user)

    response = client.post(reverse("registry:contact_create", args=[world.bergen.pk]), {"role": "post_box"})

    assert response.status_code == 200
    assert _error(response, "name") == "Fyll ut navn eller e-post."
    assert response.context["form"].non_field_errors() == []  # not also the database constraint's name
    assert "registry_contact_has_name_or_email" not in response.content.decode()
    assert Contact.objects.count() == 0


def test_it_rejects_an_invalid_email(client, world, vest_user) -> None:
    client.force_login(vest_user)

    response = client.post(
        reverse("registry:contact_create", args=[world.bergen.pk]), {"role": "post_box", "email": "ikke-en-adresse"}
    )

    assert response.status_code == 200
    assert _error(response, "email") == "Skriv en gyldig e-postadresse, for eksempel navn@kommune.no."
    assert Contact.objects.count() == 0


# GP offices


def test_it_creates_a_gp_office_in_the_own_region(client, world, vest_user) -> None:
    client.force_login(vest_user)

    response = client.post(
        reverse("registry:gp_office_create"),
        {"name": "Fjell legesenter", "municipality": world.bergen.pk, "postal_code": "5003", "postal_place": "Bergen"},
    )

    office = GpOffice.objects.get(name="Fjell legesenter")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:gp_office_detail", args=[office.pk])
    (change,) = _changes(GpOffice)
    assert change.fields["municipality"] == ["", "4601 Bergen"]
    assert "Fjell legesenter" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postal_code", "50A3", "Postnummeret har fire sifre."),
        ("municipality", "other region", "Velg et av alternativene i listen."),
        ("name", "", "Fyll ut feltet."),
    ],
)
def test_it_rejects_an_invalid_gp_office(client, world, vest_user, field: str, value: str, message: str) -> None:
    client.force_login(vest_user)
    data = {"name": "Fjell legesenter", "municipality": world.bergen.pk, "postal_code": "5003"}
    data[field] = world.bodo.pk if value == "other region" else value

    response = client.post(reverse("registry:gp_office_create"), data)

    assert response.status_code == 200
    assert _error(response, field) == message
    assert GpOffice.objects.count() == 0
    assert Change.objects.count() == 0


def test_it_rejects_a_second_gp_office_of_the_same_name(client, world, records, vest_user) -> None:
    client.force_login(vest_user)

    response = client.post(
        reverse("registry:gp_office_create"), {"name": "Sentrum legekontor", "municipality": world.bergen.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert GpOffice.objects.filter(name="Sentrum legekontor").count() == 1


def test_it_edits_a_gp_office_with_history(client, world, records, vest_user, form_data) -> None:
    client.force_login(vest_user)
    url = reverse("registry:gp_office_edit", args=[records.vest_gp_office.pk])

    response = client.post(url, form_data(client.get(url).context["form"]) | {"address": "Torgallmenningen 1"})

    assert response.status_code == 302
    records.vest_gp_office.refresh_from_db()
    assert records.vest_gp_office.address == "Torgallmenningen 1"
    assert _changes(GpOffice)[-1].fields == {"address": ["", "Torgallmenningen 1"]}
    assert "Torgallmenningen 1" in client.get(response["Location"]).content.decode()


# Doctors


def test_it_creates_a_doctor_and_shows_the_page(client, world, records, vest_user) -> None:
    client.force_login(vest_user)

    response = client.post(
        reverse("registry:doctor_create"),
        {
            "first_name": "Siri",
            "last_name": "Lege",
            "hpr_number": "9876543",
            "municipality": world.bergen.pk,
            "gp_office": records.vest_gp_office.pk,
        },
    )

    doctor = Doctor.objects.get(hpr_number="9876543")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:doctor_detail", args=[doctor.pk])
    assert client.get(response["Location"]).status_code == 200
    (change,) = _changes(Doctor)
    assert change.action == Change.Action.CREATE
    assert change.fields["hpr_number"] == ["", "9876543"]


def test_a_new_doctor_needs_a_work_municipality_to_belong_to_a_region(client, world, vest_user) -> None:
    """Without one the doctor would belong to no region, and the office could not open the doctor's page."""
    client.force_login(vest_user)

    response = client.post(reverse("registry:doctor_create"), {"first_name": "Siri", "last_name": "Lege"})

    assert response.status_code == 200
    assert _error(response, "municipality") == "Velg et alternativ."
    assert Doctor.objects.count() == 0


def test_it_saves_a_doctor_with_history(client, records, vest_user, form_data) -> None:
    client.force_login(vest_user)
    doctor = records.vest_doctor
    url = reverse("registry:doctor_edit", args=[doctor.pk])
    data = form_data(client.get(url).context["form"])

    response = client.post(url, data | {"phone": "900 00 000", "is_regular_gp": "on", "list_size": "1100"})

    assert response.status_code == 302
    assert response["Location"] == reverse("registry:doctor_detail", args=[doctor.pk])
    doctor.refresh_from_db()
    assert (doctor.phone, doctor.is_regular_gp, doctor.list_size, doctor.version) == ("900 00 000", True, 1100, 2)
    (change,) = _changes(Doctor)
    assert change.fields == {"phone": ["", "900 00 000"], "is_regular_gp": ["nei", "ja"], "list_size": ["", "1100"]}
    assert change.user == vest_user
    page = client.get(response["Location"]).content.decode()
    assert "900 00 000" in page
    assert "Legen er lagret." in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hpr_number": "12ab567"}, "hpr_number", "HPR-nummeret skal bare ha sifre (4 til 9)."),
        ({"hpr_number": "123"}, "hpr_number", "HPR-nummeret skal bare ha sifre (4 til 9)."),
        ({"hpr_number": "7654321"}, "hpr_number", "En annen lege har allerede dette HPR-nummeret."),
        ({"gp_office": "voss"}, "gp_office", "Legekontoret ligger ikke i arbeidskommunen."),
        ({"specialist_since": "2020-01-01"}, "specialist_since", "Datoen gjelder bare spesialister."),
        ({"list_size": "1200"}, "list_size", "Listelengde og listetak gjelder bare fastleger."),
        ({"list_open": "true"}, "list_open", "Åpen liste gjelder bare fastleger."),
        ({"email": "kari@"}, "email", "Skriv en gyldig e-postadresse, for eksempel navn@kommune.no."),
    ],
    ids=[
        "hpr-letters",
        "hpr-short",
        "hpr-taken",
        "office-elsewhere",
        "not-specialist",
        "not-regular-gp",
        "open-not-regular-gp",
        "email",
    ],
)
def test_it_rejects_an_invalid_doctor(
    client, world, records, vest_user, form_data, changes: dict, field: str, message: str
) -> None:
    voss = Municipality.objects.create(number="4621", name="Voss", name_norwegian="Voss", county=world.vestland)
    voss_office = GpOffice.objects.create(name="Voss legekontor", municipality=voss)
    client.force_login(vest_user)
    doctor = records.vest_doctor
    url = reverse("registry:doctor_edit", args=[doctor.pk])
    data = form_data(client.get(url).context["form"]) | changes
    if data.get("gp_office") == "voss":
        data["gp_office"] = voss_office.pk

    response = client.post(url, data)

    assert response.status_code == 200
    assert _error(response, field) == message
    doctor.refresh_from_db()
    assert (doctor.hpr_number, doctor.gp_office, doctor.version) == ("1234567", records.vest_gp_office, 1)
    assert Change.objects.count() == 0


def test_it_lets_a_doctor_without_hpr_number_be_saved_twice(client, world, vest_user) -> None:
    client.force_login(vest_user)

    for first_name in ("Uten", "Ukjent"):
        response = client.post(
            reverse("registry:doctor_create"),
            {"first_name": first_name, "last_name": "Nummer", "hpr_number": " ", "municipality": world.bergen.pk},
        )
        assert response.status_code == 302

    assert list(Doctor.objects.filter(last_name="Nummer").values_list("hpr_number", flat=True)) == [None, None]


def test_it_keeps_a_doctor_edit_that_came_too_late(client, records, vest_user, vest_colleague, form_data) -> None:
    doctor = records.vest_doctor
    url = reverse("registry:doctor_edit", args=[doctor.pk])
    client.force_login(vest_user)
    opened = form_data(client.get(url).context["form"])
    colleague = Client()
    colleague.force_login(vest_colleague)
    assert colleague.post(url, opened | {"phone": "111 11 111"}).status_code == 302

    response = client.post(url, opened | {"phone": "222 22 222", "email": "kari@example.no"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Vest2 lagret denne posten" in page
    assert "Endringene dine er ikke lagret, men står fortsatt i skjemaet." in page
    doctor.refresh_from_db()
    assert (doctor.phone, doctor.email, doctor.version) == ("111 11 111", "", 2)
    form = response.context["form"]
    assert (form["phone"].value(), form["email"].value()) == ("222 22 222", "kari@example.no")
    assert 'value="222 22 222"' in page

    again = client.post(url, form_data(form))

    assert again.status_code == 302
    doctor.refresh_from_db()
    assert (doctor.phone, doctor.email, doctor.version) == ("222 22 222", "kari@example.no", 3)
    assert [c.user for c in _changes(Doctor)] == [vest_colleague, vest_user]


def test_the_other_office_sees_a_doctor_with_a_training_in_its_region(client, world, records, nord_user) -> None:
    from training.models import Contract, Training

    Training.objects.create(
        doctor=records.vest_supervisor,
        employer=world.bodo,
        contract=Contract.SALARIED,
        start=date(2024, 1, 1),
        expected_end=date(2028, 12, 31),
    )
    client.force_login(nord_user)

    detail = client.get(reverse("registry:doctor_detail", args=[records.vest_supervisor.pk]))
    edit = client.get(reverse("registry:doctor_edit", args=[records.vest_supervisor.pk]))

    assert detail.status_code == 200
    assert detail.context["can_edit"] is False
    assert edit.status_code == 403


# Reference data: health trusts and counties


def test_the_coordinator_edits_a_health_trust_with_history(client, world, records, coordinator, form_data) -> None:
    client.force_login(coordinator)
    url = reverse("registry:health_trust_edit", args=[records.helse_bergen.pk])
    data = form_data(client.get(url).context["form"]) | {"municipalities": [world.bergen.pk, world.bodo.pk]}

    response = client.post(url, data)

    assert response.status_code == 302
    assert set(records.helse_bergen.municipalities.all()) == {world.bergen, world.bodo}
    (change,) = _changes(HealthTrust)
    assert change.fields == {"municipalities": ["4601 Bergen", "1804 Bodø, 4601 Bergen"]}


def test_the_coordinator_moves_a_county_to_another_office(client, world, records, coordinator, vest_user) -> None:
    client.force_login(coordinator)

    response = client.post(
        reverse("registry:county_edit", args=[world.vestland.pk]), {"office": world.nord.pk, "seen_version": "1"}
    )

    assert response.status_code == 302
    world.vestland.refresh_from_db()
    assert world.vestland.office == world.nord
    (change,) = _changes(County)
    assert change.fields == {"office": ["ALIS-kontor Vest", "ALIS-kontor Nord"]}
    client.force_login(vest_user)
    assert client.get(reverse("registry:doctor_detail", args=[records.vest_doctor.pk])).status_code == 404


# Lists: HTMX partials, filters and sorting


@pytest.mark.parametrize("name", ["municipality_list", "gp_office_list", "doctor_list"])
def test_the_list_answers_htmx_with_the_results_only(client, records, vest_user, name: str) -> None:
    client.force_login(vest_user)

    full = client.get(reverse(f"registry:{name}"))
    partial = client.get(reverse(f"registry:{name}"), HTTP_HX_REQUEST="true")

    assert full.status_code == partial.status_code == 200
    body = partial.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body and 'role="search"' not in body and '<nav class="site-nav"' not in body
    assert "<html" in full.content.decode() and 'id="results"' in full.content.decode()


@pytest.fixture
def municipalities(world):
    """Bergen (1, registered), Bodø (3, pending), Solund (6, a «not applied» event), Moskenes (unknown, no event)."""
    solund = Municipality.objects.create(
        number="4636", name="Solund", name_norwegian="Solund", county=world.vestland, centrality=6
    )
    Municipality.objects.create(number="1874", name="Moskenes", name_norwegian="Moskenes", county=world.nordland)
    for municipality, status in [
        (world.bergen, RegistrationStatus.REGISTERED),
        (world.bodo, RegistrationStatus.PENDING),
        (solund, RegistrationStatus.NOT_APPLIED),
    ]:
        Registration.objects.create(
            municipality=municipality, specialty=Specialty.GENERAL_PRACTICE, status=status, valid_from=date(2023, 1, 1)
        )
    Registration.objects.create(
        municipality=world.bodo,
        specialty=Specialty.COMMUNITY_MEDICINE,
        status=RegistrationStatus.REGISTERED,
        valid_from=date(2023, 1, 1),
    )
    return world


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["1804 Bodø", "1874 Moskenes", "4601 Bergen", "4636 Solund"]),
        ({"office": "vest"}, ["4601 Bergen", "4636 Solund"]),
        ({"county": "18"}, ["1804 Bodø", "1874 Moskenes"]),
        ({"q": "bod"}, ["1804 Bodø"]),
        ({"centrality": "6"}, ["4636 Solund"]),
        ({"centrality": "unknown"}, ["1874 Moskenes"]),
        ({"status": "registered"}, ["4601 Bergen"]),
        ({"status": "pending"}, ["1804 Bodø"]),
        ({"status": "not_applied"}, ["1874 Moskenes", "4636 Solund"]),
        ({"status": "registered", "specialty": "community_medicine"}, ["1804 Bodø"]),
        ({"status": "not_applied", "specialty": "community_medicine"}, ["1874 Moskenes", "4601 Bergen", "4636 Solund"]),
        ({"sort": "centrality"}, ["4601 Bergen", "1804 Bodø", "4636 Solund", "1874 Moskenes"]),
        ({"sort": "-centrality"}, ["4636 Solund", "1804 Bodø", "4601 Bergen", "1874 Moskenes"]),
        ({"sort": "name"}, ["4601 Bergen", "1804 Bodø", "1874 Moskenes", "4636 Solund"]),
        ({"sort": "-number"}, ["4636 Solund", "4601 Bergen", "1874 Moskenes", "1804 Bodø"]),
        # In the annual report's order (registered, pending, temporary, not applied), «not applied» together.
        ({"sort": "status_gp"}, ["4601 Bergen", "1804 Bodø", "1874 Moskenes", "4636 Solund"]),
        ({"sort": "-status_gp"}, ["4636 Solund", "1874 Moskenes", "1804 Bodø", "4601 Bergen"]),
        ({"sort": "office"}, ["1804 Bodø", "1874 Moskenes", "4601 Bergen", "4636 Solund"]),
        ({"sort": "no-such-column"}, ["1804 Bodø", "1874 Moskenes", "4601 Bergen", "4636 Solund"]),
    ],
)
def test_it_filters_and_sorts_municipalities(client, municipalities, coordinator, query: dict, expected) -> None:
    client.force_login(coordinator)

    response = client.get(reverse("registry:municipality_list"), query)

    assert _names(response) == expected


def test_the_municipality_list_shows_not_applied_for_no_event(client, municipalities, coordinator) -> None:
    client.force_login(coordinator)

    response = client.get(reverse("registry:municipality_list"), {"q": "moskenes"}, HTTP_HX_REQUEST="true")

    row = re.search(r"<tr><th [^>]*>1874</th>.*?</tr>", response.content.decode(), re.DOTALL).group(0)
    assert row.count("Ikke søkt") == 2
    assert "ukjent" in row


def test_staff_start_in_their_own_region_and_may_see_all(client, municipalities, vest_user) -> None:
    client.force_login(vest_user)

    own = client.get(reverse("registry:municipality_list"))
    everyone = client.get(reverse("registry:municipality_list"), {"office": ""})

    assert _names(own) == ["4601 Bergen", "4636 Solund"]
    assert own.context["form"]["office"].value() == "vest"
    assert len(_names(everyone)) == 4


@pytest.fixture
def doctors(records, world):
    """Besides Kari (1234567) and Per (1111111) in Bergen and Ola and Anne in Bodø: a regular GP in Bergen."""
    Doctor.objects.create(
        first_name="Berit",
        last_name="Fastlege",
        hpr_number="3333333",
        municipality=world.bergen,
        is_regular_gp=True,
        list_size=900,
    )
    return records


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Berit Fastlege", "Kari Nordmann", "Per Veileder"]),
        ({"q": "1234567"}, ["Kari Nordmann"]),
        ({"q": "123"}, ["Kari Nordmann"]),
        ({"q": "kari nordmann"}, ["Kari Nordmann"]),
        ({"q": "kari veileder"}, []),
        ({"q": "7654321"}, []),  # Ola in Bodø: not in the region
        ({"regular_gp": "1"}, ["Berit Fastlege"]),
        ({"regular_gp": "0"}, ["Kari Nordmann", "Per Veileder"]),
        ({"specialist": "1"}, ["Per Veileder"]),
        ({"sort": "-hpr"}, ["Berit Fastlege", "Kari Nordmann", "Per Veileder"]),
        ({"sort": "hpr"}, ["Per Veileder", "Kari Nordmann", "Berit Fastlege"]),
        ({"sort": "-list_size"}, ["Berit Fastlege", "Per Veileder", "Kari Nordmann"]),  # all reversed, unknown last
        ({"sort": "gp_office"}, ["Kari Nordmann", "Berit Fastlege", "Per Veileder"]),
    ],
)
def test_it_filters_and_sorts_doctors(client, doctors, vest_user, query: dict, expected: list[str]) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("registry:doctor_list"), query)

    assert _names(response) == expected


def test_the_coordinator_lists_doctors_of_one_office_or_all(client, doctors, coordinator) -> None:
    client.force_login(coordinator)

    everyone = client.get(reverse("registry:doctor_list"))
    nord = client.get(reverse("registry:doctor_list"), {"office": "nord"})
    search = client.get(reverse("registry:doctor_list"), {"q": "7654321"})

    assert len(_names(everyone)) == 5
    assert _names(nord) == ["Ola Hansen", "Anne Veiledersen"]
    assert _names(search) == ["Ola Hansen"]


def test_it_says_so_when_no_doctor_matches(client, doctors, vest_user) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("registry:doctor_list"), {"q": "finnesikke"}, HTTP_HX_REQUEST="true")

    assert "Ingen leger passer til filteret." in response.content.decode()


def test_it_filters_and_sorts_gp_offices(client, doctors, world, coordinator) -> None:
    GpOffice.objects.create(name="Ytrebygda legesenter", municipality=world.bergen)
    Doctor.objects.filter(last_name="Fastlege").update(gp_office=doctors.vest_gp_office)
    client.force_login(coordinator)

    def names(query: dict) -> list[str]:
        return _names(client.get(reverse("registry:gp_office_list"), query))

    assert names({}) == ["Bodø legesenter", "Sentrum legekontor", "Ytrebygda legesenter"]
    assert names({"sort": "-doctors"}) == ["Sentrum legekontor", "Ytrebygda legesenter", "Bodø legesenter"]
    assert names({"sort": "municipality"}) == ["Sentrum legekontor", "Ytrebygda legesenter", "Bodø legesenter"]
    assert names({"county": "18"}) == ["Bodø legesenter"]
    assert names({"q": "ytrebygda"}) == ["Ytrebygda legesenter"]
    counts = {o.name: o.doctor_count for o in client.get(reverse("registry:gp_office_list")).context["listing"].rows}
    assert counts == {"Bodø legesenter": 0, "Sentrum legekontor": 2, "Ytrebygda legesenter": 0}


def test_it_pages_a_long_list_and_keeps_the_filter(client, world, coordinator) -> None:
    Municipality.objects.bulk_create(
        Municipality(number=f"{4700 + i}", name=f"K{i}", name_norwegian=f"K{i}", county=world.vestland)
        for i in range(60)
    )
    client.force_login(coordinator)

    first = client.get(reverse("registry:municipality_list"), {"county": "46", "sort": "-number"})
    second = client.get(reverse("registry:municipality_list"), {"county": "46", "sort": "-number", "page": "2"})

    assert len(first.context["listing"].rows) == 50
    assert _names(second)[-1] == "4601 Bergen"
    assert len(second.context["listing"].rows) == 11
    assert "county=46" in first.content.decode() and "page=2" in first.content.decode()


# Query bounds


def _queries(client, url: str) -> int:
    ContentType.objects.clear_cache()  # count the lookups a fresh process makes, every time
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_rows(world, first: int, n: int) -> None:
    for i in range(first, first + n):
        municipality = Municipality.objects.create(
            number=f"{4700 + i}", name=f"K{i}", name_norwegian=f"K{i}", county=world.vestland, centrality=i % 6 + 1
        )
        Registration.objects.create(
            municipality=municipality, specialty="general_practice", status="registered", valid_from=date(2020, 1, 1)
        )
        office = GpOffice.objects.create(name=f"Legekontor {i}", municipality=municipality, address=f"Gate {i}")
        Doctor.objects.create(
            first_name=f"Lege{i}",
            last_name=f"Nr{i}",
            hpr_number=f"{5000000 + i}",
            municipality=municipality,
            gp_office=office,
        )


# The doctor list writes one more: its entry in the read log.
@pytest.mark.parametrize(("name", "bound"), [("municipality_list", 9), ("gp_office_list", 8), ("doctor_list", 9)])
def test_the_list_does_a_fixed_number_of_queries(client, world, vest_user, name: str, bound: int) -> None:
    client.force_login(vest_user)
    url = reverse(f"registry:{name}")
    _add_rows(world, 0, 3)
    few = _queries(client, url)

    _add_rows(world, 3, 27)
    many = _queries(client, url)

    assert few == many
    assert many <= bound
    assert len(client.get(url).context["listing"].rows) >= 30


@pytest.mark.parametrize(
    ("name", "args", "bound"),
    [
        # + the read log of the contact persons and doctors shown: their kind of record, and one insert.
        ("municipality_detail", lambda w, r: [w.bergen.pk], 14),
        ("gp_office_detail", lambda w, r: [r.vest_gp_office.pk], 9),
        ("doctor_detail", lambda w, r: [r.vest_doctor.pk], 8),  # + whether the user may open the record (history)
    ],
)
def test_the_detail_page_does_a_fixed_number_of_queries(
    client, world, records, vest_user, name: str, args, bound: int
) -> None:
    client.force_login(vest_user)
    url = reverse(f"registry:{name}", args=args(world, records))

    def add(first: int, n: int) -> None:
        for i in range(first, first + n):
            Doctor.objects.create(
                first_name=f"Lege{i}", last_name=f"Nr{i}", municipality=world.bergen, gp_office=records.vest_gp_office
            )
            Contact.objects.create(municipality=world.bergen, role="other", name=f"Kontakt {i}")
            Registration.objects.create(
                municipality=world.bergen,
                specialty="general_practice",
                status="pending",
                valid_from=date(2000 + i, 1, 1),
            )
            records.vest_doctor.phone = f"{i}"
            records.vest_doctor.save()
            history.record(instance=records.vest_doctor, by=vest_user, before={"phone": ""})
            history.record(instance=world.bergen, by=vest_user, before={"notes": f"{i}"})

    add(0, 3)
    few = _queries(client, url)
    add(3, 27)
    many = _queries(client, url)

    assert few == many
    assert many <= bound


def _sort_button(page: str, label: str) -> tuple[str, str]:
    """The aria-sort of a column heading and the sort its button asks for."""
    heading = rf'<th scope="col" aria-sort="(\w+)"[^>]*>\s*<button [^>]*value="([-\w]+)">{label}</button>'
    found = re.search(heading, page)
    assert found, f"no sort button for {label}"
    return found.group(1), found.group(2)


def test_a_descending_column_heading_sorts_back_to_ascending(client, municipalities, coordinator) -> None:
    client.force_login(coordinator)

    page = client.get(reverse("registry:municipality_list"), {"sort": "-centrality", "q": "o"}).content.decode()

    assert _sort_button(page, "Sentralitet") == ("descending", "centrality")
    assert _sort_button(page, "Nr.") == ("none", "number")
    # The buttons submit the filters along with the sort, and start from the first page.
    assert '<form id="list-sort" method="get" action="/register/kommuner/" hidden>' in page
    assert '<input type="hidden" name="q" value="o">' in page


def test_a_city_shows_its_first_gp_offices_and_links_to_all_of_them(client, world, records, nord_user) -> None:
    from registry import views

    GpOffice.objects.bulk_create(GpOffice(name=f"Kontor {i:02}", municipality=world.bergen) for i in range(30))
    client.force_login(nord_user)  # another region's staff: the registry is shared
    page = client.get(reverse("registry:municipality_detail", args=[world.bergen.pk])).content.decode()
    shown = views.GP_OFFICES_SHOWN
    assert f"Viser de {shown} første av 31." in page
    assert "Kontor 00" in page and f"Kontor {shown - 1:02}" in page and "Kontor 29" not in page
    link = f"{reverse('registry:gp_office_list')}?municipality={world.bergen.number}&amp;office="
    assert f'<a class="ds-link" href="{link}">Se alle legekontorer i Bergen</a>' in page

    listing = client.get(link.replace("&amp;", "&"))
    names = [row.name for row in listing.context["listing"].rows]
    assert len(names) == 31 and "Sentrum legekontor" in names and "Kontor 29" in names
    assert listing.context["listing"].count == 31


def test_a_town_shows_all_its_gp_offices_without_the_link(client, world, records, vest_user) -> None:
    client.force_login(vest_user)
    page = client.get(reverse("registry:municipality_detail", args=[world.bergen.pk])).content.decode()
    assert "Sentrum legekontor" in page and "Se alle legekontorer" not in page


def test_the_gp_office_list_refuses_a_malformed_municipality_number(client, world, records, vest_user) -> None:
    client.force_login(vest_user)
    page = client.get(reverse("registry:gp_office_list"), {"municipality": "46x"}).content.decode()
    assert "Kommunenummeret har fire sifre." in page


def test_the_count_of_a_regions_doctors_is_kept_until_a_table_it_reads_changes(
    client, world, records, vest_user, nord_user
) -> None:
    url = reverse("registry:doctor_list")

    def count(user: object, query: dict | None = None) -> tuple[int, bool]:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            listing = client.get(url, query or {}).context["listing"]
        counted = any(q["sql"].startswith("SELECT COUNT(*)") for q in queries.captured_queries)
        return listing.count, counted

    assert count(vest_user) == (2, True)  # Kari Nordmann (ALIS in Bergen) and her supervisor
    assert count(vest_user) == (2, False)  # kept
    assert count(nord_user) == (2, True)  # another scope, another count
    assert count(vest_user, {"q": "Veileder"}) == (1, True)  # another filter, another count

    Doctor.objects.create(first_name="Ny", last_name="Lege", municipality=world.bergen)
    assert count(vest_user) == (3, True)  # a new doctor in the region
    records.nord_training.employer = world.bergen  # a doctor of Bodø now in training in Bergen: the region's too
    records.nord_training.save()
    assert count(vest_user) == (4, True)
    world.bodo.county = world.bergen.county  # a municipality moved to another county: its doctors follow
    world.bodo.save()
    assert count(vest_user)[1] is True


def test_the_municipality_lists_rows_are_kept_until_a_table_they_are_read_from_changes(
    client, world, records, vest_user, reader
) -> None:
    url = reverse("registry:municipality_list")

    def page(user: object, query: dict | None = None) -> tuple[str, bool]:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url, query or {"office": ""}).content.decode()
        read = any('FROM "registry_municipality"' in q["sql"] and "LIMIT" in q["sql"] for q in queries)
        return html, read

    first, read = page(vest_user)
    assert read and 'aria-label="Velg Bergen"' in first  # office staff may write to the training leads
    temporary = 'data-label="Allmennmedisin">Midlertidig innvilget</td>'
    assert temporary not in first and 'data-label="Sentralitet" class="num">6</td>' not in first
    again, read = page(vest_user)
    assert not read and again.count("<tr>") == first.count("<tr>")  # kept: the rows are not read again
    html, read = page(reader)
    assert read and "Bergen" in html and 'aria-label="Velg Bergen"' not in html  # another role, its own rows
    html, read = page(vest_user, {"office": "", "sort": "-number"})
    assert read  # another sorting, another page of rows

    Municipality.objects.filter(pk=world.bergen.pk).update(centrality=6)  # no signal: the trigger still counts
    html, read = page(vest_user)
    assert read and re.search(r'data-label="Sentralitet" class="num">6</td>', html)
    Registration.objects.create(
        municipality=world.bergen, specialty="general_practice", status="temporary", valid_from=date(2020, 1, 1)
    )
    html, read = page(vest_user)
    assert read and temporary in html
    # The filter form is kept with the rows: its counties are read by the view before the list (so_far).
    assert ">Vestland</option>" in html
    County.objects.filter(pk=world.vestland.pk).update(name="Vestlandet")
    html, read = page(vest_user)
    assert ">Vestlandet</option>" in html and ">Vestland</option>" not in html


def test_the_gp_office_and_doctor_lists_rows_follow_every_table_they_are_read_from(
    client, world, records, vest_user
) -> None:
    """Kept until a table they are read from is written to (core.lists, keep_rows), also outside the forms."""
    client.force_login(vest_user)
    offices, doctors = reverse("registry:gp_office_list"), reverse("registry:doctor_list")

    def cell(url: str, label: str) -> list[str]:
        html = client.get(url, {"office": ""} if url == offices else {}).content.decode()
        return re.findall(rf'data-label="{label}"(?: class="num")?>(?:<a [^>]+>)?([^<]*)<', html)

    assert cell(offices, "Leger") == cell(offices, "Leger") == ["0", "1"]  # Bodø legesenter, Sentrum legekontor
    office = records.vest_gp_office
    Doctor.objects.create(first_name="Ny", last_name="Lege", municipality=world.bergen, gp_office=office)
    assert cell(offices, "Leger") == ["0", "2"]
    assert "Sentrum legekontor" in cell(doctors, "Legekontor")
    GpOffice.objects.filter(pk=records.vest_gp_office.pk).update(name="Sentrum legesenter")
    assert "Sentrum legesenter" in cell(doctors, "Legekontor")
    assert "Sentrum legesenter" in cell(offices, "Legekontor")
