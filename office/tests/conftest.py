"""A small known world for the annual report: two counties in Vest, registration histories, trainings,
staff, activities, partners, inquiries, other institutions, the office's texts and regular-GP lists over time,
with the exact numbers each table must show for 2024."""

from datetime import date

import pytest

from courses.models import Attendance, Course, Gathering
from courses.models import Registration as CourseRegistration
from dataio.gp_list import record_lists
from office.models import (
    Activity,
    AnnualReport,
    Inquiry,
    InquiryTopic,
    Institution,
    InstitutionRegistration,
    Partner,
    StaffMember,
)
from registry.models import County, Doctor, Municipality, Registration, Specialty
from training.models import Contract, LeavingDestination, LeavingReason, Scheme, Status, Training

GP, CM = Specialty.GENERAL_PRACTICE, Specialty.COMMUNITY_MEDICINE


def _municipality(number: str, name: str, county: County, centrality: int | None) -> Municipality:
    return Municipality.objects.create(
        number=number, name=name, name_norwegian=name, county=county, centrality=centrality
    )


def _training(municipality, *, contract, start, scheme=Scheme.NEW, status=Status.ACTIVE, ended_on=None, **extra):
    doctor = Doctor.objects.create(first_name="Lege", last_name=f"{municipality.name} {start:%Y%m}")
    return Training.objects.create(
        doctor=doctor,
        employer=municipality,
        scheme=scheme,
        contract=contract,
        start=start,
        expected_end=date(start.year + 5, start.month, 1),
        status=status,
        ended_on=ended_on,
        **extra,
    )


@pytest.fixture
def known(world, nord_training):
    rogaland = County.objects.create(number="11", name="Rogaland", office=world.vest)
    stavanger = _municipality("1103", "Stavanger", rogaland, 2)
    utsira = _municipality("1151", "Utsira", rogaland, 6)
    solund = _municipality("4636", "Solund", world.vestland, 6)
    fedje = _municipality("4633", "Fedje", world.vestland, 6)  # no registration history: not applied
    austrheim = _municipality("4632", "Austrheim", world.vestland, None)  # centrality unknown, not applied
    bergen = world.bergen
    for municipality, specialty, status, day in [
        (bergen, GP, "pending", date(2019, 6, 1)),
        (bergen, GP, "registered", date(2020, 3, 1)),
        (solund, GP, "pending", date(2024, 5, 1)),
        (solund, GP, "registered", date(2025, 2, 1)),  # after 31.12.2024: the 2024 report says pending
        (stavanger, GP, "registered", date(2021, 1, 1)),
        (utsira, GP, "temporary", date(2023, 1, 1)),
        (bergen, CM, "registered", date(2022, 6, 1)),
    ]:
        Registration.objects.create(municipality=municipality, specialty=specialty, status=status, valid_from=day)

    trainings = {
        "t1": _training(bergen, contract=Contract.SELF_EMPLOYED, start=date(2022, 8, 1)),
        "t2": _training(
            bergen,
            contract=Contract.SALARIED,
            start=date(2023, 1, 1),
            status=Status.LEFT,
            ended_on=date(2024, 6, 30),
            leaving_reason=LeavingReason.PAY_AND_CONDITIONS,
            leaving_destination=LeavingDestination.OTHER_MUNICIPALITY,
        ),
        "t3": _training(
            stavanger,
            contract=Contract.SALARIED,
            start=date(2018, 1, 1),
            scheme=Scheme.OLD,
            status=Status.COMPLETED,
            ended_on=date(2025, 3, 1),
        ),
        "t4": _training(solund, contract=Contract.LOCUM, start=date(2025, 1, 1)),
        "t5": _training(
            utsira,
            contract=Contract.SELF_EMPLOYED,
            start=date(2024, 1, 1),
            status=Status.LEFT,
            ended_on=date(2024, 12, 31),
            specialty=CM,
        ),
        "t6": _training(
            bergen,
            contract=Contract.SALARIED,
            start=date(2020, 1, 1),
            status=Status.COMPLETED,
            ended_on=date(2024, 12, 1),
        ),
        # Completed years before: whether they stayed comes from the regular-GP lists below.
        "t7": _training(
            bergen,
            contract=Contract.SALARIED,
            start=date(2016, 6, 1),
            scheme=Scheme.OLD,
            status=Status.COMPLETED,
            ended_on=date(2021, 6, 30),
        ),
        "t8": _training(
            solund,
            contract=Contract.SELF_EMPLOYED,
            start=date(2017, 1, 1),
            scheme=Scheme.OLD,
            status=Status.COMPLETED,
            ended_on=date(2022, 1, 31),
        ),
        "t9": _training(
            fedje,
            contract=Contract.SALARIED,
            start=date(2017, 3, 1),
            scheme=Scheme.OLD,
            status=Status.COMPLETED,
            ended_on=date(2022, 3, 1),
        ),
        "t10": _training(  # community medicine: not a regular GP afterwards, not counted there
            bergen,
            contract=Contract.SALARIED,
            start=date(2016, 1, 1),
            scheme=Scheme.OLD,
            status=Status.COMPLETED,
            ended_on=date(2021, 1, 1),
            specialty=CM,
        ),
        "t11": _training(austrheim, contract=Contract.LOCUM, start=date(2024, 2, 1)),  # unknown centrality
    }
    t7, t8, t10 = (trainings[k].doctor for k in ("t7", "t8", "t10"))  # t9 (Fedje) is on no list
    vest_municipalities = [bergen, stavanger, utsira, solund, fedje, austrheim]
    # Regular-GP lists over time: Bergen alone in 2022, Solund alone in 2023, the whole region in 2024.
    record_lists(municipalities={bergen.pk}, listed={bergen.pk: [t7, t10]}, on=date(2022, 7, 1))
    record_lists(municipalities={solund.pk}, listed={solund.pk: [t8]}, on=date(2023, 1, 15))
    record_lists(
        municipalities={m.pk for m in vest_municipalities},
        listed={stavanger.pk: [t7], solund.pk: [t8]},
        on=date(2024, 7, 1),
    )
    record_lists(municipalities={bergen.pk}, listed={bergen.pk: [t7]}, on=date(2025, 1, 10))  # after the year

    for name, title, percent, start, end, comment in [
        ("Anne Rådgiver", "Seniorrådgiver", 100, date(2020, 1, 1), None, ""),
        ("Bjørn Lege", "Fagansvarlig lege", 20, date(2024, 9, 1), None, "timelønnet"),
        ("Cecilie Sluttet", "Rådgiver", 100, date(2019, 1, 1), date(2023, 12, 31), ""),
        ("Dag Ny", "Jurist", 50, date(2025, 1, 1), None, ""),
    ]:
        StaffMember.objects.create(
            office=world.vest,
            name=name,
            title=title,
            position_percent=percent,
            start=start,
            end=end,
            comment=comment,
        )

    governor = Partner.objects.create(office=world.vest, name="Statsforvalteren i Vestland", kind="county_governor")
    trust = Partner.objects.create(office=world.vest, name="Helse Bergen", kind="health_trust")
    ks = Partner.objects.create(office=world.vest, name="KS Vest", kind="ks", notes="Ingen møter i år")
    Activity.objects.create(
        office=world.vest, date=date(2024, 3, 10), kind="course", theme="Veilederkurs", place="Bergen", participants=30
    )
    meeting = Activity.objects.create(
        office=world.vest,
        date=date(2024, 5, 5),
        kind="meeting",
        theme="Tilskudd",
        place="Gardermoen",
        participants=5,
        comment="Nytt regelverk",
    )
    meeting.partners.add(governor)
    teams = Activity.objects.create(office=world.vest, date=date(2024, 10, 1), kind="teams", theme="Sykehustjeneste")
    teams.partners.add(governor, trust)
    old = Activity.objects.create(office=world.vest, date=date(2023, 12, 1), kind="conference", theme="Konferanse")
    old.partners.add(ks)

    topics = {t.name: t for t in InquiryTopic.objects.all()}
    registration, counted, other = (
        topics["Registrering som utdanningsvirksomhet"],
        topics["Tellende tjenestetid"],
        topics["Annet"],
    )
    for office, day, channel, minutes, chosen in [
        (world.vest, date(2024, 1, 15), "phone", 30, [registration, counted]),
        (world.vest, date(2024, 1, 20), "email", 20, [counted]),
        (world.vest, date(2024, 3, 2), "teams", 60, [other]),
        (world.vest, date(2023, 12, 30), "phone", 10, [other]),
        (world.nord, date(2024, 2, 1), "phone", 10, [other]),
    ]:
        inquiry = Inquiry.objects.create(
            office=office, date=day, channel=channel, minutes=minutes, sender="municipality", note="Spørsmål"
        )
        inquiry.topics.set(chosen)

    course = Course.objects.create(office=world.vest, title="Veilederkurs Vest", place="Bergen", capacity=20)
    first = Gathering.objects.create(course=course, start=date(2024, 3, 4), end=date(2024, 3, 5))
    second = Gathering.objects.create(course=course, start=date(2024, 5, 6), end=date(2024, 5, 7))
    for n, (specialist, supervises, status, attended) in enumerate(
        [
            (True, "alis", "confirmed", [first, second]),
            (False, "lis1", "confirmed", [first]),
            (True, "alis", "waiting", []),
        ]
    ):
        signup = CourseRegistration.objects.create(
            course=course,
            name=f"Deltaker {n}",
            email=f"d{n}@example.org",
            municipality=bergen,
            is_specialist=specialist,
            supervises=supervises,
            status=status,
        )
        for gathering in attended:
            Attendance.objects.create(registration=signup, gathering=gathering)
    older = Course.objects.create(office=world.vest, title="Kurs 2023", place="Bergen", capacity=20)
    Gathering.objects.create(course=older, start=date(2023, 11, 1), end=date(2023, 11, 2))

    governor_vestland = Institution.objects.create(office=world.vest, name="Statsforvalteren i Vestland")
    InstitutionRegistration.objects.create(
        institution=governor_vestland, status="temporary", valid_from=date(2018, 6, 1)
    )
    InstitutionRegistration.objects.create(
        institution=governor_vestland, status="registered", valid_from=date(2025, 1, 10)
    )
    Institution.objects.create(office=world.vest, name="Helse Bergen, samfunnsmedisin", municipality=bergen)
    governor_nordland = Institution.objects.create(office=world.nord, name="Statsforvalteren i Nordland")
    InstitutionRegistration.objects.create(
        institution=governor_nordland, status="registered", valid_from=date(2023, 1, 1)
    )

    AnnualReport.objects.create(
        office=world.vest,
        year=2024,
        host_municipality=bergen,
        host_unit="Etat for helsetjenester, Enhet for allmennmedisin",
        budget=6_700_000,
        host_cooperation="Ukentlige driftsmøter med kommunen.",
        goals_reached="Alle mål nådd.",
        new_mandate="Nytt mandat fra 01.05.2022: også samfunnsmedisin.",
        community_medicine="Arbeidsmøter med Helsedirektoratet om samfunnsmedisin.",
        working_groups="Nasjonale samarbeidsmøter\nArbeidsgruppe for samfunnsmedisin",
        comments="Ingen.",
        signature_place="Bergen",
        signature_date=date(2025, 3, 30),
        signer_name="Anne Rådgiver",
        signer_title="Leder",
        host_signer_name="Kari Etatsdirektør",
        host_signer_title="Etatsdirektør",
    )
    return type(
        "Known",
        (),
        {
            "world": world,
            "trainings": trainings,
            "governor": governor,
            "municipalities": vest_municipalities,
            "institution": governor_vestland,
        },
    )
