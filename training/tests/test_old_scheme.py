"""The old scheme: its own rules on the training page, the shifts, the deadline list and the outcomes.

Today in these tests is 29 November 2026, 32 days before the deadline of 31 December 2026, unless a test moves
the clock past it.
"""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from core.models import Change
from registry.models import Doctor, HealthTrust, Municipality
from training import status
from training.models import (
    Contract,
    OldSchemeOutcome,
    Scheme,
    ServicePeriod,
    ShiftCount,
    Status,
    Training,
)

TODAY = date(2026, 11, 29)
AFTER = date(2027, 1, 15)


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setattr("training.views._today", lambda: TODAY)


def _move_clock(monkeypatch, day: date) -> None:
    monkeypatch.setattr("training.views._today", lambda: day)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _training(last_name: str, employer: Municipality, *, scheme=Scheme.OLD, start=date(2018, 5, 1), **fields):
    doctor = Doctor.objects.create(first_name="Alis", last_name=last_name, municipality=employer)
    values = {"contract": Contract.SALARIED, "expected_end": date(2023, 4, 30)}
    training = Training(doctor=doctor, employer=employer, scheme=scheme, start=start, **(values | fields))
    training.save()
    return training


@pytest.fixture
def old(world):
    """Vest: «Gammel» (old scheme, 4.5 years of general practice, hospital year planned across the deadline,
    32 shifts), «Klar» (old scheme, all met, applied); a new-scheme «Ny»; Nord: «Nordlending» (old scheme)."""
    trust = HealthTrust.objects.create(name="Helse Bergen HF", short_name="Helse Bergen", rhf="vest")
    gammel = _training("Gammel", world.bergen)
    ServicePeriod.objects.bulk_create(
        [
            # 1 May 2018 – 30 April 2020: 2 years of open practice
            ServicePeriod(training=gammel, kind="open_practice", start=date(2018, 5, 1), end=date(2020, 4, 30)),
            # 1 May 2020 – 31 October 2022: 2.5 years of other general-practice work
            ServicePeriod(training=gammel, kind="other_municipal", start=date(2020, 5, 1), end=date(2022, 10, 31)),
            # the hospital year, planned 1 January – 31 December 2027: after the deadline
            ServicePeriod(
                training=gammel,
                kind="hospital",
                health_trust=trust,
                start=date(2027, 1, 1),
                end=date(2027, 12, 31),
                planned=True,
            ),
        ]
    )
    ShiftCount.objects.create(training=gammel, counted_on=date(2026, 10, 1), shifts=32)
    klar = _training("Klar", world.bergen, start=date(2017, 1, 1), expected_end=date(2021, 12, 31))
    ServicePeriod.objects.bulk_create(
        [
            ServicePeriod(training=klar, kind="open_practice", start=date(2017, 1, 1), end=date(2020, 12, 31)),
            ServicePeriod(
                training=klar, kind="hospital", health_trust=trust, start=date(2021, 1, 1), end=date(2021, 12, 31)
            ),
        ]
    )
    ShiftCount.objects.create(training=klar, counted_on=date(2022, 1, 10), shifts=45)
    OldSchemeOutcome.objects.create(training=klar, outcome="applied", decided_on=date(2026, 10, 15))
    _training("Ny", world.bergen, scheme=Scheme.NEW, start=date(2021, 1, 1), expected_end=date(2025, 12, 31))
    nord = _training("Nordlending", world.bodo)
    return type("Old", (), {"gammel": gammel, "klar": klar, "nord": nord, "trust": trust})


def _rows(response) -> list[str]:
    return [t.doctor.last_name for t in response.context["listing"].rows]


# The training page says which rules it uses, and counts by them


def test_the_training_page_judges_an_old_scheme_alis_by_the_old_rules(client, old, vest_user) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("training:detail", args=[old.gammel.pk]))

    page = _text(response)
    rules_line = "Regler Allmennmedisin, gammel ordning (startet før 1. mars 2019) Kilde: alis.no «Gammel"
    assert f"{rules_line} spesialistutdanning»" in page
    assert "5 år tellende tjeneste etter gammel ordning (4 år allmennpraksis og 1 år sykehus)" in page
    lines = {line.requirement.key: (line.shown_tenths, line.met) for line in response.context["status"].service.lines}
    # open 2.0 + other GP work 2.5 = 4.5 ≥ 4; no hospital service yet (the planned year does not count)
    assert lines == {
        "total": (45, False),
        "general_practice": (45, True),
        "open_practice": (20, True),
        "hospital": (0, False),
    }
    assert "Samlet tellende tjeneste (4 år allmennpraksis + 1 år sykehus) 4,5 år minst 5 år Nei, mangler 0,5 år" in page
    assert "Sykehustjeneste 0,0 år minst 1 år Nei, mangler 1,0 år" in page
    assert "Legevakter 32 minst 40 Nei, mangler 8" in page
    assert "Gruppeveiledning 2 år i veiledningsgruppe (kilden oppgir ikke timer) ikke vurdert" in page
    assert "Emnekurs (med obligatorisk akuttmedisinkurs) alis.no registreres ikke her – ikke vurdert" in page
    assert "Individuell veiledning Ikke et krav i gammel ordning ikke vurdert" in page
    risks = {risk.key for risk in response.context["status"].risks}
    assert risks == {"service_after", "hospital", "shifts"}


def test_the_same_alis_is_judged_by_the_new_rules_after_the_deadline_without_an_application(
    client, monkeypatch, old, vest_user
) -> None:
    _move_clock(monkeypatch, AFTER)
    client.force_login(vest_user)

    response = client.get(reverse("training:detail", args=[old.gammel.pk]))

    page = _text(response)
    assert (
        "Regler Allmennmedisin, ny ordning (fra 1. mars 2019) ikke søkt godkjenning etter gammel ordning innen fristen"
        in page
    )
    lines = {line.requirement.key: (line.shown_tenths, line.met) for line in response.context["status"].service.lines}
    # new scheme: open 2.0 (≥ 2), other GP work 2.5 (the cap), institution service 0 of 0.5
    assert lines == {
        "total": (45, False),
        "open_practice": (20, True),
        "other_municipal": (25, None),
        "hospital": (0, False),
    }
    assert response.context["status"].risks == ()


def test_a_new_scheme_page_names_the_new_rules(client, records, vest_user) -> None:
    client.force_login(vest_user)

    page = _text(client.get(reverse("training:detail", args=[records.vest_training.pk])))

    assert (
        "Regler Allmennmedisin, ny ordning (fra 1. mars 2019) Kilde: alis.no «Spesialistutdanning i allmennmedisin»"
        in page
    )
    assert "Legevakter" not in page
    assert "Gammel ordning – frist" not in page


# A doctor who moved keeps the old scheme


def test_a_later_training_of_a_doctor_who_moved_keeps_the_old_scheme(client, world, old, vest_user) -> None:
    voss = Municipality.objects.create(number="4621", name="Voss", name_norwegian="Voss", county=world.vestland)
    first = old.gammel
    first.status, first.ended_on, first.leaving_reason = Status.LEFT, date(2022, 10, 31), "family"
    first.leaving_destination = "other_municipality"
    first.save()
    client.force_login(vest_user)

    response = client.post(
        f"{reverse('training:create')}?lege={first.doctor.pk}",
        {
            "specialty": "general_practice",
            "employer": voss.pk,
            "scheme": "old",
            "contract": "salaried",
            "position_share": "100",
            "start": "2023-01-01",
            "status": "active",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    later = Training.objects.get(employer=voss)
    # The date the doctor first started, taken from the earlier training, keeps the old scheme possible.
    assert (later.scheme, later.specialty_started) == (Scheme.OLD, date(2018, 5, 1))
    (change,) = Change.objects.filter(object_id=later.pk, content_type=ContentType.objects.get_for_model(Training))
    assert change.fields["startet i spesialiseringen"] == ["", "01.05.2018"]
    # 4.5 years served in Bergen: half a year left from 1 January 2023 at full time → 30 June 2023.
    assert later.expected_end == date(2023, 6, 30)
    page = _text(client.get(response["Location"]))
    assert "Medregnet: tjeneste fra tidligere utdanningsløp i Bergen (01.05.2018–31.10.2022)" in page
    assert "medregnet 4,5 år fra tidligere utdanningsløp" in page


def test_a_new_doctor_starting_after_1_march_2019_can_not_be_old_scheme(client, world, vest_user) -> None:
    doctor = Doctor.objects.create(first_name="Nina", last_name="Ny", municipality=world.bergen)
    client.force_login(vest_user)
    data = {
        "specialty": "general_practice",
        "employer": world.bergen.pk,
        "scheme": "old",
        "contract": "salaried",
        "position_share": "100",
        "start": "2023-01-01",
        "status": "active",
    }

    refused = client.post(f"{reverse('training:create')}?lege={doctor.pk}", data)
    after_date = client.post(
        f"{reverse('training:create')}?lege={doctor.pk}", data | {"specialty_started": "2023-02-01"}
    )
    accepted = client.post(f"{reverse('training:create')}?lege={doctor.pk}", data | {"specialty_started": "2018-09-01"})

    assert refused.context["form"].errors["scheme"] == [
        "Gammel ordning gjelder bare ALIS som startet før 1. mars 2019."
    ]
    assert after_date.context["form"].errors["specialty_started"] == [
        "Kan ikke være etter startdatoen for dette utdanningsløpet."
    ]
    assert accepted.status_code == 302
    assert Training.objects.get(doctor=doctor).specialty_started == date(2018, 9, 1)


# Shifts (legevakter), with history


def test_it_records_shifts_with_history(client, old, vest_user) -> None:
    client.force_login(vest_user)
    url = reverse("training:shift_create", args=[old.gammel.pk])

    response = client.post(url, {"counted_on": "2026-11-20", "shifts": "41", "note": "Meldt av kommunen"})

    assert response.status_code == 302
    assert old.gammel.shift_counts.first().shifts == 41
    change = Change.objects.get(content_type=ContentType.objects.get_for_model(ShiftCount))
    assert (change.parent_id, change.fields["legevakter i alt"]) == (old.gammel.pk, ["", "41"])
    page = client.get(reverse("training:detail", args=[old.gammel.pk]))
    assert "shifts" not in {risk.key for risk in page.context["status"].risks}
    assert "Legevakter 41 minst 40 Ja" in _text(page)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"counted_on": "2026-11-01", "shifts": "30"}, "shifts", "Antallet er i alt og kan ikke gå ned"),
        ({"counted_on": "2026-12-24", "shifts": "45"}, "counted_on", "Datoen kan ikke være fram i tid."),
        ({"counted_on": "2026-10-01", "shifts": "33"}, "counted_on", "Det er allerede registrert legevakter for"),
        ({"counted_on": "2026-11-01", "shifts": "-1"}, "shifts", "Skriv et tall som ikke er mindre enn 0."),
    ],
    ids=["fewer-than-before", "future", "same-day", "negative"],
)
def test_it_refuses_shifts_that_do_not_add_up(client, old, vest_user, data: dict, field: str, message: str) -> None:
    client.force_login(vest_user)

    response = client.post(reverse("training:shift_create", args=[old.gammel.pk]), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert old.gammel.shift_counts.count() == 1
    assert Change.objects.count() == 0


# The deadline list


def test_the_list_shows_each_old_scheme_alis_in_the_region_with_what_is_missing(client, old, vest_user) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("training:old_scheme"))

    assert response.status_code == 200
    # by expected end (Klar 31.12.2021, Gammel 30.04.2023); not the new-scheme «Ny», not Nord's «Nordlending»
    assert _rows(response) == ["Klar", "Gammel"]
    page = _text(response)
    assert "Gammel ordning – frist 31.12.2026" in page
    assert "Fristen for å søke spesialistgodkjenning etter gammel ordning er om 32 dager." in page
    missing = "Samlet tellende tjeneste (4 år allmennpraksis + 1 år sykehus): 0,5 år Sykehustjeneste: 1,0 år"
    assert f"{missing} Legevakter: 8 (har 32 av 40)" in page
    assert "Tjeneste planlagt etter fristen" in page
    assert "Mangler sykehusåret" in page
    assert "For få vakter" in page
    assert "Søkt godkjenning, venter på vedtak (15.10.2026)" in page
    assert response.context["at_risk"] == 1


def test_after_the_deadline_the_list_says_what_happened_to_each(client, monkeypatch, old, vest_user) -> None:
    _move_clock(monkeypatch, AFTER)
    client.force_login(vest_user)

    response = client.get(reverse("training:old_scheme"))

    page = _text(response)
    assert "Fristen for å søke spesialistgodkjenning etter gammel ordning gikk ut 31.12.2026." in page
    assert "Ikke registrert – ny ordning gjelder" in page
    assert "Søkt godkjenning, venter på vedtak (15.10.2026)" in page
    assert dict(response.context["summary"]) == {
        "Søkt godkjenning, venter på vedtak": 1,
        "Godkjent spesialist etter gammel ordning": 0,
        "Fortsetter i ny ordning etter overgangsreglene": 0,
        "Sluttet i spesialiseringen": 0,
        "Ikke registrert": 1,
    }
    # Judged by the new rules now («ny ordning»), without the old scheme's risks.
    assert "Gammel, Alis Bergen 01.05.2018 30.04.2023 ny ordning" in page
    assert response.context["at_risk"] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"risk": "any"}, ["Gammel"]),
        ({"risk": "none"}, ["Klar"]),
        ({"risk": "hospital"}, ["Gammel"]),
        ({"risk": "late_end"}, []),
        ({"outcome": "none"}, ["Gammel"]),
        ({"outcome": "applied"}, ["Klar"]),
        ({"q": "klar"}, ["Klar"]),
        ({"sort": "-expected_end"}, ["Gammel", "Klar"]),
        ({"sort": "name"}, ["Gammel", "Klar"]),
        ({"municipality": "1804"}, []),
    ],
)
def test_the_list_filters(client, old, vest_user, query: dict, expected: list[str]) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("training:old_scheme"), query)

    assert _rows(response) == expected


def test_the_list_leaves_out_those_who_ended_without_an_outcome_unless_asked(client, old, vest_user) -> None:
    old.gammel.status, old.gammel.ended_on, old.gammel.leaving_reason = Status.LEFT, date(2025, 1, 31), "family"
    old.gammel.save()
    client.force_login(vest_user)

    assert _rows(client.get(reverse("training:old_scheme"))) == ["Klar"]
    assert _rows(client.get(reverse("training:old_scheme"), {"status": ""})) == ["Klar", "Gammel"]


def test_the_coordinator_sees_every_region_and_may_choose_one_but_changes_nothing(client, old, coordinator) -> None:
    client.force_login(coordinator)

    everyone = client.get(reverse("training:old_scheme"))
    nord = client.get(reverse("training:old_scheme"), {"office": "nord"})
    change = client.post(
        reverse("training:outcome_edit", args=[old.gammel.pk]), {"outcome": "applied", "decided_on": "2026-11-20"}
    )

    assert _rows(everyone) == ["Klar", "Gammel", "Nordlending"]
    assert _rows(nord) == ["Nordlending"]
    assert "Registrer utfall" not in everyone.content.decode()
    assert change.status_code == 403
    assert not OldSchemeOutcome.objects.filter(training=old.gammel).exists()


@pytest.mark.parametrize(("persona", "expected"), [("nord_user", ["Nordlending"]), ("vest_user", ["Klar", "Gammel"])])
def test_each_office_sees_its_own_region(request, client, old, persona: str, expected: list[str]) -> None:
    client.force_login(request.getfixturevalue(persona))

    assert _rows(client.get(reverse("training:old_scheme"))) == expected


def test_the_reader_sees_no_personal_list(client, old, reader) -> None:
    client.force_login(reader)

    assert client.get(reverse("training:old_scheme")).status_code == 403
    assert client.get(reverse("training:outcome_edit", args=[old.gammel.pk])).status_code == 404
    overview = client.get(reverse("training:overview")).content.decode()
    assert reverse("training:old_scheme") not in overview


def test_the_overview_opens_the_list(client, old, vest_user) -> None:
    client.force_login(vest_user)

    overview = client.get(reverse("training:overview")).content.decode()

    assert f'href="{reverse("training:old_scheme")}?office=vest"' in overview


def test_the_list_exports_what_it_shows(client, old, vest_user) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("training:old_scheme"), {"eksport": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    rows.reverse()  # listed by expected end: Klar, then Gammel
    assert [row["Etternavn"] for row in rows] == ["Gammel", "Klar"]
    assert rows[0]["Mangler"] == (
        "Samlet tellende tjeneste (4 år allmennpraksis + 1 år sykehus): 0,5 år; Sykehustjeneste: 1,0 år; "
        "Legevakter: 8 (har 32 av 40)"
    )
    assert rows[0]["Risiko"] == "Tjeneste planlagt etter fristen; Mangler sykehusåret; For få vakter"
    assert (rows[0]["Legevakter"], rows[0]["Legevakter per"]) == ("32", "01.10.2026")
    assert (rows[1]["Utfall"], rows[1]["Utfall dato"]) == ("Søkt godkjenning, venter på vedtak", "15.10.2026")
    xlsx = client.get(reverse("training:old_scheme"), {"eksport": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


# Outcomes, with history


def test_the_office_records_an_outcome_with_history(client, old, vest_user, form_data) -> None:
    client.force_login(vest_user)
    url = reverse("training:outcome_edit", args=[old.gammel.pk])

    created = client.post(url, {"outcome": "applied", "decided_on": "2026-11-20", "note": "Søknad sendt i Altinn"})
    opened = form_data(client.get(url).context["form"])
    changed = client.post(url, opened | {"outcome": "continues_new", "decided_on": "2026-11-25"})

    assert (created.status_code, changed.status_code) == (302, 302)
    assert created["Location"] == reverse("training:old_scheme")
    outcome = OldSchemeOutcome.objects.get(training=old.gammel)
    assert (outcome.outcome, outcome.decided_on, outcome.version) == ("continues_new", date(2026, 11, 25), 2)
    changes = list(
        Change.objects.filter(content_type=ContentType.objects.get_for_model(OldSchemeOutcome)).order_by("pk")
    )
    assert [c.parent_id for c in changes] == [old.gammel.pk, old.gammel.pk]
    assert changes[1].fields["utfall"] == [
        "Søkt godkjenning, venter på vedtak",
        "Fortsetter i ny ordning etter overgangsreglene",
    ]
    # Continuing in the new scheme: judged by the new rules from now on, with the reason shown.
    page = _text(client.get(reverse("training:detail", args=[old.gammel.pk])))
    assert (
        "Regler Allmennmedisin, ny ordning (fra 1. mars 2019) fortsetter i ny ordning etter overgangsreglene" in page
    )
    assert "Fortsetter i ny ordning etter overgangsreglene (25.11.2026)" in page


def test_an_outcome_edit_that_came_too_late_is_not_lost(client, old, vest_user, vest_colleague, form_data) -> None:
    OldSchemeOutcome.objects.create(training=old.gammel, outcome="applied", decided_on=date(2026, 11, 1))
    url = reverse("training:outcome_edit", args=[old.gammel.pk])
    client.force_login(vest_user)
    opened = form_data(client.get(url).context["form"])
    colleague = Client()
    colleague.force_login(vest_colleague)
    assert colleague.post(url, opened | {"outcome": "approved", "decided_on": "2026-11-28"}).status_code == 302

    response = client.post(url, opened | {"note": "Mitt notat"})

    assert response.status_code == 200
    assert "Vest2 lagret denne posten" in response.content.decode()
    assert OldSchemeOutcome.objects.get(training=old.gammel).outcome == "approved"


@pytest.mark.parametrize(
    ("today", "data", "message"),
    [
        (TODAY, {"outcome": "approved", "decided_on": "2026-12-15"}, "Registrer utfallet når det har skjedd"),
        (AFTER, {"outcome": "applied", "decided_on": "2027-01-10"}, "Søknad etter gammel ordning må sendes innen"),
        (TODAY, {"outcome": "maybe", "decided_on": "2026-11-01"}, "Velg et av alternativene i listen."),
    ],
    ids=["future", "applied-after-deadline", "unknown-outcome"],
)
def test_it_refuses_an_outcome_that_can_not_be(client, monkeypatch, old, vest_user, today, data, message) -> None:
    _move_clock(monkeypatch, today)
    client.force_login(vest_user)

    response = client.post(reverse("training:outcome_edit", args=[old.gammel.pk]), data)

    assert response.status_code == 200
    assert message in " ".join(e for errors in response.context["form"].errors.values() for e in errors)
    assert not OldSchemeOutcome.objects.filter(training=old.gammel).exists()


def test_outcomes_are_for_old_scheme_alis_only(client, records, vest_user) -> None:
    client.force_login(vest_user)

    assert client.get(reverse("training:outcome_edit", args=[records.vest_training.pk])).status_code == 404


@pytest.mark.parametrize(("persona", "code"), [("nord_user", 404), ("coordinator", 403), ("reader", 404)])
def test_others_change_no_outcome_or_shifts(request, client, old, persona: str, code: int) -> None:
    client.force_login(request.getfixturevalue(persona))
    count = old.gammel.shift_counts.get()

    responses = [
        client.post(
            reverse("training:outcome_edit", args=[old.gammel.pk]), {"outcome": "left", "decided_on": "2026-11-01"}
        ),
        client.post(
            reverse("training:shift_create", args=[old.gammel.pk]), {"counted_on": "2026-11-01", "shifts": "50"}
        ),
        client.post(reverse("training:shift_edit", args=[count.pk]), {"counted_on": "2026-10-01", "shifts": "50"}),
        client.post(reverse("training:shift_delete", args=[count.pk])),
    ]

    assert [r.status_code for r in responses] == [code] * 4
    assert Change.objects.count() == 0
    assert not OldSchemeOutcome.objects.filter(training=old.gammel).exists()
    assert old.gammel.shift_counts.get().shifts == 32


# Bounded queries: one status module for a whole region


def _add_old_scheme(world, trust, first: int, n: int) -> None:
    for i in range(first, first + n):
        training = _training(f"Nr{i:02}", world.bergen, start=date(2016, 1, 1) + timedelta(days=i))
        ServicePeriod.objects.create(
            training=training, kind="open_practice", start=training.start, end=date(2020, 12, 31)
        )
        ServicePeriod.objects.create(
            training=training,
            kind="hospital",
            health_trust=trust,
            start=date(2027, 1, 1),
            end=date(2027, 12, 31),
            planned=True,
        )
        ShiftCount.objects.create(training=training, counted_on=date(2026, 1, 1), shifts=i)
        if i % 3 == 0:
            OldSchemeOutcome.objects.create(training=training, outcome="applied", decided_on=date(2026, 11, 1))


def test_the_status_of_a_region_takes_three_queries_whatever_its_size(world, django_assert_num_queries) -> None:
    trust = HealthTrust.objects.create(name="Helse Bergen HF", rhf="vest")
    _add_old_scheme(world, trust, 0, 3)
    with django_assert_num_queries(3):
        few = status.statuses(Training.objects.all(), TODAY)
    _add_old_scheme(world, trust, 3, 27)
    with django_assert_num_queries(3):
        many = status.statuses(Training.objects.all(), TODAY)

    assert (len(few), len(many)) == (3, 30)
    assert all(alis.shifts is not None for alis in many.values())


def test_the_list_does_a_fixed_number_of_queries(client, world, vest_user, django_assert_max_num_queries) -> None:
    trust = HealthTrust.objects.create(name="Helse Bergen HF", rhf="vest")
    client.force_login(vest_user)
    _add_old_scheme(world, trust, 0, 3)
    client.get(reverse("training:old_scheme"))  # the session and the content types are read once
    with django_assert_max_num_queries(11) as few:
        client.get(reverse("training:old_scheme"))
    _add_old_scheme(world, trust, 3, 27)
    with django_assert_max_num_queries(11) as many:
        response = client.get(reverse("training:old_scheme"))

    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(response.context["listing"].rows) == 30


def test_the_database_refuses_the_old_scheme_for_one_who_started_after_1_march_2019(world) -> None:
    from django.db import IntegrityError, transaction

    doctor = Doctor.objects.create(first_name="A", last_name="B")
    values = {"doctor": doctor, "employer": world.bergen, "contract": Contract.SALARIED, "scheme": Scheme.OLD}
    Training.objects.create(**values, start=date(2021, 3, 1), specialty_started=date(2018, 1, 1), expected_end=TODAY)

    for started in (None, date(2019, 3, 1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Training.objects.create(**values, start=date(2021, 3, 1), specialty_started=started, expected_end=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():  # first started after this training's start
        Training.objects.create(
            **values, start=date(2018, 3, 1), specialty_started=date(2018, 4, 1), expected_end=TODAY
        )
