from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import Form
from dataio.reading import size_error
from registry.models import Municipality

ACCEPT = ".xlsx,.csv,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(Form):
    """The file of every import: Excel or CSV, no larger than `settings.IMPORT_MAX_MB` (checked before it is
    read: the upload already sits in a temporary file, not in memory)."""

    file = forms.FileField(label=_("Fil"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Excel (.xlsx) eller CSV, med overskrifter på første rad. Høyst %(max)d MB."
        ) % {"max": settings.IMPORT_MAX_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if message := size_error(upload.size):
            raise forms.ValidationError(message)
        return upload


class AlisUploadForm(UploadForm):
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=Municipality.objects.none())

    field_order = ["municipality", "file"]

    def __init__(self, *args, municipalities: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].label_from_instance = lambda m: f"{m.name_norwegian} ({m.number})"
