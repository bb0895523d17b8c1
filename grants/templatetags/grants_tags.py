"""Money on the grant pages: NOK in whole kroner, the Norwegian way ("kr 1 234 567")."""

from decimal import Decimal

from django import template

from grants.calculation import kroner_text

register = template.Library()


@register.filter
def kroner(value: Decimal | int | None) -> str:
    return "" if value is None else kroner_text(value)
