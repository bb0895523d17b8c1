"""Money on the grant pages: NOK in whole kroner, the Norwegian way ("kr 1 234 567"), and unknown as unknown."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

from grants.calculation import PositionType, kroner_text

register = template.Library()


@register.filter
def kroner(value: Decimal | int | None) -> str:
    return "" if value is None else kroner_text(value)


@register.filter
def kroner_or_unknown(value: Decimal | int | None) -> str:
    """An amount that may not be known: "ukjent", never an empty cell or 0."""
    return _("ukjent") if value is None else kroner_text(value)


@register.filter
def millions(value: Decimal | int | None) -> str:
    """Seed 002's way of writing a year's cost: "2,1 mill. kr" (one decimal)."""
    if value is None:
        return ""
    rounded = (Decimal(value) / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _("%(amount)s mill. kr") % {"amount": f"{rounded:.1f}".replace(".", ",")}


@register.filter
def share(value: Decimal | None) -> str:
    """A share (0.052) as a percent with one decimal ("5,2 %"); empty when there is nothing to divide by."""
    if value is None:
        return ""
    percent = (Decimal(value) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{percent:.1f}".replace(".", ",") + "\u00a0%"


@register.filter
def position_label(value: str) -> str:
    return PositionType(value).label if value else ""
