"""Choosing one among hundreds by typing (Designsystemet's Suggestion), with and without the script."""

import pytest
from django import forms
from django.urls import reverse

from core.forms import Form
from core.suggestions import SuggestionField
from registry.models import Municipality


class MunicipalityChoice(Form):
    municipality = SuggestionField(
        Municipality.objects.order_by("name_norwegian"),
        url="/sok/",
        search_fields=("name", "name_norwegian", "number"),
    )


@pytest.fixture
def municipalities(world):
    for number, name in [("4602", "Kinn"), ("4611", "Etne"), ("4612", "Sveio"), ("4613", "Bømlo"), ("1865", "Vågan")]:
        Municipality.objects.create(number=number, name=name, name_norwegian=name, county=world.vestland)
    return world


def _chosen(data: dict):
    form = MunicipalityChoice(data)
    valid = form.is_valid()
    return form.cleaned_data.get("municipality") if valid else form.errors["municipality"][0]


def test_the_script_posts_the_chosen_id_with_its_label(municipalities) -> None:
    bergen = municipalities.bergen

    assert _chosen({"municipality": str(bergen.pk), "municipality_text": "4601 Bergen"}) == bergen


def test_an_id_alone_is_enough(municipalities) -> None:
    """What an importer or a test posts."""
    assert _chosen({"municipality": str(municipalities.bergen.pk)}) == municipalities.bergen


@pytest.mark.parametrize("typed", ["Bergen", "bergen", "4601", "4601 Bergen", "  Bergen "])
def test_without_the_script_the_typed_name_or_number_is_looked_up(municipalities, typed: str) -> None:
    assert _chosen({"municipality": "", "municipality_text": typed}) == municipalities.bergen


def test_typing_over_the_chosen_label_chooses_again(municipalities) -> None:
    """The page was shown with Bergen; the user typed Bodø over it (no script to update the id)."""
    chosen = _chosen({"municipality": str(municipalities.bergen.pk), "municipality_text": "Bodø"})

    assert chosen == municipalities.bodo


def test_an_exact_name_wins_over_names_that_contain_it(municipalities) -> None:
    for number, name in [("4614", "Stord"), ("4615", "Fitjar Stord")]:
        Municipality.objects.create(number=number, name=name, name_norwegian=name, county=municipalities.vestland)

    assert _chosen({"municipality": "", "municipality_text": "stord"}).number == "4614"


def test_it_says_why_it_could_not_choose(municipalities) -> None:
    assert _chosen({"municipality": "", "municipality_text": "Atlantis"}) == (
        "Fant ingen som passer «Atlantis». Skriv navnet slik det står i registeret."
    )
    assert _chosen({"municipality": "", "municipality_text": "e"}) == (
        "«e» passer på flere. Skriv mer av navnet, eller nummeret."
    )
    assert _chosen({"municipality": "", "municipality_text": ""}) == "Velg et alternativ."


def test_it_draws_designsystemet_s_suggestion_around_a_text_input(municipalities) -> None:
    form = MunicipalityChoice(initial={"municipality": municipalities.bergen.pk})

    html = str(form["municipality"])

    assert html.startswith('<ds-suggestion class="ds-suggestion" data-suggestion-url="/sok/">')
    assert f'<data value="{municipalities.bergen.pk}">4601 Bergen</data>' in html
    assert 'type="text" name="municipality_text" value="4601 Bergen" autocomplete="off"' in html
    assert f'<input type="hidden" name="municipality" value="{municipalities.bergen.pk}" data-suggestion-value>' in html


def test_after_an_error_it_shows_what_was_typed(municipalities) -> None:
    form = MunicipalityChoice({"municipality": "", "municipality_text": "Atlantis"})
    form.is_valid()

    assert 'value="Atlantis"' in str(form["municipality"])


def test_the_search_answers_options_for_what_is_typed(client, municipalities) -> None:
    url = reverse("registry:municipality_search")

    found = client.get(url, {"q": "46 be"}).content.decode()

    assert found == f'<u-option value="{municipalities.bergen.pk}">4601 Bergen</u-option>'
    assert "Ingen treff" in client.get(url, {"q": "Atlantis"}).content.decode()
    assert "Skriv for å søke" in client.get(url).content.decode()


def test_the_search_of_doctors_keeps_to_the_user_s_region(client, records, vest_user, nord_user, reader) -> None:
    url = reverse("registry:doctor_search")
    client.force_login(vest_user)
    assert "Nordmann, Kari (HPR 1234567)" in client.get(url, {"q": "kari"}).content.decode()
    assert "Hansen" not in client.get(url, {"q": "hansen"}).content.decode()
    client.force_login(reader)
    assert client.get(url, {"q": "kari"}).status_code == 403


def test_it_limits_the_number_of_options(client, world) -> None:
    for n in range(30):
        name = f"Sted {n}"
        Municipality.objects.create(number=f"50{n:02d}", name=name, name_norwegian=name, county=world.vestland)

    found = client.get(reverse("registry:municipality_search"), {"q": "sted"}).content.decode()

    assert found.count("<u-option") == 20


def test_it_is_a_model_choice_field_to_the_rest_of_django() -> None:
    assert issubclass(SuggestionField, forms.ModelChoiceField)
