from fractions import Fraction
from urllib.parse import urlsplit

from django import template
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from training import rules
from training.models import ServicePeriod
from training.schemes import RuleSet

register = template.Library()


@register.simple_tag
def alis_count_cells(row, contracts) -> SafeString:
    """One row's cells of ALIS counts (an int, or a core.suppression.Count that may say «<5»): written here, not
    in an included template, because the overview has a row per municipality and included templates cost
    most of its time (issue 16)."""
    values = [row.total, row.new, row.old, *(row.contracts.get(key, 0) for key, _label in contracts), row.no_supervisor]
    return mark_safe("".join(f'<td class="num">{escape(value)}</td>' for value in values))  # noqa: S308 (escaped)


@register.filter
def tenths(value: int) -> str:
    """Tenths of a year as a number with one decimal: 12 → «1,2»."""
    return number_format(value / 10, 1)


@register.filter
def year_number(value: Fraction | int | float | None) -> str:
    """A number of years as written in the rules: 5 → «5», 4.5 → «4,5»."""
    if value is None:
        return ""
    value = Fraction(value)
    return number_format(int(value)) if value.denominator == 1 else number_format(float(value), 1)


@register.filter
def ticks_tenths(amount: int) -> str:
    """Share-ticks as full-time years with one decimal, rounded half up."""
    return number_format(rules.round_half_up_tenths(amount) / 10, 1)


@register.filter
def kind_label(kind: str) -> str:
    return ServicePeriod.Kind(kind).label


@register.filter
def source_site(url: str) -> str:
    """The site a source is on, as a short link text: «alis.no»."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


@register.simple_tag
def requirement_text(line: rules.Line, rule_set: RuleSet) -> str:
    """What a requirement asks: «minst 2 år, høyst 4,5 år», or the source's guidance when it sets no minimum."""
    requirement = line.requirement
    parts = []
    if requirement.min_years is not None:
        parts.append(gettext("minst %(years)s år") % {"years": year_number(requirement.min_years)})
    if len(requirement.kinds) == 1 and (cap := rule_set.cap_of(requirement.kinds[0])) is not None:
        parts.append(gettext("høyst %(years)s år") % {"years": year_number(cap)})
    if requirement.guidance:
        parts.append(str(requirement.guidance))
    return ", ".join(parts)
