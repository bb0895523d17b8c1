"""Grant applications and mapping campaigns (status): read only, for the office's own region."""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from ninja import Query, Router
from pydantic import Field

from api.endpoints.common import (
    PERSONAL_DETAIL,
    PERSONAL_LIST,
    filter_form,
    filtered,
    listing,
    log_read,
    personal,
    set_etag,
    today,
)
from api.formschema import OfficeCode, RecordId, schema_for
from api.pagination import DEFAULT_PAGE_SIZE, Page, PageSize, page_of, sort_type
from api.schemas import CampaignDetail, CampaignOut, GrantApplicationDetail, GrantApplicationOut
from core.lists import Column
from grants.applications import evaluate_lines, kept_totals
from grants.forms import ApplicationFilterForm
from grants.models import GrantApplication
from grants.views import APPLICATION_COLUMNS
from survey import rules as survey_rules
from survey.models import Campaign, Proposal

router = Router()


class ApplicationFilters(schema_for("ApplicationFilterFields", ApplicationFilterForm, partial=True)):
    office: OfficeCode | None = Field(None, description="Bare for roller som ser alle regioner.")
    period: RecordId | None = Field(None, description="Satsperioden (id).")


def _applications(request: HttpRequest):
    return (
        GrantApplication.objects.visible_to(request.user)
        .select_related("municipality", "period__scheme")
        .with_line_count()
    )


def _with_totals(applications: list[GrantApplication]) -> list[GrantApplication]:
    """Each application's amount from its lines, computed as the web pages compute it (never stored)."""
    totals = kept_totals([application.pk for application in applications])
    for application in applications:
        application.totals = totals[application.pk]
    return applications


@router.get(
    "/grant-applications/",
    response={200: page_of(GrantApplicationOut), **PERSONAL_LIST},
    tags=["Tilskudd"],
    summary="Tilskuddssøknadene",
)
def application_list(
    request: HttpRequest,
    filters: Query[ApplicationFilters],
    sort: sort_type(APPLICATION_COLUMNS) = "municipality",
    page: Page = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    personal(request)
    form = filter_form(ApplicationFilterForm, filters, request)
    return listing(
        request,
        filtered(form, _applications(request)),
        columns=APPLICATION_COLUMNS,
        default_sort=sort,
        page=page,
        page_size=page_size,
        log="grant_applications",
        kept_as=page_of(GrantApplicationOut),
        prepare=_with_totals,
    )


@router.get(
    "/grant-applications/{int:pk}/",
    response={200: GrantApplicationDetail, **PERSONAL_DETAIL},
    tags=["Tilskudd"],
    summary="Én søknad med ALIS-linjene",
)
def application_detail(request: HttpRequest, pk: RecordId, response: HttpResponse):
    application = get_object_or_404(_applications(request).prefetch_related("lines__training__doctor"), pk=pk)
    _with_totals([application])
    amounts = {line.pk: line.amount for line in evaluate_lines(application.lines.all())}
    for line in application.lines.all():
        line.evaluated = amounts[line.pk]
    log_read(request, application)
    set_etag(response, application)
    return application


CAMPAIGN_COLUMNS = [
    Column("started", gettext_lazy("Startet"), ("started_at",)),
    Column("deadline", gettext_lazy("Svarfrist"), ("deadline",)),
    Column("title", gettext_lazy("Tittel"), ("title",)),
]


def _campaigns(request: HttpRequest):
    pending = Q(invitations__proposals__decision=Proposal.Decision.PENDING)
    return (
        Campaign.objects.visible_to(request.user)
        .select_related("office")
        .annotate(
            invited=Count("invitations", distinct=True),
            sent=Count("invitations", filter=Q(invitations__sent_at__isnull=False), distinct=True),
            opened=Count("invitations", filter=Q(invitations__opened_at__isnull=False), distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True),
            pending_proposals=Count("invitations__proposals", filter=pending, distinct=True),
        )
    )


@router.get(
    "/mapping-campaigns/",
    response={200: page_of(CampaignOut), **PERSONAL_LIST},
    tags=["Kartlegging"],
    summary="Kartleggingene og hvor langt de er kommet",
)
def campaign_list(
    request: HttpRequest,
    sort: sort_type(CAMPAIGN_COLUMNS) = "-started",
    page: Page = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
):
    personal(request)
    return listing(
        request, _campaigns(request), columns=CAMPAIGN_COLUMNS, default_sort=sort, page=page, page_size=page_size
    )


@router.get(
    "/mapping-campaigns/{int:pk}/",
    response={200: CampaignDetail, **PERSONAL_DETAIL},
    tags=["Kartlegging"],
    summary="Én kartlegging: status per kommune",
)
def campaign_detail(request: HttpRequest, pk: RecordId, response: HttpResponse):
    personal(request)
    campaign = get_object_or_404(_campaigns(request), pk=pk)
    day = today()
    campaign.invitations_list = [
        {
            "municipality": invitation.municipality,
            "sent_at": invitation.sent_at,
            "opened_at": invitation.opened_at,
            "answered_at": invitation.answered_at,
            "reminders_sent": invitation.reminders_sent,
            "revoked": invitation.revoked_at is not None,
            "overdue": survey_rules.is_overdue(
                deadline=campaign.deadline, answered_at=invitation.answered_at, today=day
            ),
        }
        for invitation in campaign.invitations.select_related("municipality")
    ]
    set_etag(response, campaign)
    return campaign
