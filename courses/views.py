from datetime import date
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max, Min, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_cookie

from accounts.abilities import may, require
from core import fragments, generated_files, history, lists, readlog, tableversions
from core.editing import confirm_page, delete_page, form_page
from core.export import NUMBER, ExportColumn, export_response
from core.lists import Column, list_page, render_list
from core.navigation import crumbs
from core.paths import path_for
from core.ratelimit import CANCEL_LINK, COURSE_SIGNUP, rate_limit
from core.scoping import require_personal_data
from courses import certificates, ical, rules, services
from courses.forms import (
    CourseFilterForm,
    CourseForm,
    GatheringForm,
    InstructorFilterForm,
    InstructorForm,
    SignupForm,
    StatisticsFilterForm,
)
from courses.models import Course, Gathering, Instructor, Registration
from courses.statistics import course_lines, with_counts
from privacy import small_numbers
from registry.models import Office

Status = Registration.Status
CONFIRMED = Q(registrations__status=Status.CONFIRMED)


def _with_days(courses):
    return courses.annotate(first_day=Min("gatherings__start"), last_day=Max("gatherings__end"))


# --- The public pages: no login -------------------------------------------------------------------------


@login_not_required
@vary_on_cookie  # the language chosen is in a cookie
@cache_control(public=True, max_age=300)
def calendar(request: HttpRequest) -> HttpResponse:
    """The published courses still to come, with free places and a sign-up link."""
    today = timezone.localdate()
    office = request.GET.get("kontor", "")
    # The same for every visitor: written once per data change (core.tableversions).
    courses = tableversions.kept(f"course-calendar:{today}:{office}", partial(_calendar_courses, today, office))
    context = {"courses": courses, "office": office, "feed_url": reverse("courses:ical")}
    return render(request, "courses/calendar.html", context)


def _calendar_courses(today: date, office: str) -> str:
    offices = Office.objects.filter(courses__published=True).distinct().order_by("ordering", "name")
    courses = (
        _with_days(Course.objects.published())
        .annotate(confirmed=Count("registrations", filter=CONFIRMED, distinct=True))
        .filter(last_day__gte=today)
        .select_related("office")
        .prefetch_related("gatherings")
        .order_by("first_day", "title")
    )
    if office:
        courses = courses.filter(office__code=office)
    rows = [
        (
            course,
            rules.free_places(confirmed=course.confirmed, capacity=course.capacity),
            rules.signup_open(today=today, deadline=course.signup_deadline, first_day=course.first_day),
        )
        for course in courses
    ]
    return render_to_string("courses/_calendar_courses.html", {"rows": rows, "offices": offices, "office": office})


def _public_course(pk: int) -> Course:
    courses = _with_days(Course.objects.published()).select_related("office").prefetch_related("gatherings")
    return get_object_or_404(courses, pk=pk)


@login_not_required
@rate_limit(COURSE_SIGNUP)
def signup(request: HttpRequest, pk: int) -> HttpResponse:
    course = _public_course(pk)
    today = timezone.localdate()
    is_open = rules.signup_open(today=today, deadline=course.signup_deadline, first_day=course.first_day)
    form = SignupForm(request.POST if request.method == "POST" else None, course=course)
    if is_open and request.method == "POST" and form.is_valid():
        if form.is_bot:
            # Answer a bot as if it had succeeded, so that it learns nothing; nothing is stored or sent.
            messages.success(request, _("Påmeldingen er mottatt."))
            return redirect("courses:signup_done", pk=course.pk)
        try:
            registration = services.registration_create(course=course, registration=form.save(commit=False))
        except services.AlreadyRegistered:
            form.add_error("email", _("Denne e-postadressen er allerede meldt på dette kurset."))
        else:
            if registration.status == Status.CONFIRMED:
                text = _("Du er påmeldt. Vi har sendt en bekreftelse til %(email)s.")
            else:
                text = _("Kurset er fullt, så du står på ventelisten. Får du plass, sender vi e-post til %(email)s.")
            messages.success(request, text % {"email": registration.email})
            return redirect("courses:signup_done", pk=course.pk)
    confirmed = course.registrations.filter(status=Status.CONFIRMED).count()
    context = {
        "course": course,
        "form": form,
        "is_open": is_open,
        "free": rules.free_places(confirmed=confirmed, capacity=course.capacity),
        "breadcrumbs": crumbs((_("Kurskalender"), reverse("courses:calendar")), _("Påmelding")),
    }
    return render(request, "courses/signup.html", context)


@login_not_required
def signup_done(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "courses/signup_done.html", {"course": _public_course(pk)})


@login_not_required
@rate_limit(CANCEL_LINK)
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's own link from the e-mail: see the sign-up and cancel it."""
    registration = get_object_or_404(
        Registration.objects.select_related("course__office").prefetch_related("course__gatherings"),
        cancel_token=token,
    )
    course = registration.course
    first_day = min((g.start for g in course.gatherings.all()), default=None)
    can_cancel = registration.status != Status.CANCELLED and rules.cancel_open(
        today=timezone.localdate(), first_day=first_day
    )
    if request.method == "POST" and can_cancel:
        services.registration_cancel(registration=registration, by=None)
        messages.success(request, _("Du er meldt av kurset. Takk for at du sa fra."))
        return redirect("courses:cancel", token=token)
    context = {"registration": registration, "course": course, "can_cancel": can_cancel}
    return render(request, "courses/cancel.html", context)


@login_not_required
@cache_control(public=True, max_age=900)
def ical_feed(request: HttpRequest) -> HttpResponse:
    """The gatherings of the published courses as an iCalendar feed (all-day events)."""
    gatherings = Gathering.objects.filter(course__published=True).select_related("course__office")
    if office := request.GET.get("kontor"):
        gatherings = gatherings.filter(course__office__code=office)
    host = urlsplit(settings.SITE_URL).hostname or "alis-oversikt"
    counts = dict(Course.objects.published().annotate(n=Count("gatherings")).values_list("pk", "n"))
    numbers: dict[int, int] = {}
    events = []
    for gathering in gatherings.order_by("course_id", "start", "pk"):
        course = gathering.course
        numbers[course.pk] = numbers.get(course.pk, 0) + 1
        events.append(
            ical.Event(
                uid=f"kurs-samling-{gathering.pk}@{host}",
                start=gathering.start,
                end=gathering.end,
                summary=_("%(course)s, samling %(number)d av %(count)d")
                % {"course": course.title, "number": numbers[course.pk], "count": counts[course.pk]},
                location=gathering.place_label,
                description=course.office.name,
                url=settings.SITE_URL + reverse("courses:signup", args=[course.pk]),
            )
        )
    body = ical.calendar(events, name=_("Veilederkurs"), stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kurskalender.ics"'
    return response


# --- The office's pages ---------------------------------------------------------------------------------

COURSE_COLUMNS = [
    Column("title", gettext_lazy("Kurs"), ("title",), link=lambda c: path_for("courses:detail")(c.pk)),
    Column("office", gettext_lazy("Kontor"), ("office__ordering", "title"), value="office.name"),
    Column("first_day", gettext_lazy("Første samling"), ("first_day", "title")),
    Column("place", gettext_lazy("Sted"), ("place", "title"), value="place_label"),
    Column("capacity", gettext_lazy("Plasser"), ("capacity", "title"), numeric=True),
    Column("participants", gettext_lazy("Påmeldt"), ("participants", "title"), numeric=True),
    Column("waiting", gettext_lazy("Venteliste"), ("waiting", "title"), numeric=True),
    Column("published", gettext_lazy("Publisert"), ("published", "title")),
]


def course_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    form = CourseFilterForm(request.GET, user=request.user)
    courses = with_counts(_with_days(Course.objects.visible_to(request.user))).select_related("office")
    listing = list_page(
        request,
        form.filter(courses),
        columns=COURSE_COLUMNS,
        default_sort="-first_day",
        caption=_("Kurs med plasser, påmeldte og venteliste"),
        empty_text=_("Ingen kurs passer til filteret."),
        keep_rows=True,
    )
    return render_list(request, "courses/course_list.html", listing, {"form": form})


def _visible_course(request: HttpRequest, pk: int) -> Course:
    courses = Course.objects.visible_to(request.user).select_related("office")
    return get_object_or_404(courses, pk=pk)


def _course_crumbs(course: Course | None = None) -> list:
    levels = [(_("Kurs"), reverse("courses:list"))]
    if course is not None:
        levels.append((course.title, reverse("courses:detail", args=[course.pk])))
    return crumbs(*levels)


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_personal_data(request.user)
    courses = with_counts(_with_days(Course.objects.visible_to(request.user))).select_related("office")
    course = get_object_or_404(courses.prefetch_related("gatherings", "instructors"), pk=pk)
    context = {
        "course": course,
        "line": course_lines([course])[0],
        "can_edit": may(request.user, "change", course),
        "changes": history.history_of(course, user=request.user),
        "breadcrumbs": crumbs((_("Kurs"), reverse("courses:list")), course.title),
    }
    readlog.read(request, course, course.instructors.all())
    return render(request, "courses/course_detail.html", context)


def course_create(request: HttpRequest) -> HttpResponse:
    # A course belongs to the office of the person who creates it; users without an office create none.
    office_id = request.user.office_id
    return form_page(
        request,
        CourseForm,
        instance=Course(office_id=office_id),
        form_kwargs={"office_id": office_id},
        title=_("Nytt kurs"),
        saved_message=_("Kurset er opprettet. Legg til samlingene."),
        success_url=lambda saved: reverse("courses:detail", args=[saved.pk]),
        cancel_url=reverse("courses:list"),
        breadcrumbs=_course_crumbs(),
    )


def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = _visible_course(request, pk)
    detail = reverse("courses:detail", args=[pk])

    def fill_places(saved: Course) -> None:
        if promoted := services.course_fill_places(course=saved):
            messages.info(
                request,
                ngettext(
                    "%(n)d på ventelisten har fått plass og får e-post.",
                    "%(n)d på ventelisten har fått plass og får e-post.",
                    len(promoted),
                )
                % {"n": len(promoted)},
            )

    return form_page(
        request,
        CourseForm,
        instance=course,
        form_kwargs={"office_id": course.office_id},
        title=_("Endre kurs"),
        saved_message=_("Kurset er lagret."),
        on_saved=fill_places,
        success_url=detail,
        breadcrumbs=_course_crumbs(course),
    )


def gathering_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = _visible_course(request, pk)
    detail = reverse("courses:detail", args=[pk])
    return form_page(
        request,
        GatheringForm,
        instance=Gathering(course=course),
        parent=course,
        title=_("Ny samling"),
        saved_message=_("Samlingen er lagret."),
        success_url=detail,
        breadcrumbs=_course_crumbs(course),
    )


def _visible_gathering(request: HttpRequest, pk: int) -> Gathering:
    gatherings = Gathering.objects.filter(course__in=Course.objects.visible_to(request.user))
    return get_object_or_404(gatherings.select_related("course"), pk=pk)


def gathering_edit(request: HttpRequest, pk: int) -> HttpResponse:
    gathering = _visible_gathering(request, pk)
    course = gathering.course
    detail = reverse("courses:detail", args=[course.pk])
    return form_page(
        request,
        GatheringForm,
        instance=gathering,
        parent=course,
        title=_("Endre samling"),
        saved_message=_("Samlingen er lagret."),
        success_url=detail,
        breadcrumbs=_course_crumbs(course),
    )


def gathering_delete(request: HttpRequest, pk: int) -> HttpResponse:
    gathering = _visible_gathering(request, pk)
    course = gathering.course
    detail = reverse("courses:detail", args=[course.pk])
    return delete_page(
        request,
        gathering,
        parent=course,
        title=_("Slette samlingen?"),
        question=_("Samlingen fjernes fra kurset og fra kurskalenderen. Endringen står i kursets historikk."),
        deleted_message=_("Samlingen er slettet."),
        success_url=detail,
        facts=[
            (_("Kurs"), course.title),
            (_("Dager"), rules.day_span(gathering.start, gathering.end)),
            (_("Sted"), gathering.place_label),
        ],
        blocked=_("Samlingen har registrert oppmøte og kan ikke slettes.") if gathering.attendances.exists() else "",
        breadcrumbs=_course_crumbs(course),
    )


def _held(gatherings: list[Gathering]) -> set[int]:
    today = timezone.localdate()
    return {g.pk for g in gatherings if rules.is_held(today=today, last_day=g.end)}


def _participant_rows(course: Course, gatherings: list[Gathering]) -> dict[str, list]:
    registrations = course.registrations.select_related("municipality", "doctor").prefetch_related(
        Prefetch("attendances", to_attr="attended")
    )
    gathering_ids = [g.pk for g in gatherings]
    held = _held(gatherings)
    groups: dict[str, list] = {Status.CONFIRMED: [], Status.WAITING: [], Status.CANCELLED: []}
    for registration in registrations:
        attended = {a.gathering_id for a in registration.attended}
        # (gathering, present, held): a gathering not yet held offers no attendance box (services.attendance_set)
        registration.cells = [(g, g.pk in attended, g.pk in held) for g in gatherings]
        registration.completed = rules.is_completed(attended=attended, gatherings=gathering_ids, held=held)
        groups[registration.status].append(registration)
    return groups


def _attendance_cells(gatherings: list[Gathering], *, can_edit: bool):
    """A function writing a participant's attendance cells, one per gathering: written here rather than in a template
    loop, where a course of 24 participants and two gatherings (a form per cell, each with its address, its label
    and its translations) took 10 ms of the page (profiled, issue 16). The markup is the template's; each form's
    CSRF token is the mark core.fragments puts the request's own in (the cells are kept for everyone who may change
    the course)."""
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', fragments.CSRF_MARK)
    saves = {g.pk: path_for("courses:attendance", g.pk) for g in gatherings}
    yes, no = _("ja,nei").split(",")[:2]
    save = _("Lagre")

    def cell(registration: Registration, number: int, gathering: Gathering, present: bool, held: bool) -> str:
        if not held:
            later = _("føres fra %(day)s") % {"day": gathering.end.strftime("%d.%m.%Y")}
            return format_html('<td class="center"><span class="muted">{}</span></td>', later)
        if not can_edit:
            return format_html('<td class="center">{}</td>', yes if present else no)
        box = f"oppmote-{registration.pk}-{gathering.pk}"
        label = _("%(name)s var på samling %(n)s") % {"name": registration.name, "n": number}
        return format_html(
            '<td class="center"><form method="post" action="{url}" hx-post="{url}" hx-trigger="change" '
            'hx-target="#fullfort-{pk}" hx-swap="innerHTML">{csrf}'
            '<input class="ds-input" type="checkbox" name="attended" id="{box}"{checked}>'
            '<label class="ds-sr-only" for="{box}">{label}</label><noscript><button class="ds-button" data-size="sm" '
            'data-variant="secondary" type="submit">{save}</button></noscript></form></td>',
            url=saves[gathering.pk](registration.pk),
            pk=registration.pk,
            csrf=csrf,
            box=box,
            checked=mark_safe(" checked") if present else "",
            label=label,
            save=save,
        )

    def cells(registration: Registration) -> SafeString:
        return mark_safe(  # noqa: S308 -- every cell is written by format_html above
            "".join(cell(registration, n, *parts) for n, parts in enumerate(registration.cells, start=1))
        )

    return cells


def participant_list(request: HttpRequest, pk: int) -> HttpResponse:
    require_personal_data(request.user)
    course = _visible_course(request, pk)
    can_edit = may(request.user, "change", course)
    # The participants and their attendance, written once per data change (core.tableversions).
    key = f"participants:{course.pk}:{can_edit}:{timezone.localdate()}"
    groups, participants = tableversions.kept(key, partial(_participants, course, can_edit))
    context = {
        "course": course,
        "participants": fragments.with_csrf(request, participants),
        "breadcrumbs": crumbs(
            (_("Kurs"), reverse("courses:list")),
            (course.title, reverse("courses:detail", args=[course.pk])),
            _("Deltakere og oppmøte"),
        ),
    }
    readlog.read(request, course, *groups.values())
    return render(request, "courses/participant_list.html", context)


def _participants(course: Course, can_edit: bool) -> tuple[dict, str]:
    """The course's registrations by status, and the tables of them as HTML."""
    gatherings = list(course.gatherings.all())
    groups = _participant_rows(course, gatherings)
    cells = _attendance_cells(gatherings, can_edit=can_edit)
    for registration in groups[Status.CONFIRMED]:
        registration.attendance_cells = cells(registration)
    context = {
        "course": course,
        "gatherings": gatherings,
        "confirmed": groups[Status.CONFIRMED],
        "waiting": groups[Status.WAITING],
        "cancelled": groups[Status.CANCELLED],
        "can_edit": can_edit,
    }
    return groups, render_to_string("courses/_participants.html", context)


def _visible_registration(request: HttpRequest, pk: int) -> Registration:
    require_personal_data(request.user)
    registrations = Registration.objects.visible_to(request.user).select_related("course__office")
    return get_object_or_404(registrations, pk=pk)


@require_POST
def attendance(request: HttpRequest, pk: int, gathering: int) -> HttpResponse:
    registration = _visible_registration(request, pk)
    course = registration.course
    require(request.user, "change", registration)
    if registration.status != Status.CONFIRMED:
        raise Http404
    present_at = get_object_or_404(course.gatherings, pk=gathering)
    try:
        completed = services.attendance_set(
            registration=registration,
            gathering=present_at,
            attended=request.POST.get("attended") == "on",
            by=request.user,
        )
    except services.AttendanceRefused as refused:
        if request.htmx:
            registration.completed, registration.refused = False, str(refused)
            return render(request, "courses/_completion.html", {"r": registration})
        messages.error(request, str(refused))
        return redirect("courses:participants", pk=course.pk)
    if request.htmx:
        registration.completed = completed
        return render(request, "courses/_completion.html", {"r": registration})
    return redirect("courses:participants", pk=course.pk)


def participant_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The office cancels a participant's place (or waiting-list place), after confirming."""
    registration = _visible_registration(request, pk)
    require(request.user, "change", registration)
    course = registration.course
    participants = reverse("courses:participants", args=[course.pk])

    def act() -> str:
        promoted = services.registration_cancel(registration=registration, by=request.user)
        for person in promoted:
            messages.info(request, _("%(name)s har fått plass fra ventelisten og får e-post.") % {"name": person.name})
        return _("%(name)s er meldt av.") % {"name": registration.name}

    waiting = registration.status == Status.WAITING
    return confirm_page(
        request,
        about=registration,
        title=_("Fjerne %(name)s fra ventelisten?") % {"name": registration.name}
        if waiting
        else _("Melde av %(name)s?") % {"name": registration.name},
        question=_("Plassen går til den første på ventelisten, som får e-post.")
        if not waiting
        else _("De andre på ventelisten rykker opp."),
        confirm_label=_("Fjern fra ventelisten") if waiting else _("Meld av"),
        act=act,
        success_url=participants,
        facts=[
            (_("Kurs"), course.title),
            (_("E-post"), registration.email),
            (_("Status"), registration.get_status_display()),
        ],
        blocked=_("Deltakeren er allerede meldt av.") if registration.status == Status.CANCELLED else "",
        breadcrumbs=crumbs(
            (_("Kurs"), reverse("courses:list")),
            (course.title, reverse("courses:detail", args=[course.pk])),
            (_("Deltakere og oppmøte"), participants),
        ),
    )


def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The course certificate (kursbevis) of a participant who attended every gathering, as an A4 PDF.

    Built by the task worker (courses.certificates): the page shows its progress until it is ready.
    """
    registration = _visible_registration(request, pk)
    if certificates.completed_on(registration) is None:
        raise Http404
    readlog.read(request, registration)
    file = certificates.certificate_file(registration)
    return generated_files.file_response(request, file, filename=f"kursbevis-{registration.pk}.pdf")


def _instructor_columns(user) -> list[Column]:
    def edit_link(instructor: Instructor) -> str | None:
        return reverse("courses:instructor_edit", args=[instructor.pk]) if may(user, "change", instructor) else None

    return [
        Column("name", gettext_lazy("Navn"), ("name",), link=edit_link),
        Column("title", gettext_lazy("Tittel"), ("title", "name")),
        Column("email", gettext_lazy("E-post"), ("email",)),
        Column("office", gettext_lazy("Kontor"), ("office__ordering", "name"), value="office.name"),
        Column("courses", gettext_lazy("Kurs"), ("course_count", "name"), numeric=True, value="course_count"),
    ]


def instructor_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    form = InstructorFilterForm(request.GET, user=request.user)
    instructors = (
        Instructor.objects.visible_to(request.user).select_related("office").annotate(course_count=Count("courses"))
    )
    listing = list_page(
        request,
        form.filter(instructors),
        columns=_instructor_columns(request.user),
        default_sort="name",
        caption=_("Kontorets liste over kursholdere"),
        empty_text=_("Ingen kursholdere registrert."),
    )
    return render_list(request, "courses/instructor_list.html", listing, {"form": form})


def _instructor_crumbs() -> list:
    return crumbs((_("Kursholdere"), reverse("courses:instructors")))


def instructor_create(request: HttpRequest) -> HttpResponse:
    instructors = reverse("courses:instructors")
    return form_page(
        request,
        InstructorForm,
        instance=Instructor(office_id=request.user.office_id),
        title=_("Ny kursholder"),
        saved_message=_("Kursholderen er lagt til."),
        success_url=instructors,
        breadcrumbs=_instructor_crumbs(),
    )


def instructor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instructor = get_object_or_404(Instructor.objects.visible_to(request.user), pk=pk)
    instructors = reverse("courses:instructors")
    return form_page(
        request,
        InstructorForm,
        instance=instructor,
        title=_("Endre kursholder"),
        saved_message=_("Kursholderen er lagret."),
        success_url=instructors,
        breadcrumbs=_instructor_crumbs(),
    )


STATISTICS_EXPORT = [
    ExportColumn(gettext_lazy("Kurs"), lambda row: row[0].title),
    ExportColumn(gettext_lazy("Kontor"), lambda row: row[0].office.name),
    ExportColumn(gettext_lazy("I årsrapporten"), lambda row: row[1].line),
    ExportColumn(gettext_lazy("Deltakere"), lambda row: row[1].participants, NUMBER),
    ExportColumn(gettext_lazy("Spesialister"), lambda row: row[1].specialists, NUMBER),
    ExportColumn(gettext_lazy("Veileder for ALIS"), lambda row: row[1].supervises["alis"], NUMBER),
    ExportColumn(gettext_lazy("Veileder for LIS1"), lambda row: row[1].supervises["lis1"], NUMBER),
    ExportColumn(gettext_lazy("Ikke veileder"), lambda row: row[1].supervises["none"], NUMBER),
    ExportColumn(gettext_lazy("Fullført"), lambda row: row[1].completed, NUMBER),
]


def statistics(request: HttpRequest) -> HttpResponse:
    """Per course: participants, specialists and whom they supervise. Aggregates only, so every role sees it."""
    years = tableversions.kept(
        "course-years", lambda: [day.year for day in Gathering.objects.dates("start", "year", order="DESC")]
    )
    form = StatisticsFilterForm(request.GET, user=request.user, years=years)
    if request.GET.get("format") in {"csv", "xlsx"}:
        rows, _totals = _statistics(request, form)
        return export_response(
            rows=rows, columns=STATISTICS_EXPORT, filename="kursstatistikk", fmt=request.GET["format"]
        )

    def results() -> str:
        rows, totals = _statistics(request, form)
        context = {"rows": rows, "totals": totals, "user": request.user}
        return render_to_string("courses/_statistics_results.html", context)

    # Counted and written once per data change (core.tableversions), for each role and office (their links).
    key = f"course-statistics:{lists.request_key(request)}"
    context = {"form": form, "results": tableversions.kept(key, results, also=tableversions.so_far())}
    return render(request, "courses/statistics.html", context)


def _statistics(request: HttpRequest, form: StatisticsFilterForm) -> tuple[list[tuple], dict]:
    """The courses chosen, each with its line in the annual report, as the user may see them; and their sums."""
    courses = with_counts(_with_days(Course.objects.all())).filter(first_day__isnull=False)
    courses = list(
        form.filter(courses).select_related("office").prefetch_related("gatherings").order_by("first_day", "title")
    )
    rows = list(zip(courses, course_lines(courses), strict=True))
    rows, suppressed_totals = small_numbers.course_statistics(request.user, rows)  # «<5» for the aggregate reader
    totals = suppressed_totals or {
        "participants": sum(line.participants for _course, line in rows),
        "specialists": sum(line.specialists for _course, line in rows),
        "completed": sum(line.completed for _course, line in rows),
        "supervises": {key: sum(line.supervises[key] for _course, line in rows) for key in ("alis", "lis1", "none")},
    }
    return rows, totals
