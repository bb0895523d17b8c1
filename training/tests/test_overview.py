"""The overview's numbers on a small world whose every count is known."""

import re
from datetime import date, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import HealthTrust, Municipality, Registration, RegistrationStatus, Specialty
from training import overview as ov
from training.models import Contract, Scheme, ServicePeriod, Status, SupervisorAssignment, Training

TODAY = date(2025, 9, 15)  # halves: 2. halvår 2025, 1. og 2. halvår 2026, 2027, 1. halvår 2028
_names = count(1)


def _doctor(municipality: Municipality, **fields):
    from registry.models import Doctor

    n = next(_names)
    return Doctor.objects.create(first_name=f"Lege{n}", last_name=f"Etternavn{n}", municipality=municipality, **fields)


def _training(employer: Municipality, **fields) -> Training:
    values = {
        "scheme": Scheme.NEW,
        "contract": Contract.SALARIED,
        "start": date(2023, 1, 1),
        "expected_end": date(2028, 1, 1),
        "status": Status.ACTIVE,
    }
    values.update(fields)
    if values["status"] in (Status.COMPLETED, Status.LEFT):
        values.setdefault("ended_on", date(2025, 1, 1))
    return Training.objects.create(doctor=_doctor(employer), employer=employer, **values)


def _supervise(training: Training, start: date, end: date | None = None) -> SupervisorAssignment:
    supervisor = _doctor(training.employer, is_specialist=True)
    return SupervisorAssignment.objects.create(training=training, supervisor=supervisor, start=start, end=end)


def _hospital(training: Training, trust: HealthTrust | None, start: date, end: date | None, *, planned: bool = True):
    return ServicePeriod.objects.create(
        training=training, kind=ServicePeriod.Kind.HOSPITAL, health_trust=trust, start=start, end=end, planned=planned
    )


@pytest.fixture
def places(world):
    """Besides Bergen (1) and Bodø (3): Voss (4), Solund (6), Røst (6) and Moskenes (unknown)."""

    def municipality(number: str, name: str, county, centrality: int | None) -> Municipality:
        return Municipality.objects.create(
            number=number, name=name, name_norwegian=name, county=county, centrality=centrality
        )

    world.voss = municipality("4621", "Voss", world.vestland, 4)
    world.solund = municipality("4636", "Solund", world.vestland, 6)
    world.rost = municipality("1856", "Røst", world.nordland, 6)
    world.moskenes = municipality("1874", "Moskenes", world.nordland, None)
    return world


def _by_label(rows: list[ov.AlisCounts]) -> dict[str, ov.AlisCounts]:
    return {row.label: row for row in rows}


# ALIS per municipality and office


@pytest.fixture
def alis(places):
    w = places
    _training(w.bergen, contract=Contract.SELF_EMPLOYED)
    _training(w.bergen, contract=Contract.SELF_EMPLOYED)
    _training(w.bergen, scheme=Scheme.OLD, contract=Contract.SALARIED, start=date(2018, 5, 1))
    _training(w.bergen, contract=Contract.LOCUM, status=Status.LEAVE)
    _training(w.bergen, contract=Contract.SALARIED, status=Status.COMPLETED)
    _training(w.bergen, contract=Contract.SALARIED, status=Status.LEFT, leaving_reason="family")
    _training(w.voss, contract=Contract.SALARIED)
    _training(w.bodo, contract=Contract.MUNICIPAL_NO_LIST)
    _training(w.bodo, scheme=Scheme.OLD, contract=Contract.SELF_EMPLOYED, start=date(2019, 2, 28))
    return w


def test_it_counts_ongoing_alis_per_municipality_by_scheme_and_contract(alis) -> None:
    rows, total = ov.alis_by_municipality(alis.vest, TODAY)

    assert [row.label for row in rows] == ["4601 Bergen", "4621 Voss", "4636 Solund"]
    bergen, voss, solund = rows
    assert (bergen.total, bergen.new, bergen.old) == (4, 3, 1)
    assert bergen.contracts == {"salaried": 1, "self_employed": 2, "locum": 1, "municipal_no_list": 0}
    assert (voss.total, voss.new, voss.old, voss.contracts["salaried"]) == (1, 1, 0, 1)
    assert (solund.total, solund.new, solund.old, solund.no_supervisor) == (0, 0, 0, 0)
    assert solund.contracts == {"salaried": 0, "self_employed": 0, "locum": 0, "municipal_no_list": 0}
    assert (total.label, total.total, total.new, total.old) == ("Sum", 5, 4, 1)
    assert total.contracts == {"salaried": 2, "self_employed": 2, "locum": 1, "municipal_no_list": 0}
    assert bergen.link == alis.bergen


def test_it_counts_every_region_for_all_offices(alis) -> None:
    rows, total = ov.alis_by_municipality(None, TODAY)

    by_label = _by_label(rows)
    assert len(rows) == 6
    assert (by_label["1804 Bodø"].total, by_label["1804 Bodø"].old) == (2, 1)
    assert by_label["1804 Bodø"].contracts["municipal_no_list"] == 1
    assert (total.total, total.new, total.old) == (7, 5, 2)


def test_it_counts_per_office_side_by_side(alis) -> None:
    rows, total = ov.alis_by_office(TODAY)

    assert [row.label for row in rows] == ["ALIS-kontor Nord", "ALIS-kontor Vest"]  # the offices' own order
    nord, vest = rows
    assert (nord.total, nord.new, nord.old, nord.no_supervisor) == (2, 1, 1, 2)
    assert (vest.total, vest.new, vest.old, vest.no_supervisor) == (5, 4, 1, 5)
    assert vest.contracts == {"salaried": 2, "self_employed": 2, "locum": 1, "municipal_no_list": 0}
    assert (total.total, total.no_supervisor) == (7, 7)
    assert nord.link == alis.nord


def test_it_counts_per_county_for_all_regions(alis) -> None:
    rows, total = ov.alis_by_county(TODAY)

    assert [(row.label, row.total, row.new, row.old) for row in rows] == [("Nordland", 2, 1, 1), ("Vestland", 5, 4, 1)]
    assert rows[1].contracts == {"salaried": 2, "self_employed": 2, "locum": 1, "municipal_no_list": 0}
    assert (total.total, total.new, total.old) == (7, 5, 2)


def test_it_counts_ongoing_old_scheme_alis_who_must_apply_before_the_deadline(alis) -> None:
    assert ov.old_scheme_at_risk(None, TODAY) == 2
    assert ov.old_scheme_at_risk(alis.nord, TODAY) == 1


def test_it_counts_alis_without_a_current_supervisor(places) -> None:
    w = places
    current = _training(w.bergen)
    _supervise(current, date(2024, 1, 1))
    ends_today = _training(w.bergen)
    _supervise(ends_today, date(2024, 1, 1), TODAY)
    ended = _training(w.bergen)
    _supervise(ended, date(2023, 1, 1), date(2025, 9, 14))
    future = _training(w.bergen)
    _supervise(future, date(2025, 9, 16))
    never = _training(w.bergen)
    changed = _training(w.voss)
    _supervise(changed, date(2023, 1, 1), date(2024, 12, 31))
    _supervise(changed, date(2025, 1, 1))

    rows, total = ov.alis_by_municipality(w.vest, TODAY)

    bergen, voss = _by_label(rows)["4601 Bergen"], _by_label(rows)["4621 Voss"]
    assert (bergen.total, bergen.no_supervisor) == (5, 3)
    assert (voss.total, voss.no_supervisor) == (1, 0)
    assert (total.total, total.no_supervisor) == (6, 3)
    assert set(Training.objects.without_supervisor(TODAY)) == {ended, future, never}


def test_a_training_with_several_supervisors_counts_once(places) -> None:
    training = _training(places.bergen)
    _supervise(training, date(2024, 1, 1))
    _supervise(training, date(2025, 1, 1))

    _rows, total = ov.alis_by_municipality(places.vest, TODAY)

    assert (total.total, total.no_supervisor) == (1, 0)


# hospital demand per health trust and half-year


@pytest.fixture
def trusts(places):
    helse_bergen = HealthTrust.objects.create(name="Helse Bergen HF", short_name="Helse Bergen", rhf="vest")
    nlsh = HealthTrust.objects.create(name="Nordlandssykehuset HF", rhf="nord")
    return helse_bergen, nlsh


def test_it_counts_planned_hospital_service_per_trust_and_half_year(places, trusts) -> None:
    w, (helse_bergen, nlsh) = places, trusts
    spanning = _training(w.bergen)
    _hospital(spanning, helse_bergen, date(2025, 11, 1), date(2026, 4, 30))  # 2. halvår 2025 and 1. halvår 2026
    twice = _training(w.voss)
    _hospital(twice, helse_bergen, date(2026, 1, 1), date(2026, 6, 30))
    _hospital(twice, helse_bergen, date(2026, 3, 1), date(2026, 3, 31))  # the same ALIS again: counts once
    done = _training(w.bergen)
    _hospital(done, helse_bergen, date(2025, 8, 1), date(2026, 1, 31), planned=False)
    completed = _training(w.bergen, status=Status.COMPLETED)
    _hospital(completed, helse_bergen, date(2026, 1, 1), date(2026, 6, 30))
    left = _training(w.bergen, status=Status.LEFT, leaving_reason="other")
    _hospital(left, helse_bergen, date(2026, 1, 1), date(2026, 6, 30))
    on_leave = _training(w.bodo, status=Status.LEAVE)
    _hospital(on_leave, nlsh, date(2027, 1, 1), None)  # open-ended: every half-year from 2027 on
    far = _training(w.bodo)
    _hospital(far, nlsh, date(2030, 1, 1), date(2030, 6, 30))  # beyond the three years shown
    past = _training(w.bodo)
    _hospital(past, nlsh, date(2024, 1, 1), date(2024, 6, 30))  # before the current half-year
    other = _training(w.bodo)
    ServicePeriod.objects.create(
        training=other, kind=ServicePeriod.Kind.OTHER, start=date(2026, 1, 1), end=date(2026, 6, 30), planned=True
    )

    demand = ov.hospital_demand(None, TODAY)

    assert [start for start, _end in demand.half_years] == [
        date(2025, 7, 1),
        date(2026, 1, 1),
        date(2026, 7, 1),
        date(2027, 1, 1),
        date(2027, 7, 1),
        date(2028, 1, 1),
    ]
    assert demand.rows == [
        ("Helse Bergen", [1, 2, 0, 0, 0, 0]),
        ("Nordlandssykehuset HF", [0, 0, 0, 1, 1, 1]),
    ]
    assert demand.totals == [1, 2, 0, 1, 1, 1]


def test_it_counts_hospital_demand_in_the_office_only(places, trusts) -> None:
    w, (helse_bergen, nlsh) = places, trusts
    _hospital(_training(w.bergen), helse_bergen, date(2026, 2, 1), date(2026, 8, 31))
    _hospital(_training(w.bodo), helse_bergen, date(2026, 2, 1), date(2026, 5, 31))  # Nord ALIS at a Vest trust
    _hospital(_training(w.bodo), nlsh, date(2026, 2, 1), date(2026, 5, 31))

    vest = ov.hospital_demand(w.vest, TODAY)
    nord = ov.hospital_demand(w.nord, TODAY)

    assert vest.rows == [("Helse Bergen", [0, 1, 1, 0, 0, 0])]
    assert nord.rows == [("Helse Bergen", [0, 1, 0, 0, 0, 0]), ("Nordlandssykehuset HF", [0, 1, 0, 0, 0, 0])]
    assert nord.totals == [0, 2, 0, 0, 0, 0]


def test_it_shows_planned_hospital_service_without_a_trust_on_its_own_row(places) -> None:
    _hospital(_training(places.bergen), None, date(2025, 10, 1), date(2025, 12, 31))

    demand = ov.hospital_demand(None, TODAY)

    assert demand.rows == [("Uten helseforetak", [1, 0, 0, 0, 0, 0])]


def test_it_has_no_rows_without_planned_hospital_service(places) -> None:
    demand = ov.hospital_demand(None, TODAY)

    assert (demand.rows, demand.totals) == ([], [0, 0, 0, 0, 0, 0])


# registration as training institution


@pytest.fixture
def registrations(places):
    w = places

    def event(municipality, status, valid_from, specialty=Specialty.GENERAL_PRACTICE):
        Registration.objects.create(
            municipality=municipality, specialty=specialty, status=status, valid_from=valid_from
        )

    event(w.bergen, RegistrationStatus.PENDING, date(2020, 1, 1))
    event(w.bergen, RegistrationStatus.REGISTERED, date(2021, 6, 1))  # the latest wins
    event(w.voss, RegistrationStatus.REGISTERED, date(2022, 1, 1))
    event(w.solund, RegistrationStatus.PENDING, date(2024, 1, 1))
    event(w.solund, RegistrationStatus.REGISTERED, date(2025, 9, 16))  # after the day asked about
    event(w.bodo, RegistrationStatus.REGISTERED, date(2019, 5, 1))
    event(w.moskenes, RegistrationStatus.TEMPORARY, date(2023, 2, 1))
    # Røst: no event at all, so not applied
    event(w.bergen, RegistrationStatus.REGISTERED, date(2022, 3, 1), Specialty.COMMUNITY_MEDICINE)
    return w


def _table(tables: list[ov.RegistrationTable], specialty: str) -> dict[str, ov.StatusRow]:
    table = next(t for t in tables if t.specialty == specialty)
    return {row.status: row for row in table.rows}


def test_it_tables_registration_status_on_a_day(registrations) -> None:
    tables = ov.registration_tables(ov.registration_rows(None, TODAY))

    gp = _table(tables, Specialty.GENERAL_PRACTICE)
    assert [(s, row.count, row.centrality_6, row.comment) for s, row in gp.items()] == [
        ("registered", 3, 0, "2 i Vestland og 1 i Nordland"),
        ("pending", 1, 1, "1 i Vestland"),
        ("temporary", 1, 0, "1 i Nordland"),
        ("not_applied", 1, 1, "1 i Nordland"),
    ]
    assert [row.label for row in gp.values()] == [
        "Registrert",
        "Søknad til behandling",
        "Midlertidig innvilget",
        "Ikke søkt",
    ]


def test_it_tables_registration_status_by_centrality(registrations) -> None:
    tables = ov.registration_tables(ov.registration_rows(None, TODAY))

    gp = next(t for t in tables if t.specialty == Specialty.GENERAL_PRACTICE)
    #                                   1  2  3  4  5  6  unknown
    assert gp.by_centrality == [
        ("Registrert", [1, 0, 1, 1, 0, 0, 0]),
        ("Søknad til behandling", [0, 0, 0, 0, 0, 1, 0]),
        ("Midlertidig innvilget", [0, 0, 0, 0, 0, 0, 1]),
        ("Ikke søkt", [0, 0, 0, 0, 0, 1, 0]),
    ]
    # The unknown class is its own count in the status table too, never counted as "not class 6".
    assert [row.centrality_unknown for row in gp.rows] == [0, 0, 1, 0]


def test_a_municipality_without_events_has_not_applied(registrations) -> None:
    tables = ov.registration_tables(ov.registration_rows(None, TODAY))

    cm = _table(tables, Specialty.COMMUNITY_MEDICINE)
    assert (cm["registered"].count, cm["registered"].comment) == (1, "1 i Vestland")
    assert (cm["not_applied"].count, cm["not_applied"].centrality_6) == (5, 2)
    assert cm["not_applied"].comment == "3 i Nordland og 2 i Vestland"
    assert (cm["pending"].count, cm["pending"].comment) == (0, "")


def test_a_later_event_counts_from_its_day(registrations) -> None:
    tables = ov.registration_tables(ov.registration_rows(registrations.vest, date(2025, 9, 16)))

    gp = _table(tables, Specialty.GENERAL_PRACTICE)
    assert (gp["registered"].count, gp["registered"].centrality_6, gp["registered"].comment) == (3, 1, "3 i Vestland")
    assert gp["pending"].count == 0


def test_it_tables_one_office_only(registrations) -> None:
    tables = ov.registration_tables(ov.registration_rows(registrations.nord, TODAY))

    gp = _table(tables, Specialty.GENERAL_PRACTICE)
    assert {s: row.count for s, row in gp.items()} == {"registered": 1, "pending": 0, "temporary": 1, "not_applied": 1}


def test_an_event_before_any_other_does_not_count_on_an_earlier_day(registrations) -> None:
    tables = ov.registration_tables(ov.registration_rows(None, date(2019, 12, 31)))

    gp = _table(tables, Specialty.GENERAL_PRACTICE)
    assert {s: row.count for s, row in gp.items()} == {"registered": 1, "pending": 0, "temporary": 0, "not_applied": 5}


def test_the_model_agrees_with_the_tables(registrations) -> None:
    w = registrations

    assert w.bergen.registration_status(Specialty.GENERAL_PRACTICE) == RegistrationStatus.REGISTERED
    assert w.bergen.registration_status(Specialty.GENERAL_PRACTICE, date(2021, 5, 31)) == RegistrationStatus.PENDING
    assert w.solund.registration_status(Specialty.GENERAL_PRACTICE, TODAY) == RegistrationStatus.PENDING
    assert w.rost.registration_status(Specialty.GENERAL_PRACTICE) == RegistrationStatus.NOT_APPLIED


def test_the_comment_lists_counties_like_the_annual_report() -> None:
    def comment(*by_county: tuple[str, int]) -> str:
        return ov.StatusRow("registered", "Registrert", 0, 0, list(by_county)).comment

    assert comment() == ""
    assert comment(("Vestland", 32)) == "32 i Vestland"
    assert comment(("Vestland", 32), ("Rogaland", 18)) == "32 i Vestland og 18 i Rogaland"
    assert comment(("Vestland", 32), ("Rogaland", 18), ("Agder", 1)) == "32 i Vestland, 18 i Rogaland og 1 i Agder"


# whose numbers


def test_staff_see_their_own_office(vest_user, world) -> None:
    assert ov.office_scope(vest_user, None) == world.vest
    assert ov.office_scope(vest_user, "nord") == world.vest


def test_the_coordinator_and_the_reader_choose_an_office_or_all(coordinator, reader, admin_user, world) -> None:
    assert ov.office_scope(coordinator, None) is None
    assert ov.office_scope(coordinator, "nord") == world.nord
    assert ov.office_scope(reader, "") is None
    assert ov.office_scope(reader, "vest") == world.vest
    assert ov.office_scope(admin_user, "ukjent") is None


def test_the_overview_page_shows_staff_their_own_region(client, alis, vest_user) -> None:
    client.force_login(vest_user)

    response = client.get(reverse("training:overview"), {"office": "nord"})

    assert response.status_code == 200
    assert response.context["office"] == alis.vest
    assert [(row.label, row.total) for row in response.context["area_rows"]] == [
        ("4601 Bergen", 4),
        ("4621 Voss", 1),
        ("4636 Solund", 0),
    ]
    assert response.context["total"].total == 5
    assert response.context["office_rows"] is None
    assert list(response.context["offices"]) == []
    page = response.content.decode()
    assert "Bodø" not in page
    assert "no_supervisor=on" in page  # staff may follow the number to the ALIS it counts


def test_the_overview_page_shows_the_coordinator_all_regions(client, alis, coordinator) -> None:
    client.force_login(coordinator)

    response = client.get(reverse("training:overview"))

    assert response.status_code == 200
    assert response.context["office"] is None
    assert response.context["total"].total == 7
    office_rows, office_total = response.context["office_rows"]
    assert [(row.label, row.total) for row in office_rows] == [("ALIS-kontor Nord", 2), ("ALIS-kontor Vest", 5)]
    assert office_total.total == 7
    assert [(row.label, row.total) for row in response.context["area_rows"]] == [("Nordland", 2), ("Vestland", 5)]


def test_the_coordinator_can_narrow_the_overview_to_one_office(client, alis, coordinator) -> None:
    client.force_login(coordinator)

    response = client.get(reverse("training:overview"), {"office": "nord"})

    assert response.context["office"] == alis.nord
    assert [row.label for row in response.context["area_rows"]] == ["1804 Bodø", "1856 Røst", "1874 Moskenes"]
    assert response.context["total"].total == 2


def test_the_reader_sees_the_numbers_without_links_to_people(client, alis, reader) -> None:
    client.force_login(reader)

    response = client.get(reverse("training:overview"))

    assert response.status_code == 200
    assert response.context["total"].total.value == 7  # a count as the reader may see it (core.suppression)
    assert response.context["links"] is False
    assert "no_supervisor=on" not in response.content.decode()


def _overview_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("training:overview"))
    assert response.status_code == 200
    return len(queries)


def _add_alis(places, trusts, n: int, first: int = 0) -> None:
    """n ongoing ALIS with a supervisor and planned hospital service, and n more municipalities with events."""
    for i in range(first, first + n):
        municipality = [places.bergen, places.voss, places.bodo, places.rost][i % 4]
        training = _training(municipality, contract=list(Contract)[i % 4])
        _supervise(training, date(2024, 1, 1))
        _hospital(training, trusts[i % 2], date(2026, 1, 1), date(2026, 6, 30))
        Registration.objects.create(
            municipality=municipality,
            specialty=Specialty.GENERAL_PRACTICE,
            status=RegistrationStatus.REGISTERED,
            valid_from=date(2000, 1, 1) + timedelta(days=i),
        )
        Municipality.objects.create(
            number=f"{5000 + i}",
            name=f"Kommune {i}",
            name_norwegian=f"Kommune {i}",
            county=[places.vestland, places.nordland][i % 2],
        )


def test_the_overview_does_a_fixed_number_of_queries(client, places, trusts, coordinator, vest_user) -> None:
    _add_alis(places, trusts, 3)
    client.force_login(coordinator)
    few = _overview_queries(client)
    client.force_login(vest_user)
    few_staff = _overview_queries(client)

    _add_alis(places, trusts, 27, first=3)
    client.force_login(coordinator)
    many = _overview_queries(client)
    client.force_login(vest_user)
    many_staff = _overview_queries(client)

    assert (few, few_staff) == (many, many_staff)
    assert many <= 12


def test_the_overview_counts_again_when_the_data_changes(client, alis, vest_user) -> None:
    """The page body is kept until a table it is read from changes (core.tableversions): a new ALIS is counted on
    the next view."""
    client.force_login(vest_user)
    first = client.get(reverse("training:overview")).content.decode()
    assert "<strong>5</strong> ALIS i utdanning" in first
    again = client.get(reverse("training:overview")).content.decode()
    assert _main(again) == _main(first)  # served as kept

    _training(alis.voss)

    page = client.get(reverse("training:overview")).content.decode()
    assert "<strong>6</strong> ALIS i utdanning" in page
    assert re.search(r'4621 Voss</a></th><td class="num">2</td>', page)


def test_the_overview_counts_again_after_a_write_outside_the_forms(client, alis, vest_user) -> None:
    """A bulk update leaves no history and no new row: the write counters see it all the same."""
    client.force_login(vest_user)
    assert "<strong>5</strong> ALIS i utdanning" in client.get(reverse("training:overview")).content.decode()

    Training.objects.filter(employer=alis.voss).update(status=Status.COMPLETED, ended_on=date(2025, 1, 1))

    assert "<strong>4</strong> ALIS i utdanning" in client.get(reverse("training:overview")).content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]
