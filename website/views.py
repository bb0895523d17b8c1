"""The public website: the national part at `/` and a section per office at `/<office>/`.

Every page here is open to everyone, works without JavaScript, and is the same for every visitor who is
not signed in, so shared caches may keep it for a few minutes (`public_page`).
"""

from collections.abc import Callable
from functools import partial, wraps
from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_cookie

from accounts.middleware import remember_language
from accounts.services import user_language_set
from core import tableversions
from core.navigation import crumbs
from courses import rules as course_rules
from courses.models import Course, Registration
from office.models import InquiryTopic
from registry.models import Office
from website import markdown
from website.forms import PublicSearchForm
from website.models import Article, ContactPerson, Document, DocumentVersion, Image, OfficeProfile, Question

NEWS_PER_PAGE = 20


def public_page(view: Callable) -> Callable:
    """Open to everyone; cacheable for 5 minutes by anyone for visitors who are not signed in (the language
    chosen is in a cookie, hence Vary: Cookie). core.middleware.NoStoreMiddleware keeps signed-in pages private."""

    @login_not_required
    @vary_on_cookie
    @cache_control(public=True, max_age=300)
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapped


def _office(code: str) -> Office:
    return get_object_or_404(Office, code=code)


def _images_for(*texts: str) -> dict[int, Image]:
    ids = markdown.image_ids(*texts)
    return {image.pk: image for image in Image.objects.filter(pk__in=ids)} if ids else {}


def render_text(text: str) -> str:
    return markdown.render(text, _images_for(text))


def _news(office: Office | None = None):
    news = Article.objects.published().filter(kind=Article.Kind.NEWS).select_related("office", "image")
    if office is not None:
        news = news.filter(office=office)
    return news.order_by("-publish_at", "-created_at", "-pk")


def _pages(office: Office | None):
    return (
        Article.objects.published()
        .in_section(office)
        .filter(kind=Article.Kind.PAGE, role="")
        .order_by("ordering", "title")
        .only("pk", "slug", "title", "title_nn", "summary", "summary_nn", "office", "kind", "role")
    )


def _upcoming_courses(office: Office | None = None, limit: int = 5) -> list[tuple[Course, bool]]:
    today = timezone.localdate()
    courses = (
        Course.objects.published()
        .annotate(
            first_day=Min("gatherings__start"),
            last_day=Max("gatherings__end"),
            confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        )
        .filter(first_day__gte=today)
        .select_related("office")
        .order_by("first_day", "title")
    )
    if office is not None:
        courses = courses.filter(office=office)
    return [
        (
            course,
            course_rules.signup_open(today=today, deadline=course.signup_deadline, first_day=course.first_day),
        )
        for course in courses[:limit]
    ]


def _og(title: str, description: str = "", image: Image | None = None, kind: str = "website") -> dict:
    return {"title": title, "description": description, "image": image, "type": kind}


def _kept_public(key: str, build: Callable[[], str]) -> str:
    """A public page's content, the same for every visitor asking the same: written once per data change, and again
    each minute for what is published at a time set ahead (core.tableversions)."""
    return tableversions.kept(f"{key}:{timezone.now():%Y-%m-%d %H:%M}", build)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "body": _kept_public("website-home", _home_body),
        "og": _og(_("ALIS-kontorene"), _("Nyheter, kurs, maler og svar fra de regionale ALIS-kontorene.")),
    }
    return render(request, "website/home.html", context)


def _home_body() -> str:
    context = {
        "about": Article.objects.published().filter(role=Article.Role.ABOUT).first(),
        "news": _news()[:6],
        "courses": _upcoming_courses(),
        "offices": Office.objects.order_by("ordering", "name"),
        "LANGUAGE_CODE": get_language(),
    }
    return render_to_string("website/_home.html", context)


@public_page
def office_home(request: HttpRequest, office: str) -> HttpResponse:
    section = _office(office)
    profile = OfficeProfile.objects.filter(office=section).first()
    context = {
        "site_section": section,
        "profile": profile,
        "intro": render_text(profile.shown_intro.body) if profile else "",
        "news": _news(section)[:5],
        "pages": _pages(section),
        "courses": _upcoming_courses(section, limit=10),
        "documents": Document.objects.published().filter(office=section).count(),
        "questions": Question.objects.published().filter(office=section).count(),
        "og": _og(section.name, _("Nyheter, kurs og kontaktinformasjon fra %(office)s.") % {"office": section.name}),
    }
    return render(request, "website/office_home.html", context)


@public_page
def office_contact(request: HttpRequest, office: str) -> HttpResponse:
    section = _office(office)
    context = {
        "site_section": section,
        "profile": OfficeProfile.objects.filter(office=section).first(),
        "people": ContactPerson.objects.filter(office=section),
        "breadcrumbs": crumbs((section.name, reverse("website:office_home", args=[section.code])), _("Kontakt")),
        "og": _og(_("Kontakt %(office)s") % {"office": section.name}),
    }
    return render(request, "website/office_contact.html", context)


def _news_list(request: HttpRequest, section: Office | None) -> HttpResponse:
    page = Paginator(_news(section), NEWS_PER_PAGE).get_page(request.GET.get("side"))
    if section is None:
        title, feed = _("Nyheter"), reverse("website:feed_rss")
        levels = (_("Nyheter"),)
    else:
        title = _("Nyheter fra %(office)s") % {"office": section.name}
        feed = reverse("website:office_feed_rss", args=[section.code])
        levels = ((section.name, reverse("website:office_home", args=[section.code])), _("Nyheter"))
    context = {
        "site_section": section,
        "page": page,
        "title": title,
        "feed_url": feed,
        "atom_url": feed.replace("rss", "atom"),
        "breadcrumbs": crumbs(*levels),
        "og": _og(title),
    }
    return render(request, "website/news_list.html", context)


@public_page
def news_list(request: HttpRequest) -> HttpResponse:
    return _news_list(request, None)


@public_page
def office_news_list(request: HttpRequest, office: str) -> HttpResponse:
    return _news_list(request, _office(office))


def article_page(request: HttpRequest, article: Article, *, preview: bool = False) -> HttpResponse:
    """An article as the public sees it (also the staff's preview of a draft)."""
    shown = article.shown
    section = article.office
    levels: list = []
    if section is not None:
        levels.append((section.name, reverse("website:office_home", args=[section.code])))
    if article.kind == Article.Kind.NEWS:
        news_url = reverse("website:office_news", args=[section.code]) if section else reverse("website:news")
        levels.append((_("Nyheter"), news_url))
    context = {
        "article": article,
        "text": shown,
        "body": render_text(shown.body),
        "site_section": section,
        "preview": preview,
        "breadcrumbs": crumbs(*levels, shown.title) if levels else [],
        "og": _og(
            shown.title,
            shown.summary or markdown.plain(shown.body),
            article.image,
            "article" if article.kind == Article.Kind.NEWS else "website",
        ),
    }
    return render(request, "website/article.html", context)


def _published_article(kind: str, slug: str, office: Office | None) -> Article:
    articles = Article.objects.published().in_section(office).select_related("office", "image")
    return get_object_or_404(articles, kind=kind, slug=slug)


@public_page
def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return article_page(request, _published_article(Article.Kind.NEWS, slug, None))


@public_page
def office_news_detail(request: HttpRequest, office: str, slug: str) -> HttpResponse:
    return article_page(request, _published_article(Article.Kind.NEWS, slug, _office(office)))


@public_page
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _published_article(Article.Kind.PAGE, slug, None)
    if article.role:
        return HttpResponseRedirect(article.get_absolute_url())
    return article_page(request, article)


@public_page
def office_page_detail(request: HttpRequest, office: str, slug: str) -> HttpResponse:
    return article_page(request, _published_article(Article.Kind.PAGE, slug, _office(office)))


def _statement(request: HttpRequest, role: str, title: str) -> HttpResponse:
    """A fixed national page (about ALIS, the privacy or accessibility statement): the coordinator's page
    once it is published.

    Until then the address answers with the plain fact that the page is not published yet, and whom to
    ask, rather than an error: every page of the site links to it.
    """
    article = Article.objects.published().filter(role=role).select_related("image").first()
    if article is not None:
        return article_page(request, article)
    context = {"title": title, "offices": Office.objects.order_by("ordering", "name"), "og": _og(title)}
    return render(request, "website/statement_missing.html", context)


@public_page
def about(request: HttpRequest) -> HttpResponse:
    return _statement(request, Article.Role.ABOUT, _("Om ALIS og ALIS-kontorene"))


@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return _statement(request, Article.Role.PRIVACY, _("Personvernerklæring"))


@public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    return _statement(request, Article.Role.ACCESSIBILITY, _("Tilgjengelighetserklæring"))


def _offices_with(model) -> list[Office]:
    ids = model.objects.published().filter(office__isnull=False).values("office_id")
    return list(Office.objects.filter(pk__in=ids).order_by("ordering", "name"))


@public_page
def questions(request: HttpRequest) -> HttpResponse:
    """Questions and answers, grouped by the inquiry topics; searchable, and narrowed to an office."""
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    context = {
        "content": _kept_public(f"website-questions:{query}", partial(_questions, request.GET)),
        "og": _og(_("Spørsmål og svar"), _("Svar fra ALIS-kontorene på spørsmål fra kommuner, ALIS og veiledere.")),
    }
    return render(request, "website/questions.html", context)


def _questions(query: QueryDict) -> str:
    form = PublicSearchForm(query)
    rows = (
        Question.objects.published()
        .select_related("office")
        .prefetch_related(Prefetch("topics", queryset=InquiryTopic.objects.order_by("ordering", "name")))
    )
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    for word in text.split():
        rows = rows.filter(
            Q(question__icontains=word)
            | Q(answer__icontains=word)
            | Q(question_nn__icontains=word)
            | Q(answer_nn__icontains=word)
        )
    offices = _offices_with(Question)
    office = query.get("kontor", "")
    if office:
        rows = rows.filter(Q(office__code=office) | Q(office__isnull=True))
    topics = {topic.pk: topic for topic in InquiryTopic.objects.all()}
    order = {pk: (topic.ordering, topic.name) for pk, topic in topics.items()}

    def first_topic(question: Question) -> int | None:
        mine = [t.pk for t in question.topics.all()]
        return min(mine, key=order.__getitem__) if mine else None

    listed = sorted(rows, key=lambda q: (order.get(first_topic(q), (10_000, "")), q.question.lower()))
    groups = [
        (topics.get(key), [(q, render_text(q.shown.body)) for q in items])
        for key, items in groupby(listed, key=first_topic)
    ]
    context = {
        "form": form,
        "groups": groups,
        "count": len(listed),
        "searched": bool(text),
        "offices": offices,
        "office": office,
        "LANGUAGE_CODE": get_language(),
    }
    return render_to_string("website/_questions.html", context)


@public_page
def documents(request: HttpRequest) -> HttpResponse:
    """The templates library: every published template with its current file, by category."""
    category = request.GET.get("kategori", "")
    office = request.GET.get("kontor", "")
    current = Prefetch("versions", queryset=DocumentVersion.objects.filter(is_current=True), to_attr="current")
    rows = Document.objects.published().select_related("office").prefetch_related(current)
    if category in Document.Category.values:
        rows = rows.filter(category=category)
    if office:
        rows = rows.filter(Q(office__code=office) | Q(office__isnull=True))
    labels = dict(Document.Category.choices)
    groups = [
        (labels[key], list(items))
        for key, items in groupby(
            sorted(rows, key=lambda d: (list(labels).index(d.category), d.title)), key=lambda d: d.category
        )
    ]
    context = {
        "groups": groups,
        "categories": Document.Category.choices,
        "category": category,
        "offices": _offices_with(Document),
        "office": office,
        "og": _og(
            _("Maler"), _("Felles maler for ALIS-avtaler, utdanningsplaner og avtaler mellom kommune og helseforetak.")
        ),
    }
    return render(request, "website/documents.html", context)


@public_page
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.published().select_related("office"), pk=pk)
    context = {
        "document": document,
        "text": document.shown,
        "versions": list(document.versions.all()),
        "breadcrumbs": crumbs((_("Maler"), reverse("website:documents")), document.shown.title),
        "og": _og(document.shown.title, markdown.plain(document.shown.body)),
    }
    return render(request, "website/document_detail.html", context)


@login_not_required
@cache_control(public=True, max_age=3600)
def document_file(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    """A template's file, for anyone to download (of a published template)."""
    version = get_object_or_404(DocumentVersion.objects.filter(document__in=Document.objects.published()), pk=pk)
    if version.filename != filename:
        raise Http404
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.filename)


@login_not_required
@cache_control(public=True, max_age=86400)
def image(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    """A picture of the image library, served from Django's storage."""
    picture = get_object_or_404(Image, pk=pk)
    if picture.file.name.rsplit("/", 1)[-1] != filename:
        raise Http404
    return FileResponse(picture.file.open("rb"))


@login_not_required
def language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Choose the language by a link (no form, so public pages need no CSRF cookie and stay cacheable).

    The choice is kept in Django's language cookie, for visitors and staff alike, and on a signed-in user;
    `next` (a path on this site) is where to go back to. A code the site does not offer changes nothing.
    """
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        remember_language(response, code)
        user_language_set(user=request.user, language=code)
    return response
