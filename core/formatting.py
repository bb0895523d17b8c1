"""Numbers and money shown one way on every page: «1 806», «12,5», «kr 32 084 508».

Digits are grouped by thousands with a no-break space (U+00A0, the separator of Django's Norwegian locale,
so a number never breaks over two lines) and decimals take a comma; in English the same numbers read
«1,806» and «NOK 32,084,508». Template filters `num` and `kr` (core/templatetags/alis.py) call these.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.suppression import Count

KRONE = Decimal(1)


def number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """A number with thousands grouped; `decimals` fixes the places, else whole numbers show none.

    None (unknown) is shown as an empty string; the caller decides whether to write «ukjent». A count that
    small-number suppression hid (core.suppression.Count) shows as «<5».
    """
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, Count):
        return str(value) if value.suppressed else number(value.value, decimals)
    if type(value) is int and -1000 < value < 1000 and not decimals:
        return str(value)  # the common case in a table: nothing to group, no locale to ask
    if decimals is None:
        decimals = 0 if Decimal(str(value)) == Decimal(str(value)).to_integral_value() else 1
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def kroner(value: int | float | Decimal | None) -> str:
    """Money in whole kroner (half a krone rounds up): «kr 32 084 508»."""
    if value is None:
        return ""
    whole = Decimal(str(value)).quantize(KRONE, rounding=ROUND_HALF_UP)
    # The space after «kr» becomes a no-break space, like the ones between the digits.
    return (pgettext("money", "kr %(amount)s") % {"amount": number(int(whole), 0)}).replace(" ", "\u00a0")


def cell(value: object) -> str:
    """A value as a table cell shows it: numbers grouped, dates d.m.Y, yes/no, nothing as empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, SafeString):
        return value
    if isinstance(value, bool):
        return _("ja") if value else _("nei")
    if isinstance(value, int | float | Decimal | Count):
        return number(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if timezone.is_aware(value) else value.strftime(
            "%d.%m.%Y %H:%M"
        )
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return conditional_escape(str(value))
