"""The public website's content, written by the offices themselves.

Every row belongs to a section: an office's (`office` set) or the national part (`office` empty), which the
national coordinator writes. News and pages (`Article`), questions and answers (`Question`) and the
templates library (`Document` with its `DocumentVersion`s) are drafts until published, and published rows
with a `publish_at` in the future appear then. Text is Markdown, rendered and sanitised on the way out
(`website.markdown`); each text has a bokmål version and an optional nynorsk one (`shown`).

Staff read the rows of their own section and the national ones (`visible_to`); what they may change is
asked of `accounts.abilities` (the office's staff their section, the coordinator the national part).
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.models import Versioned
from core.scoping import NOTHING
from office.models import Inquiry, InquiryTopic
from registry.models import Office

NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def norwegian_slug(text: str) -> str:
    """An address part from a title: «Nytt kurs i Førde» → «nytt-kurs-i-forde» (æ, ø, å spelt out)."""
    return slugify(text.translate(NORWEGIAN_LETTERS))[:80].strip("-")


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publisert")


class SectionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "SectionQuerySet":
        """Staff see their own office's section and the national part; everyone else signed in sees all.

        Another office's row is not found (404); a row the user sees but may not change answers 403.
        """
        if not user.is_authenticated:
            return self.filter(NOTHING)
        if user.role == Role.OFFICE_STAFF:
            return self.filter(Q(office__isnull=True) | Q(office_id=user.office_id))
        return self

    def in_section(self, office: Office | None) -> "SectionQuerySet":
        return self.filter(office__isnull=True) if office is None else self.filter(office=office)

    def published(self, now=None) -> "SectionQuerySet":
        """What the public sees: published, and the publishing time (if any) has come."""
        now = now or timezone.now()
        return self.filter(status=Status.PUBLISHED).filter(Q(publish_at__isnull=True) | Q(publish_at__lte=now))


@dataclass(frozen=True)
class Text:
    """A row's text in the language shown: the nynorsk version where the reader chose nynorsk and it exists."""

    title: str
    summary: str
    body: str
    lang: str  # the language of the text ("nb" or "nn"), for the lang attribute


def _shown(row: models.Model, title: str, summary: str, body: str) -> Text:
    """Pick the nynorsk fields (`<name>_nn`) when the current language is nynorsk and the title is written."""
    if (get_language() or "").startswith("nn") and getattr(row, f"{title}_nn"):
        suffix, lang = "_nn", "nn"
    else:
        suffix, lang = "", "nb"

    def value(name: str) -> str:
        return getattr(row, f"{name}{suffix}", "") if name else ""

    return Text(value(title), value(summary), value(body), lang)


class Section(Versioned):
    """What every piece of content has: its section, its publishing state and when it was written."""

    office = models.ForeignKey(
        Office,
        verbose_name=_("ALIS-kontor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Tomt: den nasjonale delen."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("publiseres"),
        null=True,
        blank=True,
        help_text=_("Tomt: med en gang den er publisert. Et tidspunkt fram i tid: vises først da."),
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def section_name(self) -> str:
        return self.office.name if self.office_id else str(_("Nasjonalt"))

    def is_public(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == Status.PUBLISHED and (self.publish_at is None or self.publish_at <= now)

    @property
    def state_label(self) -> str:
        """«Utkast», «Publisert» or «Planlagt 01.06.2026 08:00»."""
        if self.status == Status.PUBLISHED and self.publish_at and self.publish_at > timezone.now():
            when = timezone.localtime(self.publish_at).strftime("%d.%m.%Y %H:%M")
            return str(_("Planlagt %(when)s")) % {"when": when}
        return self.get_status_display()

    @property
    def shown_date(self):
        """The date the public sees: when it was (or will be) published, else when it was written."""
        return self.publish_at or self.created_at


def _section_path(office: Office | None) -> list:
    return [office.code] if office is not None else []


class Image(Versioned):
    """A picture for news and pages, stored through Django's storage; the alternative text is required."""

    office = models.ForeignKey(
        Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.ImageField(
        _("bildefil"), upload_to="nettsted/bilder/%Y/", width_field="width", height_field="height", max_length=200
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    alt = models.CharField(
        _("alternativ tekst"),
        max_length=250,
        help_text=_("Hva bildet viser, for dem som ikke ser det (skjermleser). Påkrevd."),
    )
    credit = models.CharField(_("fotograf eller kilde"), max_length=150, blank=True)
    uploaded_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("bilde")
        verbose_name_plural = _("bilder")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(alt=""), name="website_image_has_alt")]

    def __str__(self) -> str:
        return self.alt

    @property
    def section_name(self) -> str:
        return self.office.name if self.office_id else str(_("Nasjonalt"))

    @property
    def url(self) -> str:
        return reverse("website:image", args=[self.pk, PurePath(self.file.name).name])

    @property
    def markdown(self) -> str:
        """What to write in a text to show the picture."""
        return f"![{self.alt}](bilde:{self.pk})"


class Article(Section):
    """A news item or a content page of a section, in Markdown."""

    class Kind(models.TextChoices):
        NEWS = "news", _("Nyhet")
        PAGE = "page", _("Side")

    class Role(models.TextChoices):
        """National pages the site links to from everywhere (at most one of each)."""

        NONE = "", _("Vanlig side")
        ABOUT = "about", _("Om ALIS og ALIS-kontorene")
        PRIVACY = "privacy", _("Personvernerklæring")
        ACCESSIBILITY = "accessibility", _("Tilgjengelighetserklæring")

    kind = models.CharField(_("type"), max_length=10, choices=Kind)
    role = models.CharField(_("fast side"), max_length=20, choices=Role, blank=True, default=Role.NONE)
    slug = models.SlugField(
        _("adresse"),
        max_length=80,
        help_text=_("Siste del av nettadressen: små bokstaver, tall og bindestrek. Tomt: lages fra tittelen."),
    )
    title = models.CharField(_("tittel"), max_length=200)
    summary = models.CharField(
        _("ingress"),
        max_length=300,
        blank=True,
        help_text=_("Én eller to setninger; vises i lister, feed og ved deling."),
    )
    body = models.TextField(
        _("tekst"), blank=True, help_text=_("Markdown: **fet**, *kursiv*, ## overskrift, - punkt, [lenke](https://…).")
    )
    title_nn = models.CharField(_("tittel (nynorsk)"), max_length=200, blank=True)
    summary_nn = models.CharField(_("ingress (nynorsk)"), max_length=300, blank=True)
    body_nn = models.TextField(_("tekst (nynorsk)"), blank=True)
    image = models.ForeignKey(
        Image, verbose_name=_("hovedbilde"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ordering = models.PositiveSmallIntegerField(
        _("rekkefølge"), default=0, help_text=_("Sider med lavere tall står først i menyen.")
    )

    class Meta:
        verbose_name = _("artikkel")
        verbose_name_plural = _("artikler")
        ordering = ["-publish_at", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "slug"], condition=Q(office__isnull=False), name="website_article_office_slug"
            ),
            models.UniqueConstraint(
                fields=["kind", "slug"], condition=Q(office__isnull=True), name="website_article_national_slug"
            ),
            models.UniqueConstraint(fields=["role"], condition=~Q(role=""), name="website_article_one_per_role"),
            models.CheckConstraint(
                condition=Q(role="") | Q(office__isnull=True, kind="page"), name="website_article_role_national_page"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status", "publish_at"], name="website_article_listing")]

    def __str__(self) -> str:
        return self.title

    @property
    def shown(self) -> Text:
        return _shown(self, "title", "summary", "body")

    def get_absolute_url(self) -> str:
        if self.role:
            return reverse(
                {"about": "website:about", "privacy": "website:privacy"}.get(self.role, "website:accessibility")
            )
        name = "news_detail" if self.kind == self.Kind.NEWS else "page_detail"
        if self.office_id:
            return reverse(f"website:office_{name}", args=[self.office.code, self.slug])
        return reverse(f"website:{name}", args=[self.slug])


class Question(Section):
    """A question and answer, often made from an inquiry in the office's log, without the person."""

    question = models.CharField(_("spørsmål"), max_length=300)
    answer = models.TextField(_("svar"), help_text=_("Markdown, som i nyheter og sider."))
    question_nn = models.CharField(_("spørsmål (nynorsk)"), max_length=300, blank=True)
    answer_nn = models.TextField(_("svar (nynorsk)"), blank=True)
    topics = models.ManyToManyField(InquiryTopic, verbose_name=_("emner"), related_name="+", blank=True)
    # Which inquiry it was made from (for the office; never shown publicly, nothing copied from it).
    source_inquiry = models.ForeignKey(
        Inquiry,
        verbose_name=_("laget fra henvendelse"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("spørsmål og svar")
        verbose_name_plural = _("spørsmål og svar")
        ordering = ["question", "pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def shown(self) -> Text:
        return _shown(self, "question", "", "answer")

    def get_absolute_url(self) -> str:
        return reverse("website:questions") + f"#sporsmal-{self.pk}"


class Document(Section):
    """A template in the library (ALIS agreement, education plan …); its files are its versions."""

    class Category(models.TextChoices):
        ALIS_AGREEMENT = "alis_agreement", _("ALIS-avtale")
        EDUCATION_PLAN = "education_plan", _("Utdanningsplan")
        TRUST_AGREEMENT = "trust_agreement", _("Avtale kommune–helseforetak")
        SUPERVISION = "supervision", _("Veiledning")
        GRANTS = "grants", _("Tilskudd")
        OTHER = "other", _("Annet")

    category = models.CharField(_("kategori"), max_length=20, choices=Category)
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(
        _("beskrivelse"), blank=True, help_text=_("Hva malen er til, og hvordan den brukes.")
    )
    title_nn = models.CharField(_("tittel (nynorsk)"), max_length=200, blank=True)
    description_nn = models.TextField(_("beskrivelse (nynorsk)"), blank=True)

    class Meta:
        verbose_name = _("mal")
        verbose_name_plural = _("maler")
        ordering = ["category", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def shown(self) -> Text:
        return _shown(self, "title", "", "description")

    def get_absolute_url(self) -> str:
        return reverse("website:document_detail", args=[self.pk])


def document_upload_to(version: "DocumentVersion", filename: str) -> str:
    return f"nettsted/maler/{version.document_id}/{filename}"


class DocumentVersion(models.Model):
    """One file of a template; the current one is marked, the old ones are kept."""

    document = models.ForeignKey(Document, verbose_name=_("mal"), on_delete=models.CASCADE, related_name="versions")
    file = models.FileField(_("fil"), upload_to=document_upload_to, max_length=250)
    label = models.CharField(
        _("versjon"), max_length=100, help_text=_("For eksempel «2025» eller «Revidert mars 2025».")
    )
    note = models.CharField(_("hva er endret"), max_length=300, blank=True)
    is_current = models.BooleanField(_("gjeldende"), default=True)
    size = models.PositiveIntegerField(_("størrelse (byte)"), default=0, editable=False)
    uploaded_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lastet opp av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("versjon av mal")
        verbose_name_plural = _("versjoner av maler")
        ordering = ["-is_current", "-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"], condition=Q(is_current=True), name="website_documentversion_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document.title}: {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("website:document_file", args=[self.pk, self.filename])

    @property
    def filename(self) -> str:
        return PurePath(self.file.name).name

    @property
    def extension(self) -> str:
        return PurePath(self.file.name).suffix.lstrip(".").upper()


class OfficeProfile(Versioned):
    """What an office says about itself on its section's front page, and how to reach it."""

    office = models.OneToOneField(
        Office, verbose_name=_("ALIS-kontor"), on_delete=models.CASCADE, related_name="site_profile"
    )
    intro = models.TextField(_("om kontoret"), blank=True, help_text=_("Markdown. Vises øverst på kontorets side."))
    intro_nn = models.TextField(_("om kontoret (nynorsk)"), blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    address = models.CharField(_("besøksadresse"), max_length=200, blank=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("kontorets kontaktinformasjon")
        verbose_name_plural = _("kontorenes kontaktinformasjon")

    def __str__(self) -> str:
        return str(self.office)

    @property
    def shown_intro(self) -> Text:
        return _shown(self, "intro", "", "intro")


class ContactPerson(Versioned):
    """A person the public can contact at an office (written by the office: nothing copied from the staff list)."""

    office = models.ForeignKey(Office, verbose_name=_("ALIS-kontor"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("navn"), max_length=150)
    title = models.CharField(_("rolle"), max_length=150, help_text=_("For eksempel «Rådgiver» eller «Lege, 20 %»."))
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    ordering = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("kontaktperson på nettstedet")
        verbose_name_plural = _("kontaktpersoner på nettstedet")
        ordering = ["ordering", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Revision(models.Model):
    """A saved state of an article or a question: every save keeps one, and any can be restored."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField(_("versjon"))
    data = models.JSONField(_("innhold"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lagret av"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("lagret"), auto_now_add=True)

    class Meta:
        verbose_name = _("versjon")
        verbose_name_plural = _("versjoner")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "number"], name="website_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} v{self.number}"
