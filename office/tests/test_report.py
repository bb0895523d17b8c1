"""The annual report's tables for a small known world (office/tests/conftest.py), number by number."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from office import report
from office.models import Inquiry
from registry.models import Registration

YEAR = 2024


def _table(built: report.Report, key: str) -> report.Table:
    return next(t for s in built.sections for t in s.tables if t.key == key)


@pytest.fixture
def built(known) -> report.Report:
    return report.build_report(known.world.vest, YEAR)


def test_it_lists_the_staff_in_the_year(built) -> None:
    assert _table(built, "staff").rows == [
        ["Anne Rådgiver", "Seniorrådgiver", 100, date(2020, 1, 1)],
        ["Bjørn Lege", "Fagansvarlig lege", 20, date(2024, 9, 1)],
    ]
    assert _table(built, "staff_summary").rows == [["Antall ansatte", 2], ["Årsverk", 1.2]]


def test_it_counts_registration_status_as_of_year_end(built) -> None:
    assert _table(built, "registration_general_practice").rows == [
        ["Antall registrerte utdanningsvirksomheter", 2, 0, "1 i Rogaland og 1 i Vestland"],
        ["Antall kommuner som har søknad til behandling", 1, 1, "1 i Vestland"],
        ["Antall kommuner som har midlertidig innvilget", 1, 1, "1 i Rogaland"],
        ["Antall kommuner som ikke har søkt", 1, 1, "1 i Vestland"],
    ]
    assert _table(built, "registration_community_medicine").rows == [
        ["Antall registrerte utdanningsvirksomheter", 1, 0, "1 i Vestland"],
        ["Antall kommuner som har søknad til behandling", 0, 0, ""],
        ["Antall kommuner som har midlertidig innvilget", 0, 0, ""],
        ["Antall kommuner som ikke har søkt", 4, 3, "2 i Rogaland og 2 i Vestland"],
    ]


def test_it_does_not_use_todays_status(known) -> None:
    """Solund was registered in February 2025: pending in the 2024 report, registered in the 2025 one."""
    rows_2025 = _table(report.build_report(known.world.vest, 2025), "registration_general_practice").rows
    assert [row[1] for row in rows_2025] == [3, 0, 1, 1]
    Registration.objects.filter(valid_from__year=2025).delete()
    assert [
        row[1] for row in _table(report.build_report(known.world.vest, 2025), "registration_general_practice").rows
    ] == [2, 1, 1, 1]


def test_it_counts_courses_with_participants_and_specialists(built) -> None:
    assert _table(built, "courses_summary").rows == [
        ["Kurs", 1],
        ["Deltakere", 2],
        ["Spesialister i allmennmedisin", 1],
        ["Fullført (alle samlinger)", 1],
    ]
    courses = _table(built, "courses")
    assert courses.columns[-3:] == ["Veileder for ALIS", "Veileder for LIS1", "Veileder for Ingen"]
    assert [row[0] for row in courses.rows] == ["Veilederkurs Vest"]  # the 2023 course is not in 2024
    assert courses.rows[0][2:] == [2, 1, 1, 1, 1, 0]
    assert courses.footer == ["Sum", "", 2, 1, 1, 1, 1, 0]


def test_it_counts_activities_by_kind(built) -> None:
    table = _table(built, "activities_by_kind")
    assert table.rows == [["Kurs", 1, 30], ["Møte", 1, 5], ["Konferanse", 0, 0], ["Teams-møte", 1, 0]]
    assert table.footer == ["Sum", 3, 35]
    assert [row[2] for row in _table(built, "activities").rows] == ["Veilederkurs", "Tilskudd", "Sykehustjeneste"]


def test_it_counts_inquiries_by_topic_and_month(built) -> None:
    table = _table(built, "inquiries_by_topic")
    assert table.rows == [
        ["Registrering som utdanningsvirksomhet", 1, 0.5],
        ["Utdanningsplaner", 0, 0.0],
        ["Læringsmål (ALM/FKM/SAM)", 0, 0.0],
        ["Tellende tjenestetid", 2, 0.8],
        ["Læringsarenaer, læringsaktiviteter og godkjent utdanningsløp", 0, 0.0],
        ["ALIS-avtaler og tilskudd", 0, 0.0],
        ["Veiledning, veiledningsavtaler og refusjon", 0, 0.0],
        ["Annet", 1, 1.0],
    ]
    assert table.footer == ["Henvendelser i alt", 3, 1.8]
    months = _table(built, "inquiries_by_month")
    assert [row[1] for row in months.rows] == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert months.rows[0][0] == "Januar"
    assert months.footer == ["Sum", 3]


def test_it_counts_meetings_with_partners(built) -> None:
    table = _table(built, "partners_by_kind")
    assert table.rows == [
        ["Helsedirektoratet", 0, 0],
        ["Statsforvalteren", 1, 2],
        ["RegUt", 0, 0],
        ["KS", 1, 0],
        ["Legeforeningen", 0, 0],
        ["NSDM", 0, 0],
        ["Helseforetak", 1, 1],
        ["Universitet", 0, 0],
        ["Annen", 0, 0],
    ]
    assert table.footer == ["Sum", 3, 3]
    assert _table(built, "partners").rows == [
        ["Statsforvalteren i Vestland", "Statsforvalteren", 2],
        ["Helse Bergen", "Helseforetak", 1],
        ["KS Vest", "KS", 0],
    ]


def test_it_counts_alis_ongoing_on_year_end(built) -> None:
    table = _table(built, "alis_by_contract")
    assert table.rows == [
        ["Fastlønn", 0, 1, 1],
        ["Næringsdrift", 2, 0, 2],
        ["Vikariat", 0, 0, 0],
        ["Kommunalt ansatt uten liste", 0, 0, 0],
    ]
    assert table.footer == ["Sum", 2, 1, 3]
    assert _table(built, "alis_by_specialty").rows == [["Allmennmedisin", 1, 1, 2], ["Samfunnsmedisin", 1, 0, 1]]


def test_it_estimates_retention_as_of_year_end(built) -> None:
    table = _table(built, "retention")
    assert table.columns == ["Tid siden start", "Alle", "Fastlønn", "Næringsdrift"]
    assert table.rows == [
        ["1 år", 80.0, 100.0, 50.0],
        ["2 år", 60.0, 66.7, 50.0],
        ["3 år", 60.0, 66.7, None],
        ["4 år", 60.0, 66.7, None],
        ["5 år", 60.0, 66.7, None],
    ]
    assert table.footer == ["Antall utdanningsløp", 5, 3, 2]
    assert _table(built, "endings").rows == [
        [
            "Fullført",
            1,
        ],
        ["Sluttet", 2],
        ["Sluttet: Misfornøyd med lønn og arbeidsvilkår", 1],
        ["Sluttet: Ønsker ikke å jobbe i allmennpraksis", 0],
        ["Sluttet: Familiære og personlige årsaker, flytting", 0],
        ["Sluttet: Annen stilling i kommunen", 0],
        ["Sluttet: Annen grunn", 0],
        ["Sluttet: årsak ikke oppgitt", 1],
    ]


def test_it_keeps_the_texts_with_the_report(built) -> None:
    assert (built.goals_reached, built.comments) == ("Alle mål nådd.", "Ingen.")
    assert built.as_dict()["office"] == "vest"


def test_it_puts_the_offices_side_by_side(known) -> None:
    national = report.national_report(YEAR)
    assert national.offices == ["ALIS-kontor Nord", "ALIS-kontor Vest"]
    topics = _table(national, "inquiries_by_topic")
    assert topics.columns == ["Emne", "ALIS-kontor Nord", "ALIS-kontor Vest", "Sum"]
    assert topics.rows[-1] == ["Annet", 1, 1, 2]
    assert topics.footer == ["Henvendelser i alt", 1, 3, 4]
    alis = _table(national, "alis_by_contract")
    assert alis.rows[0] == ["Fastlønn", 1, 1, 2]  # the Nord ALIS in Bodø is salaried, new scheme
    assert _table(national, "registration_general_practice").rows[3] == ["Antall kommuner som ikke har søkt", 1, 1, 2]
    retention_rows = _table(national, "retention")
    assert retention_rows.columns == ["Tid siden start", "ALIS-kontor Nord", "ALIS-kontor Vest"]
    assert retention_rows.rows[0] == ["1 år", 100.0, 80.0]
    assert not any(t.key == "staff" for s in national.sections for t in s.tables)


def test_it_counts_only_the_office_and_year(known) -> None:
    assert Inquiry.objects.count() == 5
    other = report.build_report(known.world.nord, YEAR)
    assert _table(other, "inquiries_by_topic").footer == ["Henvendelser i alt", 1, 0.2]


def test_it_builds_the_national_view_with_as_many_queries_as_one_office(known) -> None:
    # Each section reads all offices in one query per table: the side-by-side view must not cost a report per office.
    with CaptureQueriesContext(connection) as one_office:
        report.build_report(known.world.vest, YEAR)
    with CaptureQueriesContext(connection) as all_offices:
        report.national_report(YEAR)
    assert len(all_offices) <= len(one_office)
