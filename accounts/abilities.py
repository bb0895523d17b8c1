"""What a user may do: one place that answers "may this user do X to this object (or kind of object)?".

Views ask `require(user, "change", obj)` (403 when not), templates ask `{% may "change" obj as can_change %}`,
so that no one is shown a link that answers 403 and no view decides the rule on its own. Reading a region's
rows is still narrowed in the querysets (`visible_to`, built on `core.scoping`): a row outside the user's
region is not found (404) before anyone asks whether it may be changed.

The rules come from the user's role (`accounts.models.User`):
- office staff read and change their own office's region;
- the national coordinator reads every region and changes national reference data, not regional records;
- the aggregate reader (Helsedirektoratet/KS) reads aggregates only: no personal rows, no changes;
- the administrator reads and changes everything, but owns no office (so creates nothing that belongs to one).

Each model is listed once in `RULES` with the kind of data it holds and the path from a row to its office.
A model that is not listed can not be changed by anyone but the administrator: add it here with its page.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import reduce

from django.core.exceptions import PermissionDenied
from django.db import models

from accounts.models import User


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"
    EXPORT = "export"


class Data(StrEnum):
    PERSONAL = "personal"  # a region's records about people (doctors, ALIS, courses, the office's work)
    REGIONAL = "regional"  # a region's public records (municipalities, GP offices, registration status)
    REFERENCE = "reference"  # national reference data (counties' offices, health trusts, rates, topics)


@dataclass(frozen=True)
class Rule:
    data: Data
    # Dotted attribute path from a row to its office's id; None for national data.
    office: str | None = None
    # New rows belong to the office of the person who creates them (a course, an inquiry), so a user
    # without an office (the administrator) creates none. Otherwise the form chooses the region (a
    # doctor's municipality) among those the user may change.
    own_office: bool = False
    # Reference editors (the coordinator) may also change the row although it belongs to a region.
    reference_editors_change: bool = False
    # A row without an office is national: reference editors (the coordinator) add and change it, and they
    # may add such rows (the website's national part). Rows with an office follow `own_office`.
    national: bool = False


RULES: dict[str, Rule] = {
    # registry
    "registry.office": Rule(Data.REFERENCE),
    "registry.county": Rule(Data.REFERENCE),
    "registry.healthtrust": Rule(Data.REFERENCE),
    "registry.municipality": Rule(Data.REGIONAL, "county.office_id", reference_editors_change=True),
    "registry.registration": Rule(Data.REGIONAL, "municipality.county.office_id"),
    "registry.gpoffice": Rule(Data.REGIONAL, "municipality.county.office_id"),
    "registry.doctor": Rule(Data.PERSONAL, "office_id"),
    "registry.contact": Rule(Data.PERSONAL, "municipality.county.office_id"),
    # training
    "training.training": Rule(Data.PERSONAL, "employer.county.office_id"),
    "training.serviceperiod": Rule(Data.PERSONAL, "training.employer.county.office_id"),
    "training.supervisorassignment": Rule(Data.PERSONAL, "training.employer.county.office_id"),
    "training.shiftcount": Rule(Data.PERSONAL, "training.employer.county.office_id"),
    "training.oldschemeoutcome": Rule(Data.PERSONAL, "training.employer.county.office_id"),
    # supervision
    "supervision.supervisorprofile": Rule(Data.PERSONAL, "doctor.office_id"),
    "supervision.supervisionsession": Rule(Data.PERSONAL, "training.employer.county.office_id"),
    "supervision.supervisorlink": Rule(Data.PERSONAL, "supervisor.office_id"),
    "supervision.supervisiongroup": Rule(Data.PERSONAL, "office_id", own_office=True),
    "supervision.groupmember": Rule(Data.PERSONAL, "group.office_id"),
    "supervision.groupmeeting": Rule(Data.PERSONAL, "group.office_id"),
    # courses
    "courses.course": Rule(Data.PERSONAL, "office_id", own_office=True),
    "courses.instructor": Rule(Data.PERSONAL, "office_id", own_office=True),
    "courses.gathering": Rule(Data.PERSONAL, "course.office_id"),
    "courses.registration": Rule(Data.PERSONAL, "course.office_id"),
    # grants
    "grants.grantscheme": Rule(Data.REFERENCE),
    "grants.rateperiod": Rule(Data.REFERENCE),
    "grants.grantprofile": Rule(Data.PERSONAL, "training.employer.county.office_id"),
    "grants.grantapplication": Rule(Data.PERSONAL, "municipality.county.office_id"),
    "grants.applicationline": Rule(Data.PERSONAL, "application.municipality.county.office_id"),
    "grants.costsheet": Rule(Data.PERSONAL, "training.employer.county.office_id"),
    # office
    "office.inquirytopic": Rule(Data.REFERENCE),
    "office.inquiry": Rule(Data.PERSONAL, "office_id", own_office=True),
    "office.partner": Rule(Data.PERSONAL, "office_id", own_office=True),
    "office.activity": Rule(Data.PERSONAL, "office_id", own_office=True),
    "office.staffmember": Rule(Data.PERSONAL, "office_id", own_office=True),
    "office.annualreport": Rule(Data.PERSONAL, "office_id", own_office=True),
    "office.institution": Rule(Data.PERSONAL, "office_id", own_office=True),
    "office.institutionregistration": Rule(Data.PERSONAL, "institution.office_id"),
    # survey
    "survey.campaign": Rule(Data.PERSONAL, "office_id", own_office=True),
    "survey.invitation": Rule(Data.PERSONAL, "campaign.office_id"),
    "survey.proposal": Rule(Data.PERSONAL, "invitation.campaign.office_id"),
    # dataio
    "dataio.importjob": Rule(Data.PERSONAL, "office_id", own_office=True),
    # records: notes and documents belong to the region of the ALIS, municipality or supervisor they are kept on
    "records.note": Rule(Data.PERSONAL, "office_id"),
    "records.document": Rule(Data.PERSONAL, "office_id"),
    "records.documentversion": Rule(Data.PERSONAL, "document.office_id"),
    "records.educationplan": Rule(Data.PERSONAL, "training.employer.county.office_id"),
    # website: each office writes its own section, the coordinator the national part (rows without an office)
    "website.article": Rule(Data.REGIONAL, "office_id", own_office=True, national=True),
    "website.question": Rule(Data.REGIONAL, "office_id", own_office=True, national=True),
    "website.document": Rule(Data.REGIONAL, "office_id", own_office=True, national=True),
    "website.documentversion": Rule(Data.REGIONAL, "document.office_id", own_office=True, national=True),
    "website.image": Rule(Data.REGIONAL, "office_id", own_office=True, national=True),
    "website.officeprofile": Rule(Data.REGIONAL, "office_id", own_office=True),
    "website.contactperson": Rule(Data.REGIONAL, "office_id", own_office=True),
    # followup: the office's tasks and the settings of its task rules
    "followup.task": Rule(Data.PERSONAL, "office_id", own_office=True),
    "followup.taskrule": Rule(Data.PERSONAL, "office_id"),
}

Target = models.Model | type[models.Model] | str


def _label(target: Target) -> str:
    if isinstance(target, str):
        return target.lower()
    return target._meta.label_lower


def _office_of(instance: models.Model, path: str) -> int | None:
    """Follow the dotted path; None where a link is missing (a doctor without a municipality)."""
    try:
        return reduce(lambda obj, name: None if obj is None else getattr(obj, name), path.split("."), instance)
    except models.ObjectDoesNotExist:
        return None


def office_of(target: Target) -> int | None:
    """The id of the office whose region the row belongs to (None for national data or a model)."""
    rule = RULES.get(_label(target))
    if rule is None or rule.office is None or not isinstance(target, models.Model):
        return None
    return _office_of(target, rule.office)


def _adds_in_own_office(user: User) -> bool:
    """Whether the user may create rows that belong to the creator's office."""
    return user.office_id is not None and user.edits_region(user.office_id)


def may(user: User, action: str, target: Target) -> bool:
    """May `user` do `action` (view, add, change, delete, export) to `target` (a row, a model or its label)?

    For a model (no row), `change`, `delete` and `add` ask about rows in the user's own region.
    """
    action = Action(action)
    if not user.is_authenticated:
        return False
    if user.edits_all_regions and action != Action.ADD:
        return True
    rule = RULES.get(_label(target))
    if rule is None:
        return user.edits_all_regions
    instance = target if isinstance(target, models.Model) else None
    if action in {Action.VIEW, Action.EXPORT}:
        return _may_read(user, rule, instance)
    if rule.data == Data.REFERENCE:
        return user.edits_reference_data
    if rule.reference_editors_change and user.edits_reference_data and action == Action.CHANGE:
        return True
    office = _office_of(instance, rule.office) if instance is not None and rule.office else None
    if rule.national:
        if instance is not None and office is None:
            return user.edits_reference_data
        if instance is None and action == Action.ADD and user.edits_reference_data:
            return True
    return _may_write(user, action, rule, office, row_given=instance is not None)


def may_in_region(user: User, action: str, target: Target, office_id: int | None) -> bool:
    """May the user do the action to rows of `target` in the region of office `office_id`?

    For a page that acts on many rows of one region at once (the region's supervisor proposals).
    """
    action = Action(action)
    if not user.is_authenticated:
        return False
    rule = RULES.get(_label(target))
    if rule is None:
        return user.edits_all_regions
    if action in {Action.VIEW, Action.EXPORT}:
        return _may_read(user, rule, None) and (user.sees_all_regions or office_id == user.office_id)
    if user.edits_all_regions and action != Action.ADD:
        return True
    if rule.data == Data.REFERENCE:
        return user.edits_reference_data
    return _may_write(user, action, rule, office_id, row_given=True)


def _may_write(user: User, action: Action, rule: Rule, office: int | None, *, row_given: bool) -> bool:
    if action == Action.ADD:
        if rule.own_office:
            return _adds_in_own_office(user) and (office is None or office == user.office_id)
        if office is not None:
            return user.edits_region(office)
        return user.edits_region(user.office_id)
    if not row_given:
        return user.edits_region(user.office_id)
    return user.edits_region(office)


def _may_read(user: User, rule: Rule, instance: models.Model | None) -> bool:
    if rule.data != Data.PERSONAL:
        return True
    if not user.reads_personal_data:
        return False
    if instance is None or user.sees_all_regions:
        return True
    return _office_of(instance, rule.office) == user.office_id


def require(user: User, action: str, target: Target) -> None:
    """Raise PermissionDenied (403) unless the user may do the action."""
    if not may(user, action, target):
        raise PermissionDenied
