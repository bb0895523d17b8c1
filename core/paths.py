"""Addresses of many rows at once: `path_for("training:detail")(pk)` is `reverse("training:detail", args=[pk])`,
and `path_for("courses:attendance", gathering)(pk)` is `reverse("courses:attendance", args=[pk, gathering])`.

`reverse` walks the URL conf on every call; a list of 200 rows with two links each spent 1.7 ms there (the
supervisor pool, profiled). The address of a page whose only argument is a number is reversed once per URL
conf and script prefix, and the row's number put in its place.
"""

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_SENTINEL = 9081726354  # a number no real address contains


@cache
def _parts(name: str, rest: tuple, prefix: str, urlconf: str) -> tuple[str, str]:
    url = reverse(name, args=[_SENTINEL, *rest], urlconf=urlconf)
    before, found, after = url.partition(str(_SENTINEL))
    if not found or str(_SENTINEL) in after:
        raise ValueError(f"{name} does not take a number first")
    return before, after


def path_for(name: str, *rest: object) -> Callable[[int], str]:
    """A function of a row's number giving the address of the page `name` for it: the row's number is the page's
    first argument, `rest` the others (the same for every row)."""
    before, after = _parts(name, rest, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return lambda pk: f"{before}{int(pk)}{after}"


@cache
def _reversed(name: str, args: tuple, prefix: str, urlconf: str) -> str:
    return reverse(name, args=args or None, urlconf=urlconf)


def url_of(name: str, *args: str) -> str:
    """`reverse(name, args=args)`, kept per URL conf and script prefix: for the addresses every page has (the
    menus and the language links, twenty on each page). Only for arguments from a fixed set, never from a
    request: each one is kept."""
    return _reversed(name, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)

