"""The offices' publishing pages under /nettsted/: news, pages, questions and answers, templates, images, contact.

Each office's staff write their own section, the coordinator the national part (`services.section_office`).
A row of another office's section is not found (404, `visible_to`); a row the user sees but may not change
(the national part, for office staff) answers 403 (`accounts.abilities`). Every save keeps the change in the
history and a revision that can be restored.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.abilities import may, require
from accounts.models import Role
from core import history
from core.editing import confirm_page, delete_page, form_page
from core.lists import Column, list_page, render_list
from core.navigation import crumbs
from core.paths import path_for
from office.models import Inquiry
from website import services
from website.forms import (
    ArticleForm,
    ContactPersonForm,
    ContentFilterForm,
    DocumentFilterForm,
    DocumentForm,
    DocumentVersionForm,
    ImageForm,
    OfficeProfileForm,
    QuestionFilterForm,
    QuestionForm,
)
from website.models import (
    Article,
    ContactPerson,
    Document,
    DocumentVersion,
    Image,
    OfficeProfile,
    Question,
    Revision,
)
from website.views import article_page

KIND_TITLES = {
    Article.Kind.NEWS: (gettext_lazy("Nyheter"), gettext_lazy("Ny nyhet"), gettext_lazy("Endre nyhet")),
    Article.Kind.PAGE: (gettext_lazy("Sider"), gettext_lazy("Ny side"), gettext_lazy("Endre side")),
}


def _when(value) -> str:
    return date_format(value, "d.m.Y H:i") if value else ""


def _edit_or_preview(user, row, edit: str, preview: str | None = None) -> str | None:
    if may(user, "change", row):
        return reverse(edit, args=[row.pk])
    return reverse(preview, args=[row.pk]) if preview else None


def _section_label(row) -> str:
    return row.section_name


def _crumbs(*levels):
    return crumbs((_("Nettsted"), reverse("publishing:index")), *levels)


# --- The start page of publishing -------------------------------------------------------------------------


def writers_only(view: Callable) -> Callable:
    """The publishing pages are for those who write: office staff, the coordinator, the administrator (403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may(request.user, "add", Article):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@writers_only
def index(request: HttpRequest) -> HttpResponse:
    """What the user's section has, and where to write."""
    user = request.user
    section = services.section_office(user)

    def count(model, **filters) -> dict:
        rows = model.objects.in_section(section).filter(**filters)
        return {"all": rows.count(), "drafts": rows.filter(status="draft").count()}

    context = {
        "site_section": section,
        "counts": [
            (_("Nyheter"), count(Article, kind=Article.Kind.NEWS), reverse("publishing:news_list")),
            (_("Sider"), count(Article, kind=Article.Kind.PAGE), reverse("publishing:page_list")),
            (_("Spørsmål og svar"), count(Question), reverse("publishing:question_list")),
            (_("Maler"), count(Document), reverse("publishing:document_list")),
        ],
        "images": Image.objects.in_section(section).count(),
        "public_url": reverse("website:office_home", args=[section.code]) if section else reverse("website:home"),
    }
    return render(request, "website/manage/index.html", context)


# --- News and pages ---------------------------------------------------------------------------------------


def _article_columns(user) -> list[Column]:
    return [
        Column(
            "title",
            gettext_lazy("Tittel"),
            ("title",),
            link=lambda a: _edit_or_preview(user, a, "publishing:article_edit", "publishing:article_preview"),
        ),
        Column("section", gettext_lazy("Del av nettstedet"), ("office__ordering", "title"), value=_section_label),
        Column("state", gettext_lazy("Status"), ("status", "publish_at"), value=lambda a: a.state_label),
        Column(
            "date",
            gettext_lazy("Publiseres/publisert"),
            ("publish_at", "created_at"),
            value=lambda a: _when(a.shown_date),
        ),
        Column("updated", gettext_lazy("Sist endret"), ("updated_at",), value=lambda a: _when(a.updated_at)),
    ]


def _article_list(request: HttpRequest, kind: str) -> HttpResponse:
    form = ContentFilterForm(request.GET, user=request.user)
    rows = Article.objects.visible_to(request.user).filter(kind=kind).select_related("office")
    title, add_title, _edit = KIND_TITLES[kind]
    listing = list_page(
        request,
        form.filter(rows),
        columns=_article_columns(request.user),
        default_sort="-updated",
        caption=str(title),
        empty_text=_("Ingen å vise."),
    )
    add = "publishing:news_create" if kind == Article.Kind.NEWS else "publishing:page_create"
    context = {
        "form": form,
        "title": title,
        "add_url": reverse(add) if may(request.user, "add", Article) else "",
        "add_label": add_title,
        "breadcrumbs": _crumbs(str(title)),
    }
    return render_list(request, "website/manage/content_list.html", listing, context)


@writers_only
def news_list(request: HttpRequest) -> HttpResponse:
    return _article_list(request, Article.Kind.NEWS)


@writers_only
def page_list(request: HttpRequest) -> HttpResponse:
    return _article_list(request, Article.Kind.PAGE)


def _list_url(kind: str) -> str:
    return reverse("publishing:news_list" if kind == Article.Kind.NEWS else "publishing:page_list")


def _article_form(request: HttpRequest, article: Article, title: str) -> HttpResponse:
    list_title = KIND_TITLES[article.kind][0]

    def on_saved(saved: Article) -> None:
        services.revision_save(instance=saved, by=request.user)

    return form_page(
        request,
        ArticleForm,
        instance=article,
        title=title,
        saved_message=_("Lagret. Forhåndsvis, eller se den på nettstedet når den er publisert."),
        success_url=lambda saved: reverse("publishing:article_edit", args=[saved.pk]),
        cancel_url=_list_url(article.kind),
        breadcrumbs=_crumbs((str(list_title), _list_url(article.kind))),
        on_saved=on_saved,
        template="website/manage/article_form.html",
        context={"article": article if article.pk else None},
    )


@writers_only
@transaction.atomic
def news_create(request: HttpRequest) -> HttpResponse:
    article = Article(kind=Article.Kind.NEWS, office=services.section_office(request.user))
    return _article_form(request, article, str(KIND_TITLES[Article.Kind.NEWS][1]))


@writers_only
@transaction.atomic
def page_create(request: HttpRequest) -> HttpResponse:
    article = Article(kind=Article.Kind.PAGE, office=services.section_office(request.user))
    return _article_form(request, article, str(KIND_TITLES[Article.Kind.PAGE][1]))


def _visible_article(request: HttpRequest, pk: int) -> Article:
    return get_object_or_404(Article.objects.visible_to(request.user).select_related("office", "image"), pk=pk)


@writers_only
@transaction.atomic
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _visible_article(request, pk)
    return _article_form(request, article, str(KIND_TITLES[article.kind][2]))


@writers_only
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The article as the public will see it, drafts too, with a note that it is a preview."""
    return article_page(request, _visible_article(request, pk), preview=True)


@writers_only
def article_delete(request: HttpRequest, pk: int) -> HttpResponse:
    article = _visible_article(request, pk)
    if article.role:
        blocked = _("Denne siden lenkes til fra hele nettstedet og kan ikke slettes. Endre teksten i stedet.")
    else:
        blocked = ""
    return delete_page(
        request,
        article,
        title=_("Slette «%(title)s»?") % {"title": article.title},
        question=_("Den forsvinner fra nettstedet og feeden. Historikken tar vare på at den fantes."),
        deleted_message=_("Slettet."),
        success_url=_list_url(article.kind),
        breadcrumbs=_crumbs((str(KIND_TITLES[article.kind][0]), _list_url(article.kind))),
        blocked=blocked,
    )


def _revisions_page(request: HttpRequest, row, *, title: str, edit_url: str, list_crumb: tuple) -> HttpResponse:
    context = {
        "row": row,
        "title": title,
        "revisions": services.revisions_of(row),
        "changes": history.history_of(row, user=request.user),
        "may_change": may(request.user, "change", row),
        "edit_url": edit_url,
        "breadcrumbs": _crumbs(list_crumb, (str(row), edit_url), title),
    }
    return render(request, "website/manage/revisions.html", context)


@writers_only
def article_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    article = _visible_article(request, pk)
    list_crumb = (str(KIND_TITLES[article.kind][0]), _list_url(article.kind))
    return _revisions_page(
        request,
        article,
        title=_("Versjoner"),
        edit_url=reverse("publishing:article_edit", args=[pk]),
        list_crumb=list_crumb,
    )


@writers_only
def revision_restore(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(Revision.objects.select_related("content_type", "by"), pk=pk)
    model = revision.content_type.model_class()
    if model not in services.REVISED_FIELDS:
        return HttpResponse(status=404)
    row = get_object_or_404(model.objects.visible_to(request.user), pk=revision.object_id)
    require(request.user, "change", row)
    if model is Article:
        back = reverse("publishing:article_revisions", args=[row.pk])
        edit = reverse("publishing:article_edit", args=[row.pk])
    else:
        back = reverse("publishing:question_revisions", args=[row.pk])
        edit = reverse("publishing:question_edit", args=[row.pk])
    data = revision.data
    facts = [
        (_("Versjon"), revision.number),
        (_("Lagret"), _when(revision.at)),
        (_("Av"), (revision.by.get_full_name() or revision.by.username) if revision.by else "–"),
        (_("Tittel") if model is Article else _("Spørsmål"), data.get("title") or data.get("question", "")),
    ]

    def act() -> str:
        services.revision_restore(revision=revision, by=request.user)
        return _("Versjon %(number)d er gjenopprettet som den nyeste.") % {"number": revision.number}

    return confirm_page(
        request,
        title=_("Gjenopprette versjon %(number)d?") % {"number": revision.number},
        question=_(
            "Teksten blir som i denne versjonen. Status og publiseringstidspunkt beholdes som nå; "
            "det du har nå, finnes fortsatt blant versjonene."
        ),
        confirm_label=_("Gjenopprett"),
        act=act,
        success_url=edit,
        cancel_url=back,
        facts=facts,
        breadcrumbs=_crumbs((str(row), edit), (_("Versjoner"), back)),
    )


# --- Questions and answers --------------------------------------------------------------------------------


def _question_columns(user) -> list[Column]:
    return [
        Column(
            "question",
            gettext_lazy("Spørsmål"),
            ("question",),
            link=lambda q: _edit_or_preview(user, q, "publishing:question_edit"),
        ),
        Column("section", gettext_lazy("Del av nettstedet"), ("office__ordering", "question"), value=_section_label),
        Column("state", gettext_lazy("Status"), ("status", "publish_at"), value=lambda q: q.state_label),
        Column("updated", gettext_lazy("Sist endret"), ("updated_at",), value=lambda q: _when(q.updated_at)),
    ]


@writers_only
def question_list(request: HttpRequest) -> HttpResponse:
    form = QuestionFilterForm(request.GET, user=request.user)
    rows = Question.objects.visible_to(request.user).select_related("office")
    listing = list_page(
        request,
        form.filter(rows),
        columns=_question_columns(request.user),
        default_sort="-updated",
        caption=_("Spørsmål og svar"),
        empty_text=_("Ingen å vise."),
    )
    writes = may(request.user, "add", Question)
    context = {
        "form": form,
        "title": _("Spørsmål og svar"),
        "add_url": reverse("publishing:question_create") if writes else "",
        "add_label": _("Nytt spørsmål og svar"),
        "inquiry_url": reverse("publishing:inquiry_pick") if writes and request.user.role == Role.OFFICE_STAFF else "",
        "breadcrumbs": _crumbs(_("Spørsmål og svar")),
    }
    return render_list(request, "website/manage/content_list.html", listing, context)


def _question_form(
    request: HttpRequest, question: Question, title: str, *, initial: dict | None = None, inquiry: Inquiry | None = None
) -> HttpResponse:
    def on_saved(saved: Question) -> None:
        services.revision_save(instance=saved, by=request.user)

    return form_page(
        request,
        QuestionForm,
        instance=question,
        title=title,
        saved_message=_("Spørsmålet og svaret er lagret."),
        success_url=lambda saved: reverse("publishing:question_edit", args=[saved.pk]),
        cancel_url=reverse("publishing:question_list"),
        breadcrumbs=_crumbs((_("Spørsmål og svar"), reverse("publishing:question_list"))),
        on_saved=on_saved,
        form_kwargs={"initial": initial} if initial else None,
        template="website/manage/question_form.html",
        context={"question": question if question.pk else None, "inquiry": inquiry},
    )


@writers_only
@transaction.atomic
def question_create(request: HttpRequest) -> HttpResponse:
    question = Question(office=services.section_office(request.user))
    return _question_form(request, question, _("Nytt spørsmål og svar"))


@writers_only
def inquiry_pick(request: HttpRequest) -> HttpResponse:
    """The office's inquiries to make a question and answer from (newest first; those already used marked)."""
    office = _own_office(request)  # inquiries belong to an office's log
    require(request.user, "add", Question(office=office))
    used = Question.objects.filter(source_inquiry=OuterRef("pk"))
    rows = (
        Inquiry.objects.visible_to(request.user)
        .filter(office=office)
        .annotate(used=Exists(used))
        .prefetch_related("topics")
        .order_by("-date", "-pk")
    )
    columns = [
        Column(
            "date",
            gettext_lazy("Dato"),
            ("date",),
            value="date",
            link=lambda i: path_for("publishing:question_from_inquiry")(i.pk),
        ),
        Column("topics", gettext_lazy("Emner"), value=lambda i: ", ".join(t.name for t in i.topics.all())),
        Column("sender", gettext_lazy("Fra"), ("sender",), value="get_sender_display"),
        Column("used", gettext_lazy("Allerede brukt"), ("used",), value="used"),
    ]
    listing = list_page(
        request,
        rows,
        columns=columns,
        default_sort="-date",
        caption=_("Henvendelser"),
        empty_text=_("Kontoret har ingen henvendelser i loggen."),
    )
    context = {
        "title": _("Velg en henvendelse"),
        "intro": _(
            "Spørsmålet og svaret skrives av deg: ingenting fra henvendelsen kopieres, bortsett fra emnene. "
            "Skriv det slik at ingen kan kjennes igjen."
        ),
        "breadcrumbs": _crumbs((_("Spørsmål og svar"), reverse("publishing:question_list")), _("Velg en henvendelse")),
    }
    return render_list(request, "website/manage/content_list.html", listing, context)


@writers_only
@transaction.atomic
def question_from_inquiry(request: HttpRequest, pk: int) -> HttpResponse:
    """A new question and answer from an inquiry: only its topics are filled in; the staff write the text."""
    office = _own_office(request)
    inquiry = get_object_or_404(Inquiry.objects.visible_to(request.user).filter(office=office), pk=pk)
    question = Question(office=office, source_inquiry=inquiry)
    initial = {"topics": list(inquiry.topics.values_list("pk", flat=True))}
    return _question_form(request, question, _("Nytt spørsmål og svar"), initial=initial, inquiry=inquiry)


def _visible_question(request: HttpRequest, pk: int) -> Question:
    return get_object_or_404(Question.objects.visible_to(request.user).select_related("office"), pk=pk)


@writers_only
@transaction.atomic
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_form(request, _visible_question(request, pk), _("Endre spørsmål og svar"))


@writers_only
def question_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    question = _visible_question(request, pk)
    return _revisions_page(
        request,
        question,
        title=_("Versjoner"),
        edit_url=reverse("publishing:question_edit", args=[pk]),
        list_crumb=(_("Spørsmål og svar"), reverse("publishing:question_list")),
    )


@writers_only
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _visible_question(request, pk)
    return delete_page(
        request,
        question,
        title=_("Slette spørsmålet?"),
        question=_("Det forsvinner fra nettstedet. Henvendelsen i loggen berøres ikke."),
        deleted_message=_("Spørsmålet og svaret er slettet."),
        success_url=reverse("publishing:question_list"),
        breadcrumbs=_crumbs((_("Spørsmål og svar"), reverse("publishing:question_list"))),
    )


# --- The templates library --------------------------------------------------------------------------------


def _document_crumbs(*levels):
    return _crumbs((_("Maler"), reverse("publishing:document_list")), *levels)


@writers_only
def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET, user=request.user)
    rows = Document.objects.visible_to(request.user).select_related("office")
    columns = [
        Column("title", gettext_lazy("Tittel"), ("title",), link=lambda d: path_for("publishing:document")(d.pk)),
        Column("category", gettext_lazy("Kategori"), ("category", "title"), value="get_category_display"),
        Column("section", gettext_lazy("Del av nettstedet"), ("office__ordering", "title"), value=_section_label),
        Column("state", gettext_lazy("Status"), ("status", "publish_at"), value=lambda d: d.state_label),
    ]
    listing = list_page(
        request,
        form.filter(rows),
        columns=columns,
        default_sort="title",
        caption=_("Maler"),
        empty_text=_("Ingen å vise."),
    )
    context = {
        "form": form,
        "title": _("Maler"),
        "add_url": reverse("publishing:document_create") if may(request.user, "add", Document) else "",
        "add_label": _("Ny mal"),
        "breadcrumbs": _crumbs(_("Maler")),
    }
    return render_list(request, "website/manage/content_list.html", listing, context)


def _visible_document(request: HttpRequest, pk: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user).select_related("office"), pk=pk)


@writers_only
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A template with its files (current and old) and its history."""
    doc = _visible_document(request, pk)
    versions = list(doc.versions.select_related("uploaded_by"))
    context = {
        "document": doc,
        "versions": versions,
        "changes": history.history_of(doc, user=request.user),
        "breadcrumbs": _document_crumbs(doc.title),
    }
    return render(request, "website/manage/document.html", context)


@writers_only
def document_create(request: HttpRequest) -> HttpResponse:
    doc = Document(office=services.section_office(request.user))
    return form_page(
        request,
        DocumentForm,
        instance=doc,
        title=_("Ny mal"),
        saved_message=_("Malen er lagret. Last opp filen."),
        success_url=lambda saved: reverse("publishing:version_create", args=[saved.pk]),
        cancel_url=reverse("publishing:document_list"),
        breadcrumbs=_document_crumbs(),
    )


@writers_only
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _visible_document(request, pk)
    return form_page(
        request,
        DocumentForm,
        instance=doc,
        title=_("Endre mal"),
        saved_message=_("Malen er lagret."),
        success_url=reverse("publishing:document", args=[doc.pk]),
        breadcrumbs=_document_crumbs((doc.title, reverse("publishing:document", args=[doc.pk]))),
    )


@writers_only
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _visible_document(request, pk)
    return delete_page(
        request,
        doc,
        title=_("Slette malen?"),
        question=_("Malen og alle filene dens forsvinner fra nettstedet."),
        deleted_message=_("Malen er slettet."),
        success_url=reverse("publishing:document_list"),
        breadcrumbs=_document_crumbs((doc.title, reverse("publishing:document", args=[doc.pk]))),
        facts=[(_("Filer"), doc.versions.count())],
    )


@writers_only
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _visible_document(request, pk)
    version = DocumentVersion(document=doc)
    require(request.user, "add", version)
    form = DocumentVersionForm(request.POST or None, request.FILES or None, instance=version)
    if request.method == "POST" and form.is_valid():
        services.document_version_add(version=form.save(commit=False), by=request.user)
        messages.success(request, _("Filen er lastet opp."))
        return redirect("publishing:document", pk=doc.pk)
    context = {
        "form": form,
        "title": _("Last opp fil"),
        "cancel_url": reverse("publishing:document", args=[doc.pk]),
        "breadcrumbs": _document_crumbs((doc.title, reverse("publishing:document", args=[doc.pk])), _("Last opp fil")),
    }
    return render(request, "core/form_page.html", context)


@writers_only
def version_make_current(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(
        DocumentVersion.objects.filter(document__in=Document.objects.visible_to(request.user)).select_related(
            "document"
        ),
        pk=pk,
    )
    require(request.user, "change", version)
    doc = version.document

    def act() -> str:
        services.document_version_make_current(version=version, by=request.user)
        return _("«%(label)s» er nå gjeldende versjon.") % {"label": version.label}

    return confirm_page(
        request,
        title=_("Gjøre «%(label)s» gjeldende?") % {"label": version.label},
        question=_("Den lastes ned fra nettstedet i stedet for den som er gjeldende nå; den gamle beholdes."),
        confirm_label=_("Gjør gjeldende"),
        act=act,
        success_url=reverse("publishing:document", args=[doc.pk]),
        breadcrumbs=_document_crumbs((doc.title, reverse("publishing:document", args=[doc.pk]))),
        blocked=_("Denne versjonen er allerede gjeldende.") if version.is_current else "",
    )


# --- Images -----------------------------------------------------------------------------------------------


def _image_crumbs(*levels):
    return _crumbs((_("Bilder"), reverse("publishing:image_list")), *levels)


@writers_only
def image_list(request: HttpRequest) -> HttpResponse:
    form = ContentFilterForm(request.GET, user=request.user)
    del form.fields["status"]
    form.search_fields = ("alt", "credit")
    rows = Image.objects.visible_to(request.user).select_related("office")

    def thumb(image: Image):
        return format_html('<img class="thumb" src="{}" alt="" width="96" height="64">', image.url)

    columns = [
        Column(
            "alt",
            gettext_lazy("Alternativ tekst"),
            ("alt",),
            link=lambda i: path_for("publishing:image_edit")(i.pk) if may(request.user, "change", i) else None,
        ),
        Column("picture", gettext_lazy("Bilde"), value=thumb),
        Column("code", gettext_lazy("Skriv i teksten"), value=lambda i: format_html("<code>{}</code>", i.markdown)),
        Column("section", gettext_lazy("Del av nettstedet"), ("office__ordering", "alt"), value=_section_label),
        Column("uploaded", gettext_lazy("Lastet opp"), ("uploaded_at",), value=lambda i: _when(i.uploaded_at)),
    ]
    listing = list_page(
        request,
        form.filter(rows),
        columns=columns,
        default_sort="-uploaded",
        caption=_("Bilder"),
        empty_text=_("Ingen bilder ennå."),
    )
    context = {
        "form": form,
        "title": _("Bilder"),
        "add_url": reverse("publishing:image_create") if may(request.user, "add", Image) else "",
        "add_label": _("Last opp bilde"),
        "breadcrumbs": _crumbs(_("Bilder")),
    }
    return render_list(request, "website/manage/content_list.html", listing, context)


@writers_only
def image_create(request: HttpRequest) -> HttpResponse:
    image = Image(office=services.section_office(request.user))
    require(request.user, "add", image)
    form = ImageForm(request.POST or None, request.FILES or None, instance=image)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            history.record(instance=saved, by=request.user, before=None)
        messages.success(
            request, _("Bildet er lastet opp. Skriv %(code)s i en tekst for å vise det.") % {"code": saved.markdown}
        )
        return redirect("publishing:image_list")
    context = {
        "form": form,
        "title": _("Last opp bilde"),
        "cancel_url": reverse("publishing:image_list"),
        "breadcrumbs": _image_crumbs(_("Last opp bilde")),
    }
    return render(request, "core/form_page.html", context)


def _visible_image(request: HttpRequest, pk: int) -> Image:
    return get_object_or_404(Image.objects.visible_to(request.user), pk=pk)


@writers_only
def image_edit(request: HttpRequest, pk: int) -> HttpResponse:
    image = _visible_image(request, pk)
    return form_page(
        request,
        ImageForm,
        instance=image,
        title=_("Endre bilde"),
        saved_message=_("Bildet er lagret."),
        success_url=reverse("publishing:image_list"),
        breadcrumbs=_image_crumbs(),
        template="website/manage/image_form.html",
        context={"image": image},
    )


@writers_only
def image_delete(request: HttpRequest, pk: int) -> HttpResponse:
    image = _visible_image(request, pk)
    used = Article.objects.filter(image=image).count()
    return delete_page(
        request,
        image,
        title=_("Slette bildet?"),
        question=_("Bildet forsvinner fra nettstedet, også fra tekster som viser det."),
        deleted_message=_("Bildet er slettet."),
        success_url=reverse("publishing:image_list"),
        breadcrumbs=_image_crumbs(),
        facts=[(_("Alternativ tekst"), image.alt), (_("Hovedbilde i artikler"), used)],
    )


# --- The office's contact ---------------------------------------------------------------------------------


def _own_office(request: HttpRequest):
    office = services.section_office(request.user)
    if office is None:
        raise PermissionDenied  # the national part has no contact page of its own: each office has one
    return office


@writers_only
def profile_edit(request: HttpRequest) -> HttpResponse:
    office = _own_office(request)
    profile = OfficeProfile.objects.filter(office=office).first() or OfficeProfile(office=office)
    return form_page(
        request,
        OfficeProfileForm,
        instance=profile,
        title=_("Kontaktinformasjon for %(office)s") % {"office": office.name},
        saved_message=_("Kontaktinformasjonen er lagret."),
        success_url=reverse("publishing:profile"),
        cancel_url=reverse("publishing:index"),
        breadcrumbs=_crumbs(),
        template="website/manage/profile_form.html",
        context={"people": ContactPerson.objects.filter(office=office), "office": office},
    )


def _person_crumbs():
    return _crumbs((_("Kontaktinformasjon"), reverse("publishing:profile")))


@writers_only
def person_create(request: HttpRequest) -> HttpResponse:
    person = ContactPerson(office=_own_office(request))
    return form_page(
        request,
        ContactPersonForm,
        instance=person,
        title=_("Ny kontaktperson"),
        saved_message=_("Kontaktpersonen er lagret."),
        success_url=reverse("publishing:profile"),
        breadcrumbs=_person_crumbs(),
    )


def _visible_person(request: HttpRequest, pk: int) -> ContactPerson:
    return get_object_or_404(ContactPerson.objects.visible_to(request.user), pk=pk)


@writers_only
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return form_page(
        request,
        ContactPersonForm,
        instance=_visible_person(request, pk),
        title=_("Endre kontaktperson"),
        saved_message=_("Kontaktpersonen er lagret."),
        success_url=reverse("publishing:profile"),
        breadcrumbs=_person_crumbs(),
    )


@writers_only
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    return delete_page(
        request,
        person,
        title=_("Fjerne %(name)s fra nettstedet?") % {"name": person.name},
        question=_("Personen vises ikke lenger på kontorets kontaktside."),
        deleted_message=_("Kontaktpersonen er fjernet."),
        success_url=reverse("publishing:profile"),
        breadcrumbs=_person_crumbs(),
    )
