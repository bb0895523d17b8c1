"""core.renderers.FastRenderer writes selects and inputs exactly as Django's widget templates do."""

from datetime import date

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.renderers import FastRenderer
from core.widgets import DateInput

CHOICES = [("", "---------"), (1, "Bergen"), (2, 'Ås & «Øvre» "Eiker"'), ("x<y", mark_safe("<b>trygg</b>"))]
GROUPED = [("", "Alle"), ("Vest", [(1, "Bergen"), (2, "Askøy")]), ("Nord", [(3, "Tromsø")]), (2025, "2025")]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    yes_no = forms.NullBooleanField(required=False)
    year = forms.TypedChoiceField(choices=[(2025, 2025), (2026, 2026)], coerce=int, required=False)
    text = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": 'Navn, "HPR"', "autofocus": True})
    )
    number = forms.IntegerField(required=False, min_value=0)
    decimal = forms.DecimalField(required=False, decimal_places=1)
    email = forms.EmailField(required=False)
    day = forms.DateField(required=False, widget=DateInput())
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    box = forms.BooleanField(required=False)
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search", "disabled": False}))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "plain": "2",
            "grouped": "3",
            "many": ["1", "x<y"],
            "yes_no": "true",
            "year": "2026",
            "text": "<Ola & Kari>",
            "number": "12",
            "decimal": "1,5",
            "email": "a@b.no",
            "day": "2026-01-31",
            "hidden": '"skjult"',
            "box": "on",
            "search": "x",
        },
        {"plain": "nei", "number": "abc", "day": "31.02.2026"},  # invalid: errors and aria-invalid
    ],
)
def test_fast_renderer_writes_what_the_templates_write(data):
    bound = Everything(data or None, initial={"day": date(2026, 3, 1), "text": "start"}, renderer=FastRenderer())
    reference = Everything(data or None, initial={"day": date(2026, 3, 1), "text": "start"}, renderer=DjangoTemplates())
    if data:
        bound.is_valid()
        reference.is_valid()
    for name in Everything.base_fields:
        extra = {"class": "ds-input", "aria-describedby": f"id_{name}_help"}
        fast = bound[name].as_widget(attrs=extra)
        slow = reference[name].as_widget(attrs=extra)
        assert fast == slow, name
    assert "<option" in str(bound["grouped"]) and "<optgroup" in str(bound["grouped"])


@pytest.mark.parametrize("widget", [forms.CheckboxSelectMultiple, forms.RadioSelect])
@pytest.mark.parametrize("wrap_label", [False, True])
def test_each_box_of_a_multiple_choice_is_written_as_the_templates_write_it(widget, wrap_label):
    field = forms.MultipleChoiceField if widget is forms.CheckboxSelectMultiple else forms.ChoiceField

    class Boxes(forms.Form):
        choice = field(choices=CHOICES[1:], required=False, widget=widget)

    data = {"choice": ["2", "x<y"] if widget is forms.CheckboxSelectMultiple else "2"}
    fast, slow = Boxes(data, renderer=FastRenderer())["choice"], Boxes(data, renderer=DjangoTemplates())["choice"]
    tags = [option.tag(wrap_label=wrap_label) for option in fast]
    assert tags == [option.tag(wrap_label=wrap_label) for option in slow]
    ticked = 2 if widget is forms.CheckboxSelectMultiple else 1
    assert len(tags) == 3 and sum("checked" in tag for tag in tags) == ticked
    assert str(fast) == str(slow)  # the whole widget too (its own template, drawing each box through these)


def test_an_option_with_a_template_of_its_own_is_drawn_by_the_templates():
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    field = forms.ChoiceField(choices=[(1, "En")], widget=Marked)
    fast = field.widget.render("x", 1, renderer=FastRenderer())
    assert fast == field.widget.render("x", 1, renderer=DjangoTemplates())
