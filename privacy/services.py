"""Erasure of a doctor by anonymisation (GDPR art. 17), keeping the counts the reports are made of.

What stays: the doctor's row and every record about them (trainings, service periods, supervision, course
attendance, grant lines, cost sheets), so that counts of ALIS, supervisors, participants and grants stay the
same; the municipality and GP office they work at (the reports count by them). What goes: their name (a
pseudonym «Anonymisert lege <nr>» in its place), HPR number, e-mail and phone, everywhere they are written —
the doctor's own fields, their course sign-ups, the history entries (`Change.object_repr` and each field's old
and new values, also of other records that named them), the municipalities' proposals, the captions in the
read log, the previews of import jobs (an unconfirmed one ends, its file deleted: a file can not be scrubbed) —
and every free text written about them (notes on their training, supervision, costs, inquiries),
which may say anything. Their private supervisor links are revoked. The read log keeps its entries: they hold
no name, only the link to the (now anonymous) doctor. The anonymisation itself is recorded in the history.

It is refused while a grant application that names the doctor is open (`OPEN_APPLICATION_STATUSES`).
"""

import json
import re
from collections.abc import Iterable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core import history
from core.models import Change, Read
from privacy import subject
from registry.models import Doctor

# A grant application is open until the auditor's statement is received (status «Revisorerklæring mottatt»):
# drafts, sent and granted applications, paid ones whose statement is awaited, and those to be repaid. While
# one names the doctor the office needs the application as it is for grant management and audit (GDPR art.
# 17(3)(b): processing required by a legal obligation), so the doctor can not be erased yet.
OPEN_APPLICATION_STATUSES = ("draft", "sent", "granted", "paid", "repay")

ERASED = "[slettet]"
# The doctor's fields that identify them, and the label each has in the history.
IDENTIFYING = ("first_name", "last_name", "hpr_number", "email", "phone")


class NotAllowed(Exception):
    pass


def pseudonym(doctor: Doctor) -> tuple[str, str]:
    return _("Anonymisert"), _("lege %(number)s") % {"number": doctor.pk}


def open_applications(doctor: Doctor) -> models.QuerySet:
    """The open grant applications with a line for one of the doctor's trainings."""
    GrantApplication = apps.get_model("grants", "GrantApplication")
    return GrantApplication.objects.filter(
        status__in=OPEN_APPLICATION_STATUSES, lines__training__doctor=doctor
    ).distinct().select_related("municipality", "period")  # fmt: skip


def is_anonymised(doctor: Doctor) -> bool:
    return Change.objects.filter(
        content_type=ContentType.objects.get_for_model(Doctor), object_id=doctor.pk, action=Change.Action.ANONYMISE
    ).exists()


def _identifiers(doctor: Doctor) -> tuple[list[str], list[str]]:
    """(names, other identifiers) the doctor has had: as now, and every earlier value in their history."""
    firsts, lasts, others = {doctor.first_name}, {doctor.last_name}, {doctor.hpr_number, doctor.email, doctor.phone}
    labels = {name: str(Doctor._meta.get_field(name).verbose_name) for name in IDENTIFYING}
    own = Change.objects.filter(content_type=ContentType.objects.get_for_model(Doctor), object_id=doctor.pk)
    for fields in own.values_list("fields", flat=True):
        for name, target in (("first_name", firsts), ("last_name", lasts)):
            target.update(fields.get(labels[name], []))
        for name in ("hpr_number", "email", "phone"):
            others.update(fields.get(labels[name], []))
    names = {f"{first} {last}" for first in firsts for last in lasts if first and last}
    names |= {f"{last}, {first}" for first in firsts for last in lasts if first and last}
    names |= {f"{last} {first}" for first in firsts for last in lasts if first and last}
    # Longest first, so that «Kari Anne Nordmann» goes before «Anne Nordmann» could leave «Kari » behind.
    return sorted(names, key=len, reverse=True), sorted((o for o in others if o and len(o) >= 4), key=len, reverse=True)


class Scrubber:
    """Replaces the doctor's names (with the pseudonym) and other identifiers (with «[slettet]») in text."""

    def __init__(self, names: list[str], others: list[str], replacement: str) -> None:
        self.names, self.others, self.replacement = names, others, replacement
        parts = [re.escape(name) for name in names] + [rf"(?<!\w){re.escape(o)}(?!\w)" for o in others]
        self.pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        self._names = {name.casefold() for name in names}

    def __call__(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.replacement if m.group(0).casefold() in self._names else ERASED, text)

    def value(self, value: object) -> object:
        """A JSON value with every string in it scrubbed."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {self(key): self.value(item) for key, item in value.items()}
        return value

    def candidates(self, field: str, *, json_field: bool = False) -> Q:
        """A filter for rows whose `field` may hold an identifier (checked exactly in Python afterwards).

        JSON is searched as text: SQLite stores it with non-ASCII letters escaped (ø as \\u00f8), so the
        escaped spelling is searched too.
        """
        query = Q(pk__in=[])
        for text in [*self.names, *self.others]:
            query |= Q(**{f"{field}__icontains": text})
            if json_field:
                escaped = json.dumps(text)[1:-1]
                if escaped != text:
                    query |= Q(**{f"{field}__icontains": escaped})
        return query


def _free_text(record: models.Model) -> list[str]:
    """Fields of free text (notes, remarks) of a record about the doctor: emptied, they may say anything."""
    return [
        f.name for f in record._meta.concrete_fields if isinstance(f, models.TextField) and f.editable and f.blank
    ]


def _scrub_record(record: models.Model, scrub: Scrubber) -> None:
    changed = []
    for name in _free_text(record):
        if getattr(record, name):
            setattr(record, name, "")
            changed.append(name)
    for f in record._meta.concrete_fields:
        if isinstance(f, models.CharField) and not f.choices and not f.unique and f.editable:
            value = getattr(record, f.attname)
            if value and (scrubbed := scrub(value)) != value:
                setattr(record, f.attname, scrubbed)
                changed.append(f.name)
    if changed:
        record.save(update_fields=changed)


def _scrub_registration(registration: models.Model, doctor_name: tuple[str, str]) -> None:
    registration.name = " ".join(doctor_name)
    registration.email = f"anonymisert-{registration.pk}@example.invalid"
    registration.phone = ""
    registration.hpr_number = ""
    registration.save(update_fields=["name", "email", "phone", "hpr_number"])


def _erased_labels(model: type[models.Model]) -> set[str]:
    """The history keys whose every value goes: the doctor's identifiers, and free text about them. A change
    stores a field by its name (core.history); one stored before that, by its bokmål label."""
    names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField) and f.editable]
    if model is Doctor:
        names += IDENTIFYING
    with translation.override("nb"):
        return {*names, *(str(model._meta.get_field(name).verbose_name) for name in names)}


def _scrub_changes(changes: Iterable[Change], scrub: Scrubber, *, about_them: bool) -> None:
    """Names out of history entries; in entries about the doctor's own records every identifying value and
    every free text, matched or not (an old phone number, a note that says who without naming)."""
    for change in changes:
        fields = scrub.value(change.fields)
        model = change.content_type.model_class()
        if about_them and model is not None:
            erased = _erased_labels(model)
            fields = {
                label: [ERASED if v else v for v in values] if label in erased else values
                for label, values in fields.items()
            }
        repr_ = scrub(change.object_repr)
        if fields != change.fields or repr_ != change.object_repr:
            change.fields, change.object_repr = fields, repr_
            change.save(update_fields=["fields", "object_repr"])


def _scrub_import_jobs(scrub: Scrubber) -> None:
    """Previews that name them scrubbed; their files deleted, and an import not yet confirmed ended with why."""
    ImportJob = apps.get_model("dataio", "ImportJob")
    ended = (ImportJob.Status.INVALID, ImportJob.Status.DONE, ImportJob.Status.FAILED)
    jobs = ImportJob.objects.annotate(text=Cast("plan", TextField())).filter(scrub.candidates("text", json_field=True))
    for job in jobs:
        job.plan, job.data = scrub.value(job.plan), b""
        if job.status not in ended:
            job.status, job.finished_at = ImportJob.Status.FAILED, timezone.now()
            job.message = _("Fila nevnte en lege som er anonymisert, og er slettet. Last opp fila på nytt.")
        job.save(update_fields=["plan", "data", "status", "finished_at", "message"])


def doctor_anonymise(*, doctor: Doctor, by: User) -> None:
    """Erase the doctor's identity everywhere, keeping their records for the counts (see the module's text)."""
    with transaction.atomic():
        doctor = Doctor.objects.select_for_update().get(pk=doctor.pk)
        if is_anonymised(doctor):
            raise NotAllowed(_("Legen er allerede anonymisert."))
        if open_applications(doctor).exists():
            raise NotAllowed(_("Legen står i en åpen tilskuddssøknad og kan ikke anonymiseres ennå."))
        names, others = _identifiers(doctor)
        first, last = pseudonym(doctor)
        scrub = Scrubber(names, others, f"{first} {last}")
        held = subject.collect(doctor)
        for kind in held.kinds:
            for record in kind.records:
                if kind.label == "registry.doctor":
                    continue
                if kind.label == "courses.registration":
                    _scrub_registration(record, (first, last))
                _scrub_record(record, scrub)
        apps.get_model("supervision", "SupervisorLink").objects.filter(
            supervisor=doctor, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        apps.get_model("office", "Inquiry").objects.filter(doctor=doctor).update(note="")
        doctor.first_name, doctor.last_name = first, last
        doctor.hpr_number, doctor.email, doctor.phone = None, "", ""
        doctor.version += 1
        doctor.save()
        named = Change.objects.annotate(text=Cast("fields", TextField())).filter(
            scrub.candidates("object_repr") | scrub.candidates("text", json_field=True)
        )
        _scrub_changes(held.changes, scrub, about_them=True)
        _scrub_changes(named.select_related("content_type"), scrub, about_them=False)
        Proposal = apps.get_model("survey", "Proposal")
        text_fields = ("object_repr", "old_value", "new_value", "old_shown", "new_shown")
        proposal_query = Q(pk__in=[])
        for name in text_fields:
            proposal_query |= scrub.candidates(name)
        for proposal in Proposal.objects.filter(proposal_query):
            for name in text_fields:
                setattr(proposal, name, scrub(getattr(proposal, name)))
            proposal.save(update_fields=list(text_fields))
        for read in Read.objects.filter(scrub.candidates("label") | scrub.candidates("page")):
            read.label, read.page = scrub(read.label), scrub(read.page)
            read.save(update_fields=["label", "page"])
        _scrub_import_jobs(scrub)
        history.record(instance=doctor, by=by, before=history.snapshot(doctor), action=Change.Action.ANONYMISE)
