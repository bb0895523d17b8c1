"""Demo data for the office app: staff, partners, outreach activities, inquiries and report texts per office.

Synthetic and reproducible like the rest of the demo set: one `random.Random(seed)`, dates from `today`.
"""

import random
from datetime import date, timedelta

from demo import names
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
from registry.models import County, Doctor, HealthTrust, Municipality, Office, RegistrationStatus

TITLES = ["Seniorrådgiver", "Rådgiver", "Fagansvarlig lege", "Jurist", "Prosjektleder", "Kontorleder"]
PARTNERS = [
    ("Helsedirektoratet", "directorate"),
    ("Statsforvalteren", "county_governor"),
    ("RegUt", "regut"),
    ("KS", "ks"),
    ("Legeforeningen", "medical_association"),
    ("NSDM", "nsdm"),
    ("Allmennmedisinsk forskningsenhet", "university"),
]
THEMES = [
    "Informasjonsmøte om ALIS-tilskudd",
    "Veilederkurs, første samling",
    "Utdanningsplaner i kommunen",
    "Læringsmål og godkjenning",
    "Sykehustjeneste for ALIS",
    "Registrering som utdanningsvirksomhet",
    "Rekruttering i distriktskommuner",
    "Fastlegeordningen og ALIS",
    "Samfunnsmedisin: SAMLIS",
]
PLACES = ["Teams", "Kommunehuset", "Rådhuset", "Legevakta", "Hotell", "Universitetet"]
NOTES = [
    "Spør om tellende tjenestetid ved vikariat",
    "Ønsker mal for ALIS-avtale",
    "Frist for tilskuddssøknad",
    "Godkjenning av læringsmål",
    "Veileder mangler, ber om hjelp",
    "Refusjon for veiledning",
    "Hvordan registrere kommunen",
    "Individuell utdanningsplan",
    "Permisjon og forlenget løp",
]
TOPIC_WEIGHTS = [14, 10, 12, 16, 8, 18, 14, 8]  # in the order of the default topics
GOALS = (
    "Kontoret har fulgt opp alle kommuner i regionen med ALIS, og flere distriktskommuner er registrert som "
    "utdanningsvirksomhet. Veilederkursene ble fulltegnet."
)
# The texts of the demo reports. The mandate's revision from 01.05.2022 and its new tasks are as ALIS Vest's
# annual report for 2022 states them (seed 003); the rest is demo text.
MANDATE = (
    "Det ble utarbeidet nytt mandat for ALIS-kontorene med virkning fra 01.05.2022. Det nye mandatet har gitt "
    "nye oppgaver, blant annet opplæring av LIS1-veiledere, spesialistutdanning i samfunnsmedisin og å bistå "
    "utdanningsvirksomhetene i å holde kvaliteten i spesialistutdanningene."
)
COMMUNITY_MEDICINE = (
    "Kontoret har gitt råd til kommuner og andre virksomheter om registrering som utdanningsvirksomhet i "
    "samfunnsmedisin og deltatt i den nasjonale arbeidsgruppen for samfunnsmedisin."
)
WORKING_GROUPS = (
    "Nasjonale samarbeidsmøter med de andre ALIS-kontorene\n"
    "Arbeidsgruppe for samfunnsmedisin\n"
    "Arbeidsgruppe for tolkning og praktisk bruk av læringsmålene\n"
    "Strategiutvalget, med mandat og prioriterte oppgaver for ALIS-kontorene"
)
ACTIVITY_COMMENTS = [
    "Arrangert sammen med kommunen",
    "Tilbudet sendt ut på e-post og telefon",
    "Godt oppmøte",
    "Digitalt møte",
]


def seed_office(*, seed: int, today: date, inquiries_per_year: int = 220) -> None:
    rng = random.Random(seed + 5)  # noqa: S311 (reproducible demo data)
    topics = list(InquiryTopic.objects.all())
    trusts = list(HealthTrust.objects.all())
    for office in Office.objects.all():
        _seed_one(rng, office, today, topics, trusts, inquiries_per_year)


def _seed_one(rng, office, today, topics, trusts, per_year) -> None:
    staff = []
    for i in range(rng.randint(3, 5)):
        first = rng.choice(names.FEMALE_FIRST_NAMES + names.MALE_FIRST_NAMES)
        percent = rng.choice([100, 100, 80, 50, 20])
        staff.append(
            StaffMember.objects.create(
                office=office,
                name=f"{first} {rng.choice(names.LAST_NAMES)}",
                title=TITLES[i % len(TITLES)],
                position_percent=percent,
                start=date(rng.randint(2017, today.year - 1), rng.choice([1, 3, 8]), 1),
                comment="timelønnet" if percent == 20 else "",
            )
        )
    partners = [Partner(office=office, name=name, kind=kind) for name, kind in PARTNERS]
    office_trusts = [t for t in trusts if t.municipalities.filter(county__office=office).exists()][:3]
    partners += [Partner(office=office, name=str(t), kind="health_trust") for t in office_trusts]
    Partner.objects.bulk_create(partners)
    partners = list(Partner.objects.filter(office=office))
    municipalities = list(Municipality.objects.in_office(office.pk))
    doctors = list(Doctor.objects.filter(trainings__employer__county__office=office).distinct()[:200])
    through = Activity.partners.through
    links = []
    for year in (today.year - 1, today.year):
        last = min(today, date(year, 12, 31))
        for _ in range(rng.randint(20, 35) if year < today.year else rng.randint(5, 15)):
            day = date(year, 1, 1) + timedelta(days=rng.randint(0, (last - date(year, 1, 1)).days))
            kind = rng.choices(["course", "meeting", "conference", "teams"], weights=[2, 5, 1, 5])[0]
            activity = Activity.objects.create(
                office=office,
                date=day,
                kind=kind,
                theme=rng.choice(THEMES),
                place="Teams" if kind == "teams" else rng.choice(PLACES),
                with_whom=", ".join(m.name for m in rng.sample(municipalities, min(2, len(municipalities)))),
                participants=rng.randint(4, 60),
                comment=rng.choice(ACTIVITY_COMMENTS) if rng.random() < 0.3 else "",
            )
            if rng.random() < 0.5:
                links += [through(activity_id=activity.pk, partner_id=p.pk) for p in rng.sample(partners, 1)]
        count = per_year if year < today.year else per_year * today.timetuple().tm_yday // 365
        rows = []
        chosen_topics = []
        for _ in range(count):
            day = date(year, 1, 1) + timedelta(days=rng.randint(0, (last - date(year, 1, 1)).days))
            sender = rng.choices(["municipality", "alis", "supervisor", "health_trust", "other"], [45, 25, 15, 5, 10])[
                0
            ]
            rows.append(
                Inquiry(
                    office=office,
                    date=day,
                    channel=rng.choices(["phone", "email", "meeting", "teams"], [4, 5, 1, 2])[0],
                    sender=sender,
                    municipality=rng.choice(municipalities) if sender == "municipality" and municipalities else None,
                    doctor=rng.choice(doctors) if sender in ("alis", "supervisor") and doctors else None,
                    health_trust=rng.choice(trusts) if sender == "health_trust" and trusts else None,
                    minutes=rng.choice([5, 10, 10, 15, 20, 30, 45, 60]),
                    note=rng.choice(NOTES),
                    status="open" if day > today - timedelta(days=14) and rng.random() < 0.4 else "answered",
                )
            )
            chosen_topics.append(
                set(rng.choices(topics, weights=TOPIC_WEIGHTS[: len(topics)], k=rng.choice([1, 1, 1, 2])))
            )
        created = Inquiry.objects.bulk_create(rows, batch_size=500)
        topic_through = Inquiry.topics.through
        topic_through.objects.bulk_create(
            [
                topic_through(inquiry_id=i.pk, inquirytopic_id=t.pk)
                for i, ts in zip(created, chosen_topics, strict=True)
                for t in ts
            ],
            batch_size=1000,
        )
    through.objects.bulk_create(links)
    _institutions(rng, office, today)
    # The host municipality is where the office is (GLOSSARY); the budget is left «ikke oppgitt»: no demo figure.
    host = Municipality.objects.in_office(office.pk).filter(name_norwegian=office.location).first()
    AnnualReport.objects.create(
        office=office,
        year=today.year - 1,
        host_municipality=host,
        goals_reached=GOALS,
        new_mandate=MANDATE,
        community_medicine=COMMUNITY_MEDICINE,
        working_groups=WORKING_GROUPS,
        comments="",
        signature_place=office.location,
        signer_name=staff[0].name,
        signer_title=staff[0].title,
    )


def _institutions(rng, office, today) -> None:
    """The county governors of the region as other training institutions in community medicine."""
    for county in County.objects.filter(office=office):
        institution = Institution.objects.create(office=office, name=f"Statsforvalteren i {county.name}")
        status = rng.choice([RegistrationStatus.REGISTERED, RegistrationStatus.TEMPORARY, RegistrationStatus.PENDING])
        InstitutionRegistration.objects.create(
            institution=institution,
            status=status,
            valid_from=date(rng.randint(2019, today.year - 1), rng.randint(1, 12), 1),
        )


def remove_office_data() -> None:
    for model in (AnnualReport, Inquiry, Activity, Partner, StaffMember, Institution):
        model.objects.all().delete()
