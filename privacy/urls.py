from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("lesinger/", views.read_list, name="read_list"),
    path("lesinger/bruker/<int:pk>/", views.user_reads, name="user_reads"),
    path("lege/<int:pk>/", views.doctor_page, name="doctor"),
    path("lege/<int:pk>/lesinger/", views.doctor_reads, name="doctor_reads"),
    path("lege/<int:pk>/innsyn.<str:fmt>", views.doctor_export, name="doctor_export"),
    path("lege/<int:pk>/anonymiser/", views.doctor_anonymise, name="doctor_anonymise"),
]
