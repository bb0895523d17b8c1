from django.urls import path

from survey import views

app_name = "survey"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("ny/", views.campaign_create, name="campaign_create"),
    path("kampanjer/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("svar/<int:pk>/", views.invitation_detail, name="invitation_detail"),
    path("svar/<int:pk>/godta-alle/", views.invitation_accept_all, name="invitation_accept_all"),
    path("svar/<int:pk>/paminn/", views.invitation_remind, name="invitation_remind"),
    path("svar/<int:pk>/trekk-tilbake/", views.invitation_revoke, name="invitation_revoke"),
    path("svar/<int:pk>/avvis-alle/", views.invitation_reject_all, name="invitation_reject_all"),
    path("forslag/<int:pk>/", views.proposal_decide, name="proposal_decide"),
    path("kommuner/", views.municipality_status, name="municipality_status"),
    path("paneler/kommune/<int:pk>/", views.municipality_panel, name="municipality_panel"),
    # The municipality's pages, by the private link (the last patterns: a token could be any word).
    path("<str:token>/", views.answer, name="answer"),
    path("<str:token>/del/<slug:key>/", views.answer_section, name="answer_section"),
    path("<str:token>/sjekk/", views.answer_check, name="answer_check"),
]
