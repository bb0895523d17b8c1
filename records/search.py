"""Search across everything: one text, the rows of each kind it finds, scoped in the queries themselves.

Every kind of person (doctors, ALIS, supervisors, course participants) and the courses are narrowed by
their model's `visible_to(user)`: an office user finds their own region's people only, the coordinator
every region's, Helsedirektoratet's reader none. Municipalities and GP offices are public registers that
every signed-in user may open; they are found nationally, the user's own region first.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.suggestions import search as search_rows
from courses.models import Course, Registration
from registry.models import Doctor, GpOffice, Municipality
from supervision.models import SupervisorProfile
from training.models import Training

PER_KIND = 6
MIN_LENGTH = 2


@dataclass(frozen=True)
class Hit:
    label: str
    detail: str
    url: str


@dataclass
class Group:
    key: str
    label: str | Promise
    hits: list[Hit] = field(default_factory=list)
    more: bool = False
    more_url: str = ""


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    rows: Callable[[User], QuerySet]
    fields: tuple[str, ...]
    hit: Callable[[Any], Hit]
    list_url: str


def _own_region_first(queryset: QuerySet, user: User, path: str) -> QuerySet:
    if user.office_id is None:
        return queryset
    own = Case(When(**{path: user.office_id}, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(own_region=own).order_by("own_region", *queryset.model._meta.ordering)


def _hpr(number: str | None) -> str:
    return f"HPR {number}" if number else ""


def _joined(*parts: object) -> str:
    return " · ".join(str(p) for p in parts if p)


KINDS = (
    Kind(
        "doctors",
        _("Leger"),
        lambda user: Doctor.objects.visible_to(user).select_related("municipality"),
        ("first_name", "last_name", "hpr_number"),
        lambda d: Hit(
            d.full_name,
            _joined(_hpr(d.hpr_number), d.municipality and d.municipality.name),
            reverse("registry:doctor_detail", args=[d.pk]),
        ),
        "registry:doctor_list",
    ),
    Kind(
        "trainings",
        _("ALIS"),
        lambda user: Training.objects.visible_to(user).select_related("doctor", "employer"),
        ("doctor__first_name", "doctor__last_name", "doctor__hpr_number"),
        lambda t: Hit(
            t.doctor.full_name,
            _joined(t.employer.name, t.get_status_display(), f"{t.start:%Y}"),
            reverse("training:detail", args=[t.pk]),
        ),
        "training:list",
    ),
    Kind(
        "supervisors",
        _("Veiledere"),
        lambda user: SupervisorProfile.objects.visible_to(user).select_related("doctor__municipality"),
        ("doctor__first_name", "doctor__last_name", "doctor__hpr_number"),
        lambda s: Hit(
            s.doctor.full_name,
            _joined(_hpr(s.doctor.hpr_number), s.doctor.municipality and s.doctor.municipality.name),
            reverse("registry:doctor_detail", args=[s.doctor_id]),
        ),
        "supervision:profile_list",
    ),
    Kind(
        "municipalities",
        _("Kommuner"),
        lambda user: _own_region_first(Municipality.objects.select_related("county"), user, "county__office_id"),
        ("name", "name_norwegian", "number"),
        lambda m: Hit(m.name, _joined(m.number, m.county.name), reverse("registry:municipality_detail", args=[m.pk])),
        "registry:municipality_list",
    ),
    Kind(
        "gp_offices",
        _("Legekontorer"),
        lambda user: _own_region_first(
            GpOffice.objects.select_related("municipality"), user, "municipality__county__office_id"
        ),
        ("name", "postal_place"),
        lambda g: Hit(g.name, g.municipality.name, reverse("registry:gp_office_detail", args=[g.pk])),
        "registry:gp_office_list",
    ),
    Kind(
        "courses",
        _("Kurs"),
        lambda user: Course.objects.visible_to(user),
        ("title", "place"),
        lambda c: Hit(c.title, c.place_label, reverse("courses:detail", args=[c.pk])),
        "courses:list",
    ),
    Kind(
        "participants",
        _("Kursdeltakere"),
        lambda user: Registration.objects.visible_to(user).select_related("course"),
        ("name", "email", "hpr_number"),
        # Through the search's own page, which logs the read: the participant list does not log one per person.
        lambda r: Hit(
            r.name, _joined(r.course.title, r.get_status_display()), reverse("records:open_participant", args=[r.pk])
        ),
        "",
    ),
)


def _starting_first(queryset: QuerySet, text: str, fields: tuple[str, ...]) -> QuerySet:
    """Rows where a field begins with the first word come first («Bergen» before «Randaberg» for «berg»)."""
    word = text.split()[0]
    begins = Q()
    for name in fields:
        begins |= Q(**{f"{name}__istartswith": word})
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    starts = Case(When(begins, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(starts=starts).order_by("starts", *ordering)


def search_everything(user: User, text: str) -> list[Group]:
    """The groups with hits for `text` (at least two characters), in the order of KINDS; one query per kind."""
    text = text.strip()[:100]
    if len(text) < MIN_LENGTH:
        return []
    groups = []
    for kind in KINDS:
        rows = list(_starting_first(search_rows(kind.rows(user), text, kind.fields), text, kind.fields)[: PER_KIND + 1])
        if not rows:
            continue
        more_url = f"{reverse(kind.list_url)}?{urlencode({'q': text})}" if kind.list_url else ""
        groups.append(
            Group(kind.key, kind.label, [kind.hit(row) for row in rows[:PER_KIND]], len(rows) > PER_KIND, more_url)
        )
    return groups
