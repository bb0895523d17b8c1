from django.urls import path

from training import views

app_name = "training"
urlpatterns = [
    path("oversikt/", views.overview, name="overview"),
    path("", views.training_list, name="list"),
    path("ny/", views.training_create, name="create"),
    path("<int:pk>/", views.training_detail, name="detail"),
    path("<int:pk>/endre/", views.training_edit, name="edit"),
    path("<int:pk>/perioder/ny/", views.period_create, name="period_create"),
    path("perioder/<int:pk>/endre/", views.period_edit, name="period_edit"),
    path("perioder/<int:pk>/slett/", views.period_delete, name="period_delete"),
    path("<int:pk>/veileder/ny/", views.assignment_create, name="assignment_create"),
    path("veileder/<int:pk>/endre/", views.assignment_edit, name="assignment_edit"),
]
urlpatterns += [
    path("paneler/kommune/<int:pk>/", views.municipality_panel, name="municipality_panel"),
    path("paneler/lege/<int:pk>/", views.doctor_panel, name="doctor_panel"),
]
