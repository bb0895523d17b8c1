from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.fields import DateFormField
from core.filters import ALL, ListFilterForm
from core.models import Read
from core.widgets import DateInput


class ReadFilterForm(ListFilterForm):
    """The read log's filter: a period, and on the whole log the user and the kind of read."""

    search_fields = ("page", "label", "view")
    start = DateFormField(label=_("Fra og med"), required=False, widget=DateInput)
    end = DateFormField(label=_("Til og med"), required=False, widget=DateInput)
    kind = forms.ChoiceField(label=_("Hva"), choices=[(ALL, _("Alt")), *Read.Kind.choices], required=False)
    user = forms.ChoiceField(label=_("Bruker"), required=False)

    def __init__(self, data, *, user: User, whole_log: bool = False) -> None:
        super().__init__(data, user=user)
        self.fields["q"].label = _("Side eller liste")
        if whole_log:
            users = User.objects.filter(reads__isnull=False).distinct().order_by("username")
            self.fields["user"].choices = [(ALL, _("Alle")), *((str(u.pk), u.username) for u in users)]
        else:
            del self.fields["user"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("Til-datoen kan ikke være før fra-datoen."))
        return data

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("start"):
            queryset = queryset.filter(at__date__gte=data["start"])
        if data.get("end"):
            queryset = queryset.filter(at__date__lte=data["end"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("user"):
            queryset = queryset.filter(user_id=data["user"])
        return queryset
