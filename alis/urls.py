from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import views as account_views
from api.urls import v1 as api_v1
from core.generated_files import generated_file_status
from core.views import healthz
from training import urls as training_urls

# The staff overview lives at /oversikt/ (the site's root is the public website); the rest of the training
# pages stay under /alis/. One namespace, so `training:overview` and every other `training:` name still work.
_overview = next(p for p in training_urls.urlpatterns if p.name == "overview")
training_patterns = [
    path("oversikt/", _overview.callback, name="overview"),
    path("alis/", include([p for p in training_urls.urlpatterns if p is not _overview])),
]

# A refused page (403) is logged in the security log, as is a form that failed its CSRF check (settings).
handler403 = "accounts.views.permission_denied"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The progress of a file (a PDF) the task worker builds: polled by its page (core.generated_files).
    path("filer/<int:pk>/", generated_file_status, name="generated_file_status"),
    path("", include("accounts.urls")),
    # Django's set_language, which also remembers a signed-in user's choice.
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    # Django admin signs in through our sign-in (lockout, two-factor), not its own form.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True, permanent=False)),
    ),
    path("admin/", admin.site.urls),
    path("register/", include("registry.urls")),
    # The overview's old address (bookmarks).
    path("alis/oversikt/", RedirectView.as_view(pattern_name="training:overview", permanent=True)),
    path("", include((training_patterns, "training"))),
    path("veiledning/", include("supervision.urls")),
    path("tilskudd/", include("grants.urls")),
    path("import/", include("dataio.urls")),
    path("kurs/", include("courses.urls")),
    path("kontoret/", include("office.urls")),
    path("kartlegging/", include("survey.urls")),
    path("personvern/", include("privacy.urls")),
    path("", include("records.urls")),
    path("nettsted/", include("website.publishing_urls")),
    path("oppfolging/", include("followup.urls")),
    path("api/v1/", api_v1),
    path("api/", include("api.urls")),
    # The public website: the national part at / and a section per office at /<office>/ (office codes only,
    # website.converters), last so that it can never shadow an address of the app.
    path("", include("website.urls")),
]
