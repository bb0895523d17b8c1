"""Texts of Django and django-allauth that this app translates itself, listed so `makemessages` keeps them.

Django 6.1 has no bokmål or nynorsk for the blank choice of a select (locale/nb, locale/nn), and
django-allauth ships bokmål but no nynorsk for the pages we route (password change, sign-out, inactive
account, third-party accounts, cancelled sign-in, confirming with the password): without these entries
a nynorsk reader would get allauth's bokmål. Nothing imports this list; it is only read by `makemessages`.
"""

from django.utils.translation import gettext_noop

TEXTS = [
    gettext_noop("- Select an option -"),
    gettext_noop("Account Connections"),
    gettext_noop("Account Inactive"),
    gettext_noop("Add a Third-Party Account"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("Cancel"),
    gettext_noop("Change Password"),
    gettext_noop("Confirm"),
    gettext_noop("Current"),
    gettext_noop("Current Password"),
    gettext_noop("Login Cancelled"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Password"),
    gettext_noop("Sign Out"),
    gettext_noop("This account is inactive."),
    gettext_noop(
        "You decided to cancel logging in to our site using one of your existing accounts. If this was a "
        'mistake, please proceed to <a href="%(login_url)s">sign in</a>.'
    ),
    gettext_noop("You currently have no third-party accounts connected to this account."),
]
