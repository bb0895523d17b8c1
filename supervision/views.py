from dataclasses import replace
from datetime import date, timedelta
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Max, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.abilities import may, may_in_region, require
from core import bulk, dataversion, fragments, history, readlog, tableversions
from core.counting import count_per_row
from core.editing import confirm_page, delete_page, form_page
from core.formatting import number
from core.lists import BulkAction, Column, Selection, choice_label, list_page, render_list
from core.navigation import crumbs
from core.paths import path_for
from core.ratelimit import SUPERVISOR_LINK, rate_limit
from core.scoping import require_personal_data
from core.suggestions import suggestion_response
from core.validation import parse_int, query_int
from registry.forms import DOCTOR_SEARCH, doctor_label
from registry.models import Doctor, Municipality, Office
from supervision import links, matching, pool, services
from supervision.forms import (
    TRAINING_SEARCH,
    ComplianceFilterForm,
    GroupFilterForm,
    GroupForm,
    GroupMeetingForm,
    GroupMemberForm,
    LinkSessionForm,
    PoolAddForm,
    ProfileFilterForm,
    SessionForm,
    SupervisorProfileForm,
    training_label,
)
from supervision.models import (
    GroupMeeting,
    GroupMember,
    SupervisionGroup,
    SupervisionSession,
    SupervisorLink,
    SupervisorProfile,
)
from training.models import SupervisorAssignment, Training
from training.overview import office_scope, selectable_offices

PER_PAGE = 50
# The pool page lists the first of the ALIS without a supervisor and links to the whole filtered ALIS list: all of
# a region's (up to 200) made the page grow with the data, 1.3× at twice the data (issue 16).
WITHOUT_SHOWN = 50


def _today():
    return timezone.localdate()


def pool_page(request: HttpRequest) -> HttpResponse:
    today = _today()
    office = office_scope(request.user, request.GET.get("office"))
    summary = tableversions.kept(
        f"pool-summary:{office.pk if office else 'all'}:{today}",
        lambda: pool.pool_summary(office, today),
        also=tableversions.so_far(),
    )
    without, without_rows = [], ""
    if request.user.reads_personal_data:
        # Finding them asks every ongoing training of the region for a current supervisor, and grows with the
        # data: kept until a table it reads is written to (core.tableversions).
        key = f"pool-without:{office.pk if office else 'all'}:{dataversion.scope_key(request.user)}:{today}"
        build = partial(_without, request.user, office, today)
        without, without_rows = tableversions.kept(key, build)
    context = {
        "office": office,
        "offices": selectable_offices(request.user),
        "summary": summary,
        "without": without,
        "without_rows": without_rows,
        "today": today,
    }
    return render(request, "supervision/pool.html", context)


def _without(user, office: Office | None, today) -> tuple[list[Training], SafeString]:
    """The first ALIS without a supervisor (what the rows show of them) and their rows."""
    trainings = pool.without_supervisor(office, today).visible_to(user)
    without = list(
        trainings.select_related("doctor", "employer")
        .only("pk", "start", "doctor__first_name", "doctor__last_name", "employer__name")  # what the rows show
        .order_by("employer__name", "doctor__last_name")[:WITHOUT_SHOWN]
    )
    return without, _without_rows(without)


def _without_rows(trainings) -> SafeString:
    """The rows of the ALIS without a supervisor, written here rather than in a template loop: 200 rows of two
    links each took 12 ms of template lookups, reversing and translating (profiled at twice national)."""
    detail, proposals = path_for("training:detail"), path_for("supervision:proposals")
    propose, for_whom = _("Forslag"), _("for")
    return format_html_join(
        "\n",
        '<tr><td><a class="ds-link" href="{}">{}, {}</a></td><td>{}</td><td>{}</td>'
        '<td><a class="ds-link" href="{}">{}<span class="ds-sr-only"> {} {}</span></a></td></tr>',
        (
            (
                detail(t.pk),
                t.doctor.last_name,
                t.doctor.first_name,
                t.employer.name if t.employer else "",
                t.start.strftime("%d.%m.%Y") if t.start else "",
                proposals(t.pk),
                propose,
                for_whom,
                t.doctor.full_name,
            )
            for t in trainings
        ),
    )


def _qualification(profile: SupervisorProfile) -> str:
    if profile.doctor.is_specialist:
        return _("spesialist")
    if profile.doctor.is_community_medicine_specialist:
        return _("spesialist i samfunnsmedisin")
    if profile.exemption_until:
        return _("dispensasjon til %(day)s") % {"day": profile.exemption_until.strftime("%d.%m.%Y")}
    return _("nei")


def _profile_columns(user) -> list[Column]:
    def edit(profile: SupervisorProfile) -> str:
        if not may(user, "change", profile):
            return ""
        url = reverse("supervision:profile_edit", args=[profile.doctor_id])
        return format_html(
            '<a href="{}">{}<span class="ds-sr-only"> {}</span></a>', url, _("Endre"), profile.doctor.full_name
        )

    return [
        Column(
            "name",
            gettext_lazy("Veileder"),
            ("doctor__last_name", "doctor__first_name"),
            value=lambda p: f"{p.doctor.last_name}, {p.doctor.first_name}",
            link=lambda p: path_for("registry:doctor_detail")(p.doctor_id),
        ),
        Column(
            "municipality",
            gettext_lazy("Kommune"),
            ("doctor__municipality__name_norwegian", "doctor__last_name"),
            value="doctor.municipality.name",
        ),
        Column("gp_office", gettext_lazy("Legekontor"), ("doctor__gp_office__name",), value="doctor.gp_office.name"),
        Column("qualified", gettext_lazy("Kvalifisert"), value=_qualification),
        Column("capacity", gettext_lazy("Kapasitet"), ("capacity", "doctor__last_name"), numeric=True),
        Column("load", gettext_lazy("Veileder nå"), ("load", "doctor__last_name"), numeric=True),
        Column("free", gettext_lazy("Ledige plasser"), ("free", "doctor__last_name"), numeric=True),
        Column("remote", gettext_lazy("Video"), ("remote_ok", "doctor__last_name"), value="remote_ok"),
        Column("edit", gettext_lazy("Profil"), value=edit),
    ]


def _profiles(user, today):
    return (
        SupervisorProfile.objects.visible_to(user)
        .with_load(today)
        .annotate(free=F("capacity") - F("load"))
        .select_related("doctor__municipality__county", "doctor__gp_office")
    )


def profile_list(request: HttpRequest) -> HttpResponse:
    """The supervisor pool: every supervisor of the region, their capacity and how much of it is in use."""
    require_personal_data(request.user)
    today = _today()
    form = ProfileFilterForm(request.GET, user=request.user)
    selection = None
    if may(request.user, "add", SupervisorLink):
        send = BulkAction(_("Send personlig lenke"), reverse("supervision:profile_links_send"))
        selection = Selection(actions=[send], label=lambda p: p.doctor.full_name, value=lambda p: p.doctor_id)
    listing = list_page(
        request,
        form.filter(_profiles(request.user, today)),
        columns=_profile_columns(request.user),
        default_sort="name",
        caption=_("Veiledere i poolen, kapasitet og ledige plasser per %(day)s") % {"day": today.strftime("%d.%m.%Y")},
        empty_text=_("Ingen veiledere passer til filteret."),
        selection=selection,
        keep_rows=True,
    )
    context = {"form": form, "can_add": may(request.user, "add", SupervisorProfile)}
    return render_list(request, "supervision/profile_list.html", listing, context)


def _pool_crumbs() -> list:
    return crumbs((_("Veiledere"), reverse("supervision:profile_list")))


def profile_create(request: HttpRequest) -> HttpResponse:
    """Add a doctor of the region to the supervisor pool."""
    in_pool = SupervisorProfile.objects.values("doctor_id")
    doctors = (
        Doctor.objects.visible_to(request.user)
        .filter(municipality__in=_editable_municipalities(request.user))
        .exclude(pk__in=in_pool)
        .order_by("last_name", "first_name", "pk")
    )
    return form_page(
        request,
        PoolAddForm,
        instance=SupervisorProfile(),
        form_kwargs={"doctors": doctors},
        parent=lambda profile: profile.doctor,
        title=_("Legg til veileder i poolen"),
        saved_message=_("Veilederen er lagt til i poolen."),
        success_url=reverse("supervision:profile_list"),
        breadcrumbs=_pool_crumbs(),
    )


def _editable_municipalities(user):
    return Municipality.objects.editable_by(user)


def candidate_search(request: HttpRequest) -> HttpResponse:
    """Doctors of the user's region not yet in the pool, for «Legg til veileder»."""
    require_personal_data(request.user)
    doctors = (
        Doctor.objects.visible_to(request.user)
        .filter(municipality__in=_editable_municipalities(request.user))
        .exclude(pk__in=SupervisorProfile.objects.values("doctor_id"))
        .order_by("last_name", "first_name", "pk")
    )
    return suggestion_response(request, doctors, search_fields=DOCTOR_SEARCH, label=doctor_label)


def supervisor_search(request: HttpRequest) -> HttpResponse:
    """The pool's supervisors the user may see, by name or HPR number: for choosing an ALIS's supervisor."""
    require_personal_data(request.user)
    pool_doctors = SupervisorProfile.objects.visible_to(request.user).values("doctor_id")
    doctors = Doctor.objects.filter(pk__in=pool_doctors).order_by("last_name", "first_name", "pk")
    return suggestion_response(request, doctors, search_fields=DOCTOR_SEARCH, label=doctor_label)


def profile_edit(request: HttpRequest, doctor_pk: int) -> HttpResponse:
    doctor = get_object_or_404(
        Doctor.objects.visible_to(request.user).select_related("municipality__county"), pk=doctor_pk
    )
    profile = SupervisorProfile.objects.filter(doctor=doctor).first() or SupervisorProfile(doctor=doctor)
    return form_page(
        request,
        SupervisorProfileForm,
        instance=profile,
        parent=doctor,
        title=_("Veilederprofil for %(name)s") % {"name": doctor.full_name},
        saved_message=_("Veilederprofilen er lagret."),
        success_url=reverse("supervision:profile_list"),
        cancel_url=reverse("registry:doctor_detail", args=[doctor.pk]),
        breadcrumbs=_pool_crumbs(),
    )


def _visible_training(request: HttpRequest, pk: int) -> Training:
    trainings = Training.objects.visible_to(request.user).select_related("doctor", "employer__county", "gp_office")
    return get_object_or_404(trainings, pk=pk)


def proposals(request: HttpRequest, pk: int) -> HttpResponse:
    training = _visible_training(request, pk)
    today = _today()
    can_edit = may(request.user, "add", SupervisorAssignment(training=training))
    # Ranking the region's pool runs once per data change, for each reader (core.tableversions).
    key = f"proposals:{training.pk}:{request.user.pk}:{today}"
    read, body = tableversions.kept(
        key, partial(_proposals, request.user, training, today, can_edit), also=tableversions.so_far()
    )
    readlog.read(request, training, *read)
    context = {"training": training, "body": fragments.with_csrf(request, body)}
    return render(request, "supervision/proposals.html", context)


def _proposals(user, training: Training, today: date, can_edit: bool) -> tuple[list, str]:
    """The doctors proposed and the current assignment (for the read log), and the page's content as HTML."""
    profiles = SupervisorProfile.objects.visible_to(user).filter(doctor__municipality__isnull=False)
    trainee = pool.trainees(Training.objects.filter(pk=training.pk))[0]
    ranked = matching.rank(trainee, pool.candidates(profiles, today), today)[:30]
    doctors = Doctor.objects.in_bulk([p.candidate.id for p in ranked])
    rows = [(p, doctors[p.candidate.id]) for p in ranked]
    current = list(SupervisorAssignment.objects.current(today).filter(training=training).select_related("supervisor"))
    context = {
        "training": training,
        "rows": rows,
        "current": current,
        "can_edit": can_edit,
        "local_km": matching.LOCAL_KM,
        "csrf_token": fragments.CSRF_MARK,
    }
    return [list(doctors.values()), current], render_to_string("supervision/_proposals.html", context)


def _region_office(request: HttpRequest) -> Office:
    office = office_scope(request.user, request.GET.get("office") or request.POST.get("office"))
    if office is None:
        raise Http404
    return office


def region_proposal(request: HttpRequest) -> HttpResponse:
    """The best assignment for all ALIS without a supervisor in one region; the office ticks and confirms."""
    require_personal_data(request.user)
    office = _region_office(request)
    today = _today()
    may_assign = may_in_region(request.user, "add", SupervisorAssignment, office.pk)
    if request.method == "POST":
        if not may_assign:
            raise PermissionDenied
        return _confirm_pairs(request, office, today)
    trainings = pool.without_supervisor(office, today).visible_to(request.user)
    profiles = pool.profiles_in(office).visible_to(request.user)
    # The exact matching of the whole region (Hungarian method, cubic in the ALIS without a supervisor) runs once
    # per data change (core.tableversions), not per view: at twice the data it took 1.4× the time (issue 16).
    # Its rows are written with it: a region's hundreds of rows were what still grew with the data.
    key = f"region-proposal:{dataversion.query_key(trainings)}:{dataversion.query_key(profiles)}:{today}:{may_assign}"

    def build() -> tuple[list, list[Training], float, SafeString, SafeString]:
        pairs, unmatched, total_km = _region_assignment(trainings, profiles, today)
        return pairs, unmatched, total_km, _pair_rows(pairs, disabled=not may_assign), _unmatched_items(unmatched)

    pairs, unmatched, total_km, pair_rows, unmatched_items = tableversions.kept(
        key, build, also=tableversions.so_far()
    )
    context = {
        "office": office,
        "pairs": pairs,
        "pair_rows": pair_rows,
        "unmatched": unmatched,
        "unmatched_items": unmatched_items,
        "total_km": total_km,
        "can_edit": may_assign,
        "offices": Office.objects.all() if request.user.sees_all_regions else [],
    }
    readlog.read_list(request, rows=len(pairs) + len(unmatched), label=_("Forslag til veiledere"))
    return render(request, "supervision/region_proposal.html", context)


def _region_assignment(trainings, profiles, today) -> tuple[list, list[Training], float]:
    """The region's proposal as the page shows it: (pair, ALIS, supervisor) rows, the ALIS left without, and
    the total distance."""
    result = matching.assign(pool.trainees(trainings), pool.candidates(profiles, today), today)
    by_training = trainings.select_related("doctor", "employer").in_bulk(
        [p.trainee_id for p in result.pairs] + result.unmatched
    )
    doctors = Doctor.objects.select_related("municipality").in_bulk([p.supervisor_id for p in result.pairs])
    pairs = [(p, by_training[p.trainee_id], doctors[p.supervisor_id]) for p in result.pairs]
    return pairs, [by_training[i] for i in result.unmatched], result.total_km


def _pair_rows(pairs: list, *, disabled: bool) -> SafeString:
    """The proposal's rows, written here rather than in a template loop: a region's hundreds of rows with a
    translated label and a link each grew the page with the data (issue 16)."""
    proposals, unknown = path_for("supervision:proposals"), _("ukjent")
    return format_html_join(
        "\n",
        '<tr><td><input class="ds-input" type="checkbox" name="pair" value="{}:{}" id="pair-{}" checked{}>'
        '<label class="ds-sr-only" for="pair-{}">{}</label></td>'
        '<td><a class="ds-link" href="{}">{}, {}</a></td><td>{}</td><td>{}, {}</td><td>{}</td>'
        '<td class="num">{}</td></tr>',
        (
            (
                t.pk,
                d.pk,
                t.pk,
                " disabled" if disabled else "",
                t.pk,
                _("Bekreft %(s)s som veileder for %(a)s") % {"s": d.full_name, "a": t.doctor.full_name},
                proposals(t.pk),
                t.doctor.last_name,
                t.doctor.first_name,
                t.employer.name if t.employer else "",
                d.last_name,
                d.first_name,
                d.municipality.name if d.municipality else "",
                unknown if p.distance_km is None else number(p.distance_km, 0),
            )
            for p, t, d in pairs
        ),
    )


def _unmatched_items(trainings: list[Training]) -> SafeString:
    """The list of the ALIS the proposal finds no supervisor for (written with the proposal's rows)."""
    proposals = path_for("supervision:proposals")
    return format_html_join(
        "",
        '<li><a class="ds-link" href="{}">{}</a>, {}</li>',
        ((proposals(t.pk), t.doctor.full_name, t.employer.name if t.employer else "") for t in trainings),
    )


def _confirm_pairs(request: HttpRequest, office: Office, today) -> HttpResponse:
    wanted = []
    for value in request.POST.getlist("pair"):
        training_text, _sep, doctor_text = value.partition(":")
        training_id, doctor_id = parse_int(training_text), parse_int(doctor_text)
        if training_id is None or doctor_id is None:
            raise Http404
        wanted.append((training_id, doctor_id))
    if not wanted:
        messages.error(request, _("Velg minst ett forslag å bekrefte."))
        return redirect(f"{reverse('supervision:region_proposal')}?office={office.code}")
    trainings = Training.objects.visible_to(request.user).in_office(office.pk).in_bulk([t for t, _d in wanted])
    doctors = (
        SupervisorProfile.objects.visible_to(request.user).in_office(office.pk).values_list("doctor_id", flat=True)
    )
    doctors = Doctor.objects.filter(pk__in=doctors).in_bulk([d for _t, d in wanted])
    if len(trainings) != len({t for t, _d in wanted}) or len(doctors) != len({d for _t, d in wanted}):
        raise Http404
    try:
        created = services.match_confirm(
            pairs=[(trainings[t], doctors[d]) for t, d in wanted], on=today, by=request.user
        )
    except services.MatchConflict as conflict:
        messages.error(request, _("Ingenting er lagret: %(reason)s Se over det nye forslaget.") % {"reason": conflict})
    else:
        messages.success(request, _("%(n)s veiledere er oppnevnt.") % {"n": len(created)})
    return redirect(f"{reverse('supervision:region_proposal')}?office={office.code}")


@require_POST
def proposal_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm one proposed supervisor for one ALIS (from the proposals page)."""
    training = _visible_training(request, pk)
    require(request.user, "add", SupervisorAssignment(training=training))
    doctor_ids = SupervisorProfile.objects.visible_to(request.user).values_list("doctor_id", flat=True)
    supervisors = Doctor.objects.filter(pk__in=doctor_ids)
    supervisor = get_object_or_404(supervisors, pk=query_int(request.POST, "supervisor", 0))
    try:
        services.match_confirm(pairs=[(training, supervisor)], on=_today(), by=request.user)
    except services.MatchConflict as conflict:
        messages.error(request, _("Ingenting er lagret: %(reason)s") % {"reason": conflict})
        return redirect("supervision:proposals", pk=pk)
    messages.success(request, _("%(name)s er oppnevnt som veileder.") % {"name": supervisor.full_name})
    return redirect("training:detail", pk=pk)


def _session_crumbs(training: Training) -> list:
    return crumbs(
        (_("Oppfølging av veiledning"), reverse("supervision:compliance")),
        (training.doctor.full_name, reverse("supervision:session_list", args=[training.pk])),
    )


def session_list(request: HttpRequest, pk: int) -> HttpResponse:
    training = _visible_training(request, pk)
    readlog.read(request, training)
    today = _today()
    can_edit = may(request.user, "change", training)
    # The rules and every session of the ALIS (the most have hundreds): written once per data change.
    key = f"session-list:{training.pk}:{today}:{can_edit}"
    status_html, session_rows = tableversions.kept(key, partial(_session_parts, training, today, can_edit))
    links_ = SupervisorLink.objects.filter(
        supervisor__in=SupervisorAssignment.objects.current(today).filter(training=training).values("supervisor")
    ).select_related("supervisor")
    context = {
        "training": training,
        "status_html": status_html,
        "session_rows": session_rows,
        "can_edit": can_edit,
        "supervisors": SupervisorAssignment.objects.current(today)
        .filter(training=training)
        .select_related("supervisor"),
        "links": links_,
        "today": today,
        "breadcrumbs": crumbs(
            (_("Oppfølging av veiledning"), reverse("supervision:compliance")), training.doctor.full_name
        ),
    }
    return render(request, "supervision/session_list.html", context)


def _session_parts(training: Training, today: date, can_edit: bool) -> tuple[str, str]:
    """Whether the ALIS meets the requirement, and the rows of their sessions, as HTML."""
    rows = pool.compliance(Training.objects.filter(pk=training.pk), today)
    pool.complete(rows, today)
    sessions = list(training.supervision_sessions.select_related("supervisor"))
    groups = pool.group_facts([training.pk], today)
    for session in sessions:
        # A group session on a day of group membership is not counted: the group's meetings are (rules.group_minutes).
        session.replaced = session.kind == SupervisionSession.Kind.GROUP and groups.in_group_on(
            training.pk, session.date
        )
    status = {"status": rows[0].status if rows else None, "rule": rows[0].rule if rows else None}
    return (
        render_to_string("supervision/_status.html", status),
        render_to_string("supervision/_session_rows.html", {"sessions": sessions, "can_edit": can_edit}),
    )


def _session_supervisors(training: Training):
    ids = SupervisorAssignment.objects.filter(training=training).values("supervisor")
    return Doctor.objects.filter(pk__in=ids)


def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    training = _visible_training(request, pk)
    sessions = reverse("supervision:session_list", args=[pk])
    return form_page(
        request,
        SessionForm,
        instance=SupervisionSession(training=training),
        parent=training,
        form_kwargs={"supervisors": _session_supervisors(training)},
        title=_("Ny veiledningstime"),
        saved_message=_("Veiledningstimen er lagret."),
        success_url=sessions,
        breadcrumbs=_session_crumbs(training),
    )


def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sessions = SupervisionSession.objects.visible_to(request.user).select_related(
        "training__employer__county", "training__doctor"
    )
    session = get_object_or_404(sessions, pk=pk)
    training = session.training
    listing = reverse("supervision:session_list", args=[training.pk])
    return form_page(
        request,
        SessionForm,
        instance=session,
        parent=training,
        form_kwargs={"supervisors": _session_supervisors(training)},
        title=_("Endre veiledningstime"),
        saved_message=_("Veiledningstimen er lagret."),
        success_url=listing,
        breadcrumbs=_session_crumbs(training),
    )


def _status_tags(row: pool.ComplianceRow) -> str:
    """Behind, on track, or not judged: a part the scheme sets no hours for is never called «I rute»."""
    status = row.status
    tags = []
    if status.behind:
        tags.append(format_html('<span class="ds-tag" data-color="danger">{}</span>', _("Ligger etter")))
    if status.group_behind:
        tags.append(format_html('<span class="ds-tag" data-color="warning">{}</span>', _("Gruppe")))
    if tags:
        return format_html(" ".join(["{}"] * len(tags)), *tags)
    if not status.judged:
        return format_html('<span class="ds-tag" data-color="neutral">{}</span>', _("Ikke vurdert"))
    if status.behind is None:
        return _("I rute for gruppeveiledning")
    if status.group_behind is None:
        return _("I rute for individuell veiledning")
    return _("I rute")


def _not_judged(reason: str) -> str:
    return format_html('<span class="muted">{}</span>', _("ikke vurdert: %(reason)s") % {"reason": reason})


def _due_cell(row: pool.ComplianceRow) -> str:
    if row.status.due_hours is None:
        return _not_judged(row.rule.individual_text)
    return number(row.status.due_hours)


def _group_cell(row: pool.ComplianceRow) -> str:
    done = number(row.status.group_hours)
    if row.status.group_required is None:
        return format_html("{}<br>{}", done, _not_judged(row.rule.group_text))
    return f"{done} / {number(row.status.group_required)}"


COMPLIANCE_COLUMNS = [
    Column(
        "name",
        gettext_lazy("ALIS"),
        value=lambda r: f"{r.training.doctor.last_name}, {r.training.doctor.first_name}",
        link=lambda r: path_for("supervision:session_list")(r.training.pk),
    ),
    Column("municipality", gettext_lazy("Kommune"), value="training.employer.name"),
    Column(
        "share",
        gettext_lazy("Stilling"),
        numeric=True,
        value=lambda r: f"{number(r.training.position_share)}\u00a0%",
    ),
    Column("logged", gettext_lazy("Timer siste 12 mnd."), numeric=True, value="status.logged_hours"),
    Column("due", gettext_lazy("Krav"), numeric=True, value=_due_cell),
    Column(
        "months",
        gettext_lazy("Måneder uten"),
        numeric=True,
        # Months without individual supervision matter only where the scheme asks for it in hours.
        value=lambda r: None if r.status.due_hours is None else r.status.months_without_sessions,
    ),
    Column("group", gettext_lazy("Gruppe (timer)"), numeric=True, value=_group_cell),
    Column("status", gettext_lazy("Status"), value=_status_tags),
]


def _compliance_municipality_rows(municipalities: list[pool.MunicipalityCompliance]) -> SafeString:
    """The rows of the table per municipality: ALIS, and how many are behind on individual and group supervision."""
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>',
        ((m.name, number(m.alis), number(m.behind), number(m.group_behind)) for m in municipalities),
    )


def compliance_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    today = _today()
    form = ComplianceFilterForm(request.GET, user=request.user)
    trainings = form.filter(Training.objects.visible_to(request.user).ongoing())
    trainings = trainings.order_by("employer__name", "doctor__last_name", "doctor__first_name", "pk")

    def judged() -> tuple[list[pool.ComplianceRow], list[pool.MunicipalityCompliance], SafeString]:
        rows = pool.compliance(trainings, today)
        municipalities = pool.by_municipality(rows)
        return rows, municipalities, _compliance_municipality_rows(municipalities)

    def complete(shown: list[pool.ComplianceRow]) -> None:
        shown[:] = [replace(row) for row in shown]  # the kept rows stay as they were
        pool.complete(shown, today)

    # The rules for every ALIS of the region run once per data change, not per request; the table per municipality
    # (hundreds of rows for the coordinator) is written once with them, and each page of rows once.
    key = f"compliance:{dataversion.query_key(trainings)}:{today}"
    rows, municipalities, municipality_rows = tableversions.kept(key, judged)
    rows = [r for r in rows if form.keeps(r.status)]
    listing = list_page(
        request,
        rows,
        columns=COMPLIANCE_COLUMNS,
        per_page=PER_PAGE,
        caption=_("Veiledning per ALIS siste 12 måneder"),
        empty_text=_("Ingen ALIS passer til filteret."),
        keep_rows=True,
        prepare_rows=complete,
    )
    context = {
        "form": form,
        "municipalities": municipalities,
        "municipality_rows": municipality_rows,
        "results_before": "supervision/_compliance_municipalities.html",
    }
    return render_list(request, "supervision/compliance.html", listing, context)


@require_POST
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A private link for the training's current supervisor, e-mailed by the task worker."""
    training = _visible_training(request, pk)
    require(request.user, "change", training)
    assignment = (
        SupervisorAssignment.objects.current(_today()).filter(training=training).select_related("supervisor").first()
    )
    if assignment is None:
        raise Http404
    link = services.link_create(supervisor=assignment.supervisor, by=request.user)
    if assignment.supervisor.email:
        services.link_send(link=link)
        messages.success(request, _("Lenken er sendt til %(email)s.") % {"email": assignment.supervisor.email})
    else:
        messages.warning(request, _("Veilederen har ingen e-postadresse. Kopier lenken og send den selv."))
    request.session["supervision_new_link"] = request.build_absolute_uri(
        reverse("supervision:link_page", args=[links.token_for(link)])
    )
    return redirect("supervision:session_list", pk=pk)


def profile_links_send(request: HttpRequest) -> HttpResponse:
    """E-mail each chosen supervisor a new private link of their own, after the user has seen who gets what."""
    require_personal_data(request.user)
    require(request.user, "add", SupervisorLink)
    today = _today()
    choice = bulk.chosen(request)
    profiles = _profiles(request.user, today)
    if choice.all:
        profiles = ProfileFilterForm(choice.query, user=request.user).filter(profiles)
    else:
        profiles = profiles.filter(doctor_id__in=choice.ids)
    expires = today + timedelta(days=services.LINK_DAYS)
    rows, skipped, doctors = [], [], {}
    for profile in profiles.order_by("doctor__last_name", "doctor__first_name", "pk")[: bulk.MAX_ROWS]:
        doctor = profile.doctor
        if not may(request.user, "add", SupervisorLink(supervisor=doctor)):
            skipped.append((doctor.full_name, _("utenfor regionen du kan endre")))
        elif not doctor.email:
            skipped.append((doctor.full_name, _("har ingen e-postadresse")))
        elif not profile.load:
            skipped.append((doctor.full_name, _("veileder ingen ALIS nå; lenken ville vært tom")))
        else:
            doctors[doctor.pk] = doctor
            alis = ngettext("%(n)s ALIS", "%(n)s ALIS", profile.load) % {"n": profile.load}
            rows.append(bulk.BulkRow(doctor.pk, [doctor.full_name, doctor.email, alis]))

    def act(ids: list[int]) -> str:
        created = services.links_send(supervisors=[doctors[pk] for pk in ids], by=request.user)
        return ngettext(
            "%(n)s personlig lenke er laget og sendes nå på e-post.",
            "%(n)s personlige lenker er laget og sendes nå på e-post, hver til sin veileder.",
            len(created),
        ) % {"n": len(created)}

    return bulk.bulk_page(
        request,
        title=_("Send personlig lenke til veiledere"),
        intro=_(
            "Hver veileder under får en ny personlig lenke på e-post, gyldig til %(day)s. Med lenken bekrefter og "
            "registrerer veilederen timer for ALIS-ene de veileder, uten brukerkonto. Eldre lenker virker fortsatt "
            "til de utløper eller trekkes tilbake."
        )
        % {"day": expires.strftime("%d.%m.%Y")},
        headers=[_("Veileder"), _("E-post"), _("Veileder nå")],
        rows=rows,
        skipped=skipped,
        act=act,
        confirm_label=ngettext("Send %(n)s lenke", "Send %(n)s lenker", len(rows)) % {"n": len(rows)},
        success_url=reverse("supervision:profile_list"),
        breadcrumbs=_pool_crumbs(),
    )


def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a supervisor's private link, after the user confirms."""
    link = get_object_or_404(SupervisorLink.objects.select_related("supervisor"), pk=pk)
    trainings = Training.objects.visible_to(request.user).filter(supervisor_assignments__supervisor=link.supervisor)
    training = trainings.select_related("employer__county", "doctor").first()
    if training is None:
        raise Http404
    require(request.user, "change", training)
    sessions = reverse("supervision:session_list", args=[training.pk])

    def act() -> str:
        services.link_revoke(link=link, by=request.user)
        return _("Lenken er trukket tilbake.")

    return confirm_page(
        request,
        about=link,
        title=_("Trekk tilbake lenken til %(name)s") % {"name": link.supervisor.full_name},
        question=_(
            "Veilederen kan ikke lenger bekrefte eller registrere timer med denne lenken. Vil du trekke den tilbake?"
        ),
        confirm_label=_("Trekk tilbake lenken"),
        act=act,
        success_url=sessions,
        facts=[(_("Gyldig til"), link.expires_on.strftime("%d.%m.%Y"))],
        blocked=_("Lenken er allerede trukket tilbake.") if link.revoked_at else "",
        breadcrumbs=_session_crumbs(training),
    )


def _link_trainings(link: SupervisorLink):
    current = SupervisorAssignment.objects.current(_today()).filter(supervisor=link.supervisor).values("training")
    return Training.objects.filter(pk__in=current).select_related("doctor").order_by("doctor__last_name")


@login_not_required
@rate_limit(SUPERVISOR_LINK)
def link_page(request: HttpRequest, token: str) -> HttpResponse:
    """The supervisor's own page: the sessions of the ALIS they supervise now; confirm or add."""
    link = links.link_from_token(token)
    if link is None:
        return render(request, "supervision/link_invalid.html", status=404)
    trainings = list(_link_trainings(link))
    form = LinkSessionForm(request.POST or None, trainings=trainings, supervisor=link.supervisor, prefix="ny")
    if request.method == "POST":
        if "confirm" in request.POST:
            session = SupervisionSession.objects.filter(pk=query_int(request.POST, "confirm", 0)).first()
            if session is None or session.training_id not in {t.pk for t in trainings}:
                raise PermissionDenied
            services.session_confirm(session=session, link=link)
            messages.success(request, _("Timen er bekreftet."))
            return redirect("supervision:link_page", token=token)
        if form.is_valid():
            training = form.trainings[form.cleaned_data["training"]]
            services.session_add_by_link(link=link, training=training, data=form.cleaned_data)
            messages.success(request, _("Timen er registrert."))
            return redirect("supervision:link_page", token=token)
    sessions = SupervisionSession.objects.filter(training__in=[t.pk for t in trainings]).select_related(
        "training__doctor"
    )
    context = {"link": link, "trainings": trainings, "sessions": sessions[:200], "form": form}
    return render(request, "supervision/link_page.html", context)


# Supervision groups (veiledningsgrupper)


def _group_crumbs(group: SupervisionGroup | None = None) -> list:
    parts = [(_("Veiledningsgrupper"), reverse("supervision:group_list"))]
    if group is not None:
        parts.append((group.name, reverse("supervision:group_detail", args=[group.pk])))
    return crumbs(*parts)


def _visible_group(request: HttpRequest, pk: int) -> SupervisionGroup:
    groups = SupervisionGroup.objects.visible_to(request.user).select_related("office", "leader")
    return get_object_or_404(groups, pk=pk)


def _current_members(group_rows: str = "pk"):
    """The number of members of a group today (for the list)."""
    return count_per_row(GroupMember.objects.current(_today()), "group", group_rows)


GROUP_COLUMNS = [
    Column(
        "name",
        gettext_lazy("Gruppe"),
        ("name",),
        link=lambda g: path_for("supervision:group_detail")(g.pk),
    ),
    Column(
        "leader",
        gettext_lazy("Gruppeleder"),
        ("leader__last_name", "leader__first_name"),
        value=lambda g: g.leader.full_name,
    ),
    Column("specialty", gettext_lazy("Spesialitet"), ("specialty", "name"), value="get_specialty_display"),
    Column("members", gettext_lazy("Medlemmer nå"), ("member_count", "name"), numeric=True, value="member_count"),
    Column("rhythm", gettext_lazy("Rytme"), value="get_rhythm_display"),
    Column(
        "place",
        gettext_lazy("Sted"),
        value=lambda g: ", ".join(part for part in (choice_label(g, "format"), g.place) if part),
    ),
    Column("start", gettext_lazy("Startet"), ("start", "name"), value="start"),
    Column("last_meeting", gettext_lazy("Siste møte"), ("last_meeting", "name"), value="last_meeting"),
    Column("office", gettext_lazy("Kontor"), ("office__ordering", "name"), value="office.name"),
]


def group_list(request: HttpRequest) -> HttpResponse:
    """The region's supervision groups: leader, members now, rhythm, place, and when the group last met."""
    require_personal_data(request.user)
    today = _today()
    form = GroupFilterForm(request.GET, user=request.user, today=today)
    groups = (
        SupervisionGroup.objects.visible_to(request.user)
        .select_related("leader", "office")
        .annotate(member_count=_current_members(), last_meeting=Max("meetings__date"))
    )
    columns = GROUP_COLUMNS if request.user.sees_all_regions else GROUP_COLUMNS[:-1]
    listing = list_page(
        request,
        form.filter(groups),
        columns=columns,
        default_sort="name",
        caption=_("Veiledningsgrupper per %(day)s") % {"day": today.strftime("%d.%m.%Y")},
        empty_text=_("Ingen veiledningsgrupper passer til filteret."),
        keep_rows=True,
    )
    context = {"form": form, "can_add": may(request.user, "add", SupervisionGroup)}
    return render_list(request, "supervision/group_list.html", listing, context)


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One group: its facts, its members with their group hours in it, and its meetings with attendance."""
    group = _visible_group(request, pk)
    today = _today()
    can_edit = may(request.user, "change", group)
    # The members' hours and the meetings' attendance, written once per data change (core.tableversions).
    key = f"group-tables:{group.pk}:{today}:{can_edit}"
    members, tables = tableversions.kept(key, partial(_group_tables, group, today, can_edit))
    context = {
        "group": group,
        "tables": tables,
        "active": group.is_active(today),
        "can_edit": can_edit,
        "changes": history.history_of(group, user=request.user),
        "breadcrumbs": crumbs((_("Veiledningsgrupper"), reverse("supervision:group_list")), group.name),
    }
    readlog.read(request, group, group.leader, members)
    return render(request, "supervision/group_detail.html", context)


def _group_tables(group: SupervisionGroup, today: date, can_edit: bool) -> tuple[list[Training], str]:
    """The group's members' trainings, and the tables of its members and meetings as HTML."""
    members = list(group.members.select_related("training__doctor", "training__employer"))
    meetings = list(group.meetings.prefetch_related(Prefetch("attendees", Training.objects.select_related("doctor"))))
    minutes: dict[int, int] = {}
    attended: dict[int, int] = {}
    for meeting in meetings:
        for training in meeting.attendees.all():
            minutes[training.pk] = minutes.get(training.pk, 0) + meeting.minutes
            attended[training.pk] = attended.get(training.pk, 0) + 1
    for member in members:
        member.hours = minutes.get(member.training_id, 0) / 60
        member.meetings_attended = attended.get(member.training_id, 0)
        member.current = member.is_member_on(today)
    for meeting in meetings:
        meeting.hours = meeting.minutes / 60
        meeting.present = len(meeting.attendees.all())
        meeting.members_then = sum(1 for m in members if m.is_member_on(meeting.date))
    context = {"group": group, "members": members, "meetings": meetings, "can_edit": can_edit}
    html = render_to_string("supervision/_group_tables.html", context)
    return [member.training for member in members], html


def _leaders(user):
    return Doctor.objects.visible_to(user).order_by("last_name", "first_name", "pk")


def group_create(request: HttpRequest) -> HttpResponse:
    def prepare(group: SupervisionGroup) -> None:
        group.office_id = request.user.office_id  # a group belongs to the office that keeps it

    return form_page(
        request,
        GroupForm,
        instance=SupervisionGroup(office_id=request.user.office_id),
        form_kwargs={"leaders": _leaders(request.user)},
        prepare=prepare,
        title=_("Ny veiledningsgruppe"),
        saved_message=_("Veiledningsgruppen er lagret."),
        success_url=lambda saved: reverse("supervision:group_detail", args=[saved.pk]),
        cancel_url=reverse("supervision:group_list"),
        breadcrumbs=_group_crumbs(),
    )


def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _visible_group(request, pk)
    return form_page(
        request,
        GroupForm,
        instance=group,
        form_kwargs={"leaders": _leaders(request.user)},
        title=_("Endre veiledningsgruppe"),
        saved_message=_("Veiledningsgruppen er lagret."),
        success_url=reverse("supervision:group_detail", args=[group.pk]),
        breadcrumbs=_group_crumbs(group),
    )


def _group_candidates(group: SupervisionGroup):
    """Ongoing ALIS of the group's region who are not in it: those who can join."""
    return (
        Training.objects.ongoing()
        .in_office(group.office_id)
        .exclude(group_memberships__group=group)
        .select_related("doctor", "employer")
        .order_by("doctor__last_name", "doctor__first_name", "pk")
    )


def group_candidate_search(request: HttpRequest, pk: int) -> HttpResponse:
    group = _visible_group(request, pk)
    return suggestion_response(request, _group_candidates(group), search_fields=TRAINING_SEARCH, label=training_label)


def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _visible_group(request, pk)
    return form_page(
        request,
        GroupMemberForm,
        instance=GroupMember(group=group, joined=max(group.start, _today()) if group.is_active(_today()) else None),
        form_kwargs={"trainings": _group_candidates(group)},
        parent=group,
        title=_("Nytt medlem i %(group)s") % {"group": group.name},
        saved_message=_("Medlemmet er lagt til."),
        success_url=reverse("supervision:group_detail", args=[group.pk]),
        breadcrumbs=_group_crumbs(group),
    )


def _visible_member(request: HttpRequest, pk: int) -> GroupMember:
    members = GroupMember.objects.visible_to(request.user).select_related("group__office", "training__doctor")
    return get_object_or_404(members, pk=pk)


def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _visible_member(request, pk)
    return form_page(
        request,
        GroupMemberForm,
        instance=member,
        form_kwargs={"trainings": Training.objects.none()},
        parent=member.group,
        title=_("Endre medlemskap for %(name)s") % {"name": member.training.doctor.full_name},
        saved_message=_("Medlemskapet er lagret."),
        success_url=reverse("supervision:group_detail", args=[member.group_id]),
        breadcrumbs=_group_crumbs(member.group),
    )


def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = _visible_member(request, pk)
    attended = member.training.group_meetings_attended.filter(group=member.group).count()
    return delete_page(
        request,
        member,
        parent=member.group,
        title=_("Fjerne %(name)s fra gruppen?") % {"name": member.training.doctor.full_name},
        question=_(
            "Bare for en feilregistrering. Har ALIS-en sluttet i gruppen, sett en sluttdato i stedet. "
            "Vil du fjerne medlemskapet?"
        ),
        deleted_message=_("Medlemskapet er fjernet."),
        success_url=reverse("supervision:group_detail", args=[member.group_id]),
        breadcrumbs=_group_crumbs(member.group),
        facts=[(_("Med fra"), member.joined.strftime("%d.%m.%Y")), (_("Møter med oppmøte"), attended)],
        blocked=_("ALIS-en er registrert til stede på møter i gruppen. Sett en sluttdato i stedet.")
        if attended
        else "",
    )


def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = _visible_group(request, pk)
    return form_page(
        request,
        GroupMeetingForm,
        instance=GroupMeeting(group=group),
        parent=group,
        title=_("Nytt møte i %(group)s") % {"group": group.name},
        saved_message=_("Møtet er lagret."),
        success_url=reverse("supervision:group_detail", args=[group.pk]),
        breadcrumbs=_group_crumbs(group),
    )


def _visible_meeting(request: HttpRequest, pk: int) -> GroupMeeting:
    meetings = GroupMeeting.objects.visible_to(request.user).select_related("group__office")
    return get_object_or_404(meetings, pk=pk)


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    return form_page(
        request,
        GroupMeetingForm,
        instance=meeting,
        parent=meeting.group,
        title=_("Endre gruppemøte"),
        saved_message=_("Møtet er lagret."),
        success_url=reverse("supervision:group_detail", args=[meeting.group_id]),
        breadcrumbs=_group_crumbs(meeting.group),
    )


def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    return delete_page(
        request,
        meeting,
        parent=meeting.group,
        title=_("Slette gruppemøtet?"),
        question=_("Timene fra møtet telles ikke lenger for dem som var til stede. Vil du slette møtet?"),
        deleted_message=_("Møtet er slettet."),
        success_url=reverse("supervision:group_detail", args=[meeting.group_id]),
        breadcrumbs=_group_crumbs(meeting.group),
        facts=[
            (_("Dato"), meeting.date.strftime("%d.%m.%Y")),
            (_("Til stede"), meeting.attendees.count()),
        ],
    )
