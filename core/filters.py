"""The filter forms above the list pages: one place for the office choice and free-text search."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import Form
from registry.models import Office

ALL = ""


class ListFilterForm(Form):
    """A GET form; subclasses add fields and say how each narrows the queryset in `narrow`."""

    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    search_fields: tuple[str, ...] = ()
    office_path: str | None = None
    # Lists of personal data: staff see their own region only, so the office choice is for those who see all.
    office_for_all_regions_only: bool = False

    def __init__(self, data, *, user: User) -> None:
        data = data.copy()
        if self.office_path is not None and "office" not in data and user.office and not user.sees_all_regions:
            data["office"] = user.office.code  # staff start in their own region, the coordinator in all
        super().__init__(data)
        self.user = user
        # The office choice (its offices read only when the user is offered it).
        if self.office_path is not None and not (self.office_for_all_regions_only and not user.sees_all_regions):
            choices = [(ALL, _("Alle kontorer")), *((o.code, o.name) for o in Office.objects.all())]
            self.fields["office"] = forms.ChoiceField(label=_("ALIS-kontor"), choices=choices, required=False)
            self.order_fields(["q", "office"])

    def filter(self, queryset: QuerySet) -> QuerySet:
        if not self.is_valid():
            return queryset.none()
        text = self.cleaned_data["q"].strip()
        if text and self.search_fields:
            query = Q()
            for word in text.split():
                query &= self._word_query(word)
            queryset = queryset.filter(query)
        if self.office_path is not None and (code := self.cleaned_data.get("office")):
            queryset = queryset.filter(**{self.office_path: code})
        return self.narrow(queryset, self.cleaned_data)

    def _word_query(self, word: str) -> Q:
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": word})
        return query

    def narrow(self, queryset: QuerySet, data: dict) -> QuerySet:
        return queryset
