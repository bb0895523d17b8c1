import secrets
from datetime import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.fields import DateField
from core.models import Versioned
from core.scoping import region_q
from registry.models import Municipality, Office
from survey import rules


def new_token() -> str:
    """32 random bytes: unguessable; the link is the only key the municipality needs."""
    return secrets.token_urlsafe(32)


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "CampaignQuerySet":
        return self.filter(region_q(user, "office_id"))


class Campaign(Versioned):
    office = models.ForeignKey(Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("tittel"), max_length=200)
    message = models.TextField(
        _("melding til kommunene"), blank=True, help_text=_("Står i e-posten over lenken til skjemaet.")
    )
    deadline = DateField(_("svarfrist"))
    reminder_after_days = models.PositiveSmallIntegerField(
        _("påminnelse etter (dager)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    max_reminders = models.PositiveSmallIntegerField(
        _("høyst antall påminnelser"), default=2, validators=[MaxValueValidator(10)]
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("kartlegging")
        verbose_name_plural = _("kartlegginger")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "InvitationQuerySet":
        return self.filter(region_q(user, "campaign__office_id"))

    def unanswered(self, now: datetime) -> "InvitationQuerySet":
        """Links still working that the municipality has not answered (sent or not: someone must follow up)."""
        return self.filter(answered_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)

    def waiting(self) -> "InvitationQuerySet":
        """Answers with proposals the office has not yet accepted or rejected."""
        pending = Proposal.objects.filter(invitation=OuterRef("pk"), decision=Proposal.Decision.PENDING)
        return self.filter(answered_at__isnull=False).filter(Exists(pending))


# Where a municipality stands in the mapping, as a filter on municipalities (the list of when each last confirmed
# its data, and the start page's counts of it).
UNANSWERED, WAITING, STALE = "unanswered", "waiting", "stale"


def municipality_mapping_q(state: str, now: datetime) -> Q:
    """Municipalities with an open link not answered, an answer waiting for the office, or stale data (never
    confirmed, or not in the last year: survey.rules.is_stale)."""
    invitations = Invitation.objects.filter(municipality=OuterRef("pk"))
    if state == UNANSWERED:
        return Q(Exists(invitations.unanswered(now)))
    if state == WAITING:
        return Q(Exists(invitations.waiting()))
    if state == STALE:
        return ~Q(Exists(invitations.filter(answered_at__gte=now - rules.STALE_AFTER)))
    raise ValueError(state)


class Invitation(models.Model):
    """One municipality's private link in a campaign, and its answer."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("mottaker"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    expires_at = models.DateTimeField(_("lenken virker til"))
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    opened_at = models.DateTimeField(_("åpnet"), null=True, blank=True)
    answered_at = models.DateTimeField(_("besvart"), null=True, blank=True, db_index=True)
    reminders_sent = models.PositiveSmallIntegerField(_("påminnelser"), default=0)
    last_reminded_at = models.DateTimeField(_("sist påminnet"), null=True, blank=True)
    # The form as last saved as a draft: the raw POST values by field name.
    draft = models.JSONField(default=dict, blank=True)
    # What the registry can not hold: the municipality's own words, shown to the office with the proposals.
    has_trust_agreement = models.BooleanField(_("avtale med helseforetaket"), null=True, blank=True)
    trust_agreement_text = models.TextField(_("om avtalen med helseforetaket"), blank=True)
    comment = models.TextField(_("kommentar til ALIS-kontoret"), blank=True)
    answered_by = models.CharField(_("besvart av"), max_length=200, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")
        ordering = ["municipality__number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "municipality"], name="survey_invitation_one_per_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} – {self.municipality.name}"

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "ProposalQuerySet":
        return self.filter(region_q(user, "invitation__campaign__office_id"))


class Proposal(models.Model):
    """One change the municipality proposes: a field of a record (old → new), or a new record."""

    class Target(models.TextChoices):
        CONTACT = "contact", _("Kontaktperson")
        GP_OFFICE = "gp_office", _("Legekontor")
        TRAINING = "training", _("ALIS")
        REGISTRATION = "registration", _("Registreringsstatus")
        NOTE = "note", _("Opplysning")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Til vurdering")
        ACCEPTED = "accepted", _("Godtatt")
        REJECTED = "rejected", _("Avvist")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="proposals")
    target = models.CharField(_("gjelder"), max_length=20, choices=Target)
    # The record changed; NULL proposes a new record, whose fields are in `new_value` as JSON.
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_repr = models.CharField(_("post"), max_length=300)
    field = models.CharField(max_length=50, blank=True)
    label = models.CharField(_("felt"), max_length=100, blank=True)
    # Raw form values (what the office form would post), to apply and to detect changes made since.
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    old_shown = models.TextField(_("nå"), blank=True)
    new_shown = models.TextField(_("foreslått"), blank=True)
    decision = models.CharField(_("avgjørelse"), max_length=10, choices=Decision, default=Decision.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("endringsforslag")
        verbose_name_plural = _("endringsforslag")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="pending") | Q(decided_at__isnull=False), name="survey_proposal_decided_has_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} {self.label}: {self.old_shown} → {self.new_shown}"

    @property
    def is_new_record(self) -> bool:
        return self.object_id is None
