from django.urls import path

from courses import views

app_name = "courses"
urlpatterns = [
    # Public: the course calendar, sign-up and the participant's own cancel link.
    path("", views.calendar, name="calendar"),
    path("kalender.ics", views.ical_feed, name="ical"),
    path("<int:pk>/pamelding/", views.signup, name="signup"),
    path("<int:pk>/pamelding/mottatt/", views.signup_done, name="signup_done"),
    path("avmelding/<str:token>/", views.cancel, name="cancel"),
    # The office's pages.
    path("kontor/", views.course_list, name="list"),
    path("kontor/nytt/", views.course_create, name="create"),
    path("kontor/<int:pk>/", views.course_detail, name="detail"),
    path("kontor/<int:pk>/endre/", views.course_edit, name="edit"),
    path("kontor/<int:pk>/samlinger/ny/", views.gathering_create, name="gathering_create"),
    path("kontor/samlinger/<int:pk>/endre/", views.gathering_edit, name="gathering_edit"),
    path("kontor/samlinger/<int:pk>/slett/", views.gathering_delete, name="gathering_delete"),
    path("kontor/<int:pk>/deltakere/", views.participant_list, name="participants"),
    path("kontor/deltakere/<int:pk>/oppmote/<int:gathering>/", views.attendance, name="attendance"),
    path("kontor/deltakere/<int:pk>/avmeld/", views.participant_cancel, name="participant_cancel"),
    path("kontor/deltakere/<int:pk>/kursbevis.pdf", views.certificate, name="certificate"),
    path("kontor/kursholdere/", views.instructor_list, name="instructors"),
    path("kontor/kursholdere/ny/", views.instructor_create, name="instructor_create"),
    path("kontor/kursholdere/<int:pk>/endre/", views.instructor_edit, name="instructor_edit"),
    path("kontor/statistikk/", views.statistics, name="statistics"),
]
