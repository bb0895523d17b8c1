from django.urls import path

from office import views

app_name = "office"
urlpatterns = [
    path("henvendelser/", views.inquiry_list, name="inquiry_list"),
    path("henvendelser/ny/", views.inquiry_create, name="inquiry_create"),
    path("henvendelser/<int:pk>/endre/", views.inquiry_edit, name="inquiry_edit"),
    path("henvendelser/<int:pk>/slett/", views.inquiry_delete, name="inquiry_delete"),
    path("henvendelser/tall/", views.inquiry_stats, name="inquiry_stats"),
    path("emner/", views.topic_list, name="topic_list"),
    path("emner/nytt/", views.topic_create, name="topic_create"),
    path("emner/<int:pk>/endre/", views.topic_edit, name="topic_edit"),
    path("aktiviteter/", views.record_list, {"kind": "activity"}, name="activity_list"),
    path("aktiviteter/ny/", views.record_create, {"kind": "activity"}, name="activity_create"),
    path("aktiviteter/<int:pk>/endre/", views.record_edit, {"kind": "activity"}, name="activity_edit"),
    path("aktiviteter/<int:pk>/slett/", views.record_delete, {"kind": "activity"}, name="activity_delete"),
    path("samarbeidspartnere/", views.record_list, {"kind": "partner"}, name="partner_list"),
    path("samarbeidspartnere/ny/", views.record_create, {"kind": "partner"}, name="partner_create"),
    path("samarbeidspartnere/<int:pk>/endre/", views.record_edit, {"kind": "partner"}, name="partner_edit"),
    path("samarbeidspartnere/<int:pk>/slett/", views.record_delete, {"kind": "partner"}, name="partner_delete"),
    path("ansatte/", views.record_list, {"kind": "staff"}, name="staff_list"),
    path("ansatte/ny/", views.record_create, {"kind": "staff"}, name="staff_create"),
    path("ansatte/<int:pk>/endre/", views.record_edit, {"kind": "staff"}, name="staff_edit"),
    path("ansatte/<int:pk>/slett/", views.record_delete, {"kind": "staff"}, name="staff_delete"),
    path("virksomheter/", views.record_list, {"kind": "institution"}, name="institution_list"),
    path("virksomheter/ny/", views.record_create, {"kind": "institution"}, name="institution_create"),
    path("virksomheter/<int:pk>/endre/", views.record_edit, {"kind": "institution"}, name="institution_edit"),
    path("virksomheter/<int:pk>/slett/", views.record_delete, {"kind": "institution"}, name="institution_delete"),
    path("virksomheter/<int:pk>/status/", views.institution_registration_add, name="institution_registration_add"),
    path("stabilitet/", views.retention_page, name="retention"),
    path("arsrapport/", views.report_index, name="report_index"),
    path("arsrapport/nasjonal/<int:year>/", views.report_national, name="report_national"),
    path("arsrapport/nasjonal/<int:year>/<str:fmt>/", views.report_national_download, name="report_national_download"),
    path("arsrapport/<slug:code>/<int:year>/", views.report_detail, name="report"),
    path("arsrapport/<slug:code>/<int:year>/tekster/", views.report_texts, name="report_texts"),
    path("arsrapport/<slug:code>/<int:year>/<str:fmt>/", views.report_download, name="report_download"),
]
