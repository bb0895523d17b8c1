"""Every validation message in plain Norwegian, set once in the base forms (core/forms.py)."""

from django import forms
from django.utils import translation

from core.forms import Form, ModelForm
from registry.models import GpOffice, Municipality


class Everything(Form):
    text = forms.CharField(max_length=5)
    short = forms.CharField(min_length=3, required=False)
    choice = forms.ChoiceField(choices=[("a", "A")])
    many = forms.MultipleChoiceField(choices=[("a", "A")])
    day = forms.DateField()
    whole = forms.IntegerField(min_value=1, max_value=10)
    decimal = forms.DecimalField(max_digits=3, decimal_places=1)
    email = forms.EmailField()
    tick = forms.BooleanField()


def _errors(data: dict) -> dict[str, list[str]]:
    form = Everything(data)
    form.is_valid()
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def test_it_says_what_to_do_when_a_field_is_empty() -> None:
    errors = _errors({})

    assert errors["text"] == ["Fyll ut feltet."]
    assert errors["choice"] == ["Velg et alternativ."]
    assert errors["many"] == ["Velg minst ett alternativ."]
    assert errors["tick"] == ["Kryss av for å gå videre."]


def test_it_explains_each_kind_of_bad_value() -> None:
    errors = _errors(
        {
            "text": "for lang",
            "short": "ab",
            "choice": "b",
            "many": ["b"],
            "day": "31.02.2026",
            "whole": "elleve",
            "decimal": "12,34",
            "email": "kari@",
            "tick": "on",
        }
    )

    assert errors["text"] == ["Skriv høyst 5 tegn (nå 8)."]
    assert errors["short"] == ["Skriv minst 3 tegn (nå 2)."]
    assert errors["choice"] == ["Velg et av alternativene i listen."]
    assert errors["many"] == ["Velg et av alternativene i listen."]
    assert errors["day"] == ["Skriv en gyldig dato, for eksempel 31.12.2025."]
    assert errors["whole"] == ["Skriv et helt tall, med sifre."]
    assert errors["decimal"] == ["Skriv et tall, med sifre og eventuelt komma."]
    assert errors["email"] == ["Skriv en gyldig e-postadresse, for eksempel navn@kommune.no."]


def test_it_names_the_limits_of_numbers() -> None:
    assert _errors({"whole": "11"})["whole"] == ["Skriv et tall som ikke er større enn 10."]
    assert _errors({"whole": "0"})["whole"] == ["Skriv et tall som ikke er mindre enn 1."]
    assert _errors({"decimal": "123.4"})["decimal"] == ["Skriv høyst 3 sifre."]


def test_a_form_s_own_message_wins() -> None:
    class Own(Form):
        text = forms.CharField(error_messages={"required": "Skriv navnet ditt."})

    form = Own({})
    form.is_valid()

    assert form.errors["text"] == ["Skriv navnet ditt."]


def test_the_messages_follow_the_language() -> None:
    with translation.override("en"):
        assert _errors({})["text"] == ["Fill in the field."]


class MunicipalityForm(ModelForm):
    class Meta:
        model = Municipality
        fields = ["number", "name", "name_norwegian", "county"]


class GpOfficeForm(ModelForm):
    class Meta:
        model = GpOffice
        fields = ["name", "municipality"]


def test_it_says_plainly_that_a_unique_value_is_taken(world) -> None:
    form = MunicipalityForm(
        {"number": "4601", "name": "Bergen", "name_norwegian": "Bergen", "county": world.vestland.pk}
    )

    assert not form.is_valid()
    assert form.errors["number"] == ["Kommunenummer er allerede registrert på en annen post."]


def test_it_says_plainly_that_a_combination_is_taken(world) -> None:
    GpOffice.objects.create(name="Sentrum legekontor", municipality=world.bergen)

    form = GpOfficeForm({"name": "Sentrum legekontor", "municipality": world.bergen.pk})

    assert not form.is_valid()
    assert form.non_field_errors() == ["Legekontor med samme kommune og navn finnes allerede."]


def test_the_validators_of_the_model_keep_their_own_messages(world) -> None:
    form = MunicipalityForm({"number": "46A1", "name": "X", "name_norwegian": "X", "county": world.vestland.pk})

    assert not form.is_valid()
    assert form.errors["number"] == ["Kommunenummeret har fire sifre."]


def test_a_select_of_records_reads_its_options_in_one_plain_query(db) -> None:
    """On PostgreSQL Django reads a model choice field's options through `.iterator()`; with server-side
    cursors that is DECLARE, FETCH and CLOSE for a select of twenty rows (settings: no server-side cursors)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry.models import HealthTrust

    HealthTrust.objects.create(name="Helse Bergen HF", rhf="vest")

    class Pick(Form):
        trust = forms.ModelChoiceField(HealthTrust.objects.order_by("name"))

    with CaptureQueriesContext(connection) as queries:
        html = str(Pick()["trust"])
    assert "Helse Bergen HF" in html
    assert len(queries) == 1 and not queries[0]["sql"].startswith("DECLARE")
