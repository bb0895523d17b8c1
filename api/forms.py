from django import forms
from django.utils.translation import gettext_lazy as _

from api.tokens import DEFAULT_DAYS, MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Navn"), max_length=100, help_text=_("Hva nøkkelen skal brukes til, for eksempel «Årsstatistikk».")
    )
    days = forms.IntegerField(
        label=_("Gyldig i antall dager"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=_("Høyst 365 dager. Lag en ny nøkkel når denne går ut."),
    )
