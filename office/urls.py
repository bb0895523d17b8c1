from django.urls import path

from office import views

app_name = "office"
urlpatterns = [
    path("henvendelser/", views.inquiry_list, name="inquiry_list"),
    path("henvendelser/ny/", views.inquiry_create, name="inquiry_create"),
    path("henvendelser/<int:pk>/endre/", views.inquiry_edit, name="inquiry_edit"),
    path("henvendelser/tall/", views.inquiry_stats, name="inquiry_stats"),
    path("emner/", views.topic_list, name="topic_list"),
    path("emner/<int:pk>/endre/", views.topic_edit, name="topic_edit"),
    path("aktiviteter/", views.activity_list, name="activity_list"),
    path("aktiviteter/ny/", views.record_create, {"kind": "activity"}, name="activity_create"),
    path("aktiviteter/<int:pk>/endre/", views.record_edit, {"kind": "activity"}, name="activity_edit"),
    path("samarbeidspartnere/", views.partner_list, name="partner_list"),
    path("samarbeidspartnere/ny/", views.record_create, {"kind": "partner"}, name="partner_create"),
    path("samarbeidspartnere/<int:pk>/endre/", views.record_edit, {"kind": "partner"}, name="partner_edit"),
    path("ansatte/", views.staff_list, name="staff_list"),
    path("ansatte/ny/", views.record_create, {"kind": "staff"}, name="staff_create"),
    path("ansatte/<int:pk>/endre/", views.record_edit, {"kind": "staff"}, name="staff_edit"),
    path("virksomheter/", views.institution_list, name="institution_list"),
    path("virksomheter/ny/", views.institution_edit, name="institution_create"),
    path("virksomheter/<int:pk>/endre/", views.institution_edit, name="institution_edit"),
    path("virksomheter/<int:pk>/status/", views.institution_registration_add, name="institution_registration_add"),
    path("stabilitet/", views.retention_page, name="retention"),
    path("arsrapport/", views.report_index, name="report_index"),
    path("arsrapport/nasjonal/<int:year>/", views.report_national, name="report_national"),
    path("arsrapport/fil/<int:pk>/", views.report_file_status, name="report_file_status"),
    path("arsrapport/nasjonal/<int:year>/<str:fmt>/", views.report_national_download, name="report_national_download"),
    path("arsrapport/<slug:code>/<int:year>/", views.report_detail, name="report"),
    path("arsrapport/<slug:code>/<int:year>/tekster/", views.report_texts, name="report_texts"),
    path("arsrapport/<slug:code>/<int:year>/<str:fmt>/", views.report_download, name="report_download"),
]
