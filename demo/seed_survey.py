"""Demo data for the mapping campaigns: one finished and one running campaign for ALIS-kontor Vest.

Synthetic and reproducible like the rest of the demo set: one `random.Random(seed)`, dates from `today`.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from registry.models import Contact, Municipality, Office, RegistrationStatus, Specialty
from survey import rules
from survey.models import Campaign, Invitation, Proposal
from survey.services import default_recipient


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_survey(*, seed: int, today: date) -> None:
    rng = random.Random(seed + 7)  # noqa: S311 (reproducible demo data)
    office = Office.objects.filter(code="vest").first()
    if office is None:
        return
    municipalities = list(Municipality.objects.in_office(office.pk).order_by("number")[:24])
    contacts: dict[int, list[Contact]] = {}
    for contact in Contact.objects.filter(municipality__in=municipalities):
        contacts.setdefault(contact.municipality_id, []).append(contact)

    finished_start = today - timedelta(days=420)
    finished = Campaign.objects.create(
        office=office,
        title=f"Kartlegging {finished_start.year}",
        message="Vi ber dere se over opplysningene om ALIS i kommunen.",
        deadline=finished_start + timedelta(days=21),
        started_at=_at(finished_start),
    )
    running_start = today - timedelta(days=10)
    running = Campaign.objects.create(
        office=office,
        title=f"Kartlegging {today.year}",
        message="Vi ber dere se over opplysningene om ALIS i kommunen før svarfristen.",
        deadline=today + timedelta(days=11),
        started_at=_at(running_start),
    )
    invitations = []
    for n, m in enumerate(municipalities):
        email = default_recipient(contacts.get(m.pk, []))
        # The first twelve were in last year's campaign, a third of them (and the rest) are in this year's:
        # those that have not answered yet show their old confirmation as stale.
        rounds = ([(finished, finished_start)] if n < 12 else []) + (
            [(running, running_start)] if n >= 12 or n % 3 == 0 else []
        )
        for campaign, start in rounds:
            answered = bool(email) and (n % 4 != 3 if campaign is finished else n % 5 == 0)
            opened = bool(email) and (answered or rng.random() < 0.5)
            reminded = campaign is running and not answered and bool(email)
            invitations.append(
                Invitation(
                    campaign=campaign,
                    municipality=m,
                    email=email,
                    expires_at=_at(campaign.deadline + rules.LINK_GRACE, 23),
                    sent_at=_at(start, 11) if email else None,
                    opened_at=_at(start + timedelta(days=rng.randint(0, 5)), 14) if opened else None,
                    answered_at=_at(start + timedelta(days=rng.randint(3, 9)), 15) if answered else None,
                    answered_by="Utdanningsansvarlig" if answered else "",
                    has_trust_agreement=rng.choice([True, False, None]) if answered else None,
                    reminders_sent=1 if reminded else 0,
                    last_reminded_at=_at(start + timedelta(days=7), 8) if reminded else None,
                )
            )
    Invitation.objects.bulk_create(invitations)
    proposals = []
    for invitation in Invitation.objects.filter(campaign=running, answered_at__isnull=False).select_related(
        "municipality"
    ):
        contact = next(iter(contacts.get(invitation.municipality_id, [])), None)
        if contact is not None:
            phone = f"{rng.randint(40, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
            proposals.append(
                Proposal(
                    invitation=invitation,
                    target=Proposal.Target.CONTACT,
                    object_id=contact.pk,
                    object_repr=str(contact),
                    field="phone",
                    label="telefon",
                    old_value=contact.phone,
                    new_value=phone,
                    old_shown=contact.phone,
                    new_shown=phone,
                )
            )
        status = invitation.municipality.registration_status(Specialty.GENERAL_PRACTICE)
        if status != "registered":
            proposals.append(
                Proposal(
                    invitation=invitation,
                    target=Proposal.Target.REGISTRATION,
                    object_id=invitation.municipality_id,
                    object_repr=invitation.municipality.name,
                    field=Specialty.GENERAL_PRACTICE.value,
                    label=str(Specialty.GENERAL_PRACTICE.label),
                    old_value=status,
                    new_value="registered",
                    old_shown=str(RegistrationStatus(status).label),
                    new_shown="Registrert",
                )
            )
    Proposal.objects.bulk_create(proposals)


def remove_survey_data() -> None:
    Campaign.objects.all().delete()
