from datetime import date, timedelta

import pytest
from django.utils import timezone

from courses.models import Course, Gathering, Registration
from registry.models import Office


def make_course(
    office: Office,
    *,
    capacity: int = 20,
    days: tuple[tuple[int, int], ...] = ((30, 31), (60, 61)),
    published: bool = True,
    title: str = "Emnekurs i veiledning",
    place: str = "Bergen",
) -> Course:
    """A course with gatherings `days` (first, last) counted from today."""
    course = Course.objects.create(
        office=office, title=title, place=place, capacity=capacity, course_points=20, published=published
    )
    today = timezone.localdate()
    for first, last in days:
        Gathering.objects.create(course=course, start=today + timedelta(first), end=today + timedelta(last))
    return course


def make_registration(course: Course, municipality, *, email: str, status: str = "confirmed", **fields) -> Registration:
    values = {"name": email.split("@")[0].title(), "phone": "91234567", "supervises": "alis"} | fields
    return Registration.objects.create(course=course, municipality=municipality, email=email, status=status, **values)


@pytest.fixture
def vest_course(world) -> Course:
    return make_course(world.vest)


@pytest.fixture
def nord_course(world) -> Course:
    return make_course(world.nord, title="Veilederkurs Nord", place="Bodø")


@pytest.fixture
def past_course(world) -> Course:
    """A Vest course held this spring: Bergen, 02.02 and 30.03."""
    course = Course.objects.create(office=world.vest, title="Emnekurs våren", place="Bergen", capacity=30)
    Gathering.objects.create(course=course, start=date(2022, 2, 2), end=date(2022, 2, 3))
    Gathering.objects.create(course=course, start=date(2022, 3, 30), end=date(2022, 3, 31))
    return course


@pytest.fixture
def today(monkeypatch):
    """Freeze the day the courses take as today (`timezone.localdate()`): `today(day)`."""
    real = timezone.localdate

    def freeze(day: date) -> date:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: real(*args, **kwargs) if args else day)
        return day

    return freeze


@pytest.fixture
def participant(vest_course, records, world):
    """A supervisor in the doctor register, signed up to the Vest course by HPR number."""
    return make_registration(
        vest_course,
        world.bergen,
        email="per@example.no",
        name="Per Veileder",
        doctor=records.vest_supervisor,
        hpr_number=records.vest_supervisor.hpr_number,
        is_specialist=True,
    )
