"""Sign-in against the users table, as Django's own backend does."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Django's ModelBackend, with the user's office read in the same query as the user: nearly every page
    scopes its rows by it or names it in the header, which was a query of its own on every request."""

    def get_user(self, user_id):
        User = get_user_model()
        user = User._default_manager.select_related("office").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
