"""The office's side of the mapping campaigns (start, follow, remind, revoke, decide) and the municipality's
own pages reached by the private link (the task list, `answer_*`)."""

from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.abilities import may, require
from core import bulk, lists, readlog, tableversions
from core.editing import Refused, confirm_page, form_page
from core.export import DATE, ExportColumn
from core.lists import Column, Export, list_page, render_list
from core.navigation import crumbs
from core.paths import path_for
from core.ratelimit import MAPPING_LINK, rate_limit
from core.scoping import region_q, require_personal_data
from core.validation import parse_int
from registry.models import Municipality
from survey import rules, services
from survey.answer import DRAFT_VALUE_LENGTH, NEW_TRAININGS, Answer
from survey.forms import CampaignForm, ConfirmedFilterForm, InvitationFilterForm, stale_q
from survey.models import Campaign, Invitation, Proposal

PENDING = Q(proposals__decision=Proposal.Decision.PENDING)


def _campaigns_crumb() -> tuple[str, str]:
    return (_("Kartlegging"), reverse("survey:campaign_list"))


def _campaign_crumbs(campaign: Campaign) -> list:
    return crumbs(_campaigns_crumb(), (campaign.title, reverse("survey:campaign_detail", args=[campaign.pk])))


def _invitation_crumbs(invitation: Invitation) -> list:
    url = reverse("survey:invitation_detail", args=[invitation.pk])
    return [*_campaign_crumbs(invitation.campaign), *crumbs((invitation.municipality.name, url))]


CAMPAIGN_COLUMNS = [
    Column(
        "title",
        gettext_lazy("Tittel"),
        ("title",),
        value="title",
        link=lambda c: path_for("survey:campaign_detail")(c.pk),
    ),
    Column("office", gettext_lazy("ALIS-kontor"), ("office__name", "started_at"), value="office.name"),
    Column("started", gettext_lazy("Startet"), ("started_at",), value=lambda c: c.started_at and c.started_at.date()),
    Column("deadline", gettext_lazy("Svarfrist"), ("deadline",), value="deadline"),
    Column("invited", gettext_lazy("Kommuner"), ("invited",), numeric=True, value="invited"),
    Column("answered", gettext_lazy("Besvart"), ("answered",), numeric=True, value="answered"),
    Column("pending", gettext_lazy("Forslag til vurdering"), ("pending",), numeric=True, value="pending"),
]


def campaign_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    require(request.user, "view", Campaign)
    campaigns = (
        Campaign.objects.visible_to(request.user)
        .select_related("office")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True),
            pending=Count("invitations__proposals", filter=Q(invitations__proposals__decision="pending")),
        )
    )
    listing = list_page(
        request,
        campaigns,
        columns=CAMPAIGN_COLUMNS,
        default_sort="-started",
        caption=_("Kartlegginger, nyeste først"),
        empty_text=_("Ingen kartlegginger ennå."),
        keep_rows=True,
    )
    return render_list(request, "survey/campaign_list.html", listing)


def campaign_create(request: HttpRequest) -> HttpResponse:
    """Start a campaign for the office's own municipalities: the campaign and its invitations in one
    transaction, the e-mails after it (from the task worker)."""
    require_personal_data(request.user)
    require(request.user, "add", Campaign)  # an office of one's own: not the administrator nor the coordinator
    office = request.user.office
    municipalities = Municipality.objects.in_office(office.pk).order_by("name_norwegian")

    def prepare(campaign: Campaign) -> None:
        campaign.created_by, campaign.started_at = request.user, timezone.now()

    with transaction.atomic():
        return form_page(
            request,
            CampaignForm,
            instance=Campaign(office=office),
            title=_("Start ny kartlegging"),
            success_url=lambda campaign: reverse("survey:campaign_detail", args=[campaign.pk]),
            cancel_url=reverse("survey:campaign_list"),
            saved_message=_("Kartleggingen er startet. E-postene sendes nå."),
            prepare=prepare,
            on_saved=lambda campaign: services.campaign_invite(
                campaign=campaign, municipalities=campaign.chosen_municipalities
            ),
            form_kwargs={"municipalities": municipalities, "today": timezone.localdate()},
            breadcrumbs=crumbs(_campaigns_crumb()),
            template="survey/campaign_form.html",
            submit_label=_("Start og send e-post"),
        )


def _status_cell(invitation: Invitation) -> str:
    """Where the answer stands: the last step reached (sent, opened, answered), and late or revoked."""
    if invitation.answered_at:
        return _("Besvart %(day)s") % {"day": _date(invitation.answered_at)}
    if invitation.revoked_at:
        return format_html('<span class="ds-tag" data-color="neutral">{}</span>', _("Lenken trukket tilbake"))
    step = _("Ikke sendt")
    if invitation.opened_at:
        step = _("Åpnet %(day)s") % {"day": _date(invitation.opened_at)}
    elif invitation.sent_at:
        step = _("Sendt %(day)s") % {"day": _date(invitation.sent_at)}
    if invitation.overdue:
        return format_html('{} <span class="ds-tag" data-color="danger">{}</span>', step, _("Forsinket"))
    return step


def _date(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y")


def _confirmed_cell(row) -> str:
    day = row.confirmed_at and _date(row.confirmed_at)
    stale = format_html(' <span class="ds-tag" data-color="warning">{}</span>', _("Utdatert")) if row.stale else ""
    return format_html("{}{}", day or _("aldri"), stale)


def _day(moment: datetime | None):
    return timezone.localtime(moment).date() if moment else None


def _invitation_columns(can_edit: bool) -> list[Column]:
    columns = [
        Column(
            "municipality",
            gettext_lazy("Kommune"),
            ("municipality__number",),
            value=lambda i: f"{i.municipality.number} {i.municipality.name}",
            link=lambda i: path_for("survey:invitation_detail")(i.pk),
        ),
        Column("email", gettext_lazy("Mottaker"), ("email",), value=lambda i: i.email or _("mangler e-post")),
        Column("status", gettext_lazy("Status"), ("answered_at", "opened_at", "sent_at"), value=_status_cell),
        Column("reminders", gettext_lazy("Påminnelser"), ("reminders_sent",), numeric=True, value="reminders_sent"),
        Column("confirmed", gettext_lazy("Sist bekreftet"), ("confirmed_at",), value=_confirmed_cell),
        Column("pending", gettext_lazy("Til vurdering"), ("pending",), numeric=True, value="pending"),
    ]
    if can_edit:
        columns.append(Column("actions", gettext_lazy("Handlinger"), value=_invitation_actions))
    return columns


def _invitation_actions(invitation: Invitation) -> str:
    links = []
    if invitation.usable and not invitation.answered_at:
        if invitation.email:
            links.append((reverse("survey:invitation_remind", args=[invitation.pk]), _("Påminn")))
        links.append((reverse("survey:invitation_revoke", args=[invitation.pk]), _("Trekk tilbake")))
    if not links:
        return ""
    items = format_html_join(
        "",
        '<li><a class="ds-link" href="{}">{}<span class="ds-sr-only"> {}</span></a></li>',
        ((url, label, invitation.municipality.name) for url, label in links),
    )
    return format_html('<ul class="plain-list">{}</ul>', items)


def _last_confirmed() -> Subquery:
    """When the row's municipality last answered a campaign (any campaign), as a subquery."""
    answers = Invitation.objects.filter(municipality=OuterRef("municipality"), answered_at__isnull=False)
    return Subquery(answers.order_by().values("municipality").annotate(last=Max("answered_at")).values("last"))


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_personal_data(request.user)
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("office"), pk=pk)
    require(request.user, "view", campaign)
    today, now = timezone.localdate(), timezone.now()
    invitations = campaign.invitations.select_related("municipality", "campaign").annotate(
        pending=Count("proposals", filter=PENDING), confirmed_at=_last_confirmed()
    )
    counts = campaign.invitations.aggregate(
        invited=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        overdue=Count("pk", filter=Q(answered_at__isnull=True, revoked_at__isnull=True))
        if campaign.deadline < today
        else Count("pk", filter=Q(pk__in=[])),
        no_email=Count("pk", filter=Q(email="")),
    )
    form = InvitationFilterForm(request.GET, user=request.user, today=today)
    can_edit = may(request.user, "change", campaign)
    listing = list_page(
        request,
        form.filter(invitations),
        columns=_invitation_columns(can_edit),
        default_sort="municipality",
        caption=_("Kommunene i kartleggingen: sendt, åpnet, besvart"),
        empty_text=_("Ingen kommuner passer til filteret."),
    )
    for invitation in listing.rows:
        invitation.overdue = (
            rules.is_overdue(deadline=campaign.deadline, answered_at=invitation.answered_at, today=today)
            and not invitation.revoked_at
        )
        invitation.stale = rules.is_stale(invitation.confirmed_at, now)
        invitation.usable = invitation.is_usable(now)
    context = {
        "campaign": campaign,
        "counts": counts,
        "form": form,
        "breadcrumbs": crumbs(_campaigns_crumb(), campaign.title),
    }
    return render_list(request, "survey/campaign_detail.html", listing, context)


def _invitation(request: HttpRequest, pk: int) -> Invitation:
    require_personal_data(request.user)
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).select_related("campaign__office", "municipality__county"), pk=pk
    )
    require(request.user, "view", invitation)
    return invitation


def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer side by side with what the office knows (old → new), to accept or reject field by field."""
    invitation = _invitation(request, pk)
    proposals = list(invitation.proposals.select_related("decided_by"))
    for proposal in proposals:
        if proposal.decision == Proposal.Decision.PENDING:
            proposal.conflict = services.has_conflict(proposal)
    context = {
        "invitation": invitation,
        "campaign": invitation.campaign,
        "proposals": proposals,
        "pending": sum(p.decision == Proposal.Decision.PENDING for p in proposals),
        "pending_without_conflict": sum(
            1 for p in proposals if p.decision == Proposal.Decision.PENDING and not p.conflict
        ),
        "link": settings.SITE_URL + reverse("survey:answer", args=[invitation.token]),
        "breadcrumbs": crumbs(
            _campaigns_crumb(),
            (invitation.campaign.title, reverse("survey:campaign_detail", args=[invitation.campaign_id])),
            invitation.municipality.name,
        ),
    }
    readlog.read(request, invitation, proposals)
    return render(request, "survey/invitation_detail.html", context)


def invitation_accept_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept every pending proposal of one answer that has no conflict, after the user has seen them all."""
    invitation = _invitation(request, pk)
    require(request.user, "change", invitation)
    pending = invitation.proposals.filter(decision=Proposal.Decision.PENDING)
    if request.method == "POST":  # what was shown, if still pending
        pending = pending.filter(pk__in=bulk.chosen(request).ids)
    rows, skipped, by_id = [], [], {}
    for proposal in pending.order_by("pk"):
        name = f"{proposal.object_repr}, {proposal.label}" if proposal.label else proposal.object_repr
        if services.has_conflict(proposal):
            skipped.append((name, _("konflikt: verdien er endret etter at kommunen svarte")))
            continue
        by_id[proposal.pk] = proposal
        cells = [proposal.get_target_display(), name, proposal.old_shown or "–", proposal.new_shown or "–"]
        rows.append(bulk.BulkRow(proposal.pk, cells))
    detail = reverse("survey:invitation_detail", args=[invitation.pk])

    def act(ids: list[int]) -> str:
        try:
            accepted = services.invitation_accept_all(
                proposals=[by_id[i] for i in ids], by=request.user, now=timezone.now(), today=timezone.localdate()
            )
        except services.Conflict as error:
            raise Refused(_("Ingenting er godtatt: %(reason)s") % {"reason": error}) from error
        return ngettext("%(n)s forslag er godtatt.", "%(n)s forslag er godtatt.", accepted) % {"n": accepted}

    return bulk.bulk_page(
        request,
        title=_("Godta alle forslag uten konflikt"),
        intro=_(
            "Forslagene under fra %(name)s blir godtatt og lagret på postene, med historikk, slik som når du godtar "
            "dem ett og ett. Blir ett av dem ikke lagret, blir ingen av dem det."
        )
        % {"name": invitation.municipality.name},
        headers=[_("Gjelder"), _("Post og felt"), _("Nå"), _("Foreslått")],
        rows=rows,
        skipped=skipped,
        act=act,
        confirm_label=ngettext("Godta %(n)s forslag", "Godta %(n)s forslag", len(rows)) % {"n": len(rows)},
        success_url=detail,
        empty_text=_("Ingen ventende forslag uten konflikt."),
        breadcrumbs=crumbs(
            (_("Kartlegging"), reverse("survey:campaign_list")),
            (invitation.campaign.title, reverse("survey:campaign_detail", args=[invitation.campaign_id])),
            (invitation.municipality.name, detail),
        ),
    )


def invitation_remind(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    require(request.user, "change", invitation)

    def act() -> str:
        if not services.invitation_remind(invitation=invitation, now=timezone.now()):
            raise Refused(_("Kan ikke sende påminnelse: besvart, trukket tilbake, utløpt eller uten e-post."))
        return _("Påminnelsen sendes til %(email)s.") % {"email": invitation.email}

    blocked = ""
    if invitation.answered_at or not invitation.is_usable(timezone.now()) or not invitation.email:
        blocked = _("Kan ikke sende påminnelse: besvart, trukket tilbake, utløpt eller uten e-post.")
    return confirm_page(
        request,
        about=invitation,
        title=_("Send påminnelse til %(name)s?") % {"name": invitation.municipality.name},
        question=_("Kommunen får lenken til skjemaet på e-post igjen."),
        confirm_label=_("Send påminnelse"),
        act=act,
        success_url=reverse("survey:campaign_detail", args=[invitation.campaign_id]),
        facts=[
            (_("Mottaker"), invitation.email or _("mangler e-post")),
            (_("Påminnelser sendt"), invitation.reminders_sent),
        ],
        blocked=blocked,
        breadcrumbs=_invitation_crumbs(invitation),
    )


def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    require(request.user, "change", invitation)

    def act() -> str:
        if not services.invitation_revoke(invitation=invitation, by=request.user, now=timezone.now()):
            raise Refused(_("Lenken er allerede trukket tilbake."))
        return _("Lenken til %(name)s er trukket tilbake.") % {"name": invitation.municipality.name}

    return confirm_page(
        request,
        about=invitation,
        title=_("Trekke tilbake lenken til %(name)s?") % {"name": invitation.municipality.name},
        question=_(
            "Lenken slutter å virke med en gang, også et utkast kommunen har lagret. Kommunen kan ikke svare "
            "på denne kartleggingen uten en ny lenke."
        ),
        confirm_label=_("Trekk tilbake lenken"),
        act=act,
        success_url=reverse("survey:campaign_detail", args=[invitation.campaign_id]),
        facts=[(_("Mottaker"), invitation.email or _("mangler e-post"))],
        blocked=_("Lenken er allerede trukket tilbake.") if invitation.revoked_at else "",
        breadcrumbs=_invitation_crumbs(invitation),
    )


def invitation_reject_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject every proposal of the answer that is still pending, after the user confirms."""
    invitation = _invitation(request, pk)
    require(request.user, "change", invitation)
    pending = invitation.proposals.filter(decision=Proposal.Decision.PENDING).count()

    def act() -> str:
        count = services.proposals_reject_all(invitation=invitation, by=request.user, now=timezone.now())
        return _("%(count)d forslag er avvist. Ingenting er endret i registeret.") % {"count": count}

    return confirm_page(
        request,
        about=invitation,
        title=_("Avvise alle forslag fra %(name)s?") % {"name": invitation.municipality.name},
        question=_(
            "Alle forslagene som ikke er avgjort, avvises. Ingenting endres i registeret, og avgjørelsen kan "
            "ikke gjøres om."
        ),
        confirm_label=_("Avvis alle"),
        act=act,
        success_url=reverse("survey:invitation_detail", args=[invitation.pk]),
        facts=[(_("Forslag til vurdering"), pending)],
        blocked="" if pending else _("Det er ingen forslag til vurdering."),
        breadcrumbs=_invitation_crumbs(invitation),
    )


@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    require_personal_data(request.user)
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("invitation__campaign", "invitation__municipality"),
        pk=pk,
    )
    require(request.user, "change", proposal)
    accept = request.POST.get("decision") == "accept"
    try:
        services.proposal_decide(
            proposal=proposal, accept=accept, by=request.user, now=timezone.now(), today=timezone.localdate()
        )
    except services.Conflict as error:
        messages.error(request, f"{proposal.object_repr}, {proposal.label}: {error}")
    else:
        text = _("Godtatt") if accept else _("Avvist")
        messages.success(request, f"{text}: {proposal.object_repr}, {proposal.label}")
    return redirect("survey:invitation_detail", pk=proposal.invitation_id)


CONFIRMED_COLUMNS = [
    Column(
        "municipality",
        gettext_lazy("Kommune"),
        ("number",),
        value=lambda m: f"{m.number} {m.name}",
        link=lambda m: path_for("registry:municipality_detail")(m.pk),
    ),
    Column("office", gettext_lazy("ALIS-kontor"), ("county__office__name", "number"), value="county.office.name"),
    Column("confirmed", gettext_lazy("Sist bekreftet"), ("confirmed_at", "number"), value=_confirmed_cell),
]
CONFIRMED_EXPORT = [
    ExportColumn("Kommunenummer", lambda m: m.number),
    ExportColumn("Kommune", lambda m: m.name),
    ExportColumn("ALIS-kontor", lambda m: m.county.office.name if m.county.office else ""),
    ExportColumn("Sist bekreftet", lambda m: _day(m.confirmed_at), DATE),
]


def municipality_status(request: HttpRequest) -> HttpResponse:
    """The region's municipalities, when each last confirmed its data, stale ones flagged."""
    require_personal_data(request.user)
    require(request.user, "view", Invitation)
    now = timezone.now()
    answers = Invitation.objects.filter(municipality=OuterRef("pk"), answered_at__isnull=False)
    last = answers.order_by().values("municipality").annotate(last=Max("answered_at")).values("last")
    municipalities = (
        Municipality.objects.filter(region_q(request.user, "county__office_id"))
        .select_related("county__office")
        .annotate(confirmed_at=Subquery(last))
    )
    form = ConfirmedFilterForm(request.GET, user=request.user, now=now)
    chosen = form.filter(municipalities)
    listing = list_page(
        request,
        chosen,
        columns=CONFIRMED_COLUMNS,
        default_sort="municipality",
        caption=_("Kommuner med dato for siste bekreftelse i en kartlegging"),
        empty_text=_("Ingen kommuner passer til filteret."),
        export=Export(CONFIRMED_EXPORT, "sist-bekreftet"),
        keep_rows=True,  # for the day: a confirmation grows stale by the day
        prepare_rows=partial(_mark_stale, now=now),
    )
    context = {
        "form": form,
        "stale": tableversions.kept(
            f"stale:{lists.request_key(request)}", chosen.filter(stale_q(now)).count, also=tableversions.so_far()
        ),
        "results_before": "survey/_stale_count.html",
        "breadcrumbs": crumbs(_campaigns_crumb(), _("Sist bekreftet")),
    }
    return render_list(request, "survey/municipality_status.html", listing, context)


def _mark_stale(municipalities: list[Municipality], *, now: datetime) -> None:
    for municipality in municipalities:
        municipality.stale = rules.is_stale(municipality.confirmed_at, now)


def municipality_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """When the municipality last confirmed its data, for the municipality's page."""
    require_personal_data(request.user)
    municipality = get_object_or_404(Municipality.objects.filter(region_q(request.user, "county__office_id")), pk=pk)
    confirmed_at = services.last_confirmed([municipality.pk]).get(municipality.pk)
    context = {
        "municipality": municipality,
        "confirmed_at": confirmed_at,
        "stale": rules.is_stale(confirmed_at, timezone.now()),
        "invitations": Invitation.objects.visible_to(request.user)
        .filter(municipality=municipality)
        .select_related("campaign")
        .order_by("-campaign__started_at")[:5],
    }
    readlog.read(request, context["invitations"])
    return render(request, "survey/_municipality_panel.html", context)


# The municipality's own pages, reached by the private link without signing in: the task list.


def _answering(request: HttpRequest, token: str) -> tuple[Invitation | None, HttpResponse | None]:
    """The invitation of a usable link not yet answered; else the page to answer with instead."""
    now = timezone.now()
    invitation = (
        Invitation.objects.select_related("campaign__office", "municipality").filter(token=token).first()
        if len(token) <= 64
        else None
    )
    if invitation is None or not invitation.is_usable(now):
        return None, render(request, "survey/link_invalid.html", status=410 if invitation else 404)
    # In the municipality's own language form (målform): a nynorsk municipality gets its pages in nynorsk (for
    # the rest of this request; LocaleMiddleware sets Content-Language from it).
    translation.activate(invitation.municipality.message_language)
    if invitation.answered_at:
        return None, render(request, "survey/answer_done.html", {"invitation": invitation})
    services.invitation_open(invitation=invitation, now=now)
    return invitation, None


def _overview(invitation: Invitation) -> str:
    return reverse("survey:answer", args=[invitation.token])


def _public_crumbs(invitation: Invitation, here: str) -> list:
    """Up to the task list, named by its heading (on a phone: «Tilbake til Kartlegging 2026: Bergen»)."""
    overview = f"{invitation.campaign.title}: {invitation.municipality.name}"
    return crumbs((overview, _overview(invitation)), here)


@login_not_required
@rate_limit(MAPPING_LINK)
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The task list: each section of the answer with its status, and the way to check and send it."""
    invitation, refused = _answering(request, token)
    if refused:
        return refused
    answer = Answer(invitation, today=timezone.localdate())
    return render(request, "survey/answer.html", {"invitation": invitation, "answer": answer})


def _saved(request: HttpRequest, invitation: Invitation, draft: dict, message: str = "") -> None:
    if services.invitation_save_draft(invitation=invitation, draft=draft) and message:
        messages.success(request, message)


@login_not_required
@rate_limit(MAPPING_LINK)
def answer_section(request: HttpRequest, token: str, key: str) -> HttpResponse:
    """One section of the answer: «Lagre og gå videre» finishes it, «Lagre utkast» keeps it for later."""
    invitation, refused = _answering(request, token)
    if refused:
        return refused
    answer = Answer(invitation, today=timezone.localdate())
    section = answer.section(key)
    if section is None:
        raise Http404
    if section.kind == NEW_TRAININGS:
        return _new_trainings_page(request, invitation, answer, section)
    if request.method == "POST":
        action = request.POST.get("action")
        built = answer.build(section, request.POST)
        data = answer.posted(section, request.POST)
        if action == "add_row":
            _saved(request, invitation, answer.store(section, _with_blank_row(built, data), done=False))
            return redirect(f"{request.path}#sykehus")
        if action != "done":
            _saved(request, invitation, answer.store(section, data, done=False), DRAFT_SAVED)
            return redirect("survey:answer", token=token)
        if built.is_valid():
            _saved(
                request,
                invitation,
                answer.store(section, data, done=True),
                _("«%(title)s» er ferdig.") % {"title": section.title},
            )
            return redirect("survey:answer", token=token)
        # Kept as a draft, so that nothing typed is lost; the errors are shown at the top and by each field.
        services.invitation_save_draft(invitation=invitation, draft=answer.store(section, data, done=False))
    else:
        built = answer.saved(section)
    return _section_page(request, invitation, answer, section, built)


DRAFT_SAVED = gettext_lazy("Utkastet er lagret. Dere kan fortsette senere med samme lenke.")


def _with_blank_row(built, data: dict) -> dict:
    """The draft of a training section with one more empty hospital period, for «Legg til en periode til»."""
    formset = built.parts["hospital"]
    key = formset.management_form.add_prefix("TOTAL_FORMS")
    try:
        total = int(data.get(key, 0))
    except (TypeError, ValueError):
        total = 0
    return {**data, key: str(min(total + 1, formset.max_num))}


def _section_page(request: HttpRequest, invitation: Invitation, answer: Answer, section, built) -> HttpResponse:
    context = {
        "invitation": invitation,
        "answer": answer,
        "section": section,
        "built": built,
        "number": answer.sections.index(section) + 1,
        "breadcrumbs": _public_crumbs(invitation, section.title),
    }
    return render(request, "survey/answer_section.html", context)


def _new_trainings_page(request: HttpRequest, invitation: Invitation, answer: Answer, section) -> HttpResponse:
    """New ALIS: each one added to the list in the draft; the section is finished when there are no more."""
    rows = list(answer.new_trainings)
    if request.method == "POST":
        action = request.POST.get("action", "")
        built = answer.build(section, request.POST)
        form = built.forms[0]
        data = answer.posted(section, request.POST)
        if action.startswith("remove-"):
            index = parse_int(action.removeprefix("remove-"), -1)
            if 0 <= index < len(rows):
                removed = rows.pop(index)
                message = _("«%(name)s» er fjernet.") % {"name": f"{removed['first_name']} {removed['last_name']}"}
                _saved(request, invitation, answer.store_new_trainings(rows, done=False, data=data), message)
            return redirect(request.path)
        if action == "draft":
            _saved(request, invitation, answer.store_new_trainings(rows, done=False, data=data), DRAFT_SAVED)
            return redirect("survey:answer", token=invitation.token)
        if action == "add" or not form.is_blank():
            if not form.is_valid():
                services.invitation_save_draft(
                    invitation=invitation, draft=answer.store_new_trainings(rows, done=False, data=data)
                )
                return _section_page(request, invitation, answer, section, built)
            values = form.values()
            rows.append(values)
        if action == "add":
            name = f"{values['first_name']} {values['last_name']}"
            _saved(
                request,
                invitation,
                answer.store_new_trainings(rows, done=False),
                _("«%(name)s» er lagt til.") % {"name": name},
            )
            return redirect(request.path)
        _saved(
            request,
            invitation,
            answer.store_new_trainings(rows, done=True),
            _("«%(title)s» er ferdig.") % {"title": section.title},
        )
        return redirect("survey:answer", token=invitation.token)
    built = answer.saved(section)
    return _section_page(request, invitation, answer, section, built)


@login_not_required
@rate_limit(MAPPING_LINK)
def answer_check(request: HttpRequest, token: str) -> HttpResponse:
    """«Sjekk svarene dine»: every change the answer proposes, section by section, then the name and «Send»."""
    invitation, refused = _answering(request, token)
    if refused:
        return refused
    answer = Answer(invitation, today=timezone.localdate())
    send = answer.send_form()
    if request.method == "POST":
        send = answer.send_form(request.POST)
        data = {
            key: request.POST.get(key, "")[:DRAFT_VALUE_LENGTH] for key in (send.add_prefix(n) for n in send.fields)
        }
        if request.POST.get("action") != "send":
            _saved(request, invitation, answer.store_send(data), DRAFT_SAVED)
            return redirect("survey:answer", token=token)
        services.invitation_save_draft(invitation=invitation, draft=answer.store_send(data))
        if answer.complete and send.is_valid():
            try:
                services.invitation_submit(
                    invitation=invitation, answer=answer, send=send.cleaned_data, now=timezone.now()
                )
            except services.Conflict as error:
                messages.error(request, str(error))
            return redirect("survey:answer", token=token)
    review = answer.review()
    context = {
        "invitation": invitation,
        "answer": answer,
        "review": review,
        "unchanged": [section for section, changes in review if changes == []],
        "form": send,
        "breadcrumbs": _public_crumbs(invitation, _("Sjekk svarene dine")),
    }
    return render(request, "survey/answer_check.html", context)
