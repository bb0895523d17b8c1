from django.urls import path

from dataio import views

app_name = "dataio"
urlpatterns = [
    path("", views.index, name="index"),
    path("fastlegeliste/", views.gp_list_upload, name="gp_list_upload"),
    path("alis-liste/", views.alis_list_upload, name="alis_list_upload"),
    path("alis-liste/mal.<str:fmt>", views.alis_template, name="alis_template"),
    path("veiledningstimer/", views.session_upload, name="session_upload"),
    path("jobber/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobber/<int:pk>/bekreft/", views.job_confirm, name="job_confirm"),
    path("jobber/<int:pk>/avbryt/", views.job_cancel, name="job_cancel"),
]
