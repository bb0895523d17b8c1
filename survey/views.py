from contextlib import suppress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.ratelimit import MAPPING_LINK, rate_limit
from core.scoping import region_q, require_personal_data, require_region_edit
from registry.models import Municipality
from survey import rules, services
from survey.answer import AnswerForms
from survey.forms import CampaignForm, MunicipalityStatusFilterForm
from survey.models import Campaign, Invitation, Proposal, municipality_mapping_q

PENDING = Q(proposals__decision=Proposal.Decision.PENDING)


def campaign_list(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    campaigns = (
        Campaign.objects.visible_to(request.user)
        .select_related("office")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True),
            pending=Count("invitations__proposals", filter=Q(invitations__proposals__decision="pending")),
        )
    )
    can_start = bool(request.user.office_id) and request.user.edits_region(request.user.office_id)
    return render(request, "survey/campaign_list.html", {"campaigns": campaigns, "can_start": can_start})


def campaign_create(request: HttpRequest) -> HttpResponse:
    require_personal_data(request.user)
    office = request.user.office
    require_region_edit(request.user, office.pk if office else None)
    municipalities = Municipality.objects.in_office(office.pk).order_by("name_norwegian")
    today = timezone.localdate()
    form = CampaignForm(request.POST or None, municipalities=municipalities, today=today)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        campaign = services.campaign_start(
            office=office,
            by=request.user,
            data=data,
            municipalities=list(form.cleaned_data["municipalities"]),
            now=timezone.now(),
        )
        messages.success(request, _("Kartleggingen er startet. E-postene sendes nå."))
        return redirect("survey:campaign_detail", pk=campaign.pk)
    return render(request, "survey/campaign_form.html", {"form": form})


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_personal_data(request.user)
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("office"), pk=pk)
    today = timezone.localdate()
    invitations = list(
        campaign.invitations.select_related("municipality").annotate(pending=Count("proposals", filter=PENDING))
    )
    confirmed = services.last_confirmed([i.municipality_id for i in invitations])
    now = timezone.now()
    for invitation in invitations:
        invitation.overdue = rules.is_overdue(
            deadline=campaign.deadline, answered_at=invitation.answered_at, today=today
        )
        invitation.confirmed_at = confirmed.get(invitation.municipality_id)
        invitation.stale = rules.is_stale(invitation.confirmed_at, now)
        invitation.usable = invitation.is_usable(now)
    counts = {
        "sent": sum(1 for i in invitations if i.sent_at),
        "opened": sum(1 for i in invitations if i.opened_at),
        "answered": sum(1 for i in invitations if i.answered_at),
        "overdue": sum(1 for i in invitations if i.overdue),
        "no_email": sum(1 for i in invitations if not i.email),
    }
    context = {
        "campaign": campaign,
        "invitations": invitations,
        "counts": counts,
        "can_edit": request.user.edits_region(campaign.office_id),
    }
    return render(request, "survey/campaign_detail.html", context)


def _invitation(request: HttpRequest, pk: int) -> Invitation:
    require_personal_data(request.user)
    return get_object_or_404(
        Invitation.objects.visible_to(request.user).select_related("campaign__office", "municipality__county"), pk=pk
    )


def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer side by side with what the office knows (old → new), to accept or reject field by field."""
    invitation = _invitation(request, pk)
    proposals = list(invitation.proposals.select_related("decided_by"))
    for proposal in proposals:
        if proposal.decision == Proposal.Decision.PENDING:
            current = services.current_value(proposal)
            proposal.conflict = current is not None and current != proposal.old_value
    context = {
        "invitation": invitation,
        "campaign": invitation.campaign,
        "proposals": proposals,
        "can_edit": request.user.edits_region(invitation.campaign.office_id),
        "link": settings.SITE_URL + reverse("survey:answer", args=[invitation.token]),
    }
    return render(request, "survey/invitation_detail.html", context)


@require_POST
def invitation_remind(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    require_region_edit(request.user, invitation.campaign.office_id)
    if services.invitation_remind(invitation=invitation, now=timezone.now()):
        messages.success(request, _("Påminnelsen sendes til %(email)s.") % {"email": invitation.email})
    else:
        messages.error(request, _("Kan ikke sende påminnelse: besvart, trukket tilbake, utløpt eller uten e-post."))
    return redirect("survey:campaign_detail", pk=invitation.campaign_id)


@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    require_region_edit(request.user, invitation.campaign.office_id)
    services.invitation_revoke(invitation=invitation, now=timezone.now())
    messages.success(request, _("Lenken til %(name)s er trukket tilbake.") % {"name": invitation.municipality.name})
    return redirect("survey:campaign_detail", pk=invitation.campaign_id)


@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    require_personal_data(request.user)
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("invitation__campaign", "invitation__municipality"),
        pk=pk,
    )
    require_region_edit(request.user, proposal.invitation.campaign.office_id)
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


def municipality_status(request: HttpRequest) -> HttpResponse:
    """The region's municipalities, when each last confirmed its data, stale ones flagged."""
    require_personal_data(request.user)
    now = timezone.now()
    form = MunicipalityStatusFilterForm(request.GET, user=request.user)
    chosen = form.filter(Municipality.objects.filter(region_q(request.user, "county__office_id")))
    if form.is_valid() and (state := form.cleaned_data["mapping"]):
        chosen = chosen.filter(municipality_mapping_q(state, now))
    # Plain values, not model instances: nationally the list has every municipality of the country.
    municipalities = list(
        chosen.order_by("number").values("pk", "number", "name", office_name=F("county__office__name"))
    )
    confirmed = services.last_confirmed([m["pk"] for m in municipalities])
    for m in municipalities:
        m["confirmed_at"] = confirmed.get(m["pk"])
        m["stale"] = rules.is_stale(m["confirmed_at"], now)
    stale = sum(1 for m in municipalities if m["stale"])
    context = {"municipalities": municipalities, "stale": stale, "form": form}
    return render(request, "survey/municipality_status.html", context)


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
    return render(request, "survey/_municipality_panel.html", context)


@login_not_required
@rate_limit(MAPPING_LINK)
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The municipality's own form: pre-filled, saved as a draft, submitted once. The token is the key."""
    now = timezone.now()
    invitation = (
        Invitation.objects.select_related("campaign__office", "municipality").filter(token=token).first()
        if len(token) <= 64
        else None
    )
    if invitation is None or not invitation.is_usable(now):
        return render(request, "survey/link_invalid.html", status=410 if invitation else 404)
    if invitation.answered_at:
        return render(request, "survey/answer_done.html", {"invitation": invitation})
    services.invitation_open(invitation=invitation, now=now)
    today = timezone.localdate()
    if request.method == "POST" and "draft" in request.POST:
        services.invitation_save_draft(invitation=invitation, data=request.POST.dict())
        messages.success(request, _("Utkastet er lagret. Dere kan fortsette senere med samme lenke."))
        return redirect("survey:answer", token=token)
    if request.method == "POST":
        forms = AnswerForms(invitation, today=today, data=request.POST)
        if forms.is_valid():
            # Sent twice: the first one counts, and the page it leads to says it is received.
            with suppress(services.Conflict):
                services.invitation_submit(invitation=invitation, answer=forms, now=now)
            return redirect("survey:answer", token=token)
    else:
        forms = AnswerForms(invitation, today=today, draft=invitation.draft)
    return render(request, "survey/answer.html", {"invitation": invitation, "forms": forms})
