"""The grant pages' own ways of showing a number: unknown money as «ukjent», seed 002's «2,1 mill. kr», shares.

Plain money and numbers use the shared `kr` and `num` filters (core/formatting.py), like every page.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

from core.formatting import kroner, number
from grants.calculation import PositionType

register = template.Library()


@register.filter
def kroner_or_unknown(value: Decimal | int | None) -> str:
    """An amount that may not be known: "ukjent", never an empty cell or 0."""
    return _("ukjent") if value is None else kroner(value)


@register.filter
def millions(value: Decimal | int | None) -> str:
    """Seed 002's way of writing a year's cost: "2,1 mill. kr" (one decimal)."""
    if value is None:
        return ""
    rounded = (Decimal(value) / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _("%(amount)s mill. kr") % {"amount": number(rounded, 1)}


@register.filter
def share(value: Decimal | None) -> str:
    """A share (0.052) as a percent with one decimal ("5,2 %"); empty when there is nothing to divide by."""
    if value is None:
        return ""
    percent = (Decimal(value) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{number(percent, 1)}\u00a0%"


@register.filter
def position_label(value: str) -> str:
    return PositionType(value).label if value else ""
