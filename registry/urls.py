from django.urls import path

from registry import views

app_name = "registry"
urlpatterns = [
    path("kommuner/", views.municipality_list, name="municipality_list"),
    path("kommuner/<int:pk>/", views.municipality_detail, name="municipality_detail"),
    path("kommuner/<int:pk>/endre/", views.municipality_edit, name="municipality_edit"),
    path("kommuner/<int:pk>/sentralitet/", views.centrality_edit, name="centrality_edit"),
    path("kommuner/<int:pk>/registrering/", views.registration_add, name="registration_add"),
    path("kommuner/<int:pk>/kontakter/ny/", views.contact_create, name="contact_create"),
    path("kontakter/<int:pk>/endre/", views.contact_edit, name="contact_edit"),
    path("legekontorer/", views.gp_office_list, name="gp_office_list"),
    path("legekontorer/ny/", views.gp_office_create, name="gp_office_create"),
    path("legekontorer/<int:pk>/", views.gp_office_detail, name="gp_office_detail"),
    path("legekontorer/<int:pk>/endre/", views.gp_office_edit, name="gp_office_edit"),
    path("leger/", views.doctor_list, name="doctor_list"),
    path("leger/ny/", views.doctor_create, name="doctor_create"),
    path("leger/<int:pk>/", views.doctor_detail, name="doctor_detail"),
    path("leger/<int:pk>/endre/", views.doctor_edit, name="doctor_edit"),
    path("helseforetak/", views.health_trust_list, name="health_trust_list"),
    path("helseforetak/ny/", views.health_trust_create, name="health_trust_create"),
    path("helseforetak/<int:pk>/endre/", views.health_trust_edit, name="health_trust_edit"),
    path("fylker/", views.county_list, name="county_list"),
    path("fylker/<int:pk>/endre/", views.county_edit, name="county_edit"),
    path("ssb/", views.ssb_import_list, name="ssb_import_list"),
    path("ssb/last-opp/", views.ssb_upload, name="ssb_upload"),
    path("ssb/<int:pk>/", views.ssb_import_detail, name="ssb_import_detail"),
    path("ssb/<int:pk>/bekreft/", views.ssb_import_confirm, name="ssb_import_confirm"),
    # The options of the Suggestion fields, fetched while the user types.
    path("sok/kommuner/", views.municipality_search, name="municipality_search"),
    path("sok/legekontorer/", views.gp_office_search, name="gp_office_search"),
    path("sok/leger/", views.doctor_search, name="doctor_search"),
]
