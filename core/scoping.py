"""Region scoping: who may read and change which office's data.

Every model with regional data has a QuerySet method `visible_to(user)` built on `region_q`, so that the
rule lives here once and no view decides it on its own.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from accounts.models import User

NOTHING = Q(pk__in=[])


def region_q(user: User, office_path: str) -> Q:
    """Personal rows the user may read, where `office_path` leads from the row to its office id.

    Staff read their own office's region, the coordinator and administrators all regions, and the
    aggregate reader no personal rows at all.
    """
    if not user.is_authenticated or not user.reads_personal_data:
        return NOTHING
    if user.sees_all_regions:
        return Q()
    if user.office_id is None:
        return NOTHING
    return Q(**{office_path: user.office_id})


def require_region_edit(user: User, office_id: int | None) -> None:
    if not user.edits_region(office_id):
        raise PermissionDenied


def require_reference_edit(user: User) -> None:
    if not user.edits_reference_data:
        raise PermissionDenied


def require_personal_data(user: User) -> None:
    if not user.reads_personal_data:
        raise PermissionDenied
