"""The training pages: who may see and change which ALIS, edits with history and conflicts, the ALIS list."""

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
from registry.models import Doctor, GpOffice, Municipality
from training.models import (
    Contract,
    OldSchemeOutcome,
    Scheme,
    ServicePeriod,
    ShiftCount,
    Status,
    SupervisorAssignment,
    Training,
)

TODAY = date(2025, 9, 15)
PERSONAS = {
    "vest": "vest_user",
    "nord": "nord_user",
    "reader": "reader",
    "coordinator": "coordinator",
    "admin": "admin_user",
}


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setattr("training.views._today", lambda: TODAY)


def _error(response, field: str) -> str:
    """The error text shown next to a field."""
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', response.content.decode(), re.DOTALL)
    assert match, f"no error shown next to {field}: {getattr(response.context.get('form'), 'errors', None)}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _changes(model) -> list[Change]:
    return list(Change.objects.filter(content_type=ContentType.objects.get_for_model(model)).order_by("pk"))


def _alis(response) -> list[str]:
    return [t.doctor.last_name for t in response.context["listing"].rows]


# Who may see what: (url name, args, query, expected status per persona) for the records in Vest (Bergen).

Args = Callable[[object, object], list]
PERSONAL = {"vest": 200, "nord": 404, "reader": 404, "coordinator": 403}
PAGES: list[tuple[str, Args, str, dict[str, int]]] = [
    ("overview", lambda w, r: [], "", {"vest": 200, "nord": 200, "reader": 200, "coordinator": 200}),
    ("list", lambda w, r: [], "", {"vest": 200, "nord": 200, "reader": 403, "coordinator": 200}),
    ("create", lambda w, r: [], "lege", {"vest": 200, "nord": 404, "reader": 403, "coordinator": 403}),
    ("detail", lambda w, r: [r.vest_training.pk], "", {"vest": 200, "nord": 404, "reader": 404, "coordinator": 200}),
    ("edit", lambda w, r: [r.vest_training.pk], "", PERSONAL),
    ("period_create", lambda w, r: [r.vest_training.pk], "", PERSONAL),
    ("period_edit", lambda w, r: [r.vest_period.pk], "", PERSONAL),
    ("assignment_create", lambda w, r: [r.vest_training.pk], "", PERSONAL),
    ("assignment_edit", lambda w, r: [r.vest_assignment.pk], "", PERSONAL),
    (
        "municipality_panel",
        lambda w, r: [w.bergen.pk],
        "",
        {"vest": 200, "nord": 200, "reader": 403, "coordinator": 200},
    ),
    (
        "doctor_panel",
        lambda w, r: [r.vest_doctor.pk],
        "",
        {"vest": 200, "nord": 404, "reader": 404, "coordinator": 200},
    ),
]


def _url(page, world, records) -> str:
    name, args, query, _expected = page
    url = reverse(f"training:{name}", args=args(world, records))
    return f"{url}?lege={records.vest_doctor.pk}" if query == "lege" else url


@pytest.mark.parametrize("persona", ["vest", "nord", "reader", "coordinator", "admin"])
@pytest.mark.parametrize("page", PAGES, ids=[page[0] for page in PAGES])
def test_it_lets_each_role_see_what_it_may(request, client, world, records, persona: str, page) -> None:
    client.force_login(request.getfixturevalue(PERSONAS[persona]))

    response = client.get(_url(page, world, records))

    assert response.status_code == page[3].get(persona, 200)  # the administrator may do everything


@pytest.mark.parametrize("page", PAGES, ids=[page[0] for page in PAGES])
def test_it_sends_anonymous_users_to_the_login_page(client, world, records, page) -> None:
    response = client.get(_url(page, world, records))

    assert response.status_code == 302
    # The training pages are under /alis/, the overview at /oversikt/.
    assert response["Location"].startswith((f"{reverse('login')}?next=/alis/", f"{reverse('login')}?next=/oversikt/"))


# Deletes: each through a confirmation page, with history under the training, linked from the training page.


@pytest.fixture
def parts(records):
    """One of each deletable part of the Vest training: a period, a supervisor, shifts, an outcome."""
    training = records.vest_training
    return {
        "period": records.vest_period,
        "assignment": records.vest_assignment,
        "shift": ShiftCount.objects.create(training=training, counted_on=date(2025, 6, 1), shifts=7),
        "outcome": OldSchemeOutcome.objects.create(training=training, outcome="left", decided_on=date(2025, 6, 30)),
    }


DELETES = {
    "period": ("period_delete", "Slette tjenesteperioden?", "Åpen uselektert allmennpraksis 01.08.2022–31.07.2023"),
    "assignment": ("assignment_delete", "Slette veilederoppnevningen?", "Per Veileder"),
    "shift": ("shift_delete", "Slette registreringen av legevakter?", "7 legevakter per 01.06.2025"),
    "outcome": ("outcome_delete", "Slette utfallet?", "Sluttet i spesialiseringen 30.06.2025"),
}


def _delete_url(part: str, parts: dict) -> str:
    row = parts[part]
    arg = row.training_id if part == "outcome" else row.pk
    return reverse(f"training:{DELETES[part][0]}", args=[arg])


@pytest.mark.parametrize("part", DELETES)
def test_a_delete_asks_first_and_then_deletes_with_history(client, records, parts, vest_user, part: str) -> None:
    client.force_login(vest_user)
    training = records.vest_training
    url = _delete_url(part, parts)
    model = type(parts[part])

    asked = client.get(url)
    assert model.objects.filter(pk=parts[part].pk).exists()
    deleted = client.post(url)

    _name, title, fact = DELETES[part]
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", asked.content.decode()))
    assert f'<h1 class="ds-heading" data-size="lg">{title}</h1>' in asked.content.decode()
    assert fact in page and "Kari Nordmann" in page
    assert reverse("training:detail", args=[training.pk]) in asked.content.decode()  # the breadcrumbs and «Avbryt»
    assert deleted.status_code == 302
    assert deleted["Location"] == reverse("training:detail", args=[training.pk])
    assert not model.objects.filter(pk=parts[part].pk).exists()
    (change,) = _changes(model)
    assert (change.action, change.user, change.parent_id) == (Change.Action.DELETE, vest_user, training.pk)


@pytest.mark.parametrize(("persona", "status"), [("nord", 404), ("reader", 404), ("coordinator", 403), ("admin", 302)])
@pytest.mark.parametrize("part", DELETES)
def test_only_the_own_office_deletes(request, client, records, parts, part: str, persona: str, status: int) -> None:
    client.force_login(request.getfixturevalue(PERSONAS[persona]))
    url = _delete_url(part, parts)

    asked, posted = client.get(url), client.post(url)

    assert (asked.status_code, posted.status_code) == (200 if status == 302 else status, status)
    assert type(parts[part]).objects.filter(pk=parts[part].pk).exists() == (status != 302)


def test_the_training_page_is_kept_until_a_table_it_shows_changes(client, records, parts, vest_user) -> None:
    """Written once per data change (core.tableversions): a period removed outside the forms goes at once."""
    url = reverse("training:detail", args=[records.vest_training.pk])
    client.force_login(vest_user)
    period = reverse("training:period_edit", args=[parts["period"].pk])
    assert period in client.get(url).content.decode()
    ServicePeriod.objects.filter(pk=parts["period"].pk).delete()
    assert period not in client.get(url).content.decode()


def test_the_training_page_links_every_change_and_delete_for_the_office_only(
    client, records, parts, vest_user, coordinator
) -> None:
    url = reverse("training:detail", args=[records.vest_training.pk])
    client.force_login(vest_user)
    office = client.get(url).content.decode()
    client.force_login(coordinator)
    reader = client.get(url).content.decode()

    links = [_delete_url(part, parts) for part in DELETES] + [
        reverse("training:period_edit", args=[parts["period"].pk]),
        reverse("training:assignment_edit", args=[parts["assignment"].pk]),
        reverse("training:shift_edit", args=[parts["shift"].pk]),
        reverse("training:outcome_edit", args=[records.vest_training.pk]),
        reverse("grants:profile_edit", args=[records.vest_training.pk]),
        reverse("grants:cost_create"),
    ]
    assert [link in office for link in links] == [True] * len(links)
    assert [link in reader for link in links] == [False] * len(links)
    # What both may open: the doctor, the supervision log, the supervisor proposals.
    for page in (office, reader):
        assert reverse("supervision:session_list", args=[records.vest_training.pk]) in page
        assert reverse("supervision:proposals", args=[records.vest_training.pk]) in page
        assert reverse("registry:doctor_detail", args=[records.vest_doctor.pk]) in page


def test_deleting_a_period_of_leave_moves_the_expected_end_back(client, records, vest_user) -> None:
    training = records.vest_training
    leave = ServicePeriod.objects.create(
        training=training, kind="leave", start=date(2024, 1, 1), end=date(2024, 3, 31), share=100
    )
    Training.objects.filter(pk=training.pk).update(expected_end=date(2027, 10, 31))
    client.force_login(vest_user)

    client.post(reverse("training:period_delete", args=[leave.pk]))

    training.refresh_from_db()
    assert training.expected_end == date(2027, 7, 31)


def test_the_other_office_changes_nothing_by_posting(client, world, records, nord_user) -> None:
    client.force_login(nord_user)
    training = records.vest_training

    responses = [
        client.post(reverse("training:edit", args=[training.pk]), {"notes": "x", "seen_version": "1"}),
        client.post(reverse("training:period_create", args=[training.pk]), {"kind": "other", "start": "2024-01-01"}),
        client.post(reverse("training:period_edit", args=[records.vest_period.pk]), {"kind": "other"}),
        client.post(reverse("training:assignment_create", args=[training.pk]), {"start": "2024-01-01"}),
        client.post(reverse("training:assignment_edit", args=[records.vest_assignment.pk]), {"end": "2024-01-01"}),
        client.post(f"{reverse('training:create')}?lege={records.vest_doctor.pk}", {"employer": world.bodo.pk}),
    ]

    assert [r.status_code for r in responses] == [404] * 6
    assert Change.objects.count() == 0
    assert Training.objects.count() == 2


def test_the_municipality_panel_shows_only_the_own_regions_alis(client, world, records, nord_user, vest_user) -> None:
    url = reverse("training:municipality_panel", args=[world.bergen.pk])
    client.force_login(nord_user)
    other = client.get(url)
    client.force_login(vest_user)
    own = client.get(url)

    assert "Nordmann" not in other.content.decode()
    assert list(other.context["trainings"]) == []
    assert "Kari Nordmann" in own.content.decode()
    assert own.context["trainings"][0].supervisor_name == "Veileder, Per"


def test_the_doctor_panel_shows_trainings_and_supervisions(client, records, vest_user) -> None:
    client.force_login(vest_user)

    alis = client.get(reverse("training:doctor_panel", args=[records.vest_doctor.pk]))
    supervisor = client.get(reverse("training:doctor_panel", args=[records.vest_supervisor.pk]))

    assert list(alis.context["trainings"]) == [records.vest_training]
    assert [a.training for a in supervisor.context["supervisions"]] == [records.vest_training]
    assert "Kari Nordmann" in supervisor.content.decode()


def test_the_coordinator_reads_but_does_not_change(client, records, coordinator) -> None:
    client.force_login(coordinator)

    detail = client.get(reverse("training:detail", args=[records.nord_training.pk]))

    assert detail.status_code == 200
    assert detail.context["can_edit"] is False
    assert reverse("training:edit", args=[records.nord_training.pk]) not in detail.content.decode()


# Courses of training


def test_it_registers_a_training_with_the_expected_end(client, world, records, vest_user) -> None:
    doctor = Doctor.objects.create(first_name="Nina", last_name="Ny", municipality=world.bergen)
    client.force_login(vest_user)

    response = client.post(
        f"{reverse('training:create')}?lege={doctor.pk}",
        {
            "specialty": "general_practice",
            "employer": world.bergen.pk,
            "gp_office": records.vest_gp_office.pk,
            "scheme": "new",
            "contract": "salaried",
            "position_share": "80",
            "start": "2025-01-01",
            "status": "active",
        },
    )

    training = Training.objects.get(doctor=doctor)
    assert response.status_code == 302
    assert response["Location"] == reverse("training:detail", args=[training.pk])
    assert training.expected_end == date(2031, 3, 31)  # 75 months at 80 %
    (change,) = _changes(Training)
    assert (change.action, change.user) == (Change.Action.CREATE, vest_user)
    assert change.fields["expected_end"] == ["", "31.03.2031"]
    page = client.get(response["Location"]).content.decode()
    assert "Utdanningsløpet er registrert." in page
    assert "31.03.2031" in page


def test_it_saves_a_training_with_history(client, records, vest_user, form_data) -> None:
    training = records.vest_training
    client.force_login(vest_user)
    url = reverse("training:edit", args=[training.pk])
    data = form_data(client.get(url).context["form"])

    response = client.post(url, data | {"contract": "locum", "position_share": "80", "notes": "Bytter til vikariat"})

    assert response.status_code == 302
    assert response["Location"] == reverse("training:detail", args=[training.pk])
    training.refresh_from_db()
    assert (training.contract, training.position_share, training.version) == (Contract.LOCUM, 80, 2)
    assert training.expected_end == date(2028, 10, 31)  # 75 months from 1 August 2022
    (change,) = _changes(Training)
    assert change.fields == {
        "contract": ["Næringsdrift", "Vikariat"],
        "position_share": ["100", "80"],
        "expected_end": ["31.07.2027", "31.10.2028"],
        "notes": ["", "Bytter til vikariat"],
    }
    page = client.get(response["Location"]).content.decode()
    assert "Bytter til vikariat" in page
    assert "Næringsdrift" in page and "Vikariat" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"scheme": "old", "start": "2020-01-01"},
            "scheme",
            "Gammel ordning gjelder bare ALIS som startet før 1. mars 2019.",
        ),
        (
            {"scheme": "old", "start": "2019-03-01"},
            "scheme",
            "Gammel ordning gjelder bare ALIS som startet før 1. mars 2019.",
        ),
        ({"gp_office": "voss"}, "gp_office", "Legekontoret ligger ikke i kommunen som er arbeidsgiver."),
        ({"status": "completed"}, "ended_on", "Oppgi når utdanningsløpet ble avsluttet."),
        ({"status": "left", "ended_on": "2024-01-01"}, "leaving_reason", "Oppgi hvorfor ALIS sluttet."),
        ({"leaving_reason": "family"}, "leaving_reason", "Årsak gjelder bare ALIS som har sluttet."),
        (
            {"leaving_destination": "hospital"},
            "leaving_destination",
            "Hvor ALIS gikk, gjelder bare ALIS som har sluttet.",
        ),
        (
            {"status": "completed", "ended_on": "2022-07-31"},
            "ended_on",
            "Avsluttet dato kan ikke være før startdato.",
        ),
        ({"position_share": "0"}, "position_share", "Skriv et tall som ikke er mindre enn 1."),
        ({"position_share": "101"}, "position_share", "Skriv et tall som ikke er større enn 100."),
        ({"employer": "bodo"}, "employer", "Velg et av alternativene i listen."),
        ({"start": "31.02.2024"}, "start", "Skriv en gyldig dato, for eksempel 31.12.2025."),
    ],
    ids=[
        "old-2020",
        "old-boundary",
        "office-elsewhere",
        "completed-without-date",
        "left-without-reason",
        "reason-while-active",
        "destination-while-active",
        "ends-before-start",
        "share-0",
        "share-101",
        "employer-other-region",
        "no-such-date",
    ],
)
def test_it_rejects_an_invalid_training(
    client, world, records, vest_user, form_data, changes: dict, field: str, message: str
) -> None:
    voss = Municipality.objects.create(number="4621", name="Voss", name_norwegian="Voss", county=world.vestland)
    voss_office = GpOffice.objects.create(name="Voss legekontor", municipality=voss)
    training = records.vest_training
    client.force_login(vest_user)
    url = reverse("training:edit", args=[training.pk])
    data = form_data(client.get(url).context["form"]) | changes
    data["gp_office"] = voss_office.pk if data.get("gp_office") == "voss" else data.get("gp_office")
    data["employer"] = world.bodo.pk if data.get("employer") == "bodo" else data["employer"]

    response = client.post(url, data)

    assert response.status_code == 200
    assert _error(response, field) == message
    training.refresh_from_db()
    assert (training.scheme, training.status, training.version) == (Scheme.NEW, Status.ACTIVE, 1)
    assert Change.objects.count() == 0


def test_the_old_scheme_is_allowed_for_a_start_on_28_february_2019(client, world, records, vest_user, form_data):
    training = records.vest_training
    client.force_login(vest_user)
    url = reverse("training:edit", args=[training.pk])

    response = client.post(url, form_data(client.get(url).context["form"]) | {"scheme": "old", "start": "2019-02-28"})

    assert response.status_code == 302
    training.refresh_from_db()
    assert (training.scheme, training.start) == (Scheme.OLD, date(2019, 2, 28))


def test_it_records_why_an_alis_left(client, records, vest_user, form_data) -> None:
    training = records.vest_training
    client.force_login(vest_user)
    url = reverse("training:edit", args=[training.pk])
    data = form_data(client.get(url).context["form"])

    left = {
        "status": "left",
        "ended_on": "2025-06-30",
        "leaving_reason": "not_general_practice",
        "leaving_destination": "hospital",
    }
    response = client.post(url, data | left)

    assert response.status_code == 302
    training.refresh_from_db()
    assert (training.status, training.ended_on, training.leaving_reason, training.leaving_destination) == (
        Status.LEFT,
        date(2025, 6, 30),
        "not_general_practice",
        "hospital",
    )
    fields = _changes(Training)[0].fields
    assert fields["leaving_reason"] == ["", "Ønsker ikke å jobbe i allmennpraksis"]
    assert fields["leaving_destination"] == ["", "Sykehus"]


def test_it_keeps_a_training_edit_that_came_too_late(client, records, vest_user, vest_colleague, form_data) -> None:
    training = records.vest_training
    url = reverse("training:edit", args=[training.pk])
    client.force_login(vest_user)
    opened = form_data(client.get(url).context["form"])
    colleague = Client()
    colleague.force_login(vest_colleague)
    assert colleague.post(url, opened | {"notes": "Kollegaens notat"}).status_code == 302

    response = client.post(url, opened | {"contract": "locum", "notes": "Mitt notat"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Vest2 lagret denne posten" in page
    assert "Endringene dine er ikke lagret, men står fortsatt i skjemaet." in page
    training.refresh_from_db()
    assert (training.notes, training.contract, training.version) == ("Kollegaens notat", Contract.SELF_EMPLOYED, 2)
    form = response.context["form"]
    assert (form["notes"].value(), form["contract"].value()) == ("Mitt notat", "locum")
    assert "Mitt notat</textarea>" in page

    again = client.post(url, form_data(form))

    assert again.status_code == 302
    training.refresh_from_db()
    assert (training.notes, training.contract, training.version) == ("Mitt notat", Contract.LOCUM, 3)
    assert [c.fields["notes"] for c in _changes(Training)] == [
        ["", "Kollegaens notat"],
        ["Kollegaens notat", "Mitt notat"],
    ]


# Service periods


def test_it_adds_a_planned_hospital_period_shown_on_the_training(client, records, vest_user) -> None:
    training = records.vest_training
    client.force_login(vest_user)

    response = client.post(
        reverse("training:period_create", args=[training.pk]),
        {
            "kind": "hospital",
            "health_trust": records.helse_bergen.pk,
            "place": "Medisinsk avdeling",
            "start": "2026-01-01",
            "end": "2026-06-30",
            "share": "100",
            "planned": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("training:detail", args=[training.pk])
    period = training.periods.get(kind="hospital")
    assert (period.health_trust, period.planned) == (records.helse_bergen, True)
    (change,) = _changes(ServicePeriod)
    assert (change.action, change.parent_id, change.user) == (Change.Action.CREATE, training.pk, vest_user)
    assert change.fields["health_trust"] == ["", "Helse Bergen"]
    page = client.get(response["Location"]).content.decode()
    assert "Medisinsk avdeling" in page
    assert "«Institusjonstjeneste (sykehus) 01.01.2026–30.06.2026»" in page


def test_leave_moves_the_expected_end_and_back(client, records, vest_user, form_data) -> None:
    training = records.vest_training
    client.force_login(vest_user)

    client.post(
        reverse("training:period_create", args=[training.pk]),
        {"kind": "leave", "start": "2024-01-01", "end": "2024-03-31", "share": "100"},
    )
    training.refresh_from_db()
    moved = training.expected_end
    leave = training.periods.get(kind="leave")
    url = reverse("training:period_edit", args=[leave.pk])
    client.post(url, form_data(client.get(url).context["form"]) | {"end": "2024-01-31"})
    training.refresh_from_db()
    shorter = training.expected_end
    client.post(reverse("training:period_delete", args=[leave.pk]))
    training.refresh_from_db()

    assert moved == date(2027, 10, 31)  # three calendar months of leave (January–March) after 31 July 2027
    assert shorter == date(2027, 8, 31)  # 31 days
    assert training.expected_end == date(2027, 7, 31)
    create, update, delete = _changes(ServicePeriod)
    assert (create.action, update.action, delete.action) == ("create", "update", "delete")
    assert update.fields == {"end": ["31.03.2024", "31.01.2024"]}
    assert delete.parent_id == training.pk
    assert "Perioden er slettet." in client.get(reverse("training:detail", args=[training.pk])).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "hospital", "start": "2026-01-01", "planned": "on"},
            "health_trust",
            "Velg helseforetaket for institusjonstjenesten.",
        ),
        ({"kind": "other", "start": "2024-05-01", "end": "2024-04-30"}, "end", "Til-dato kan ikke være før fra-dato."),
        ({"kind": "other", "start": "2024-05-01"}, "end", "En gjennomført periode må ha en til-dato."),
        (
            {"kind": "other", "start": "2024-05-01", "end": "2024-05-31", "share": "0"},
            "share",
            "Skriv et tall som ikke er mindre enn 1.",
        ),
        (
            {"kind": "vacation", "start": "2024-05-01", "end": "2024-05-31"},
            "kind",
            "Velg et av alternativene i listen.",
        ),
    ],
    ids=["hospital-without-trust", "end-before-start", "done-without-end", "share-0", "unknown-kind"],
)
def test_it_rejects_an_invalid_period(client, records, vest_user, data: dict, field: str, message: str) -> None:
    client.force_login(vest_user)

    response = client.post(reverse("training:period_create", args=[records.vest_training.pk]), {"share": "100"} | data)

    assert response.status_code == 200
    assert _error(response, field) == message
    assert records.vest_training.periods.count() == 1
    assert Change.objects.count() == 0


# Supervisors


def _in_pool(*doctors: Doctor) -> None:
    from supervision.models import SupervisorProfile

    for doctor in doctors:
        SupervisorProfile.objects.create(doctor=doctor)


def test_it_assigns_a_supervisor_from_the_pool_with_history(client, records, vest_user) -> None:
    training = records.vest_training
    records.vest_assignment.delete()
    _in_pool(records.vest_supervisor)
    client.force_login(vest_user)

    # As the Suggestion field sends it: the chosen id and the text shown.
    response = client.post(
        reverse("training:assignment_create", args=[training.pk]),
        {"supervisor_text": "Veileder, Per (HPR 1111111)", "supervisor": records.vest_supervisor.pk}
        | {"start": "2025-01-01"},
    )

    assert response.status_code == 302
    assignment = training.supervisor_assignments.get()
    assert (assignment.supervisor, assignment.start, assignment.end) == (
        records.vest_supervisor,
        date(2025, 1, 1),
        None,
    )
    (change,) = _changes(SupervisorAssignment)
    assert (change.parent_id, change.fields["supervisor"]) == (training.pk, ["", "Per Veileder"])
    form_page = client.get(reverse("training:assignment_create", args=[training.pk])).content.decode()
    assert "Veilederen velges blant legene i veilederpoolen." in form_page
    assert reverse("supervision:supervisor_search") in form_page  # the Suggestion field asks the pool
    assert "Per Veileder" in client.get(response["Location"]).content.decode()


def test_an_ended_assignment_leaves_the_alis_without_supervisor(client, records, vest_user, form_data) -> None:
    client.force_login(vest_user)
    url = reverse("training:assignment_edit", args=[records.vest_assignment.pk])

    response = client.post(url, form_data(client.get(url).context["form"]) | {"end": "2025-09-14"})

    assert response.status_code == 302
    assert _changes(SupervisorAssignment)[0].fields == {"end": ["", "14.09.2025"]}
    listed = client.get(reverse("training:list"), {"no_supervisor": "on"})
    assert _alis(listed) == ["Nordmann"]


@pytest.mark.parametrize(
    ("supervisor", "end", "field", "message"),
    [
        ("self", "", "supervisor", "ALIS kan ikke være sin egen veileder."),
        ("nord", "", "supervisor", "Velg en spesialist i allmennmedisin i regionen."),
        ("not in pool", "", "supervisor", "Velg en spesialist i allmennmedisin i regionen."),
        ("not specialist", "", "supervisor", "Velg en spesialist i allmennmedisin i regionen."),
        ("vest", "2024-12-31", "end", "Til-dato kan ikke være før fra-dato."),
    ],
    ids=["self", "other-region", "not-in-pool", "not-specialist", "end-before-start"],
)
def test_it_rejects_an_invalid_assignment(
    client, world, records, vest_user, supervisor: str, end: str, field: str, message: str
) -> None:
    # The ALIS is a specialist in the pool too (so that only the rule refuses it), and so is Nord's supervisor.
    records.vest_doctor.is_specialist = True
    records.vest_doctor.save()
    _in_pool(records.vest_supervisor, records.vest_doctor, records.nord_supervisor)
    not_in_pool = Doctor.objects.create(
        first_name="Ikke", last_name="Ipoolen", municipality=world.bergen, is_specialist=True
    )
    not_specialist = Doctor.objects.create(first_name="Ikke", last_name="Spesialist", municipality=world.bergen)
    _in_pool(not_specialist)
    chosen = {
        "self": records.vest_doctor,
        "nord": records.nord_supervisor,
        "not in pool": not_in_pool,
        "not specialist": not_specialist,
        "vest": records.vest_supervisor,
    }[supervisor]
    client.force_login(vest_user)

    response = client.post(
        reverse("training:assignment_create", args=[records.vest_training.pk]),
        {"supervisor": chosen.pk, "start": "2025-01-01", "end": end},
    )

    assert response.status_code == 200
    assert _error(response, field) == message
    assert records.vest_training.supervisor_assignments.count() == 1
    assert Change.objects.count() == 0


# The ALIS list


@pytest.fixture
def alis(world, records):
    """Vest: Nordmann (new, self-employed, supervisor), Gammel (old, Voss), Permisjon (leave, locum, planned
    hospital 1. halvår 2026), Ferdig (completed) and Solund (municipal, centrality 6, supervisor ended, done
    hospital 2. halvår 2025)."""
    w = places = world
    places.voss = Municipality.objects.create(
        number="4621", name="Voss", name_norwegian="Voss", county=w.vestland, centrality=4
    )
    places.solund = Municipality.objects.create(
        number="4636", name="Solund", name_norwegian="Solund", county=w.vestland, centrality=6
    )

    def training(last_name: str, employer: Municipality, **fields) -> Training:
        doctor = Doctor.objects.create(first_name="Alis", last_name=last_name, municipality=employer)
        values = {"contract": Contract.SALARIED, "start": date(2023, 1, 1), "expected_end": date(2027, 12, 31)}
        return Training.objects.create(doctor=doctor, employer=employer, **(values | fields))

    training("Gammel", places.voss, scheme=Scheme.OLD, start=date(2018, 5, 1))
    on_leave = training("Permisjon", w.bergen, contract=Contract.LOCUM, status=Status.LEAVE, start=date(2024, 2, 1))
    ServicePeriod.objects.create(
        training=on_leave,
        kind="hospital",
        health_trust=records.helse_bergen,
        start=date(2026, 1, 1),
        end=date(2026, 6, 30),
        planned=True,
    )
    training("Ferdig", w.bergen, status=Status.COMPLETED, ended_on=date(2025, 1, 31), start=date(2020, 1, 1))
    solund = training("Solund", places.solund, contract=Contract.MUNICIPAL_NO_LIST, start=date(2024, 8, 1))
    SupervisorAssignment.objects.create(
        training=solund, supervisor=records.vest_supervisor, start=date(2024, 8, 1), end=date(2025, 7, 31)
    )
    ServicePeriod.objects.create(
        training=solund,
        kind="hospital",
        health_trust=records.helse_bergen,
        start=date(2025, 7, 1),
        end=date(2025, 8, 31),
        planned=False,
    )
    return records


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Gammel", "Nordmann", "Permisjon", "Solund"]),
        ({"scheme": "old"}, ["Gammel"]),
        ({"scheme": "new"}, ["Nordmann", "Permisjon", "Solund"]),
        ({"contract": "locum"}, ["Permisjon"]),
        ({"contract": "municipal_no_list"}, ["Solund"]),
        ({"status": "leave"}, ["Permisjon"]),
        ({"status": "completed"}, ["Ferdig"]),
        ({"status": ""}, ["Ferdig", "Gammel", "Nordmann", "Permisjon", "Solund"]),
        ({"no_supervisor": "on"}, ["Gammel", "Permisjon", "Solund"]),
        ({"hospital": "2026-1"}, ["Permisjon"]),
        ({"hospital": "2026-2"}, []),
        ({"hospital": "2025-2"}, []),  # Solund's hospital service there is done, not planned
        ({"municipality": "4621"}, ["Gammel"]),
        ({"municipality": "4601", "status": ""}, ["Ferdig", "Nordmann", "Permisjon"]),
        ({"centrality": "6"}, ["Solund"]),
        ({"county": "46"}, ["Gammel", "Nordmann", "Permisjon", "Solund"]),
        ({"q": "kari"}, ["Nordmann"]),
        ({"q": "1234567"}, ["Nordmann"]),
        ({"q": "voss"}, ["Gammel"]),
        ({"sort": "start"}, ["Gammel", "Nordmann", "Permisjon", "Solund"]),
        ({"sort": "-start"}, ["Solund", "Permisjon", "Nordmann", "Gammel"]),
        ({"sort": "contract"}, ["Permisjon", "Solund", "Gammel", "Nordmann"]),
        ({"sort": "supervisor"}, ["Nordmann", "Gammel", "Permisjon", "Solund"]),
        ({"sort": "municipality"}, ["Nordmann", "Permisjon", "Solund", "Gammel"]),
    ],
)
def test_it_filters_and_sorts_the_alis(client, alis, vest_user, query: dict, expected: list[str]) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("training:list"), query)

    assert response.status_code == 200
    assert _alis(response) == expected


def test_it_offers_the_coming_half_years(client, alis, vest_user) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("training:list"))

    choices = response.context["form"].fields["hospital"].choices
    assert choices[1:3] == [("2025-2", "2. halvår 2025"), ("2026-1", "1. halvår 2026")]
    assert len(choices) == 7


def test_it_rejects_a_municipality_number_that_is_not_four_digits(client, alis, vest_user) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("training:list"), {"municipality": "46x1"})

    assert _alis(response) == []
    assert response.context["form"].errors["municipality"] == ["Kommunenummeret har fire sifre."]


def test_the_coordinator_lists_one_office_or_all(client, alis, coordinator) -> None:
    client.force_login(coordinator)

    everyone = client.get(reverse("training:list"))
    nord = client.get(reverse("training:list"), {"office": "nord"})

    assert _alis(everyone) == ["Gammel", "Hansen", "Nordmann", "Permisjon", "Solund"]
    assert _alis(nord) == ["Hansen"]


def test_the_list_shows_the_current_supervisor(client, alis, vest_user) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("training:list"), HTTP_HX_REQUEST="true")

    rows = {t.doctor.last_name: t.supervisor_name for t in response.context["listing"].rows}
    assert rows == {"Gammel": None, "Nordmann": "Veileder, Per", "Permisjon": None, "Solund": None}
    assert response.content.decode().count("Mangler veileder") == 3


def test_the_list_answers_htmx_with_the_results_only(client, alis, vest_user) -> None:
    client.force_login(vest_user)

    full = client.get(reverse("training:list"), {"scheme": "old"})
    partial = client.get(reverse("training:list"), {"scheme": "old"}, HTTP_HX_REQUEST="true")

    body = partial.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body and 'class="filters"' not in body  # the filter form stays as it is
    assert "Gammel" in body and "Nordmann" not in body
    assert "<html" in full.content.decode()


# Query bounds


def _queries(client, url: str) -> int:
    ContentType.objects.clear_cache()  # count the lookups a fresh process makes, every time
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_alis_list_does_a_fixed_number_of_queries(client, world, records, vest_user) -> None:
    client.force_login(vest_user)

    def add(first: int, n: int) -> None:
        for i in range(first, first + n):
            doctor = Doctor.objects.create(first_name="Alis", last_name=f"Nr{i:02}", municipality=world.bergen)
            training = Training.objects.create(
                doctor=doctor,
                employer=world.bergen,
                contract=list(Contract)[i % 4],
                start=date(2024, 1, 1),
                expected_end=date(2028, 12, 31),
            )
            SupervisorAssignment.objects.create(
                training=training, supervisor=records.vest_supervisor, start=date(2024, 1, 1)
            )

    add(0, 2)  # with Kari Nordmann: 3
    few = _queries(client, reverse("training:list"))
    add(2, 27)
    many = _queries(client, reverse("training:list"))

    assert few == many
    assert many <= 9  # one of them the list's entry in the read log
    assert len(client.get(reverse("training:list")).context["listing"].rows) == 30


def test_the_training_page_does_a_fixed_number_of_queries(client, records, vest_user) -> None:
    training = records.vest_training
    client.force_login(vest_user)
    url = reverse("training:detail", args=[training.pk])

    def add(first: int, n: int) -> None:
        for i in range(first, first + n):
            day = date(2000 + i, 1, 1)
            kind = ["open_practice", "hospital", "leave", "other"][i % 4]
            trust = records.helse_bergen if kind == "hospital" else None
            period = ServicePeriod.objects.create(training=training, kind=kind, health_trust=trust, start=day, end=day)
            supervisor = Doctor.objects.create(first_name="Veileder", last_name=f"Nr{i}", is_specialist=True)
            SupervisorAssignment.objects.create(training=training, supervisor=supervisor, start=day)
            history.record(instance=period, by=vest_user, before=None, parent=training)
            history.record(instance=training, by=vest_user, before={"notes": f"{i}"})

    add(0, 2)  # with the fixture's period and assignment: 3 of each
    few = _queries(client, url)
    add(2, 27)
    many = _queries(client, url)

    assert few == many
    # The page's own (with the cost sheets, possible solo practice and the supervision groups; may the user open
    # the training, for its history; the read log of the ALIS and of their supervisor), and the status: the
    # doctor's periods and shifts.
    assert many <= 17


def test_the_rules_agree_with_the_page(client, records, vest_user) -> None:
    """The fixture's open practice (1 August 2022 – 31 July 2023) is one year of the five."""
    client.force_login(vest_user)

    response = client.get(reverse("training:detail", args=[records.vest_training.pk]))

    counted = {line.requirement.key: line.counted_years for line in response.context["status"].service.lines}
    assert counted == {"total": 1, "open_practice": 1, "other_municipal": 0, "hospital": 0}


def test_the_list_exports_every_filtered_row(client, alis, vest_user) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("training:list"), {"scheme": "new", "eksport": "csv"})

    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert response["Content-Disposition"].startswith('attachment; filename="alis')
    assert lines[0].startswith("Etternavn;Fornavn;HPR-nummer;Kommunenummer;Kommune")
    assert sorted(line.split(";")[0] for line in lines[1:]) == ["Nordmann", "Permisjon", "Solund"]


def test_the_list_tells_only_those_who_may_add_how_to_add(client, alis, vest_user, coordinator) -> None:
    hint = "Ny ALIS: finn eller opprett legen"
    client.force_login(vest_user)
    office = client.get(reverse("training:list")).content.decode()
    client.force_login(coordinator)
    national = client.get(reverse("training:list")).content.decode()

    assert hint in office and hint not in national
    assert "4 treff" in office  # the count, in the shared list's words


# The form pages: breadcrumbs, and «Avbryt» back to where the user came from


def test_a_form_page_shows_the_way_back_and_cancels_to_where_the_user_came_from(client, records, vest_user) -> None:
    client.force_login(vest_user)
    url = reverse("training:period_edit", args=[records.vest_period.pk])
    detail = reverse("training:detail", args=[records.vest_training.pk])

    plain = client.get(url)
    from_list = client.get(url, HTTP_REFERER=f"http://testserver{reverse('training:old_scheme')}?risk=any")

    assert [crumb.label for crumb in plain.context["breadcrumbs"]] == ["ALIS", "Kari Nordmann", "Endre tjenesteperiode"]
    assert plain.context["cancel_url"] == detail
    assert from_list.context["cancel_url"] == f"{reverse('training:old_scheme')}?risk=any"


def test_an_outcome_recorded_from_the_training_page_leads_back_there(client, world, vest_user) -> None:
    doctor = Doctor.objects.create(first_name="Alis", last_name="Gammel", municipality=world.bergen)
    training = Training.objects.create(
        doctor=doctor,
        employer=world.bergen,
        scheme=Scheme.OLD,
        contract=Contract.SALARIED,
        start=date(2018, 5, 1),
        expected_end=date(2023, 4, 30),
    )
    detail = reverse("training:detail", args=[training.pk])
    client.force_login(vest_user)

    response = client.post(
        reverse("training:outcome_edit", args=[training.pk]),
        {"outcome": "applied", "decided_on": "2025-09-01", "next": detail},
    )

    assert response.status_code == 302
    assert response["Location"] == detail
    assert OldSchemeOutcome.objects.get(training=training).outcome == "applied"


def test_the_alis_lists_rows_follow_every_table_they_are_read_from(client, alis, vest_user, world) -> None:
    """The rows are kept until a table they are read from is written to (core.lists, keep_rows): a write
    outside the forms (bulk, queryset update) is seen at once."""
    from supervision.models import GroupMember, SupervisionGroup

    client.force_login(vest_user)

    def names(query: dict | None = None) -> list[str]:
        html = client.get(reverse("training:list"), query or {}).content.decode()
        return re.findall(r'<th scope="row" data-label="ALIS"><a href="[^"]+">([^,]+),', html)

    assert names({"no_supervisor": "on"}) == names({"no_supervisor": "on"}) == ["Gammel", "Permisjon", "Solund"]
    gammel = Training.objects.get(doctor__last_name="Gammel")
    SupervisorAssignment.objects.bulk_create(
        [SupervisorAssignment(training=gammel, supervisor=alis.vest_supervisor, start=date(2024, 1, 1))]
    )
    assert names({"no_supervisor": "on"}) == ["Permisjon", "Solund"]

    assert "Nordmann" not in names({"hospital": "2026-1"})
    ServicePeriod.objects.create(
        training=alis.vest_training, kind="hospital", start=date(2026, 2, 1), end=date(2026, 5, 31), planned=True
    )
    assert "Nordmann" in names({"hospital": "2026-1"})

    assert "Gammel" in names({"no_group": "on"})
    group = SupervisionGroup.objects.create(
        office=world.vest, name="Gruppe Vest", leader=alis.vest_supervisor, start=date(2024, 1, 1)
    )
    GroupMember.objects.create(group=group, training=gammel, joined=date(2024, 1, 1))
    assert "Gammel" not in names({"no_group": "on"})
    SupervisionGroup.objects.filter(pk=group.pk).update(ended_on=date(2024, 6, 30))  # the group only
    assert "Gammel" in names({"no_group": "on"})

    Doctor.objects.filter(pk=gammel.doctor_id).update(last_name="Endret")
    assert "Endret" in names()
