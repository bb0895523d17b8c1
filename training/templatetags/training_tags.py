from django import template
from django.utils.translation import gettext as _

from training.models import ServicePeriod
from training.rules import Requirement

register = template.Library()


@register.simple_tag
def requirement_label(requirement: Requirement) -> str:
    if requirement.kind is None:
        return _("Samlet tellende tjeneste")
    return ServicePeriod.Kind(requirement.kind).label


@register.filter
def contract_count(row, key: str) -> int:
    return row.contracts.get(key, 0)
