from django.urls import path

from followup import views

app_name = "followup"
urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path("kontoret/", views.task_list, name="task_list"),
    path("ny/", views.task_create, name="task_create"),
    path("<int:pk>/", views.task_edit, name="task_edit"),
    path("<int:pk>/utfort/", views.task_done, name="task_done"),
    path("<int:pk>/apne/", views.task_reopen, name="task_reopen"),
    path("regler/", views.rule_list, name="rule_list"),
    path("regler/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("varsler/", views.notification_list, name="notification_list"),
    path("varsler/innstillinger/", views.setting_edit, name="setting_edit"),
    path("varsler/<str:token>/", views.notification_open, name="notification_open"),
]
urlpatterns += [
    path("paneler/til-oppfolging/", views.attention_panel, name="attention_panel"),
    path("paneler/kart/", views.map_panel, name="map_panel"),
    path("paneler/<str:kind>/<int:pk>/", views.record_panel, name="record_panel"),
]
