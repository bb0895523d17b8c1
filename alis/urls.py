from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from api.urls import v1 as api_v1
from core.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="training:overview", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Django admin signs in through our sign-in (lockout, two-factor), not its own form.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True, permanent=False)),
    ),
    path("admin/", admin.site.urls),
    path("register/", include("registry.urls")),
    path("alis/", include("training.urls")),
    path("veiledning/", include("supervision.urls")),
    path("tilskudd/", include("grants.urls")),
    path("import/", include("dataio.urls")),
    path("kurs/", include("courses.urls")),
    path("kontoret/", include("office.urls")),
    path("kartlegging/", include("survey.urls")),
    path("personvern/", include("privacy.urls")),
    path("api/v1/", api_v1),
    path("api/", include("api.urls")),
]
