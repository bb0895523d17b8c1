"""Everything the app holds about one doctor: the data subject's right of access (GDPR art. 15).

The records come from one table, `core.readlog.PERSONS` (every kind of record about a doctor and the way to
the doctor), the same one the read log and the erasure use, so a new kind of record is found by all three;
to them are added the municipality's proposals about the doctor's trainings (mapping), their sign-ups to
courses under their HPR number when not linked, the history of every one of these records, and the read log
about them. Each record is shown as on screen: field labels, choice labels, names of related records.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core import history
from core.models import Change, Read
from core.readlog import PERSONS
from registry.models import Doctor


@dataclass
class Kind:
    """The records of one kind about the doctor."""

    label: str  # app_label.model
    name: str  # as on screen, plural
    records: list[models.Model] = field(default_factory=list)

    def shown(self) -> list[dict[str, str]]:
        return [labelled(record) for record in self.records]


@dataclass
class Holdings:
    doctor: Doctor
    kinds: list[Kind]
    changes: list[Change]
    reads: list[Read]
    made_at: datetime

    @property
    def record_count(self) -> int:
        return sum(len(kind.records) for kind in self.kinds)

    def records(self) -> list[models.Model]:
        return [record for kind in self.kinds for record in kind.records]


def labelled(record: models.Model) -> dict[str, str]:
    """The record's fields as a person reads them, under their labels."""
    labels = {f.name: str(f.verbose_name) for f in record._meta.concrete_fields + record._meta.many_to_many}
    return {labels.get(name, name): value for name, value in history.snapshot(record).items()}


def _query(label: str, doctor: Doctor) -> Q:
    query = Q(pk__in=[])
    for path in PERSONS[label]:
        query |= Q(**{path: doctor.pk})
    if label == "courses.registration" and doctor.hpr_number:
        query |= Q(hpr_number=doctor.hpr_number)  # a sign-up not (yet) linked to the register
    return query


def _proposals(trainings: list[models.Model]) -> list[models.Model]:
    """The municipalities' proposed changes to the doctor's trainings (mapping campaigns)."""
    Proposal = apps.get_model("survey", "Proposal")
    ids = [training.pk for training in trainings]
    return list(Proposal.objects.filter(target=Proposal.Target.TRAINING, object_id__in=ids).order_by("pk"))


def collect(doctor: Doctor) -> Holdings:
    """Everything held about the doctor: their records, the history of each, and who read about them."""
    kinds = []
    for label in PERSONS:
        model = apps.get_model(label)
        rows = list(model._default_manager.filter(_query(label, doctor)).distinct().order_by("pk"))
        kinds.append(Kind(label, str(model._meta.verbose_name_plural), rows))
    trainings = next(kind.records for kind in kinds if kind.label == "training.training")
    Proposal = apps.get_model("survey", "Proposal")
    kinds.append(Kind("survey.proposal", str(Proposal._meta.verbose_name_plural), _proposals(trainings)))
    of_records = Q(pk__in=[])
    for kind in kinds:
        if kind.records:
            content_type = ContentType.objects.get_for_model(apps.get_model(kind.label))
            of_records |= Q(content_type=content_type, object_id__in=[r.pk for r in kind.records])
    changes = list(Change.objects.filter(of_records).select_related("user", "content_type").order_by("at", "pk"))
    reads = list(Read.objects.filter(doctor=doctor).select_related("user").order_by("at", "pk"))
    return Holdings(doctor=doctor, kinds=kinds, changes=changes, reads=reads, made_at=timezone.now())


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user else "systemet"


def as_json(holdings: Holdings) -> bytes:
    """The holdings as a JSON document (UTF-8, indented), with the same labels as on screen."""
    document = {
        "made_at": timezone.localtime(holdings.made_at).isoformat(timespec="seconds"),
        "doctor": {"id": holdings.doctor.pk, "fields": labelled(holdings.doctor)},
        "records": [
            {"kind": kind.name, "model": kind.label, "id": record.pk, "fields": labelled(record)}
            for kind in holdings.kinds
            if kind.label != "registry.doctor"
            for record in kind.records
        ],
        "history": [
            {
                "at": timezone.localtime(change.at).isoformat(timespec="seconds"),
                "by": _who(change.user),
                "action": str(change.get_action_display()),
                "kind": change.object_kind,
                "record": change.object_repr,
                "fields": {label: {"before": old, "after": new} for label, old, new in change.field_rows},
            }
            for change in holdings.changes
        ],
        "reads": [
            {
                "at": timezone.localtime(read.at).isoformat(timespec="seconds"),
                "by": read.user.username,
                "kind": str(read.get_kind_display()),
                "channel": str(read.get_channel_display()),
                "page": read.page,
            }
            for read in holdings.reads
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()
