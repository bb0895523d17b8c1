"""Single sign-on over OpenID Connect (Microsoft Entra ID, ID-porten): who may sign in, and with what.

No account is ever made here. An identity signs in only if it is linked to an existing user: a stored
identity (Django admin → Sosiale kontoer: provider and subject), or, where the provider's settings allow
it (`match_email`, optionally limited to `email_domains`), exactly one active user with its e-mail address.
The identity provider's own multi-factor authentication counts as the second factor: an `amr` claim
(RFC 8176 method references) with one of `mfa_amr`, or an `acr` claim (security level) among `mfa_acr`.
"""

from allauth.socialaccount.models import SocialLogin

from accounts.models import User

# RFC 8176: methods that only come on top of (or instead of) a password as a second factor.
DEFAULT_MFA_AMR = ("mfa", "otp", "hwk", "sc", "sms")


def app_settings(sociallogin: SocialLogin) -> dict:
    app = getattr(sociallogin.provider, "app", None)
    return dict(app.settings or {}) if app is not None else {}


def provider_name(sociallogin: SocialLogin) -> str:
    return str(getattr(sociallogin.provider, "name", sociallogin.account.provider))


def claims(sociallogin: SocialLogin) -> list[dict]:
    """The signed ID token's claims first, then the userinfo answer (both straight from the provider)."""
    data = sociallogin.account.extra_data or {}
    return [part for part in (data.get("id_token"), data.get("userinfo")) if isinstance(part, dict)]


def identity_label(sociallogin: SocialLogin) -> str:
    """What the log shows of a refused identity: its e-mail address if it has one, else its subject."""
    for part in claims(sociallogin):
        if part.get("email"):
            return str(part["email"])
    return str(sociallogin.account.uid)


def match_user(sociallogin: SocialLogin, settings: dict) -> User | None:
    if not settings.get("match_email"):
        return None
    emails = {str(part["email"]).strip().lower() for part in claims(sociallogin) if part.get("email")}
    if len(emails) != 1:
        return None
    email = emails.pop()
    domains = [domain.lower() for domain in settings.get("email_domains", [])]
    if domains and email.rpartition("@")[2] not in domains:
        return None
    users = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
    return users[0] if len(users) == 1 else None


def mfa_claimed(claim_sets: list[dict], *, amr: tuple[str, ...] | list[str], acr: tuple[str, ...] | list[str]) -> bool:
    """Whether any claim set says the identity provider did multi-factor authentication."""
    for part in claim_sets:
        methods = part.get("amr") or []
        if isinstance(methods, str):
            methods = [methods]
        if {str(method).lower() for method in methods} & {value.lower() for value in amr}:
            return True
        if part.get("acr") and str(part["acr"]) in acr:
            return True
    return False


def identity_provider_did_mfa(sociallogin: SocialLogin, settings: dict) -> bool:
    return mfa_claimed(
        claims(sociallogin), amr=settings.get("mfa_amr", DEFAULT_MFA_AMR), acr=settings.get("mfa_acr", ())
    )
