"""RSS and Atom feeds of the news: the whole site's, and each office's (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from registry.models import Office
from website import markdown
from website.models import Article

ITEMS = 30


class NewsFeed(Feed):
    """`/nyheter/rss/` (everything published on the site) and `/<office>/nyheter/rss/` (that office's)."""

    def get_object(self, request, office: str | None = None) -> Office | None:
        return get_object_or_404(Office, code=office) if office else None

    def title(self, office: Office | None) -> str:
        return _("Nyheter fra %(office)s") % {"office": office.name} if office else _("Nyheter fra ALIS-kontorene")

    def link(self, office: Office | None) -> str:
        return reverse("website:office_news", args=[office.code]) if office else reverse("website:news")

    def description(self, office: Office | None) -> str:
        return self.title(office)

    def items(self, office: Office | None):
        news = Article.objects.published().filter(kind=Article.Kind.NEWS).select_related("office")
        if office is not None:
            news = news.filter(office=office)
        return news.order_by("-publish_at", "-created_at", "-pk")[:ITEMS]

    def item_title(self, item: Article) -> str:
        return item.shown.title

    def item_description(self, item: Article) -> str:
        return item.shown.summary or markdown.plain(item.shown.body, 400)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article):
        return item.shown_date

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.section_name

    def item_categories(self, item: Article) -> list[str]:
        return [item.section_name]


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, office: Office | None) -> str:
        return self.description(office)
