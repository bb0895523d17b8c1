"""The public website's addresses, included last at the site's root (see website.converters)."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter
from django.views.decorators.cache import cache_control

from website import views
from website.converters import OfficeCodeConverter
from website.feeds import AtomNewsFeed, NewsFeed
from website.sitemaps import SITEMAPS

register_converter(OfficeCodeConverter, "office")

rss = login_not_required(cache_control(public=True, max_age=900)(NewsFeed()))
atom = login_not_required(cache_control(public=True, max_age=900)(AtomNewsFeed()))

app_name = "website"
urlpatterns = [
    path("", views.home, name="home"),
    path("nyheter/", views.news_list, name="news"),
    path("nyheter/rss/", rss, name="feed_rss"),
    path("nyheter/atom/", atom, name="feed_atom"),
    path("nyheter/<slug:slug>/", views.news_detail, name="news_detail"),
    path("side/<slug:slug>/", views.page_detail, name="page_detail"),
    path("om-alis/", views.about, name="about"),
    path("personvernerklaering/", views.privacy, name="privacy"),
    path("tilgjengelighetserklaering/", views.accessibility, name="accessibility"),
    path("sporsmal-og-svar/", views.questions, name="questions"),
    path("maler/", views.documents, name="documents"),
    path("maler/<int:pk>/", views.document_detail, name="document_detail"),
    path("maler/fil/<int:pk>/<str:filename>", views.document_file, name="document_file"),
    path("bilder/<int:pk>/<str:filename>", views.image, name="image"),
    path("sprak/<str:code>/", views.language, name="language"),
    path(
        "sitemap.xml",
        login_not_required(cache_control(public=True, max_age=3600)(sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    # A section per office: /<office>/ matches the office codes only.
    path("<office:office>/", views.office_home, name="office_home"),
    path("<office:office>/kontakt/", views.office_contact, name="office_contact"),
    path("<office:office>/nyheter/", views.office_news_list, name="office_news"),
    path("<office:office>/nyheter/rss/", rss, name="office_feed_rss"),
    path("<office:office>/nyheter/atom/", atom, name="office_feed_atom"),
    path("<office:office>/nyheter/<slug:slug>/", views.office_news_detail, name="office_news_detail"),
    path("<office:office>/side/<slug:slug>/", views.office_page_detail, name="office_page_detail"),
]
