from functools import partial

from django.db import transaction
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.abilities import may, require
from core import dataversion, history, readlog, tableversions
from core.charts import bars
from core.editing import confirm_page, delete_page, delete_with_history, form_page, safe_next
from core.export import DATE, NUMBER, ExportColumn
from core.formatting import number
from core.lists import Column, Export, list_page, render_list, text_cell
from core.navigation import crumbs
from core.paths import path_for
from core.scoping import region_q, require_personal_data
from core.validation import query_int
from privacy import small_numbers
from registry.models import Doctor, Municipality
from training import overview as ov
from training import rules, schemes, status
from training.forms import (
    AssignmentForm,
    OldSchemeFilterForm,
    OutcomeForm,
    ServicePeriodForm,
    ShiftCountForm,
    TrainingFilterForm,
    TrainingForm,
    pool_choices,
    set_expected_end,
)
from training.models import OldSchemeOutcome, Scheme, ServicePeriod, ShiftCount, SupervisorAssignment, Training


def _today():
    return timezone.localdate()


def overview(request: HttpRequest) -> HttpResponse:
    today = _today()
    office = ov.office_scope(request.user, request.GET.get("office"))
    links = request.user.reads_personal_data  # also: small numbers are hidden from whoever has no links
    # The region's (or country's) figures read every ALIS and hospital period of the region (they grew 1.33× at
    # twice the data), and its tables are some 900 cells: both are the same for every user who sees them, so the
    # rendered page body is kept per data change (core.tableversions), not built per view (issue 16).
    body = tableversions.kept(
        f"overview:{office.pk if office else 'all'}:{today}:{links}",
        lambda: render_to_string("training/_overview_body.html", _overview_body(request.user, office, today, links)),
        also=tableversions.so_far(),
    )
    context = {"office": office, "offices": ov.selectable_offices(request.user), "today": today, "body": body}
    return render(request, "training/overview.html", context)


def _overview_body(user, office, today, links: bool) -> dict:
    context = {
        **_overview_figures(office, today),
        "office": office,
        "today": today,
        "deadline": rules.OLD_SCHEME_DEADLINE,
        "deadline_days": rules.old_scheme_deadline_days(today),
        "links": links,
    }
    return small_numbers.overview(user, context)  # «<5» for the aggregate reader


def _overview_figures(office, today) -> dict:
    """The overview's counts and charts for one office's region (or all): the same for every user who sees them."""
    if office:
        area_rows, total = ov.alis_by_municipality(office, today)
    else:
        area_rows, total = ov.alis_by_county(today)
    hospital = ov.hospital_demand(office, today)
    half_year_labels = [rules.half_year_label(start) for start, _end in hospital.half_years]
    return {
        "area_rows": area_rows,
        "total": total,
        "office_rows": ov.alis_by_office(today) if office is None else None,
        "contracts": ov.contract_labels(),
        "hospital": hospital,
        "half_year_labels": half_year_labels,
        "hospital_chart": bars(list(zip(half_year_labels, hospital.totals, strict=True))),
        "contract_chart": bars([(label, total.contracts[key]) for key, label in ov.contract_labels()]),
        "registration_tables": ov.registration_tables(ov.registration_rows(office, on=today)),
        "centrality_headings": [*(str(c) for c in range(1, 7)), _("Ukjent")],
    }


def _current_supervisor_name(today):
    current = SupervisorAssignment.objects.filter(training=OuterRef("pk")).current(today).order_by("-start")
    name = Concat("supervisor__last_name", Value(", "), "supervisor__first_name")
    return Subquery(current.annotate(name=name).values("name")[:1])


def _detail_url(training: Training) -> str:
    return path_for("training:detail")(training.pk)  # once per page name, not per row (core.paths)


def _name_cell(row: Training) -> str:
    """The ALIS's name, linked to the training page; community medicine marked (the list's first column)."""
    name = format_html('<a href="{}">{}, {}</a>', _detail_url(row), row.doctor.last_name, row.doctor.first_name)
    if row.specialty == schemes.COMMUNITY_MEDICINE:
        return format_html('{} <span class="ds-tag" data-color="info">{}</span>', name, _("Samfunnsmedisin"))
    return name


def _supervisor_cell(row: Training) -> str:
    if row.supervisor_name:
        return text_cell(row.supervisor_name)
    return format_html('<span class="ds-tag" data-color="warning">{}</span>', _("Mangler veileder"))


TRAINING_COLUMNS = [
    Column("name", gettext_lazy("ALIS"), ("doctor__last_name", "doctor__first_name"), value=_name_cell),
    Column(
        "municipality",
        gettext_lazy("Kommune"),
        ("employer__name_norwegian", "doctor__last_name"),
        value="employer.name",
    ),
    Column("scheme", gettext_lazy("Ordning"), ("scheme", "doctor__last_name"), value="get_scheme_display"),
    Column("contract", gettext_lazy("Tilknytning"), ("contract", "doctor__last_name"), value="get_contract_display"),
    Column(
        "share",
        gettext_lazy("Stilling"),
        ("position_share", "doctor__last_name"),
        numeric=True,
        value=lambda row: f"{number(row.position_share)}\u00a0%",
    ),
    Column("start", gettext_lazy("Start"), ("start",)),
    Column("expected_end", gettext_lazy("Forventet ferdig"), ("expected_end",)),
    Column("status", gettext_lazy("Status"), ("status", "doctor__last_name"), value="get_status_display"),
    Column("supervisor", gettext_lazy("Veileder"), ("supervisor_name", "doctor__last_name"), value=_supervisor_cell),
]

# Norwegian headers whatever the interface language, like the registry's exports.
TRAINING_EXPORT_COLUMNS = [
    ExportColumn("Etternavn", "doctor__last_name"),
    ExportColumn("Fornavn", "doctor__first_name"),
    ExportColumn("HPR-nummer", "doctor__hpr_number"),
    ExportColumn("Kommunenummer", "employer__number"),
    ExportColumn("Kommune", "employer__name"),
    ExportColumn("Spesialitet", "specialty"),
    ExportColumn("Ordning", "scheme"),
    ExportColumn("Tilknytning", "contract"),
    ExportColumn("Stillingsprosent", "position_share", NUMBER),
    ExportColumn("Legekontor", "gp_office__name"),
    ExportColumn("Startdato", "start", DATE),
    ExportColumn("Forventet ferdig", "expected_end", DATE),
    ExportColumn("Status", "status"),
    ExportColumn("Avsluttet", "ended_on", DATE),
    ExportColumn("Veileder", "supervisor_name"),
]


def training_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    today = _today()
    form = TrainingFilterForm(request.GET, user=request.user, today=today)
    queryset = (
        Training.objects.visible_to(request.user)
        .select_related("doctor", "employer")
        .with_supervisor_flag(today)
        .annotate(supervisor_name=_current_supervisor_name(today))
    )
    listing = list_page(
        request,
        form.filter(queryset),
        columns=TRAINING_COLUMNS,
        default_sort="name",
        caption=_("Utdanningsløp med ordning, tilknytning og veileder"),
        empty_text=_("Ingen ALIS passer til filteret."),
        export=Export(TRAINING_EXPORT_COLUMNS, "alis"),
        keep_rows=True,
    )
    context = {"form": form, "deadline": rules.OLD_SCHEME_DEADLINE}
    return render_list(request, "training/training_list.html", listing, context)


def _visible_training(request: HttpRequest, pk: int) -> Training:
    """A training of the user's region (404 otherwise); whether they may change it is asked by the page."""
    trainings = Training.objects.visible_to(request.user).select_related(
        "doctor", "employer__county__office", "gp_office"
    )
    return get_object_or_404(trainings, pk=pk)


def _training_crumbs(training: Training | None = None) -> list:
    levels = [(_("ALIS"), reverse("training:list"))]
    if training is not None:
        levels.append((training.doctor.full_name, _detail_url(training)))
    return crumbs(*levels)


def _related_links(training: Training) -> list[tuple[str, str]]:
    """The pages about this ALIS elsewhere in the app. Whoever sees the training may open each of them: they ask
    for the training's region only. (The grant pages, which ask for more, are linked in their own section.)"""
    links = [
        (_("Legen"), reverse("registry:doctor_detail", args=[training.doctor_id])),
        (_("Veiledningstimer"), reverse("supervision:session_list", args=[training.pk])),
    ]
    if training.is_ongoing:
        links.append((_("Forslag til veileder"), reverse("supervision:proposals", args=[training.pk])))
    if training.scheme == Scheme.OLD or hasattr(training, "old_scheme_outcome"):
        links.append((_("Alle i gammel ordning"), reverse("training:old_scheme")))
    return links


def _grant_profile_of(training: Training):
    """The training's grant profile, or a new one: the grants app's model reached through the relation, since
    training builds on no grants module."""
    profile = getattr(training, "grant_profile", None)
    return profile or Training._meta.get_field("grant_profile").related_model(training=training)


def _memberships(training: Training, today) -> list:
    """The ALIS's supervision groups (supervision's model, through the relation), each marked whether current."""
    memberships = list(training.group_memberships.select_related("group").order_by("-joined", "-pk"))
    for membership in memberships:
        membership.current = membership.is_member_on(today) and membership.group.is_active(today)
    return memberships


def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(
        Training.objects.visible_to(request.user)
        .select_related("doctor", "employer__county__office", "gp_office", "old_scheme_outcome", "grant_profile")
        .prefetch_related(Prefetch("periods", queryset=ServicePeriod.objects.select_related("health_trust"))),
        pk=pk,
    )
    # Its rules and every part of it, written once per data change for each reader (core.tableversions).
    key = f"training-detail:{training.pk}:{request.user.pk}:{_today()}"
    assignments, body = tableversions.kept(
        key, partial(_training_page, request, training), also=tableversions.so_far()
    )
    context = {
        "training": training,
        "body": body,
        "breadcrumbs": crumbs((_("ALIS"), reverse("training:list")), training.doctor.full_name),
    }
    readlog.read(request, training, assignments)
    return render(request, "training/training_detail.html", context)


def _training_page(request: HttpRequest, training: Training) -> tuple[list[SupervisorAssignment], str]:
    """The supervisors the page names (for the read log), and the page's content as HTML."""
    today = _today()
    alis = status.status_of(training, today)
    earlier_ids = [e.pk for e in alis.earlier]
    # The employer of an earlier training is shown only when the user may see that training.
    visible = (
        dict(Training.objects.visible_to(request.user).filter(pk__in=earlier_ids).values_list("pk", "employer__name"))
        if earlier_ids
        else {}
    )
    memberships = _memberships(training, today)
    assignments = list(training.supervisor_assignments.select_related("supervisor"))
    context = {
        "request": request,
        "user": request.user,
        "training": training,
        "periods": training.periods.all(),
        "assignments": assignments,
        "memberships": memberships,
        "in_group": any(m.current for m in memberships),
        "status": alis,
        "earlier": [(e, visible.get(e.pk)) for e in alis.earlier],
        "registered_rules": schemes.RULE_SETS.get((training.specialty, training.scheme)),
        "shift_counts": training.shift_counts.all(),
        "outcome": getattr(training, "old_scheme_outcome", None),
        "shows_deadline": training.scheme == Scheme.OLD or hasattr(training, "old_scheme_outcome"),
        "deadline": rules.OLD_SCHEME_DEADLINE,
        # Every part of a training belongs to its region: changing the training and its parts is one question.
        "can_edit": may(request.user, "change", training),
        "grant_profile": getattr(training, "grant_profile", None),
        "can_edit_grant_profile": may(request.user, "change", _grant_profile_of(training)),
        "cost_sheets": training.cost_sheets.order_by("-year", "-pk"),
        "can_add_cost_sheet": may(request.user, "add", training.cost_sheets.model(training=training)),
        "related_links": _related_links(training),
        "changes": history.history_of(training, user=request.user),
        "possible_solo_practice": Training.objects.filter(pk=training.pk).possible_solo_practice().exists(),
    }
    return assignments, render_to_string("training/_training_detail.html", context)


def _editable_municipalities(user):
    return Municipality.objects.editable_by(user).select_related("county").order_by("name_norwegian")


def training_create(request: HttpRequest) -> HttpResponse:
    """A new course of training for a doctor, from the doctor's page."""
    require(request.user, "add", Training)
    doctor = get_object_or_404(Doctor.objects.visible_to(request.user), pk=query_int(request.GET, "lege", 0))
    doctor_page = reverse("registry:doctor_detail", args=[doctor.pk])
    return form_page(
        request,
        TrainingForm,
        instance=Training(doctor=doctor),
        prepare=set_expected_end,
        form_kwargs={"municipalities": _editable_municipalities(request.user)},
        title=_("Nytt utdanningsløp for %(name)s") % {"name": doctor.full_name},
        saved_message=_("Utdanningsløpet er registrert."),
        success_url=_detail_url,
        cancel_url=doctor_page,
        breadcrumbs=crumbs((_("Leger"), reverse("registry:doctor_list")), (doctor.full_name, doctor_page)),
    )


def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    training = _visible_training(request, pk)
    return form_page(
        request,
        TrainingForm,
        instance=training,
        prepare=set_expected_end,
        form_kwargs={"municipalities": _editable_municipalities(request.user)},
        on_saved=_refresh_expected_end,
        title=_("Endre utdanningsløp"),
        saved_message=_("Utdanningsløpet er lagret."),
        success_url=_detail_url(training),
        breadcrumbs=_training_crumbs(training),
    )


def _refresh_expected_end(training: Training) -> None:
    """Leave moves the expected end, and so does service in an earlier course of training of the same doctor:
    keep the stored values of this training and the doctor's later ones in step."""
    for each in [training, *status.later_trainings(training)]:
        expected = status.expected_end_of(each)
        if expected != each.expected_end:
            Training.objects.filter(pk=each.pk).update(expected_end=expected)


def _part_page(request: HttpRequest, form_class: type, *, training: Training, instance, **options) -> HttpResponse:
    """The form page for a record that is part of a training (a period, a supervisor, shifts): saved with history
    under the training, back to the training page (or where the user came from, on «Avbryt»)."""
    options.setdefault("success_url", _detail_url(training))
    breadcrumbs = _training_crumbs(training)
    return form_page(request, form_class, instance=instance, parent=training, breadcrumbs=breadcrumbs, **options)


def _visible_part(request: HttpRequest, model: type, pk: int, *related: str):
    """A part of a training of the user's region (404 otherwise); the page asks whether they may change it."""
    parts = model.objects.filter(training__in=Training.objects.visible_to(request.user))
    return get_object_or_404(parts.select_related("training__employer__county", "training__doctor", *related), pk=pk)


def _part_delete_page(request: HttpRequest, part, *, training: Training, facts: list, **options) -> HttpResponse:
    """The confirmation page before a part of a training is deleted, with history under the training; back to
    the training page (or `success_url`)."""
    options.setdefault("success_url", _detail_url(training))
    return delete_page(
        request,
        part,
        parent=training,
        facts=[(_("ALIS"), training.doctor.full_name), *facts],
        breadcrumbs=_training_crumbs(training),
        **options,
    )


# Service periods


def period_create(request: HttpRequest, pk: int) -> HttpResponse:
    training = _visible_training(request, pk)
    return _part_page(
        request,
        ServicePeriodForm,
        training=training,
        instance=ServicePeriod(training=training),
        form_kwargs={"today": _today()},
        on_saved=lambda saved: _refresh_expected_end(training),
        title=_("Ny tjenesteperiode"),
        saved_message=_("Perioden er lagret."),
    )


def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = _visible_part(request, ServicePeriod, pk)
    return _part_page(
        request,
        ServicePeriodForm,
        training=period.training,
        instance=period,
        form_kwargs={"today": _today()},
        on_saved=lambda saved: _refresh_expected_end(period.training),
        title=_("Endre tjenesteperiode"),
        saved_message=_("Perioden er lagret."),
    )


def period_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a period after the user confirms; the expected end follows (a period of leave moves it)."""
    period = _visible_part(request, ServicePeriod, pk, "health_trust")
    training = period.training
    require(request.user, "delete", period)

    def act() -> str:
        with transaction.atomic():
            delete_with_history(instance=period, by=request.user, parent=training)
            _refresh_expected_end(training)
        return _("Perioden er slettet.")

    place = ", ".join(part for part in (period.health_trust.name if period.health_trust else "", period.place) if part)
    return confirm_page(
        request,
        about=period,
        title=_("Slette tjenesteperioden?"),
        question=_(
            "Perioden fjernes fra utdanningsløpet, og tellende tjenestetid og forventet ferdig regnes på nytt. "
            "Endringen står i historikken."
        ),
        confirm_label=_("Slett"),
        act=act,
        success_url=_detail_url(training),
        facts=[
            (_("ALIS"), training.doctor.full_name),
            (_("Periode"), str(period)),
            (_("Sted"), place or "–"),
            (_("Stilling"), f"{number(period.share)}\u00a0%"),
        ],
        breadcrumbs=_training_crumbs(training),
    )


# Supervisors


def _pool(user) -> QuerySet:
    """The supervisor pool as `supervision:supervisor_search` offers it: pool doctors working in the user's
    region (the same narrowing as SupervisorProfile.visible_to)."""
    return Doctor.objects.filter(region_q(user, "municipality__county__office_id"), supervisor_profile__isnull=False)


POOL_INTRO = gettext_lazy(
    "Veilederen velges blant legene i veilederpoolen. Mangler legen der, legg hen til under Veiledning › Veiledere "
    "først."
)


def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    training = _visible_training(request, pk)
    return _part_page(
        request,
        AssignmentForm,
        training=training,
        instance=SupervisorAssignment(training=training),
        form_kwargs={"supervisors": pool_choices(_pool(request.user), None)},
        title=_("Ny veileder"),
        saved_message=_("Veilederen er registrert."),
        context={"intro": POOL_INTRO},
    )


def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible_part(request, SupervisorAssignment, pk, "supervisor")
    return _part_page(
        request,
        AssignmentForm,
        training=assignment.training,
        instance=assignment,
        form_kwargs={"supervisors": pool_choices(_pool(request.user), assignment.supervisor)},
        title=_("Endre veilederoppnevning"),
        saved_message=_("Veilederoppnevningen er lagret."),
        context={"intro": POOL_INTRO},
    )


def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible_part(request, SupervisorAssignment, pk, "supervisor")
    return _part_delete_page(
        request,
        assignment,
        training=assignment.training,
        title=_("Slette veilederoppnevningen?"),
        question=_(
            "Slett bare en oppnevning som ble registrert ved en feil. Når veiledningen slutter, sett en til-dato "
            "i stedet, så historikken viser hvem som veiledet når."
        ),
        deleted_message=_("Veilederoppnevningen er slettet."),
        facts=[
            (_("Veileder"), assignment.supervisor.full_name),
            (_("Fra"), assignment.start.strftime("%d.%m.%Y")),
            (_("Til"), assignment.end.strftime("%d.%m.%Y") if assignment.end else "–"),
        ],
    )


def municipality_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The ALIS of one municipality, shown on the municipality's page."""
    require_personal_data(request.user)
    municipality = get_object_or_404(Municipality, pk=pk)
    today = _today()
    trainings = (
        Training.objects.visible_to(request.user)
        .ongoing()
        .filter(employer=municipality)
        .select_related("doctor", "gp_office")
        .annotate(supervisor_name=_current_supervisor_name(today))
        .order_by("doctor__last_name", "doctor__first_name")
    )
    readlog.read(request, trainings)
    return render(request, "training/_municipality_panel.html", {"trainings": trainings, "municipality": municipality})


def doctor_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """A doctor's courses of training and the ALIS they supervise, shown on the doctor's page."""
    doctor = get_object_or_404(Doctor.objects.visible_to(request.user), pk=pk)
    visible = Training.objects.visible_to(request.user)
    context = {
        "doctor": doctor,
        "trainings": visible.filter(doctor=doctor).select_related("employer"),
        "supervisions": SupervisorAssignment.objects.filter(supervisor=doctor, training__in=visible)
        .select_related("training__doctor", "training__employer")
        .order_by("-start"),
        "can_create": may(request.user, "add", Training),
    }
    readlog.read(request, doctor, context["trainings"], context["supervisions"])
    return render(request, "training/_doctor_panel.html", context)


# On-call shifts (legevakter) and the old scheme's outcome


def shift_create(request: HttpRequest, pk: int) -> HttpResponse:
    training = _visible_training(request, pk)
    return _part_page(
        request,
        ShiftCountForm,
        training=training,
        instance=ShiftCount(training=training),
        form_kwargs={"today": _today()},
        title=_("Registrer legevakter"),
        saved_message=_("Legevaktene er registrert."),
    )


def shift_edit(request: HttpRequest, pk: int) -> HttpResponse:
    count = _visible_part(request, ShiftCount, pk)
    return _part_page(
        request,
        ShiftCountForm,
        training=count.training,
        instance=count,
        form_kwargs={"today": _today()},
        title=_("Endre registrering av legevakter"),
        saved_message=_("Legevaktene er lagret."),
    )


def shift_delete(request: HttpRequest, pk: int) -> HttpResponse:
    count = _visible_part(request, ShiftCount, pk)
    return _part_delete_page(
        request,
        count,
        training=count.training,
        title=_("Slette registreringen av legevakter?"),
        question=_("Registreringen fjernes fra utdanningsløpet. Endringen står i historikken."),
        deleted_message=_("Registreringen av legevakter er slettet."),
        facts=[(_("Registrering"), str(count))],
    )


def _old_scheme_training(request: HttpRequest, pk: int) -> Training:
    """An old-scheme training of the region, or one with an outcome recorded (404 otherwise)."""
    training = get_object_or_404(
        Training.objects.visible_to(request.user).select_related(
            "doctor", "employer__county__office", "old_scheme_outcome"
        ),
        pk=pk,
    )
    if training.scheme != Scheme.OLD and not hasattr(training, "old_scheme_outcome"):
        raise Http404
    return training


def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or change) what became of an old-scheme ALIS at the deadline; back to where the user came from."""
    training = _old_scheme_training(request, pk)
    outcome = getattr(training, "old_scheme_outcome", None)
    return _part_page(
        request,
        OutcomeForm,
        training=training,
        instance=outcome or OldSchemeOutcome(training=training),
        form_kwargs={"today": _today()},
        title=_("Utfall av gammel ordning for %(name)s") % {"name": training.doctor.full_name},
        saved_message=_("Utfallet er lagret."),
        # From the deadline list back to it (with its filters), from the training page back there.
        success_url=safe_next(request) or reverse("training:old_scheme"),
    )


def outcome_delete(request: HttpRequest, pk: int) -> HttpResponse:
    training = _old_scheme_training(request, pk)
    outcome = getattr(training, "old_scheme_outcome", None)
    if outcome is None:
        raise Http404
    return _part_delete_page(
        request,
        outcome,
        training=training,
        title=_("Slette utfallet?"),
        question=_(
            "Utfallet fjernes, og ALIS står igjen uten registrert utfall i listen over gammel ordning. Endringen står "
            "i historikken."
        ),
        deleted_message=_("Utfallet er slettet."),
        success_url=safe_next(request) or _detail_url(training),
        facts=[(_("Utfall"), str(outcome))],
    )


# The old scheme's deadline list


def _outcome_cell(request: HttpRequest, found: dict, deadline_passed: bool):
    """The outcome, or that none is recorded, and the link to record or change it for those who may."""
    back = urlencode({"next": request.get_full_path()})
    edit_url = path_for("training:outcome_edit")

    def cell(row: Training) -> str:
        outcome = found[row.pk].outcome
        if outcome:
            text = format_html("{} ({})", outcome.label, outcome.decided_on.strftime("%d.%m.%Y"))
        elif deadline_passed:
            text = format_html(
                '<span class="ds-tag" data-color="warning">{}</span>', _("Ikke registrert – ny ordning gjelder")
            )
        else:
            text = format_html('<span class="muted">{}</span>', _("Ikke registrert"))
        if not may(request.user, "change", row):
            return text
        url = f"{edit_url(row.pk)}?{back}"
        label = _("Endre utfall") if outcome else _("Registrer utfall")
        return format_html(
            '{}<br><a class="ds-link" href="{}">{}<span class="ds-sr-only"> {}</span></a>',
            text,
            url,
            label,
            row.doctor.full_name,
        )

    return cell


def _missing_cell(alis: status.AlisStatus) -> str:
    if not alis.rule_set.known:
        return format_html('<span class="muted">{}</span>', _("ikke vurdert (kravene er ikke lagt inn)"))
    missing = alis.missing  # worked out on each reading: once
    text = (
        format_html_join(mark_safe("<br>"), "{}: {}", ((m.label, m.text) for m in missing))
        if missing
        else format_html('<span class="muted">{}</span>', _("ingenting av det som registreres her"))
    )
    if not alis.judged_by_old_rules:
        return format_html('<span class="ds-tag" data-color="info">{}</span> {}', _("ny ordning"), text)
    return text


def _risk_cell(alis: status.AlisStatus) -> str:
    if not alis.risks:
        return "–"
    return format_html_join(
        " ", '<span class="ds-tag" data-color="danger">{}</span>', ((risk.label,) for risk in alis.risks)
    )


def _old_scheme_name_cell(row: Training) -> str:
    name = _name_cell(row)
    if row.is_ongoing:
        return name
    return format_html('{} <span class="muted">({})</span>', name, row.get_status_display().lower())


def _old_scheme_columns(request: HttpRequest, found: dict[int, status.AlisStatus], deadline_passed: bool) -> list:
    return [
        Column("name", gettext_lazy("ALIS"), ("doctor__last_name", "doctor__first_name"), value=_old_scheme_name_cell),
        Column(
            "municipality",
            gettext_lazy("Kommune"),
            ("employer__name_norwegian", "doctor__last_name"),
            value="employer.name",
        ),
        Column("started", gettext_lazy("Startet"), ("started", "doctor__last_name")),
        Column("expected_end", gettext_lazy("Forventet ferdig"), ("expected_end", "doctor__last_name")),
        Column("missing", gettext_lazy("Mangler"), value=lambda row: _missing_cell(found[row.pk])),
        Column("risks", gettext_lazy("Risiko"), value=lambda row: _risk_cell(found[row.pk])),
        Column(
            "outcome",
            gettext_lazy("Utfall"),
            ("old_scheme_outcome__outcome", "doctor__last_name"),
            value=_outcome_cell(request, found, deadline_passed),
        ),
    ]


def _old_scheme_export(found: dict[int, status.AlisStatus]) -> Export:
    def alis(row: Training) -> status.AlisStatus:
        return found[row.pk]

    def shifts(row: Training):
        return alis(row).shifts

    def outcome(row: Training):
        return alis(row).outcome

    return Export(
        [
            ExportColumn("Etternavn", "doctor__last_name"),
            ExportColumn("Fornavn", "doctor__first_name"),
            ExportColumn("HPR-nummer", "doctor__hpr_number"),
            ExportColumn("Kommunenummer", "employer__number"),
            ExportColumn("Kommune", "employer__name"),
            ExportColumn("Spesialitet", "specialty"),
            ExportColumn("Status", "status"),
            ExportColumn("Startet i spesialiseringen", "started", DATE),
            ExportColumn("Startdato", "start", DATE),
            ExportColumn("Forventet ferdig", "expected_end", DATE),
            ExportColumn("Regler", lambda row: alis(row).rule_set.label),
            ExportColumn("Mangler", lambda row: alis(row).missing_text),
            ExportColumn("Risiko", lambda row: "; ".join(risk.label for risk in alis(row).risks)),
            ExportColumn("Legevakter", lambda row: shifts(row).count if shifts(row) else None, NUMBER),
            ExportColumn("Legevakter per", lambda row: shifts(row).counted_on if shifts(row) else None, DATE),
            ExportColumn("Utfall", lambda row: outcome(row).label if outcome(row) else ""),
            ExportColumn("Utfall dato", lambda row: outcome(row).decided_on if outcome(row) else None, DATE),
            ExportColumn("Utfall merknad", lambda row: outcome(row).note if outcome(row) else ""),
        ],
        "gammel-ordning",
    )


def old_scheme_list(request: HttpRequest) -> HttpResponse:
    """Every old-scheme ALIS in the region before (and after) the deadline: what is missing, the risks, the outcome."""
    require_personal_data(request.user)
    today = _today()
    form = OldSchemeFilterForm(request.GET, user=request.user)
    trainings = form.filter(
        Training.objects.visible_to(request.user).filter(Q(scheme=Scheme.OLD) | Q(old_scheme_outcome__isnull=False))
    )
    # The rules for every old-scheme ALIS of the region once per data change, not per request; each page of rows
    # once too (core.tableversions).
    key = f"old-scheme:{dataversion.query_key(trainings)}:{today}"
    found = tableversions.kept(key, lambda: status.statuses(trainings, today))
    kept = [pk for pk, alis in found.items() if form.keeps(alis)]
    if len(kept) < len(found):
        trainings = trainings.filter(pk__in=kept)
    trainings = trainings.select_related("doctor", "employer__county", "old_scheme_outcome").annotate(
        started=Coalesce("specialty_started", "start")
    )
    deadline_days = rules.old_scheme_deadline_days(today)
    listing = list_page(
        request,
        trainings,
        columns=_old_scheme_columns(request, found, deadline_passed=deadline_days < 0),
        default_sort="expected_end",
        caption=_("ALIS i gammel ordning: hva som mangler, risiko før fristen og utfall"),
        empty_text=_("Ingen ALIS i gammel ordning passer til filteret."),
        export=_old_scheme_export(found),
        keep_rows=True,
    )
    shown = [found[pk] for pk in kept]
    context = {
        "form": form,
        "today": today,
        "deadline": rules.OLD_SCHEME_DEADLINE,
        "deadline_days": deadline_days,
        "summary": _outcome_summary(shown),
        "at_risk": sum(1 for alis in shown if alis.risks),
        "total": len(shown),
        "results_before": "training/_old_scheme_summary.html",
    }
    return render_list(request, "training/old_scheme_list.html", listing, context)


def _outcome_summary(shown: list[status.AlisStatus]) -> list[tuple[str, int]]:
    """How many of the listed ALIS have each outcome, and how many none."""
    counts = dict.fromkeys(OldSchemeOutcome.Kind, 0)
    none = 0
    for alis in shown:
        if alis.outcome:
            counts[OldSchemeOutcome.Kind(alis.outcome.kind)] += 1
        else:
            none += 1
    return [(kind.label, n) for kind, n in counts.items()] + [(_("Ikke registrert"), none)]
