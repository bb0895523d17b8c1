"""Demo supervisor courses: each office's instructors, last year's and this year's courses with
participants and attendance, and upcoming published courses with free places, one of them full with a
waiting list.

Reproducible like demo/seed.py: one `random.Random(seed)`, dates from `today`. Seeded rows are not a user's
change, so no history is written and no e-mail is sent. A share of the participants are doctors in the demo
register (linked by HPR number), the rest made-up people with addresses under a reserved domain.
"""

import random
from datetime import date, timedelta

from courses.models import Attendance, Course, Gathering, Instructor, Registration, Supervises
from demo import names
from demo import seed as base
from registry.models import Doctor, Municipality, Office

EMAIL_DOMAIN = "deltaker.example"  # RFC 2606 reserved top-level domain: never a real address
LINKED_SHARE = 0.5  # participants who are doctors in the register
SPECIALIST_SHARE = 0.6
SUPERVISES_WEIGHTS = {Supervises.ALIS: 60, Supervises.LIS1: 25, Supervises.NONE: 15}
INSTRUCTOR_TITLES = ("spesialist i allmennmedisin", "fastlege og veileder", "kommuneoverlege", "rådgiver")


def _course_plan() -> list[dict]:
    """Past, present and future courses: each gathering's first day in days from today, how full."""
    return [
        {"title": "Emnekurs i veiledning", "offsets": (-400, -345), "capacity": 24, "fill": 1.0},
        {"title": "Emnekurs i veiledning", "offsets": (-160, -110), "capacity": 22, "fill": 0.9},
        {"title": "Emnekurs i veiledning", "offsets": (70, 125), "capacity": 20, "fill": None},
        {"title": "Kurs for gruppeveiledere", "offsets": (75,), "capacity": 16, "fill": 0.4,
         "kind": Course.Kind.GROUP_SUPERVISION, "format": Course.Format.DIGITAL},
    ]  # fmt: skip


def _title(name: str, first: date) -> str:
    return f"{name}, {'vår' if first.month < 7 else 'høst'} {first.year}"


def seed_courses(*, seed: int, today: date) -> dict[str, int]:
    rng = random.Random(seed + 4)  # noqa: S311 (demo data, not security)
    instructors, courses, gatherings, registrations = [], [], [], []
    offices = list(Office.objects.order_by("ordering", "pk"))
    municipalities: dict[int, list[Municipality]] = {}
    for municipality in Municipality.objects.select_related("county").order_by("number"):
        municipalities.setdefault(municipality.county.office_id, []).append(municipality)
    doctors: dict[int, list[Doctor]] = {}
    for doctor in (
        Doctor.objects.filter(hpr_number__isnull=False, municipality__isnull=False)
        .select_related("municipality__county")
        .order_by("pk")
    ):
        doctors.setdefault(doctor.municipality.county.office_id, []).append(doctor)

    for office in offices:
        if not municipalities.get(office.pk):
            continue
        roster = [
            Instructor(office=office, name=f"{rng.choice(names.FEMALE_FIRST_NAMES + names.MALE_FIRST_NAMES)} "
                       f"{rng.choice(names.LAST_NAMES)}", title=INSTRUCTOR_TITLES[n % len(INSTRUCTOR_TITLES)])
            for n in range(3)
        ]  # fmt: skip
        # Names drawn at random may repeat; the roster's names are unique per office.
        roster = list({i.name: i for i in roster}.values())
        instructors += roster
        for plan in _course_plan():
            first = today + timedelta(days=plan["offsets"][0])
            course = Course(
                office=office,
                title=_title(plan["title"], first),
                kind=plan.get("kind", Course.Kind.SUPERVISION),
                format=plan.get("format", Course.Format.IN_PERSON),
                place="" if plan.get("format") == Course.Format.DIGITAL else office.location,
                capacity=plan["capacity"],
                course_points=20 if plan.get("kind") is None else 8,
                signup_deadline=first - timedelta(days=14),
                published=True,
            )
            course.plan_roster = roster
            course.plan_days = [today + timedelta(days=offset) for offset in plan["offsets"]]
            # The upcoming course is full with a waiting list at Vest (the demo office), not everywhere.
            fill = plan["fill"] or (1.2 if office.code == "vest" else rng.choice((0.5, 0.75, 0.9)))
            course.plan_count = round(plan["capacity"] * fill)
            courses.append(course)

    Instructor.objects.bulk_create(instructors)
    Course.objects.bulk_create(courses)
    through = Course.instructors.through
    links = []
    for course in courses:
        chosen = course.plan_roster[:2] if len(course.plan_roster) > 1 else course.plan_roster
        links += [through(course_id=course.pk, instructor_id=i.pk) for i in chosen]
        for start in course.plan_days:
            # Gatherings start on a Thursday and last two days.
            start -= timedelta(days=(start.weekday() - 3) % 7)
            gatherings.append(Gathering(course=course, start=start, end=start + timedelta(days=1)))
        registrations += _registrations(
            rng, course, municipalities[course.office_id], doctors.get(course.office_id, [])
        )
    through.objects.bulk_create(links)
    Gathering.objects.bulk_create(gatherings)
    Registration.objects.bulk_create(registrations)
    attendances = _attendances(rng, gatherings, registrations, today)
    Attendance.objects.bulk_create(attendances)
    return {"kurs": len(courses), "påmeldinger": len(registrations), "oppmøter": len(attendances)}


def _registrations(
    rng: random.Random, course: Course, municipalities: list[Municipality], doctors: list[Doctor]
) -> list[Registration]:
    people = []
    used: set[str] = set()
    linked = rng.sample(doctors, k=min(len(doctors), round(course.plan_count * LINKED_SHARE)))
    for number in range(course.plan_count):
        doctor = linked[number] if number < len(linked) else None
        if doctor is not None:
            name, municipality, hpr = doctor.full_name, doctor.municipality, doctor.hpr_number
            specialist = doctor.is_specialist
        else:
            first = rng.choice(names.FEMALE_FIRST_NAMES + names.MALE_FIRST_NAMES)
            name, municipality, hpr = f"{first} {rng.choice(names.LAST_NAMES)}", rng.choice(municipalities), ""
            specialist = rng.random() < SPECIALIST_SHARE
        email = f"{base.slug(name)}@{EMAIL_DOMAIN}"
        while email in used:
            email = email.replace("@", "1@")
        used.add(email)
        status = Registration.Status.CONFIRMED if number < course.capacity else Registration.Status.WAITING
        people.append(
            Registration(
                course=course, name=name, email=email, phone=f"9{rng.randrange(10_000_000):07d}",
                municipality=municipality, hpr_number=hpr, doctor=doctor, is_specialist=specialist,
                supervises=rng.choices(list(SUPERVISES_WEIGHTS), weights=list(SUPERVISES_WEIGHTS.values()))[0],
                status=status,
            )
        )  # fmt: skip
    return people


def _attendances(
    rng: random.Random, gatherings: list[Gathering], registrations: list[Registration], today: date
) -> list[Attendance]:
    """Most participants attend each gathering that has been held."""
    held: dict[int, list[Gathering]] = {}
    for gathering in gatherings:
        if gathering.end < today:
            held.setdefault(gathering.course_id, []).append(gathering)
    return [
        Attendance(registration=registration, gathering=gathering)
        for registration in registrations
        if registration.status == Registration.Status.CONFIRMED
        for gathering in held.get(registration.course_id, [])
        if rng.random() < 0.93
    ]


def remove_course_data() -> None:
    Attendance.objects.all().delete()
    Registration.objects.all().delete()
    Gathering.objects.all().delete()
    Course.objects.all().delete()
    Instructor.objects.all().delete()
