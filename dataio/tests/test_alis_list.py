from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from core.export import to_xlsx
from dataio import alis_list
from dataio.plan import CHANGE, CREATE, UNCHANGED, apply
from registry.models import Doctor
from training.models import Contract, ServicePeriod, SupervisorAssignment, Training

TODAY = date(2026, 3, 1)
HEADER = (
    "Navn;HPR-nummer;Startdato;Ordning;Tilknytning;Stillingsprosent;Legekontor;Veileder;"
    "Sykehustjeneste fra;Sykehustjeneste til;Helseforetak\r\n"
)


def prepare(data: bytes, user, municipality):
    return alis_list.prepare(data, office=user.office, municipality=municipality, today=TODAY)


def test_it_offers_a_template_it_can_read_back(vest_user, records, world) -> None:
    template = to_xlsx([alis_list.EXAMPLE], alis_list.TEMPLATE_COLUMNS)
    sheet = load_workbook(BytesIO(template)).active
    assert [c.value for c in sheet[1]][:3] == ["Navn", "HPR-nummer", "Startdato"]
    assert sheet["C2"].is_date
    prepared = prepare(template, vest_user, world.bergen)
    assert prepared.plan.rows[0].action == CHANGE  # Kari exists: the example's planned hospital service is new
    assert prepared.plan.is_valid, prepared.plan.errors


def test_it_creates_the_alis_training_supervisor_and_hospital_service(vest_user, records, world) -> None:
    data = HEADER + (
        "Ødegård, Åse;;01.09.2024;ny;fastlønn;80 %;Åsane legesenter;Veileder, Per;"
        "01.09.2026;28.02.2027;Helse Bergen\r\n;;;;;;;;;;\r\n"
    )
    prepared = prepare(data.encode("cp1252"), vest_user, world.bergen)
    assert prepared.plan.is_valid, prepared.plan.errors
    assert prepared.plan.rows[0].action == CREATE
    apply(prepared, by=vest_user)
    training = Training.objects.get(doctor__last_name="Ødegård")
    assert (training.contract, training.position_share, training.start) == (Contract.SALARIED, 80, date(2024, 9, 1))
    assert training.gp_office.name == "Åsane legesenter" and training.expected_end > training.start
    assert training.supervisor_assignments.get().supervisor == records.vest_supervisor
    hospital = training.periods.get()
    assert (hospital.kind, hospital.planned, hospital.health_trust) == ("hospital", True, records.helse_bergen)
    again = prepare(data.encode("utf-8"), vest_user, world.bergen)
    assert [r.action for r in again.plan.rows] == [UNCHANGED]


def test_it_updates_the_ongoing_training_and_changes_supervisor(vest_user, records, world) -> None:
    other = Doctor.objects.create(
        first_name="Siri", last_name="Spesialist", hpr_number="3333333", municipality=world.bergen, is_specialist=True
    )
    data = HEADER + "Kari Nordmann;1234567;01.08.2022;Ny ordning;Næringsdrift;60;;3333333;;;\r\n"
    prepared = prepare(data.encode(), vest_user, world.bergen)
    row = prepared.plan.rows[0]
    assert row.action == CHANGE
    assert ("Stillingsandel (%)", "100", "60") in row.changes
    assert ("Veileder", "Per Veileder", "Siri Spesialist") in row.changes
    apply(prepared, by=vest_user)
    records.vest_assignment.refresh_from_db()
    assert records.vest_assignment.end == date(2026, 2, 28)
    assert SupervisorAssignment.objects.get(supervisor=other).start == TODAY
    assert Training.objects.filter(doctor=records.vest_doctor).count() == 1


def test_it_reports_bad_cells_in_norwegian_with_row_and_column(vest_user, records, world) -> None:
    data = HEADER + (
        "Kari Nordmann;1234567;01.08.2022;ny;næringsdrift;100;;;;;\r\n"
        "Ola Normann;;31.02.2021;gammel;deltid;abc;;Ukjent Person;;;Helse Sørpå\r\n"
        "Ny Lege;;01.01.2023;gammel;vikar;100;;;;;\r\n"
    )
    errors = prepare(data.encode(), vest_user, world.bergen).plan.errors
    assert errors[:3] == [
        "Rad 3, kolonne «Startdato»: «31.02.2021» er ikke en gyldig dato.",
        "Rad 3, kolonne «Stillingsprosent»: «abc» er ikke et tall.",
        "Rad 3, kolonne «Tilknytning»: «deltid» er ikke et av valgene (Fastlønn, Kommunalt ansatt uten liste, "
        "Næringsdrift, Vikariat).",
    ]
    assert "Rad 3, kolonne «Veileder»: Fant ingen spesialist" in errors[3]
    assert errors[4] == "Rad 3, kolonne «Helseforetak»: Fant ikke helseforetaket «Helse Sørpå»."
    assert errors[5] == "Rad 4, kolonne «Ordning»: Gammel ordning gjelder bare ALIS som startet før 1. mars 2019."


def test_it_needs_the_health_trust_for_planned_hospital_service(vest_user, records, world) -> None:
    data = HEADER + "Kari Nordmann;1234567;01.08.2022;ny;næringsdrift;100;;;01.01.2027;;\r\n"
    errors = prepare(data.encode(), vest_user, world.bergen).plan.errors
    assert errors == ["Rad 2, kolonne «Helseforetak»: Velg helseforetaket for institusjonstjenesten."]


def test_it_imports_only_into_the_offices_own_municipalities(vest_user, records, world) -> None:
    from dataio.reading import FileError

    data = HEADER + "Kari Nordmann;1234567;01.08.2022;ny;næringsdrift;100;;;;;\r\n"
    with pytest.raises(FileError, match="hører ikke til ALIS-kontor Vest"):
        prepare(data.encode(), vest_user, world.bodo)


def test_it_writes_nothing_when_one_row_is_wrong(vest_user, records, world) -> None:
    data = HEADER + "Åse Ødegård;;01.09.2024;ny;fastlønn;80;;;;;\r\nPer Ås;;1.13.2024;ny;fastlønn;80;;;;;\r\n"
    prepared = prepare(data.encode(), vest_user, world.bergen)
    assert not prepared.plan.is_valid
    assert not Doctor.objects.filter(last_name__in=["Ødegård", "Ås"]).exists()
    assert ServicePeriod.objects.count() == 2


def test_it_keeps_the_date_an_old_scheme_alis_first_started(vest_user, records, world) -> None:
    # The list has no column for it: an update must not clear the date that keeps a moved doctor on the old scheme.
    training = records.vest_training
    Training.objects.filter(pk=training.pk).update(scheme="old", specialty_started=date(2018, 5, 1))
    data = HEADER + "Kari Nordmann;1234567;01.08.2022;gammel;Næringsdrift;60;;;;;\r\n"
    prepared = prepare(data.encode(), vest_user, world.bergen)
    assert prepared.plan.is_valid, prepared.plan.errors
    apply(prepared, by=vest_user)
    training.refresh_from_db()
    assert (training.scheme, training.position_share, training.specialty_started) == ("old", 60, date(2018, 5, 1))


def test_the_template_has_the_specialty_and_a_samlis_gets_a_community_medicine_specialist(vest_user, records, world):
    assert "Spesialitet" in [column.header for column in alis_list.TEMPLATE_COLUMNS]
    Doctor.objects.create(
        first_name="Sara",
        last_name="Samfunn",
        hpr_number="4444444",
        municipality=world.bergen,
        is_community_medicine_specialist=True,
    )
    header = "Navn;Spesialitet;Startdato;Tilknytning;Veileder\r\n"
    data = header + (
        "Siv Samlis;Samfunnsmedisin;01.09.2025;fastlønn;4444444\r\n"
        "Sam Feil;SamLIS;01.09.2025;fastlønn;Veileder, Per\r\n"
        "Alis Allmenn;;01.09.2025;fastlønn;4444444\r\n"
    )

    plan = prepare(data.encode(), vest_user, world.bergen).plan

    assert plan.rows[0].errors == []
    assert plan.errors == [
        "Rad 3, kolonne «Veileder»: Velg en spesialist i samfunnsmedisin i regionen: en SamLIS skal ha en veileder "
        "som er det.",
        "Rad 4, kolonne «Veileder»: Velg en spesialist i allmennmedisin i regionen.",
    ]
