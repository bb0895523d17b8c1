"""Sign-in, sign-out, the account page with two-factor authentication, single sign-on, the security log.

allauth's URL names are global (`account_login`, `mfa_index`, …): its flows reverse them, so they are kept.
Only the parts of allauth we use are routed: no sign-up, no e-mail management, no password reset by e-mail.
"""

from allauth.account import views as allauth_views
from allauth.mfa.base import views as mfa_views
from allauth.urls import build_provider_urlpatterns
from django.urls import include, path

from accounts import views

urlpatterns = [
    path("logg-inn/", views.login, name="login"),
    path("logg-inn/", views.login, name="account_login"),
    path("logg-ut/", allauth_views.logout, name="logout"),
    path("logg-ut/", allauth_views.logout, name="account_logout"),
    # The account page is allauth's two-factor page (mfa_index, which its flows return to), with more on it.
    path("konto/", views.account, name="account"),
    path("konto/", views.account, name="mfa_index"),
    path("konto/passord/", allauth_views.password_change, name="account_change_password"),
    path("konto/passord/nytt/", allauth_views.password_set, name="account_set_password"),
    path("konto/bekreft/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("konto/inaktiv/", allauth_views.account_inactive, name="account_inactive"),
    path("konto/2fa/kode/", mfa_views.authenticate, name="mfa_authenticate"),
    path("konto/2fa/bekreft/", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path("konto/2fa/app/", include("allauth.mfa.totp.urls")),
    path("konto/2fa/gjenopprettingskoder/", include("allauth.mfa.recovery_codes.urls")),
    path("konto/2fa/sikkerhetsnokler/", include("allauth.mfa.webauthn.urls")),
    path("konto/sso/", include("allauth.socialaccount.urls")),
    path("konto/sso/", include(build_provider_urlpatterns())),
    path("sikkerhetslogg/", views.auth_event_list, name="auth_event_list"),
]
