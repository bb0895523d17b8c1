from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dataio.reading import MAX_BYTES
from registry.models import Municipality

ACCEPT = ".xlsx,.csv,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("Excel (.xlsx) eller CSV, med overskrifter på første rad. Høyst 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self):
        return checked_upload(self.cleaned_data["file"])


def checked_upload(upload):
    """An uploaded file within the size limit of every import (issue 11), or a Norwegian message."""
    # Checked before reading: the upload already sits in a temporary file, not in memory.
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(
            _("Fila er for stor (%(size)s MB); grensen er %(max)d MB.")
            % {"size": f"{upload.size / 1_048_576:.0f}", "max": MAX_BYTES // 1_048_576}
        )
    if upload.size == 0:
        raise forms.ValidationError(_("Fila er tom."))
    return upload


class AlisUploadForm(UploadForm):
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=Municipality.objects.none())

    field_order = ["municipality", "file"]

    def __init__(self, *args, municipalities: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].label_from_instance = lambda m: f"{m.name_norwegian} ({m.number})"
