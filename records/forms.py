from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedModelForm
from core.filters import ListFilterForm
from core.forms import Form
from core.widgets import DateInput
from records import rules
from records.models import Document, EducationPlan, Note

# What a document file may be: its ending and the first bytes such a file starts with (the ending alone
# would let any file through under a harmless name).
ZIP = b"PK\x03\x04"  # Office Open XML (docx, xlsx) and OpenDocument (odt) are zip files
FILE_TYPES = {
    ".pdf": b"%PDF-",
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".odt": ZIP,
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}
ACCEPT = ",".join(FILE_TYPES)


def check_upload(upload) -> None:
    """A document file: a known type (by its ending and its first bytes), not empty, not too large."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in FILE_TYPES:
        raise ValidationError(
            _("Filtypen er ikke tillatt. Last opp PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT), PNG eller JPEG.")
        )
    limit = settings.RECORDS_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Filen er for stor: høyst %(mb)s MB."), params={"mb": f"{limit / 1_000_000:g}".replace(".", ",")}
        )
    if upload.size == 0:
        raise ValidationError(_("Filen er tom."))
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(FILE_TYPES[suffix]):
        raise ValidationError(
            _("Filen er ikke en %(type)s-fil, selv om navnet slutter på %(suffix)s."),
            params={"type": suffix.lstrip(".").upper(), "suffix": suffix},
        )


def _file_field() -> forms.FileField:
    limit = settings.RECORDS_DOCUMENT_MAX_BYTES
    return forms.FileField(
        label=_("Fil"),
        help_text=_("PDF, DOCX, XLSX, ODT, PNG eller JPEG, høyst %(mb)s MB.")
        % {"mb": f"{limit / 1_000_000:g}".replace(".", ",")},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


def _clean_file(form: forms.BaseForm):
    """The forms' `clean_file`: the upload checked by `check_upload`."""
    upload = form.cleaned_data.get("file")
    if upload is not None:
        check_upload(upload)
    return upload


class NoteForm(VersionedModelForm):
    class Meta:
        model = Note
        fields = ["written_on", "text"]
        widgets = {"written_on": DateInput, "text": forms.Textarea(attrs={"rows": 6})}


class DocumentForm(VersionedModelForm):
    """The document's type, title and date; a new document takes its first file here too."""

    class Meta:
        model = Document
        fields = ["kind", "title", "dated", "description"]
        widgets = {"dated": DateInput}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["file"] = _file_field()

    clean_file = _clean_file


class VersionForm(Form):
    """A new file of a document: the new version."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()

    clean_file = _clean_file


class EducationPlanForm(VersionedModelForm):
    class Meta:
        model = EducationPlan
        fields = ["last_reviewed_on", "next_review_on", "progress_reported_on", "objectives_approved"]
        widgets = {
            "last_reviewed_on": DateInput,
            "next_review_on": DateInput,
            "progress_reported_on": DateInput,
        }

    def clean_progress_reported_on(self):
        day = self.cleaned_data.get("progress_reported_on")
        if day is not None and day > timezone.localdate():
            raise ValidationError(_("Rapporten kan ikke være datert fram i tid."))
        return day

    def clean(self):
        data = super().clean()
        last, following = data.get("last_reviewed_on"), data.get("next_review_on")
        if last and following and following < last:
            self.add_error("next_review_on", _("Neste gjennomgang kan ikke være før den siste."))
        return data


class PlanFilterForm(ListFilterForm):
    """Which ALIS the office should follow up: no plan on file, or no recent progress report."""

    MISSING_PLAN, NO_RECENT_REPORT = "plan", "rapport"
    search_fields = ("doctor__first_name", "doctor__last_name", "doctor__hpr_number", "employer__name")
    office_path = "employer__county__office__code"
    office_for_all_regions_only = True
    missing = forms.ChoiceField(
        label=_("Vis"),
        required=False,
        choices=[
            ("", _("Alle pågående ALIS")),
            (MISSING_PLAN, _("Uten utdanningsplan")),
            (NO_RECENT_REPORT, _("Uten framdriftsrapport siste 12 måneder")),
        ],
    )

    def narrow(self, queryset, data: dict):
        if data.get("missing") == self.MISSING_PLAN:
            return queryset.filter(has_plan=False)
        if data.get("missing") == self.NO_RECENT_REPORT:
            cutoff = rules.progress_cutoff(timezone.localdate())
            return queryset.filter(Q(progress_reported_on__isnull=True) | Q(progress_reported_on__lt=cutoff))
        return queryset
