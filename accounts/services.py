"""Writes to a user's own settings."""

from django.conf import settings

from accounts.models import User


def user_language_set(*, user: User, language: str) -> None:
    """Remember a signed-in user's language choice (a code of settings.LANGUAGES; anything else is ignored)."""
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
