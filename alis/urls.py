from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from core.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="training:overview", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("logg-inn/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("register/", include("registry.urls")),
    path("alis/", include("training.urls")),
    path("veiledning/", include("supervision.urls")),
    path("tilskudd/", include("grants.urls")),
    path("import/", include("dataio.urls")),
    path("kurs/", include("courses.urls")),
    path("kontoret/", include("office.urls")),
    path("kartlegging/", include("survey.urls")),
]
