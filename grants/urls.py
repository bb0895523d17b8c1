from django.urls import path

from grants import views

app_name = "grants"
urlpatterns = [
    path("", views.index, name="index"),
    path("ordninger/<int:pk>/endre/", views.scheme_edit, name="scheme_edit"),
    path("satser/ny/", views.period_create, name="period_create"),
    path("satser/hent/", views.period_load, name="period_load"),
    path("satser/<int:pk>/", views.period_detail, name="period_detail"),
    path("satser/<int:pk>/endre/", views.period_edit, name="period_edit"),
    path("satser/<int:pk>/slett/", views.period_delete, name="period_delete"),
    path("kalkulator/", views.calculator, name="calculator"),
    path("oversikt/", views.summary, name="summary"),
    path("soknader/", views.application_list, name="application_list"),
    path("soknader/ny/", views.application_create, name="application_create"),
    path("soknader/ikke-sokt/", views.not_applied, name="not_applied"),
    path("soknader/<int:pk>/", views.application_detail, name="application_detail"),
    path("soknader/<int:pk>/endre/", views.application_edit, name="application_edit"),
    path("soknader/<int:pk>/slett/", views.application_delete, name="application_delete"),
    path("soknader/<int:pk>/linjer/ny/", views.line_create, name="line_create"),
    path("soknader/<int:pk>/linjer/alis/", views.line_alis_search, name="line_alis_search"),
    path("linjer/<int:pk>/endre/", views.line_edit, name="line_edit"),
    path("linjer/<int:pk>/slett/", views.line_delete, name="line_delete"),
    path("alis/<int:pk>/", views.profile_edit, name="profile_edit"),
    path("kostnader/", views.cost_list, name="cost_list"),
    path("kostnader/ny/", views.cost_create, name="cost_create"),
    path("kostnader/<int:pk>/", views.cost_detail, name="cost_detail"),
    path("kostnader/<int:pk>/endre/", views.cost_edit, name="cost_edit"),
    path("kostnader/<int:pk>/slett/", views.cost_delete, name="cost_delete"),
]
