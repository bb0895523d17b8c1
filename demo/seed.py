"""A realistic, synthetic demo data set: GP offices, regular GPs, ALIS with their history, and users.

Everything here is made up and reproducible: the same seed and the same reference date give the same
rows, because every random choice comes from one `random.Random(seed)` and every date is computed from
the reference date ("today"), never from the clock. It builds on the reference data (offices, counties,
municipalities from `manage.py load_reference`) and never creates municipalities itself.

Seeded rows are not a user's change, so no history (`core.Change`) is written for them.
"""

import math
import random
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from accounts.models import Role, User
from core.models import Read
from demo import names
from demo.seed_courses import remove_course_data, seed_courses
from demo.seed_followup import remove_followup_data, seed_followup
from demo.seed_gp_lists import remove_gp_lists, seed_gp_lists
from demo.seed_grants import remove_grant_data, seed_grants
from demo.seed_office import remove_office_data, seed_office
from demo.seed_supervision import seed_groups, seed_supervision
from demo.seed_survey import remove_survey_data, seed_survey
from demo.seed_website import remove_website_data, seed_website
from demo.trusts import HEALTH_TRUSTS, catchment_trust_name
from registry.models import (
    Contact,
    County,
    Doctor,
    GpOffice,
    HealthTrust,
    Municipality,
    Office,
    Registration,
    RegistrationStatus,
    Specialty,
)
from supervision.models import SupervisionGroup
from training import rules, schemes
from training.models import (
    ONGOING,
    Contract,
    LeavingDestination,
    LeavingReason,
    OldSchemeOutcome,
    Scheme,
    ServicePeriod,
    ShiftCount,
    Status,
    SupervisorAssignment,
    Training,
)

Kind = ServicePeriod.Kind

# The documented demo password, printed by seed_demo: these accounts exist only in demo databases.
DEMO_PASSWORD = "alis-demo-2026"  # noqa: S105
FIRST_START = date(2017, 1, 1)
BATCH_SIZE = 500
GPS_PER_OFFICE = 3.1
SPECIALIST_SHARE = 0.6  # share of regular GPs who are specialists in general practice
EMAIL_DOMAIN_DOCTORS = "lege.example"  # RFC 2606 reserved top-level domain: never a real address
EMAIL_DOMAIN_MUNICIPALITIES = "kommune.example"


class SeedError(Exception):
    """The database is not ready for demo data (in Norwegian, for the command line)."""


@dataclass(frozen=True)
class Scale:
    regular_gps: int
    trainings: int
    every_municipality: bool  # at least one GP office and regular GP in each municipality


SIZES = {
    "national": Scale(regular_gps=5000, trainings=3000, every_municipality=True),
    "small": Scale(regular_gps=500, trainings=300, every_municipality=False),
    # Twice national: to check that pages do not grow with the data (the benchmark's `--size 2x`).
    "2x": Scale(regular_gps=10000, trainings=6000, every_municipality=True),
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    office_code: str | None
    description: str
    superuser: bool = False


DEMO_USERS = (
    DemoUser("vest", Role.OFFICE_STAFF, "vest", "rådgiver, ALIS-kontor Vest"),
    DemoUser("nord", Role.OFFICE_STAFF, "nord", "rådgiver, ALIS-kontor Nord"),
    DemoUser("midt", Role.OFFICE_STAFF, "midt", "rådgiver, ALIS-kontor Midt"),
    DemoUser("sor", Role.OFFICE_STAFF, "sor", "rådgiver, ALIS-kontor Sør"),
    DemoUser("ost", Role.OFFICE_STAFF, "ost", "rådgiver, ALIS-kontor Øst"),
    DemoUser("oslo", Role.OFFICE_STAFF, "oslo", "rådgiver, ALIS-kontor Oslo"),
    DemoUser("koordinator", Role.COORDINATOR, "vest", "nasjonal koordinator (ALIS-kontor Vest)"),
    DemoUser("hdir", Role.READER, None, "Helsedirektoratet: bare aggregerte tall"),
    DemoUser("admin", Role.ADMIN, None, "administrator (også Django-admin)", superuser=True),
)
DEMO_USERNAMES = tuple(user.username for user in DEMO_USERS)
# Where the office codes of load_reference are unknown, each office is found by a county it covers.
OFFICE_COUNTIES = {"vest": "46", "nord": "18", "midt": "50", "sor": "42", "ost": "34", "oslo": "03"}

# Rough number of inhabitants (thousands, 2024) of the larger municipalities, used only to weight where
# the demo puts GPs and ALIS. Public order-of-magnitude figures, rounded; not reference data.
APPROX_POPULATION = {
    "0301": 717,
    "4601": 291,
    "5001": 214,
    "1103": 146,
    "3201": 130,
    "4204": 116,
    "3301": 103,
    "3203": 97,
    "3205": 92,
    "3107": 84,
    "1108": 83,
    "5501": 78,
    "1508": 68,
    "3907": 65,
    "3207": 62,
    "3105": 59,
    "3905": 58,
    "4003": 56,
    "1804": 53,
    "3103": 50,
    "3909": 48,
    "3222": 47,
    "4203": 46,
    "3118": 46,
    "1149": 43,
    "3209": 42,
    "4626": 40,
    "1106": 38,
    "4001": 37,
    "3411": 35,
    "1506": 33,
    "3403": 32,
    "3101": 32,
    "3407": 31,
    "3305": 31,
    "4627": 30,
    "4631": 30,
    "3405": 29,
    "3303": 28,
    "1124": 28,
    "3312": 28,
    "3901": 28,
    "3911": 27,
    "3240": 27,
    "4624": 26,
    "1833": 26,
    "3903": 26,
    "5503": 25,
    "5035": 25,
    "3232": 25,
    "5006": 24,
    "1505": 24,
    "4202": 24,
    "4205": 23,
    "3420": 22,
    "4647": 22,
    "5601": 21,
    "1806": 21,
    "5037": 20,
    "1121": 20,
    "1120": 20,
    "3314": 20,
    "5059": 19,
    "4614": 19,
    "3401": 18,
    "4621": 16,
    "5530": 15,
    "5007": 15,
    "1860": 11,
    "5603": 11,
}
# The rest by centrality class; an unknown class counts as middling.
POPULATION_BY_CENTRALITY = {1: 40, 2: 15, 3: 9, 4: 6, 5: 3.5, 6: 2, None: 5}

CONTRACT_WEIGHTS = {
    Contract.SELF_EMPLOYED: 47,
    Contract.SALARIED: 33,
    Contract.LOCUM: 10,
    Contract.MUNICIPAL_NO_LIST: 10,
}
COMMUNITY_MEDICINE_CONTRACTS = {Contract.SALARIED: 70, Contract.MUNICIPAL_NO_LIST: 30}
# Why ALIS leave and where they go, weighted after the reasons the follow-up research found (seed 002).
LEAVINGS = {
    (LeavingReason.FAMILY, LeavingDestination.OTHER_MUNICIPALITY): 25,
    (LeavingReason.NOT_GENERAL_PRACTICE, LeavingDestination.HOSPITAL): 20,
    (LeavingReason.PAY_AND_CONDITIONS, LeavingDestination.OTHER_MUNICIPALITY): 10,
    (LeavingReason.NOT_GENERAL_PRACTICE, LeavingDestination.OTHER): 10,
    (LeavingReason.PAY_AND_CONDITIONS, LeavingDestination.HOSPITAL): 8,
    (LeavingReason.MUNICIPAL_JOB, LeavingDestination.SAME_MUNICIPALITY): 8,
    (LeavingReason.FAMILY, ""): 7,
    (LeavingReason.OTHER, ""): 7,
    (LeavingReason.OTHER, LeavingDestination.OTHER): 5,
}
NO_LEAVING = ("", "")
START_YEAR_WEIGHTS = {2017: 6, 2018: 7, 2019: 8, 2020: 9, 2021: 10}  # later years: 12
LIST_CONTRACTS = (Contract.SELF_EMPLOYED, Contract.SALARIED)


@dataclass
class SeedResult:
    size: str
    seed: int
    today: date
    counts: dict[str, int]
    users: list[DemoUser]


# Small pure helpers


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, 28))


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def slug(text: str) -> str:
    """Text for an e-mail address: 'Bjørg Sæther' → 'bjorg-saether'."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())


def allocate(total: int, weights: Sequence[float], rng: random.Random, minimum: int = 0) -> list[int]:
    """Split `total` into whole numbers in proportion to `weights`, each at least `minimum`.

    The whole parts are given out first; what is left goes by weighted draw without replacement on
    the fractional parts, so small weights still get a share now and then.
    """
    count = len(weights)
    rest = total - minimum * count
    if rest < 0:
        raise ValueError("total is smaller than the minimum for every share")
    weight_sum = sum(weights)
    exact = [rest * w / weight_sum for w in weights]
    result = [minimum + int(x) for x in exact]
    remaining = total - sum(result)
    fractions = [x - int(x) for x in exact]
    # Efraimidis–Spirakis: weighted sampling without replacement.
    keys = sorted(
        range(count), key=lambda i: rng.random() ** (1 / fractions[i]) if fractions[i] > 0 else -1, reverse=True
    )
    for i in keys[:remaining]:
        result[i] += 1
    return result


def _weighted[K](rng: random.Random, weights: dict[K, float]) -> K:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _between(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return first
    return first + timedelta(days=rng.randint(0, (last - first).days))


# The world the seeder works in


@dataclass(eq=False)
class _Place:
    municipality: Municipality
    county_number: str
    weight: float
    latitude: float
    longitude: float
    trust: HealthTrust | None = None
    gp_target: int = 0
    offices: list[GpOffice] = field(default_factory=list)
    office_weights: list[float] = field(default_factory=list)
    specialists: list[Doctor] = field(default_factory=list)
    regular_gps: int = 0
    chief_medical_officer: tuple[str, str] = ("", "")
    community_supervisors: list[Doctor] = field(default_factory=list)
    nearby: list["_Place"] = field(default_factory=list)

    @property
    def number(self) -> str:
        return self.municipality.number


@dataclass(eq=False)
class _Plan:
    training: Training
    place: _Place
    periods: list[ServicePeriod]
    chain: "_Chain"


@dataclass(eq=False)
class _Chain:
    doctor: Doctor
    plans: list[_Plan] = field(default_factory=list)


class _Seeder:
    def __init__(self, *, scale: Scale, seed: int, today: date) -> None:
        self.scale = scale
        # Reproducible synthetic data, nothing to do with security.
        self.rng = random.Random(seed)  # noqa: S311
        # The old scheme's shifts and outcomes draw from their own generator, so the rest stays as it was.
        self.old_rng = random.Random(f"{seed}-old-scheme")  # noqa: S311
        self.shift_counts: list[ShiftCount] = []
        self.outcomes: list[OldSchemeOutcome] = []
        self.today = today
        self.doctors: list[Doctor] = []
        self.plans: list[_Plan] = []
        self.assignments: list[SupervisorAssignment] = []
        self.load: Counter[int] = Counter()
        self.capacity: dict[int, int] = {}
        self.emails: Counter[str] = Counter()

    # Places, trusts and GP offices

    def places(self, trusts: dict[str, HealthTrust]) -> list[_Place]:
        municipalities = list(Municipality.objects.select_related("county").order_by("number"))
        places = []
        for m in municipalities:
            population = APPROX_POPULATION.get(m.number, POPULATION_BY_CENTRALITY.get(m.centrality, 5))
            # Small municipalities have more GPs per inhabitant.
            weight = population * (1.5 if population < 5 else 1.0)
            places.append(
                _Place(
                    municipality=m,
                    county_number=m.county.number,
                    weight=weight,
                    latitude=m.latitude if m.latitude is not None else math.nan,
                    longitude=m.longitude if m.longitude is not None else math.nan,
                    trust=trusts.get(catchment_trust_name(m, m.county.number) or ""),
                )
            )
        self._fill_missing_coordinates(places)
        for place in places:
            place.nearby = sorted((p for p in places if p is not place), key=lambda p: self._distance(place, p))[:30]
        minimum = 1 if self.scale.every_municipality and self.scale.regular_gps >= len(places) else 0
        targets = allocate(self.scale.regular_gps, [p.weight for p in places], self.rng, minimum)
        for place, target in zip(places, targets, strict=True):
            place.gp_target = target
        return places

    @staticmethod
    def _fill_missing_coordinates(places: list[_Place]) -> None:
        """A municipality without a point (Haram) is put at its county's average point."""
        for place in places:
            if math.isnan(place.latitude):
                same = [p for p in places if p.county_number == place.county_number and not math.isnan(p.latitude)]
                place.latitude = sum(p.latitude for p in same) / len(same) if same else 63.0
                place.longitude = sum(p.longitude for p in same) / len(same) if same else 10.0

    @staticmethod
    def _distance(a: _Place, b: _Place) -> float:
        x = (b.longitude - a.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
        return math.hypot(x, b.latitude - a.latitude)

    def gp_offices(self, places: list[_Place]) -> list[GpOffice]:
        rng = self.rng
        offices = []
        for place in places:
            if place.gp_target == 0:
                continue
            count = max(1, min(place.gp_target, round(place.gp_target / GPS_PER_OFFICE)))
            town = place.municipality.name_norwegian
            taken: set[str] = set()
            for i in range(count):
                if i == 0 and count <= 3:
                    name = f"{town} legekontor" if count == 1 else f"{town} legesenter"
                else:
                    name = f"{rng.choice(names.OFFICE_PLACES)} {rng.choice(names.OFFICE_SUFFIXES)}"
                    if rng.random() < 0.15:
                        name = f"Legegruppen {rng.choice(names.OFFICE_PLACES)}"
                name = _free_name(name, taken, rng, town)
                taken.add(name)
                office = GpOffice(
                    name=name,
                    municipality=place.municipality,
                    address=f"{rng.choice(names.STREETS)} {rng.randint(1, 120)}",
                    postal_place=town,
                )
                place.offices.append(office)
                place.office_weights.append(rng.uniform(0.5, 2.5))
                offices.append(office)
        return offices

    # People

    def person(self) -> tuple[str, str]:
        first = self.rng.choice(names.FEMALE_FIRST_NAMES if self.rng.random() < 0.55 else names.MALE_FIRST_NAMES)
        return first, self.rng.choice(names.LAST_NAMES)

    def email(self, first: str, last: str, domain: str) -> str:
        local = f"{slug(first)}.{slug(last)}"
        self.emails[f"{local}@{domain}"] += 1
        number = self.emails[f"{local}@{domain}"]
        return f"{local}{number if number > 1 else ''}@{domain}"

    def doctor(self, **fields: object) -> Doctor:
        first, last = self.person()
        doctor = Doctor(first_name=first, last_name=last, **fields)
        self.doctors.append(doctor)
        return doctor

    def list_size(self, *, alis: bool) -> tuple[int, int]:
        if alis:
            size = round(self.rng.triangular(400, 1300, 800), -1)
        else:
            size = round(self.rng.triangular(400, 1600, 1050), -1)
        # About a third of the lists are open: room for more than 20 patients (SSB table 07388).
        room = self.rng.randint(25, 300) if self.rng.random() < 0.33 else self.rng.randint(-30, 20)
        return int(size), max(int(size + room), 100)

    def office_in(self, place: _Place) -> GpOffice | None:
        if not place.offices:
            return None
        return self.rng.choices(place.offices, weights=place.office_weights)[0]

    # Trainings

    def start_date(self) -> date:
        rng = self.rng
        years = list(range(FIRST_START.year, self.today.year + 1))
        weights = [START_YEAR_WEIGHTS.get(year, 12) for year in years]
        weights[-1] *= (self.today.timetuple().tm_yday) / 365
        while True:
            year = rng.choices(years, weights=weights)[0]
            day = date(year, rng.randint(1, 12), 1 if rng.random() < 0.65 else rng.randint(2, 28))
            if FIRST_START <= day <= self.today:
                return day

    def trainings(self, places: list[_Place]) -> None:
        with_offices = [p for p in places if p.offices]
        cumulative = list(_cumulate(p.gp_target for p in with_offices))
        while len(self.plans) < self.scale.trainings:
            place = self.rng.choices(with_offices, cum_weights=cumulative)[0]
            first, last = self.person()
            chain = _Chain(doctor=Doctor(first_name=first, last_name=last))
            self.doctors.append(chain.doctor)
            plan = self.training(chain=chain, place=place, start=self.start_date())
            # Some who leave move on to train in a nearby municipality (a second course of training).
            while (
                plan.training.leaving_destination == LeavingDestination.OTHER_MUNICIPALITY
                and len(chain.plans) < 3
                and len(self.plans) < self.scale.trainings
                and self.rng.random() < 0.6
            ):
                start = plan.training.ended_on + timedelta(days=self.rng.randint(14, 150))
                if start > self.today:
                    break
                nearby = [p for p in place.nearby[:12] if p.offices] or [place]
                place = self.rng.choice(nearby)
                # One who moves keeps the old scheme (the start in the specialty counts, not this employer's);
                # some take the chance to go over to the new one.
                keep_old = plan.training.scheme == Scheme.OLD and self.old_rng.random() < 0.7
                plan = self.training(
                    chain=chain,
                    place=place,
                    start=start,
                    specialty=plan.training.specialty,
                    scheme=Scheme.OLD if keep_old else Scheme.NEW,
                )

    def training(
        self, *, chain: _Chain, place: _Place, start: date, specialty: str | None = None, scheme: str | None = None
    ) -> _Plan:
        rng, today = self.rng, self.today
        if specialty is None:
            community = rng.random() < (0.15 if start >= date(2022, 1, 1) else 0.05)
            specialty = Specialty.COMMUNITY_MEDICINE if community else Specialty.GENERAL_PRACTICE
        community = specialty == Specialty.COMMUNITY_MEDICINE
        if scheme is None:
            # Not everyone who could stay on the old scheme did; many converted.
            old = rules.is_old_scheme_allowed(start) and rng.random() < 0.55
            scheme = Scheme.OLD if old else Scheme.NEW
        contract = _weighted(rng, COMMUNITY_MEDICINE_CONTRACTS if community else CONTRACT_WEIGHTS)
        share = 100 if rng.random() < 0.85 else rng.choice((60, 70, 75, 80))
        status, ended_on, (reason, destination) = self.outcome(start, share)
        if scheme == Scheme.OLD:
            status, ended_on, (reason, destination) = self.old_scheme_course(
                chain, start, (status, ended_on, (reason, destination))
            )
        stop = ended_on or today

        leaves = self.leaves(start, stop, status)
        hospital = self.done_hospital(start, stop, status, scheme, community, leaves)
        expected_end = self.expected_end(
            chain, start=start, share=share, leaves=leaves, specialty=specialty, scheme=scheme
        )
        if status == Status.COMPLETED and ended_on is not None and leaves:
            ended_on = min(today, max(ended_on, expected_end - timedelta(days=30)))
            stop = ended_on

        gp_office = None
        if not community and (contract != Contract.MUNICIPAL_NO_LIST or rng.random() < 0.5):
            gp_office = self.office_in(place)
        training = Training(
            doctor=chain.doctor,
            specialty=specialty,
            employer=place.municipality,
            gp_office=gp_office,
            scheme=scheme,
            contract=contract,
            position_share=share,
            start=start,
            specialty_started=chain.plans[0].training.start if chain.plans else None,
            expected_end=expected_end,
            status=status,
            ended_on=ended_on,
            leaving_reason=reason,
            leaving_destination=destination,
        )
        plan = _Plan(training=training, place=place, periods=[], chain=chain)
        plan.periods = self.periods(plan, stop=stop, leaves=leaves, hospital=hospital)
        chain.plans.append(plan)
        self.plans.append(plan)
        return plan

    @staticmethod
    def expected_end(
        chain: _Chain, *, start: date, share: int, leaves: list[tuple[date, date]], specialty: str, scheme: str
    ) -> date:
        """As the training page computes it: the scheme's years at the share, leave holding the clock, less what the
        doctor served in earlier courses of training in the specialty (Training.compute_expected_end)."""
        rule_set = schemes.RULE_SETS[(specialty, scheme)]
        earlier = [
            period.as_rule_period()
            for plan in chain.plans
            if plan.training.specialty == specialty
            for period in plan.periods
        ]
        served = rules.count_service(earlier, rule_set, on=start - timedelta(days=1)).total if earlier else 0
        return rules.expected_end(
            start=start,
            position_share=share,
            leave=[rules.Period(schemes.LEAVE, begin, end, 100) for begin, end in leaves],
            total_years=rule_set.total_years,
            served_before=served,
        )

    def old_scheme_course(
        self, chain: _Chain, start: date, outcome: tuple[str, date | None, tuple[str, str]]
    ) -> tuple[str, date | None, tuple[str, str]]:
        """Old-scheme ALIS are often late (why the deadline was moved to 2026): some are still going, some moved to
        another municipality after March 2019 and carry on there under the old rules."""
        rng, today = self.old_rng, self.today
        status = outcome[0]
        if chain.plans:
            five_years = add_years(chain.plans[0].training.start, rules.REQUIRED_YEARS)
            earliest = max(start + timedelta(days=180), five_years)
            if earliest > today or rng.random() < 0.6:
                return Status.ACTIVE, None, NO_LEAVING
            return Status.COMPLETED, _between(rng, earliest, today), NO_LEAVING
        if start < rules.NEW_SCHEME_START and rng.random() < 0.25:
            ended = _between(rng, max(start + timedelta(days=365), date(2019, 4, 1)), min(today, date(2023, 6, 30)))
            if ended > start:
                return Status.LEFT, ended, (LeavingReason.FAMILY, LeavingDestination.OTHER_MUNICIPALITY)
        if status == Status.COMPLETED and rng.random() < 0.3:
            return Status.ACTIVE, None, NO_LEAVING
        return outcome

    def outcome(self, start: date, share: int) -> tuple[str, date | None, tuple[str, str]]:
        rng, today = self.rng, self.today
        nominal_end = rules.expected_end(start=start, position_share=share)
        five_years = add_years(start, rules.REQUIRED_YEARS)
        elapsed = (today - start).days
        if nominal_end <= today and five_years <= today:
            draw = rng.random()
            if draw < 0.72:
                ended = nominal_end + timedelta(days=rng.randint(-30, 300))
                return Status.COMPLETED, min(max(ended, five_years), today), NO_LEAVING
            if draw < 0.87:
                ended = _between(rng, start + timedelta(days=180), min(today, nominal_end))
                return Status.LEFT, ended, _weighted(rng, LEAVINGS)
        elif elapsed > 120 and rng.random() < min(0.25, 0.045 * elapsed / 365):
            ended = start + timedelta(days=rng.randint(90, elapsed))
            return Status.LEFT, ended, _weighted(rng, LEAVINGS)
        if elapsed > 240 and rng.random() < 0.06:
            return Status.LEAVE, None, NO_LEAVING
        return Status.ACTIVE, None, NO_LEAVING

    def leaves(self, start: date, stop: date, status: str) -> list[tuple[date, date]]:
        """Leave periods (mostly parental leave) as (first day, last day), oldest first."""
        rng, today = self.rng, self.today
        leaves = []
        current = None
        if status == Status.LEAVE:
            begin = max(start + timedelta(days=180), today - timedelta(days=rng.randint(20, 240)))
            current = (begin, today + timedelta(days=rng.randint(30, 300)))
        latest_end = (current[0] if current else stop) - timedelta(days=60)
        if rng.random() < 0.12 and latest_end - start > timedelta(days=400):
            begin = first_of_month(_between(rng, start + timedelta(days=180), latest_end - timedelta(days=120)))
            end = min(add_months(begin, rng.randint(3, 11)) - timedelta(days=1), latest_end)
            if end > begin:
                leaves.append((begin, end))
        if current:
            leaves.append(current)
        return leaves

    def done_hospital(
        self, start: date, stop: date, status: str, scheme: str, community: bool, leaves: list[tuple[date, date]]
    ) -> tuple[date, date] | None:
        rng = self.rng
        months = 12 if scheme == Scheme.OLD or community else 6
        years = (stop - start).days / rules.DAYS_PER_YEAR
        if status == Status.COMPLETED:
            wanted = True
        elif years >= 2.5:
            wanted = rng.random() < (0.35 if community else 0.45)
        else:
            wanted = years >= 1.5 and rng.random() < 0.15
        if not wanted:
            return None
        first = add_months(first_of_month(start), 12)
        last = add_months(first_of_month(stop), -months - 1)
        if last < first:
            return None
        for _attempt in range(5):
            begin = first_of_month(_between(rng, first, last))
            end = add_months(begin, months) - timedelta(days=1)
            if not any(begin <= leave_end and leave_begin <= end for leave_begin, leave_end in leaves):
                return begin, end
        return None

    def periods(
        self, plan: _Plan, *, stop: date, leaves: list[tuple[date, date]], hospital: tuple[date, date] | None
    ) -> list[ServicePeriod]:
        """Service periods from start to the end (or today): base work split around leave and hospital."""
        rng, training = self.rng, plan.training
        events: list[tuple[date, date, str]] = [(b, e, Kind.LEAVE) for b, e in leaves]
        if hospital:
            events.append((hospital[0], hospital[1], Kind.HOSPITAL))
        events.sort()
        periods: list[ServicePeriod] = []
        cursor = training.start
        ongoing = training.status in ONGOING
        for begin, end, kind in events:
            if begin > cursor:
                periods += self.base_periods(plan, cursor, begin - timedelta(days=1), open_end=False)
            periods.append(self.event_period(plan, kind, begin, end))
            cursor = end + timedelta(days=1)
        if cursor <= stop:
            periods += self.base_periods(plan, cursor, stop, open_end=ongoing)
        wants = 0.25 if training.specialty == Specialty.COMMUNITY_MEDICINE else 0.75
        if ongoing and hospital is None and rng.random() < wants:
            periods.append(self.planned_hospital(plan, after=max([self.today, *(e for _, e in leaves)])))
        return periods

    def base_kind(self, plan: _Plan) -> str:
        training, rng = plan.training, self.rng
        if training.specialty == Specialty.COMMUNITY_MEDICINE:
            return Kind.COMMUNITY_MEDICINE
        if training.contract == Contract.MUNICIPAL_NO_LIST:
            return Kind.OPEN_PRACTICE if rng.random() < 0.35 else Kind.OTHER_MUNICIPAL
        return Kind.OTHER_MUNICIPAL if rng.random() < 0.12 else Kind.OPEN_PRACTICE

    def base_periods(self, plan: _Plan, begin: date, end: date, *, open_end: bool) -> list[ServicePeriod]:
        """Base work in pieces of one to two and a half years; the last one open when still going on."""
        periods = []
        while True:
            piece_end = add_months(begin, self.rng.randint(12, 30)) - timedelta(days=1)
            last = piece_end >= end - timedelta(days=120)  # no stub of a few weeks at the end
            kind = self.base_kind(plan)
            periods.append(
                ServicePeriod(
                    training=plan.training,
                    kind=kind,
                    place=self.place_name(plan, kind),
                    start=begin,
                    end=piece_end if not last else None if open_end else end,
                    share=plan.training.position_share,
                )
            )
            if last:
                return periods
            begin = piece_end + timedelta(days=1)

    def place_name(self, plan: _Plan, kind: str) -> str:
        rng = self.rng
        if kind == Kind.OPEN_PRACTICE:
            return plan.training.gp_office.name if plan.training.gp_office else ""
        if kind == Kind.OTHER_MUNICIPAL:
            return f"{rng.choice(names.OTHER_MUNICIPAL_PLACES)}, {plan.place.municipality.name_norwegian}"
        if kind == Kind.COMMUNITY_MEDICINE:
            return f"{rng.choice(names.COMMUNITY_MEDICINE_PLACES)}, {plan.place.municipality.name_norwegian}"
        if kind == Kind.HOSPITAL:
            return rng.choice(names.HOSPITAL_PLACES)
        if kind == Kind.LEAVE:
            return "Foreldrepermisjon" if rng.random() < 0.8 else "Permisjon"
        return ""

    def event_period(self, plan: _Plan, kind: str, begin: date, end: date) -> ServicePeriod:
        return ServicePeriod(
            training=plan.training,
            kind=kind,
            health_trust=plan.place.trust if kind == Kind.HOSPITAL else None,
            place=self.place_name(plan, kind),
            start=begin,
            end=end,
            share=100 if kind == Kind.LEAVE else plan.training.position_share,
        )

    def planned_hospital(self, plan: _Plan, *, after: date) -> ServicePeriod:
        """The hospital service the ALIS wants, in one of the next six half-years (the next three years)."""
        next_half_year = rules.half_years(after, 2)[1][0]
        options = rules.half_years(next_half_year, 6)
        before_end = [o for o in options if o[0] < plan.training.expected_end] or options[:1]
        weights = [6, 5, 4, 3, 2, 1][: len(before_end)]
        begin, end = self.rng.choices(before_end, weights=weights)[0]
        if plan.training.scheme == Scheme.OLD or plan.training.specialty == Specialty.COMMUNITY_MEDICINE:
            end = add_years(begin, 1) - timedelta(days=1)
        period = self.event_period(plan, Kind.HOSPITAL, begin, end)
        period.planned = True
        return period

    # The old scheme: on-call shifts and what became of each at the deadline

    def old_scheme(self) -> None:
        """Shifts reported for most old-scheme ALIS (about ten a year of general practice, not always enough), and the
        outcomes the office has recorded a month before the deadline: approvals for those who finished, applications
        waiting, some going over to the new scheme, some who left; many not yet recorded."""
        rng, today = self.old_rng, self.today
        for plan in self.plans:
            training = plan.training
            if training.scheme != Scheme.OLD:
                continue
            stop = training.ended_on or today
            reported = training.status == Status.COMPLETED or rng.random() >= 0.15
            if reported:
                years = max(0.0, (stop - (training.specialty_started or training.start)).days / rules.DAYS_PER_YEAR)
                total = int(years * rng.uniform(3, 10))
                if training.status == Status.COMPLETED:
                    total = max(total, 40 + rng.randint(0, 25))
                reports = sorted({_between(rng, training.start, stop) for _ in range(rng.randint(1, 3))})
                for index, day in enumerate(reports, start=1):
                    self.shift_counts.append(
                        ShiftCount(training=training, counted_on=day, shifts=total * index // len(reports))
                    )
            if outcome := self.old_scheme_outcome(training):
                self.outcomes.append(outcome)

    def old_scheme_outcome(self, training: Training) -> OldSchemeOutcome | None:
        rng, today = self.old_rng, self.today
        Kind = OldSchemeOutcome.Kind
        draw = rng.random()
        if training.status == Status.COMPLETED and training.ended_on >= date(2024, 1, 1):
            kind = Kind.APPROVED if draw < 0.7 else Kind.APPLIED
            day = min(today, training.ended_on + timedelta(days=rng.randint(10, 120)))
        elif (
            training.status == Status.LEFT
            and training.leaving_destination != LeavingDestination.OTHER_MUNICIPALITY
            and draw < 0.6
        ):
            kind, day = Kind.LEFT, training.ended_on
        elif training.status in ONGOING and training.expected_end <= today + timedelta(days=60) and draw < 0.4:
            kind, day = Kind.APPLIED, _between(rng, max(training.start, today - timedelta(days=240)), today)
        elif training.status in ONGOING and draw > 0.85:
            kind, day = Kind.CONTINUES_NEW, _between(rng, max(training.start, date(2024, 1, 1)), today)
        else:
            return None
        return OldSchemeOutcome(training=training, outcome=kind, decided_on=day)

    # Doctors: the ALIS themselves, the other regular GPs, the supervisors

    def alis_doctors(self) -> None:
        """Where each ALIS works now, from the last of their courses of training."""
        rng, today = self.rng, self.today
        chains = {id(plan.chain): plan.chain for plan in self.plans}
        for chain in chains.values():
            last = chain.plans[-1]
            training, place, doctor = last.training, last.place, chain.doctor
            community = training.specialty == Specialty.COMMUNITY_MEDICINE
            doctor.municipality = place.municipality
            if training.status in ONGOING:
                doctor.email = self.email(doctor.first_name, doctor.last_name, EMAIL_DOMAIN_DOCTORS)
                doctor.gp_office = training.gp_office
                if not community and training.contract in LIST_CONTRACTS:
                    self.make_regular(doctor, place, alis=True)
            elif training.status == Status.COMPLETED:
                since = training.ended_on + timedelta(days=rng.randint(30, 120))
                if not community and since <= today:
                    doctor.is_specialist, doctor.specialist_since = True, since
                if not community and rng.random() < 0.7:
                    doctor.gp_office = training.gp_office or self.office_in(place)
                    self.make_regular(doctor, place, alis=False)
            elif training.leaving_destination == LeavingDestination.OTHER_MUNICIPALITY:
                doctor.municipality = rng.choice(place.nearby[:20]).municipality
            elif training.leaving_destination == LeavingDestination.HOSPITAL:
                doctor.municipality = None  # works in a hospital now
            else:
                doctor.municipality = place.municipality if rng.random() < 0.5 else None

    def make_regular(self, doctor: Doctor, place: _Place, *, alis: bool) -> None:
        doctor.is_regular_gp = True
        doctor.list_size, doctor.list_capacity = self.list_size(alis=alis)
        place.regular_gps += 1
        if doctor.is_specialist:
            place.specialists.append(doctor)

    def other_regular_gps(self, places: list[_Place]) -> None:
        """Fill each municipality up to its number of regular GPs; about 60 % are specialists overall."""
        rng, today = self.rng, self.today
        fillers = [max(0, p.gp_target - p.regular_gps) for p in places]
        regular = sum(p.regular_gps for p in places) + sum(fillers)
        specialists = sum(len(p.specialists) for p in places)
        share = min(1.0, max(0.0, (SPECIALIST_SHARE * regular - specialists) / max(1, sum(fillers))))
        years = list(range(1988, today.year))
        staffed = Counter(id(d.gp_office) for d in self.doctors if d.gp_office is not None)
        for place, count in zip(places, fillers, strict=True):
            empty = [o for o in place.offices if not staffed[id(o)]]
            for _ in range(count):
                office = empty.pop(0) if empty else self.office_in(place)
                doctor = self.doctor(municipality=place.municipality, gp_office=office)
                if rng.random() < share:
                    doctor.is_specialist = True
                    doctor.specialist_since = _between(
                        rng, date(rng.choice(years), 1, 1), date(rng.choice(years), 12, 31)
                    )
                    doctor.specialist_since = min(doctor.specialist_since, today - timedelta(days=180))
                self.make_regular(doctor, place, alis=False)

    def supervisors(self, places: list[_Place]) -> None:
        for place in places:
            for doctor in place.specialists:
                self.capacity[id(doctor)] = self.rng.choices((1, 2, 3), weights=(1, 7, 2))[0]

    def community_supervisor(self, plan: _Plan, *, current: bool) -> Doctor:
        """A community-medicine supervisor near by: the chief medical officer first, then colleagues."""
        for place in [plan.place, *plan.place.nearby[:3]]:
            free = [d for d in place.community_supervisors if not current or self.load[id(d)] < 2]
            if free:
                chosen = self.rng.choice(free)
                break
        else:
            place = plan.place
            first, last = place.chief_medical_officer if not place.community_supervisors else self.person()
            # A SamLIS's supervisor is a specialist in samfunnsmedisin (registry.models.specialists_in).
            chosen = Doctor(
                first_name=first, last_name=last, municipality=place.municipality, is_community_medicine_specialist=True
            )
            place.community_supervisors.append(chosen)
            self.doctors.append(chosen)
        if current:
            self.load[id(chosen)] += 1
        return chosen

    def pick_supervisor(self, plan: _Plan, on: date, *, current: bool) -> Doctor | None:
        rng = self.rng
        if plan.training.specialty == Specialty.COMMUNITY_MEDICINE:
            return self.community_supervisor(plan, current=current)
        for place in [plan.place, *plan.place.nearby]:
            candidates = [
                d
                for d in place.specialists
                if d.specialist_since <= on
                and d is not plan.chain.doctor
                and (not current or self.load[id(d)] < self.capacity.get(id(d), 2))
            ]
            if candidates:
                chosen = rng.choice(candidates)
                if current:
                    self.load[id(chosen)] += 1
                return chosen
        return None

    def assign(self, plan: _Plan, begin: date, end: date | None) -> None:
        supervisor = self.pick_supervisor(plan, begin, current=end is None)
        if supervisor is not None:
            self.assignments.append(
                SupervisorAssignment(training=plan.training, supervisor=supervisor, start=begin, end=end)
            )

    def supervision(self) -> None:
        """Supervisors through each course of training; about 15 % of the ongoing ones have none now."""
        rng, today = self.rng, self.today
        for plan in self.plans:
            training = plan.training
            stop = training.ended_on or today
            elapsed = (stop - training.start).days
            begin = training.start + timedelta(days=rng.randint(0, max(0, min(120, elapsed))))
            if training.status in ONGOING:
                if rng.random() < 0.85:
                    if elapsed > 730 and rng.random() < 0.3:
                        switch = _between(rng, begin + timedelta(days=300), today - timedelta(days=30))
                        self.assign(plan, begin, switch - timedelta(days=1))
                        begin = switch
                    self.assign(plan, begin, None)
                elif elapsed > 400 and rng.random() < 0.5:
                    self.assign(plan, begin, _between(rng, begin + timedelta(days=90), today - timedelta(days=30)))
            elif training.status == Status.COMPLETED:
                if rng.random() < 0.4:
                    switch = _between(rng, begin + timedelta(days=365), stop - timedelta(days=365))
                    self.assign(plan, begin, switch - timedelta(days=1))
                    begin = switch
                self.assign(plan, begin, stop)
            elif rng.random() < 0.7 and begin <= stop:
                self.assign(plan, begin, stop)

    # Municipality data: registration as training institution, contacts

    def contact_names(self, places: list[_Place]) -> None:
        for place in places:
            place.chief_medical_officer = self.person()

    def registrations(self, places: list[_Place]) -> list[Registration]:
        with_gp = {id(p.place) for p in self.plans if p.training.specialty == Specialty.GENERAL_PRACTICE}
        with_cm = {id(p.place) for p in self.plans if p.training.specialty == Specialty.COMMUNITY_MEDICINE}
        rows = []
        for place in places:
            rows += self.registration_events(
                place, Specialty.GENERAL_PRACTICE, has_alis=id(place) in with_gp, opened=date(2019, 6, 1)
            )
            rows += self.registration_events(
                place, Specialty.COMMUNITY_MEDICINE, has_alis=id(place) in with_cm, opened=date(2022, 1, 1)
            )
        return rows

    def registration_events(self, place: _Place, specialty: str, *, has_alis: bool, opened: date) -> list[Registration]:
        """A history ending in the current status: usually an application (pending), then a decision."""
        rng, today = self.rng, self.today
        general = specialty == Specialty.GENERAL_PRACTICE
        if has_alis:
            weights = (
                {"registered": 90, "temporary": 5, "pending": 5}
                if general
                else {"registered": 70, "temporary": 20, "pending": 10}
            )
        elif general:
            weights = {"registered": 60, "temporary": 10, "pending": 10, "not_applied": 20}
        else:
            weights = {"registered": 20, "temporary": 4, "pending": 8, "nothing": 68}
        outcome = _weighted(rng, weights)
        events: list[tuple[date, str, str]] = []
        if outcome in ("registered", "temporary"):
            applied = _between(rng, opened, min(today, add_months(opened, 42)))
            events.append((applied, RegistrationStatus.PENDING, "Søknad sendt Helsedirektoratet"))
            decided = applied + timedelta(days=rng.randint(60, 300))
            if outcome == "temporary" or rng.random() < 0.2:
                note = "Midlertidig godkjent i påvente av veilederkapasitet"
                events.append((decided, RegistrationStatus.TEMPORARY, note))
                decided += timedelta(days=rng.randint(120, 500))
            if outcome == "registered":
                events.append((decided, RegistrationStatus.REGISTERED, ""))
        elif outcome == "pending":
            applied = _between(rng, today - timedelta(days=300), today)
            events.append((applied, RegistrationStatus.PENDING, "Søknad sendt"))
        elif outcome == "not_applied" and rng.random() < 0.5:
            events.append((opened, RegistrationStatus.NOT_APPLIED, "Ikke søkt ved kartleggingen"))
        return [
            Registration(municipality=place.municipality, specialty=specialty, status=status, valid_from=day, note=note)
            for day, status, note in events
            if day <= today
        ]

    def contacts(self, places: list[_Place]) -> list[Contact]:
        rng = self.rng
        rows = []
        for place in places:
            domain = f"{slug(place.municipality.name_norwegian)}.{EMAIL_DOMAIN_MUNICIPALITIES}"
            rows.append(
                Contact(municipality=place.municipality, role=Contact.Role.POST_BOX, email=f"postmottak@{domain}")
            )
            if rng.random() < 0.9:
                first, last = self.person()
                rows.append(
                    Contact(
                        municipality=place.municipality,
                        role=Contact.Role.TRAINING_LEAD,
                        name=f"{first} {last}",
                        email=self.email(first, last, domain),
                    )
                )
            if rng.random() < 0.97:
                first, last = place.chief_medical_officer
                rows.append(
                    Contact(
                        municipality=place.municipality,
                        role=Contact.Role.CHIEF_MEDICAL_OFFICER,
                        name=f"{first} {last}",
                        email=self.email(first, last, domain),
                    )
                )
        return rows

    def hpr_numbers(self) -> None:
        """Unique seven-digit HPR numbers, one for each doctor."""
        numbers = self.rng.sample(range(1_000_000, 10_000_000), len(self.doctors))
        for doctor, number in zip(self.doctors, numbers, strict=True):
            doctor.hpr_number = str(number)


def _free_name(name: str, taken: set[str], rng: random.Random, town: str) -> str:
    """A GP office name not yet taken in the town: a few random draws, then a number after the name.

    A large town at more than national size has more offices than there are place-and-suffix names, so
    drawing until a free one turns up could loop forever.
    """
    for _attempt in range(5):
        if name not in taken:
            return name
        name = f"{rng.choice(names.OFFICE_PLACES)} {rng.choice(names.OFFICE_SUFFIXES)} {town}"
    number = 2
    while f"{name} {number}" in taken:
        number += 1
    return f"{name} {number}"


def _cumulate(values: Iterable[float]) -> Iterable[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def _bulk(model: type[models.Model], rows: list) -> None:
    model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)


# The reference data this builds on


def demo_offices() -> dict[str, Office]:
    """Each demo office user's office, found by code or else by a county it covers."""
    by_code = {office.code: office for office in Office.objects.all()}
    by_county = {county.number: county.office for county in County.objects.select_related("office")}
    offices = {}
    missing = []
    for code, county in OFFICE_COUNTIES.items():
        office = by_code.get(code) or by_county.get(county)
        if office is None:
            missing.append(code)
        else:
            offices[code] = office
    if missing:
        raise SeedError(
            f"Fant ikke ALIS-kontorene {', '.join(sorted(missing))}. Kjør «manage.py load_reference» først."
        )
    return offices


def check_reference_data() -> None:
    if not Municipality.objects.exists() or not Office.objects.exists():
        raise SeedError(
            "Referansedata mangler: databasen har ingen kommuner eller ALIS-kontorer. "
            "Kjør «manage.py load_reference» før «manage.py seed_demo»."
        )


def has_demo_data() -> bool:
    return (
        Doctor.objects.exists()
        or Training.objects.exists()
        or GpOffice.objects.exists()
        or User.objects.filter(is_demo=True).exists()
    )


def real_users() -> list[str]:
    """Usernames of the users seed_demo did not make: a database with any is not a demo database."""
    return list(User.objects.filter(is_demo=False).order_by("username").values_list("username", flat=True))


def demo_data_allowed() -> bool:
    """Demo data (users with a published password) only on the embedded SQLite or where DJANGO_DEMO=1 asks.

    A database given by DATABASE_URL is taken to be a real one unless the installation says it is a demo
    (the tests' own throwaway databases are demo databases).
    """
    return connection.vendor == "sqlite" or settings.DEMO or settings.TESTING


def remove_demo_data() -> None:
    """Delete everything seed_demo writes (and any other doctors, trainings, offices, contacts)."""
    remove_website_data()

    remove_followup_data()
    remove_survey_data()
    remove_course_data()
    remove_office_data()
    remove_gp_lists()
    remove_grant_data()
    SupervisionGroup.objects.all().delete()  # their leaders are doctors (protected)
    SupervisorAssignment.objects.all().delete()
    ServicePeriod.objects.all().delete()
    Training.objects.all().delete()
    Doctor.objects.all().delete()
    GpOffice.objects.all().delete()
    Contact.objects.all().delete()
    Registration.objects.all().delete()
    # The read logs protect their users; the demo users' reads of demo records go with them.
    Read.objects.filter(user__is_demo=True).delete()
    User.objects.filter(is_demo=True).delete()


def ensure_health_trusts() -> dict[str, HealthTrust]:
    """The health trusts by name; missing ones are created with the demo catchment."""
    existing = {trust.name: trust for trust in HealthTrust.objects.all()}
    new = [
        HealthTrust(name=spec.name, short_name=spec.short_name, rhf=spec.rhf)
        for spec in HEALTH_TRUSTS
        if spec.name not in existing
    ]
    _bulk(HealthTrust, new)
    trusts = {trust.name: trust for trust in HealthTrust.objects.all()}
    without_catchment = set(trusts) - set(
        HealthTrust.objects.filter(municipalities__isnull=False).values_list("name", flat=True)
    )
    Through = HealthTrust.municipalities.through
    links = []
    for municipality in Municipality.objects.select_related("county").order_by("number"):
        name = catchment_trust_name(municipality, municipality.county.number)
        if name in without_catchment:
            links.append(Through(healthtrust_id=trusts[name].pk, municipality_id=municipality.pk))
    _bulk(Through, links)
    return trusts


def create_users(offices: dict[str, Office]) -> list[DemoUser]:
    # One hash for all: hashing is deliberately slow, and the password is public anyway.
    password = make_password(DEMO_PASSWORD)
    for spec in DEMO_USERS:
        User.objects.create(
            username=spec.username,
            password=password,
            role=spec.role,
            office=offices[spec.office_code] if spec.office_code else None,
            first_name=spec.username.title(),
            last_name="(demo)",
            email=f"{spec.username}@alis.example",
            is_staff=spec.superuser,
            is_superuser=spec.superuser,
            is_demo=True,
        )
    return list(DEMO_USERS)


def seed_demo(*, size: str, seed: int, today: date) -> SeedResult:
    """Write the demo data set into an empty database that has the reference data."""
    if size not in SIZES:
        raise SeedError(f"Ukjent størrelse «{size}»: velg {' eller '.join(SIZES)}.")
    check_reference_data()
    offices = demo_offices()
    seeder = _Seeder(scale=SIZES[size], seed=seed, today=today)
    with transaction.atomic():
        trusts = ensure_health_trusts()
        places = seeder.places(trusts)
        seeder.contact_names(places)
        gp_offices = seeder.gp_offices(places)
        seeder.trainings(places)
        seeder.old_scheme()
        seeder.alis_doctors()
        seeder.other_regular_gps(places)
        seeder.supervisors(places)
        seeder.supervision()
        registrations = seeder.registrations(places)
        contacts = seeder.contacts(places)
        seeder.hpr_numbers()

        _bulk(GpOffice, gp_offices)
        _bulk(Doctor, seeder.doctors)
        _bulk(Training, [plan.training for plan in seeder.plans])
        _bulk(ServicePeriod, [period for plan in seeder.plans for period in plan.periods])
        _bulk(ShiftCount, seeder.shift_counts)
        _bulk(OldSchemeOutcome, seeder.outcomes)
        _bulk(SupervisorAssignment, seeder.assignments)
        _bulk(Registration, registrations)
        _bulk(Contact, contacts)
        seed_supervision(seed=seed, today=today)
        seed_groups(seed=seed, today=today)
        seed_courses(seed=seed, today=today)
        seed_grants(seed=seed, today=today)
        seed_office(seed=seed, today=today)
        seed_website(seed=seed, today=today)
        seed_gp_lists(seed=seed, today=today)
        seed_survey(seed=seed, today=today)
        users = create_users(offices)
        seed_followup(seed=seed, today=today)
        _analyze()
    return SeedResult(size=size, seed=seed, today=today, counts=counts(), users=users)


def _analyze() -> None:
    """Fresh statistics for PostgreSQL's planner after the bulk inserts.

    Without them the planner takes the new tables for empty (autovacuum analyses them only later) and picks
    nested loops that run for minutes on the national data set (a page's periods joined to their trainings and
    doctors). ANALYZE may run inside the transaction; SQLite needs nothing. Only the app's own tables: a bare
    ANALYZE also takes the catalogs shared by every database, and holding that lock to the end of a seeding
    transaction makes a seed in another database on the same server (another pytest-xdist worker) wait for it.
    """
    if connection.vendor == "postgresql":
        tables = sorted(connection.introspection.django_table_names(only_existing=True))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def counts() -> dict[str, int]:
    return {
        "kommuner": Municipality.objects.count(),
        "helseforetak": HealthTrust.objects.count(),
        "legekontorer": GpOffice.objects.count(),
        "leger": Doctor.objects.count(),
        "fastleger": Doctor.objects.filter(is_regular_gp=True).count(),
        "spesialister blant fastlegene": Doctor.objects.filter(is_regular_gp=True, is_specialist=True).count(),
        "utdanningsløp": Training.objects.count(),
        "pågående utdanningsløp": Training.objects.ongoing().count(),
        "tjenesteperioder": ServicePeriod.objects.count(),
        "registreringer av legevakter": ShiftCount.objects.count(),
        "utfall av gammel ordning": OldSchemeOutcome.objects.count(),
        "veilederoppnevninger": SupervisorAssignment.objects.count(),
        "registreringshendelser": Registration.objects.count(),
        "kontaktpersoner": Contact.objects.count(),
        "brukere": User.objects.count(),
    }
