"""The benchmark's yardstick: Django admin changelists of the list pages' models, with the same rows.

For each list page the benchmark measures, a changelist of the same model on its own admin site: the
same rows (the page's queryset, region scoping and filter form with the page's query string), the same
page size, and columns showing the same fields. Django's stock admin is the reference a list page is
held against (issue 16: a list page within 0.8× of it).

The sites exist only inside the benchmark: `demo.bench_urls` mounts them in front of the app's URL conf,
and the benchmark swaps that URL conf in with `override_settings(ROOT_URLCONF=...)`. The app's own URL
conf (`alis.urls`) never includes them (a test checks it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib import admin
from django.db.models import Count, F, Model, QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone

PREFIX = "yardstick"
PER_PAGE = 50  # as core.lists.PER_PAGE


def _today() -> date:
    return timezone.localdate()


@dataclass(frozen=True)
class Yardstick:
    """A list page's admin counterpart: the model, its rows for a user, the filter form and the columns."""

    url_name: str
    model: type[Model]
    rows: Callable[[object], QuerySet]
    list_display: tuple[str, ...]
    ordering: tuple[str, ...]
    form: Callable[[QueryDict, object], object] | None = None


def _yardsticks() -> tuple[Yardstick, ...]:
    from courses.forms import CourseFilterForm
    from courses.models import Course
    from courses.statistics import with_counts
    from grants.forms import ApplicationFilterForm
    from grants.models import GrantApplication
    from office.forms import InquiryFilterForm
    from office.models import Inquiry
    from registry.forms import DoctorFilterForm, GpOfficeFilterForm, MunicipalityFilterForm
    from registry.models import Doctor, GpOffice, Municipality
    from supervision.forms import ProfileFilterForm
    from supervision.models import SupervisorProfile
    from training.forms import TrainingFilterForm
    from training.models import Training
    from training.views import _current_supervisor_name

    return (
        Yardstick(
            "registry:municipality_list",
            Municipality,
            lambda user: Municipality.objects.select_related("county__office").with_registration_rank(),
            ("number", "name_norwegian", "county__name", "county__office__name", "centrality"),
            ("number",),
            lambda data, user: MunicipalityFilterForm(data, user=user),
        ),
        Yardstick(
            "registry:gp_office_list",
            GpOffice,
            lambda user: GpOffice.objects.select_related("municipality").annotate(doctor_count=Count("doctors")),
            ("name", "municipality__name", "address", "postal_place", "doctor_count"),
            ("name",),
            lambda data, user: GpOfficeFilterForm(data, user=user),
        ),
        Yardstick(
            "registry:doctor_list",
            Doctor,
            lambda user: Doctor.objects.visible_to(user).select_related("municipality", "gp_office"),
            ("last_name", "first_name", "hpr_number", "municipality__name", "gp_office__name", "is_regular_gp",
             "list_size", "is_specialist"),
            ("last_name", "first_name"),
            lambda data, user: DoctorFilterForm(data, user=user),
        ),
        Yardstick(
            "training:list",
            Training,
            lambda user: Training.objects.visible_to(user)
            .select_related("doctor", "employer", "gp_office")
            .with_supervisor_flag(_today())
            .annotate(supervisor_name=_current_supervisor_name(_today())),
            ("doctor__last_name", "doctor__first_name", "employer__name", "gp_office__name", "scheme", "contract",
             "start", "expected_end", "status", "supervisor_name"),
            ("doctor__last_name", "doctor__first_name"),
            lambda data, user: TrainingFilterForm(data, user=user, today=_today()),
        ),
        Yardstick(
            "supervision:profile_list",
            SupervisorProfile,
            lambda user: SupervisorProfile.objects.visible_to(user)
            .with_load(_today())
            .annotate(free=F("capacity") - F("load"))
            .select_related("doctor__municipality__county", "doctor__gp_office"),
            ("doctor__last_name", "doctor__first_name", "doctor__municipality__name", "doctor__gp_office__name",
             "course_completed_on", "capacity", "load", "free", "remote_ok"),
            ("doctor__last_name", "doctor__first_name"),
            lambda data, user: ProfileFilterForm(data, user=user),
        ),
        Yardstick(
            "courses:list",
            Course,
            lambda user: with_counts(Course.objects.visible_to(user)).select_related("office"),
            ("title", "office__name", "place", "capacity", "participants", "waiting", "published"),
            ("-pk",),
            lambda data, user: CourseFilterForm(data, user=user),
        ),
        Yardstick(
            "grants:application_list",
            GrantApplication,
            lambda user: GrantApplication.objects.visible_to(user)
            .select_related("municipality__county", "period")
            .annotate(line_count=Count("lines")),
            ("municipality__name_norwegian", "period__start", "status", "sent_on", "line_count", "granted_amount"),
            ("municipality__name_norwegian",),
            lambda data, user: ApplicationFilterForm(data, user=user),
        ),
        Yardstick(
            "office:inquiry_list",
            Inquiry,
            lambda user: Inquiry.objects.visible_to(user).select_related(
                "municipality", "doctor", "health_trust", "office"
            ),
            ("date", "channel", "sender", "municipality__name", "doctor__last_name", "office__name"),
            ("-date",),
            lambda data, user: InquiryFilterForm(data, user=user),
        ),
    )


class YardstickSite(admin.AdminSite):
    """An admin site any signed-in user may read (the rows are scoped by the page's own queryset)."""

    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_authenticated


def _model_admin(yardstick: Yardstick, query: str) -> type[admin.ModelAdmin]:
    """A read-only changelist of the page's rows; the page's filter is applied to the queryset (the admin
    knows no such parameters), so the changelist is asked without a query string."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = yardstick.rows(request.user)
        if yardstick.form is not None:
            rows = yardstick.form(QueryDict(query.lstrip("?")), request.user).filter(rows)
        return rows

    def allowed(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return True

    def denied(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    fields = {f.name for f in yardstick.model._meta.get_fields()}
    annotations = {
        # An annotation is no field the admin can look up: a column method reads it off the row.
        name: admin.display(description=name)(lambda self, obj, name=name: getattr(obj, name))
        for name in yardstick.list_display
        if "__" not in name and name not in fields
    }
    return type(
        f"{yardstick.model.__name__}Yardstick",
        (admin.ModelAdmin,),
        {
            **annotations,
            "list_display": yardstick.list_display,
            "ordering": yardstick.ordering,
            "list_per_page": PER_PAGE,
            "get_queryset": get_queryset,
            "has_view_permission": allowed,
            "has_module_permission": allowed,
            "has_change_permission": denied,
            "has_add_permission": denied,
            "has_delete_permission": denied,
            "actions": None,
        },
    )


def _sites() -> dict[tuple[str, str], tuple[int, YardstickSite, Yardstick]]:
    """A site per measured list page (its URL name and query): a model is registered once per site."""
    from demo.benchmark import _pages

    by_name = {y.url_name: y for y in _yardsticks()}
    sites = {}
    for page in _pages():
        yardstick = by_name.get(page.url_name)
        key = (page.url_name, page.query)
        if yardstick is None or key in sites:
            continue
        number = len(sites)
        site = YardstickSite(name=f"{PREFIX}{number}")
        site.register(yardstick.model, _model_admin(yardstick, page.query))
        sites[key] = (number, site, yardstick)
    return sites


SITES = _sites()


def urlpatterns() -> list[URLPattern | URLResolver]:
    return [path(f"{PREFIX}/{number}/", site.urls) for number, site, _y in SITES.values()]


def changelist_url(url_name: str, query: str) -> str | None:
    """The address of the yardstick changelist of a list page (in demo.bench_urls), or None: not a list page."""
    found = SITES.get((url_name, query))
    if found is None:
        return None
    number, _site, yardstick = found
    meta = yardstick.model._meta
    return f"/{PREFIX}/{number}/{meta.app_label}/{meta.model_name}/"
