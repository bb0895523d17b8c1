"""The public course calendar: published courses and their gatherings, no token needed (as /kurs/)."""

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router

from api.endpoints.common import PUBLIC, today
from api.formschema import OfficeCode, RecordId
from api.schemas import PublicCourse, PublicGathering
from courses import rules
from courses.models import Course, Gathering, Registration

router = Router(tags=["Kurs (offentlig)"], auth=None)


def _courses():
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    return (
        Course.objects.published()
        .annotate(
            first_day=Min("gatherings__start"),
            last_day=Max("gatherings__end"),
            confirmed=Count("registrations", filter=confirmed, distinct=True),
        )
        .select_related("office")
        .prefetch_related("gatherings__course")
    )


def _public(course: Course) -> Course:
    """The calendar's own rules: free places and whether sign-up is open today."""
    course.free_places = rules.free_places(confirmed=course.confirmed, capacity=course.capacity)
    course.signup_open = rules.signup_open(today=today(), deadline=course.signup_deadline, first_day=course.first_day)
    course.signup_url = settings.SITE_URL + reverse("courses:signup", args=[course.pk])
    return course


@router.get("/courses/", response={200: list[PublicCourse], **PUBLIC}, summary="Publiserte kurs")
def course_list(request: HttpRequest, office: OfficeCode | None = None, include_past: bool = False):
    """Kurskalenderen: kommende kurs (med `include_past` også de som er holdt), med ledige plasser."""
    courses = _courses().order_by("first_day", "title", "pk")
    if not include_past:
        courses = courses.filter(last_day__gte=today())
    if office:
        courses = courses.filter(office__code=office)
    return [_public(course) for course in courses]


@router.get("/courses/{int:pk}/", response={200: PublicCourse, **PUBLIC}, summary="Ett publisert kurs")
def course_detail(request: HttpRequest, pk: RecordId):
    return _public(get_object_or_404(_courses(), pk=pk))


@router.get("/gatherings/", response={200: list[PublicGathering], **PUBLIC}, summary="Samlingene i publiserte kurs")
def gathering_list(request: HttpRequest, office: OfficeCode | None = None, include_past: bool = False):
    gatherings = Gathering.objects.filter(course__published=True).select_related("course__office")
    if not include_past:
        gatherings = gatherings.filter(end__gte=today())
    if office:
        gatherings = gatherings.filter(course__office__code=office)
    return gatherings.order_by("start", "pk")
