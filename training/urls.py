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
    path("veileder/<int:pk>/slett/", views.assignment_delete, name="assignment_delete"),
    path("<int:pk>/legevakter/ny/", views.shift_create, name="shift_create"),
    path("legevakter/<int:pk>/endre/", views.shift_edit, name="shift_edit"),
    path("legevakter/<int:pk>/slett/", views.shift_delete, name="shift_delete"),
    path("gammel-ordning/", views.old_scheme_list, name="old_scheme"),
    path("<int:pk>/gammel-ordning/utfall/", views.outcome_edit, name="outcome_edit"),
    path("<int:pk>/gammel-ordning/utfall/slett/", views.outcome_delete, name="outcome_delete"),
]
urlpatterns += [
    path("paneler/kommune/<int:pk>/", views.municipality_panel, name="municipality_panel"),
    path("paneler/lege/<int:pk>/", views.doctor_panel, name="doctor_panel"),
]
