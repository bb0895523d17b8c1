from datetime import date

from django import template

from courses import rules

register = template.Library()


@register.simple_tag
def day_span(start: date, end: date) -> str:
    return rules.day_span(start, end)
