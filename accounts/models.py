"""Users and their roles. The table keeps its original name (core_user): the model moved here from core."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", _("Rådgiver ved ALIS-kontor")
    COORDINATOR = "coordinator", _("Nasjonal koordinator")
    READER = "reader", _("Leser (kun aggregerte tall)")
    ADMIN = "admin", _("Administrator")


class AlisUserManager(UserManager):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra_fields: object
    ) -> "User":
        """A superuser administers the system: the admin role, no office (`createsuperuser` uses this)."""
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("rolle"), max_length=20, choices=Role, default=Role.OFFICE_STAFF)
    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("ALIS-kontor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_users",
    )
    # Made by `seed_demo` with the published demo password: such users exist only in demo databases, may be
    # deleted by `seed_demo --replace`, and are never asked for two-factor authentication.
    is_demo = models.BooleanField(_("demobruker"), default=False, editable=False)
    # The language the user chose (bokmål, nynorsk or English); empty until they choose: then the browser's
    # language cookie or the site's default decides. Activated on every request (accounts.middleware).
    # Not `choices=settings.LANGUAGES`: a language added to the list would need a migration.
    language = models.CharField(_("språk"), max_length=10, blank=True, default="", editable=False)

    objects = AlisUserManager()

    class Meta:
        db_table = "core_user"
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="office_staff") | models.Q(office__isnull=False),
                name="core_user_office_staff_has_office",
            )
        ]

    @property
    def sees_all_regions(self) -> bool:
        return self.role in {Role.COORDINATOR, Role.ADMIN} or self.is_superuser

    @property
    def reads_personal_data(self) -> bool:
        return self.role != Role.READER

    @property
    def edits_reference_data(self) -> bool:
        return self.role in {Role.COORDINATOR, Role.ADMIN} or self.is_superuser

    @property
    def edits_all_regions(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    def edits_region(self, office_id: int | None) -> bool:
        """Whether the user may change personal and regional data of this office's region."""
        if self.edits_all_regions:
            return True
        return self.role == Role.OFFICE_STAFF and office_id is not None and office_id == self.office_id


METHOD_LABELS = {
    "password": _("passord"),
    "totp": _("autentiseringsapp"),
    "webauthn": _("sikkerhetsnøkkel"),
    "recovery_codes": _("gjenopprettingskode"),
    "mfa": _("totrinnsbekreftelse"),
}


def method_label(method: str) -> str:
    """How a person signed in, in words: "password+totp" → "passord + autentiseringsapp"."""
    words = []
    for part in filter(None, method.split("+")):
        if part.startswith("sso:"):
            words.append(_("enkel pålogging (%(provider)s)") % {"provider": part.removeprefix("sso:")})
        else:
            words.append(str(METHOD_LABELS.get(part, part)))
    return " + ".join(words)


class AuthEvent(models.Model):
    """A sign-in, sign-out, failed attempt, lockout, change of password or two-factor authentication, or a refused
    request (no access, a form not sent by the app): the security log."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("innlogget")
        LOGOUT = "logout", _("logget ut")
        LOGIN_FAILED = "login_failed", _("feil brukernavn eller passord")
        LOCKED_OUT = "locked_out", _("avvist: for mange mislykkede forsøk")
        SSO_REFUSED = "sso_refused", _("avvist: ukjent identitet ved enkel pålogging")
        MFA_FAILED = "mfa_failed", _("feil engangskode")
        MFA_ADDED = "mfa_added", _("totrinnsbekreftelse lagt til")
        MFA_REMOVED = "mfa_removed", _("totrinnsbekreftelse fjernet")
        RECOVERY_CODES = "recovery_codes", _("nye gjenopprettingskoder")
        SESSION_EXPIRED = "session_expired", _("logget ut etter inaktivitet")
        PASSWORD_CHANGED = "password_changed", _("passord endret")
        ACCESS_DENIED = "access_denied", _("avvist: ingen tilgang til siden")
        CSRF_FAILED = "csrf_failed", _("avvist: skjemaet kom ikke fra appen (CSRF)")

    kind = models.CharField(_("hendelse"), max_length=20, choices=Kind)
    # Null for a username nobody has; the log outlives the user (SET_NULL) and keeps the name as typed.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bruker"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="auth_events",
    )
    username = models.CharField(_("brukernavn"), max_length=150, blank=True)
    # How: "password", "sso:<provider>", "totp", "webauthn", "recovery_codes".
    method = models.CharField(_("metode"), max_length=40, blank=True)
    ip = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    user_agent = models.CharField(_("nettleser"), max_length=300, blank=True)
    # The page a refusal (403, CSRF) was on: the path alone (no query string, which may hold a name searched
    # for), with private link tokens and file names left out (accounts.events.logged_path).
    path = models.CharField(_("side"), max_length=300, blank=True)
    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sikkerhetshendelse")
        verbose_name_plural = _("sikkerhetslogg")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "username", "at"], name="accounts_authevent_by_name"),
            models.Index(fields=["kind", "ip", "at"], name="accounts_authevent_by_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.at:%d.%m.%Y %H:%M}"

    @property
    def method_display(self) -> str:
        return method_label(self.method)

