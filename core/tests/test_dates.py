"""Dates outside 1900–2100 are refused where they come in, in every date field, with a Norwegian message.

31.12.9999 was accepted by about 25 date fields and then broke pages for everyone (a training's expected
end, the public iCalendar feed); 01.01.0001 was accepted too.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.test.utils import isolate_apps
from django.urls import reverse

from conftest import PASSWORD
from core import checks
from core.fields import DateField, DateFormField
from courses.models import Course, Gathering
from registry.models import Registration
from supervision import links
from supervision.models import SupervisionSession, SupervisorLink
from training.models import Training

MESSAGE = "Datoen må være mellom 01.01.1900 og 31.12.2100."


def _own_date_fields() -> list[models.DateField]:
    return [
        field
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR)
        for model in config.get_models()
        for field in model._meta.local_fields
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
    ]


def test_every_date_field_refuses_dates_outside_1900_to_2100() -> None:
    fields = _own_date_fields()
    assert len(fields) >= 25
    for field in fields:
        assert isinstance(field, DateField), field
        form_field = field.formfield()
        assert isinstance(form_field, DateFormField), field
        for far in ("9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"):
            with pytest.raises(ValidationError) as refused:
                form_field.clean(far)
            assert refused.value.messages == [MESSAGE], field
            with pytest.raises(ValidationError):
                field.run_validators(date.fromisoformat(far))
        assert form_field.clean("1900-01-01") == date(1900, 1, 1)
        assert form_field.clean("2100-12-31") == date(2100, 12, 31)


def test_the_date_picker_is_told_the_same_bounds() -> None:
    html = DateFormField(widget=forms.DateInput(attrs={"type": "date"})).widget.render("d", None)
    assert 'min="1900-01-01"' in html and 'max="2100-12-31"' in html


def test_migrations_see_a_plain_date_field() -> None:
    """The bounds are validation, not schema: switching a field to core.fields.DateField needs no migration."""
    _name, path, _args, _kwargs = Training._meta.get_field("start").deconstruct()
    assert path == "django.db.models.DateField"


@isolate_apps("core")
def test_the_system_check_finds_a_plain_date_field_on_a_model_or_a_form() -> None:
    class Plain(models.Model):  # noqa: DJ008
        day = models.DateField()
        bounded = DateField()

    class PlainForm(forms.Form):
        day = forms.DateField()
        bounded = DateFormField()

    assert [e.id for e in checks.unbounded_dates([Plain])] == ["core.E001"]
    assert "Plain.day" in checks.unbounded_dates([Plain])[0].msg
    assert [e.msg for e in checks.unbounded_form_dates([PlainForm])] == [
        f"{__name__}.test_the_system_check_finds_a_plain_date_field_on_a_model_or_a_form.<locals>.PlainForm.day "
        "is a plain forms.DateField."
    ]
    assert checks.check_bounded_dates() == []  # and the project's own models and forms are all bounded


def _login(user) -> Client:
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


def test_a_far_start_date_is_refused_on_the_training_page(vest_user, vest_training, form_data) -> None:
    """Today's code answered 500: the expected end (start + the years of the course) left Python's calendar."""
    client = _login(vest_user)
    url = reverse("training:edit", args=[vest_training.pk])
    data = form_data(client.get(url).context["form"])
    response = client.post(url, {**data, "start": "9999-12-31"})
    assert response.status_code == 200
    assert MESSAGE in response.text
    vest_training.refresh_from_db()
    assert vest_training.start == date(2022, 8, 1)


def test_a_far_date_is_refused_by_a_plain_model_form_too(vest_user, world) -> None:
    """The registration form is a plain ModelForm (not the shared versioned one); the model field decides."""
    response = _login(vest_user).post(
        reverse("registry:registration_add", args=[world.bergen.pk]),
        {"specialty": "general_practice", "status": "registered", "valid_from": "0001-01-01"},
    )
    assert response.status_code == 200
    assert MESSAGE in response.text
    assert not Registration.objects.exists()


def test_a_supervisor_can_not_add_a_session_in_year_9999_through_the_link(vest_user, records) -> None:
    link = SupervisorLink.objects.create(supervisor=records.vest_supervisor, expires_on=date.today() + timedelta(7))
    url = reverse("supervision:link_page", args=[links.token_for(link)])
    data = {"ny-training": records.vest_training.pk, "ny-date": "9999-12-31", "ny-minutes": 60, "ny-kind": "individual"}
    response = Client().post(url, data)
    assert response.status_code == 200
    assert MESSAGE in response.text
    assert not SupervisionSession.objects.exists()


def test_the_calendar_feed_handles_the_last_day_allowed(world) -> None:
    """An all-day event ends the day after its last day: 31.12.9999 + 1 day was the public feed's 500."""
    course = Course.objects.create(office=world.vest, title="Emnekurs", place="Bergen", capacity=20, published=True)
    Gathering.objects.create(course=course, start=date(2100, 12, 30), end=date(2100, 12, 31))
    response = Client().get(reverse("courses:ical"))
    assert response.status_code == 200
    assert "DTEND;VALUE=DATE:21010101" in response.text
