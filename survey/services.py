"""Writes of the mapping campaign: start, answer, decide, remind. E-mail only through tasks, after commit."""

import json
from datetime import date, datetime, time
from functools import partial

from django import forms
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import history
from core.editing import StaleEdit, save_form
from core.models import User
from registry.forms import ContactForm, GpOfficeForm, RegistrationForm
from registry.models import Contact, GpOffice, Municipality, Office, Registration
from survey import rules, tasks
from survey.answer import AnswerForms
from survey.forms import current_raw
from survey.models import Campaign, Invitation, Proposal
from training.forms import TrainingForm, set_expected_end
from training.models import Training

Target = Proposal.Target


class Conflict(Exception):
    """The record changed since the municipality saw it (or the proposal can not be applied as it is)."""


def default_recipient(contacts: list[Contact]) -> str:
    """The training lead's e-mail, else the post box's: who answers for the municipality's ALIS."""
    for role in (Contact.Role.TRAINING_LEAD, Contact.Role.POST_BOX):
        for contact in contacts:
            if contact.role == role and contact.email:
                return contact.email
    return ""


def campaign_start(
    *, office: Office, by: User, data: dict, municipalities: list[Municipality], now: datetime
) -> Campaign:
    """Create the campaign and one invitation per municipality; the e-mails go out from the worker."""
    with transaction.atomic():
        campaign = Campaign.objects.create(office=office, created_by=by, started_at=now, **data)
        expires = timezone.make_aware(datetime.combine(campaign.deadline + rules.LINK_GRACE, time.max))
        contacts: dict[int, list[Contact]] = {}
        for contact in Contact.objects.filter(municipality__in=municipalities):
            contacts.setdefault(contact.municipality_id, []).append(contact)
        invitations = Invitation.objects.bulk_create(
            Invitation(
                campaign=campaign,
                municipality=m,
                email=default_recipient(contacts.get(m.pk, [])),
                expires_at=expires,
            )
            for m in municipalities
        )
        for invitation in invitations:
            if invitation.email:
                transaction.on_commit(partial(tasks.send_invitation.enqueue, invitation.pk, False))
    return campaign


def invitation_open(*, invitation: Invitation, now: datetime) -> None:
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now


def invitation_save_draft(*, invitation: Invitation, data: dict) -> None:
    draft = {key: value for key, value in data.items() if key != "csrfmiddlewaretoken"}
    Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(draft=draft)


def invitation_submit(*, invitation: Invitation, answer: AnswerForms, now: datetime) -> int:
    """Store the valid answer as proposals, once: a second submit finds the invitation answered."""
    data = answer.answer.cleaned_data
    with transaction.atomic():
        updated = Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
            answered_at=now,
            draft={},
            has_trust_agreement={"yes": True, "no": False}.get(data["has_trust_agreement"]),
            trust_agreement_text=data["trust_agreement_text"],
            comment=data["comment"],
            answered_by=data["answered_by"],
        )
        if not updated:
            raise Conflict(_("Svaret er allerede sendt."))
        proposals = answer.proposals()
        for proposal in proposals:
            proposal.invitation = invitation
        Proposal.objects.bulk_create(proposals)
    return len(proposals)


def invitation_revoke(*, invitation: Invitation, now: datetime) -> None:
    Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(revoked_at=now)


def invitation_remind(*, invitation: Invitation, now: datetime) -> bool:
    """Send a reminder by hand; False when the invitation can not be reminded (answered, revoked, expired)."""
    claimed = Invitation.objects.filter(
        pk=invitation.pk, answered_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).exclude(email="")
    return _claim_and_enqueue(claimed, now) > 0


def reminders_enqueue(*, now: datetime) -> int:
    """Enqueue every reminder that is due. Safe to run as often as wanted: each invitation is claimed
    (its counter and time set) in the same UPDATE that decides it is due, so a second run finds nothing."""
    candidates = (
        Invitation.objects.filter(
            sent_at__isnull=False,
            answered_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
            reminders_sent__lt=F("campaign__max_reminders"),
        )
        .exclude(email="")
        .select_related("campaign")
    )
    due = [
        i.pk
        for i in candidates
        if rules.reminder_due(
            sent_at=i.sent_at,
            answered_at=i.answered_at,
            revoked_at=i.revoked_at,
            expires_at=i.expires_at,
            last_reminded_at=i.last_reminded_at,
            reminders_sent=i.reminders_sent,
            reminder_after_days=i.campaign.reminder_after_days,
            max_reminders=i.campaign.max_reminders,
            now=now,
        )
    ]
    count = 0
    for invitation in Invitation.objects.filter(pk__in=due).select_related("campaign"):
        # The condition repeats what was read, so that two runs at once can not both claim it.
        claimed = Invitation.objects.filter(
            pk=invitation.pk,
            reminders_sent=invitation.reminders_sent,
            answered_at__isnull=True,
            revoked_at__isnull=True,
        )
        count += _claim_and_enqueue(claimed, now)
    return count


def _claim_and_enqueue(claimed: models.QuerySet, now: datetime) -> int:
    ids = list(claimed.values_list("pk", flat=True))
    with transaction.atomic():
        count = claimed.update(reminders_sent=F("reminders_sent") + 1, last_reminded_at=now)
        if count:
            for pk in ids:
                transaction.on_commit(partial(tasks.send_invitation.enqueue, pk, True))
    return count


# Deciding proposals


def _form_values(form: forms.BaseForm) -> dict:
    """The POST a person would send with the form as shown: every field's current value."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == "":
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def _office_form(target: str, instance: models.Model, data=None) -> forms.ModelForm:
    """The form the office itself edits the record with."""
    if target == Target.CONTACT:
        return ContactForm(data, instance=instance)
    if target == Target.GP_OFFICE:
        return GpOfficeForm(
            data, instance=instance, municipalities=Municipality.objects.filter(pk=instance.municipality_id)
        )
    return TrainingForm(data, instance=instance, municipalities=Municipality.objects.filter(pk=instance.employer_id))


def _record(proposal: Proposal, municipality: Municipality) -> models.Model:
    models_ = {Target.CONTACT: Contact, Target.GP_OFFICE: GpOffice, Target.TRAINING: Training}
    model = models_[proposal.target]
    path = "employer" if model is Training else "municipality"
    found = model._default_manager.filter(pk=proposal.object_id, **{path: municipality}).first()
    if found is None:
        raise Conflict(_("Posten finnes ikke lenger."))
    return found


def current_value(proposal: Proposal) -> str | None:
    """The record's value now, raw; None when the proposal is not about one field of a record."""
    municipality = proposal.invitation.municipality
    if proposal.is_new_record or proposal.target == Target.NOTE:
        return None
    if proposal.target == Target.REGISTRATION:
        return municipality.registration_status(proposal.field)
    try:
        record = _record(proposal, municipality)
    except Conflict:
        return None
    return current_raw(_office_form(proposal.target, record), proposal.field)


def _save(form: forms.ModelForm, *, by: User, before, parent=None, prepare=None) -> None:
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[n].label if n in form.fields else ''}: {' '.join(e)}" for n, e in form.errors.items()
        )
        raise Conflict(_("Forslaget kan ikke lagres: %(errors)s") % {"errors": errors})
    try:
        save_form(form=form, by=by, before=before, parent=parent, prepare=prepare)
    except StaleEdit as error:
        raise Conflict(_("Posten ble endret samtidig. Prøv igjen.")) from error


def _apply(proposal: Proposal, *, by: User, today: date) -> None:
    municipality = proposal.invitation.municipality
    if proposal.target == Target.NOTE:
        return  # Shown to the office, who registers it where it belongs; nothing to write here.
    if proposal.target == Target.REGISTRATION:
        if municipality.registration_status(proposal.field) != proposal.old_value:
            raise Conflict(_("Statusen er endret etter at kommunen svarte."))
        data = {"specialty": proposal.field, "status": proposal.new_value, "valid_from": today.isoformat()}
        _save(
            RegistrationForm(data, instance=Registration(), municipality=municipality),
            by=by,
            before=None,
            parent=municipality,
        )
        return
    if proposal.is_new_record:
        values = json.loads(proposal.new_value)
        if proposal.target == Target.CONTACT:
            form = ContactForm(values, instance=Contact(municipality=municipality))
            _save(form, by=by, before=None, parent=municipality)
        else:
            values["municipality"] = str(municipality.pk)
            form = _office_form(Target.GP_OFFICE, GpOffice(municipality=municipality), values)
            _save(form, by=by, before=None)
        return
    record = _record(proposal, municipality)
    shown_form = _office_form(proposal.target, record)
    if current_raw(shown_form, proposal.field) != proposal.old_value:
        raise Conflict(_("Verdien er endret etter at kommunen svarte."))
    data = _form_values(shown_form)
    data[proposal.field] = proposal.new_value
    data["seen_version"] = str(record.version)
    form = _office_form(proposal.target, record, data)
    parent = municipality if proposal.target == Target.CONTACT else None
    prepare = set_expected_end if proposal.target == Target.TRAINING else None
    _save(form, by=by, before=history.snapshot(record), parent=parent, prepare=prepare)


def proposal_decide(*, proposal: Proposal, accept: bool, by: User, now: datetime, today: date) -> None:
    """Accept (apply through the office's own form, with history) or reject one proposal; once."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().filter(pk=proposal.pk, decision=Proposal.Decision.PENDING)
        if not locked.exists():
            raise Conflict(_("Forslaget er allerede avgjort."))
        if accept:
            _apply(proposal, by=by, today=today)
        decision = Proposal.Decision.ACCEPTED if accept else Proposal.Decision.REJECTED
        locked.update(decision=decision, decided_by=by, decided_at=now)


def last_confirmed(municipality_ids) -> dict[int, datetime]:
    """When each municipality last submitted an answer, by municipality id."""
    rows = (
        Invitation.objects.filter(municipality_id__in=municipality_ids, answered_at__isnull=False)
        .values("municipality_id")
        .annotate(last=models.Max("answered_at"))
    )
    return {row["municipality_id"]: row["last"] for row in rows}


def overdue_q(today: date) -> Q:
    return Q(answered_at__isnull=True, campaign__deadline__lt=today)
