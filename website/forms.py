"""The forms the offices publish with: articles, questions and answers, templates and their files, images, contact."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.filters import ListFilterForm
from core.forms import Form
from core.validation import validate_date_range
from office.models import InquiryTopic
from website.models import (
    Article,
    ContactPerson,
    Document,
    DocumentVersion,
    Image,
    OfficeProfile,
    Question,
    Status,
    norwegian_slug,
)

MAX_TEXT = 50_000
# Addresses the site uses itself under /nyheter/ (the feeds).
RESERVED_SLUGS = {"rss", "atom"}


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker; the value travels as YYYY-MM-DDTHH:MM."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _check_publish_at(value):
    if value is not None:
        validate_date_range(value.date())
    return value


class PublishingForm(VersionedModelForm):
    """Status and publishing time, shared by everything that is published."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].widget = forms.RadioSelect(choices=Status.choices)
        self.fields["status"].help_text = _("Et utkast ser bare kontoret. Forhåndsvis før du publiserer.")
        self.fields["publish_at"].widget = DateTimeInput()
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.max_length = MAX_TEXT
                field.widget.attrs["maxlength"] = MAX_TEXT

    def clean_publish_at(self):
        return _check_publish_at(self.cleaned_data.get("publish_at"))


class ArticleForm(PublishingForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "image",
            "title_nn",
            "summary_nn",
            "body_nn",
            "ordering",
            "status",
            "publish_at",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 16}), "body_nn": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        # The section's own pictures and the national ones (and the one chosen, whatever it is).
        office = self.instance.office
        mine = Q(office__isnull=True) | (Q(office=office) if office else Q(pk__in=[]))
        if self.instance.image_id:
            mine |= Q(pk=self.instance.image_id)
        self.fields["image"].queryset = Image.objects.filter(mine).order_by("-uploaded_at")
        self.fields["image"].help_text = _(
            "Fra kontorets bildearkiv. Bilder inne i teksten: skriv ![alternativ tekst](bilde:nummer)."
        )
        if self.instance.kind == Article.Kind.NEWS:
            del self.fields["ordering"]
        if self.instance.role:
            # A fixed page keeps its address: the site links to it from every page.
            del self.fields["slug"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or norwegian_slug(self.cleaned_data.get("title") or "")
        if not slug:
            raise ValidationError(_("Skriv en adresse med bokstaver eller tall."))
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _("Adressen «%(slug)s» brukes av nettstedet selv. Velg en annen."), params={"slug": slug}
            )
        taken = (
            Article.objects.in_section(self.instance.office)
            .filter(kind=self.instance.kind, slug=slug)
            .exclude(pk=self.instance.pk)
        )
        if taken.exists():
            raise ValidationError(
                _("Adressen «%(slug)s» er allerede i bruk i denne delen av nettstedet."), params={"slug": slug}
            )
        return slug


class QuestionForm(PublishingForm):
    class Meta:
        model = Question
        fields = ["question", "answer", "topics", "question_nn", "answer_nn", "status", "publish_at"]
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 10}),
            "answer_nn": forms.Textarea(attrs={"rows": 6}),
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = InquiryTopic.objects.filter(active=True)
        self.fields["topics"].help_text = _("Spørsmålene er gruppert etter emnene på nettstedet.")


class DocumentForm(PublishingForm):
    class Meta:
        model = Document
        fields = ["category", "title", "description", "title_nn", "description_nn", "status", "publish_at"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "description_nn": forms.Textarea(attrs={"rows": 4}),
        }


# What a template file may be: its ending and the first bytes such a file starts with.
ZIP = b"PK\x03\x04"  # Office Open XML (docx, xlsx) and OpenDocument (odt, ods) are zip files
OLE = b"\xd0\xcf\x11\xe0"  # the old Word and Excel formats
DOCUMENT_TYPES = {
    ".pdf": b"%PDF-",
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".odt": ZIP,
    ".ods": ZIP,
    ".doc": OLE,
    ".xls": OLE,
}


def check_document_file(upload) -> None:
    """A template file: a known type (by its ending and its first bytes), not empty, not too large."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Last opp en PDF-, Word-, Excel- eller OpenDocument-fil (%(types)s)."),
            params={"types": ", ".join(DOCUMENT_TYPES)},
        )
    limit = settings.WEBSITE_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("Filen er for stor (høyst %(mb)d MB)."), params={"mb": limit // 1_000_000})
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(DOCUMENT_TYPES[suffix]):
        raise ValidationError(
            _("Filen er ikke en %(type)s-fil, selv om navnet slutter på %(suffix)s."),
            params={"type": suffix.lstrip(".").upper(), "suffix": suffix},
        )


class DocumentVersionForm(VersionedModelForm):
    class Meta:
        model = DocumentVersion
        fields = ["file", "label", "note", "is_current"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["is_current"].help_text = _(
            "Den gjeldende versjonen er den som lastes ned først; de gamle beholdes."
        )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "size") and not getattr(upload, "_committed", False):
            check_document_file(upload)
        return upload


IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


class ImageForm(VersionedModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt", "credit"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "JPEG, PNG eller WebP, høyst %(mb)d MB og %(px)d piksler på den lengste siden."
        ) % {
            "mb": settings.WEBSITE_IMAGE_MAX_BYTES // 1_000_000,
            "px": settings.WEBSITE_IMAGE_MAX_PIXELS,
        }
        self.fields["file"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        if self.instance.pk:
            # The picture of a saved image stays; a new picture is a new image (texts point to its number).
            del self.fields["file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return upload
        if upload.size > settings.WEBSITE_IMAGE_MAX_BYTES:
            raise ValidationError(
                _("Bildet er for stort (høyst %(mb)d MB)."),
                params={"mb": settings.WEBSITE_IMAGE_MAX_BYTES // 1_000_000},
            )
        # Django's ImageField has opened the file with Pillow: it is a picture, and this is its real format.
        picture = getattr(upload, "image", None)
        if picture is None or picture.format not in IMAGE_FORMATS:
            raise ValidationError(_("Last opp et bilde i JPEG, PNG eller WebP."))
        if max(picture.size) > settings.WEBSITE_IMAGE_MAX_PIXELS:
            raise ValidationError(
                _("Bildet er for stort (høyst %(px)d piksler på den lengste siden)."),
                params={"px": settings.WEBSITE_IMAGE_MAX_PIXELS},
            )
        return upload


class OfficeProfileForm(VersionedModelForm):
    class Meta:
        model = OfficeProfile
        fields = ["intro", "intro_nn", "email", "phone", "address"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 8}), "intro_nn": forms.Textarea(attrs={"rows": 6})}


class ContactPersonForm(VersionedModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "title", "email", "phone", "ordering"]


class ContentFilterForm(ListFilterForm):
    """The staff lists of a section's content: search and status."""

    search_fields = ("title", "summary")
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Alle")), *Status.choices], required=False)

    def narrow(self, queryset, data: dict):
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        return queryset


class QuestionFilterForm(ContentFilterForm):
    search_fields = ("question", "answer")


class DocumentFilterForm(ContentFilterForm):
    search_fields = ("title", "description")


class PublicSearchForm(Form):
    """The public Q&A search and the library's filters (GET)."""

    q = forms.CharField(label=_("Søk i spørsmål og svar"), required=False, max_length=100)
