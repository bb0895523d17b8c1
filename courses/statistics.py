"""Course statistics for the annual report: a bounded number of queries for any number of courses."""

from collections import Counter

from django.db.models import Count, Q, QuerySet

from courses import rules
from courses.models import Course, Registration, Supervises

CONFIRMED = Q(registrations__status=Registration.Status.CONFIRMED)


def with_counts(courses: QuerySet[Course]) -> QuerySet[Course]:
    # distinct: the first and last day join the gatherings, which would count each registration once per gathering.
    """Annotate each course with its confirmed participants, specialists, whom they supervise, the waiting list."""
    by_supervises = {
        f"supervises_{value}": Count(
            "registrations", filter=CONFIRMED & Q(registrations__supervises=value), distinct=True
        )
        for value in Supervises.values
    }
    return courses.annotate(
        participants=Count("registrations", filter=CONFIRMED, distinct=True),
        specialists=Count("registrations", filter=CONFIRMED & Q(registrations__is_specialist=True), distinct=True),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING), distinct=True),
        **by_supervises,
    )


def completed_counts(course_ids: list[int]) -> Counter[int]:
    """Per course, the confirmed participants who attended every gathering (one query)."""
    gathering_counts = Counter(
        dict(Course.objects.filter(pk__in=course_ids).annotate(n=Count("gatherings")).values_list("pk", "n"))
    )
    attended = (
        Registration.objects.filter(course_id__in=course_ids, status=Registration.Status.CONFIRMED)
        .annotate(n=Count("attendances"))
        .values_list("course_id", "n")
    )
    completed: Counter[int] = Counter()
    for course_id, count in attended:
        # rules.is_completed, counted: an attendance is unique per gathering of the participant's own course.
        if gathering_counts[course_id] and count >= gathering_counts[course_id]:
            completed[course_id] += 1
    return completed


def course_lines(courses: list[Course]) -> list[rules.CourseStatistics]:
    """The annual-report line of each course (annotated by `with_counts`, gatherings prefetched)."""
    completed = completed_counts([c.pk for c in courses]) if courses else Counter()
    return [
        rules.CourseStatistics(
            place=course.place_label,
            starts=[g.start for g in course.gatherings.all()],
            participants=course.participants,
            specialists=course.specialists,
            completed=completed[course.pk],
            supervises={value: getattr(course, f"supervises_{value}") for value in Supervises.values},
        )
        for course in courses
    ]
