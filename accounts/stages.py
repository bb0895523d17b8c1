"""allauth's two-factor sign-in stage, skipped when the identity provider already did MFA (single sign-on)."""

from allauth.mfa import stages
from django.http import HttpRequest

from accounts import two_factor


class AuthenticateStage(stages.AuthenticateStage):
    def _should_handle(self, request: HttpRequest) -> bool:
        if self.login.user is not None and two_factor.is_proven(request, self.login.user):
            return False
        return super()._should_handle(request)
