"""The offices' publishing pages, under /nettsted/ (namespace `publishing`)."""

from django.urls import path

from website import publishing as views

app_name = "publishing"
urlpatterns = [
    path("", views.index, name="index"),
    path("nyheter/", views.news_list, name="news_list"),
    path("nyheter/ny/", views.news_create, name="news_create"),
    path("sider/", views.page_list, name="page_list"),
    path("sider/ny/", views.page_create, name="page_create"),
    path("artikler/<int:pk>/endre/", views.article_edit, name="article_edit"),
    path("artikler/<int:pk>/forhandsvis/", views.article_preview, name="article_preview"),
    path("artikler/<int:pk>/versjoner/", views.article_revisions, name="article_revisions"),
    path("artikler/<int:pk>/slett/", views.article_delete, name="article_delete"),
    path("versjoner/<int:pk>/gjenopprett/", views.revision_restore, name="revision_restore"),
    path("sporsmal/", views.question_list, name="question_list"),
    path("sporsmal/ny/", views.question_create, name="question_create"),
    path("sporsmal/fra-henvendelse/", views.inquiry_pick, name="inquiry_pick"),
    path("sporsmal/fra-henvendelse/<int:pk>/", views.question_from_inquiry, name="question_from_inquiry"),
    path("sporsmal/<int:pk>/endre/", views.question_edit, name="question_edit"),
    path("sporsmal/<int:pk>/versjoner/", views.question_revisions, name="question_revisions"),
    path("sporsmal/<int:pk>/slett/", views.question_delete, name="question_delete"),
    path("maler/", views.document_list, name="document_list"),
    path("maler/ny/", views.document_create, name="document_create"),
    path("maler/<int:pk>/", views.document, name="document"),
    path("maler/<int:pk>/endre/", views.document_edit, name="document_edit"),
    path("maler/<int:pk>/slett/", views.document_delete, name="document_delete"),
    path("maler/<int:pk>/filer/ny/", views.version_create, name="version_create"),
    path("maler/filer/<int:pk>/gjeldende/", views.version_make_current, name="version_make_current"),
    path("bilder/", views.image_list, name="image_list"),
    path("bilder/ny/", views.image_create, name="image_create"),
    path("bilder/<int:pk>/endre/", views.image_edit, name="image_edit"),
    path("bilder/<int:pk>/slett/", views.image_delete, name="image_delete"),
    path("kontakt/", views.profile_edit, name="profile"),
    path("kontakt/personer/ny/", views.person_create, name="person_create"),
    path("kontakt/personer/<int:pk>/endre/", views.person_edit, name="person_edit"),
    path("kontakt/personer/<int:pk>/slett/", views.person_delete, name="person_delete"),
]
