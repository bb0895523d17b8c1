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
    path("lenker/<int:pk>/trekk-tilbake/", views.link_revoke, name="link_revoke"),
    path("oppfolging/", views.compliance_list, name="compliance"),
    path("veileder/<str:token>/", views.link_page, name="link_page"),
]
