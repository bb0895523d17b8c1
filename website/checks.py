"""System check: no office code is also a top-level address of the app (see website.converters)."""

from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver

from website.converters import OFFICE_CODES


def top_level_words() -> set[str]:
    """The first path segment of every root URL pattern that starts with a fixed word."""
    words = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLPattern | URLResolver):
            route = str(pattern.pattern)
            first = route.lstrip("^").split("/", 1)[0]
            if first and "<" not in first and "(" not in first:
                words.add(first)
    return words


@checks.register(checks.Tags.urls)
def office_codes_are_free(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    taken = sorted(set(OFFICE_CODES) & top_level_words())
    return [
        checks.Error(
            f"The office code «{code}» is also a top-level address of the app: /{code}/ would be ambiguous.",
            hint="Rename the app's address; office sections live at /<office code>/ (website.converters).",
            id="website.E001",
        )
        for code in taken
    ]
