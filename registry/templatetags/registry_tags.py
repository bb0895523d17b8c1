from django import template

from registry.models import RegistrationStatus

register = template.Library()


@register.simple_tag
def status_label(value: str | None) -> str:
    """A registration status code as its label; no recorded status means not applied."""
    return RegistrationStatus(value or RegistrationStatus.NOT_APPLIED).label
