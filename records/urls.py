from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("sok/", views.search, name="search"),
    path("sok/kursdeltaker/<int:pk>/", views.open_participant, name="open_participant"),
    path("arkiv/<str:kind>/<int:pk>/", views.subject_page, name="subject"),
    path("arkiv/<str:kind>/<int:pk>/notat/nytt/", views.note_create, name="note_create"),
    path("arkiv/notater/<int:pk>/endre/", views.note_edit, name="note_edit"),
    path("arkiv/notater/<int:pk>/slett/", views.note_delete, name="note_delete"),
    path("arkiv/<str:kind>/<int:pk>/dokument/nytt/", views.document_create, name="document_create"),
    path("arkiv/dokumenter/<int:pk>/endre/", views.document_edit, name="document_edit"),
    path("arkiv/dokumenter/<int:pk>/ny-versjon/", views.version_create, name="version_create"),
    path("arkiv/filer/<int:pk>/<str:filename>", views.document_file, name="document_file"),
    path("alis/<int:pk>/utdanningsplan/", views.plan_edit, name="plan_edit"),
    path("alis/utdanningsplaner/", views.plan_list, name="plan_list"),
]
