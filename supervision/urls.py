from django.urls import path

from supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.pool_page, name="pool"),
    path("veiledere/", views.profile_list, name="profile_list"),
    path("veiledere/ny/", views.profile_create, name="profile_create"),
    path("veiledere/lege/<int:doctor_pk>/", views.profile_edit, name="profile_edit"),
    # The options of the Suggestion fields, fetched while the user types.
    path("sok/nye-veiledere/", views.candidate_search, name="candidate_search"),
    path("sok/veiledere/", views.supervisor_search, name="supervisor_search"),
    path("alis/<int:pk>/forslag/", views.proposals, name="proposals"),
    path("alis/<int:pk>/forslag/bekreft/", views.proposal_confirm, name="proposal_confirm"),
    path("forslag/", views.region_proposal, name="region_proposal"),
    path("alis/<int:pk>/timer/", views.session_list, name="session_list"),
    path("alis/<int:pk>/timer/ny/", views.session_create, name="session_create"),
    path("timer/<int:pk>/endre/", views.session_edit, name="session_edit"),
    path("alis/<int:pk>/lenke/", views.link_create, name="link_create"),
    path("veiledere/send-lenke/", views.profile_links_send, name="profile_links_send"),
    path("lenker/<int:pk>/trekk-tilbake/", views.link_revoke, name="link_revoke"),
    path("oppfolging/", views.compliance_list, name="compliance"),
    path("grupper/", views.group_list, name="group_list"),
    path("grupper/ny/", views.group_create, name="group_create"),
    path("grupper/<int:pk>/", views.group_detail, name="group_detail"),
    path("grupper/<int:pk>/endre/", views.group_edit, name="group_edit"),
    path("grupper/<int:pk>/sok/alis/", views.group_candidate_search, name="group_candidate_search"),
    path("grupper/<int:pk>/medlemmer/ny/", views.member_add, name="member_add"),
    path("grupper/medlemmer/<int:pk>/endre/", views.member_edit, name="member_edit"),
    path("grupper/medlemmer/<int:pk>/slett/", views.member_delete, name="member_delete"),
    path("grupper/<int:pk>/moter/ny/", views.meeting_create, name="meeting_create"),
    path("grupper/moter/<int:pk>/endre/", views.meeting_edit, name="meeting_edit"),
    path("grupper/moter/<int:pk>/slett/", views.meeting_delete, name="meeting_delete"),
    path("veileder/<str:token>/", views.link_page, name="link_page"),
]
