"""Settings for ALIS-oversikt, read from environment variables.

Development (`make run`, DJANGO_DEBUG=1) and the tests need no environment: embedded SQLite and a secret
key generated once into var/secret_key. Anything else is production: DEBUG off, and it refuses to start
without DJANGO_SECRET_KEY.
"""

import os
import secrets
import sys
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key(path: Path) -> str:
    """The key kept in a git-ignored file, generated on first use (development and tests only)."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f"{path.name}.{os.getpid()}")
    draft.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    draft.chmod(0o600)
    try:
        # A hard link never overwrites: when `make run` starts the server and the worker at once, the
        # first one's key wins and both use it.
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text(encoding="utf-8").strip()


# pytest (pytest-django) or `manage.py test`: the tests make their own databases and need no real key.
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
# Commands that only read the code (migrations, translations) sign nothing: a generated local key serves them,
# so that `manage.py makemigrations --check` works in a bare shell as in `make lint`.
CODE_ONLY = sys.argv[1:2] in (["makemigrations"], ["makemessages"], ["compilemessages"])
DEBUG = env_bool("DJANGO_DEBUG")
# A demo installation (published demo passwords): the demo app and its data are there only when asked for.
DEMO = env_bool("DJANGO_DEMO")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if env_bool("DJANGO_REQUIRE_SECRET_KEY") or not (DEBUG or DEMO or TESTING or CODE_ONLY):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. In production set it to a long random value (for example "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`); for local development set "
            "DJANGO_DEBUG=1 (as `make run` does), which keeps a generated key in var/secret_key."
        )
    SECRET_KEY = local_secret_key(Path(os.environ.get("DJANGO_SECRET_KEY_FILE", BASE_DIR / "var" / "secret_key")))
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "django_tasks_db",
    "core",
    "accounts",
    # After accounts, whose templates replace allauth's pages.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "registry",
    "training",
    "supervision",
    "courses",
    "grants",
    "office",
    *(["demo"] if DEBUG or DEMO or TESTING else []),
    "dataio",
    "survey",
    # The administrator's read log and a doctor's rights as data subject (access, erasure).
    "privacy",
    # Notes, documents and education plans on the records, and the search across everything.
    "records",
    # The public website and the offices' publishing (after the domain apps it shows).
    "website",
    # The office's follow-up: the start page's counts, tasks and reminders, e-mail notifications (reads all areas).
    "followup",
    # The JSON API (Django Ninja: OpenAPI 3.1, its Swagger UI served from its own static files).
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and CSV compressed; see "Compression and BREACH" below.
    "django.middleware.gzip.GZipMiddleware",
    "core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.user_language",
    "core.middleware.RefuseNulMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.session_timeout",
    "accounts.middleware.require_two_factor",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.request_reading",
]

ROOT_URLCONF = "alis.urls"
WSGI_APPLICATION = "alis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "website.context_processors.public_site",
            ],
            "builtins": ["django.templatetags.i18n", "core.templatetags.alis"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the overview read while another request writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # A test database in a file, not in memory: with an in-memory database the live server's threads and
    # the test share one connection, and the browser tests' requests then interleave on it (a session
    # lookup once read another query's rows).
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "db.sqlite3-test")}
else:
    # Django reads a model choice field's options with `.iterator()`, which on PostgreSQL is a server-side
    # cursor: DECLARE … WITH HOLD, FETCH and CLOSE, three round trips and a materialised result for a select
    # of twenty health trusts (1.6 ms of the inquiries page's 22). Nothing here streams a table too large to
    # read at once, and without server-side cursors a transaction-pooling PgBouncer works as well.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The rate limits' counters (core/ratelimit.py), shared by every web worker: a table in the database,
    # made by migration core 0004 (`createcachetable`).
    "ratelimit": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "core_ratelimit_cache"},
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # At least 12 characters: OWASP ASVS 4.0 2.1.1 (Django's default is 8).
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "training:overview"
LOGOUT_REDIRECT_URL = "login"

# Sign-in, two-factor authentication and single sign-on: django-allauth, with our adapters and pages
# (accounts/). Sign-up is closed: administrators make users; SSO only signs in users who exist.
AUTHENTICATION_BACKENDS = ["accounts.backends.UserBackend"]
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
MFA_FORMS = {"authenticate": "accounts.forms.AuthenticateForm"}
# A user is mailed when their password, second factor or e-mail address changes (OWASP ASVS 2.2.3): allauth's
# notifications, with our Norwegian texts (accounts/templates/account/email, mfa/email); the administrator's
# changes in Django admin send the same (accounts.services.credential_change_notify).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "ALIS-oversikt: "
# The sign-in cookie ends with the browser (shared office computers); the server ends idle sessions.
ACCOUNT_SESSION_REMEMBER = False
# Failed sign-ins are counted in the database by accounts/lockout.py (the same for every worker process);
# allauth's own cache-based counters would count per process, so they are off for sign-in.
ACCOUNT_RATE_LIMITS = {"login": False, "login_failed": False}
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if env_bool("DJANGO_BEHIND_PROXY") else 0
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "ALIS-oversikt"
# One 30-second step either side (RFC 6238 §5.2: clock drift and typing time); each code works only once.
MFA_TOTP_TOLERANCE = 1
MFA_PASSKEY_LOGIN_ENABLED = False
# WebAuthn needs https; `make run` serves http://127.0.0.1, which browsers also accept.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False

# A form that fails its CSRF check is logged in the security log (OWASP ASVS 7.2.2), then refused as Django does.
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"

# DJANGO_REQUIRE_2FA=1 (production): every user but the demo users must have a second factor (an
# authenticator app or a security key/passkey, or the identity provider's own MFA) before anything else.
REQUIRE_2FA = env_bool("DJANGO_REQUIRE_2FA")
# Lockout: this many failed sign-ins (wrong password or wrong code) within the period lock the username,
# and PER_ADDRESS lock the client address, until the failures are older than the period.
LOCKOUT_FAILURES_PER_ACCOUNT = int(os.environ.get("DJANGO_LOCKOUT_FAILURES_PER_ACCOUNT", "10"))
LOCKOUT_FAILURES_PER_ADDRESS = int(os.environ.get("DJANGO_LOCKOUT_FAILURES_PER_ADDRESS", "50"))
LOCKOUT_MINUTES = int(os.environ.get("DJANGO_LOCKOUT_MINUTES", "15"))
# Sessions end after this many minutes without a request, and at the latest SESSION_COOKIE_AGE after sign-in.
SESSION_IDLE_MINUTES = int(os.environ.get("DJANGO_SESSION_IDLE_MINUTES", "30"))
# The read log (core.models.Read) is kept this many days, then deleted by `prune_read_log`
# (deploy/alis-prune.timer): five years by default, as the offices keep their other records of access.
READ_LOG_RETENTION_DAYS = int(os.environ.get("DJANGO_READ_LOG_RETENTION_DAYS", str(5 * 365 + 1)))
if READ_LOG_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("DJANGO_READ_LOG_RETENTION_DAYS must be a positive number of days")


def oidc_app(name: str, label: str, default_server_url: str = "", **app_settings: object) -> list[dict]:
    """One OpenID Connect identity provider from DJANGO_OIDC_<NAME>_*; none unless its client id is set."""
    prefix = f"DJANGO_OIDC_{name.upper()}_"
    client_id = os.environ.get(f"{prefix}CLIENT_ID", "")
    if not client_id:
        return []
    server_url = os.environ.get(f"{prefix}SERVER_URL", default_server_url)
    if not server_url:
        raise ImproperlyConfigured(f"{prefix}SERVER_URL must be set with {prefix}CLIENT_ID")
    return [
        {
            "provider_id": name,
            "name": os.environ.get(f"{prefix}NAME", label),
            "client_id": client_id,
            "secret": os.environ.get(f"{prefix}CLIENT_SECRET", ""),
            "settings": {
                "server_url": server_url,
                "oauth_pkce_enabled": True,
                "uid_field": os.environ.get(f"{prefix}UID_FIELD", "sub"),
                **app_settings,
            },
        }
    ]


# Entra ID (an organisation's Microsoft 365 tenant; the issuer is checked, so one tenant per provider, more
# can be added as social applications in Django admin): users are matched by their e-mail address. ID-porten:
# matched by a stored identity (Django admin → Sosiale kontoer), never by e-mail; its security levels
# "substantial" and "high" are two-factor sign-ins.
ENTRA_TENANT = os.environ.get("DJANGO_OIDC_ENTRA_TENANT", "")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": [
            *oidc_app(
                "entra",
                "Microsoft Entra ID",
                f"https://login.microsoftonline.com/{ENTRA_TENANT}/v2.0" if ENTRA_TENANT else "",
                match_email=True,
                mfa_amr=["mfa"],
                email_domains=env_list("DJANGO_OIDC_ENTRA_EMAIL_DOMAINS"),
            ),
            *oidc_app(
                "idporten",
                "ID-porten",
                "https://idporten.no",
                match_email=False,
                mfa_acr=["idporten-loa-substantial", "idporten-loa-high"],
            ),
        ],
    },
}

LANGUAGE_CODE = "nb"
# The public site's language links and the staff header's language choice follow this list; a signed-in
# user's choice is stored on the user (accounts.middleware.user_language), everyone's in the language cookie.
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# Django's form renderer with selects and plain inputs written in Python, same markup (core/renderers.py).
FORM_RENDERER = "core.renderers.FastRenderer"

STATIC_URL = "static/"
# Designsystemet and HTMX are served straight from the npm packages: no bundler.
STATICFILES_DIRS = [("vendor", BASE_DIR / "node_modules")]
# Production runs `collectstatic`: every file gets its hash in its name and a gzip and a brotli copy, and
# WhiteNoise serves them with a year's caching. Until then (development, tests, the benchmark) there is no
# manifest, and the same storage gives the plain names, served from the app and package folders.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
# The tests use the plain names even where someone ran collectstatic: the browser tests' server finds the
# files in the apps, not in STATIC_ROOT.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "core.storage.StaticFilesStorage"
    },
}
# Files uploaded by the offices for the public website (images, templates), through Django's storage; they
# are served by the website's own views (website.views.image/document_file), not from a folder.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
WEBSITE_IMAGE_MAX_BYTES = 5_000_000
WEBSITE_IMAGE_MAX_PIXELS = 6000
WEBSITE_DOCUMENT_MAX_BYTES = 20_000_000
# Documents kept on an ALIS, a municipality or a supervisor (records app): served only by its scoped view.
RECORDS_DOCUMENT_MAX_BYTES = int(os.environ.get("DJANGO_RECORDS_DOCUMENT_MAX_BYTES", "20000000"))
WHITENOISE_USE_FINDERS = DEBUG or TESTING or not (STATIC_ROOT / "staticfiles.json").exists()
if not STATIC_ROOT.exists():
    # Expected before collectstatic: the files come from the finders, not from STATIC_ROOT.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SESSION_COOKIE_AGE = 60 * 60 * 10  # the longest a sign-in lasts, however active

# Production over HTTPS (the README's production settings turn these on).
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The language choice (django_language) is remembered for a year, by Django's set_language and ours alike.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # The __Host- prefix: the browser keeps the cookie only if it came over HTTPS for this host alone.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
# The app's own host name only ever speaks HTTPS, nor do any names under it.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# /healthz answers the load balancer and monitoring over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Compression and BREACH: GZipMiddleware compresses pages, which could let an attacker who sees the
# traffic and can make a signed-in browser send many requests guess secrets on a page byte by byte
# (BREACH). What stands against it here: Django masks the CSRF token differently in every response,
# GZipMiddleware pads every compressed response with 0–100 random bytes ("Heal the Breach"), and the
# session cookie is SameSite=Lax, so another site can not make the browser fetch signed-in pages in the
# background. Static files are compressed ahead by WhiteNoise (gzip and brotli).

# Work that must not hold a request (e-mail to many, large imports, reports) goes through Django's task
# framework; `manage.py db_worker` runs it. Tests run tasks at once unless they ask for the worker.
TASKS = {"default": {"BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Imports (dataio): the largest file any upload may be; how long an unconfirmed preview waits and an ended
# import's row-by-row report is kept (the uploaded file itself is deleted as soon as the import ends); and
# how long a job may read or write before `manage.py clean_imports` calls it failed (the worker stopped).
IMPORT_MAX_MB = int(os.environ.get("DJANGO_IMPORT_MAX_MB", "10"))
IMPORT_KEEP_DAYS = int(os.environ.get("DJANGO_IMPORT_KEEP_DAYS", "14"))
IMPORT_TIMEOUT_MINUTES = int(os.environ.get("DJANGO_IMPORT_TIMEOUT_MINUTES", "60"))

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "ALIS-oversikt <ikke-svar@alis.example.no>")
# The address the public links in e-mails point to (mapping campaigns, course sign-up).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
