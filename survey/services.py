"""Writes of the mapping campaign: start, answer, decide, remind. E-mail only through tasks, after commit."""

import json
from datetime import date, datetime, time, timedelta
from functools import partial

from django import forms
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import history
from core.editing import StaleEdit, delete_with_history, form_values, save_form
from registry.forms import ContactForm, DoctorForm, GpOfficeForm, RegistrationForm
from registry.models import Contact, Doctor, GpOffice, HealthTrust, Municipality, Office, Registration, Specialty
from survey import rules, tasks
from survey.answer import Answer
from survey.forms import current_raw, hospital_rows, hospital_text, hospital_value, supervisor_text, supervisor_value
from survey.models import Campaign, Invitation, Proposal
from training.forms import AssignmentForm, ServicePeriodForm, TrainingForm, set_expected_end, supervisor_choices
from training.models import ONGOING, ServicePeriod, Status, SupervisorAssignment, Training

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
    """Create the campaign (with history) and one invitation per municipality; the e-mails go out from the
    worker. The office's page does the same through the form page (`views.campaign_create`)."""
    with transaction.atomic():
        campaign = Campaign.objects.create(office=office, created_by=by, started_at=now, **data)
        history.record(instance=campaign, by=by, before=None)
        campaign_invite(campaign=campaign, municipalities=municipalities)
    return campaign


def campaign_invite(*, campaign: Campaign, municipalities: list[Municipality]) -> list[Invitation]:
    """One private link per municipality, to the training lead (else the post box), e-mailed after commit."""
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
    return invitations


def invitation_open(*, invitation: Invitation, now: datetime) -> None:
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now


def invitation_save_draft(*, invitation: Invitation, draft: dict) -> bool:
    """Keep the answer so far (survey.answer: each section's own fields); False once the answer is sent."""
    saved = Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(draft=draft)
    invitation.draft = draft
    return bool(saved)


def invitation_submit(*, invitation: Invitation, answer: Answer, send: dict, now: datetime) -> int:
    """Store the answer as proposals, once: a second submit finds the invitation answered. `send` is the
    cleaned «Sjekk svarene dine» form (comment, name). Raises Conflict when a section no longer validates."""
    proposals = answer.all_proposals()
    if proposals is None:
        raise Conflict(_("Noen av delene har feil. Åpne dem og rett feilene før dere sender."))
    with transaction.atomic():
        updated = Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
            answered_at=now,
            draft={},
            comment=send["comment"],
            answered_by=send["answered_by"],
            **answer.agreement(),
        )
        if not updated:
            raise Conflict(_("Svaret er allerede sendt."))
        for proposal in proposals:
            proposal.invitation = invitation
        Proposal.objects.bulk_create(proposals)
    return len(proposals)


def invitation_revoke(*, invitation: Invitation, by: User, now: datetime) -> bool:
    """The link stops working; False when it was revoked already. Kept in the campaign's history."""
    with transaction.atomic():
        before = history.snapshot(invitation)
        if not Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(revoked_at=now):
            return False
        invitation.revoked_at = now
        history.record(instance=invitation, by=by, before=before, parent=invitation.campaign)
    return True


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
    models_ = {
        Target.CONTACT: Contact,
        Target.GP_OFFICE: GpOffice,
        Target.TRAINING: Training,
        Target.DEPARTURE: Training,
    }
    model = models_[proposal.target]
    path = "employer" if model is Training else "municipality"
    found = model._default_manager.filter(pk=proposal.object_id, **{path: municipality}).first()
    if found is None:
        raise Conflict(_("Posten finnes ikke lenger."))
    return found


def current_value(proposal: Proposal) -> str | None:
    """The record's value now, raw; None when the proposal is not about one field of a record."""
    municipality = proposal.invitation.municipality
    if proposal.target == Target.NOTE:
        training = Training.objects.filter(pk=proposal.object_id, employer=municipality).first()
        return _note_now(training, proposal, timezone.localdate()) if training else None
    if proposal.is_new_record:
        return None
    if proposal.target == Target.REGISTRATION:
        return municipality.registration_status(proposal.field)
    try:
        record = _record(proposal, municipality)
    except Conflict:
        return None
    if proposal.target == Target.DEPARTURE:
        return record.status
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
        _apply_note(proposal, municipality, by=by, today=today)
        return
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
    if proposal.target == Target.DEPARTURE:
        _apply_departure(proposal, municipality, by=by)
        return
    if proposal.is_new_record:
        values = json.loads(proposal.new_value)
        if proposal.target == Target.TRAINING:
            _apply_new_training(values, municipality, by=by, today=today)
            return
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
    data = form_values(shown_form)
    data[proposal.field] = proposal.new_value
    data["seen_version"] = str(record.version)
    form = _office_form(proposal.target, record, data)
    parent = municipality if proposal.target == Target.CONTACT else None
    prepare = set_expected_end if proposal.target == Target.TRAINING else None
    _save(form, by=by, before=history.snapshot(record), parent=parent, prepare=prepare)


def _note_now(training: Training, proposal: Proposal, today: date) -> str | None:
    """What the answer form showed for a supervisor or the planned hospital service, as it would be now: the
    hospital periods as rows (JSON), or as the text of a proposal made before the form was structured."""
    if proposal.field == "supervisor":
        return supervisor_text(training, today)
    if proposal.field == "hospital":
        if _structured(proposal.old_value or proposal.new_value):
            return hospital_value(hospital_rows(training))
        return hospital_text(training)
    return None


def _structured(value: str) -> bool:
    return value.startswith("[")


def _apply_note(proposal: Proposal, municipality: Municipality, *, by: User, today: date) -> None:
    """Register the proposed supervisor or planned hospital service through the office's own forms."""
    training = Training.objects.filter(pk=proposal.object_id, employer=municipality).first()
    if training is None:
        raise Conflict(_("Posten finnes ikke lenger."))
    if _note_now(training, proposal, today) != proposal.old_value:
        raise Conflict(_("Verdien er endret etter at kommunen svarte."))
    if proposal.field == "supervisor":
        _apply_supervisor(training, proposal.new_value, by=by, today=today)
    elif proposal.field == "hospital" and _structured(proposal.new_value):
        _apply_hospital_rows(training, json.loads(proposal.new_value), by=by)
    elif proposal.field == "hospital":
        _apply_hospital(training, proposal.new_value, by=by)


def _find_supervisor(text: str, *, by: User, office_id: int) -> Doctor:
    name, hpr = rules.parse_supervisor(text)
    if hpr:
        doctor = Doctor.objects.visible_to(by).filter(hpr_number=hpr).first()
        if doctor is None:
            message = _("Fant ingen lege med HPR-nummer %(hpr)s i regionen. Registrer legen først.")
            raise Conflict(message % {"hpr": hpr})
        return doctor
    if not name:
        raise Conflict(_("Forslaget oppgir verken navn eller HPR-nummer på veilederen."))
    found = list(
        Doctor.objects.filter(municipality__county__office_id=office_id)
        .annotate(full=Concat("first_name", Value(" "), "last_name"))
        .filter(full__iexact=name)[:2]
    )
    if not found:
        raise Conflict(_("Fant ingen lege med navnet «%(name)s» i regionen. Registrer legen først.") % {"name": name})
    if len(found) > 1:
        raise Conflict(
            _("Flere leger heter «%(name)s» i regionen. Registrer veilederen på ALIS-siden.") % {"name": name}
        )
    return found[0]


def _apply_supervisor(training: Training, text: str, *, by: User, today: date) -> None:
    """End the current supervisor the day before and appoint the proposed one from today."""
    supervisor = _find_supervisor(text, by=by, office_id=training.employer.county.office_id) if text else None
    editable = Municipality.objects.editable_by(by)
    current = list(training.supervisor_assignments.current(today).select_related("supervisor"))
    if supervisor is not None and [a.supervisor_id for a in current] == [supervisor.pk]:
        return  # Already the supervisor: nothing to change.
    for assignment in current:
        choices = supervisor_choices(editable, assignment.supervisor)
        data = {**form_values(AssignmentForm(instance=assignment, supervisors=choices))}
        data.update(end=(today - timedelta(days=1)).isoformat(), seen_version=str(assignment.version))
        form = AssignmentForm(data, instance=assignment, supervisors=choices)
        _save(form, by=by, before=history.snapshot(assignment), parent=training)
    if supervisor is not None:
        data = {"supervisor": str(supervisor.pk), "start": today.isoformat()}
        form = AssignmentForm(
            data, instance=SupervisorAssignment(training=training), supervisors=supervisor_choices(editable, None)
        )
        _save(form, by=by, before=None, parent=training)


def _find_trust(text: str) -> HealthTrust:
    found = list(HealthTrust.objects.filter(Q(name__iexact=text) | Q(short_name__iexact=text))[:2])
    if len(found) != 1:
        raise Conflict(_("Fant ikke helseforetaket «%(name)s».") % {"name": text})
    return found[0]


def _apply_hospital(training: Training, text: str, *, by: User) -> None:
    """Update the planned hospital period (or create it), then keep the expected end in step."""
    parsed = rules.parse_hospital(text)
    if parsed is None:
        raise Conflict(_("Skriv sykehustjenesten som «dd.mm.åååå–dd.mm.åååå, helseforetak»."))
    start, end, trust_text = parsed
    trust = _find_trust(trust_text)
    planned = list(training.periods.filter(kind=ServicePeriod.Kind.HOSPITAL, planned=True))
    if len(planned) > 1:
        raise Conflict(_("ALIS har flere planlagte sykehusperioder. Endre dem på ALIS-siden."))
    period = planned[0] if planned else ServicePeriod(training=training, kind=ServicePeriod.Kind.HOSPITAL, planned=True)
    data = form_values(ServicePeriodForm(instance=period)) if period.pk else {"kind": period.kind, "share": "100"}
    data.update(planned="on", health_trust=str(trust.pk), start=start.isoformat(), end=end.isoformat() if end else "")
    if period.pk:
        data["seen_version"] = str(period.version)
    before = history.snapshot(period) if period.pk else None
    _save(ServicePeriodForm(data, instance=period), by=by, before=before, parent=training)
    # As the training pages do after saving a period: the stored expected end follows the periods.
    expected = training.compute_expected_end()
    if expected != training.expected_end:
        Training.objects.filter(pk=training.pk).update(expected_end=expected)


def _apply_hospital_rows(training: Training, rows: list[dict], *, by: User) -> None:
    """Make the planned hospital periods the proposed ones, in order: change those there are, add the new ones,
    delete those left over (each through the period form, with history), then keep the expected end in step."""
    planned = list(training.periods.filter(kind=ServicePeriod.Kind.HOSPITAL, planned=True).order_by("start", "pk"))
    for period, row in zip(planned, rows, strict=False):
        data = {**form_values(ServicePeriodForm(instance=period)), **_period_data(row)}
        data["seen_version"] = str(period.version)
        _save(ServicePeriodForm(data, instance=period), by=by, before=history.snapshot(period), parent=training)
    for row in rows[len(planned) :]:
        period = ServicePeriod(training=training, kind=ServicePeriod.Kind.HOSPITAL, planned=True)
        data = {"kind": period.kind, "share": "100", **_period_data(row)}
        _save(ServicePeriodForm(data, instance=period), by=by, before=None, parent=training)
    for period in planned[len(rows) :]:
        delete_with_history(instance=period, by=by, parent=training)
    expected = training.compute_expected_end()
    if expected != training.expected_end:
        Training.objects.filter(pk=training.pk).update(expected_end=expected)


def _period_data(row: dict) -> dict:
    return {"planned": "on", "health_trust": row["health_trust"], "start": row["start"], "end": row["end"]}


def _apply_departure(proposal: Proposal, municipality: Municipality, *, by: User) -> None:
    """The ALIS has left or finished: the training's status, end, reason and destination, through its form."""
    training = _record(proposal, municipality)
    if training.status != proposal.old_value:
        raise Conflict(_("Statusen er endret etter at kommunen svarte."))
    form = _office_form(Target.TRAINING, training)
    data = {**form_values(form), **json.loads(proposal.new_value), "seen_version": str(training.version)}
    _save(
        _office_form(Target.TRAINING, training, data),
        by=by,
        before=history.snapshot(training),
        prepare=set_expected_end,
    )


def _apply_new_training(values: dict, municipality: Municipality, *, by: User, today: date) -> None:
    """A new ALIS: the doctor (found by HPR number in the region, else registered), the course of training
    with the municipality, and the supervisor when named; each through the office's own form, with history."""
    doctor = None
    if values.get("hpr_number"):
        doctor = Doctor.objects.filter(hpr_number=values["hpr_number"]).first()
        if doctor is not None and not Doctor.objects.visible_to(by).filter(pk=doctor.pk).exists():
            raise Conflict(_("Legen med HPR-nummer %(hpr)s hører til en annen region.") % {"hpr": values["hpr_number"]})
    if doctor is None:
        data = {
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "hpr_number": values.get("hpr_number", ""),
            "municipality": str(municipality.pk),
            "gp_office": values.get("gp_office", ""),
        }
        form = DoctorForm(data, instance=Doctor(), municipalities=Municipality.objects.filter(pk=municipality.pk))
        _save(form, by=by, before=None)
        doctor = form.instance
    elif doctor.trainings.filter(employer=municipality, status__in=ONGOING).exists():
        raise Conflict(_("%(name)s er allerede registrert som ALIS i kommunen.") % {"name": doctor.full_name})
    data = {
        "specialty": values.get("specialty") or Specialty.GENERAL_PRACTICE,
        "employer": str(municipality.pk),
        "gp_office": values.get("gp_office", ""),
        "scheme": values["scheme"],
        "contract": values["contract"],
        "position_share": values["position_share"],
        "start": values["start"],
        "status": Status.ACTIVE,
    }
    form = _office_form(Target.TRAINING, Training(doctor=doctor, employer=municipality), data)
    _save(form, by=by, before=None, prepare=set_expected_end)
    supervisor = supervisor_value(values.get("supervisor_name", ""), values.get("supervisor_hpr", ""))
    if supervisor:
        _apply_supervisor(form.instance, supervisor, by=by, today=today)


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


def proposals_reject_all(*, invitation: Invitation, by: User, now: datetime) -> int:
    """Reject every proposal of the answer that is still pending; the number rejected."""
    return (
        Proposal.objects.pending()
        .filter(invitation=invitation)
        .update(decision=Proposal.Decision.REJECTED, decided_by=by, decided_at=now)
    )

def has_conflict(proposal: Proposal) -> bool:
    """Whether the record changed after the municipality answered (the proposal's old value is no longer so)."""
    current = current_value(proposal)
    return current is not None and current != proposal.old_value


def invitation_accept_all(
    *, proposals: list[Proposal], by: User, now: datetime, today: date
) -> int:
    """Accept the chosen proposals of one answer, all or none: if one can not be saved, nothing is, and the
    message names it."""
    with transaction.atomic():
        for proposal in proposals:
            try:
                proposal_decide(proposal=proposal, accept=True, by=by, now=now, today=today)
            except Conflict as error:
                raise Conflict(f"{proposal.object_repr}, {proposal.label}: {error}") from error
    return len(proposals)


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
