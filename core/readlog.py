"""The read log: who read which personal data, when and on which page (issue 11; GDPR art. 5(2) and 32, Normen's
requirement to log access to health personnel data).

The shared view helpers log for the views, so that a page can not forget it:
- `core.editing.form_page`/`process_form` and `delete_page` log the record of an edit or delete form,
- `core.lists.render_list` logs a list, its HTMX update or its export as one entry naming the list and its
  filter,
- a detail page or a panel calls `read(request, record, ...)` once with the records it shows,
- the API's endpoints (api/endpoints/common.py) call the same functions.

A record gives one entry per person it is about (`PERSONS`: the ALIS of a training, the supervisor of a
supervision), or one for the record itself when it is not about a doctor (a municipality's contact person, an
inquiry); each person once per request, however many helpers log them. Only personal records are logged:
those `accounts.abilities` lists as personal data, and those in `PERSONS`.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from accounts import abilities
from core.models import Read

# The doctors a kind of record is about: paths (as in a query) from the record to each doctor. The same table
# finds everything held about a doctor (the data subject's export) and what their erasure must reach.
PERSONS: dict[str, tuple[str, ...]] = {
    "registry.doctor": ("pk",),
    "training.training": ("doctor",),
    "training.serviceperiod": ("training__doctor",),
    "training.supervisorassignment": ("training__doctor", "supervisor"),
    "training.shiftcount": ("training__doctor",),
    "training.oldschemeoutcome": ("training__doctor",),
    "supervision.supervisorprofile": ("doctor",),
    "supervision.supervisionsession": ("training__doctor", "supervisor"),
    "supervision.supervisorlink": ("supervisor",),
    "courses.registration": ("doctor",),
    "grants.grantprofile": ("training__doctor",),
    "grants.applicationline": ("training__doctor",),
    "grants.costsheet": ("training__doctor",),
    "office.inquiry": ("doctor",),
    "records.note": ("training__doctor", "supervisor__doctor"),
    "records.document": ("training__doctor", "supervisor__doctor"),
    "records.documentversion": ("document__training__doctor", "document__supervisor__doctor"),
    "records.educationplan": ("training__doctor",),
}

_SEEN = "_alis_read_log"
_LIST = "_alis_read_log_list"


def is_personal(target: models.Model | type[models.Model]) -> bool:
    label = target._meta.label_lower
    rule = abilities.RULES.get(label)
    return label in PERSONS or (rule is not None and rule.data == abilities.Data.PERSONAL)


def _attribute(instance: models.Model, path: str) -> int | None:
    """Follow a query path to a doctor's id without loading the doctor: "training__doctor" → training.doctor_id."""
    *steps, last = path.split("__")
    obj = instance
    for name in steps:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id", None)


def doctors_of(instance: models.Model) -> list[int]:
    """The ids of the doctors a record is about (none for a record not about a doctor)."""
    found = (_attribute(instance, path) for path in PERSONS.get(instance._meta.label_lower, ()))
    return list(dict.fromkeys(doctor for doctor in found if doctor is not None))


def _where(request: HttpRequest) -> dict:
    token = getattr(request, "api_token", None)
    match = getattr(request, "resolver_match", None)
    return {
        "user": request.user,
        "channel": Read.Channel.API if token is not None else Read.Channel.WEB,
        "token": str(token)[:120] if token is not None else "",
        "view": (match.view_name if match else "")[:100],
        "page": request.get_full_path()[:500],
    }


def _seen(request: HttpRequest) -> set:
    return request.__dict__.setdefault(_SEEN, set())


def read(request: HttpRequest, *records: models.Model | Iterable[models.Model] | None) -> None:
    """Log that the request's user read these records (or iterables of them): once per person per request.

    Records that are not personal data, not saved yet, or None are passed over, so a view can hand over
    what it shows without sorting it first.
    """
    if not request.user.is_authenticated:
        return
    seen = _seen(request)
    where: dict | None = None
    entries = []
    for record in _flatten(records):
        if record.pk is None or not is_personal(record):
            continue
        content_type = ContentType.objects.get_for_model(record)
        for doctor_id in doctors_of(record) or [None]:
            key = ("doctor", doctor_id) if doctor_id is not None else (content_type.pk, record.pk)
            if key in seen:
                continue
            seen.add(key)
            where = where or _where(request)
            entries.append(Read(content_type=content_type, object_id=record.pk, doctor_id=doctor_id, **where))
    if entries:
        Read.objects.bulk_create(entries)


def _flatten(records: Iterable) -> Iterable[models.Model]:
    for item in records:
        if item is None:
            continue
        if isinstance(item, models.Model):
            yield item
        else:
            yield from _flatten(item)


def read_list(request: HttpRequest, *, rows: int, label: str = "", export: bool = False) -> None:
    """Log a list of personal records (or its export): one entry naming it, its filter (the address) and size.

    Once per request: a second call (the view names the list the shared helper logged, or exports it) only
    completes the entry already written.
    """
    if not request.user.is_authenticated:
        return
    kind = Read.Kind.EXPORT if export else Read.Kind.LIST
    label = str(label)[:200]
    entry = request.__dict__.get(_LIST)
    if entry is None:
        request.__dict__[_LIST] = Read.objects.create(kind=kind, label=label, rows=rows, **_where(request))
        return
    changed = {"kind": kind} if export and entry.kind != kind else {}
    if label and not entry.label:
        changed["label"] = label
    if changed:
        Read.objects.filter(pk=entry.pk).update(**changed)
        for name, value in changed.items():
            setattr(entry, name, value)
