"""`sitemap.xml`: the public pages for search engines."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from registry.models import Office
from website.models import Article, Document


class FixedPages(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "website:home",
            "website:news",
            "website:questions",
            "website:documents",
            "courses:calendar",
            "website:about",
            "website:privacy",
            "website:accessibility",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class OfficeSections(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Office.objects.order_by("ordering", "name")

    def location(self, office: Office) -> str:
        return reverse("website:office_home", args=[office.code])


class Articles(Sitemap):
    def items(self):
        return Article.objects.published().filter(role="").select_related("office")

    def lastmod(self, article: Article):
        return article.updated_at


class Documents(Sitemap):
    def items(self):
        return Document.objects.published().order_by("pk")

    def lastmod(self, document: Document):
        return document.updated_at


SITEMAPS = {"pages": FixedPages, "offices": OfficeSections, "articles": Articles, "documents": Documents}
