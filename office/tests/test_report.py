"""The annual report's tables for a small known world (office/tests/conftest.py), number by number, and every
count against a count of its own in the database."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from office import report
from office.models import Activity, AnnualReport, Inquiry, Institution, Partner, StaffMember
from registry.models import Municipality, Registration, Specialty
from training.models import Contract, Scheme, Status, Training

YEAR = 2024
YEAR_END = date(YEAR, 12, 31)


def _table(built: report.Report, key: str) -> report.Table:
    return next(t for t in built.tables() if t.key == key)


def _column(table: report.Table, index: int) -> list:
    return [row[index] for row in table.rows]


@pytest.fixture
def built(known) -> report.Report:
    return report.build_report(known.world.vest, YEAR)


def test_it_has_the_seed_reports_sections_in_its_order(built) -> None:
    """ALIS Vest's report for 2022 (seed 003): the office, staff, mandate, registration, activities, partners."""
    assert [s.title for s in built.sections] == [
        "Om kontoret",
        "Ansatte ved kontoret",
        "Mandat og nye oppgaver",
        "Registrerte utdanningsvirksomheter",
        "Veilederkurs",
        "Utadrettede aktiviteter",
        "Henvendelser",
        "Arbeidsgrupper og nasjonalt samarbeid",
        "Samarbeidspartnere",
        "ALIS per 31.12 etter ordning og tilknytning",
        "Stabilitet: ALIS som blir",
        "Avslutning",
    ]


def test_it_opens_with_the_host_the_region_and_the_budget(built, known) -> None:
    assert built.introduction == (
        "ALIS-kontor Vest er ett av 2 regionale ALIS-kontor. Kontoret er lagt til Bergen kommune og er organisert "
        "under Etat for helsetjenester, Enhet for allmennmedisin. Kontoret gir råd og bistand til 6 kommuner i "
        "Rogaland og Vestland i planlegging, etablering og oppfølging av spesialistutdanning i allmenn- og "
        "samfunnsmedisin, etter mandat fra Helsedirektoratet. Budsjettet for 2024 var 6\xa0700\xa0000 kroner."
    )
    facts = _table(built, "office_facts")
    assert facts.rows == [
        ["Vertskommune", "Bergen"],
        ["Organisert under", "Etat for helsetjenester, Enhet for allmennmedisin"],
        ["Fylker", "Rogaland og Vestland"],
        ["Kommuner i regionen", Municipality.objects.in_office(known.world.vest.pk).count()],
        ["Kommuner med ukjent sentralitet", 1],
        ["Budsjett (kroner)", 6_700_000],
    ]


def test_it_says_what_the_office_has_not_given(known) -> None:
    """No texts for 2023: the host and budget are «ikke oppgitt», never made up, and the texts say they are missing."""
    built = report.build_report(known.world.vest, 2023)
    assert "Vertskommunen er ikke oppgitt." in built.introduction
    assert "Budsjettet for 2023 er ikke oppgitt." in built.introduction
    facts = _table(built, "office_facts")
    assert (facts.rows[0][1], facts.rows[-1][1], facts.missing) == (None, None, "ikke oppgitt")
    assert built.text("new_mandate") == ""


def test_it_keeps_the_texts_in_their_sections_and_the_signature(built) -> None:
    texts = {t.key: (s.key, t.body) for s in built.sections for t in s.texts}
    assert texts["goals_reached"] == ("introduction", "Alle mål nådd.")
    assert texts["host_cooperation"] == ("introduction", "Ukentlige driftsmøter med kommunen.")
    assert texts["new_mandate"] == ("mandate", "Nytt mandat fra 01.05.2022: også samfunnsmedisin.")
    assert texts["community_medicine"] == ("registration", "Arbeidsmøter med Helsedirektoratet om samfunnsmedisin.")
    assert texts["working_groups"][0] == "working_groups"
    assert texts["comments"] == ("closing", "Ingen.")
    assert built.signature == report.Signature(
        place="Bergen",
        day=date(2025, 3, 30),
        name="Anne Rådgiver",
        title="Leder",
        host="Bergen",
        host_name="Kari Etatsdirektør",
        host_title="Etatsdirektør",
    )
    assert built.as_dict()["office"] == "vest"


def test_it_lists_the_staff_in_the_year(built, known) -> None:
    staff = _table(built, "staff")
    assert staff.rows == [
        ["Anne Rådgiver", "Seniorrådgiver", 100, date(2020, 1, 1), ""],
        ["Bjørn Lege", "Fagansvarlig lege", 20, date(2024, 9, 1), "timelønnet"],
    ]
    in_year = StaffMember.objects.filter(office=known.world.vest, start__lte=YEAR_END).exclude(end__lt=date(YEAR, 1, 1))
    assert staff.footer == ["Sum", "", sum(s.position_percent for s in in_year), "", ""]
    assert _table(built, "staff_summary").rows == [["Antall ansatte", in_year.count()], ["Årsverk", 1.2]]


def test_it_counts_registration_status_as_of_year_end(built) -> None:
    assert _table(built, "registration_general_practice").rows == [
        ["Antall registrerte utdanningsvirksomheter", 2, 0, 0, "1 i Rogaland og 1 i Vestland"],
        ["Antall kommuner som har søknad til behandling", 1, 1, 0, "1 i Vestland"],
        ["Antall kommuner som har midlertidig innvilget", 1, 1, 0, "1 i Rogaland"],
        ["Antall kommuner som ikke har søkt", 2, 1, 1, "2 i Vestland"],
    ]
    assert _table(built, "registration_general_practice").footer == ["Sum kommuner", 6, 3, 1, ""]


def test_it_counts_community_medicine_for_municipalities_and_other_institutions(built) -> None:
    """Seed 003: «kommuner og andre virksomheter». The county governor was temporarily approved in 2018 and
    registered in January 2025: temporary on 31.12.2024. Nord's institution is not Vest's."""
    table = _table(built, "registration_community_medicine")
    assert table.columns == ["Status", "Kommuner", "Andre virksomheter", "Sum", "Kommentar"]
    assert table.rows == [
        ["Antall registrerte utdanningsvirksomheter", 1, 0, 1, "1 i Vestland"],
        ["Antall virksomheter som har søknad til behandling", 0, 0, 0, ""],
        ["Antall virksomheter som har midlertidig innvilget", 0, 1, 1, ""],
        ["Antall virksomheter som ikke har søkt", 5, 1, 6, "3 i Vestland og 2 i Rogaland"],
    ]
    assert table.footer == ["Sum", 6, 2, 8, ""]


def test_it_shows_unknown_centrality_as_its_own_column_never_as_a_class(built, known) -> None:
    unknown = Municipality.objects.in_office(known.world.vest.pk).filter(centrality__isnull=True).count()
    assert unknown == 1
    table = _table(built, "registration_general_practice_by_centrality")
    assert table.columns == ["Status", "1", "2", "3", "4", "5", "6", "Ukjent", "Sum"]
    assert table.footer == ["Sum", 1, 1, 0, 0, 0, 3, unknown, 6]
    assert table.note.startswith("Sentralitet ukjent: 1 kommune.")
    assert _table(built, "registration_general_practice").note.startswith("Sentralitet ukjent: 1 kommune.")
    alis = _table(built, "alis_by_centrality")
    assert alis.rows[-1] == ["Sentralitet ukjent", 1, 0, 1]  # the locum in Austrheim
    assert alis.note == "Sentralitet ukjent: 1 ALIS arbeider i en kommune uten kjent sentralitetsklasse."


def test_it_does_not_use_todays_status(known) -> None:
    """Solund was registered in February 2025: pending in the 2024 report, registered in the 2025 one."""
    rows_2025 = _table(report.build_report(known.world.vest, 2025), "registration_general_practice").rows
    assert [row[1] for row in rows_2025] == [3, 0, 1, 2]
    Registration.objects.filter(valid_from__year=2025).delete()
    assert [
        row[1] for row in _table(report.build_report(known.world.vest, 2025), "registration_general_practice").rows
    ] == [2, 1, 1, 2]


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


def test_it_counts_activities_by_kind_with_their_comments(built) -> None:
    table = _table(built, "activities_by_kind")
    assert table.rows == [["Kurs", 1, 30], ["Møte", 1, 5], ["Konferanse", 0, 0], ["Teams-møte", 1, 0]]
    assert table.footer == ["Sum", 3, 35]
    listing = _table(built, "activities")
    assert listing.columns == ["Dato", "Sted", "Aktivitet", "Tema", "Med hvem", "Deltakere", "Kommentar"]
    assert listing.rows[1] == [date(2024, 5, 5), "Gardermoen", "Møte", "Tilskudd", "", 5, "Nytt regelverk"]
    assert listing.footer[0] == "Sum: 3 aktiviteter"


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


def test_it_lists_partners_with_activity_topic_and_comment(built) -> None:
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
    partners = _table(built, "partners")
    assert partners.columns == ["Samarbeidspartner", "Dato", "Aktivitet", "Sted", "Tema", "Kommentar"]
    assert partners.rows == [
        ["Statsforvalteren i Vestland", date(2024, 5, 5), "Møte", "Gardermoen", "Tilskudd", "Nytt regelverk"],
        ["Statsforvalteren i Vestland", date(2024, 10, 1), "Teams-møte", "", "Sykehustjeneste", ""],
        ["KS Vest", None, "", "", "", "Ingen møter i år"],  # the 2023 conference is not in 2024
        ["Helse Bergen", date(2024, 10, 1), "Teams-møte", "", "Sykehustjeneste", ""],
    ]


def test_it_counts_alis_ongoing_on_year_end(built) -> None:
    table = _table(built, "alis_by_contract")
    assert table.rows == [
        ["Fastlønn", 0, 1, 1],
        ["Næringsdrift", 2, 0, 2],
        ["Vikariat", 1, 0, 1],
        ["Kommunalt ansatt uten liste", 0, 0, 0],
    ]
    assert table.footer == ["Sum", 3, 1, 4]
    specialty = _table(built, "alis_by_specialty")
    assert specialty.rows == [["Allmennmedisin", 2, 1, 3], ["Samfunnsmedisin", 1, 0, 1]]
    assert specialty.footer == ["Sum", 3, 1, 4]


def test_it_estimates_retention_as_of_year_end(built) -> None:
    table = _table(built, "retention")
    assert table.columns == ["Tid siden start", "Alle", "Fastlønn", "Næringsdrift"]
    # By hand: 10 trainings started by 31.12.2024; t5 leaves at 12.0 months with 9 at risk (t11 censored at 11.0):
    # 8/9; t2 leaves at 17.9 months with 8 at risk: 7/9. Salaried: t2 of 6 → 5/6. Self-employed: t5 of 3 → 2/3.
    assert table.rows == [
        ["1 år", 88.9, 100.0, 66.7],
        ["2 år", 77.8, 83.3, 66.7],
        ["3 år", 77.8, 83.3, 66.7],
        ["4 år", 77.8, 83.3, 66.7],
        ["5 år", 77.8, 83.3, 66.7],
    ]
    assert table.footer == ["Antall utdanningsløp", 10, 6, 3]
    assert _table(built, "endings").rows == [["Fullført", 1], ["Sluttet", 2]]
    assert _table(built, "endings").footer == ["Avsluttet i alt", 3]


def test_it_counts_why_they_left_and_where_they_went(built) -> None:
    table = _table(built, "leaving")
    assert table.columns == [
        "Årsak",
        "Annen kommune",
        "Samme kommune, annen stilling",
        "Sykehus",
        "Annet",
        "Ikke kjent",
        "Sum",
    ]
    assert [row[0] for row in table.rows] == [
        "Misfornøyd med lønn og arbeidsvilkår",
        "Ønsker ikke å jobbe i allmennpraksis",
        "Familiære og personlige årsaker, flytting",
        "Annen stilling i kommunen",
        "Annen grunn",
        "Årsak ikke oppgitt",
    ]
    assert table.rows[0][1:] == [1, 0, 0, 0, 0, 1]  # t2: pay and conditions, to another municipality
    assert table.rows[-1][1:] == [0, 0, 0, 0, 1, 1]  # t5: neither given
    assert table.footer == ["Sum", 1, 0, 0, 0, 1, 2]


def test_it_tells_who_is_still_a_regular_gp_after_completion(built) -> None:
    """By hand from the lists in conftest: t7 (Bergen, 30.06.2021) is on Bergen's list of 01.07.2022 (1 year) and
    on Stavanger's of 01.07.2024, not Bergen's (3 years); t8 (Solund, 31.01.2022) on Solund's of 15.01.2023;
    t9 (Fedje, 01.03.2022) has no list near 01.03.2023 anywhere: unknown; t6 completed too late; t10 is
    community medicine; nobody completed five years before. Bergen's list of 2025 is after the year."""
    table = _table(built, "stays")
    assert table.rows == [
        ["1 år etter", 3, 2, 2, 100.0, 2, 2, 100.0],
        ["3 år etter", 1, 1, 0, 0.0, 1, 1, 100.0],
        ["5 år etter", 0, 0, 0, None, 0, 0, None],
    ]
    assert table.missing == "ukjent"


@pytest.mark.parametrize(
    "key",
    [
        "staff",
        "registration_general_practice",
        "registration_general_practice_by_centrality",
        "registration_community_medicine",
        "registration_community_medicine_by_centrality",
        "courses",
        "activities_by_kind",
        "activities",
        "inquiries_by_topic",
        "inquiries_by_month",
        "partners_by_kind",
        "alis_by_contract",
        "alis_by_specialty",
        "alis_by_centrality",
        "endings",
        "leaving",
    ],
)
def test_every_count_table_ends_in_a_total_row_that_adds_up(built, key) -> None:
    table = _table(built, key)
    assert table.footer is not None
    for index, value in enumerate(table.footer[1:], start=1):
        if isinstance(value, int) and key != "inquiries_by_topic":  # there an inquiry may have several topics
            assert value == sum(row[index] or 0 for row in table.rows), (key, index)


def test_every_total_agrees_with_a_count_in_the_database(built, known) -> None:
    vest = known.world.vest
    municipalities = Municipality.objects.in_office(vest.pk)
    for specialty in Specialty:
        assert _table(built, f"registration_{specialty}_by_centrality").footer[-1] == municipalities.count()
    registered = municipalities.with_registration_status(YEAR_END).filter(status_general_practice="registered")
    assert _table(built, "registration_general_practice").rows[0][1] == registered.count()
    assert _table(built, "registration_community_medicine").footer[2] == Institution.objects.filter(office=vest).count()
    ongoing = report.ongoing_on(YEAR_END).filter(employer__county__office=vest)
    for key in ("alis_by_contract", "alis_by_specialty", "alis_by_centrality"):
        assert _table(built, key).footer[3] == ongoing.count()
    assert (
        _table(built, "alis_by_contract").rows[0][2]
        == ongoing.filter(contract=Contract.SALARIED, scheme=Scheme.OLD).count()
    )
    assert _table(built, "alis_by_centrality").rows[-1][3] == ongoing.filter(employer__centrality__isnull=True).count()
    activities = Activity.objects.filter(office=vest, date__year=YEAR)
    assert _table(built, "activities_by_kind").footer[1] == activities.count()
    assert _table(built, "inquiries_by_topic").footer[1] == Inquiry.objects.filter(office=vest, date__year=YEAR).count()
    assert _table(built, "partners_by_kind").footer[1] == Partner.objects.filter(office=vest).count()
    assert (
        _table(built, "partners_by_kind").footer[2]
        == Activity.partners.through.objects.filter(partner__office=vest, activity__date__year=YEAR).count()
    )
    ended = Training.objects.filter(employer__county__office=vest, ended_on__year=YEAR)
    assert (
        _table(built, "endings").footer[1] == ended.filter(Q(status=Status.LEFT) | Q(status=Status.COMPLETED)).count()
    )
    assert _table(built, "leaving").footer[-1] == ended.filter(status=Status.LEFT).count()
    completed = Training.objects.filter(
        employer__county__office=vest, status=Status.COMPLETED, specialty=Specialty.GENERAL_PRACTICE
    )
    assert _table(built, "stays").rows[0][1] == completed.filter(ended_on__lte=date(YEAR - 1, 12, 31)).count()
    assert _table(built, "staff_summary").rows[0][1] == len(_table(built, "staff").rows)


def test_it_puts_the_offices_side_by_side(known) -> None:
    national = report.national_report(YEAR)
    assert national.offices == ["ALIS-kontor Nord", "ALIS-kontor Vest"]
    topics = _table(national, "inquiries_by_topic")
    assert topics.columns == ["Emne", "ALIS-kontor Nord", "ALIS-kontor Vest", "Sum"]
    assert topics.rows[-1] == ["Annet", 1, 1, 2]
    assert topics.footer == ["Henvendelser i alt", 1, 3, 4]
    alis = _table(national, "alis_by_contract")
    assert alis.rows[0] == ["Fastlønn", 1, 1, 2]  # the Nord ALIS in Bodø is salaried, new scheme
    registration = _table(national, "registration_general_practice")
    assert registration.rows[3] == ["Antall kommuner som ikke har søkt", 1, 2, 3]
    assert registration.footer == ["Sum kommuner", 1, 6, 7]
    assert registration.note.startswith("Sentralitet ukjent: 1 kommune.")  # of all the offices' municipalities
    community = _table(national, "registration_community_medicine")
    assert community.rows[0] == ["Antall registrerte utdanningsvirksomheter", 1, 1, 2]  # Nord's county governor
    retention_rows = _table(national, "retention")
    assert retention_rows.columns == ["Tid siden start", "ALIS-kontor Nord", "ALIS-kontor Vest"]
    assert retention_rows.rows[0] == ["1 år", 100.0, 88.9]
    facts = _table(national, "office_facts")
    assert facts.columns == ["Opplysning", "ALIS-kontor Nord", "ALIS-kontor Vest"]
    assert facts.rows[0] == ["Vertskommune", None, "Bergen"]
    assert not any(t.key == "staff" for t in national.tables())
    assert not any(s.texts for s in national.sections)  # the offices' own words stay in their reports
    assert national.signature is None


def test_it_counts_only_the_office_and_year(known) -> None:
    assert Inquiry.objects.count() == 5
    other = report.build_report(known.world.nord, YEAR)
    assert _table(other, "inquiries_by_topic").footer == ["Henvendelser i alt", 1, 0.2]
    assert _table(other, "registration_community_medicine").footer == ["Sum", 1, 1, 2, ""]
    assert _table(other, "stays").rows[0][1] == 0  # Vest's completions are not Nord's


def test_it_builds_the_national_view_with_as_many_queries_as_one_office(known) -> None:
    # Each section reads all offices in one query per table: the side-by-side view must not cost a report per office.
    with CaptureQueriesContext(connection) as one_office:
        report.build_report(known.world.vest, YEAR)
    with CaptureQueriesContext(connection) as all_offices:
        report.national_report(YEAR)
    assert len(all_offices) <= len(one_office)


def test_a_new_years_texts_start_from_the_host_and_signers_of_the_year_before(known) -> None:
    texts = AnnualReport.for_year(known.world.vest, 2025)
    assert texts.pk is None
    assert (texts.host_municipality, texts.signer_name, texts.signature_place) == (
        known.world.bergen,
        "Anne Rådgiver",
        "Bergen",
    )
    assert (texts.budget, texts.goals_reached, texts.signature_date) == (None, "", None)  # the year's own
    assert AnnualReport.for_year(known.world.nord, 2025).host_municipality is None
