"""A municipality receives its e-mails and its mapping form in its own language form (målform)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from registry.models import LanguageForm, Municipality
from survey import services, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.deactivate()


def _start(municipality: Municipality, user, capture) -> object:
    with capture(execute=True):
        campaign = services.campaign_start(
            office=user.office,
            by=user,
            data={"title": "Kartlegging 2026", "message": "Hei!", "deadline": date.today() + timedelta(days=14)},
            municipalities=[municipality],
            now=timezone.now(),
        )
    return campaign.invitations.get()


@pytest.fixture
def languages_rendered(monkeypatch) -> list[str]:
    """The language active while each e-mail is rendered (the nn catalogue decides the words themselves)."""
    seen: list[str] = []
    render = tasks.render_to_string

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return render(*args, **kwargs)

    monkeypatch.setattr(tasks, "render_to_string", spy)
    return seen


@pytest.mark.parametrize(
    ("form", "language"),
    [
        (LanguageForm.NYNORSK, "nn"),
        (LanguageForm.BOKMAL, "nb"),
        (LanguageForm.NEUTRAL, "nb"),
        (LanguageForm.UNKNOWN, "nb"),
    ],
)
def test_the_invitation_email_is_in_the_municipalitys_form(
    form, language, records, vest_user, mailoutbox, languages_rendered, django_capture_on_commit_callbacks
):
    municipality = records.vest_training.employer
    Municipality.objects.filter(pk=municipality.pk).update(language_form=form)
    municipality.refresh_from_db()

    _start(municipality, vest_user, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    assert languages_rendered == [language]


def test_a_nynorsk_municipality_gets_its_form_in_nynorsk_whatever_the_browser_says(
    client, records, vest_user, django_capture_on_commit_callbacks
):
    municipality = records.vest_training.employer
    Municipality.objects.filter(pk=municipality.pk).update(language_form=LanguageForm.NYNORSK)
    municipality.refresh_from_db()
    invitation = _start(municipality, vest_user, django_capture_on_commit_callbacks)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("survey:answer", args=[invitation.token]))

    assert response.status_code == 200
    assert '<html lang="nn"' in response.content.decode()
    assert response["Content-Language"] == "nn"


def test_a_bokmal_municipality_gets_its_form_in_bokmal(client, records, vest_user, django_capture_on_commit_callbacks):
    invitation = _start(records.vest_training.employer, vest_user, django_capture_on_commit_callbacks)
    client.cookies["django_language"] = "nn"

    response = client.get(reverse("survey:answer", args=[invitation.token]))

    assert '<html lang="nb"' in response.content.decode()
